/**
 * Text → YAML documents. Knows YAML, not Kubernetes.
 *
 * Syntax problems become engine findings (`parse-error`, `duplicate-key`, `yaml-compat`) instead of
 * exceptions. Messages are built from the parser's error code and position only: the parser's own
 * message carries a snippet of the source, which may hold a secret, so it is never passed on.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { locateOffsets } from './locate.js';
import type { Path } from './types.js';

export type SyntaxRuleId = 'parse-error' | 'duplicate-key' | 'yaml-compat';

export interface SyntaxProblem {
  ruleId: SyntaxRuleId;
  message: string;
  /** Character offsets in the (BOM-stripped) text. */
  start: number;
  end: number;
}

export interface ParsedDocument {
  index: number;
  yaml: Document.Parsed;
  /** The plain JavaScript value; undefined when the document could not be read. */
  value: unknown;
  /** False when a syntax error makes the value untrustworthy; the document is then not linted. */
  usable: boolean;
  problems: SyntaxProblem[];
}

export interface ParsedFile {
  text: string;
  documents: ParsedDocument[];
}

/**
 * Errors where the `yaml` package is stricter than the Go YAML parser Kubernetes uses. The value
 * `yaml` recovers is linted and the problem is a warning, not a parse error.
 */
const COMPAT_CODES: ReadonlySet<string> = new Set(['BAD_DQ_ESCAPE']);

const COMPAT_MESSAGES: Record<string, string> = {
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
function keyAt(text: string, offset: number): string {
  const line = text.slice(offset, offset + 200).split(/\r?\n/, 1)[0] ?? '';
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#]*?))\s*:(?:\s|$)/.exec(line);
  const key = m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

export const MAX_ALIAS_COUNT = 1000;

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
export const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF\uD800-\uDFFF]/u;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text as both parser paths read it: without a byte order mark, and with each lone carriage
 * return (old Mac line endings) turned into a line feed. YAML, js-yaml and Kubernetes' parser treat a
 * lone CR as a line break; the `yaml` package does not. Same length, so offsets do not move, and lines
 * are then counted the way an editor shows them.
 */
export function normalizeText(input: string): string {
  const text = stripBom(input);
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true, merge: true, logLevel: 'error' } as const;

function isFatal(code: string): boolean {
  return code !== 'DUPLICATE_KEY' && !COMPAT_CODES.has(code);
}

/** `1.5 MB` (MB = 1024 × 1024). */
export function formatSize(size: number): string {
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
  const bad = NON_PRINTABLE.exec(text);
  if (bad) return { ruleId: 'parse-error', message: nonPrintableMessage(bad[0].codePointAt(0)!), start: bad.index, end: bad.index + 1 };
  return undefined;
}

/**
 * Where documents start, the way Kubernetes splits a stream before parsing each part: a line that
 * starts with `---` followed by nothing but spaces or a comment.
 */
export function separatorOffsets(text: string): number[] {
  const out = [0];
  const re = /^---[ \t]*(?:#[^\n]*)?\r?$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m.index > 0) out.push(m.index);
  return out;
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
  const whole = parseAllDocuments(text, PARSE_OPTIONS);
  const all = () => whole.map((doc) => ({ doc, end: text.length }));
  if (!whole.some((d) => d.errors.some((e) => isFatal(e.code)))) return all();
  const starts = separatorOffsets(text);
  if (starts.length < 2) return all();
  const out: { doc: Document.Parsed; end: number }[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    for (const doc of parseAllDocuments(text.slice(start, end), PARSE_OPTIONS)) {
      shiftDocument(doc, start);
      out.push({ doc, end });
    }
  });
  return out;
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

export function parseText(input: string): ParsedFile {
  const text = normalizeText(input);
  const refused = inputProblem(text);
  if (refused) return { text, documents: [unparsedDocument(refused)] };
  const documents: ParsedDocument[] = [];
  parseDocuments(text).forEach(({ doc, end: limit }, index) => {
    const problems: SyntaxProblem[] = [];
    let scan: { duplicates: number[]; aliases: boolean } | undefined;
    const fatal = doc.errors.find((e) => isFatal(e.code));
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
      for (const start of scan.duplicates) {
        const key = keyAt(text, start);
        problems.push({
          ruleId: 'duplicate-key',
          message: `Duplicate key${key ? ` "${key}"` : ''} in a mapping; Kubernetes rejects or warns on it and only this later value is used. Remove one of them.`,
          start,
          end: start + Math.max(1, key.length),
        });
      }
      const compatSeen = new Set<string>();
      for (const err of doc.errors) {
        if (!COMPAT_CODES.has(err.code) || compatSeen.has(err.code)) continue;
        // One yaml-compat finding per document and kind of problem.
        compatSeen.add(err.code);
        const [start, end] = err.pos;
        problems.push({ ruleId: 'yaml-compat', message: COMPAT_MESSAGES[err.code] ?? `${plainMessage(err.message)}.`, start, end });
      }
      problems.sort((a, b) => a.start - b.start);
    }
    let value: unknown;
    if (usable) {
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
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
  return { text, documents };
}

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
  const start = (/alias/i.test(message) ? aliasBombOffset(doc) : undefined) ?? doc.contents?.range?.[0] ?? docStart;
  const reason = /alias/i.test(message)
    ? 'Too many alias expansions (a possible YAML bomb); the document was not linted.'
    : 'The document could not be converted to data; it was not linted.';
  return { ruleId: 'parse-error', message: reason, start, end: start + 1 };
}

/**
 * The alias at which `yaml` gives up expanding aliases (its count of expansions passes
 * MAX_ALIAS_COUNT), found by counting the way it does: each alias adds one use of its anchor, and an
 * anchor weighs as much as the heaviest alias inside it. Undefined when the count never passes.
 */
function aliasBombOffset(doc: Document.Parsed): number | undefined {
  const uses = new Map<unknown, { count: number; weight: number }>();
  const anchors = new Map<string, unknown>();
  const weightOf = (node: unknown): number => {
    const stack: unknown[] = [node];
    let max = 0;
    while (stack.length > 0) {
      const n = stack.pop();
      if (isAlias(n)) {
        const u = uses.get(anchors.get(n.source));
        max = Math.max(max, u ? u.count * u.weight : 0);
      } else if (isMap(n) || isSeq(n)) {
        for (const item of n.items as unknown[]) stack.push(item);
      } else if (isPair(n)) {
        stack.push(n.key, n.value);
      } else {
        max = Math.max(max, 1);
      }
    }
    return max;
  };
  let found: number | undefined;
  walkNodes(doc, (node) => {
    if (found !== undefined) return;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const u = uses.get(target);
      if (!u) return;
      u.count++;
      if (u.weight === 0) u.weight = weightOf(target);
      if (u.count * u.weight > MAX_ALIAS_COUNT) found = node.range?.[0];
    } else {
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) {
        anchors.set(anchor, node);
        uses.set(node, { count: 1, weight: 0 });
      }
    }
  });
  return found;
}
