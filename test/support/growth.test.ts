/**
 * The complexity check itself (test/support/growth.ts): linear work passes, quadratic work fails,
 * including work that is partly linear.
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

  it('fails work whose quadratic part is most of the small run', () => {
    // At n = 300 the pairs are 45,000 comparisons and 50 passes over the values 15,000 additions:
    // about (8 + 64 x 3) / 4 = 50 times the work at 8n. (With the two halves equal, 36 in theory,
    // a loaded machine measured 20: too close to the limit of 24 to fail every time.)
    const mixed = (values: number[]) => {
      let total = pairs(values);
      for (let k = 0; k < 50; k++) total += sum(values);
      return total;
    };
    const { ratio } = growth(numbers, mixed, 300, { batchMs: 5, attempts: 1 });
    expect(ratio).toBeGreaterThanOrEqual(LIMIT);
  });
});
