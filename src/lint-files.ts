/**
 * Lints a set of inputs: each file on its own (parse, lint, drop), then the rules' cross-resource
 * checks over the small facts they deferred, and a second, exact pass only for the files those
 * checks report in.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { SYNTAX_RULES, type LateReport, type LintOptions } from './engine.js';
import { lintTextInParts } from './lint-chunks.js';
import { checkHeap } from './memory.js';
import { LineIndex } from './locate.js';
import { MAX_INPUT_SIZE, tooLargeMessage } from './parse.js';
import type { DeferredFact } from './rule.js';
import { mainOverrides, objectKey, SERVICE_MAIN_FACTS, type ServiceMainFact } from './model/service-main.js';
import { fileTypeName } from './read-fixed.js';
import { addStats, emptyStats, type Finding, type FileResult, type LintStats } from './types.js';

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
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
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
    const info = fstatSync(fd);
    if (info.isDirectory()) return directoryProblem(file, display);
    if (!info.isFile()) return { problem: `${display}: is ${fileTypeName(info)}, not a regular file; to lint a stream, pipe it to standard input and pass -` };
    if (info.size > MAX_INPUT_SIZE) return tooLarge(info.size);
    // Read into one buffer kept between files (decoding copies the text out of it): allocating a
    // buffer per file cost more than reading the file.
    let buffer = readBuffer(info.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > MAX_INPUT_SIZE) return tooLarge(MAX_INPUT_SIZE, true);
        buffer = readBuffer(Math.min(total * 2, MAX_INPUT_SIZE + 1), total);
      }
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
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
  return inputs.map((input, i): FileOutcome => {
    // A clear error rather than V8's abort when what the run keeps outgrows the heap.
    if (i > 0) checkHeap(i);
    const read = load(input);
    if ('problem' in read) return { problem: read.problem };
    if ('invalid' in read) {
      const { text, offset, message } = read.invalid;
      return { result: fileFinding(input.display, text, offset, message, options) };
    }
    return { result: detach(lintTextInParts(read.text, input.display, options)) };
  });
}

/**
 * What outlives a file (its findings and deferred facts) is copied out of it: strings the parsers
 * cut from a file's text are V8 slices that keep the whole text alive, so without the copy every file
 * with a finding or a fact would stay in memory until the end of the run. Structured cloning is the
 * copy a worker thread's results get anyway.
 */
function detach(result: FileResult): FileResult {
  if (result.findings.length > 0) result.findings = structuredClone(result.findings);
  if (result.facts !== undefined && result.facts.length > 0) result.facts = structuredClone(result.facts);
  return result;
}

/** Lints inputs in this thread. */
export function lintInputs(inputs: readonly LintInput[], options: LintOptions): LintRunResult {
  return finish(inputs, lintEach(inputs, options), options);
}

/**
 * Phase two: the rules' cross-resource checks over the facts phase one deferred (in input order, so
 * the result does not depend on which thread linted which file), then an exact pass over the files
 * those checks report in.
 */
export function finish(inputs: readonly LintInput[], outcomes: readonly FileOutcome[], options: LintOptions): LintRunResult {
  const results = new Map<string, FileResult>();
  const problems: string[] = [];
  const byDisplay = new Map<string, LintInput>();
  const read: { input: LintInput; result: FileResult }[] = [];
  inputs.forEach((input, i) => {
    const outcome = outcomes[i]!;
    if ('problem' in outcome) {
      problems.push(outcome.problem);
      return;
    }
    read.push({ input, result: outcome.result });
  });

  // The main containers a Service decides: the files of those pods are linted again with them.
  const mainFacts = read.flatMap(({ input, result }) =>
    (result.facts ?? [])
      .filter((f) => f.ruleId === SERVICE_MAIN_FACTS)
      .map((f) => ({ fact: f.fact as ServiceMainFact, file: input.display, documentIndex: f.documentIndex, objectPath: f.objectPath })),
  );
  const overrides = mainOverrides(mainFacts);
  if (overrides.size > 0) {
    options = { ...options, mainOverrides: overrides };
    const files = new Set(mainFacts.filter((f) => overrides.has(objectKey(f.file, f.documentIndex, f.objectPath))).map((f) => f.file));
    for (const entry of read) {
      if (!files.has(entry.input.display)) continue;
      const again = load(entry.input);
      if ('problem' in again) {
        problems.push(again.problem);
        continue;
      }
      if ('invalid' in again) {
        problems.push(`${entry.input.display}: changed while it was being linted`);
        continue;
      }
      entry.result = detach(lintTextInParts(again.text, entry.input.display, options));
    }
  }

  const facts = new Map<string, DeferredFact[]>();
  for (const { input, result } of read) {
    if (result.facts) byDisplay.set(input.display, input);
    for (const f of result.facts ?? []) {
      if (f.ruleId === SERVICE_MAIN_FACTS) continue;
      const list = facts.get(f.ruleId) ?? [];
      list.push({ fact: f.fact, origin: { file: input.display, documentIndex: f.documentIndex, objectPath: f.objectPath } });
      facts.set(f.ruleId, list);
    }
    delete result.facts;
    results.set(input.display, result);
  }

  // Cross-resource checks: findings land in the file of the object they belong to.
  const late = new Map<string, LateReport[]>();
  for (const enabled of options.rules) {
    const { rule } = enabled;
    if (!rule.crossCheck) continue;
    rule.crossCheck(facts.get(rule.meta.id) ?? [], {
      options: enabled.options,
      settings: options.settings,
      report({ origin, ...descriptor }) {
        const list = late.get(origin.file) ?? [];
        list.push({ ruleId: rule.meta.id, origin, descriptor });
        late.set(origin.file, list);
      },
    });
  }
  for (const [file, reports] of late) {
    const input = byDisplay.get(file);
    if (!input) continue;
    const read = load(input);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    if ('invalid' in read) {
      problems.push(`${file}: changed while it was being linted`);
      continue;
    }
    const result = lintTextInParts(read.text, file, options, reports);
    delete result.facts; // gathered in phase one already
    results.set(file, detach(result));
  }

  const findings: Finding[] = [];
  const stats = emptyStats();
  for (const r of results.values()) {
    for (const f of r.findings) findings.push(f); // no spread: a file may hold more findings than a call takes arguments
    addStats(stats, r.stats);
  }
  return { findings, stats, problems, ...(overrides.size > 0 ? { mainOverrides: overrides } : {}) };
}
