/**
 * Lints a set of inputs: each file on its own (parse, lint, drop), then the rules' cross-resource
 * checks over the small facts they deferred, and a second, exact pass only for the files those
 * checks report in.
 *
 * Room run: must not import format, app, rules/.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { lintLate, type FileFact, type LateReport } from './engine.js';
import { lintOptionsCopy, SYNTAX_RULES, type LintOptions } from '../config/lint-options.js';
import { lintRuns, lintTextInParts, type DocumentRun } from './lint-chunks.js';
import { checkHeap } from '../memory.js';
import { LineIndex } from '../yaml/locate.js';
import { MAX_INPUT_SIZE, normalizeText, tooLargeMessage } from '../yaml/parse.js';
import { documentStarts, hasUnicodeBreaks } from '../yaml/kube-stream.js';
import { directiveBeforeDocumentStart } from './suppress.js';
import { forgetLastScalar } from '../yaml/kube-scalars.js';
import { forgetMessageValues, type DeferredFact } from '../rule.js';
import { mainOverrides, objectKey, SERVICE_MAIN_FACTS, type ServiceMainFact } from '../model/service-main.js';
import { fileTypeName } from '../input/read-fixed.js';
import { addStats, emptyStats, type Finding, type FileResult, type LintStats, type Path } from '../types.js';

export interface LintInput {
  /** The name shown in output. */
  display: string;
  /** Absolute path to read, when the input is a file. */
  absolute?: string;
  /** The text, when it does not come from a file (standard input). */
  text?: string;
  /**
   * The raw bytes, when the input does not come from a file (standard input): decoded and checked
   * like a file's (byte order marks, invalid UTF-8, the size limit).
   */
  bytes?: Uint8Array;
}

export interface LintRunResult {
  findings: Finding[];
  stats: LintStats;
  /** One line per input that could not be read. */
  problems: string[];
  /** The main containers Services decided (see service-main.ts), for linting a file again alone (--fix). */
  mainOverrides?: ReadonlyMap<string, string>;
}

/** Decodes a file's bytes: UTF-8, or UTF-16 when it starts with a UTF-16 byte order mark. */
export function decode(bytes: Uint8Array): string {
  return new TextDecoder(encodingOf(bytes)).decode(bytes);
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function encodingOf(bytes: Uint8Array): Encoding {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** One strict decoder per encoding, kept between files (a decoder keeps no state between whole decodes). */
const strictDecoders = new Map<Encoding, TextDecoder>();

function strictDecoder(encoding: Encoding): TextDecoder {
  let decoder = strictDecoders.get(encoding);
  if (!decoder) strictDecoders.set(encoding, (decoder = new TextDecoder(encoding, { fatal: true })));
  return decoder;
}

/** The byte offset of the first malformed UTF-8 sequence (the bytes are known to be invalid). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= bytes.length) return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** A file-level problem found while decoding, at an offset of the decoded text. */
export interface DecodeProblem {
  offset: number;
  message: string;
}

/**
 * Decodes like `decode()`, and says where the bytes are not valid text in their encoding (the text
 * then holds U+FFFD there). Kubernetes rejects such files, so they are reported, not linted.
 */
export function decodeChecked(bytes: Uint8Array): { text: string; problem?: DecodeProblem } {
  const encoding = encodingOf(bytes);
  try {
    return { text: strictDecoder(encoding).decode(bytes) };
  } catch {
    // not valid: find where, below
  }
  const text = new TextDecoder(encoding).decode(bytes);
  if (encoding === 'utf-8') {
    const at = firstInvalidUtf8(bytes);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return {
      text,
      problem: {
        offset: new TextDecoder('utf-8').decode(bytes.subarray(bom, at)).length,
        message: 'The file is not valid UTF-8 (an invalid byte sequence starts here). It was not linted; save it as UTF-8.',
      },
    };
  }
  // UTF-16: an unpaired surrogate, or an odd number of bytes. The decoder's replacements keep one
  // UTF-16 unit per unit read, so the first U+FFFD not in the source is where it goes wrong.
  const units = Math.floor((bytes.length - 2) / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = units;
  for (let u = 0; u < units; u++) {
    const unit = view.getUint16(2 + 2 * u, encoding === 'utf-16le');
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = u + 1 < units ? view.getUint16(2 + 2 * (u + 1), encoding === 'utf-16le') : -1;
      if (next >= 0xdc00 && next <= 0xdfff) {
        u++;
        continue;
      }
      offset = u;
      break;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      offset = u;
      break;
    }
  }
  const name = encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
  return {
    text,
    problem: {
      offset: Math.min(offset, text.length),
      message: `The file is not valid ${name} (its byte order mark says ${name}; ${
        offset < units ? 'an unpaired surrogate is here' : 'it ends in the middle of a character'
      }). It was not linted; save it as UTF-8.`,
    },
  };
}

/** What reading an input gave: its text, a problem with the file itself (reported as a finding), or why it could not be read at all. */
type Loaded = { text: string } | { problem: string } | { invalid: Invalid };

interface Invalid {
  /** The text as far as it could be decoded (for the position). */
  text: string;
  offset: number;
  message: string;
  tooLarge?: boolean;
}

function tooLarge(size: number, atLeast = false): Loaded {
  const message = tooLargeMessage(size, 'bytes');
  return { invalid: { text: '', offset: 0, message: atLeast ? message.replace('to lint: ', 'to lint: over ') : message, tooLarge: true } };
}

const ERRNO_MESSAGES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links (a link loop?)',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'file name too long',
};

function cannotRead(display: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
  const why = ERRNO_MESSAGES[code];
  return `${display}: cannot be read (${why ? `${why}, ${code}` : code})`;
}


/**
 * Reads a file without ever blocking on it and without reading more than MAX_INPUT_SIZE bytes: it is
 * opened non-blocking (opening a FIFO with no writer would otherwise wait forever), checked to be a
 * regular file on the open descriptor (no race with a rename), and read in chunks up to the limit
 * (a file's size may be wrong, as in /proc, or grow while it is read).
 *
 * The descriptor is asked what it is only when the read is not plainly a regular file's: nothing
 * read (a FIFO without a writer, a device that reads as empty), a failed read (a directory, a FIFO
 * with nothing to read yet) or a full buffer (a large file, a device that never ends). A regular
 * file that fits the buffer kept between files (most inputs) is read in one call and the one that
 * says it ended: an `fstat` per file cost a sixth of reading the corpus.
 */
function loadFile(file: string, display: string): Loaded {
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    // A directory without read permission cannot even be opened: say that it is a directory.
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) return directoryProblem(file, display);
    return { problem: cannotRead(display, e) };
  }
  try {
    // Read into one buffer kept between files (decoding copies the text out of it): allocating a
    // buffer per file cost more than reading the file.
    let buffer: Buffer = scratch;
    let total = 0;
    let failed = false;
    let failure: unknown;
    try {
      while (total < buffer.length) {
        const n = readSync(fd, buffer, total, buffer.length - total, null);
        if (n === 0) break;
        total += n;
      }
    } catch (e) {
      failed = true;
      failure = e;
    }
    if (failed || total === 0 || total === buffer.length) {
      const info = fstatSync(fd);
      if (info.isDirectory()) return directoryProblem(file, display);
      if (!info.isFile()) return { problem: `${display}: is ${fileTypeName(info)}, not a regular file; to lint a stream, pipe it to standard input and pass -` };
      if (info.size > MAX_INPUT_SIZE) return tooLarge(info.size);
      if (failed) throw failure;
      if (total === buffer.length) {
        // A regular file larger than the buffer: read on, in a buffer of its size (growing if it grows).
        buffer = readBuffer(info.size + 1, total);
        for (;;) {
          if (total === buffer.length) {
            if (total > MAX_INPUT_SIZE) return tooLarge(MAX_INPUT_SIZE, true);
            buffer = readBuffer(Math.min(total * 2, MAX_INPUT_SIZE + 1), total);
          }
          const n = readSync(fd, buffer, total, buffer.length - total, null);
          if (n === 0) break;
          total += n;
        }
      }
    }
    if (total > MAX_INPUT_SIZE) return tooLarge(MAX_INPUT_SIZE, true);
    const decoded = decodeChecked(buffer.subarray(0, total));
    if (buffer.length > KEPT_BUFFER_SIZE) scratch = Buffer.allocUnsafeSlow(KEPT_BUFFER_SIZE);
    if (decoded.problem) return { invalid: { text: decoded.text, ...decoded.problem } };
    return { text: decoded.text };
  } catch (e) {
    return { problem: cannotRead(display, e) };
  } finally {
    closeSync(fd);
  }
}

/** The buffer files are read into, reused; one larger than this is dropped after the file. */
const KEPT_BUFFER_SIZE = 1024 * 1024;
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/** The read buffer with room for at least `size` bytes, keeping its first `keep` bytes. */
function readBuffer(size: number, keep = 0): Buffer {
  if (scratch.length < size) {
    const bigger = Buffer.allocUnsafeSlow(Math.max(size, Math.min(scratch.length * 2, MAX_INPUT_SIZE + 1)));
    scratch.copy(bigger, 0, 0, keep);
    scratch = bigger;
  }
  return scratch;
}

/** A directory given as a file (discovery passes on directories it could not walk, so that they are reported). */
function directoryProblem(file: string, display: string): Loaded {
  try {
    readdirSync(file);
  } catch (e) {
    return { problem: `${display}: directory ${cannotRead('', e).slice(2)}` };
  }
  return { problem: `${display}: is a directory` };
}

function load(input: LintInput): Loaded {
  if (input.text !== undefined) return { text: input.text };
  if (input.bytes !== undefined) {
    if (input.bytes.length > MAX_INPUT_SIZE) return tooLarge(input.bytes.length);
    const decoded = decodeChecked(input.bytes);
    return decoded.problem ? { invalid: { text: decoded.text, ...decoded.problem } } : { text: decoded.text };
  }
  return loadFile(input.absolute ?? input.display, input.display);
}

/**
 * Reads an input's text, or returns why it cannot be read. Never blocks on a FIFO and never reads
 * more than MAX_INPUT_SIZE bytes (a larger file is a problem here; `lintInputs` reports it as a
 * finding). Bytes that are not valid text are decoded with U+FFFD, as `decode()` does.
 */
export function readInput(input: LintInput): { text: string } | { problem: string } {
  const loaded = load(input);
  if ('invalid' in loaded) {
    if (loaded.invalid.tooLarge) return { problem: `${input.display}: ${loaded.invalid.message}` };
    return { text: loaded.invalid.text };
  }
  return loaded;
}

/** The one finding for a file that is not linted at all (too large, not valid text). */
function fileFinding(display: string, text: string, offset: number, message: string, options: LintOptions): FileResult {
  const stats = emptyStats();
  stats.files = 1;
  const severity = options.syntaxSeverity?.['parse-error'] ?? SYNTAX_RULES['parse-error'].severity;
  if (severity === 'off') return { file: display, findings: [], stats };
  const lines = new LineIndex(text.replace(/\r(?!\n)/g, '\n')); // a lone CR ends a line, as for the parser
  const range = lines.range(offset, offset + 1);
  if (range.endLine === range.line && range.endColumn <= range.column) range.endColumn = range.column + 1;
  return {
    file: display,
    findings: [{ ruleId: 'parse-error', severity, message, file: display, ...range, object: null, container: null }],
    stats,
  };
}

/** What linting one input on its own gives: a result, or why the input could not be read. */
export type FileOutcome = { result: FileResult } | { problem: string };

/** Phase one for some inputs: each file read, linted and dropped. Pure apart from reading files. */
export function lintEach(inputs: readonly LintInput[], options: LintOptions): FileOutcome[] {
  const kept = new Compactor();
  let files = 0;
  let chars = 0;
  let items = 0;
  return inputs.map((input, i): FileOutcome => {
    // A clear error rather than V8's abort when what the run keeps outgrows the heap: looked at every
    // few files, characters read or findings and facts kept (a large file, or one with thousands of
    // findings, is also looked at while it is linted), not after each file (asking V8 cost 2 µs).
    if (i > 0 && (++files >= HEAP_CHECK_FILES || chars >= HEAP_CHECK_CHARS || items >= HEAP_CHECK_ITEMS)) {
      checkHeap(i);
      files = 0;
      chars = 0;
      items = 0;
    }
    const read = load(input);
    if ('problem' in read) return { problem: read.problem };
    if ('invalid' in read) {
      const { text, offset, message } = read.invalid;
      return { result: fileFinding(input.display, text, offset, message, options) };
    }
    chars += read.text.length;
    const result = kept.detach(lintTextInParts(read.text, input.display, options));
    items += result.findings.length + (result.facts?.length ?? 0);
    return { result };
  });
}

/** How many files, characters of them, or findings and facts kept, between two looks at the heap. */
const HEAP_CHECK_FILES = 16;
const HEAP_CHECK_CHARS = 256 * 1024;
const HEAP_CHECK_ITEMS = 256;

/**
 * What outlives a file (its findings and deferred facts) is copied out of it, compactly: strings the
 * parsers cut from a file's text are V8 slices that keep the whole text alive, so without the copy
 * every file with a finding or a fact would stay in memory until the end of the run (the copy is
 * made by hand for plain values, each string copied once; see `copy`). A run keeps something for every file,
 * so the copy is made small (issue 18): equal strings are kept once (namespaces, rule ids, label keys,
 * hints, file names recur across files), a result without findings or facts holds no arrays of its
 * own, and equal counts share one frozen object.
 */
class Compactor {
  private readonly strings = new Map<string, string>();
  private readonly stats = new Map<number | string, LintStats>();

  /** The last `object` of a finding copied, and its copy: a file's findings share their object's reference. */
  private sharedSource: object | undefined;
  private sharedCopy: object | undefined;
  /** The pod pictures of the file's findings copied so far, by the engine's object: a rule's findings on a pod share one (copied once, not once per finding). */
  private readonly pods = new Map<object, unknown>();

  detach(result: FileResult): FileResult {
    const out: FileResult = {
      file: result.file,
      findings: result.findings.length > 0 ? this.copyList(result.findings, result.file) : [],
      stats: this.sharedStats(result.stats),
    };
    // Nothing of the file is held past its copy (the message templates' last values included).
    this.sharedSource = this.sharedCopy = undefined;
    this.pods.clear();
    forgetMessageValues();
    forgetLastScalar();
    if (result.facts !== undefined && result.facts.length > 0) {
      const facts = result.facts;
      for (let i = 0; i < facts.length; i++) {
        const f = facts[i]!;
        facts[i] = { ruleId: this.string(f.ruleId), fact: this.copy(f.fact, 0), documentIndex: f.documentIndex, objectPath: f.objectPath.length === 0 ? NO_PATH : this.copy(f.objectPath, 0) };
        if (i > 0 && i % CHECK_EVERY === 0) checkHeap(result.file);
      }
      out.facts = facts;
    }
    return out;
  }

  private sharedStats(s: LintStats): LintStats {
    // Counts below 1024 (most files') make a number as key; others a string.
    const { files, documents, objects, skippedDocuments } = s;
    const key =
      files < 1024 && documents < 1024 && objects < 1024 && skippedDocuments < 1024 && files >= 0 && documents >= 0 && objects >= 0 && skippedDocuments >= 0
        ? ((files * 1024 + documents) * 1024 + objects) * 1024 + skippedDocuments
        : `${files},${documents},${objects},${skippedDocuments}`;
    let shared = this.stats.get(key);
    if (!shared) {
      if (this.stats.size >= 1024) return { ...s };
      shared = Object.freeze({ ...s });
      this.stats.set(key, shared);
    }
    return shared;
  }

  private string(s: string): string {
    const seen = this.strings.get(s);
    if (seen !== undefined) return seen;
    const copy = unsliced(s);
    if (this.strings.size < MAX_INTERNED) this.strings.set(copy, copy);
    return copy;
  }

  /**
   * Copies a list in place (the caller's own, fresh from the engine), so that the heap never holds
   * the whole list twice (B17), with a heap check every few thousand items.
   */
  private copyList(items: Finding[], file: string): Finding[] {
    for (let i = 0; i < items.length; i++) {
      items[i] = this.finding(items[i]!, file);
      if (i > 0 && i % CHECK_EVERY === 0) checkHeap(file);
    }
    return items;
  }

  /**
   * A finding made safe to keep, in place (the engine's own, fresh object: a second object per finding
   * was most of the garbage of a file with 200,000 findings): each value replaced by its copy, which
   * keeps the keys and their order. The message is built per finding (its values rarely repeat across
   * findings): copied, not looked up among the kept strings; the file's name is the result's own.
   */
  private finding(f: Finding, file: string): Finding {
    if (Object.getPrototypeOf(f) !== Object.prototype || Object.isFrozen(f)) return this.copy(f, 0);
    const record = f as unknown as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (key === 'object') record[key] = this.shared(value);
      else if (key === 'pod' && typeof value === 'object' && value !== null) record[key] = this.pod(value);
      else if (key === 'file' && value === file) record[key] = file;
      else if (key === 'path') record[key] = this.path(value);
      else if (key === 'credential' && typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
        const copy: Record<string, unknown> = {};
        for (const k in value) copy[k] = k === 'path' ? this.path((value as Record<string, unknown>)[k]) : this.copy((value as Record<string, unknown>)[k], 2);
        record[key] = copy;
      } else if (key === 'message' && typeof value === 'string') record[key] = unsliced(value);
      else record[key] = this.copy(value, 1);
    }
    return f;
  }

  /**
   * A copy of a value, each string the one kept (or a fresh copy): plain objects and arrays are
   * copied here (about twice as fast as structuredClone, and the strings interned on the way); any
   * other object, or one nested deeper than a plain fact goes (a cycle), is structured-cloned.
   */
  private copy<T>(value: T, depth: number): T {
    if (typeof value === 'string') return this.string(value) as T;
    if (typeof value !== 'object' || value === null) return value;
    if (depth > MAX_COPY_DEPTH) return structuredClone(value);
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) if (i in value) out[i] = this.copy(value[i] as unknown, depth + 1);
      return out as T;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const key in record) out[key] = depth === 0 && key === 'object' ? this.shared(record[key]) : this.copy(record[key], depth + 1);
    return out as T;
  }

  /**
   * A finding's path (of the reported node, or of the credential) copied: its short strings (a key of
   * the object, most of them the finding's own) are kept as they are (see SLICE_MIN_LENGTH), longer
   * ones copied, both without a lookup among the kept strings (a file's 200,000 findings each name
   * their own key: their look-ups and the table they filled were a tenth of the run).
   */
  private path(value: unknown): unknown {
    if (!Array.isArray(value)) return this.copy(value, 1);
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const v = value[i] as unknown;
      out[i] = typeof v === 'string' ? (v.length < SLICE_MIN_LENGTH ? v : unsliced(v)) : this.copy(v, 2);
    }
    return out;
  }

  /** A finding's pod picture copied once for all the file's findings that share it. */
  private pod(value: object): unknown {
    let copy = this.pods.get(value);
    if (copy === undefined) {
      copy = this.copy(value, 1);
      this.pods.set(value, copy);
    }
    return copy;
  }

  /** A finding's `object` copied once for all the findings that share it (one reference per object). */
  private shared(value: unknown): unknown {
    if (value !== this.sharedSource || value === undefined) {
      this.sharedCopy = this.copy(value, 1) as object | undefined;
      this.sharedSource = value as object | undefined;
    }
    return this.sharedCopy;
  }
}

/** How many items are copied between two heap checks. */
const CHECK_EVERY = 4096;

/** Deeper than this, a value is structured-cloned (which copies cycles). */
const MAX_COPY_DEPTH = 64;

/**
 * A copy of a string that does not keep the string it was cut from alive: a short string is copied
 * by the concatenation, a longer one by the flattening that `slice` makes of it (V8).
 */
function freshString(s: string): string {
  return (' ' + s).slice(1);
}

/**
 * V8 copies a substring or a concatenation shorter than this rather than pointing into the string(s)
 * it was made from (SlicedString::kMinLength, ConsString::kMinLength): such a string keeps no text
 * alive and is kept as it is (a path's, see `Compactor.path`, or a message).
 */
const SLICE_MIN_LENGTH = 13;

/** A string that keeps no other string alive (see `freshString`), not looked up among the kept ones. */
function unsliced(s: string): string {
  return s.length < SLICE_MIN_LENGTH ? s : freshString(s);
}

/** Strings kept once per run, at most (beyond, copies are kept as they are). */
const MAX_INTERNED = 1 << 16;

const NO_PATH: Path = Object.freeze([]) as Path;

/** Lints inputs in this thread. */
export function lintInputs(inputs: readonly LintInput[], options: LintOptions): LintRunResult {
  return finish(inputs, lintEach(inputs, options), options);
}

/** A file linted on its own (phase one), for the cross-file steps. */
export interface CrossFileEntry {
  display: string;
  result: FileResult;
}

/** The main containers Services decided for one file's objects (entries of `mainOverrides`), sorted by key. */
export type OwnMains = readonly (readonly [string, string])[];

/** How the cross-file steps lint a file again; a string returned says why it could not be. */
export interface CrossFileLints {
  /**
   * Lints entry `index` again with `options`, which carry the main containers Services decided (`own`:
   * those of this file). `current` is the entry's result so far and `documents` the documents the
   * decisions concern (the others may keep their results).
   */
  withMains(index: number, options: LintOptions, own: OwnMains, current: FileResult, documents: ReadonlySet<number>): FileResult | string;
  /**
   * Lints entry `index` again with the cross-file reports that land in it (`own`: its decided main
   * containers, if any); `current` and `documents` (those the reports are in) as for `withMains`.
   */
  withReports(index: number, options: LintOptions, reports: readonly LateReport[], own: OwnMains, current: FileResult, documents: ReadonlySet<number>): FileResult | string;
  /** Whether a file's cross-file reports are wanted (every file's when absent): the others are not linted again. */
  wanted?(display: string): boolean;
}

export interface CrossFileOutcome {
  /** Each entry's final result (entry order): phase one, or linted again with decided main containers and cross-file reports. */
  results: FileResult[];
  /** Why a file could not be linted again (its earlier result stays). */
  problems: string[];
  /** The main containers Services decided (object key → container name; see service-main.ts). */
  overrides: ReadonlyMap<string, string>;
  /** Each file's own decided main containers, by display name (files without any are absent). */
  own: ReadonlyMap<string, OwnMains>;
  /** The cross-file reports per file (wanted files only). */
  late: ReadonlyMap<string, LateReport[]>;
}

/**
 * The cross-file steps after phase one, shared by the CLI (`finish`) and the language server:
 * 1. the main containers that Services decide are found over every file's facts, and the files they
 *    concern are linted again with them (`lints.withMains`);
 * 2. the rules' cross-resource checks run over the facts of every file (in entry order, so the
 *    result does not depend on which thread linted which file);
 * 3. each wanted file with reports is linted again with them (`lints.withReports`).
 * The entries are not changed (their facts stay: the language server keeps them between passes)
 * unless `release` is set: then each result's facts and each file's reports are dropped as soon as
 * they have been used (a run keeps less at its peak), and `late` comes back empty.
 */
export function crossFile(entries: readonly CrossFileEntry[], options: LintOptions, lints: CrossFileLints, release = false): CrossFileOutcome {
  const problems: string[] = [];
  const results = entries.map((e) => e.result);

  // 1. The main containers a Service decides.
  const mainFacts: { fact: ServiceMainFact; file: string; documentIndex: number; objectPath: FileFact['objectPath'] }[] = [];
  for (const { display, result } of entries) {
    for (const f of result.facts ?? []) {
      if (f.ruleId === SERVICE_MAIN_FACTS) mainFacts.push({ fact: f.fact as ServiceMainFact, file: display, documentIndex: f.documentIndex, objectPath: f.objectPath });
    }
  }
  const overrides = mainOverrides(mainFacts);
  const own = new Map<string, [string, string][]>();
  const mainDocuments = new Map<string, Set<number>>();
  for (const f of mainFacts) {
    const key = objectKey(f.file, f.documentIndex, f.objectPath);
    const name = overrides.get(key);
    if (name === undefined) continue;
    const list = own.get(f.file) ?? [];
    list.push([key, name]);
    own.set(f.file, list);
    const documents = mainDocuments.get(f.file);
    if (documents) documents.add(f.documentIndex);
    else mainDocuments.set(f.file, new Set([f.documentIndex]));
  }
  mainFacts.length = 0;
  for (const list of own.values()) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const NONE: OwnMains = [];
  if (overrides.size > 0) {
    options = lintOptionsCopy(options, { mainOverrides: overrides });
    entries.forEach(({ display }, i) => {
      const mine = own.get(display);
      if (!mine) return;
      const again = lints.withMains(i, options, mine, results[i]!, mainDocuments.get(display)!);
      if (typeof again === 'string') problems.push(again);
      else results[i] = again;
    });
  }

  // 2. The rules' cross-resource checks over every file's facts: reports land in the file of the object they belong to.
  const facts = new Map<string, DeferredFact[]>();
  entries.forEach(({ display }, i) => {
    for (const f of results[i]!.facts ?? []) {
      if (f.ruleId === SERVICE_MAIN_FACTS) continue;
      const list = facts.get(f.ruleId) ?? [];
      list.push({ fact: f.fact, origin: { file: display, documentIndex: f.documentIndex, objectPath: f.objectPath } });
      facts.set(f.ruleId, list);
    }
    if (release) delete results[i]!.facts;
  });
  const late = new Map<string, LateReport[]>();
  const wanted = lints.wanted;
  for (const enabled of options.rules) {
    const { rule } = enabled;
    if (!rule.crossCheck) continue;
    rule.crossCheck(facts.get(rule.meta.id) ?? [], {
      options: enabled.options,
      settings: options.settings,
      report({ origin, ...descriptor }) {
        if (wanted && !wanted(origin.file)) return;
        const list = late.get(origin.file) ?? [];
        list.push({ ruleId: rule.meta.id, origin, descriptor });
        late.set(origin.file, list);
      },
    });
  }
  facts.clear();

  // 3. The files with reports, linted again with them.
  if (late.size > 0) {
    entries.forEach(({ display }, i) => {
      const reports = late.get(display);
      if (!reports) return;
      if (release) late.delete(display);
      const documents = new Set(reports.map((r) => r.origin.documentIndex));
      const again = lints.withReports(i, options, reports, own.get(display) ?? NONE, results[i]!, documents);
      if (typeof again === 'string') problems.push(again);
      else results[i] = again;
    });
  }
  return { results, problems, overrides, own, late };
}

/**
 * Phase two: the cross-file steps (`crossFile`) over what phase one gave, the files read again from
 * disk where a step lints them again.
 */
export function finish(inputs: readonly LintInput[], outcomes: readonly FileOutcome[], options: LintOptions): LintRunResult {
  const problems: string[] = [];
  const read: LintInput[] = [];
  const entries: CrossFileEntry[] = [];
  inputs.forEach((input, i) => {
    const outcome = outcomes[i]!;
    if ('problem' in outcome) {
      problems.push(outcome.problem);
      return;
    }
    read.push(input);
    entries.push({ display: input.display, result: outcome.result });
  });

  const kept = new Compactor();
  const cross = crossFile(
    entries,
    options,
    {
      withMains: (i, withMains, _own, current, documents) => lintAgain(kept, read[i]!, current, documents, withMains),
      withReports: (i, withReports, reports, _own, current, documents) => {
        const again = lintAgain(kept, read[i]!, current, documents, withReports, reports);
        if (typeof again !== 'string') delete again.facts; // gathered in phase one already
        return again;
      },
    },
    true,
  );
  lastSplit = undefined; // the last text read again is not kept past the run
  for (const p of cross.problems) problems.push(p);

  const results = new Map<string, FileResult>();
  cross.results.forEach((result, i) => {
    delete result.facts;
    results.set(entries[i]!.display, result);
  });
  const findings: Finding[] = [];
  const stats = emptyStats();
  for (const r of results.values()) {
    for (const f of r.findings) findings.push(f); // no spread: a file may hold more findings than a call takes arguments
    addStats(stats, r.stats);
  }
  return { findings, stats, problems, ...(cross.overrides.size > 0 ? { mainOverrides: cross.overrides } : {}) };
}

/**
 * The second pass over a file that cross-file facts concern (main containers a Service decides,
 * cross-resource reports): only the `affected` documents are linted again; the first pass's findings
 * and facts are kept for the others (documents are independent when the file has no syntax error,
 * see independentDocuments). The result is what linting the whole file again would give, in the same order.
 * A string is a problem reading the file again.
 */
/** The second pass lints only the documents cross-file facts concern (tests set `partial` to false to compare with whole files). */
export const SECOND_PASS = { partial: true };

function lintAgain(
  kept: Compactor,
  input: LintInput,
  previous: FileResult,
  affected: ReadonlySet<number>,
  options: LintOptions,
  late?: readonly LateReport[],
): FileResult | string {
  const again = load(input);
  if ('problem' in again) return again.problem;
  if ('invalid' in again) return `${input.display}: changed while it was being linted`;
  const split = SECOND_PASS.partial ? independentDocuments(again.text, previous) : undefined;
  if (!split) return kept.detach(lintTextInParts(again.text, input.display, options, late));
  const { firsts } = split;
  const documentOf = (f: Finding): number => documentAt(firsts, f.line);
  const runs = documentRuns(again.text, split, affected);
  if (late) {
    // The reports only (most of the second pass): each affected document's rules gave their findings
    // in the first pass (or with the decided main containers), and a report's finding goes after
    // those of its rule and before those of the next, as linting the document again would place it.
    const located = lintRuns(again.text, split.whole, runs, input.display, options, late, lintLate);
    const placed = located && placeReports(previous.findings, kept.detach(located).findings, documentOf, ruleOrder(options));
    if (placed) return { file: previous.file, findings: placed, stats: previous.stats, ...(previous.facts !== undefined ? { facts: previous.facts } : {}) };
  }
  // Only the affected documents are read again, each run of them cut out of the text; a text that
  // may not be cut is read whole, the others' work skipped where the path allows.
  const cut = lintRuns(again.text, split.whole, runs, input.display, options, late);
  const fresh = kept.detach(cut ?? lintTextInParts(again.text, input.display, lintOptionsCopy(options, { onlyDocuments: affected }), late));
  const result: FileResult = {
    file: previous.file,
    findings: mergeDocuments(previous.findings, fresh.findings, affected, documentOf),
    stats: previous.stats,
  };
  if (previous.facts !== undefined) result.facts = mergeDocuments(previous.facts, fresh.facts ?? [], affected, (f) => f.documentIndex);
  return result;
}

/** Each enabled rule's place in the order the engine runs them on an object (kept for the last options). */
let lastOrder: { options: LintOptions; order: Map<string, number> } | undefined;

function ruleOrder(options: LintOptions): ReadonlyMap<string, number> {
  if (lastOrder?.options !== options) lastOrder = { options, order: new Map(options.rules.map((r, i) => [r.rule.meta.id, i])) };
  return lastOrder.order;
}

/**
 * A file's findings with those of its cross-file reports (`late`, in document order, each document
 * holding one object) placed as the engine orders an object's findings: by rule, a rule's own
 * findings before its reports. Undefined when a document's findings are not in that order or one is
 * not a rule's (an engine finding): the documents are then linted again.
 */
function placeReports(previous: readonly Finding[], late: readonly Finding[], documentOf: (f: Finding) => number, order: ReadonlyMap<string, number>): Finding[] | undefined {
  const out: Finding[] = [];
  let i = 0;
  for (let j = 0; j < late.length; ) {
    const d = documentOf(late[j]!);
    while (i < previous.length && documentOf(previous[i]!) < d) out.push(previous[i++]!);
    let k = j;
    while (k < late.length && documentOf(late[k]!) === d) k++;
    let last = -1;
    for (;;) {
      const p = i < previous.length && documentOf(previous[i]!) === d ? previous[i]! : undefined;
      const l = j < k ? late[j]! : undefined;
      if (!p && !l) break;
      const pr = p && order.get(p.ruleId);
      const lr = l && order.get(l.ruleId);
      if ((p && pr === undefined) || (l && lr === undefined)) return undefined;
      const takePrevious = p !== undefined && (l === undefined || pr! <= lr!);
      const rank = takePrevious ? pr! : lr!;
      if (rank < last) return undefined;
      last = rank;
      if (takePrevious) out.push(previous[i++]!);
      else out.push(late[j++]!);
    }
  }
  while (i < previous.length) out.push(previous[i++]!);
  return out;
}

/** A file's documents told apart by its `---` lines (see `independentDocuments`). */
interface SplitText {
  /** The text as the parsers read it (`normalizeText`; without a byte order mark). */
  whole: string;
  /** Where each document starts in `whole`: its `---` line (or 0). */
  starts: number[];
  /** The line each document starts on. */
  firsts: number[];
}

/**
 * The runs of consecutive `affected` documents, as offsets of the text (a leading byte order mark
 * counts; the first document's run starts at 0, with any comments before its `---`).
 */
function documentRuns(text: string, split: SplitText, affected: ReadonlySet<number>): DocumentRun[] {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const { starts, firsts } = split;
  const sorted = [...affected].filter((d) => d >= 0 && d < starts.length).sort((a, b) => a - b);
  const runs: DocumentRun[] = [];
  for (let k = 0; k < sorted.length; ) {
    const first = sorted[k]!;
    let last = first;
    while (k + 1 < sorted.length && sorted[k + 1] === last + 1) last = sorted[++k]!;
    k++;
    runs.push({
      start: first === 0 ? 0 : starts[first]! + bom,
      end: last + 1 < starts.length ? starts[last + 1]! + bom : text.length,
      base: first,
      documents: last - first + 1,
      lines: first === 0 ? 0 : firsts[first]! - 1,
    });
  }
  return runs;
}

/**
 * How a file's documents can be linted apart and its findings told apart by line (each document
 * runs from its `---` line to the next): no suppression comment on the line before a `---` line
 * (the only one that reaches another document's line; the others' findings come with their
 * document's, see applyDirectives, and a comment's finding is not a rule's, so placeReports gives up
 * on its document), no syntax error (its range may cross a `---`), no YAML directive, and the `---`
 * lines give as many documents as the first pass read (content after a
 * `...` line is blanked up to the next `---` line, as Kubernetes never reads it). Undefined
 * otherwise (the file is linted whole again).
 */
function independentDocuments(text: string, previous: FileResult): SplitText | undefined {
  if (previous.findings.some((f) => f.ruleId === 'parse-error')) return undefined;
  const split = splitText(text);
  return split && split.starts.length === previous.stats.documents ? split : undefined;
}

/**
 * The text-only part of `independentDocuments`, kept for the last text: a file that both main
 * containers and cross-file reports concern is read again twice, one right after the other.
 */
let lastSplit: { text: string; split: SplitText | undefined } | undefined;

function splitText(text: string): SplitText | undefined {
  if (lastSplit?.text === text) return lastSplit.split;
  let split: SplitText | undefined;
  const whole = /^%/m.test(text) ? undefined : normalizeText(text);
  // Suppression comments are lines of the text (the exact path's, where Unicode line breaks are kept),
  // each covering lines of its own document, except one on the line before a `---` line.
  if (whole !== undefined && !(text.includes('sidecar-lint-') && (hasUnicodeBreaks(text) || directiveBeforeDocumentStart(whole)))) {
    // The documents as the engine cuts them.
    const starts = documentStarts(whole);
    const firsts: number[] = [];
    let line = 1;
    let from = 0;
    for (const start of starts) {
      for (let i = whole.indexOf('\n', from); i >= 0 && i < start; i = whole.indexOf('\n', i + 1)) line++;
      from = start;
      firsts.push(line);
    }
    split = { whole, starts, firsts };
  }
  lastSplit = { text, split };
  return split;
}

/** The index of the document a line is in (`firsts` ascending). */
function documentAt(firsts: readonly number[], line: number): number {
  let lo = 0;
  let hi = firsts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (firsts[mid]! <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The items of the documents not `affected` from `previous`, and those of the affected ones from
 * `fresh`, in document order (each list holds its documents' items together, in document order, as
 * the engine gives them).
 */
function mergeDocuments<T>(previous: readonly T[], fresh: readonly T[], affected: ReadonlySet<number>, documentOf: (item: T) => number): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  const next = (list: readonly T[], k: number, keep: boolean): number => {
    while (k < list.length && affected.has(documentOf(list[k]!)) !== keep) k++;
    return k;
  };
  i = next(previous, i, false);
  j = next(fresh, j, true);
  while (i < previous.length || j < fresh.length) {
    if (j >= fresh.length || (i < previous.length && documentOf(previous[i]!) < documentOf(fresh[j]!))) {
      out.push(previous[i]!);
      i = next(previous, i + 1, false);
    } else {
      out.push(fresh[j]!);
      j = next(fresh, j + 1, true);
    }
  }
  return out;
}
