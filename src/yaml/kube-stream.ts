/**
 * The stream as Kubernetes reads it, before any YAML parser sees it. kubectl (apimachinery's
 * YAMLOrJSONDecoder) sniffs a stream that starts with `{` as JSON, else splits it at lines that
 * start with `---` and gives each part to go-yaml v2 (YAML 1.1), which reads the part's first
 * document only. Where that differs from what a YAML 1.2 parser reads, this module either rewrites
 * the text the way Kubernetes reads it (same length, so offsets never move) or names the problem:
 *
 * - U+2028, U+2029 and NEL (U+0085) are line breaks for go-yaml: read as line feeds (and reported,
 *   since editors and diff views show the text after them on the same line: a comment can hide a
 *   whole container);
 * - a byte order mark at the start of a part is dropped by go-yaml: it is moved onto the separator
 *   line as a space;
 * - content after a `...` line in the same part is never read by Kubernetes: blanked (spaces) and
 *   reported;
 * - a line that starts with `---` followed by anything but spaces or a comment, a directive (`%…`,
 *   left without its document by the split) and a file that starts with `{` but is not JSON make
 *   kubectl reject the file: reported.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */

type StreamProblemId = 'parse-error' | 'yaml-compat';

export interface StreamProblem {
  ruleId: StreamProblemId;
  message: string;
  start: number;
  end: number;
}

/** Characters go-yaml v2 reads as line breaks and YAML 1.2 parsers do not. */
const UNICODE_BREAKS_ALL = /[\u2028\u2029\u0085]/g;

/**
 * Whether a text holds any of them (U+2028, U+2029, NEL). Three `indexOf` calls: many times faster
 * than a regular expression over a whole text, and this is asked of every text several times.
 */
export function hasUnicodeBreaks(text: string): boolean {
  return text.indexOf('\u2028') >= 0 || text.indexOf('\u2029') >= 0 || text.indexOf('\u0085') >= 0;
}

/**
 * Where a YAML document starts, written once for every reader of the stream (the splitter, the exact
 * and fast parsers' helpers, the light reader, suppressions, helm streams):
 * - a separator line (`isSeparatorLine`, `SEPARATOR_LINES`): a line that starts with `---` followed
 *   by nothing but spaces or tabs and a comment, as apimachinery splits a stream into parts. (Its
 *   reader trims any Unicode space after `---`; here only spaces and tabs count, so a `---` followed
 *   by another space character is one of the separator lines kubectl is said to refuse.)
 * - a document marker (`documentMarkerAt`): `---` (start) or `...` (end) at the start of a line,
 *   followed by a space, a tab, a line break or the end of the text, as YAML (go-yaml, js-yaml,
 *   `yaml`) reads it, content after it on the same line allowed.
 */
const MARKER_LINE_REST = '[ \\t]*(?:#[^\\n]*)?\\r?$';
const SEPARATOR_LINE = new RegExp(`^---${MARKER_LINE_REST}`);
const END_MARKER_LINE = new RegExp(`^\\.\\.\\.${MARKER_LINE_REST}`);

/** Separator lines of a whole text (global, multiline): each match is one line, without its line feed. */
export const SEPARATOR_LINES = new RegExp(`^---${MARKER_LINE_REST}`, 'gm');

/** Whether a line (without its line feed; a trailing CR allowed) is a separator: `---`, blanks, a comment. */
export function isSeparatorLine(line: string): boolean {
  return SEPARATOR_LINE.test(line);
}

/** Whether a line is a document marker, `---` or `...`, with nothing after it but blanks and a comment. */
export function isMarkerLine(line: string): boolean {
  return SEPARATOR_LINE.test(line) || END_MARKER_LINE.test(line);
}

/**
 * Whether a text holds nothing but blank lines and comments (lines end in `\n` or `\r\n`; the last
 * may have no line break). Such lines before a stream's first separator line are no document of
 * their own: YAML reads them as comments of the document after the `---`. A loop, not a regular
 * expression: one with `#[^\n]*\r?\n` repeated backtracks exponentially on CRLF comment lines
 * followed by content.
 */
export function onlyComments(text: string): boolean {
  for (let start = 0; start <= text.length; ) {
    const lineFeed = text.indexOf('\n', start);
    const end = lineFeed < 0 ? text.length : lineFeed;
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i < end && text[i] !== '#' && !(text[i] === '\r' && i + 1 === end)) return false;
    start = end + 1;
  }
  return true;
}

/**
 * Where Kubernetes splits a stream before parsing each part: offset 0 and each separator line
 * (`SEPARATOR_LINES`).
 */
export function separatorOffsets(text: string): number[] {
  const out = [0];
  for (const m of text.matchAll(SEPARATOR_LINES)) if (m.index > 0) out.push(m.index);
  return out;
}

/**
 * Where the documents of a stream start, each running to the next: its separator offsets, except
 * that blank lines and comments before the first separator line (`onlyComments`) are no document:
 * the first document then starts at that separator line.
 */
export function documentStarts(text: string): number[] {
  const starts = separatorOffsets(text);
  if (starts.length > 1 && onlyComments(text.slice(0, starts[1]))) starts.shift();
  return starts;
}

/** The YAML document marker (`---` or `...`) at `at`, a line start, if there is one. */
export function documentMarkerAt(text: string, at = 0): '---' | '...' | undefined {
  const c = text[at];
  if ((c !== '-' && c !== '.') || text[at + 1] !== c || text[at + 2] !== c) return undefined;
  const next = text[at + 3];
  if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\r' && next !== '\n') return undefined;
  return c === '-' ? '---' : '...';
}

/** A byte order mark right after a separator line (the start of a part). */
const BOM_AFTER_SEPARATOR = /^(---[ \t]*(?:#[^\r\n]*)?)(\r?\n)\uFEFF/gm;

/**
 * Line breaks as Kubernetes reads them (same length): lone CR, U+2028, U+2029 and NEL become line
 * feeds, and a byte order mark at the start of a part moves onto its separator line as a space.
 * `text` has no leading byte order mark.
 */
export function kubeLineBreaks(text: string): string {
  let out = text;
  if (out.includes('\r')) out = out.replace(/\r(?!\n)/g, '\n');
  if (hasUnicodeBreaks(out)) out = out.replace(UNICODE_BREAKS_ALL, '\n');
  if (out.includes('\uFEFF')) out = out.replace(BOM_AFTER_SEPARATOR, '$1 $2');
  return out;
}

/**
 * Where each apimachinery part starts: offset 0 and each line that starts with `---` followed by
 * blanks or a comment, lines being split at line feeds only (as apimachinery's reader splits them).
 */
export function partStarts(original: string): number[] {
  const out = [0];
  for (let at = original.indexOf('\n---'); at >= 0; at = original.indexOf('\n---', at + 1)) {
    const start = at + 1;
    const end = original.indexOf('\n', start);
    if (isSeparatorLine(original.slice(start, end < 0 ? original.length : end))) out.push(start);
  }
  return out;
}

/** Lines that may start with a document marker (see `documentMarkerAt`). */
const MARKER_CANDIDATES = /^(?:---|\.\.\.)/gm;

export interface IgnoredRange {
  /** Where the marker (`...` or `---`) that ends the part's first document is. */
  marker: number;
  kind: 'end' | 'start';
  from: number;
  to: number;
}

/**
 * Content Kubernetes never reads. sigs.k8s.io/yaml reads only the first document of each part
 * apimachinery splits the stream into (at `---` lines after a line feed): what follows a `...` line
 * that ends it, or a `---` line that go-yaml sees but apimachinery does not (after a lone carriage
 * return, U+2028, U+2029 or NEL), is ignored up to the end of the part. `original` is the file
 * without its byte order mark, `text` the same after `kubeLineBreaks` (same length). Only parts
 * where something other than blanks and comments follows are listed.
 */
export function ignoredAfterDocumentEnd(original: string, text: string): IgnoredRange[] {
  // When the original's only line breaks are line feeds (most texts), each `---` at a line start
  // follows a line feed in the original too, and is skipped below: only `...` lines can end a part.
  const plain = !original.includes('\r') && !hasUnicodeBreaks(original);
  if (!text.includes('...') && (plain || !text.includes('---'))) return [];
  const out: IgnoredRange[] = [];
  // The parts, found only when a marker needs them (most texts have only `---` lines after line feeds).
  let starts: number[] | undefined;
  let part = 0;
  for (const at of plain ? endMarkerCandidates(text) : markerCandidates(text)) {
    if (!documentMarkerAt(text, at)) continue;
    const dash = text.charCodeAt(at) === 45;
    // A `---` line at the start or after a line feed is apimachinery's business: a part start, or a
    // separator it refuses (reported by streamProblems; the document after it is still linted).
    if (dash && (at === 0 || original[at - 1] === '\n')) continue;
    starts ??= partStarts(original);
    while (part + 1 < starts.length && starts[part + 1]! <= at) part++;
    const partStart = starts[part]!;
    if (at === partStart) continue; // the part's own separator
    const to = starts[part + 1] ?? text.length;
    if (out.length > 0 && out[out.length - 1]!.to === to) continue; // the part is already cut
    // Only a marker after some content ends the part's first document.
    const before = text.slice(partStart, at).replace(/^---[^\n]*\n?/, '');
    if (!/^[ \t]*[^\s#]/m.test(before)) continue;
    const from = at + 3;
    if (!/\S/.test(text.slice(from, to).replace(/(^|[ \t])#[^\n]*/gm, '$1'))) continue;
    out.push({ marker: at, kind: dash ? 'start' : 'end', from, to });
  }
  return out;
}

/** The line starts of `text` (lines ending in line feeds only) where `...` stands, in order. */
function endMarkerCandidates(text: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf('...'); at >= 0; at = text.indexOf('...', at + 1)) if (at === 0 || text.charCodeAt(at - 1) === 10) out.push(at);
  return out;
}

/**
 * Where MARKER_CANDIDATES matches, in order. A text whose only line breaks are line feeds (most)
 * is searched for `\n---` and `\n...` with indexOf instead, many times faster than trying `^` at
 * every position.
 */
export function markerCandidates(text: string): number[] {
  const out: number[] = [];
  if (text.includes('\r') || hasUnicodeBreaks(text)) {
    MARKER_CANDIDATES.lastIndex = 0;
    for (let m = MARKER_CANDIDATES.exec(text); m; m = MARKER_CANDIDATES.exec(text)) out.push(m.index);
    return out;
  }
  if (text.startsWith('---') || text.startsWith('...')) out.push(0);
  let dash = text.indexOf('\n---');
  let dot = text.indexOf('\n...');
  while (dash >= 0 || dot >= 0) {
    if (dot < 0 || (dash >= 0 && dash < dot)) {
      out.push(dash + 1);
      dash = text.indexOf('\n---', dash + 1);
    } else {
      out.push(dot + 1);
      dot = text.indexOf('\n...', dot + 1);
    }
  }
  return out;
}

/** Blanks (spaces, line breaks kept) what Kubernetes never reads. */
export function blankIgnored(text: string, ranges: readonly { from: number; to: number }[]): string {
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { from, to } of ranges) {
    out += text.slice(at, from) + text.slice(from, to).replace(/[^\r\n]/g, ' ');
    at = to;
  }
  return out + text.slice(at);
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const BREAK_NAMES: Record<string, string> = { '\u2028': 'line separator', '\u2029': 'paragraph separator', '\u0085': 'next line, NEL' };

/**
 * What Kubernetes reads differently from a plain YAML reading of the stream, or rejects. `original`
 * is the file without its leading byte order mark (before `kubeLineBreaks`), `text` after it.
 * `jsonSniff` false: a text that starts with `{` is not checked for JSON (it has a parse error already).
 */
export function streamProblems(original: string, text: string, jsonSniff = true): StreamProblem[] {
  const out: StreamProblem[] = [];
  // Unicode line breaks: one finding per line they split.
  if (hasUnicodeBreaks(original)) {
    const re = /[\u2028\u2029\u0085]/g;
    let lastLineStart = -1;
    for (let m = re.exec(original); m; m = re.exec(original)) {
      const lineStart = original.lastIndexOf('\n', m.index) + 1;
      if (lineStart === lastLineStart) continue;
      lastLineStart = lineStart;
      const c = m[0];
      out.push({
        ruleId: 'yaml-compat',
        message: `This line contains ${hex(c.charCodeAt(0))} (${BREAK_NAMES[c]}), which Kubernetes reads as a line break but editors and diff views show as part of the line: what follows it (even inside a comment) is YAML Kubernetes applies. It was linted as Kubernetes reads it; replace the character with a line feed.`,
        start: m.index,
        end: m.index + 1,
      });
    }
  }
  // Separator lines apimachinery refuses.
  for (const m of text.matchAll(/^---[^\n]*/gm)) {
    if (isSeparatorLine(m[0])) continue;
    if (m.index > 0 && original[m.index - 1] !== '\n') continue; // not a line for apimachinery
    out.push({
      ruleId: 'parse-error',
      message:
        'A line that starts with --- must hold nothing else but spaces or a comment: kubectl rejects the file (invalid YAML document separator). Put what follows --- on the next line.',
      start: m.index,
      end: m.index + Math.max(3, m[0].replace(/\r$/, '').length),
    });
  }
  // Directives: the split at `---` leaves them in a part of their own, without a document.
  for (const m of text.matchAll(/^%[^\n]*/gm)) {
    out.push({
      ruleId: 'parse-error',
      message:
        'A directive (a line starting with %): kubectl splits the stream at --- lines, which leaves the directive without its document, and rejects the file. Remove the directive.',
      start: m.index,
      end: m.index + Math.max(1, m[0].replace(/\r$/, '').length),
    });
  }
  for (const r of ignoredAfterDocumentEnd(original, text)) {
    out.push({
      ruleId: 'yaml-compat',
      message:
        r.kind === 'end'
          ? 'Kubernetes reads a document only up to a ... line and ignores what follows it up to the next --- line; that content was not linted. Remove the ... line, or start a new document with ---.'
          : 'Kubernetes splits a stream into documents only at --- lines after a line feed; this --- follows another line break (a lone carriage return, U+2028, U+2029 or NEL), so Kubernetes reads only the document before it and ignores this one and what follows up to the next --- line. It was not linted. Use line feeds.',
      start: r.marker,
      end: r.marker + 3,
    });
  }
  const json = jsonSniff ? jsonSniffProblem(text) : undefined;
  if (json) out.push(json);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Whether `streamProblems(original, text)` would find anything, for less work: no messages, and
 * literal searches where it runs expressions with `^` over the whole text. `text` is
 * `kubeLineBreaks(original)`, so its lines start at offset 0 and after line feeds only (a carriage
 * return in it is always followed by a line feed).
 */
export function hasStreamProblems(original: string, text: string): boolean {
  if (hasUnicodeBreaks(original)) return true;
  // Separator lines apimachinery refuses.
  const refused = (at: number): boolean => {
    const end = text.indexOf('\n', at);
    return !isSeparatorLine(text.slice(at, end < 0 ? text.length : end)) && (at === 0 || original[at - 1] === '\n');
  };
  if (text.startsWith('---') && refused(0)) return true;
  for (let lineFeed = text.indexOf('\n---'); lineFeed >= 0; lineFeed = text.indexOf('\n---', lineFeed + 1)) if (refused(lineFeed + 1)) return true;
  // Directives.
  if (text.startsWith('%') || text.includes('\n%')) return true;
  return ignoredAfterDocumentEnd(original, text).length > 0 || jsonSniffProblem(text) !== undefined;
}

/** kubectl reads a stream whose first character (after white space) is `{` as JSON. */
function jsonSniffProblem(text: string): StreamProblem | undefined {
  const m = /^\s*\{/.exec(text);
  if (!m) return undefined;
  if (isJsonStream(text)) return undefined;
  const start = m[0].length - 1;
  return {
    ruleId: 'parse-error',
    message:
      'The file starts with {, so kubectl reads it as JSON, and it is not JSON (it may be YAML written in flow style): kubectl rejects it. Write it as JSON, or as block YAML.',
    start,
    end: start + 1,
  };
}

/** Whether the text is one or more JSON values (Go's json.Decoder reads a stream of them). */
function isJsonStream(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // Several top-level objects one after the other: split at `}` followed by `{` across white space.
    const pieces = text.split(/(?<=\})\s*(?=\{)/);
    if (pieces.length < 2) return false;
    try {
      for (const p of pieces) JSON.parse(p);
      return true;
    } catch {
      return false;
    }
  }
}
