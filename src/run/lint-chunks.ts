/**
 * Large files linted a few documents at a time (report B17: one allowed 9.5 MB stream needed about
 * 650 MB, and crashed V8 below 384 MB of heap). Parsing a whole file with positions keeps every
 * document's syntax tree alive at once; documents are independent (anchors, keys and suppressions
 * never cross a `---` line, and Kubernetes itself splits the stream there first), so a large file is
 * cut at its `---` lines into parts of about `CHUNKS.size` characters, each part linted on its own and
 * dropped, and the results joined: lines shifted by the lines before the part, document indexes by
 * the documents before it. The output is the same as linting the file whole.
 *
 * Only plain text is cut: no line breaks but `\n` and `\r\n` (where the parsers' idea of a line is
 * the same as this module's), no YAML directives (`%YAML`, `%TAG`), no suppression comment on the
 * line before a `---` line (the only one that can reach into another document, see
 * directiveBeforeDocumentStart; a `sidecar-lint-disable` range ends with its document), and nothing
 * the parser refuses as a whole (too large, binary). Anything else is linted whole, as before.
 *
 * Room run: must not import format, app, rules/.
 */
import { checkHeap } from '../memory.js';
import { lintText, lintTextExact, lintTextFast, type LateReport } from './engine.js';
import { lintOptionsCopy, type LintOptions } from '../config/lint-options.js';
import { objectKey, objectKeyParts } from '../model/service-main.js';
import { inputProblem, normalizeText } from '../yaml/parse.js';
import { documentStarts, hasUnicodeBreaks } from '../yaml/kube-stream.js';
import { addStats, emptyStats, type FileResult } from '../types.js';
import { directiveBeforeDocumentStart } from './suppress.js';

export const CHUNKS = {
  /** Files larger than this (in characters) are linted in parts (tests set it to compare with whole files). */
  threshold: 1024 * 1024,
  /** About how large a part is (a part holds whole documents, so one document may make it larger). */
  size: 256 * 1024,
};

/** Whether a text may be cut at its `---` lines (see above); `normalized` is `normalizeText(text)`, when the caller has it. */
function cuttable(text: string, normalized?: string): boolean {
  if (directiveBeforeDocumentStart(text) || hasUnicodeBreaks(text) || (text.includes('\r') && /\r(?!\n)/.test(text)) || /^%/m.test(text)) return false;
  return !inputProblem(normalized ?? normalizeText(text));
}

/**
 * The starts of the parts of at least `size` characters (each part whole documents), or undefined
 * when the text is not cut. Comments before the first `---` stay with the document after them.
 */
function cutStarts(text: string, size: number, checked = false): number[] | undefined {
  if (!checked && !cuttable(text)) return undefined;
  const starts = [0];
  // Each document start after the first (comments before the first `---` are part of the first document).
  for (const offset of documentStarts(text).slice(1)) {
    const last = starts[starts.length - 1]!;
    if (offset - last < Math.max(size, 1)) continue;
    starts.push(offset);
  }
  return starts.length > 1 ? starts : undefined;
}

/** The starts of a text's documents when it may be cut at its `---` lines (see cuttable; at least two), else undefined. */
export function documentCutStarts(text: string): number[] | undefined {
  return cutStarts(text, 0);
}

/** The parts of a text (offsets of their starts), or undefined when it is linted whole. */
export function chunkStarts(text: string): number[] | undefined {
  if (text.length <= CHUNKS.threshold) return undefined;
  return cutStarts(text, CHUNKS.size);
}

/** The lines a part starts after. */
function newlinesBetween(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Re-keys the main-container overrides of `file` for a part whose first document has index `base`. */
function shiftOverrides(overrides: ReadonlyMap<string, string> | undefined, file: string, base: number): ReadonlyMap<string, string> | undefined {
  if (!overrides || base === 0) return overrides;
  const out = new Map<string, string>();
  for (const [key, value] of overrides) {
    const parts = objectKeyParts(key, file);
    if (!parts) {
      out.set(key, value);
      continue;
    }
    const local = parts.documentIndex - base;
    if (local >= 0) out.set(objectKey(file, local, parts.path), value);
  }
  return out;
}

/** The main containers `mainOverrides` names in `file`, by document: each as its object's path and the container. */
export function overridesByDocument(overrides: ReadonlyMap<string, string> | undefined, file: string): Map<number, [string[], string][]> {
  const out = new Map<number, [string[], string][]>();
  for (const [key, value] of overrides ?? []) {
    const parts = objectKeyParts(key, file);
    if (!parts) continue;
    const list = out.get(parts.documentIndex);
    if (list) list.push([parts.path, value]);
    else out.set(parts.documentIndex, [[parts.path, value]]);
  }
  return out;
}

/**
 * `lintText`, a part at a time for a large file (see above); and a document at a time for a file
 * (or part) of several documents that the fast path cannot read as a whole: one document with
 * something only the exact parser decides sends only that document down the exact path, not the
 * file (the rest keep the fast path's speed and memory).
 */
export function lintTextInParts(text: string, file: string, options: LintOptions, late?: readonly LateReport[]): FileResult {
  const starts = chunkStarts(text);
  if (!starts) return lintSmall(text, file, options, late);
  return lintCut(text, starts, file, options, late, lintChunk);
}

/** lintSmall for a part of a text found cuttable (so is the part: what cuttable rules out is in no part). */
function lintChunk(text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined): FileResult {
  return lintSmall(text, file, options, late, true);
}

/** A text of a size linted at once: fast as a whole if it can be, else a document at a time. `checked`: a part of a text found cuttable. */
function lintSmall(text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined, checked = false): FileResult {
  if (options.fast === false) return lintText(text, file, options, late);
  const fast = lintTextFast(text, file, options, late);
  if (fast) return fast;
  // From here on `lintText` of the whole text would try the fast path again, and be refused again.
  const documents = cutStarts(text, 0, checked);
  if (!documents) return lintTextExact(text, file, options, late);
  const result = lintCut(text, documents, file, options, late, lintText);
  // A syntax error's range may run past its document into the next `---` line, which a document
  // linted on its own cannot say: a broken file is linted whole, as before.
  return result.findings.some((f) => f.ruleId === 'parse-error') ? lintTextExact(text, file, options, late) : result;
}

/** Lints each part of a text with `lint` and joins the results as if the text had been linted whole. */
function lintCut(
  text: string,
  starts: readonly number[],
  file: string,
  options: LintOptions,
  late: readonly LateReport[] | undefined,
  lint: (text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined) => FileResult,
): FileResult {
  const result: FileResult = { file, findings: [], stats: emptyStats(), facts: [] };
  let documents = 0;
  let lines = 0;
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const base = documents;
    // The first part's indexes are the file's: nothing is copied for it (most texts are one part).
    const partLate = base === 0 ? late : late?.map((r) => ({ ...r, origin: { ...r.origin, documentIndex: r.origin.documentIndex - base } }));
    const overrides = shiftOverrides(options.mainOverrides, file, base);
    let partOptions: LintOptions = overrides === options.mainOverrides || overrides === undefined ? options : lintOptionsCopy(options, { mainOverrides: overrides });
    if (options.onlyDocuments && base > 0) partOptions = lintOptionsCopy(partOptions, { onlyDocuments: new Set([...options.onlyDocuments].map((d) => d - base)) });
    const part = lint(text.slice(start, end), file, partOptions, partLate);
    for (const f of part.findings) {
      f.line += lines;
      f.endLine += lines;
      // A fix names its document by index in the file, not in the part.
      if (base > 0 && f.fixes) f.fixes = f.fixes.map((fix) => ({ ...fix, documentIndex: fix.documentIndex + base }));
      if (base > 0 && f.credential) f.credential = { ...f.credential, documentIndex: f.credential.documentIndex + base };
      result.findings.push(f);
    }
    for (const fact of part.facts ?? []) result.facts!.push(base === 0 ? fact : { ...fact, documentIndex: fact.documentIndex + base });
    documents += part.stats.documents;
    addStats(result.stats, part.stats);
    lines += newlinesBetween(text, start, end);
    // A clear error rather than V8's abort when what a large file's parts add up to outgrows the heap
    // (a smaller text cut a document at a time keeps little: the heap is looked at between files).
    if (text.length > CHUNKS.threshold) checkHeap(file);
  });
  result.stats.files = 1;
  return result;
}

/** How many lints of a part (in different cross-file contexts) a memo keeps. */
const MEMO_CONTEXTS = 4;

/** What a part of a text linted on its own gave, positions relative to the part. */
interface MemoPart {
  /** How many documents the part holds. */
  documents: number;
  /** How many line breaks it holds. */
  lines: number;
  /** The cross-file context it was linted with (its documents' cross-file reports and main containers, relative), as a key. */
  context: string;
  result: FileResult;
}

/** Whether two lint options are the same apart from the main containers that Services decide. */
function sameBasis(a: LintOptions, b: LintOptions): boolean {
  const keys = Object.keys(a).filter((k) => k !== 'mainOverrides');
  if (keys.length !== Object.keys(b).filter((k) => k !== 'mainOverrides').length) return false;
  return keys.every((k) => (a as unknown as Record<string, unknown>)[k] === (b as unknown as Record<string, unknown>)[k]);
}

/**
 * `lintTextInParts` for a text that is edited and linted again and again (an open document in the
 * language server): the text is cut at every `---` line as above, and a part whose text and
 * cross-file context (the reports and main-container decisions of its documents) are those of a part
 * of the last lint (or of one of the last few lints in other contexts) is not linted again: its findings and facts are reused, lines and document
 * indexes shifted. Typing in one document of a large file lints that document alone. The result is
 * what `lintTextInParts` gives (a text that may not be cut, or a part with a syntax error, is linted
 * as it does); a memo holds the parts of one text, the last it linted.
 */
export class LintMemo {
  private basis: LintOptions | undefined;
  private parts = new Map<string, MemoPart[]>();
  /** How many parts the last lint linted (the others were reused); -1 when it linted the text whole. */
  linted = 0;

  lint(text: string, file: string, options: LintOptions, late?: readonly LateReport[]): FileResult {
    this.linted = -1;
    if (options.onlyDocuments) return lintTextInParts(text, file, options, late);
    const starts = cutStarts(text, 0);
    if (!starts) {
      this.parts.clear();
      return lintTextInParts(text, file, options, late);
    }
    this.linted = 0;
    if (!this.basis || !sameBasis(this.basis, options)) this.parts.clear();
    this.basis = options;
    const contextOf = partContexts(file, options.mainOverrides, late);
    const next = new Map<string, MemoPart[]>();
    const result: FileResult = { file, findings: [], stats: emptyStats(), facts: [] };
    let documents = 0;
    let lines = 0;
    let broken = false;
    starts.forEach((start, i) => {
      const partText = text.slice(start, starts[i + 1] ?? text.length);
      const base = documents;
      let part = this.parts.get(partText)?.find((p) => p.context === contextOf(base, p.documents));
      if (!part) {
        // The first part's indexes are the file's: nothing is copied for it (most texts are one part).
    const partLate = base === 0 ? late : late?.map((r) => ({ ...r, origin: { ...r.origin, documentIndex: r.origin.documentIndex - base } }));
        const overrides = shiftOverrides(options.mainOverrides, file, base);
        const partOptions = overrides === options.mainOverrides || overrides === undefined ? options : lintOptionsCopy(options, { mainOverrides: overrides });
        const own = lintText(partText, file, partOptions, partLate);
        this.linted++;
        part = { documents: own.stats.documents, lines: newlinesBetween(partText, 0, partText.length), context: contextOf(base, own.stats.documents), result: own };
      }
      // The part's lints in other contexts are kept too (the language server lints a document
      // with and without cross-file context in turn), the latest first, a few at most.
      const kept = next.get(partText) ?? this.parts.get(partText) ?? [];
      next.set(partText, [part, ...kept.filter((p) => p !== part)].slice(0, MEMO_CONTEXTS));
      for (const f of part.result.findings) {
        if (f.ruleId === 'parse-error') broken = true;
        const shifted = { ...f, line: f.line + lines, endLine: f.endLine + lines };
        // A fix names its document by index in the file, not in the part.
        if (f.fixes) shifted.fixes = f.fixes.map((fix) => ({ ...fix, documentIndex: fix.documentIndex + base }));
        if (f.credential) shifted.credential = { ...f.credential, documentIndex: f.credential.documentIndex + base };
        result.findings.push(shifted);
      }
      for (const fact of part.result.facts ?? []) result.facts!.push({ ...fact, documentIndex: fact.documentIndex + base });
      addStats(result.stats, part.result.stats);
      documents += part.documents;
      lines += part.lines;
    });
    this.parts = next;
    // As lintSmall: a syntax error's range may run past its document, which its part cannot say.
    if (broken) {
      this.linted = -1;
      return lintTextInParts(text, file, options, late);
    }
    result.stats.files = 1;
    return result;
  }
}

/**
 * For a text's parts: the cross-file context of the documents `base` to `base + count - 1` (their
 * cross-file reports and Service-decided main containers, with indexes relative to `base`), as a key.
 */
function partContexts(file: string, overrides: ReadonlyMap<string, string> | undefined, late: readonly LateReport[] | undefined): (base: number, count: number) => string {
  const byDocument = new Map<number, { late: LateReport[]; mains: [string, string][] }>();
  const at = (index: number) => {
    let entry = byDocument.get(index);
    if (!entry) byDocument.set(index, (entry = { late: [], mains: [] }));
    return entry;
  };
  for (const r of late ?? []) at(r.origin.documentIndex).late.push(r);
  for (const [key, value] of overrides ?? []) {
    const parts = objectKeyParts(key, file);
    if (parts) at(parts.documentIndex).mains.push([parts.path.join('\u0000'), value]);
  }
  if (byDocument.size === 0) return () => '';
  return (base, count) => {
    const context: unknown[] = [];
    for (let d = 0; d < count; d++) {
      const entry = byDocument.get(base + d);
      if (!entry) continue;
      context.push(d, entry.late.map((r) => ({ ...r, origin: { ...r.origin, documentIndex: d } })), entry.mains);
    }
    return context.length === 0 ? '' : JSON.stringify(context);
  };
}

/** Consecutive documents of a text: offsets `[start, end)`, the index of the first, how many, and the lines before `start`. */
export interface DocumentRun {
  start: number;
  end: number;
  base: number;
  documents: number;
  lines: number;
}

/**
 * Lints only some documents of a text (the second pass over a file that cross-file facts concern,
 * see run/lint-files.ts): each run of consecutive documents is cut out and linted on its own, as
 * `lintCut` lints parts, and the results joined with the file's lines and document indexes (the
 * stats are those of the runs). Undefined when the text may not be cut (see above); `normalized` is
 * `normalizeText(text)`. The run's main containers and cross-file reports are handed to each run
 * re-keyed, only those of its documents (a file with thousands of runs is not quadratic). `lint`
 * lints a run (`lintTextInParts`; `lintLate` locates only the cross-file reports); undefined from it
 * is undefined from the whole.
 */
export function lintRuns(
  text: string,
  normalized: string,
  runs: readonly DocumentRun[],
  file: string,
  options: LintOptions,
  late: readonly LateReport[] | undefined,
  lint: (text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined) => FileResult | undefined = lintTextInParts,
): FileResult | undefined {
  if (!cuttable(text, normalized)) return undefined;
  // This file's main containers and reports by document.
  const mains = overridesByDocument(options.mainOverrides, file);
  const reports = new Map<number, LateReport[]>();
  for (const r of late ?? []) {
    const list = reports.get(r.origin.documentIndex);
    if (list) list.push(r);
    else reports.set(r.origin.documentIndex, [r]);
  }
  const result: FileResult = { file, findings: [], stats: emptyStats(), facts: [] };
  for (const run of runs) {
    const { base, lines } = run;
    let runOptions = options;
    if (options.mainOverrides) {
      const overrides = new Map<string, string>();
      for (let d = base; d < base + run.documents; d++) for (const [path, value] of mains.get(d) ?? []) overrides.set(objectKey(file, d - base, path), value);
      runOptions = lintOptionsCopy(options, { mainOverrides: overrides });
    }
    // Set to undefined rather than deleted: the copy keeps the options' shape (see lintOptionsOf).
    if (runOptions.onlyDocuments) runOptions = lintOptionsCopy(runOptions, { onlyDocuments: undefined });
    let runLate: LateReport[] | undefined;
    if (late) {
      runLate = [];
      for (let d = base; d < base + run.documents; d++) {
        for (const r of reports.get(d) ?? []) runLate.push({ ...r, origin: { ...r.origin, documentIndex: d - base } });
      }
    }
    const part = lint(text.slice(run.start, run.end), file, runOptions, runLate);
    if (!part || part.stats.documents !== run.documents) return undefined; // not the documents the file's `---` lines say
    for (const f of part.findings) {
      f.line += lines;
      f.endLine += lines;
      if (f.fixes) f.fixes = f.fixes.map((fix) => ({ ...fix, documentIndex: fix.documentIndex + base }));
      result.findings.push(f);
    }
    for (const fact of part.facts ?? []) result.facts!.push({ ...fact, documentIndex: fact.documentIndex + base });
    addStats(result.stats, part.stats);
    checkHeap(file);
  }
  result.stats.files = 1;
  return result;
}
