/**
 * Path → 1-based range. Rules report paths; only the engine turns them into lines and columns, and
 * only for what is reported.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node, type Pair } from 'yaml';
import type { Path } from '../types.js';

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Turns offsets in a text into positions. */
export interface Lines {
  readonly text: string;
  range(start: number, end: number): Range;
}

/**
 * Positions for a part of a larger text (one document of a stream): offsets are the part's own,
 * positions are those of the whole text.
 */
export class PartLines implements Lines {
  constructor(
    private readonly whole: LineIndex,
    readonly text: string,
    private readonly base: number,
  ) {}

  range(start: number, end: number): Range {
    return this.whole.range(start + this.base, end + this.base);
  }
}

/** Line starts of a text, computed once and searched by bisection. */
export class LineIndex implements Lines {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = starts;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo]! + 1 };
  }

  /** A range for [start, end), with trailing whitespace and line breaks left out of the end. */
  range(start: number, end: number): Range {
    let e = Math.max(start, Math.min(end, this.text.length));
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    const a = this.position(start);
    const b = this.position(e);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** Each map's entries by key (the later entry wins), built once per map: locating is then linear. */
const pairIndex = new WeakMap<object, Map<string, Pair>>();

function pairFor(map: { items: Pair[] }, segment: string | number): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) if (isScalar(item.key)) index.set(String(item.key.value), item);
    pairIndex.set(map, index);
  }
  return index.get(String(segment));
}

/** Offsets of a node, following an alias to its anchor. */
function nodeSpan(node: unknown, doc: Document): [number, number] | null {
  let n = node;
  if (isAlias(n)) n = n.resolve(doc) ?? n;
  const range = (n as Node | null)?.range;
  return range ? [range[0], range[1]] : null;
}

/**
 * The offsets of what a path names: for a map key, the whole `key: value` entry; for a sequence
 * index, the item. When the path leaves the document, the nearest ancestor that exists.
 */
export function locateOffsets(doc: Document, path: Path): [number, number] {
  let node: unknown = doc.contents;
  const rootSpan = nodeSpan(node, doc) ?? [0, 0];
  let best: [number, number] = rootSpan;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const found = pairFor(node as unknown as { items: Pair[] }, segment); // the later key wins
      if (!found) break;
      const keySpan = nodeSpan(found.key, doc);
      const valueSpan = nodeSpan(found.value, doc);
      if (keySpan) best = [keySpan[0], valueSpan ? Math.max(valueSpan[1], keySpan[1]) : keySpan[1]];
      else if (valueSpan) best = valueSpan;
      node = found.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      const span = isPair(item) ? nodeSpan(item.key, doc) : nodeSpan(item, doc);
      if (span) best = span;
      node = isPair(item) ? item.value : item;
    } else {
      break;
    }
  }
  return best;
}

/** A position inside a string value: 0-based line and column of the value's text. */
export interface InnerPosition {
  line: number;
  column?: number;
  /** Length of the span on that line (default: to the end of the line). */
  length?: number;
}

function nodeAt(doc: Document, path: Path): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const found = pairFor(node as unknown as { items: Pair[] }, segment);
      if (!found) return undefined;
      node = found.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * The offsets of a position inside a literal block scalar (`key: |`), whose lines map one to one onto
 * source lines. Other scalar styles (folded, quoted, plain) have no such mapping: undefined, and the
 * caller falls back to the entry.
 */
export function locateInner(doc: Document, text: string, path: Path, inner: InnerPosition): [number, number] | undefined {
  const node = nodeAt(doc, path);
  if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL || !node.range) return undefined;
  return literalInnerOffsets(text, node.range[0], node.range[1], inner, node);
}

/** A literal block scalar's lines: its content's indentation and where each of its lines starts. */
interface BlockLines {
  indent: number;
  starts: number[];
}

/** The lines of the literal block scalars located so far, by their node (the caller's, parsed or light). */
const blockLinesOf = new WeakMap<object, BlockLines | null>();

/**
 * The offsets of a position inside a literal block scalar whose header (`|`) is at `headerStart` and
 * whose content ends at `contentEnd`. With `node` (the scalar's node, whoever read it), its lines are
 * found once for all the positions located in it: an embedded file of thousands of lines with a
 * finding on each is not walked from its start for each.
 */
export function literalInnerOffsets(text: string, headerStart: number, contentEnd: number, inner: InnerPosition, node?: object): [number, number] | undefined {
  let lines = node === undefined ? undefined : blockLinesOf.get(node);
  if (lines === undefined) {
    lines = blockLines(text, headerStart, contentEnd);
    if (node !== undefined) blockLinesOf.set(node, lines);
  }
  if (lines === null || inner.line >= lines.starts.length) return undefined;
  const lineStart = lines.starts[inner.line]!;
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const start = Math.min(lineStart + lines.indent + (inner.column ?? 0), lineEnd);
  const end = inner.length === undefined ? lineEnd : Math.min(start + inner.length, lineEnd);
  return [start, Math.max(end, start)];
}

/** The lines of the literal block scalar whose header is at `headerStart` (see literalInnerOffsets), or null when it has no line after its header. */
function blockLines(text: string, headerStart: number, contentEnd: number): BlockLines | null {
  const headerEnd = text.indexOf('\n', headerStart);
  if (headerEnd < 0) return null;
  const contentStart = headerEnd + 1;
  // The block's indentation: given by an indentation indicator (`|2`: the parent's indentation plus
  // 2), else that of its first line with content.
  let indent = 0;
  const header = /^[|>][-+]?(\d)?[-+]?/.exec(text.slice(headerStart, headerEnd));
  const lineStartOfHeader = text.lastIndexOf('\n', headerStart - 1) + 1;
  // The parent's indentation: where the key before the header starts, past any `- ` of sequence
  // items on the line (`  - key: |2`: 4); a header that is a sequence item's value: its `-`.
  const before = text.slice(lineStartOfHeader, headerStart);
  const items = /^ *(?:-[ \t]+)*/.exec(before)![0];
  const parentIndent = items.length < before.length || !items.includes('-') ? items.length : items.trimEnd().length - 1;
  for (let p = header?.[1] ? contentEnd : contentStart; p < contentEnd; ) {
    const eol = text.indexOf('\n', p);
    const lineText = text.slice(p, eol < 0 ? contentEnd : eol).replace(/\r$/, '');
    if (lineText.trim() !== '') {
      indent = lineText.length - lineText.trimStart().length;
      break;
    }
    if (eol < 0) break;
    p = eol + 1;
  }
  if (header?.[1]) indent = parentIndent + Number(header[1]);
  // Line i of the content starts after the i-th line break, while that break is before the content's end.
  const starts = [contentStart];
  for (let lineStart = contentStart; ; ) {
    const eol = text.indexOf('\n', lineStart);
    if (eol < 0 || eol + 1 >= contentEnd) break;
    lineStart = eol + 1;
    starts.push(lineStart);
  }
  return { indent, starts };
}

/**
 * Maps a range of a text written in a string of a document (an embedded document, such as an inline
 * Kustomize patch) to the document's text. `at` gives the offsets in the document of a position
 * inside the string (as `locateInner` does); it gives none when the string is not a literal block
 * scalar, whose lines alone map one to one onto the document's, and the result is then undefined.
 */
export function embeddedRange(
  lines: LineIndex,
  [start, end]: [number, number],
  at: (inner: InnerPosition) => [number, number] | undefined,
): [number, number] | undefined {
  const offset = (o: number): number | undefined => {
    const p = lines.position(o);
    return at({ line: p.line - 1, column: p.column - 1, length: 0 })?.[0];
  };
  const s = offset(start);
  if (s === undefined) return undefined;
  if (end <= start) return [s, s];
  // The end is just past the range's last character (which is always inside the string).
  const last = offset(end - 1);
  return [s, last === undefined ? s : Math.max(s, last + 1)];
}

/** Where a path is in a document: a whole node, or a position inside a literal block scalar. */
export interface Locator {
  offsets(path: Path): [number, number];
  inner(path: Path, inner: InnerPosition): [number, number] | undefined;
}

/** A locator over a document parsed with `yaml` from `text`. */
export function documentLocator(doc: Document, text: string): Locator {
  return {
    offsets: (path) => locateOffsets(doc, path),
    inner: (path, inner) => locateInner(doc, text, path, inner),
  };
}
