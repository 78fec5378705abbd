#!/bin/sh
# One-shot job of docker-compose.yml: builds the subgraph for $GGN_NETWORK and
# deploys it to the graph-node of the compose project.
set -eu
cd /repo
export GRAPH_SKIP_NEW_VERSION_CHECK=true
NODE_URL="${GRAPH_NODE_ADMIN:-http://graph-node:8020}"
IPFS_URL="${IPFS_API:-http://ipfs:5001}"
NAME="${SUBGRAPH_NAME:-ggn/explorer}"
LABEL="${SUBGRAPH_VERSION:-v0.1.0}"

# The ABIs are compiled output of the contracts workspace; compile if absent.
[ -f contracts-abi/abi/GGNFactory.json ] || npm run compile -w contracts-abi
npm run build -w subgraph

cd subgraph
# `graph create` fails when the name exists (a re-run of this job): that is fine.
if ! out=$(npx graph create --node "$NODE_URL" "$NAME" 2>&1); then
  echo "$out" | grep -qi 'already exists' || { echo "$out"; exit 1; }
fi
npx graph deploy --node "$NODE_URL" --ipfs "$IPFS_URL" --version-label "$LABEL" "$NAME" subgraph.yaml
echo "deployed $NAME $LABEL"
