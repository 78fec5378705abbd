import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The explorer is a static SPA: the embedded server serves dist/ at / with
// index.html as fallback; graph-node deployments host it anywhere.
// `manifest` lets scripts/size-report.ts map routes to their chunks.
export default defineConfig({
  plugins: [react()],
  build: { manifest: true, sourcemap: false, target: 'es2022' },
  server: {
    host: '127.0.0.1',
    // `GGN_GRAPHQL_PROXY=http://127.0.0.1:4000 npm run dev` forwards /graphql during development.
    proxy: process.env.GGN_GRAPHQL_PROXY ? { '/graphql': process.env.GGN_GRAPHQL_PROXY } : undefined,
  },
});
