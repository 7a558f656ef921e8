import { defineConfig } from 'vitest/config';

/** Suites that read ../shared/corpus; run from .ci/run. They skip with a message when it is absent. */
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
