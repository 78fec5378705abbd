#!/bin/sh
# Serves the explorer built for the graph-node endpoint. The browser reads the
# endpoint from config.json next to index.html (explorer/src/api/endpoint.ts).
# Built into a container-local folder so the repository's explorer/dist is untouched.
set -eu
OUT=/srv/explorer
URL="${GGN_GRAPHQL_URL:-http://localhost:8000/subgraphs/name/ggn/explorer}"
cd /repo/explorer
npx vite build --outDir "$OUT" --emptyOutDir
printf '{"graphqlUrl": "%s"}\n' "$URL" > "$OUT/config.json"
exec npx vite preview --outDir "$OUT" --host 0.0.0.0 --port 4173 --strictPort
