/**
 * A clear error instead of V8's crash when the heap runs out (report B17). What a run keeps grows
 * with its files (findings, facts: a few KB per file); a file itself is linted in bounded parts
 * (src/run/lint-chunks.ts). After each file the heap is looked at; near its limit, garbage is collected
 * once, and if the heap is still near the limit the run stops with one line saying what to do, rather
 * than a V8 "JavaScript heap out of memory" abort with its trace a few files later.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export class OutOfMemoryError extends Error {}

/** The share of the heap limit above which the run stops (after a full collection). */
export const HEAP_FRACTION = 0.85;

let collect: (() => void) | null | undefined;

/** V8's full garbage collection, made available on first use (only ever near the heap limit). */
function collector(): (() => void) | undefined {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose_gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect ?? undefined;
}

export interface HeapNumbers {
  used_heap_size: number;
  heap_size_limit: number;
}

const MB = 1024 * 1024;

function advice(limitMb: number): string {
  return `give Node more memory (NODE_OPTIONS=--max-old-space-size=${Math.max(1024, limitMb * 2)})`;
}

/**
 * Throws OutOfMemoryError when the heap stays near its limit after `files` files, or (a string)
 * while linting the file named so: `where` says which.
 */
export function checkHeap(where: number | string, stats: () => HeapNumbers = () => v8.getHeapStatistics()): void {
  let s = stats();
  if (s.used_heap_size < s.heap_size_limit * HEAP_FRACTION) return;
  collector()?.();
  s = stats();
  if (s.used_heap_size < s.heap_size_limit * HEAP_FRACTION) return;
  const limit = Math.round(s.heap_size_limit / MB);
  const at = typeof where === 'number' ? `after ${where} file${where === 1 ? '' : 's'}` : `while linting ${where}`;
  throw new OutOfMemoryError(`out of memory ${at} (the heap limit is ${limit} MB): lint fewer files at once, or ${advice(limit)}`);
}

/** How many findings a file may add between two looks at the heap (checkFindings). */
export const FINDINGS_BETWEEN_CHECKS = 4096;

/** Looks at the heap every FINDINGS_BETWEEN_CHECKS findings a file adds (`count` findings so far). */
export function checkFindings(count: number, file: string, stats?: () => HeapNumbers): void {
  if (count > 0 && count % FINDINGS_BETWEEN_CHECKS === 0) checkHeap(file, stats);
}

/**
 * How many bytes of heap writing a report of `size` characters takes: the formatted text (one byte
 * a character for the ASCII most of it is, two otherwise), the pieces it is built from, and the
 * UTF-8 copy written out.
 */
export const REPORT_HEAP_FACTOR = 2;

/**
 * Throws OutOfMemoryError when a report estimated at `size` characters cannot be built in the heap
 * that is left (after a full collection), instead of V8's abort half-way through building it.
 */
export function checkReportFits(size: number, format: string, findings: number, stats: () => HeapNumbers = () => v8.getHeapStatistics()): void {
  const needed = size * REPORT_HEAP_FACTOR;
  let s = stats();
  const room = () => s.heap_size_limit * HEAP_FRACTION - s.used_heap_size;
  if (needed < room()) return;
  collector()?.();
  s = stats();
  if (needed < room()) return;
  throw reportTooLarge(size, format, findings, s.heap_size_limit);
}

/** The error for a report that cannot be held or written. */
export function reportTooLarge(size: number, format: string, findings: number, limit: number = v8.getHeapStatistics().heap_size_limit): OutOfMemoryError {
  const limitMb = Math.round(limit / MB);
  const about = size > 0 ? `, about ${Math.max(1, Math.round(size / MB))} MB` : '';
  return new OutOfMemoryError(
    `out of memory writing the ${format} report of ${findings} finding${findings === 1 ? '' : 's'}${about} (the heap limit is ${limitMb} MB): report fewer findings (--quiet, --rule <id>=off, fewer paths), or ${advice(limitMb)}`,
  );
}
