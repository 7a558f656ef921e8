/**
 * B17 (issue 14): near the heap limit, a clear error instead of V8's abort (src/run/memory.ts). The real
 * limit is tested end to end in large-files.test.ts (a 9.5 MB file within 256 MB); here the decision,
 * with the heap's numbers given.
 */
import { describe, expect, it } from 'vitest';
import { checkHeap, HEAP_FRACTION, OutOfMemoryError } from '../../../src/run/memory.js';

const MB = 1024 * 1024;

describe('checkHeap', () => {
  it('does nothing below the limit', () => {
    expect(() => checkHeap(3, () => ({ used_heap_size: 100 * MB, heap_size_limit: 256 * MB }))).not.toThrow();
  });

  it('collects garbage once near the limit, and goes on when that frees enough', () => {
    const seen = [250 * MB, 90 * MB];
    let calls = 0;
    expect(() => checkHeap(3, () => ({ used_heap_size: seen[calls++]!, heap_size_limit: 256 * MB }))).not.toThrow();
    expect(calls).toBe(2);
  });

  it('stops with one clear line when the heap stays near the limit', () => {
    const full = () => ({ used_heap_size: Math.ceil(256 * MB * HEAP_FRACTION), heap_size_limit: 256 * MB });
    expect(() => checkHeap(1234, full)).toThrow(OutOfMemoryError);
    expect(() => checkHeap(1234, full)).toThrow(
      'out of memory after 1234 files (the heap limit is 256 MB): lint fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=1024)',
    );
  });
});
