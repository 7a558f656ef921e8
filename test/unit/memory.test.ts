/**
 * B17 (issue 14): near the heap limit, a clear error instead of V8's abort (src/memory.ts). The real
 * limit is tested end to end in large-files.test.ts (a 9.5 MB file within 256 MB); here the decision,
 * with the heap's numbers given.
 */
import { describe, expect, it } from 'vitest';
import {
  checkFindings,
  checkHeap,
  checkParseFits,
  checkReportFits,
  FINDINGS_BETWEEN_CHECKS,
  HEAP_FRACTION,
  HEAP_FRACTION_AFTER_COLLECTION,
  OutOfMemoryError,
  PARSE_BYTES_PER_TOKEN,
  REPORT_HEAP_FACTOR,
  usableHeap,
  YOUNG_GENERATION_RESERVE,
} from '../../src/memory.js';

const MB = 1024 * 1024;
/** V8's heap_size_limit under `--max-old-space-size=256`: the old generation's 256 MB and the young generation's reserve. */
const LIMIT = 256 * MB + YOUNG_GENERATION_RESERVE;

describe('usableHeap', () => {
  it("is the old generation's limit: heap_size_limit less the young generation's reserve (at most a quarter)", () => {
    expect(usableHeap({ used_heap_size: 0, heap_size_limit: LIMIT })).toBe(256 * MB);
    expect(usableHeap({ used_heap_size: 0, heap_size_limit: 208 * MB })).toBe(160 * MB);
    expect(usableHeap({ used_heap_size: 0, heap_size_limit: 100 * MB })).toBe(75 * MB);
  });
  it('makes checkHeap fire below the old generation limit: 85% of heap_size_limit is above it for small heaps', () => {
    // --max-old-space-size=160: heap_size_limit 208 MB; V8 aborts when the old generation nears 160 MB.
    expect(208 * MB * HEAP_FRACTION).toBeGreaterThan(160 * MB);
    expect(() => checkHeap('f.yaml', () => ({ used_heap_size: 150 * MB, heap_size_limit: 208 * MB }))).toThrow(OutOfMemoryError);
  });
});

describe('checkHeap', () => {
  it('does nothing below the limit', () => {
    expect(() => checkHeap(3, () => ({ used_heap_size: 100 * MB, heap_size_limit: LIMIT }))).not.toThrow();
  });

  it('collects garbage once near the limit, and goes on when that frees enough', () => {
    const seen = [250 * MB, 90 * MB];
    let calls = 0;
    expect(() => checkHeap(3, () => ({ used_heap_size: seen[calls++]!, heap_size_limit: LIMIT }))).not.toThrow();
    expect(calls).toBe(2);
  });

  it('stops when a collection leaves the heap just under the collecting threshold (not collecting at every later look)', () => {
    const usable = usableHeap({ used_heap_size: 0, heap_size_limit: LIMIT });
    const seen = [Math.ceil(usable * HEAP_FRACTION), Math.floor(usable * (HEAP_FRACTION + HEAP_FRACTION_AFTER_COLLECTION) / 2)];
    let calls = 0;
    expect(() => checkHeap(3, () => ({ used_heap_size: seen[calls++]!, heap_size_limit: LIMIT }))).toThrow(OutOfMemoryError);
    const freed = [Math.ceil(usable * HEAP_FRACTION), Math.floor(usable * HEAP_FRACTION_AFTER_COLLECTION) - 1];
    calls = 0;
    expect(() => checkHeap(3, () => ({ used_heap_size: freed[calls++]!, heap_size_limit: LIMIT }))).not.toThrow();
  });

  it('stops with one clear line when the heap stays near the limit', () => {
    const full = () => ({ used_heap_size: Math.ceil(256 * MB * HEAP_FRACTION), heap_size_limit: LIMIT });
    expect(() => checkHeap(1234, full)).toThrow(OutOfMemoryError);
    expect(() => checkHeap(1234, full)).toThrow(
      'out of memory after 1234 files (the heap limit is 256 MB): lint fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=1024)',
    );
  });
});

describe('while one file is linted', () => {
  const full = () => ({ used_heap_size: 256 * MB, heap_size_limit: LIMIT });
  it('names the file', () => {
    expect(() => checkHeap('big.yaml', full)).toThrow(
      'out of memory while linting big.yaml (the heap limit is 256 MB): lint fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=1024)',
    );
  });
  it('looks at the heap every FINDINGS_BETWEEN_CHECKS findings only', () => {
    let looks = 0;
    const stats = () => {
      looks++;
      return { used_heap_size: 1 * MB, heap_size_limit: LIMIT };
    };
    for (let n = 1; n <= FINDINGS_BETWEEN_CHECKS * 3; n++) checkFindings(n, 'f.yaml', stats);
    expect(looks).toBe(3);
    expect(() => checkFindings(FINDINGS_BETWEEN_CHECKS, 'f.yaml', full)).toThrow(OutOfMemoryError);
  });
});

describe('checkReportFits', () => {
  it('lets a report through when the heap left holds it', () => {
    expect(() => checkReportFits(10 * MB, 'json', 1000, () => ({ used_heap_size: 50 * MB, heap_size_limit: LIMIT }))).not.toThrow();
  });
  it('refuses, in one line naming the format, the findings and the size, a report the heap left cannot hold', () => {
    const room = 256 * MB * HEAP_FRACTION - 100 * MB;
    const size = Math.ceil(room / REPORT_HEAP_FACTOR) + MB;
    expect(() => checkReportFits(size, 'sarif', 200_000, () => ({ used_heap_size: 100 * MB, heap_size_limit: LIMIT }))).toThrow(
      /^out of memory writing the sarif report of 200000 findings, about \d+ MB \(the heap limit is 256 MB\): report fewer findings \(--quiet, --rule <id>=off, fewer paths\), or give Node more memory \(NODE_OPTIONS=--max-old-space-size=1024\)$/,
    );
  });
});

describe('checkParseFits', () => {
  const stats = (used: number) => () => ({ used_heap_size: used, heap_size_limit: LIMIT });
  it('lets a text through without counting its tokens when even one token a character fits', () => {
    let counted = 0;
    checkParseFits(100_000, () => ++counted, 'small.yaml', stats(50 * MB));
    expect(counted).toBe(0);
  });
  it('counts the tokens of a larger text, and lets it through when they fit (a big block scalar is few tokens)', () => {
    let counted = 0;
    checkParseFits(8 * MB, () => (++counted, 40), 'block.yaml', stats(50 * MB));
    expect(counted).toBe(1);
  });
  it('refuses, in one line naming the file, the size and the heap, a parse the heap left cannot hold', () => {
    const tokens = Math.ceil((256 * MB * HEAP_FRACTION - 50 * MB) / PARSE_BYTES_PER_TOKEN) + 1;
    expect(() => checkParseFits(6 * MB, () => tokens, 'big.yaml', stats(50 * MB))).toThrow(OutOfMemoryError);
    expect(() => checkParseFits(6 * MB, () => 1_600_000, 'big.yaml', stats(50 * MB))).toThrow(
      /^out of memory while linting big\.yaml: reading its 6 MB of YAML with positions needs about \d+ MB of heap, more than the \d+ MB left \(the heap limit is 256 MB\): split the document into smaller ones, or give Node more memory \(NODE_OPTIONS=--max-old-space-size=1024\)$/,
    );
  });
  it('advises enough memory for the parse when twice the limit is not', () => {
    expect(() => checkParseFits(10 * MB, () => 8_000_000, 'huge.yaml', stats(50 * MB))).toThrow(/--max-old-space-size=2048\)$/);
  });
});
