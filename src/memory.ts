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

/** The share of the heap limit above which garbage is collected (and the run may stop). */
export const HEAP_FRACTION = 0.85;

/**
 * The share the heap must fall below after that collection for the run to go on. Lower than
 * HEAP_FRACTION: a heap that stays just under it after each collection had every later look force
 * another full collection (90 ms each under a 160 MB limit), and V8 gave up on its own ("ineffective
 * mark-compacts near heap limit") before the run's one-line error: the abort B17 is about.
 */
export const HEAP_FRACTION_AFTER_COLLECTION = 0.8;

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

/**
 * What V8's heap_size_limit holds besides the old generation: the young generation's reserve (two
 * semi-spaces and a new large-object space of the same size, 16 MB each in Node 20 on 64 bits:
 * `--max-old-space-size=160` gives a heap_size_limit of 208 MB). Objects that survive go to the old
 * generation, and it is the old generation's limit (`--max-old-space-size`) that V8 runs out of:
 * measured against heap_size_limit itself, 85% of it is above that limit for any heap under about
 * 320 MB, and the checks below would never fire before V8's abort. (A smaller young generation makes
 * the checks a little early, never late; at most a quarter of the limit is taken off.)
 */
export const YOUNG_GENERATION_RESERVE = 48 * MB;

/** The heap the old generation may fill: V8's heap_size_limit less the young generation's reserve. */
export function usableHeap(s: HeapNumbers): number {
  return s.heap_size_limit - Math.min(YOUNG_GENERATION_RESERVE, s.heap_size_limit / 4);
}

function advice(limitMb: number, neededMb = 0): string {
  const size = Math.max(1024, limitMb * 2, Math.ceil(neededMb / 512) * 512);
  return `give Node more memory (NODE_OPTIONS=--max-old-space-size=${size})`;
}

/**
 * Throws OutOfMemoryError when the heap stays near its limit after `files` files, or (a string)
 * while linting the file named so: `where` says which.
 */
export function checkHeap(where: number | string, stats: () => HeapNumbers = () => v8.getHeapStatistics()): void {
  let s = stats();
  if (s.used_heap_size < usableHeap(s) * HEAP_FRACTION) return;
  collector()?.();
  s = stats();
  if (s.used_heap_size < usableHeap(s) * HEAP_FRACTION_AFTER_COLLECTION) return;
  const limit = Math.round(usableHeap(s) / MB);
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
  const room = () => usableHeap(s) * HEAP_FRACTION - s.used_heap_size;
  if (needed < room()) return;
  collector()?.();
  s = stats();
  if (needed < room()) return;
  throw reportTooLarge(size, format, findings, usableHeap(s));
}

/** The error for a report that cannot be held or written. */
export function reportTooLarge(size: number, format: string, findings: number, limit: number = usableHeap(v8.getHeapStatistics())): OutOfMemoryError {
  const limitMb = Math.round(limit / MB);
  const about = size > 0 ? `, about ${Math.max(1, Math.round(size / MB))} MB` : '';
  return new OutOfMemoryError(
    `out of memory writing the ${format} report of ${findings} finding${findings === 1 ? '' : 's'}${about} (the heap limit is ${limitMb} MB): report fewer findings (--quiet, --rule <id>=off, fewer paths), or ${advice(limitMb)}`,
  );
}

/**
 * Heap bytes parsing YAML with positions (the `yaml` library: tokens, syntax tree, nodes with ranges)
 * takes per token of its lexer, at the peak: measured 140–185 on documents of 100,000–200,000 lines
 * (block mappings, flow mappings in sequences, nested pod specs), with a margin. A token is at least
 * one character, so `text.length` times this bounds the cost without lexing; the lines of a block
 * scalar (`|`, `>`) are one token, and cost next to nothing.
 */
export const PARSE_BYTES_PER_TOKEN = 200;

/**
 * Throws OutOfMemoryError, naming the file, when parsing `size` characters of YAML with positions
 * (about `tokens()` lexer tokens) cannot fit in the heap that is left (after a full collection),
 * instead of V8's abort in the middle of the parse (a huge single document cannot be cut into
 * parts). `tokens` is only counted when the cheap bound (`size` tokens) does not fit.
 */
export function checkParseFits(size: number, tokens: () => number, file: string, stats: () => HeapNumbers = () => v8.getHeapStatistics()): void {
  let s = stats();
  const room = () => usableHeap(s) * HEAP_FRACTION - s.used_heap_size;
  // The text is copied (line breaks normalised) next to the tree.
  const cost = (count: number) => count * PARSE_BYTES_PER_TOKEN + 2 * size;
  if (cost(size) < room()) return;
  const needed = cost(tokens());
  if (needed < room()) return;
  collector()?.();
  s = stats();
  if (needed < room()) return;
  const limit = Math.round(usableHeap(s) / MB);
  const mb = (bytes: number) => Math.max(1, Math.round(bytes / MB));
  throw new OutOfMemoryError(
    `out of memory while linting ${file}: reading its ${mb(size)} MB of YAML with positions needs about ${mb(needed)} MB of heap, more than the ${mb(Math.max(0, room()))} MB left (the heap limit is ${limit} MB): split the document into smaller ones, or ${advice(limit, (needed + s.used_heap_size) / MB / HEAP_FRACTION)}`,
  );
}
