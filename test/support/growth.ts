/**
 * Complexity checks without a time budget: a test states that some work grows linearly with its
 * input by timing it (CPU time) on an input of size n and on one `factor` times larger, and comparing
 * the two. How fast the machine is, or how busy, cancels out of the ratio; no test asserts a duration.
 * (`npm run bench` prints the durations themselves.)
 *
 * Why 4n and not 2n: at 2n a quadratic algorithm is only twice as slow as a linear one, which leaves
 * no room for noise; at 4n linear work takes about 4 times as long and quadratic work 16 times, and a
 * limit of 10 tolerates a large run 2.5 times slower than its share.
 */
import { expect } from 'vitest';

/**
 * CPU time of `reps` calls of `fn`, in milliseconds: the process's own user and system time, which
 * other processes competing for the CPU do not inflate as they do wall time. (Vitest's default
 * `forks` pool runs one test file at a time in a process; V8's collector threads count, and their
 * work is the test's too. Under the `threads` pool other files' work would count.)
 */
function time(fn: () => unknown, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * How many times longer `work` takes on `make(n * factor)` than on `make(n)`. Inputs are made before
 * timing; each size is run once to warm up, then `rounds` times, the sizes taking turns, and the
 * fastest run of each counts (a busy machine only ever makes a run slower; five rounds). Work too quick to time
 * on the small input is repeated, as often for both sizes.
 */
function growth<T>(make: (n: number) => T, work: (input: T) => unknown, n: number, { factor = 4, rounds = 5 } = {}): number {
  const small = make(n);
  const large = make(n * factor);
  work(small);
  work(large);
  let reps = 1;
  while (reps < 1 << 20 && time(() => work(small), reps) < 20) reps *= 2;
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let round = 0; round < rounds; round++) {
    bestSmall = Math.min(bestSmall, time(() => work(small), reps));
    bestLarge = Math.min(bestLarge, time(() => work(large), reps));
  }
  return bestLarge / Math.max(bestSmall, 1e-3);
}

/**
 * Requires `work` to grow about linearly (n log n passes): on an input 4 times larger it may take up
 * to 10 times as long (quadratic work takes 16 times as long).
 */
export function expectLinear<T>(make: (n: number) => T, work: (input: T) => unknown, n: number): void {
  const factor = 4;
  const ratio = growth(make, work, n, { factor });
  expect(ratio, `${factor}x the input took ${ratio.toFixed(2)}x as long`).toBeLessThan(factor * 2.5);
}
