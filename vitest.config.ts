import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Compiled copies under dist/ would otherwise run twice (vitest 4 collects them too).
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
