/**
 * Applies fix edits (paths, see `FixEdit`) to a file's text. Each edit is turned into splices of the
 * text at the ranges `yaml`'s parsed Document gives for the nodes it names: every byte outside those
 * nodes stays as it was (comments, key order, quoting, indentation, line endings, the other documents
 * of the stream). New text copies the indentation and line ending of its neighbours; moved entries and
 * items keep their own text, re-indented as a block.
 *
 * Pure: text in, text (or why not) out.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import { isMap, isPair, isScalar, isSeq, parse as parseYaml, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseText } from './parse.js';
import type { FindingFix, FixEdit, Path } from '../types.js';

/** An edit with its paths moved under `at` (from the object's root to the document's). */
export function rootedEdit(e: FixEdit, at: (p: Path) => Path): FixEdit {
  switch (e.op) {
    case 'set':
      return { ...e, path: at(e.path) };
    case 'delete':
      return { ...e, path: at(e.path) };
    case 'moveEntry':
      return { ...e, from: at(e.from), to: at(e.to) };
    case 'moveItem':
      return { ...e, from: at(e.from), to: at(e.to) };
    case 'dropEarlierDuplicates':
      return { ...e, path: at(e.path) };
  }
}

type AnyNode = Node | Pair | null | undefined;

/**
 * The path of the map holding each key that starts at one of `offsets`, with the key, by offset: one
 * walk of the document however many keys are looked for (a document with a key written twice in each
 * of thousands of mappings is not walked once per key).
 */
function findKeys(root: unknown, offsets: ReadonlySet<number>): Map<number, { path: Path; key: string }> {
  const found = new Map<number, { path: Path; key: string }>();
  const walk = (node: unknown, path: Path): void => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isScalar(item.key)) continue;
        const key = String(item.key.value);
        const start = item.key.range?.[0];
        if (start !== undefined && offsets.has(start) && !found.has(start)) found.set(start, { path, key });
        walk(item.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) walk(node.items[i], [...path, i]);
    }
  };
  walk(root, []);
  return found;
}

/**
 * The fixes of `duplicate-key` findings at the later keys' offsets, by offset: drop the earlier
 * entries (Kubernetes uses the last). An offset with no key of the document has none.
 */
export function duplicateKeyFixes(doc: Document, offsets: readonly number[], documentIndex: number): Map<number, FindingFix> {
  const fixes = new Map<number, FindingFix>();
  for (const [offset, { path, key }] of findKeys(doc.contents, new Set(offsets))) fixes.set(offset, duplicateKeyFixAt(path, key, documentIndex));
  return fixes;
}

/** The fix of a `duplicate-key` finding for `key` in the mapping at `path` (the fast path knows both). */
export function duplicateKeyFixAt(path: Path, key: string, documentIndex: number): FindingFix {
  return {
    kind: 'unsafe',
    title: `drop the earlier "${key}" entry`,
    documentIndex,
    edits: [{ op: 'dropEarlierDuplicates', path, key }],
    resolves: 'gone',
  };
}

interface Splice {
  start: number;
  end: number;
  text: string;
  /** See TextSplice. */
  appendTo?: number;
  removesFrom?: number;
  itemsThere?: number;
}

class EditError extends Error {}

/** Where an entry or item sits, for splicing. */
interface Located {
  node: AnyNode;
  /** The pair, when the last segment is a map key. */
  pair?: Pair;
  parent?: YAMLMap | YAMLSeq;
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The last pair with this key (what Kubernetes reads when a key is written twice). */
function pairOf(map: YAMLMap, key: string | number): Pair | undefined {
  if (pairIndexes !== undefined && map.items.length > INDEXED_FROM) {
    let index = pairIndexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        const k = isPair(item) ? keyOf(item) : undefined;
        if (k !== undefined) index.set(k, item as Pair);
      }
      pairIndexes.set(map, index);
    }
    return index.get(String(key));
  }
  let found: Pair | undefined;
  for (const item of map.items) if (isPair(item) && keyOf(item) === String(key)) found = item;
  return found;
}

/**
 * The pairs of large maps by key, while fixSplicesOfEach finds the edits of many fixes in one parse
 * (the documents are only read then): 400 keys of a Secret moved to stringData looked each key up
 * among all the others, for each fix, in each round (most of 11 s).
 */
let pairIndexes: WeakMap<YAMLMap, Map<string, Pair>> | undefined;
/** Maps up to this many entries are searched, not indexed. */
const INDEXED_FROM = 16;

function locate(doc: Document, path: Path): Located | undefined {
  let node: AnyNode = doc.contents as Node;
  let located: Located = { node };
  for (const segment of path) {
    if (isMap(node)) {
      const pair = pairOf(node, segment);
      if (!pair) return undefined;
      located = { node: pair.value as Node, pair, parent: node };
      node = pair.value as Node;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) return undefined;
      located = { node: item, parent: node };
      node = item;
    } else {
      return undefined;
    }
  }
  return located;
}

/** Text helpers over one file's text. */
class TextView {
  readonly eol: string;
  constructor(readonly text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }
  lineStart(offset: number): number {
    const i = this.text.lastIndexOf('\n', offset - 1);
    return i + 1;
  }
  column(offset: number): number {
    return offset - this.lineStart(offset);
  }
  /** Whether only spaces stand between the line's start and `offset`. */
  startsLine(offset: number): boolean {
    return /^ *$/.test(this.text.slice(this.lineStart(offset), offset));
  }
  /** The offset just after the line break of the line holding `offset` (the text's end on the last line). */
  nextLine(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i < 0 ? this.text.length : i + 1;
  }
  /** `end` moved back over trailing white space and line breaks. */
  trimEnd(start: number, end: number): number {
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    return end;
  }
  /** The text to insert at `at` for whole lines: a line break first when `at` is the end of a text that does not end with one. */
  linesAt(at: number, lines: readonly string[]): Splice {
    const lead = at === this.text.length && this.text.length > 0 && !this.text.endsWith('\n') ? this.eol : '';
    return { start: at, end: at, text: lead + lines.map((l) => l + this.eol).join('') };
  }
  /** The lines of [start, end) (end just after a line break or at the text's end), without their line breaks. */
  lines(start: number, end: number): string[] {
    const body = this.text.slice(start, end).replace(/\r?\n$/, '');
    return body.split(/\r?\n/);
  }
}

function endOf(node: AnyNode): number | undefined {
  if (!node) return undefined;
  if (isPair(node)) return endOf(node.value as Node) ?? endOf(node.key as Node);
  return (node as Node).range?.[1];
}

function startOf(node: AnyNode): number | undefined {
  if (!node) return undefined;
  if (isPair(node)) return startOf(node.key as Node);
  return (node as Node).range?.[0];
}

/** The whole lines a block map entry or list item takes: from its line's start to after its last line break. */
function blockLines(view: TextView, node: AnyNode, what: string): { start: number; end: number; indicator: number } {
  const start = startOf(node);
  const end = endOf(node);
  if (start === undefined || end === undefined) throw new EditError(`${what} has no position`);
  // A list item starts at its `-`, before the node's own range.
  let indicator = start;
  if (!isPair(node)) {
    let i = start - 1;
    while (i >= 0 && view.text[i] === ' ') i--;
    if (view.text[i] !== '-') throw new EditError(`${what} is not a block list item`);
    indicator = i;
  }
  if (!view.startsLine(indicator)) throw new EditError(`${what} shares its line with something else`);
  const last = view.trimEnd(start, end);
  // Comment lines right above it, at its column, belong to it: they move and go with it.
  const column = view.column(indicator);
  let first = view.lineStart(indicator);
  while (first > 0) {
    const above = view.lineStart(first - 1);
    const line = view.text.slice(above, first).replace(/\r?\n$/, '');
    if (!new RegExp(`^ {${column}}#`).test(line)) break;
    first = above;
  }
  return { start: first, end: view.nextLine(last), indicator };
}

function isFlow(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && (node as YAMLMap).flow === true;
}

/** A YAML scalar for a string: plain when it reads back as the same string, else double-quoted. */
function scalarText(value: string): string {
  try {
    if (/^[^\s#'"&*!|>%@`{}[\],?:-][^#]*$/.test(value) && !/[\s:]$/.test(value) && !value.includes(': ') && parseYaml(value) === value) return value;
  } catch {
    // not plain
  }
  return JSON.stringify(value);
}

function reindent(lines: readonly string[], delta: number): string[] {
  if (delta === 0) return [...lines];
  return lines.map((l) => {
    if (l.trim() === '') return l;
    if (delta > 0) return ' '.repeat(delta) + l;
    const lead = /^ */.exec(l)![0].length;
    if (lead < -delta) throw new EditError('a moved line is indented less than its block');
    return l.slice(-delta);
  });
}

/** Nested `key:` lines for the keys of `path` that do not exist yet, ending in the value. */
function nestedLines(keys: readonly (string | number)[], value: string, indent: number): string[] {
  const out: string[] = [];
  keys.forEach((k, i) => {
    if (typeof k === 'number') throw new EditError('cannot create a list item');
    const pad = ' '.repeat(indent + 2 * i);
    out.push(i === keys.length - 1 ? `${pad}${scalarText(k)}: ${value}` : `${pad}${scalarText(k)}:`);
  });
  return out;
}

/** The column of a block map's keys. */
function mapIndent(view: TextView, map: YAMLMap): number {
  const first = map.items[0];
  const start = first ? startOf(first) : undefined;
  if (start === undefined) throw new EditError('an empty map');
  return view.column(start);
}

/** Splices that add lines (for `keys`, the last one holding `value`) at the end of a block map, or inside a flow map. */
function addToMap(view: TextView, map: YAMLMap, keys: readonly (string | number)[], value: string): Splice {
  if (isFlow(map)) {
    if (keys.length !== 1) throw new EditError('cannot nest into a flow map');
    const end = map.range?.[1];
    if (end === undefined) throw new EditError('a flow map has no position');
    const close = view.text.lastIndexOf('}', end - 1);
    if (close < 0) throw new EditError('a flow map without its end');
    const entry = `${scalarText(String(keys[0]))}: ${value}`;
    return { start: close, end: close, text: map.items.length === 0 ? entry : `, ${entry}` };
  }
  const last = map.items[map.items.length - 1];
  if (!last) throw new EditError('an empty block map');
  // A new `metadata` goes first, where Kubernetes manifests keep it; anything else goes last.
  if (keys[0] === 'metadata' && map.items[0]) {
    const first = startOf(map.items[0]);
    if (first !== undefined && view.startsLine(first)) return view.linesAt(blockLines(view, map.items[0], 'the first entry').start, nestedLines(keys, value, mapIndent(view, map)));
  }
  const { end } = blockLines(view, last, 'the last entry');
  return appended(view.linesAt(end, nestedLines(keys, value, mapIndent(view, map))), map);
}

/**
 * Lines added after a block map's last entry (or a block list's last item), marked as an append to it when their text does
 * not depend on what was there (not at the end of a text without a final line break, where the
 * first line break is added): several such appends at one place, made one at a time, give their
 * texts one after the other.
 */
function appended(splice: Splice, holder: YAMLMap | YAMLSeq): Splice {
  const at = holder.range?.[0];
  return at === undefined || splice.start !== splice.end || !splice.text.endsWith('\n') || /^\r?\n/.test(splice.text) ? splice : { ...splice, appendTo: at };
}

function editSet(view: TextView, doc: Document, path: Path, value: string): Splice[] {
  const text = scalarText(value);
  // The deepest part of the path that exists.
  for (let n = path.length; n >= 1; n--) {
    const located = locate(doc, path.slice(0, n));
    if (!located) continue;
    const rest = path.slice(n);
    const node = located.node;
    if (rest.length === 0) {
      if (!isScalar(node) || !node.range) throw new EditError('the value to set is not a scalar');
      return [{ start: node.range[0], end: node.range[1], text }];
    }
    if (isMap(node)) return [addToMap(view, node, rest, text)];
    if ((node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) && located.pair) {
      // `annotations:` with nothing after it: the new entries go below the key.
      if (isScalar(node) && node.range && node.range[1] > node.range[0]) throw new EditError('the map to add to is written as a value');
      const keyStart = startOf(located.pair.key as Node);
      const keyEnd = endOf(located.pair.key as Node);
      if (keyStart === undefined || keyEnd === undefined || !view.startsLine(keyStart)) throw new EditError('a key shares its line');
      return [view.linesAt(view.nextLine(keyEnd), nestedLines(rest, text, view.column(keyStart) + 2))];
    }
    throw new EditError('the place to add to is not a map');
  }
  const root = doc.contents;
  if (isMap(root)) return [addToMap(view, root, path, text)];
  throw new EditError('the document is not a map');
}

/** Deleting a map entry or list item: its lines; the entry holding its map or list too when it is the only one. */
function deleteAt(view: TextView, doc: Document, path: Path): Splice[] {
  const located = locate(doc, path);
  if (!located || !located.parent) throw new EditError('nothing to delete there');
  const parent = located.parent;
  if (isFlow(parent)) throw new EditError('the entry is in a flow collection');
  if (parent.items.length === 1 && path.length > 1) return deleteAt(view, doc, path.slice(0, -1));
  const target = located.pair ?? located.node;
  const { start, end } = blockLines(view, target, 'the entry');
  const from = parent.range?.[0];
  return [from === undefined ? { start, end, text: '' } : { start, end, text: '', removesFrom: from, itemsThere: parent.items.length }];
}

function editMoveEntry(view: TextView, doc: Document, from: Path, to: Path): Splice[] {
  const source = locate(doc, from);
  if (!source?.pair || !source.parent || isFlow(source.parent)) throw new EditError('the entry to move is not in a block map');
  const { start, end } = blockLines(view, source.pair, 'the entry to move');
  const lines = view.lines(start, end);
  const sourceIndent = view.column(startOf(source.pair)!);
  const removal = deleteAt(view, doc, from);
  const targetMap = locate(doc, to.slice(0, -1));
  const key = to[to.length - 1]!;
  if (typeof key !== 'string') throw new EditError('the target is not a map entry');
  if (targetMap && isMap(targetMap.node)) {
    const map = targetMap.node;
    if (pairOf(map, key)) throw new EditError(`"${key}" is already there`);
    if (isFlow(map)) throw new EditError('the target map is in flow style');
    const last = map.items[map.items.length - 1]!;
    const at = blockLines(view, last, 'the last entry').end;
    return [...removal, appended(view.linesAt(at, reindent(lines, mapIndent(view, map) - sourceIndent)), map)];
  }
  if (targetMap) throw new EditError('the target is not a map');
  // The target map is missing: create it beside the source map, right after it.
  const holder = from.slice(0, -1);
  const holderPair = locate(doc, holder)?.pair;
  const targetHolder = to.slice(0, -1);
  if (!holderPair || JSON.stringify(holder.slice(0, -1)) !== JSON.stringify(targetHolder.slice(0, -1))) {
    throw new EditError('the target map is not beside the source map');
  }
  const holderIndent = view.column(startOf(holderPair)!);
  const newKey = targetHolder[targetHolder.length - 1]!;
  if (typeof newKey !== 'string') throw new EditError('the target is not a map entry');
  const after = blockLines(view, holderPair, 'the source map').end;
  const block = [`${' '.repeat(holderIndent)}${scalarText(newKey)}:`, ...reindent(lines, holderIndent + 2 - sourceIndent)];
  // When the source map empties, its entry goes and the new map takes its place.
  const removedHolder = removal.some((s) => s.start <= startOf(holderPair)! && s.end >= after);
  if (removedHolder) return [{ start: removal[0]!.start, end: removal[0]!.end, text: block.map((l) => l + view.eol).join('') }];
  return [...removal, view.linesAt(after, block)];
}

function editMoveItem(view: TextView, doc: Document, from: Path, to: Path, index: number, set: Readonly<Record<string, string>> | undefined): Splice[] {
  const source = locate(doc, from);
  if (!source || !isSeq(source.parent) || isFlow(source.parent)) throw new EditError('the item to move is not in a block list');
  const item = source.node;
  if (!isMap(item) || isFlow(item)) throw new EditError('the item to move is not a block map');
  const { start, end, indicator } = blockLines(view, item, 'the item to move');
  const dashColumn = view.column(indicator);
  let lines = view.lines(start, end);
  // Entries to add go after the item's last entry, at its keys' column.
  const keyColumn = mapIndent(view, item);
  for (const [k, v] of Object.entries(set ?? {})) {
    if (pairOf(item, k)) throw new EditError(`the item already has "${k}"`);
    lines.push(`${' '.repeat(keyColumn)}${scalarText(k)}: ${scalarText(v)}`);
  }
  const from0 = source.parent.range?.[0];
  const removal: Splice = from0 === undefined ? { start, end, text: '' } : { start, end, text: '', removesFrom: from0, itemsThere: source.parent.items.length };
  if (source.parent.items.length === 1) throw new EditError('the item is the only one of its list');
  const target = locate(doc, to);
  if (target && isSeq(target.node)) {
    const seq = target.node;
    if (isFlow(seq)) throw new EditError('the target list is in flow style');
    const first = seq.items[0] as Node | undefined;
    const targetDash = first ? blockLines(view, first, 'an item').indicator : undefined;
    if (targetDash === undefined) throw new EditError('the target list is empty');
    lines = reindent(lines, view.column(targetDash) - dashColumn);
    const before = seq.items[index] as Node | undefined;
    if (before) return [removal, view.linesAt(blockLines(view, before, 'an item').start, lines)];
    return [removal, appended(view.linesAt(blockLines(view, seq.items[seq.items.length - 1] as Node, 'an item').end, lines), seq)];
  }
  if (target) throw new EditError('the target is not a list');
  // The list is missing: create it just before the source list's entry, in the same map.
  const sourceList = locate(doc, from.slice(0, -1));
  if (!sourceList?.pair || JSON.stringify(from.slice(0, -2)) !== JSON.stringify(to.slice(0, -1))) throw new EditError('the target list is not beside the source list');
  const listKeyStart = startOf(sourceList.pair)!;
  if (!view.startsLine(listKeyStart)) throw new EditError('the source list shares its line');
  const key = to[to.length - 1]!;
  const at = view.lineStart(listKeyStart);
  return [removal, view.linesAt(at, [`${' '.repeat(view.column(listKeyStart))}${scalarText(String(key))}:`, ...lines])];
}

function editDropEarlier(view: TextView, doc: Document, path: Path, key: string): Splice[] {
  const located = path.length === 0 ? { node: doc.contents as Node } : locate(doc, path);
  const map = located?.node;
  if (!isMap(map)) throw new EditError('no map there');
  if (isFlow(map)) throw new EditError('the map is in flow style');
  const pairs = map.items.filter((p) => isPair(p) && keyOf(p) === key);
  if (pairs.length < 2) throw new EditError('the key is no longer duplicated');
  return pairs.slice(0, -1).map((p) => {
    const { start, end } = blockLines(view, p, 'the earlier entry');
    return { start, end, text: '' };
  });
}

function splicesOf(view: TextView, doc: Document, edit: FixEdit): Splice[] {
  switch (edit.op) {
    case 'set':
      return editSet(view, doc, edit.path, edit.value);
    case 'delete':
      return deleteAt(view, doc, edit.path);
    case 'moveEntry':
      return editMoveEntry(view, doc, edit.from, edit.to);
    case 'moveItem':
      return editMoveItem(view, doc, edit.from, edit.to, edit.index, edit.set);
    case 'dropEarlierDuplicates':
      return editDropEarlier(view, doc, edit.path, edit.key);
  }
}

/** One replacement of a fix in a file's text: the characters [start, end) (UTF-16 offsets of the whole text) become `text`. */
export interface TextSplice {
  start: number;
  end: number;
  text: string;
  /**
   * Lines added after the last entry of a block map (this number names the map): several fixes'
   * appends to one map at one place may be made together, their texts one after the other in the
   * order the fixes would be made one at a time (see fix.ts, tryBatch).
   */
  appendTo?: number;
  /** An entry or item deleted from a map or list (this number names it), which held `itemsThere` then: deleting the last one deletes its holder instead. */
  removesFrom?: number;
  itemsThere?: number;
}

/**
 * One fix's edits as replacements of a file's text, sorted from the end of the text to its start
 * (each applies to the original text), or why it cannot be applied (the document does not parse, a
 * node is written in a way the edit does not handle, edits overlap). Offsets count a byte order mark.
 */
export function fixSplices(text: string, fix: FindingFix): { splices: TextSplice[] } | { problem: string } {
  return fixSplicesOfEach(text, [fix])[0]!;
}

/** fixSplices for each of several fixes of the same text, which is parsed once. */
export function fixSplicesOfEach(text: string, fixes: readonly FindingFix[]): ({ splices: TextSplice[] } | { problem: string })[] {
  const bomLength = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = bomLength ? text.slice(1) : text;
  if (/\r(?!\n)/.test(body)) return fixes.map(() => ({ problem: 'the file has lone carriage returns (old Mac line ends)' }));
  const parsed = parseText(body);
  const view = new TextView(body);
  pairIndexes = new WeakMap();
  try {
    return fixes.map((fix) => splicesIn(parsed, view, bomLength, fix));
  } finally {
    pairIndexes = undefined;
  }
}

function splicesIn(parsed: ReturnType<typeof parseText>, view: TextView, bomLength: number, fix: FindingFix): { splices: TextSplice[] } | { problem: string } {
  const doc = parsed.documents.find((d) => d.index === fix.documentIndex);
  if (!doc || !doc.usable) return { problem: 'the document does not parse' };
  let splices: Splice[];
  try {
    splices = fix.edits.flatMap((e) => splicesOf(view, doc.yaml as Document, e));
  } catch (e) {
    if (e instanceof EditError) return { problem: e.message };
    throw e;
  }
  const apart = sortedApart(splices);
  if (!apart) return { problem: 'its edits overlap' };
  return {
    splices: apart.map((s) => {
      const out: TextSplice = { start: s.start + bomLength, end: s.end + bomLength, text: s.text };
      if (s.appendTo !== undefined) out.appendTo = s.appendTo;
      if (s.removesFrom !== undefined) {
        out.removesFrom = s.removesFrom;
        out.itemsThere = s.itemsThere;
      }
      return out;
    }),
  };
}

/** Splices sorted from the end of the text to its start, or undefined when two overlap. */
function sortedApart<T extends Splice>(splices: T[]): T[] | undefined {
  splices.sort((a, b) => b.start - a.start || b.end - a.end);
  let floor = Infinity;
  for (const s of splices) {
    if (s.end > floor) return undefined;
    floor = s.start;
  }
  return splices;
}

/**
 * A text with replacements made (each given in the original text's offsets, in any order), built in
 * one pass; undefined when two overlap. Several fixes' splices together (fixText's batches) as well
 * as one fix's.
 */
export function withSplices(text: string, splices: readonly TextSplice[]): string | undefined {
  const apart = sortedApart([...splices]);
  if (!apart) return undefined;
  const parts: string[] = [];
  let end = text.length;
  for (const s of apart) {
    parts.push(text.slice(s.end, end), s.text);
    end = s.start;
  }
  parts.push(text.slice(0, end));
  return parts.reverse().join('');
}

/**
 * Applies one fix's edits to a file's text. Returns the new text, or why it cannot be applied (see
 * `fixSplices`).
 */
export function applyFixEdits(text: string, fix: FindingFix): { text: string } | { problem: string } {
  const found = fixSplices(text, fix);
  if ('problem' in found) return found;
  return { text: withSplices(text, found.splices)! };
}
