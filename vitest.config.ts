import { defineConfig } from 'vitest/config';

/**
 * Projects split by speed (the corpus suites have their own config, vitest.corpus.config.ts):
 * - `fast` and `fast-isolated` (`npm test`): unit and rule tests, in process; they do not build the
 *   bundle. `fast` shares loaded modules between its files (no isolation: about half the time of
 *   loading src/ and rules/ again for each file); a file that replaces a module with `vi.mock`
 *   needs a fresh module graph and belongs to `fast-isolated`.
 * - `slow` (`npm run test:slow`; `npm run test:all` runs all three): behaviour suites over big
 *   generated inputs and end-to-end suites that run the built CLI, Action and package; it builds
 *   dist/ first.
 * A test file belongs to `fast` unless it is listed below. List a new file in SLOW when it spawns the
 * built bin (bin/, dist/, action/) or takes seconds, in ISOLATED when it uses `vi.mock`.
 */
const SLOW = [
  // End to end (test/e2e/): the built bundle as a command, an Action, a package, a pre-commit hook,
  // a language server with real clients (the protocol's client library and Neovim), and the release.
  'test/e2e/**',
  // Behaviour: hostile input and file systems, generated manifests, secrets that must not leak,
  // memory kept across files.
  // Cross-file behaviour through the built CLI (fast path, exact path, two threads).
  'test/behaviour/cross-resource.test.ts',
  'test/behaviour/patches.test.ts',
  'test/behaviour/token-and-injection-cross.test.ts',
  'test/behaviour/credential-leaks.test.ts',
  'test/behaviour/hostile-fs.test.ts',
  'test/behaviour/hostile-input.test.ts',
  'test/behaviour/leaks.test.ts',
  'test/behaviour/limits.test.ts',
  'test/behaviour/property.test.ts',
  'test/behaviour/retention.test.ts',
  // A 9.5 MB file under a 256 MB heap, and large files linted in parts against whole.
  'test/behaviour/large-files.test.ts',
  // Differential against kubectl's own reading (spawns kubectl; skipped with a message without it).
  'test/behaviour/kubectl-differential.test.ts',
  // Complexity: every cross-check timed at n and 8n (test/support/growth.ts, minutes of CPU under
  // load), and the growth helper itself against deliberately quadratic work. Each file runs with a
  // fresh module graph and heap, which keeps garbage from other files out of the measurements.
  'test/behaviour/cross-check-growth.test.ts',
  'test/behaviour/within-file-growth.test.ts',
  'test/support/growth.test.ts',
];

/** Fast files that mock modules (`vi.mock`): each runs with its own module graph. */
const ISOLATED = ['test/unit/run/exact-switch.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/corpus/**', 'node_modules/**', ...SLOW, ...ISOLATED],
          isolate: false,
          // Hang guards, not speed limits: a test here takes well under a second.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'fast-isolated',
          include: ISOLATED,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW,
          globalSetup: ['test/support/build.ts'],
          // Hang guards, not speed limits, generous for a busy 2-CPU machine.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
