import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/corpus/**', 'node_modules/**'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 30_000,
  },
});
