/**
 * Complexity checks without a time budget: a test states that some work grows linearly with its
 * input by timing it (CPU time) on an input of size n and on one `FACTOR` times larger, and comparing
 * the two. How fast the machine is, or how busy, cancels out of the ratio; no test asserts a duration.
 * (`npm run bench` prints the durations themselves.)
 *
 * The ratio is not exactly the factor even for linear work: a larger input's maps and strings
 * outgrow the CPU caches and the young generation, so each item costs more; on a loaded machine other
 * processes evict the large run's data from the shared cache, and every context switch costs it more
 * than the small run. Measured on a two-core machine at load 10, linear work that took 4-6 times as
 * long on 4n took up to 12 times as long, over the old limit of 10 (a quadratic takes 16 times: no
 * room left between the two). Hence:
 * - n against 8n, limit 24: linear work takes about 8 times as long, quadratic work 64 times (the
 *   checks here measured 4-16 at load 10-15, two copies of them running at once: below 8 where
 *   the small input is partly fixed costs, above where the large one misses the caches more; the
 *   quadratic work of growth.test.ts measured 60-63). The limit tolerates the large run being 3
 *   times slower than its share, and a quadratic would have to be measured 2.7 times faster than it
 *   is to pass. Work that is partly quadratic fails once the quadratic part is more than 30% of the
 *   small run (at 4n, limit 10: more than 50%). test/support/growth.test.ts feeds the helper
 *   quadratic work, and half-quadratic work, and checks that both fail.
 * - Collected garbage before every timed batch (`gc`, exposed at run time): each batch pays for its
 *   own garbage only, not for the previous batch's or for making the inputs.
 * - The fastest of the rounds counts, the sizes taking turns (a busy machine only ever makes a run
 *   slower), after a warm-up of each size (compiled code, not the interpreter's, is timed).
 * - A ratio over the limit but under twice the limit is measured again (more rounds, each size keeping
 *   its fastest run), up to three times: a burst of load that slowed every large run of one
 *   measurement passes, while quadratic work fails each time (more rounds only bring each size closer
 *   to its true time, and its true ratio is 64; one that measures twice the limit is not retried).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';

/** How much larger the large input is. */
export const FACTOR = 8;
/** The largest ratio accepted as linear (3 times the factor; quadratic work: 64). */
export const LIMIT = 3 * FACTOR;

/** V8's full garbage collection, exposed without a command-line flag (the flag may be set at run time; a new context then has `gc`). */
const collect: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * CPU time of `reps` calls of `fn`, in milliseconds, after a full collection: the process's own user
 * and system time, which other processes competing for the CPU do not inflate as they do wall time.
 * (Vitest's `forks` pool runs test files in their own processes; V8's collector threads count, and
 * their work is the test's too. Under the `threads` pool other files' work would count.)
 */
function time(fn: () => unknown, reps: number): number {
  collect();
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export interface Growth {
  /** Fastest time of the large input over the fastest time of the small one. */
  ratio: number;
  /** Measurements made (more than one when the first was over the limit). */
  attempts: number;
}

/**
 * How many times longer `work` takes on `make(n * factor)` than on `make(n)`. Inputs are made before
 * timing; each size is run twice to warm up, then `rounds` times, the sizes taking turns, and the
 * fastest run of each counts. Work too quick to time on the small input is repeated (until the small
 * input takes `batchMs`), as often for both sizes. While the ratio is at least `limit` but under twice
 * that, `rounds` more rounds are run, each size keeping its fastest run, up to `attempts` measurements.
 */
export function growth<T>(
  make: (n: number) => T,
  work: (input: T) => unknown,
  n: number,
  { factor = FACTOR, limit = LIMIT, rounds = 5, attempts = 4, batchMs = 20 } = {},
): Growth {
  const small = make(n);
  const large = make(n * factor);
  for (let i = 0; i < 2; i++) {
    work(small);
    work(large);
  }
  let reps = 1;
  while (reps < 1 << 20 && Math.min(time(() => work(small), reps), time(() => work(small), reps)) < batchMs) reps *= 2;
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  let ratio = Infinity;
  let attempt = 0;
  while (attempt < attempts && (attempt === 0 || (ratio >= limit && ratio < 2 * limit))) {
    for (let round = 0; round < rounds; round++) {
      bestSmall = Math.min(bestSmall, time(() => work(small), reps));
      bestLarge = Math.min(bestLarge, time(() => work(large), reps));
    }
    ratio = bestLarge / Math.max(bestSmall, 1e-3);
    attempt++;
  }
  return { ratio, attempts: attempt };
}

/**
 * Requires `work` to grow about linearly (n log n passes): on an input 8 times larger it may take up
 * to 24 times as long (quadratic work takes 64 times as long). Choose n so that the small input
 * takes a measurable time by itself (its fixed costs do not dominate) and 8n stays quick to make.
 */
export function expectLinear<T>(make: (n: number) => T, work: (input: T) => unknown, n: number, options: { batchMs?: number } = {}): void {
  const { ratio, attempts } = growth(make, work, n, options);
  expect(ratio, `${FACTOR}x the input took ${ratio.toFixed(2)}x as long (${attempts} measurements)`).toBeLessThan(LIMIT);
}
