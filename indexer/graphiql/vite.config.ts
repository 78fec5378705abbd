// GraphiQL for the embedded server, bundled from node_modules (no CDN): the API
// serves indexer/dist/graphiql at /graphiql. Build: `npx vite build --config graphiql/vite.config.ts`
// from indexer/ (or `npm run build:graphiql -w indexer` once the lead adds the script).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/graphiql/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/graphiql', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
  },
});
