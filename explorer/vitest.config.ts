import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Unit tests run in Node: charts are checked by rendering them to SVG with react-dom/server.
export default defineConfig({
  plugins: [react()],
  test: { include: ['test/**/*.test.{ts,tsx}'], environment: 'node' },
});
