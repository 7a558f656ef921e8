/**
 * Text → YAML documents. Knows YAML, not Kubernetes.
 *
 * Syntax problems become engine findings (`parse-error`, `duplicate-key`, `yaml-compat`) instead of
 * exceptions. Messages are built from the parser's error code and position only: the parser's own
 * message carries a snippet of the source, which may hold a secret, so it is never passed on.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, parseAllDocuments, parseDocument, Parser, YAMLParseError, type Document, type Tags } from 'yaml';
import { locateOffsets } from './locate.js';
import { kubeYamlTags } from './kube-scalars.js';
import { blankIgnored, documentMarkerAt, hasUnicodeBreaks, ignoredAfterDocumentEnd, kubeLineBreaks, separatorOffsets, streamProblems } from './kube-stream.js';
import type { Path } from '../types.js';

type SyntaxRuleId = 'parse-error' | 'duplicate-key' | 'yaml-compat';

export interface SyntaxProblem {
  ruleId: SyntaxRuleId;
  message: string;
  /** Character offsets in the (BOM-stripped) text. */
  start: number;
  end: number;
}

interface ParsedDocument {
  index: number;
  yaml: Document.Parsed;
  /** The plain JavaScript value; undefined when the document could not be read. */
  value: unknown;
  /** False when a syntax error makes the value untrustworthy; the document is then not linted. */
  usable: boolean;
  problems: SyntaxProblem[];
}

export interface ParsedFile {
  /**
   * The text positions are counted in: the parsed text (normalizeText), with U+2028, U+2029 and NEL
   * kept as they are, so that lines are counted the way editors and GitHub show them (Kubernetes
   * reads those characters as line breaks; the parse does too). Same length as the parsed text.
   */
  text: string;
  documents: ParsedDocument[];
}

/**
 * Errors where the `yaml` package is stricter than the Go YAML parser Kubernetes uses. The value
 * `yaml` recovers is linted and the problem is a warning, not a parse error.
 */
const COMPAT_CODES: ReadonlySet<string> = new Set(['BAD_DQ_ESCAPE']);

/** The kind of a compat problem (an error code, or a finer name where a code covers more), else undefined. */
function compatKind(err: { code: string; message: string }): string | undefined {
  if (COMPAT_CODES.has(err.code)) return err.code;
  // `key: "x"#c`, `key: [a]#c`: go-yaml ends the scalar or collection at the quote or bracket.
  if (err.code === 'MISSING_CHAR' && err.message.startsWith('Comments must be separated')) return 'COMMENT_SPACE';
  return undefined;
}

const COMPAT_MESSAGES: Record<string, string> = {
  COMMENT_SPACE:
    'A comment right after a quoted value or a closing bracket, without a space before #; Kubernetes accepts it but other YAML tools reject it. Put a space before the #.',
  BAD_DQ_ESCAPE:
    'Invalid escape sequence in a double-quoted string; Kubernetes accepts it but other YAML tools reject it. Use a single-quoted or plain string instead.',
};

/** A YAML indicator a message may name (it is syntax, not a value). */
const INDICATOR = /^[[\]{},:?|>-]$/;

/**
 * Parser messages that write part of the source into the text (a tag, a directive, the first
 * character of a value, a token), as text that names none of it: the finding's position says where.
 */
const SOURCE_QUOTING: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Plain value cannot start with /, () => 'A plain (unquoted) value cannot start with @, ` or %; quote the value'],
  [/^Unknown directive/, () => 'Unknown directive'],
  [/^Unsupported YAML version/, () => 'Unsupported YAML version'],
  [/^Not a valid tag/, () => 'Not a valid tag'],
  [/^Verbatim tags aren't resolved/, () => 'Verbatim tags are not resolved'],
  [/^The .* tag has no suffix/s, () => 'A tag with a %TAG handle has no suffix'],
  [/^Could not resolve tag/, () => 'A tag could not be resolved'],
  [/^Unresolved tag/, () => 'Unresolved tag'],
  [/^Unresolved plain scalar/, () => 'Unresolved plain scalar'],
  [/^Block scalar header includes extra characters/, () => 'Block scalar header includes extra characters'],
  [/^Invalid escape sequence/, () => 'Invalid escape sequence in a double-quoted string'],
  [/^Ordered maps must not include duplicate keys/, () => 'Ordered maps must not include duplicate keys'],
  [/^Anchors and tags must be after the (.*) indicator/s, (m) => `Anchors and tags must be after the ${INDICATOR.test(m[1]!) ? `${m[1]} ` : ''}indicator`],
  [/^Unexpected (.*) in (flow map|flow sequence|flow collection|collection|block map|block sequence)$/s, (m) => `Unexpected ${INDICATOR.test(m[1]!) ? m[1] : 'token'} in ${m[2]}`],
];

/** The parser's message without its " at line …" suffix and source snippet. */
function plainMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  const cut = firstLine.search(/ at line \d+, column \d+:?$/);
  let text = (cut >= 0 ? firstLine.slice(0, cut) : firstLine).trim();
  for (const [pattern, safe] of SOURCE_QUOTING) {
    const m = pattern.exec(text);
    if (m) return safe(m);
  }
  // Some messages quote the source after a colon ("extra characters: |hunter2"); never pass it on.
  // A colon after a space is the `:` indicator named in the text ("Missing , or : between …").
  const colon = text.search(/(?<=\S):/);
  if (colon >= 0) text = text.slice(0, colon).trim();
  // …or in quotes ("Unexpected scalar token in YAML stream: \"x\"")
  text = text.replace(/\s*"[^"]*"/g, '').replace(/\s*'[^']*'/g, '');
  return text.length > 0 ? text : 'Invalid YAML';
}

/** The key written at an offset (for messages; keys are names, never values). */
/** The `duplicate-key` problem of a key written again at `start` (the fast path gives the same). */
export function duplicateKeyProblem(text: string, start: number): SyntaxProblem {
  const key = keyAt(text, start);
  return {
    ruleId: 'duplicate-key',
    message: `Duplicate key${key ? ` "${key}"` : ''} in a mapping; Kubernetes rejects or warns on it and only this later value is used. Remove one of them.`,
    start,
    end: start + Math.max(1, key.length),
  };
}

function keyAt(text: string, offset: number): string {
  const line = text.slice(offset, offset + 200).split(/\r?\n/, 1)[0] ?? '';
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#]*?))\s*:(?:\s|$)/.exec(line);
  const key = m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

/**
 * The most nodes a document's value may reach through aliases, counted expanded (a YAML bomb has
 * billions). Real manifests with anchors stay far below.
 */
export const MAX_ALIAS_EXPANSION = 10_000;

/**
 * The largest input parsed, in characters (a file's size is checked in bytes before it is read, see
 * lint-files.ts). Kubernetes itself rejects objects over ~1.5 MB; the exact parser needs about 0.7 s
 * and 45 MB per MB of YAML, so this bounds one file to seconds and a few hundred MB.
 */
export const MAX_INPUT_SIZE = 10 * 1024 * 1024;

/**
 * The deepest nesting of maps and lists in a document (real manifests stay under 30). Deeper input
 * is a parse error instead of a stack overflow in the parser or in a rule.
 */
export const MAX_DEPTH = 256;

/**
 * Characters YAML does not allow in a stream (and Kubernetes' YAML parser rejects): C0 and C1
 * controls other than tab, line feed, carriage return and NEL, the non-characters U+FFFE and
 * U+FFFF, and unpaired surrogates.
 */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF\uD800-\uDFFF]/u;
/**
 * The same characters by UTF-16 unit, any surrogate included (paired ones are fine text): no match
 * here means none for NON_PRINTABLE, and this look is many times faster (a regular expression in
 * Unicode mode over a whole text was a tenth of a large file's run). On a match, NON_PRINTABLE decides.
 */
const MAYBE_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text as both parser paths read it, which is the text as Kubernetes reads it (see
 * kube-stream.ts): without a byte order mark; each lone carriage return (old Mac line endings),
 * U+2028, U+2029 and NEL turned into a line feed; a byte order mark at the start of a later document
 * moved onto its `---` line as a space; content Kubernetes never reads (after a `...` line, or a
 * `---` line that only go-yaml sees, up to the next `---` line after a line feed) blanked. Same length, so offsets do not move, and lines are then counted the way
 * Kubernetes counts them.
 */
export function normalizeText(input: string): string {
  const original = stripBom(input);
  const text = kubeLineBreaks(original);
  return blankIgnored(text, ignoredAfterDocumentEnd(original, text));
}

/** Scalars are read as Kubernetes reads them (go-yaml v2, YAML 1.1): see kube-scalars.ts. */
const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: false,
  strict: true,
  merge: true,
  logLevel: 'error',
  schema: 'core',
  customTags: kubeYamlTags as unknown as (tags: Tags) => Tags,
} as const;

function isFatal(err: { code: string; message: string }): boolean {
  return err.code !== 'DUPLICATE_KEY' && compatKind(err) === undefined;
}

/** `1.5 MB` (MB = 1024 × 1024). */
function formatSize(size: number): string {
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/** The message for an input over MAX_INPUT_SIZE. */
export function tooLargeMessage(size: number, unit: 'bytes' | 'characters'): string {
  const shown = unit === 'bytes' ? formatSize(size) : `${formatSize(size)} (${size} characters)`;
  return `The file is too large to lint: ${shown}, the limit is ${formatSize(MAX_INPUT_SIZE)}. It was not parsed; split it into smaller files.`;
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a character cannot be in a YAML stream (names the code point, never the text around it). */
function nonPrintableMessage(code: number): string {
  if (code === 0) {
    return 'The file contains a NUL character (U+0000): it is binary, or UTF-16 text without a byte order mark. It was not linted.';
  }
  if (code >= 0xd800 && code <= 0xdfff) {
    return `The file contains an unpaired surrogate (${hex(code)}), which is not valid text. It was not linted.`;
  }
  if (code === 0xfffe || code === 0xffff) return `The file contains the non-character ${hex(code)}, which YAML does not allow. It was not linted.`;
  return `The file contains the control character ${hex(code)}, which YAML does not allow (write it as an escape in a double-quoted string). It was not linted.`;
}

/**
 * A problem with the input as a whole, found before parsing: too large, or characters YAML does not
 * allow (a binary file, a NUL byte). One problem for the file; nothing in it is linted.
 */
export function inputProblem(text: string): SyntaxProblem | undefined {
  if (text.length > MAX_INPUT_SIZE) {
    return { ruleId: 'parse-error', message: tooLargeMessage(text.length, 'characters'), start: 0, end: 1 };
  }
  const bad = MAYBE_NON_PRINTABLE.test(text) ? NON_PRINTABLE.exec(text) : null;
  if (bad) return { ruleId: 'parse-error', message: nonPrintableMessage(bad[0].codePointAt(0)!), start: bad.index, end: bad.index + 1 };
  return undefined;
}

/** The YAML nodes of a document, depth first in document order (iterative: any depth). */
function walkNodes(doc: Document.Parsed, visit: (node: unknown, depth: number) => void): void {
  const nodes: unknown[] = [doc.contents];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (node == null) continue;
    visit(node, depth);
    if (isMap(node) || isSeq(node)) {
      const items = node.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) {
        const item = items[i];
        if (isPair(item)) {
          nodes.push(item.value, item.key);
          depths.push(depth + 1, depth + 1);
        } else {
          nodes.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
}

/** Moves a document parsed on its own to `offset` in the whole text: its nodes, errors and warnings. */
function shiftDocument(doc: Document.Parsed, offset: number): void {
  if (offset === 0) return;
  const shift = (range: number[] | null | undefined) => {
    if (range) for (let i = 0; i < range.length; i++) range[i]! += offset;
  };
  shift(doc.range);
  for (const e of [...doc.errors, ...doc.warnings]) shift(e.pos);
  walkNodes(doc, (node) => {
    const n = node as { range?: number[] | null };
    shift(n.range);
  });
}

/**
 * Parses the stream; when a document is broken, parses each `---` part on its own (as Kubernetes
 * does), so that one broken document does not swallow the ones after it. Positions stay those of
 * the whole text: each part's documents are moved to where the part starts.
 */
function parseDocuments(text: string): { doc: Document.Parsed; end: number }[] {
  const whole = parsedOrOverflow(text);
  const all = () => whole.map((doc) => ({ doc, end: text.length }));
  if (!whole.some((d) => d.errors.some((e) => isFatal(e)))) return all();
  const starts = separatorOffsets(text);
  if (starts.length < 2) return all();
  const out: { doc: Document.Parsed; end: number }[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    for (const doc of parsedOrOverflow(text.slice(start, end))) {
      shiftDocument(doc, start);
      out.push({ doc, end });
    }
  });
  return out;
}

/**
 * `parseAllDocuments`, or, when `yaml`'s parser runs out of stack (it nests a level for each flow
 * collection ended at an under-indented line, and unwinds them recursively: two documents of 2,000
 * such collections overflowed it, and the run ended with "internal error: Maximum call stack size
 * exceeded"), one empty document holding that error where the text's content starts. The caller
 * then parses the `---` parts on their own, and parseText reports a part that still overflows as
 * nested too deep.
 */
function parsedOrOverflow(text: string): Document.Parsed[] {
  try {
    return parseAllDocuments(text, PARSE_OPTIONS);
  } catch (e) {
    if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) throw e;
    const doc = parseDocument('', PARSE_OPTIONS);
    const at = Math.min(firstContent(text), Math.max(0, text.length - 1));
    doc.errors.push(new YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', 'Maximum call stack size exceeded'));
    return [doc];
  }
}

/** Where a text's first character that is not white space is (0 when none). */
function firstContent(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : 0;
}

const MISSING_QUOTE = /^Missing closing ["']quote/;

/** A quoted scalar YAML 1.2 refuses (continuation lines not indented past its key) and go-yaml reads. */
interface QuoteFix {
  start: number;
  end: number;
  value: string;
  /** No yaml-compat warning: under-indented only after U+2028, U+2029 or NEL (see `quietFix`). */
  quiet?: boolean;
}

/** Where a value continues on a line indented no more than its key (go-yaml reads it; YAML 1.2 does not). */
interface Unindented {
  at: number;
  kind: 'quoted' | 'flow';
}

/**
 * Documents parsed as Kubernetes reads them, where quoted scalars and flow collections may continue
 * on lines indented no more than their key (go-yaml does not check; YAML 1.2 does):
 * - such a quoted scalar is parsed as a same-length placeholder (`""` or `''` on its first line,
 *   then blanks, line breaks kept), and its node then gets the value go-yaml reads (the lines folded);
 * - in such a flow collection, the line break before the under-indented line is parsed as a space
 *   (in flow context a line break between tokens is white space), so offsets do not move.
 * Each is found as the parser's first error in its document, mended, and the text parsed again (at
 * most 200 rounds); after the first, the next ones of its document (of the same kind) are found
 * with the lexer and mended in the same round (laterQuoteFixes, laterFlowJoins), so n of them cost
 * about one parse, not n.
 * Positions are counted in the text given, not in the text parsed.
 */
function parseAsKubernetes(text: string, original: string): { doc: Document.Parsed; end: number; unindented: Unindented[] }[] {
  let docs = parseDocuments(text);
  const fixes: QuoteFix[] = [];
  const starts = new Set<number>(); // where each fix's scalar starts
  const joined: number[] = [];
  let input = text;
  for (let round = 0; round < 200; round++) {
    const join = nextFlowJoin(input, docs);
    if (join !== undefined) {
      input = blankRanges(input, [...(join.comment ? [join.comment] : []), { from: join.from, to: join.to }]);
      joined.push(join.to);
      const more = FLOW_BATCH.enabled ? laterFlowJoins(input, join.to) : [];
      if (more.length === 0) {
        docs = parseDocuments(input);
        continue;
      }
      const batch = keptBatch(input, more, join.to, (j) => j.to, withJoins);
      for (const j of batch.kept) joined.push(j.to);
      FLOW_BATCH.mended += batch.kept.length;
      input = batch.input;
      docs = batch.docs;
      continue;
    }
    const fix = nextQuoteFix(input, docs);
    if (!fix || starts.has(fix.start)) break;
    // `""` then blanks: the placeholder ends on the first line, whatever the indentation after it.
    if (quietFix(input, original, fix)) fix.quiet = true;
    input = withPlaceholder(input, fix);
    fixes.push(fix);
    starts.add(fix.start);
    const more = QUOTE_BATCH.enabled ? laterQuoteFixes(input, original, fix, starts) : [];
    if (more.length === 0) {
      docs = parseDocuments(input);
      continue;
    }
    const batch = keptBatch(input, more, fix.start + 1, (f) => f.start, withPlaceholders);
    for (const f of batch.kept) {
      fixes.push(f);
      starts.add(f.start);
    }
    QUOTE_BATCH.mended += batch.kept.length;
    input = batch.input;
    docs = batch.docs;
  }
  // Each fix by where its scalar starts (a document may have thousands: not a search for each node).
  const fixAt = new Map(fixes.map((f) => [f.start, f]));
  return docs.map(({ doc, end }) => {
    const unindented: Unindented[] = [];
    if (fixes.length > 0) {
      walkNodes(doc, (node) => {
        if (!isScalar(node) || !node.range) return;
        const fix = fixAt.get(node.range[0]);
        if (fix) {
          node.value = fix.value;
          node.range = [fix.start, fix.end + 1, Math.max(node.range[2], fix.end + 1)];
          if (!fix.quiet) unindented.push({ at: fix.start, kind: 'quoted' });
        }
      });
    }
    const [from, to] = [doc.range?.[0] ?? 0, doc.range?.[2] ?? text.length];
    for (const at of joined) if (at >= from && at <= to) unindented.push({ at, kind: 'flow' });
    unindented.sort((a, b) => a.at - b.at);
    return { doc, end, unindented };
  });
}

/**
 * The mends of a batch kept (laterQuoteFixes, laterFlowJoins): all made (`apply`) and the text
 * parsed once; those before the first fatal error at or after `after` that parse still reports
 * (`at`: where a mend is) are kept, as one at a time each would have been its document's first
 * error in turn. The text with the kept ones made, and its documents.
 */
function keptBatch<T>(input: string, more: readonly T[], after: number, at: (mend: T) => number, apply: (text: string, mends: readonly T[]) => string): { input: string; docs: { doc: Document.Parsed; end: number }[]; kept: T[] } {
  const batched = apply(input, more);
  const parsed = parseDocuments(batched);
  const firstError = firstFatalAfter(parsed, after);
  const kept = more.filter((m) => at(m) < firstError);
  if (kept.length === more.length) return { input: batched, docs: parsed, kept };
  const text = apply(input, kept);
  return { input: text, docs: parseDocuments(text), kept };
}

/**
 * Whether a quoted scalar go-yaml reads on under-indented lines is under-indented only because of
 * U+2028, U+2029 or NEL, which break lines for go-yaml (and in `text`) but are ordinary characters
 * for YAML 1.2 tools: with those inside the scalar read as characters (blanks here), the parser
 * finds the scalar well indented. `original` is `text` before those became line feeds.
 */
function quietFix(text: string, original: string, fix: QuoteFix): boolean {
  const source = original.slice(fix.start, fix.end + 1);
  if (!hasUnicodeBreaks(source)) return false;
  const probe = `${text.slice(0, fix.start)}${source.replace(/[\u2028\u2029\u0085]/g, ' ')}${text.slice(fix.end + 1)}`;
  return nextQuoteFix(probe, parseDocuments(probe))?.start !== fix.start;
}

const FLOW_UNINDENTED = /^Flow (?:map|sequence) in block collection must be sufficiently indented/;

/**
 * The line break before a flow collection's under-indented continuation line, which go-yaml reads:
 * `from`–`to` (the CR LF or LF), `to` being where the line starts. A comment ending the line before
 * (a comment line, or one after the last item) is blanked with it (`comment`), so that the joined
 * line is not read as part of the comment; comments are nothing in a flow collection for go-yaml.
 * Undefined when there is none, or when joining the lines could change what is read (a document
 * marker, a comment the parser does not see as one).
 */
function nextFlowJoin(text: string, docs: readonly { doc: Document.Parsed }[]): { from: number; to: number; comment?: { from: number; to: number } } | undefined {
  for (const { doc } of docs) {
    const err = doc.errors.find((e) => isFatal(e));
    if (!err || err.code !== 'BAD_INDENT' || !FLOW_UNINDENTED.test(err.message)) continue;
    const to = text.lastIndexOf('\n', err.pos[0] - 1) + 1;
    if (to <= 0) return undefined;
    // The error must be at the first token of its line: that line is the under-indented one.
    if (!/^[ \t]*$/.test(text.slice(to, err.pos[0]))) return undefined;
    const from = text[to - 2] === '\r' ? to - 2 : to - 1;
    const line = text.slice(to, text.indexOf('\n', to) < 0 ? text.length : text.indexOf('\n', to));
    const beforeStart = text.lastIndexOf('\n', from - 1) + 1;
    const before = text.slice(beforeStart, from);
    if (documentMarkerAt(line) || /^\s*#/.test(line)) return undefined;
    if (!before.includes('#')) return { from, to };
    // A `#` on the line before: a comment to blank if the parser saw one there, else (a `#` in a
    // quoted scalar or a plain one) nothing to do.
    const comment = commentOnLine(text, Math.min(doc.range?.[0] ?? 0, beforeStart), beforeStart, from);
    if (comment === undefined) return /(?:^|\s)#/.test(before) ? undefined : { from, to };
    return { from, to, comment: { from: comment, to: from } };
  }
  return undefined;
}

/**
 * Where a comment starts on the line `start`–`end` as the `yaml` parser reads the text from
 * `docStart` (where the document starts) up to the line's end, else undefined.
 */
function commentOnLine(text: string, docStart: number, start: number, end: number): number | undefined {
  let found: number | undefined;
  const visit = (token: unknown): void => {
    if (found !== undefined || token === null || typeof token !== 'object') return;
    if (Array.isArray(token)) {
      for (const t of token) visit(t);
      return;
    }
    const t = token as { type?: unknown; offset?: unknown };
    if (t.type === 'comment' && typeof t.offset === 'number' && t.offset + docStart >= start && t.offset + docStart < end) {
      found = t.offset + docStart;
      return;
    }
    for (const value of Object.values(token)) if (typeof value === 'object') visit(value);
  };
  for (const token of new Parser().parse(text.slice(docStart, end))) visit(token);
  return found;
}

/** Turns batching off (tests compare the batched search with one join per parse); `mended`: how many it joined. */
export const FLOW_BATCH = { enabled: true, mended: 0 };

/** A line break joined (blanked) before a flow collection's under-indented line; `comment`: where a comment before it starts, blanked with it. */
interface FlowJoin {
  from: number;
  to: number;
  comment?: number;
}

/** Where the first fatal error at or after `at` is in parsed documents (Infinity when none). */
function firstFatalAfter(parsed: readonly { doc: Document.Parsed }[], at: number): number {
  let first = Infinity;
  for (const { doc } of parsed) for (const e of doc.errors) if (isFatal(e) && e.pos[0] >= at) first = Math.min(first, e.pos[0]);
  return first;
}

/** The text with each join's line break (and the comment before it) blanked, built in one pass (joins in order, apart). */
function withJoins(text: string, joins: readonly FlowJoin[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const j of joins) {
    const start = j.comment ?? j.from;
    parts.push(text.slice(at, start), ' '.repeat(j.to - start));
    at = j.to;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * The under-indented lines of flow collections after the one joined at `first`, in its document and
 * the next ones, in order, each joined (`text` has the first joined): what joining them one at a
 * time finds, one parse of the text each (nextFlowJoin: the parser's first error is where the lexer ended the
 * flow collection, FLOW_END), found instead with yaml's lexer as laterQuoteFixes finds quoted values.
 * The first search lexes from the text's start. The lexer's state inside a flow collection is its
 * depth and the indentation a continuation line needs, which the line the collection opened on
 * sets when its bracket follows a `:`, `-` or `?` indicator on it (else the search stops). So the
 * next search lexes from the join, after that line's text up to its bracket and brackets for the
 * depth; or, when the token before the join would go on past it (a plain scalar) or the joined line
 * starts with `:` (read by what came before), from the start of that line. Stops at a collection
 * ended at a document marker, at one after a quoted value cut short in its document, at a line after
 * a `#` the lexer does not read as a comment (as nextFlowJoin); the caller parses the result once
 * and keeps the joins before the first error that parse still reports.
 */
function laterFlowJoins(text: string, first: number): FlowJoin[] {
  if (LEXER_CONTROL.test(text)) return [];
  const out: FlowJoin[] = [];
  let restart: FlowRestart = { at: 0, prefix: '', open: -1, openText: '' };
  let after = first;
  for (;;) {
    const cut = nextCutFlow(text, restart, after, out);
    if (cut === undefined) break;
    out.push(cut.join);
    restart = cut.restart;
    after = cut.join.to;
  }
  return out;
}

/**
 * Where a search starts: at a line start (`prefix` empty), or at a join's line start with `prefix`
 * lexed before it (the open collection's line up to its bracket, `openText`, more brackets, a
 * space): `open`, where that line starts.
 */
interface FlowRestart {
  at: number;
  prefix: string;
  open: number;
  openText: string;
}

/**
 * The first flow collection the lexer ends at an under-indented line after `after` (a join's line
 * start), lexing `text` from `restart` with the joins of `joins` from there on put in, in the same
 * document: the join, and where the next search starts. Lexed a window at a time, twice as far
 * each time, as nextCutQuote.
 */
function nextCutFlow(text: string, restart: FlowRestart, after: number, joins: readonly FlowJoin[]): { join: FlowJoin; restart: FlowRestart } | undefined {
  const from = restart.at;
  let first = joins.length;
  while (first > 0 && (joins[first - 1]!.comment ?? joins[first - 1]!.from) >= from) first--;
  const inWindow = joins.slice(first);
  for (let size = 512; ; size *= 2) {
    const end = Math.min(text.length, Math.max(from, after) + size);
    const parts: string[] = [restart.prefix];
    let at = from;
    for (const j of inWindow) {
      const start = j.comment ?? j.from;
      parts.push(text.slice(at, start), ' '.repeat(j.to - start));
      at = j.to;
    }
    parts.push(text.slice(at, end));
    const found = cutFlowIn(parts.join(''), restart, after, end >= text.length);
    if (found !== 'more') return found;
  }
}

/**
 * nextCutFlow's search in `source`, the text from `restart.at` after its prefix: 'more' when the
 * lexer stopped before it could decide (see cutQuoteIn). Offsets are the text's (the prefix's are
 * before `restart.at`).
 */
function cutFlowIn(source: string, restart: FlowRestart, after: number, complete: boolean): { join: FlowJoin; restart: FlowRestart } | undefined | 'more' {
  const from = restart.at;
  const base = from - restart.prefix.length;
  let pos = base;
  let lineStart = base;
  let depth = 0;
  let indicator = false; // a `:`, `-` or `?` indicator before, on this line
  let lineWhole = true; // no token from an earlier line ends on this one
  let open = -1; // where the line the open flow collection started on starts
  let openText = ''; // that line up to the collection's bracket
  let lastComment = -1;
  let lastPlain = false; // the last token a plain scalar
  let scalarNext = false;
  let cutBefore = false; // a flow collection ended at an under-indented line before `after`, or a quoted value cut short, since the last document marker
  for (const lexeme of new Lexer().lex(source, !complete)) {
    if (lexeme.length === 1 && LEXER_CONTROL.test(lexeme)) {
      scalarNext = lexeme === '\x1f';
      if (lexeme !== '\x18') continue;
      const at = pos;
      const level = depth;
      depth = 0;
      if (at <= after) {
        cutBefore = true;
        continue;
      }
      if (cutBefore || open < 0 || lineStart <= open || !/^[ \t]*$/.test(source.slice(lineStart - base, at - base))) return undefined;
      const lineEnd = source.indexOf('\n', at - base);
      if (documentMarkerAt(source.slice(lineStart - base, lineEnd < 0 ? source.length : lineEnd))) return undefined;
      const to = lineStart;
      const nl = source[to - base - 2] === '\r' ? to - 2 : to - 1;
      // The line before, from `from` when it starts in the prefix: the `#`s of the joined line
      // before `from` were looked at by the earlier joins (a comment, blanked; or one not at the
      // line's start nor after a blank, which nextFlowJoin joins after too).
      const segment = Math.max(from, source.lastIndexOf('\n', nl - base - 1) + 1 + base);
      const before = source.slice(segment - base, nl - base);
      let join: FlowJoin = { from: nl, to };
      if (before.includes('#')) {
        if (lastComment >= segment && lastComment < nl) join = { from: nl, to, comment: lastComment };
        else if (/(?:^|\s)#/.test(before)) return undefined;
      }
      const next: FlowRestart = lastPlain || source[at - base] === ':' ? { at: open, prefix: '', open: -1, openText: '' } : { at: to, prefix: `${openText}${'['.repeat(level - 1)} `, open, openText };
      return { join, restart: next };
    }
    const at = pos;
    pos += lexeme.length;
    if (scalarNext || lexeme.length > 1) {
      const c = lexeme.charCodeAt(0);
      if (scalarNext) lastPlain = true;
      else if (c === 35) lastComment = at;
      // A quoted value cut short at an under-indented line: the parser's first error is its missing
      // quote (mended as such), and joining the line would read it otherwise.
      else if ((c === 34 || c === 39) && cutShort(source, at - base, pos - base)) cutBefore = true;
      else if (at === lineStart && (lexeme === '---' || lexeme === '...')) {
        // A document starts: the next ones' collections are looked at too (one at a time, each
        // document's are joined in turn, whatever the others hold).
        cutBefore = false;
        depth = 0;
        open = -1;
        continue;
      }
      if (!scalarNext && c !== 35 && !/^[ \t\r\n]*$/.test(lexeme)) lastPlain = false;
      scalarNext = false;
      if (lexeme === '\n' || lexeme === '\r\n') {
        lineStart = pos;
        indicator = false;
        lineWhole = true;
        continue;
      }
      const nl = lexeme.lastIndexOf('\n');
      if (nl >= 0) {
        lineStart = at + nl + 1;
        indicator = false;
        lineWhole = false;
      }
      continue;
    }
    const c = lexeme.charCodeAt(0);
    if (c !== 32 && c !== 9 && c !== 10) lastPlain = false;
    if (c === 34 || c === 39) {
      cutBefore = true; // a quote alone: cut short
    } else if (c === 10) {
      lineStart = pos;
      indicator = false;
      lineWhole = true;
    } else if (c === 91 || c === 123) {
      if (depth === 0) {
        // In the prefix: the collection the search started in. On a line begun in the prefix
        // (after a collection closed on a joined line): not a line the lexer can start at.
        if (at < from) {
          open = restart.open;
          openText = restart.openText;
        } else if (indicator && lineWhole && lineStart >= from) {
          open = lineStart;
          openText = source.slice(lineStart - base, at + 1 - base);
        } else {
          open = -1;
        }
      }
      depth++;
    } else if (c === 93 || c === 125) {
      depth = Math.max(0, depth - 1);
    } else if (c === 58 || c === 45 || c === 63) {
      indicator = true;
    }
  }
  return complete ? undefined : 'more';
}

/** The text with each range blanked (spaces; same length). */
function blankRanges(text: string, ranges: readonly { from: number; to: number }[]): string {
  let out = text;
  for (const { from, to } of ranges) out = `${out.slice(0, from)}${' '.repeat(to - from)}${out.slice(to)}`;
  return out;
}

/**
 * The value go-yaml reads for the source of a quoted scalar (quotes included), wherever its lines
 * are indented: the lines are re-indented (folding drops leading blanks) and parsed on their own.
 * `\'` in a double-quoted scalar is a quote for go-yaml. Undefined when it is not readable.
 */
function quotedValue(source: string): string | undefined {
  let text = source;
  if (text.startsWith('"')) text = text.replace(/(?<!\\)((?:\\\\)*)\\'/g, "$1'");
  const lines = text.split('\n');
  const reindented = `x: ${[lines[0], ...lines.slice(1).map((l) => `  ${l.replace(/^[ \t]+/, '')}`)].join('\n')}\n`;
  const probe = parseDocument(reindented, PARSE_OPTIONS);
  if (probe.errors.length > 0) return undefined;
  const value = (probe.toJS() as { x?: unknown } | null)?.x;
  return typeof value === 'string' ? value : undefined;
}

/** `\'` in double-quoted scalars (an escape go-yaml knows and YAML 1.2 does not) read as a quote. */
function readQuoteEscapes(doc: Document.Parsed, text: string): void {
  walkNodes(doc, (node) => {
    if (!isScalar(node) || node.type !== 'QUOTE_DOUBLE' || !node.range) return;
    const source = text.slice(node.range[0], node.range[1]);
    if (!/(?<!\\)(?:\\\\)*\\'/.test(source)) return;
    const value = quotedValue(source);
    if (value !== undefined) node.value = value;
  });
}

const LS_PS = /[\u2028\u2029]/;
const BREAK_START = /[\r\n\u0085\u2028\u2029]/;

/** The line break at `i` as go-yaml's read_line gives it (CR LF, CR, LF, NEL: a line feed; LS, PS: themselves) and its length. */
function readBreak(source: string, i: number): [string, number] {
  const c = source[i]!;
  if (c === '\r' && source[i + 1] === '\n') return ['\n', 2];
  return [c === '\u2028' || c === '\u2029' ? c : '\n', 1];
}

/**
 * The text go-yaml puts for a run of white space with line breaks inside a flow (quoted or plain)
 * scalar: the first break folds to a space when it is a line feed and no other break follows, else
 * the following breaks are kept; a first break that is U+2028 or U+2029 is kept too (go-yaml never
 * folds those). `leading` is '' after an escaped line break.
 */
function foldBreaks(leading: string, trailing: readonly string[]): string[] {
  if (leading === '\n') return trailing.length === 0 ? [' '] : [...trailing];
  return [...(leading ? [leading] : []), ...trailing];
}

/**
 * The value go-yaml reads for a quoted or plain scalar's source (quotes included) that holds U+2028
 * or U+2029: those are line breaks for go-yaml, as for the parse, but go-yaml keeps them in the value
 * where a line feed would fold to a space. Double-quoted: rewritten on one line with the breaks as
 * escapes (\n, \L, \P), escapes then read by the parser; single-quoted and plain: read here. Undefined
 * when it cannot be read.
 */
function goYamlFlowScalar(source: string): string | undefined {
  const quote = source[0] === '"' || source[0] === "'" ? source[0] : '';
  const end = quote ? source.length - 1 : source.length;
  const escape = (b: string) => (b === '\n' ? '\\n' : b === '\u2028' ? '\\L' : '\\P');
  let out = '';
  let i = quote ? 1 : 0;
  while (i < end) {
    const c = source[i]!;
    let escapedBreak = false;
    if (quote === '"' && c === '\\') {
      if (i + 1 < end && BREAK_START.test(source[i + 1]!)) {
        i += 1 + readBreak(source, i + 1)[1];
        escapedBreak = true;
      } else {
        out += source.slice(i, i + 2);
        i += 2;
        continue;
      }
    } else if (quote === "'" && c === "'" && source[i + 1] === "'") {
      out += "'";
      i += 2;
      continue;
    } else if (c !== ' ' && c !== '\t' && !BREAK_START.test(c)) {
      out += c;
      i++;
      continue;
    }
    // White space and line breaks.
    let whitespace = '';
    let leading = escapedBreak ? '' : undefined;
    const trailing: string[] = [];
    while (i < end && (source[i] === ' ' || source[i] === '\t' || BREAK_START.test(source[i]!))) {
      if (source[i] === ' ' || source[i] === '\t') {
        if (leading === undefined) whitespace += source[i];
        i++;
        continue;
      }
      const [b, length] = readBreak(source, i);
      if (leading === undefined) {
        whitespace = '';
        leading = b;
      } else trailing.push(b);
      i += length;
    }
    if (leading === undefined) out += whitespace;
    else {
      const folded = foldBreaks(leading, trailing);
      out += quote === '"' ? folded.map((b) => (b === ' ' ? ' ' : escape(b))).join('') : folded.join('');
    }
  }
  if (quote !== '"') return out;
  return quotedValue(`"${out}"`);
}

/**
 * The value go-yaml reads for a literal block scalar (`|`) whose source holds U+2028 or U+2029:
 * each line break of the content is kept as it is written (a line feed for CR LF, CR, LF and NEL).
 * `value` is the value read with every break a line feed: its line feeds are the content's line
 * breaks in order.
 */
function goYamlLiteral(source: string, value: string): string {
  const header = source.search(BREAK_START);
  if (header < 0) return value;
  const breaks: string[] = [];
  for (let i = header + readBreak(source, header)[1]; i < source.length; ) {
    if (BREAK_START.test(source[i]!)) {
      const [b, length] = readBreak(source, i);
      breaks.push(b);
      i += length;
    } else i++;
  }
  let k = 0;
  return value.replace(/\n/g, () => breaks[k++] ?? '\n');
}

const BLOCK_HEADER = /^>(?:([+-])([1-9])?|([1-9])([+-])?)?[ \t]*(?:#[^\r\n\u0085\u2028\u2029]*)?/;

/**
 * A folded block scalar's source (from its `>` header) read as go-yaml's scanner reads it
 * (yaml_parser_scan_block_scalar) with the content indented `indent` columns: line breaks as
 * readBreak gives them, and a break folds to a space only when it is a line feed between two lines
 * that do not start with a blank and no empty line follows; any other break is kept as written.
 * Undefined when the source is not one go-yaml reads this way.
 */
function foldedAsGoYaml(source: string, indent: number): string | undefined {
  const header = BLOCK_HEADER.exec(source);
  if (!header) return undefined;
  const chomping = (header[1] ?? header[4]) === '-' ? -1 : (header[1] ?? header[4]) === '+' ? 1 : 0;
  let i = header[0].length;
  if (i < source.length) {
    if (!BREAK_START.test(source[i]!)) return undefined;
    i += readBreak(source, i)[1];
  }
  let column = 0;
  let out = '';
  let leading = '';
  let trailing = '';
  let leadingBlank = false;
  // Indentation, empty lines and their breaks (yaml_parser_scan_block_scalar_breaks).
  const breaks = (): boolean => {
    for (;;) {
      while (column < indent && source[i] === ' ') {
        i++;
        column++;
      }
      if (column < indent && source[i] === '\t') return false;
      if (i >= source.length || !BREAK_START.test(source[i]!)) return true;
      const [b, length] = readBreak(source, i);
      trailing += b;
      i += length;
      column = 0;
    }
  };
  if (!breaks()) return undefined;
  while (column === indent && i < source.length) {
    const trailingBlank = source[i] === ' ' || source[i] === '\t';
    if (leading === '\n' && !leadingBlank && !trailingBlank) {
      if (trailing === '') out += ' ';
    } else out += leading;
    out += trailing;
    leading = '';
    trailing = '';
    leadingBlank = trailingBlank;
    const lineStart = i;
    while (i < source.length && !BREAK_START.test(source[i]!)) i++;
    out += source.slice(lineStart, i);
    column += i - lineStart;
    if (i < source.length) {
      const [b, length] = readBreak(source, i);
      leading = b;
      i += length;
      column = 0;
    }
    if (!breaks()) return undefined;
  }
  if (chomping !== -1) out += leading;
  if (chomping === 1) out += trailing;
  return out;
}

/**
 * The value go-yaml reads for a folded block scalar (`>`) whose source holds U+2028 or U+2029:
 * those break lines, as for the parse, but are kept as written where a line feed would fold to a
 * space (`x<U+2028>  y` is `x`, U+2028, `y`). `value` is the value read with every break a line
 * feed; the content's indentation is the one with which go-yaml's reading of that same text gives
 * `value` (the first line's, unless an indentation indicator says up to 16 less). `value` when none does.
 */
function goYamlFolded(source: string, value: string): string {
  const asLineFeeds = source.replace(/[\u2028\u2029]/g, '\n');
  const firstLine = /\n( *)[^ \r\n]/.exec(asLineFeeds.slice(asLineFeeds.search(/\n/)));
  // The first line's indentation, else a few less (an indicator; a bound for hostile input).
  const most = firstLine?.[1]!.length ?? 0;
  for (let indent = most; indent >= Math.max(1, most - 16); indent--) {
    if (foldedAsGoYaml(asLineFeeds, indent) !== value) continue;
    return foldedAsGoYaml(source, indent) ?? value;
  }
  return value;
}

/**
 * Scalars whose source holds U+2028 or U+2029 get the value go-yaml reads (see goYamlFlowScalar,
 * goYamlLiteral, goYamlFolded). `original` is the text before those became line feeds (same offsets).
 */
function readUnicodeBreaksInScalars(doc: Document.Parsed, original: string): void {
  walkNodes(doc, (node) => {
    if (!isScalar(node) || !node.range || typeof node.value !== 'string') return;
    const source = original.slice(node.range[0], node.range[1]);
    if (!LS_PS.test(source)) return;
    if (node.type === 'BLOCK_LITERAL') node.value = goYamlLiteral(source, node.value);
    else if (node.type === 'BLOCK_FOLDED') node.value = goYamlFolded(source, node.value);
    else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' || node.type === 'PLAIN') {
      const value = goYamlFlowScalar(source);
      if (value !== undefined) node.value = value;
    }
  });
}

/** The first quoted scalar the parser could not close that go-yaml reads, with its value; else undefined. */
function nextQuoteFix(text: string, docs: readonly { doc: Document.Parsed }[]): QuoteFix | undefined {
  for (const { doc } of docs) {
    const err = doc.errors.find((e) => isFatal(e));
    if (!err || err.code !== 'MISSING_CHAR' || !MISSING_QUOTE.test(err.message)) continue;
    // The scalar the parser left open: the last quoted one starting before the error.
    let start = -1;
    walkNodes(doc, (node) => {
      if (!isScalar(node) || (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') || !node.range) return;
      const at = node.range[0];
      if (at <= err.pos[0] && at > start) start = at;
    });
    if (start < 0) return undefined;
    return quoteFixAt(text, start);
  }
  return undefined;
}

/**
 * The fix of the quoted scalar starting at `start`, read as go-yaml reads it up to its closing
 * quote; undefined when it has none, ends on its first line, or go-yaml would not read it (a
 * document marker line inside, a value it cannot read).
 */
function quoteFixAt(text: string, start: number): QuoteFix | undefined {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (quote === '"' && text[i] === '\\') i++;
    i++;
  }
  while (quote === "'" && text[i + 1] === "'") {
    i += 2;
    while (i < text.length && text[i] !== "'") i++;
  }
  if (i >= text.length) return undefined;
  const source = text.slice(start, i + 1);
  if (!source.includes('\n')) return undefined;
  // go-yaml ends a quoted scalar with an error at a document marker line.
  for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) if (documentMarkerAt(source, at + 1)) return undefined;
  const value = quotedValue(source);
  if (value === undefined) return undefined;
  return { start, end: i, value };
}

/** The text with a quoted scalar's placeholder (see placeholder). */
function withPlaceholder(text: string, fix: QuoteFix): string {
  return withPlaceholders(text, [fix]);
}

/** Turns batching off (tests compare the batched search with one fix per parse); `mended`: how many it mended. */
export const QUOTE_BATCH = { enabled: true, mended: 0 };

/** Control characters yaml's Lexer yields between lexemes, which are no text of the source. */
const LEXER_CONTROL = /[\x02\x18\x1f]/;

/**
 * The quoted scalars after `first` in its document that go-yaml reads on under-indented lines, in
 * order, each fixed (`text` has `first`'s placeholder): what mending them one at a time finds, one
 * parse of the document each, found instead with yaml's lexer (the `yaml` parser's first error in
 * such a document is the missing quote of the first quoted scalar the lexer cuts short at an
 * under-indented line). Each search lexes from the start of the line of the last scalar found (at
 * first, from the text's start), so the lexer's state is the parser's: the lexer keeps no state
 * across such a line start that a `:`, `-` or `?` indicator before the scalar on its line does not
 * set again (the indentation a continuation line needs). Stops at the first scalar cut short that
 * is not a block value after such an indicator (in a flow collection, alone on its line), that
 * cannot be fixed, or that holds a line break Kubernetes reads and `yaml` does not; the caller
 * parses the result once and keeps the fixes before the first error that parse still reports.
 */
function laterQuoteFixes(text: string, original: string, first: QuoteFix, known: ReadonlySet<number>): QuoteFix[] {
  if (LEXER_CONTROL.test(text)) return [];
  const out: QuoteFix[] = [];
  let from = 0;
  let last: QuoteFix | undefined; // the last one found (`text` has `first`'s placeholder, not its)
  let after = first.start;
  for (;;) {
    const cut = nextCutQuote(text, from, after, last);
    if (cut === undefined) break;
    const fix = quoteFixAt(text, cut.start);
    if (!fix || known.has(fix.start) || hasUnicodeBreaks(original.slice(fix.start, fix.end + 1))) break;
    out.push(fix);
    from = cut.lineStart;
    last = fix;
    after = fix.start;
  }
  return out;
}

/** The text with the placeholders of quoted scalars (in order, apart), built in one pass. */
function withPlaceholders(text: string, fixes: readonly QuoteFix[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const fix of fixes) {
    parts.push(text.slice(at, fix.start), placeholder(text, fix));
    at = fix.end + 1;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** A quoted scalar's placeholder, for text[fix.start..fix.end]: `""` (or `''`) then blanks, line breaks kept. */
function placeholder(text: string, fix: QuoteFix): string {
  const quote = text[fix.start]!;
  return `${quote}${quote}${text.slice(fix.start + 2, fix.end + 1).replace(/[^\r\n]/g, ' ')}`;
}

/**
 * The first quoted scalar after `after` (itself a quoted scalar, whole: `last`'s placeholder is put
 * in when given) that yaml's lexer, lexing `text` from the line start `from`, cuts short at an
 * under-indented line, in the same document: where it starts and where its line starts. Undefined
 * when there is none before the document ends, or when it is not a block value after an indicator
 * on its line (see laterQuoteFixes), or when a scalar is cut short before `after` in its document.
 * The text is lexed a window at a time (the lexer told the text goes on), from `from` each time and
 * twice as far as the last, until it decides: a search costs about the lines up to what it finds.
 */
function nextCutQuote(text: string, from: number, after: number, last: QuoteFix | undefined): { start: number; lineStart: number } | undefined {
  for (let size = 512; ; size *= 2) {
    const end = Math.min(text.length, Math.max(from, last ? last.end + 1 : 0) + size);
    const source = last ? `${text.slice(from, last.start)}${placeholder(text, last)}${text.slice(last.end + 1, end)}` : text.slice(from, end);
    const found = cutQuoteIn(source, from, after, end >= text.length);
    if (found !== 'more') return found;
  }
}

/**
 * nextCutQuote's search in `source`, the text from `from` (offsets counted in the whole text):
 * 'more' when the lexer, told the text goes on past `source` (`complete` false), stopped before it
 * could decide.
 */
function cutQuoteIn(source: string, from: number, after: number, complete: boolean): { start: number; lineStart: number } | undefined | 'more' {
  let pos = from;
  let lineStart = from;
  let depth = 0;
  let depthAtLineStart = 0;
  let indicator = false; // a `:`, `-` or `?` indicator before, on this line
  let flowOnLine = false;
  let scalarNext = false; // the lexer marked the next lexeme as a plain or block scalar
  let cutBefore = false; // a scalar cut short before `after`, since the last document marker
  for (const lexeme of new Lexer().lex(source, !complete)) {
    if (lexeme.length === 1 && LEXER_CONTROL.test(lexeme)) {
      if (lexeme === '\x18') depth = 0;
      scalarNext = lexeme === '\x1f';
      continue;
    }
    const at = pos;
    pos += lexeme.length;
    if (scalarNext) {
      scalarNext = false;
      continue;
    }
    const c = lexeme.charCodeAt(0);
    if (lexeme === '\n' || lexeme === '\r\n') {
      lineStart = pos;
      depthAtLineStart = depth;
      indicator = false;
      flowOnLine = false;
      continue;
    }
    if (at === lineStart && (lexeme === '---' || lexeme === '...')) {
      if (at > after) return undefined;
      cutBefore = false;
      depth = 0;
      continue;
    }
    if (lexeme.length === 1) {
      if (c === 91 || c === 123) {
        depth++;
        flowOnLine = true;
      } else if (c === 93 || c === 125) {
        depth = Math.max(0, depth - 1);
        flowOnLine = true;
      } else if (c === 58 || c === 45 || c === 63) {
        indicator = true;
      }
      continue;
    }
    if (c !== 34 && c !== 39) continue;
    if (!cutShort(source, at - from, pos - from)) continue;
    if (at < after) {
      cutBefore = true;
      continue;
    }
    if (at === after || cutBefore || depth > 0 || depthAtLineStart > 0 || flowOnLine || !indicator) return undefined;
    return { start: at, lineStart };
  }
  return complete ? undefined : 'more';
}

/**
 * Whether the `yaml` parser finds the quoted-scalar lexeme [start, end) without its closing quote
 * (resolve-flow-scalar: its last character is not its quote): the lexer cut it short at an
 * under-indented line. (One cut right after an escaped quote, `"a \\"`, looks closed: the parser's
 * error is then elsewhere, as for a parse one fix at a time.)
 */
function cutShort(text: string, start: number, end: number): boolean {
  return end - start === 1 || text.charCodeAt(end - 1) !== text.charCodeAt(start);
}

/** An error offset at or past the end of its part moves back onto the part's last character of content. */
function clampToContent(text: string, offset: number, limit: number): number {
  let end = limit;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return offset >= end ? Math.max(0, end - 1) : offset;
}

/**
 * Duplicate keys, found in one pass over the document (the parser's own check compares every key
 * with every earlier one, which takes minutes on a mapping with 100,000 keys). Two keys are the
 * same when they are scalars with the same value, as the parser decides; NaN is never a duplicate.
 * Also says whether the document has aliases (without, its value is a tree).
 */
function scanDocument(doc: Document.Parsed): { duplicates: number[]; aliases: boolean } {
  const duplicates: number[] = [];
  let aliases = false;
  walkNodes(doc, (node) => {
    if (isAlias(node)) aliases = true;
    if (!isMap(node)) return;
    const items = node.items as unknown[];
    if (items.length < 2) return;
    const seen = new Set<unknown>();
    for (const pair of items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const value: unknown = pair.key.value;
      if (typeof value === 'number' && Number.isNaN(value)) continue;
      if (seen.has(value)) duplicates.push(pair.key.range?.[0] ?? 0);
      else seen.add(value);
    }
  });
  return { duplicates: duplicates.sort((a, b) => a - b), aliases };
}

/**
 * Whether a tree of plain values (no value reachable twice, as when a document has no aliases)
 * nests deeper than `limit`: a cheap check before the full one (`shapeProblem`). A tree parsed from
 * a text has fewer containers than the text has characters: past `budget` containers it is not a
 * tree, and the answer is true (ask `shapeProblem`).
 */
export function treeDeeperThan(root: unknown, limit = MAX_DEPTH, budget = Infinity): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [1];
  let seen = 0;
  while (values.length > 0) {
    if (++seen > budget) return true;
    const value = values.pop() as Record<string, unknown> | unknown[] | null;
    const depth = depths.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    if (Array.isArray(value)) {
      for (const child of value) {
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else if (value.constructor === Object || Object.getPrototypeOf(value) === null) {
      for (const key in value) {
        const child = value[key];
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

const tooDeepMessage = `Nesting is deeper than ${MAX_DEPTH} levels of maps and lists; the document was not linted.`;

/** Where a document that the parser could not compose (stack exhausted) first nests too deep. */
function tooDeepOffset(doc: Document.Parsed): number | undefined {
  let at: number | undefined;
  walkNodes(doc, (node, depth) => {
    if (at === undefined && depth > MAX_DEPTH && (isMap(node) || isSeq(node))) at = (node as { range?: number[] | null }).range?.[0];
  });
  return at;
}

export type ShapeProblem = { kind: 'too-deep' | 'cycle'; path: Path };

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether a document's value is safe to hand to rules: no deeper than MAX_DEPTH (counting through
 * shared aliased values) and without cycles (an alias inside its own anchor, which Kubernetes
 * rejects). Returns the path of the first offending value. Iterative, and linear in the number of
 * distinct values: a shared value's height is computed once.
 */
export function shapeProblem(root: unknown, limit = MAX_DEPTH): ShapeProblem | undefined {
  if (!isContainer(root)) return undefined;
  interface Frame {
    value: Record<string, unknown> | unknown[];
    key: string | number | undefined;
    keys: string[];
    next: number;
    height: number;
  }
  const heights = new Map<object, number>();
  const onPath = new Set<object>();
  const stack: Frame[] = [];
  const path = (last: string | number): Path => [...stack.slice(1).map((f) => f.key!), last];
  const enter = (value: Record<string, unknown> | unknown[], key: string | number | undefined) => {
    onPath.add(value);
    stack.push({ value, key, keys: Object.keys(value), next: 0, height: 1 });
  };
  if (limit < 1) return { kind: 'too-deep', path: [] };
  enter(root, undefined);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.keys.length) {
      const name = frame.keys[frame.next++]!;
      const key = Array.isArray(frame.value) ? Number(name) : name;
      const child = (frame.value as Record<string, unknown>)[name];
      if (!isContainer(child)) continue;
      if (onPath.has(child)) return { kind: 'cycle', path: path(key) };
      const known = heights.get(child);
      if (known !== undefined) {
        if (stack.length + known > limit) return { kind: 'too-deep', path: path(key) };
        frame.height = Math.max(frame.height, known + 1);
        continue;
      }
      if (stack.length + 1 > limit) return { kind: 'too-deep', path: path(key) };
      enter(child, key);
    } else {
      stack.pop();
      onPath.delete(frame.value);
      heights.set(frame.value, frame.height);
      const parent = stack[stack.length - 1];
      if (parent) parent.height = Math.max(parent.height, frame.height + 1);
    }
  }
  return undefined;
}

/** The YAML node a path names, or undefined (for messages about aliases). */
function nodeAtPath(doc: Document.Parsed, path: Path): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isMap(node)) {
      let found: unknown;
      for (const item of node.items as unknown[]) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment)) found = item.value;
      }
      if (found === undefined) return undefined;
      node = found;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

function shapeToProblem(doc: Document.Parsed, shape: ShapeProblem): SyntaxProblem {
  // Through an alias, the problem is at the alias (locateOffsets would follow it to its anchor).
  const node = nodeAtPath(doc, shape.path);
  const alias = isAlias(node) && node.range ? node : undefined;
  const [start, end] = alias?.range ? [alias.range[0], alias.range[1]] : locateOffsets(doc as Document, shape.path);
  let message = tooDeepMessage;
  if (shape.kind === 'cycle') {
    // The alias's name is text of the file (an unquoted value such as `*pw…` reads as one): not shown.
    message = 'This alias (*) is inside the node its anchor names (a cycle), which Kubernetes rejects; the document was not linted.';
  }
  return { ruleId: 'parse-error', message, start, end: Math.max(end, start + 1) };
}

function unparsedDocument(problem: SyntaxProblem): ParsedDocument {
  return { index: 0, yaml: parseDocument('', PARSE_OPTIONS), value: undefined, usable: false, problems: [problem] };
}

/**
 * How many tokens the `yaml` lexer makes of a text: what parsing it with positions costs in memory
 * (see checkParseFits in src/memory.ts). Tokens are counted as they come, none kept.
 */
export function lexerTokens(text: string): number {
  let count = 0;
  for (const _token of new Lexer().lex(text)) count++;
  return count;
}

export function parseText(input: string): ParsedFile {
  const original = stripBom(input);
  const text = normalizeText(input);
  const refused = inputProblem(text);
  // Asked once: asking per document costs the whole text each time.
  const breaks = hasUnicodeBreaks(original);
  const shown = breaks ? restoreUnicodeBreaks(text, original) : text;
  if (refused) return { text: shown, documents: [unparsedDocument(refused)] };
  const documents: ParsedDocument[] = [];
  parseAsKubernetes(text, original).forEach(({ doc, end: limit, unindented }, index) => {
    const problems: SyntaxProblem[] = [];
    for (const kind of ['quoted', 'flow'] as const) {
      // One warning per document and kind, at the first.
      const first = unindented.find((u) => u.kind === kind);
      if (!first) continue;
      problems.push({
        ruleId: 'yaml-compat',
        message:
          kind === 'quoted'
            ? 'A quoted value continues on a line indented no more than its key; Kubernetes accepts it but other YAML tools reject it. Indent the continuation lines past the key, or write the value on one line.'
            : 'A flow collection ([…] or {…}) continues on a line indented no more than its key; Kubernetes accepts it but other YAML tools reject it. Indent the continuation lines past the key.',
        start: first.at,
        end: first.at + 1,
      });
    }
    let scan: { duplicates: number[]; aliases: boolean } | undefined;
    const fatal = doc.errors.find((e) => isFatal(e));
    let usable = fatal === undefined;
    if (fatal?.code === 'RESOURCE_EXHAUSTION') {
      // The parser ran out of stack: nesting far too deep. Point at where it crosses the limit.
      const start = tooDeepOffset(doc) ?? clampToContent(text, fatal.pos[0], limit);
      problems.push({ ruleId: 'parse-error', message: tooDeepMessage, start, end: start + 1 });
    } else if (fatal) {
      // One parse error per document: the others are usually consequences of the first.
      const start = clampToContent(text, fatal.pos[0], limit);
      problems.push({ ruleId: 'parse-error', message: `${plainMessage(fatal.message)}.`, start, end: Math.max(start + 1, fatal.pos[1]) });
    } else {
      scan = scanDocument(doc);
      for (const start of scan.duplicates) problems.push(duplicateKeyProblem(text, start));
      for (const p of kubeNodeProblems(doc, text)) problems.push(p);
      const compatSeen = new Set<string>();
      for (const err of doc.errors) {
        const kind = compatKind(err);
        if (kind === undefined || compatSeen.has(kind)) continue;
        // One yaml-compat finding per document and kind of problem.
        compatSeen.add(kind);
        const [start, end] = err.pos;
        problems.push({ ruleId: 'yaml-compat', message: COMPAT_MESSAGES[kind] ?? `${plainMessage(err.message)}.`, start, end: Math.max(end, start + 1) });
      }
      problems.sort((a, b) => a.start - b.start);
    }
    let value: unknown;
    if (usable && doc.errors.some((e) => e.code === 'BAD_DQ_ESCAPE')) readQuoteEscapes(doc, text);
    if (usable && breaks) readUnicodeBreaksInScalars(doc, original);
    const bomb = usable && scan?.aliases ? aliasBombOffset(doc) : undefined;
    if (bomb !== undefined) {
      usable = false;
      problems.push({ ruleId: 'parse-error', message: BOMB_MESSAGE, start: bomb, end: bomb + 1 });
    }
    if (usable) {
      try {
        // Bombs are stopped above (aliasBombOffset): no limit here, where a chain would count 2^n.
        value = doc.toJS({ maxAliasCount: -1 });
      } catch (e) {
        usable = false;
        problems.push(conversionProblem(text, doc, e));
      }
    }
    // Without aliases the value is a tree, and the cheap check says it is fine (the usual case).
    if (usable && (scan?.aliases !== false || treeDeeperThan(value, MAX_DEPTH, text.length + 1))) {
      const shape = shapeProblem(value);
      if (shape) {
        usable = false;
        value = undefined;
        problems.push(shapeToProblem(doc, shape));
      }
    }
    documents.push({ index, yaml: doc, value, usable, problems });
  });
  attachStreamProblems(documents, streamProblems(original, kubeLineBreaks(original), documents.every((d) => d.usable)));
  attachToUsable(documents, tabLineProblems(text, documents));
  return { text: shown, documents };
}

/** The parsed text with the Unicode line breaks of the original back in place (same offsets). */
function restoreUnicodeBreaks(text: string, original: string): string {
  let out = '';
  let at = 0;
  for (const m of original.matchAll(/[\u2028\u2029\u0085]/g)) {
    out += text.slice(at, m.index) + m[0];
    at = m.index + 1;
  }
  return out + text.slice(at);
}

/** Each problem of the stream goes to the document it is in (the last one starting at or before it). */
function attachStreamProblems(documents: ParsedDocument[], problems: readonly SyntaxProblem[]): void {
  if (problems.length === 0) return;
  if (documents.length === 0) documents.push({ ...unparsedDocument(problems[0]!), problems: [] });
  for (const problem of problems) {
    let target = documents[0]!;
    for (const doc of documents) if ((doc.yaml.range?.[0] ?? 0) <= problem.start) target = doc;
    target.problems.push(problem);
  }
  for (const doc of documents) doc.problems.sort((a, b) => a.start - b.start);
}

/** Problems go to the document they are in, unless it has a parse error already (one per document). */
function attachToUsable(documents: ParsedDocument[], problems: readonly SyntaxProblem[]): void {
  if (problems.length === 0) return;
  if (documents.length === 0) documents.push({ ...unparsedDocument(problems[0]!), problems: [] });
  for (const problem of problems) {
    let target = documents[0]!;
    for (const doc of documents) if ((doc.yaml.range?.[0] ?? 0) <= problem.start) target = doc;
    if (target.problems.some((p) => p.ruleId === 'parse-error')) continue;
    target.problems.push(problem);
    target.problems.sort((a, b) => a.start - b.start);
  }
}

/** A line of blanks holding a tab (before any comment): go-yaml may refuse the tab. */
const TAB_LINE = /^ *\t[ \t]*(?:#[^\n]*)?\r?$/gm;

const TAB_LINE_MESSAGE =
  "A tab in the blanks of an empty (or comment-only) line, which Kubernetes' YAML parser rejects here (a tab cannot indent, even on a blank line): kubectl refuses the file. Remove the tab, or use spaces.";

/**
 * Blank lines (or comment lines) with a tab that go-yaml v2 refuses and YAML 1.2 reads as blank. In
 * block context go-yaml skips only spaces at the start of a line, so a tab there is a character
 * that "cannot start any token"; the exception is the blank lines after a plain scalar, which the
 * scalar's scanner reads, refusing a tab only in a column not past the collection the scalar is in
 * ("a tab character that violates indentation"). Lines inside a quoted or block scalar or a flow
 * collection are the parser's (tabs are white space there; a block scalar's are checked by `yaml`).
 * One problem per line, at the tab; the documents are still linted.
 */
function tabLineProblems(text: string, documents: readonly ParsedDocument[]): SyntaxProblem[] {
  if (!text.includes('\t')) return [];
  const candidates: { at: number; tab: number }[] = [];
  TAB_LINE.lastIndex = 0;
  for (let m = TAB_LINE.exec(text); m; m = TAB_LINE.exec(text)) {
    candidates.push({ at: m.index, tab: m.index + m[0].indexOf('\t') });
  }
  if (candidates.length === 0) return [];
  // Ranges whose lines belong to a scalar or a flow collection, and where each plain scalar in
  // block context ends, with the column of the collection it is in (-1: the document's own value).
  const inside: [number, number][] = [];
  const plainEnds = new Map<number, number>();
  const column = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  for (const { yaml: doc } of documents) {
    const visit = (node: unknown, parent: unknown) => {
      if (node == null) return;
      const range = (node as { range?: number[] | null }).range;
      if (isScalar(node) && range) {
        if (node.type === 'PLAIN') {
          if (range[1]! <= range[0]!) return; // an empty value (or document) is no scalar for go-yaml
          if (!((parent as { flow?: boolean } | null)?.flow ?? false)) plainEnds.set(range[1]!, parent && (isMap(parent) || isSeq(parent)) ? column((parent as { range: number[] }).range[0]!) : -1);
        } else inside.push([range[0]!, range[1]!]);
      } else if ((isMap(node) || isSeq(node)) && range && node.flow) {
        inside.push([range[0]!, range[1]!]);
      }
    };
    const stack: [unknown, unknown][] = [[doc.contents, null]];
    while (stack.length > 0) {
      const [node, parent] = stack.pop()!;
      visit(node, parent);
      if (isMap(node) || isSeq(node)) {
        if (node.flow) continue; // all inside it is covered
        for (const item of node.items as unknown[]) {
          if (isPair(item)) stack.push([item.key, node], [item.value, node]);
          else stack.push([item, node]);
        }
      }
    }
  }
  inside.sort((a, b) => a[0] - b[0]);
  const out: SyntaxProblem[] = [];
  let range = 0;
  let reach = -1; // the furthest end of the ranges starting before the candidate
  let previous = { at: -1, p: -1 };
  for (const { at, tab } of candidates) {
    while (range < inside.length && inside[range]![0] < at) reach = Math.max(reach, inside[range++]![1]);
    if (at < reach) continue;
    // What go-yaml read last: the end of a plain scalar, with only blank lines after it? (A walk
    // back into the previous candidate line crossed only blanks: it ends where that one's did.)
    let p = at - 1;
    while (p >= 0 && p >= previous.at && /\s/.test(text[p]!)) p--;
    if (p >= 0 && p < previous.at) p = previous.p;
    previous = { at, p };
    const parentColumn = plainEnds.get(p + 1);
    if (parentColumn !== undefined && column(tab) > parentColumn) continue;
    out.push({ ruleId: 'parse-error', message: TAB_LINE_MESSAGE, start: tab, end: tab + 1 });
  }
  return out;
}

/** An odd number of backslashes before `/`: the `\/` escape, which go-yaml v2 does not know. */
export const SLASH_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\\//;

/**
 * What Kubernetes rejects in a document that YAML reads: a key that is null or a collection
 * (sigs.k8s.io/yaml cannot turn it into a JSON key), a number that is not finite (`.inf`, `.nan`:
 * JSON has none), and the `\/` escape (YAML 1.2 only). The document is still linted.
 */
function kubeNodeProblems(doc: Document.Parsed, text: string): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  walkNodes(doc, (node) => {
    if (isMap(node)) {
      for (const pair of node.items as unknown[]) {
        if (!isPair(pair)) continue;
        const key = pair.key as { range?: number[] | null } | null;
        const at = key?.range?.[0] ?? (pair.value as { range?: number[] | null } | null)?.range?.[0] ?? node.range?.[0] ?? 0;
        if (key === null || (isScalar(key) && key.value === null)) {
          out.push({ ruleId: 'parse-error', message: 'A null key (~, null or nothing before the colon): Kubernetes cannot read it and rejects the file.', start: at, end: at + 1 });
        } else if (isMap(key) || isSeq(key)) {
          out.push({ ruleId: 'parse-error', message: 'A key that is a map or a list: Kubernetes cannot read it and rejects the file.', start: at, end: at + 1 });
        }
      }
    } else if (isScalar(node)) {
      const range = node.range;
      if (typeof node.value === 'number' && !Number.isFinite(node.value) && range) {
        out.push({
          ruleId: 'parse-error',
          message: 'An infinite or not-a-number value (.inf, .nan): JSON has none, and Kubernetes rejects the file. Quote it if it is meant as text.',
          start: range[0],
          end: range[1],
        });
      } else if (node.type === 'QUOTE_DOUBLE' && range && SLASH_ESCAPE.test(text.slice(range[0], range[1]))) {
        out.push({
          ruleId: 'parse-error',
          message: 'The escape \\/ in a double-quoted string is YAML 1.2 only: Kubernetes (YAML 1.1) rejects the file. Write / without the backslash.',
          start: range[0],
          end: range[1],
        });
      }
    }
  });
  return out;
}

const BOMB_MESSAGE = 'Too many alias expansions (a possible YAML bomb); the document was not linted.';

/** Why a document that parsed could not become data: an alias without an anchor, or too many aliases. */
function conversionProblem(text: string, doc: Document.Parsed, error: unknown): SyntaxProblem {
  const message = error instanceof Error ? error.message : '';
  const docStart = doc.range?.[0] ?? 0;
  const docEnd = doc.range?.[2] ?? text.length;
  const unresolved = /^Unresolved alias[^:]*: (.+)$/.exec(message);
  if (unresolved) {
    const name = unresolved[1]!.trim();
    const at = text.indexOf(`*${name}`, docStart);
    const start = at >= 0 && at < docEnd ? at : docStart;
    return {
      ruleId: 'parse-error',
      message: 'This alias (*) names no anchor defined before it; the document was not linted.',
      start,
      end: start + name.length + 1,
    };
  }
  if (error instanceof RangeError && /call stack/i.test(message)) {
    const start = tooDeepOffset(doc) ?? doc.contents?.range?.[0] ?? docStart;
    return { ruleId: 'parse-error', message: tooDeepMessage, start, end: start + 1 };
  }
  const start = doc.contents?.range?.[0] ?? docStart;
  if (/^Merge sources/i.test(message)) {
    const at = text.indexOf('<<', docStart);
    const start = at >= 0 && at < docEnd ? at : (doc.contents?.range?.[0] ?? docStart);
    return {
      ruleId: 'parse-error',
      message: 'A merge key (<<) names something other than a map or a list of maps, which Kubernetes rejects; the document was not linted.',
      start,
      end: start + 1,
    };
  }
  const reason = /alias/i.test(message) ? BOMB_MESSAGE : 'The document could not be converted to data; it was not linted.';
  return { ruleId: 'parse-error', message: reason, start, end: start + 1 };
}

/**
 * The alias at which the document's value, with every alias expanded, passes MAX_ALIAS_EXPANSION
 * nodes reached through aliases (a YAML bomb); undefined when it never does. Each node's expanded
 * size is computed once, in document order (an anchor is defined before its aliases), so a linear
 * chain of anchors each used once counts what it really adds, not 2^n as the `yaml` package counts.
 */
function aliasBombOffset(doc: Document.Parsed): number | undefined {
  if (doc.contents == null) return undefined;
  interface Frame {
    node: unknown;
    children: unknown[];
    next: number;
    size: number;
  }
  const sizes = new Map<unknown, number>();
  const anchors = new Map<string, unknown>();
  const stack: Frame[] = [];
  let added = 0;
  const define = (node: unknown) => {
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
  };
  const enter = (node: unknown) => {
    define(node);
    const children: unknown[] = [];
    for (const item of (node as { items: unknown[] }).items) {
      if (isPair(item)) children.push(item.key, item.value);
      else children.push(item);
    }
    stack.push({ node, children, next: 0, size: 1 });
  };
  if (!isMap(doc.contents) && !isSeq(doc.contents)) return undefined;
  enter(doc.contents);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      if (child == null) continue;
      if (isAlias(child)) {
        const target = anchors.get(child.source);
        // An alias inside its own anchor (a cycle) has no size yet: shapeProblem reports it.
        const size = (target !== undefined ? sizes.get(target) : undefined) ?? 1;
        added += size;
        frame.size += size;
        if (added > MAX_ALIAS_EXPANSION) return child.range?.[0] ?? doc.contents.range?.[0];
      } else if (isMap(child) || isSeq(child)) {
        enter(child);
      } else {
        define(child);
        sizes.set(child, 1);
        frame.size += 1;
      }
    } else {
      stack.pop();
      sizes.set(frame.node, frame.size);
      const parent = stack[stack.length - 1];
      if (parent) parent.size += frame.size;
    }
  }
  return undefined;
}
