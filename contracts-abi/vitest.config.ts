import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts its own anvil; the history file runs two default histories.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machine is small: at most two files (two anvils) at once.
    maxWorkers: 2,
  },
});
