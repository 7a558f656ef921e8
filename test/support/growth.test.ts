/**
 * The complexity check itself (test/support/growth.ts): linear work passes, quadratic work fails,
 * including work that is only partly quadratic.
 */
import { describe, expect, it } from 'vitest';
import { expectLinear, FACTOR, growth, LIMIT } from './growth.js';

const numbers = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919) % 1009);

/** Linear: one pass. */
function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Quadratic: every pair (the shape of a lookup by scanning, per item). */
function pairs(values: number[]): number {
  let equal = 0;
  for (let i = 0; i < values.length; i++) for (let j = 0; j < i; j++) if (values[i] === values[j]) equal++;
  return equal;
}

describe('expectLinear', () => {
  it('passes linear work', () => {
    expectLinear(numbers, sum, 20_000);
  });

  it('passes n log n work (a sort)', () => {
    expectLinear(numbers, (values) => [...values].sort((a, b) => a - b), 5_000);
  });

  it('fails quadratic work', () => {
    expect(() => expectLinear(numbers, pairs, 300, { batchMs: 5 })).toThrow(`${FACTOR}x the input took`);
  });

  it('fails work whose quadratic part is half of the small run', () => {
    // At n = 300, 300 passes over the values cost about as much as the pairs (45,000 comparisons).
    const mixed = (values: number[]) => {
      let total = pairs(values);
      for (let k = 0; k < 150; k++) total += sum(values);
      return total;
    };
    const { ratio } = growth(numbers, mixed, 300, { batchMs: 5, attempts: 1 });
    expect(ratio).toBeGreaterThanOrEqual(LIMIT);
  });
});
