import { defineConfig } from 'vitest/config';

// End-to-end tests start the whole stack (anvil, contracts, default history,
// indexer, server) and drive a real browser: long timeouts, one file at a time,
// tests inside a file in order (they share one stack and one browser).
export default defineConfig({
  test: {
    include: ['stack/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    reporters: ['default'],
  },
});
