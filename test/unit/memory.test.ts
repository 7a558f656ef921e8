/**
 * B17 (issue 14): near the heap limit, a clear error instead of V8's abort (src/memory.ts). The real
 * limit is tested end to end in large-files.test.ts (a 9.5 MB file within 256 MB); here the decision,
 * with the heap's numbers given.
 */
import { describe, expect, it } from 'vitest';
import { checkFindings, checkHeap, checkReportFits, FINDINGS_BETWEEN_CHECKS, HEAP_FRACTION, OutOfMemoryError, REPORT_HEAP_FACTOR } from '../../src/memory.js';

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

describe('while one file is linted', () => {
  const full = () => ({ used_heap_size: 256 * MB, heap_size_limit: 256 * MB });
  it('names the file', () => {
    expect(() => checkHeap('big.yaml', full)).toThrow(
      'out of memory while linting big.yaml (the heap limit is 256 MB): lint fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=1024)',
    );
  });
  it('looks at the heap every FINDINGS_BETWEEN_CHECKS findings only', () => {
    let looks = 0;
    const stats = () => {
      looks++;
      return { used_heap_size: 1 * MB, heap_size_limit: 256 * MB };
    };
    for (let n = 1; n <= FINDINGS_BETWEEN_CHECKS * 3; n++) checkFindings(n, 'f.yaml', stats);
    expect(looks).toBe(3);
    expect(() => checkFindings(FINDINGS_BETWEEN_CHECKS, 'f.yaml', full)).toThrow(OutOfMemoryError);
  });
});

describe('checkReportFits', () => {
  it('lets a report through when the heap left holds it', () => {
    expect(() => checkReportFits(10 * MB, 'json', 1000, () => ({ used_heap_size: 50 * MB, heap_size_limit: 256 * MB }))).not.toThrow();
  });
  it('refuses, in one line naming the format, the findings and the size, a report the heap left cannot hold', () => {
    const room = 256 * MB * HEAP_FRACTION - 100 * MB;
    const size = Math.ceil(room / REPORT_HEAP_FACTOR) + MB;
    expect(() => checkReportFits(size, 'sarif', 200_000, () => ({ used_heap_size: 100 * MB, heap_size_limit: 256 * MB }))).toThrow(
      /^out of memory writing the sarif report of 200000 findings, about \d+ MB \(the heap limit is 256 MB\): report fewer findings \(--quiet, --rule <id>=off, fewer paths\), or give Node more memory \(NODE_OPTIONS=--max-old-space-size=1024\)$/,
    );
  });
});
