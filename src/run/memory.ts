/**
 * A clear error instead of V8's crash when the heap runs out (report B17). What a run keeps grows
 * with its files (findings, facts: a few KB per file); a file itself is linted in bounded parts
 * (src/run/lint-chunks.ts). After each file the heap is looked at; near its limit, garbage is collected
 * once, and if the heap is still near the limit the run stops with one line saying what to do, rather
 * than a V8 "JavaScript heap out of memory" abort with its trace a few files later.
 *
 * Room run: must not import format, app.
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

/** Throws OutOfMemoryError when the heap stays near its limit after `files` files. */
export function checkHeap(files: number, stats: () => HeapNumbers = () => v8.getHeapStatistics()): void {
  let s = stats();
  if (s.used_heap_size < s.heap_size_limit * HEAP_FRACTION) return;
  collector()?.();
  s = stats();
  if (s.used_heap_size < s.heap_size_limit * HEAP_FRACTION) return;
  const limit = Math.round(s.heap_size_limit / (1024 * 1024));
  throw new OutOfMemoryError(
    `out of memory after ${files} file${files === 1 ? '' : 's'} (the heap limit is ${limit} MB): lint fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=${Math.max(1024, limit * 2)})`,
  );
}
