/**
 * Positions without a full parse. Most documents that need positions (those with a finding) are
 * plain block YAML: maps, sequences, one-line scalars, block scalars, flow collections (`{}`, `[a, b]`,
 * `{k: v}` over one or several lines, a whole JSON document). This reader walks such a document line
 * by line (a flow collection character by character) and records, for every node, the offsets `yaml`
 * would give it, so that a finding lands on exactly the same range as on the exact path
 * (`locateOffsets` in locate.ts).
 *
 * Plain scalars over several lines (continuation lines of plain text), comments inside flow
 * collections, a bare `...` line ending the document, anchors on a key's value (`labels: &l`) and
 * aliases as a whole value (`matchLabels: *l`, located as `yaml` locates them: through the anchored
 * node) are read too. It knows the subset it reads and gives up (undefined) on anything else: other
 * anchors and aliases, tags other than `!!str` before a scalar on its line, explicit keys, keys that are not plain strings, tabs in indentation,
 * directives, empty values inside a flow collection, or a tree whose shape differs from the values
 * the fast parser read. The caller then parses the document with `yaml`. The differential test over
 * the corpus (test/corpus/light-locate.test.ts) compares every node's range with `yaml`'s.
 *
 * Where comments end a collection is `yaml`'s rule, followed here: comment lines after a
 * collection's last item, before the next line of content, belong to the deepest collection being
 * closed whose indentation is not 0 and at most that of one of those comments (else they go up a
 * level); comment lines right after a scalar that are indented past its collection extend that
 * scalar. A collection ends where its last value ends, comments included.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import type { Path } from '../types.js';
import { documentMarkerAt, isSeparatorLine } from './kube-stream.js';
import { literalInnerOffsets, type InnerPosition } from './locate.js';

interface Base {
  /** Where the node starts. */
  start: number;
  /** Where its value ends (`yaml`'s range[1]). */
  end: number;
  /** Where it ends with the comments that belong to it (`yaml`'s range[2], up to whitespace). */
  end2: number;
}

interface LightMap extends Base {
  kind: 'map';
  /** The column of its keys (-1 for a flow map). */
  indent: number;
  /** A flow map (`{…}`). */
  flow?: boolean;
  /** A flow map whose entries are not indexed yet (FlowReader.index); `unreadable` when they cannot be. */
  unread?: boolean;
  unreadable?: boolean;
  pairs: Map<string, LightPair>;
  count: number;
  /** Some key's string form is not its text (a number, a boolean, an escape): do not look up. */
  ambiguous: boolean;
  /** The value last found to have `count` keys (LightDocument.locate). */
  checked?: object;
}

interface LightPair {
  keyStart: number;
  keyEnd: number;
  value: LightNode;
}

interface LightSeq extends Base {
  kind: 'seq';
  /** The column of its `-` (-1 for a flow sequence). */
  indent: number;
  /** A flow sequence (`[…]`). */
  flow?: boolean;
  /** A flow sequence whose items are not indexed yet (FlowReader.index); `unreadable` when they cannot be. */
  unread?: boolean;
  unreadable?: boolean;
  items: LightNode[];
}

type ScalarStyle = 'plain' | 'quoted' | 'literal' | 'folded' | 'empty' | 'alias';

interface LightScalar extends Base {
  kind: 'scalar';
  style: ScalarStyle;
  /** A block scalar with keep chomping (`|+`): its end differs from `yaml`'s by trailing blank lines. */
  keep?: boolean;
  /** An alias (`*name`): the node its anchor was last set on before it. */
  target?: LightNode;
}

type LightNode = LightMap | LightSeq | LightScalar;

/** A block map's key as read on its line: where it ends, its string, where its `:` ends, whether its string may differ from its text. */
interface Key {
  keyEnd: number;
  key: string;
  afterColon: number;
  ambiguous: boolean;
}

/** A comment line between two lines of content. */
interface CommentLine {
  indent: number;
  end: number;
}

/** Thrown inside the reader: this document is outside the subset. */
const GIVE_UP = Symbol('give up');

function giveUp(): never {
  throw GIVE_UP;
}

const INDICATOR_START = /[[\]{},#&*!|>'"%@`]/;

/** INDICATOR_START by character code: a table lookup, not a regular expression, for each key and scalar of a document read. */
const INDICATOR_CODES = new Uint8Array(128);
for (const ch of '[]{},#&*!|>\'"%@`') INDICATOR_CODES[ch.charCodeAt(0)] = 1;

/** Whether the character at `at` is one of INDICATOR_START (false past the end). */
function indicatorAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c < 128 && INDICATOR_CODES[c] === 1;
}
/** The anchor names read (after `&` or `*`): plain word characters, as manifests write them. */
const ANCHOR_NAME = /^[A-Za-z0-9_.-]+/;
/** Nesting of flow collections read here (deeper ones are for the exact path to judge). */
const MAX_FLOW_DEPTH = 300;

/** What ends a plain scalar after a `:` (or makes `-`, `?`, `:` an indicator) inside a flow collection. */
function flowBreak(c: number): boolean {
  // space, tab, line feed, carriage return, `,`, `[`, `]`, `{`, `}`, the end of the text
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || Number.isNaN(c);
}

/** A space or a tab. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** A double-quoted key's text with JSON's escapes (`\"`, `\\`, `\n`, `\u00e9`, …) decoded; undefined for others. */
function decodeDoubleQuoted(raw: string): string | undefined {
  if (/\\(?![\\"bfnrt]|u[0-9a-fA-F]{4})/.test(raw)) return undefined;
  try {
    const key: unknown = JSON.parse(`"${raw}"`);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Plain keys whose string form may differ from their text (numbers, booleans, null, merge): those
 * starting with one of `-+.0-9~`, `<<`, and these words in any case.
 */
const NON_STRING_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

/** The first characters such a key can have: `-+.0-9~<` and the first letters of the words, either case. */
const NON_STRING_FIRST = new Uint8Array(128);
for (const ch of '-+.0123456789~<tfnyoTFNYO') NON_STRING_FIRST[ch.charCodeAt(0)] = 1;

/**
 * Whether a plain key's string form may differ from its text (see NON_STRING_WORDS). Asked of every
 * key of a document read, most of which start with another character or are longer than the words
 * (`name`, `type`, `targetPort`): no regular expression, no lower-casing for those.
 */
function nonStringKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c >= 128 || NON_STRING_FIRST[c] !== 1) return false;
  if (c === 60) return key === '<<';
  if (c < 65) return true; // `-+.0-9`
  if (c === 126) return true; // `~`
  return key.length <= 5 && NON_STRING_WORDS.has(key.toLowerCase());
}

/**
 * Flow collections (`[…]`, `{…}`): JSON, and the flow YAML that manifests use (`{}`, `[a, b]`,
 * `{k: v}`), on one line or several. Read lazily: the whole collection is checked once when the
 * document is read, and only its own entries indexed; a nested collection's entries are indexed only
 * when a path goes into it (the collections in it again unread), so that a large JSON document with a few
 * findings indexes only the collections on their paths. Comments in them are skipped. Gives up on tabs, empty values
 * (`{a: , b}`, `{a}`), pairs in a sequence (`[a: 1]`), explicit keys, anchors, aliases, tags,
 * collections as keys and plain scalars over several lines.
 */
class FlowReader {
  /** Characters of collections indexed so far: past a few times the text, collections are indexed all the way down at once. */
  private indexed = 0;

  constructor(private readonly text: string) {}

  /** A flow collection starting at `at`, checked to its end, its own entries indexed (not those of the collections in it). */
  read(at: number): LightMap | LightSeq {
    const node = this.node(at, at);
    node.end = node.end2 = this.collection(at, 0, node, false);
    return node;
  }

  private node(start: number, end: number): LightMap | LightSeq {
    return this.text.charCodeAt(start) === 123
      ? { kind: 'map', flow: true, unread: true, start, end, end2: end, indent: -1, pairs: new Map(), count: 0, ambiguous: false }
      : { kind: 'seq', flow: true, unread: true, start, end, end2: end, indent: -1, items: [] };
  }

  /** Indexes an unread collection's entries; false when this reader cannot. */
  index(node: LightMap | LightSeq): boolean {
    if (!node.unread) return true;
    if (node.unreadable) return false;
    this.indexed += node.end - node.start;
    try {
      this.collection(node.start, 0, node, this.indexed > 4 * this.text.length);
      return true;
    } catch (e) {
      if (e !== GIVE_UP) throw e;
      node.unreadable = true;
      return false;
    }
  }

  /**
   * Reads the flow collection starting at `at` to its end (returned). With `into`, its entries are
   * indexed there (nested collections unread, or indexed too when `deep`).
   */
  private collection(at: number, depth: number, into: LightMap | LightSeq | undefined, deep: boolean): number {
    const text = this.text;
    if (depth > MAX_FLOW_DEPTH) giveUp();
    const isMap = text.charCodeAt(at) === 123; // {
    const close = isMap ? 125 : 93; // } ]
    let p = this.space(at + 1);
    while (text.charCodeAt(p) !== close) {
      if (isMap) {
        const keyStart = p;
        const keyEnd = this.keyEnd(p);
        p = this.space(keyEnd);
        if (text.charCodeAt(p) !== 58) giveUp(); // `:`; else a key without a value
        for (let j = keyEnd; j < p; j++) if (text.charCodeAt(j) === 10) giveUp(); // a line break (or a comment) between the key and its `:`
        p = this.space(p + 1);
        if (into?.kind === 'map') {
          const value = this.value(p, depth, deep);
          const key = this.keyText(keyStart, keyEnd);
          if (key.ambiguous) into.ambiguous = true;
          // A key written again: the later pair is the one `yaml` locates (and the value read).
          if (!into.pairs.has(key.key)) into.count++;
          into.pairs.set(key.key, { keyStart, keyEnd, value });
          p = value.end;
        } else {
          p = this.skipValue(p, depth);
        }
      } else if (into?.kind === 'seq') {
        const item = this.value(p, depth, deep);
        into.items.push(item);
        p = item.end;
      } else {
        p = this.skipValue(p, depth);
      }
      p = this.space(p);
      const c = text.charCodeAt(p);
      if (c === 44) p = this.space(p + 1); // `,`
      else if (c !== close) giveUp(); // a pair in a sequence, a second value, the end of the text
    }
    if (into) into.unread = false;
    return p + 1;
  }

  /**
   * Past spaces, line breaks and comments inside a flow collection; a tab, a document marker or a
   * `#` right after other content (not a comment): give up.
   */
  private space(p: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 13) p++;
      else if (c === 10) {
        p++;
        const next = text.charCodeAt(p);
        if ((next === 45 || next === 46) && /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/.test(text.slice(p, p + 4))) giveUp();
      } else if (c === 35) {
        // A comment, after a space or a line break: to the end of its line.
        const before = text.charCodeAt(p - 1);
        if (before !== 32 && before !== 10) giveUp();
        const nl = text.indexOf('\n', p);
        p = nl < 0 ? text.length : nl;
      } else if (c === 9) giveUp(); // a tab
      else return p;
    }
  }

  /** A value inside a flow collection, starting at `p`, as a node. */
  private value(p: number, depth: number, deep: boolean): LightNode {
    const c = this.text.charCodeAt(p);
    if (c === 91 || c === 123) {
      // [ {
      if (!deep) return this.node(p, this.collection(p, depth + 1, undefined, false));
      const node = this.node(p, p);
      node.end = node.end2 = this.collection(p, depth + 1, node, true);
      return node;
    }
    const end = c === 34 || c === 39 ? this.quotedAt(p) : this.plain(p);
    return { kind: 'scalar', style: c === 34 || c === 39 ? 'quoted' : 'plain', start: p, end, end2: end };
  }

  /** The end of a value inside a flow collection, starting at `p`. */
  private skipValue(p: number, depth: number): number {
    const c = this.text.charCodeAt(p);
    if (c === 91 || c === 123) return this.collection(p, depth + 1, undefined, false);
    return c === 34 || c === 39 ? this.quotedAt(p) : this.plain(p);
  }

  /** The end of a key inside a flow map: a quoted scalar on one line or a plain scalar. */
  private keyEnd(p: number): number {
    const c = this.text.charCodeAt(p);
    if (c === 91 || c === 123) giveUp(); // a collection as a key
    if (c !== 34 && c !== 39) return this.plain(p);
    const end = this.quotedAt(p);
    for (let j = p + 1; j < end; j++) {
      const ch = this.text.charCodeAt(j);
      if (ch === 10 || ch === 13) giveUp(); // a key over several lines
    }
    return end;
  }

  /** The string a key between `start` and `end` names. */
  private keyText(start: number, end: number): { key: string; ambiguous: boolean } {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === 39) return { key: text.slice(start + 1, end - 1).replace(/''/g, "'"), ambiguous: false };
    if (c !== 34) {
      const key = text.slice(start, end);
      return { key, ambiguous: nonStringKey(key) };
    }
    const raw = text.slice(start + 1, end - 1);
    const key = raw.includes('\\') ? decodeDoubleQuoted(raw) : raw;
    return key === undefined ? { key: raw, ambiguous: true } : { key, ambiguous: false };
  }

  /** The end of a plain scalar inside a flow collection starting at `p` (up to `,`, a bracket or `: `), on one line. */
  private plain(p: number): number {
    const text = this.text;
    const c = text[p];
    if (c === undefined || INDICATOR_START.test(c)) giveUp(); // also an empty value (`,`, `]`, `}`)
    if ((c === '-' || c === '?' || c === ':') && flowBreak(text.charCodeAt(p + 1))) giveUp();
    let end = p;
    let j = p;
    for (; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125 || ch === 10 || ch === 13) break;
      if (ch === 58 && flowBreak(text.charCodeAt(j + 1))) break; // `: `
      if (ch === 9) giveUp();
      if (ch === 35 && text.charCodeAt(j - 1) === 32) return end; // a comment ends it (what follows must be `,` or the bracket)
      if (ch !== 32) end = j + 1;
    }
    // A plain scalar continued on the next line: give up unless what follows ends it.
    const ch = text.charCodeAt(j);
    if (ch === 10 || ch === 13) {
      const next = text.charCodeAt(this.space(j));
      if (next !== 44 && next !== 93 && next !== 125) giveUp();
    }
    return end;
  }

  /** The offset just past the quoted scalar starting at `at` (which may span lines). */
  private quotedAt(at: number): number {
    const text = this.text;
    const quote = text[at]!;
    for (let j = at + 1; ; ) {
      const k = text.indexOf(quote, j);
      if (k < 0) giveUp();
      if (quote === "'") {
        if (text.charCodeAt(k + 1) === 39) {
          j = k + 2;
          continue;
        }
        return k + 1;
      }
      let b = k - 1;
      while (text.charCodeAt(b) === 92) b--; // backslashes before the quote
      if ((k - 1 - b) % 2 === 0) return k + 1;
      j = k + 1;
    }
  }
}

/**
 * Where the next occurrence of a character is, at or after an offset. The answer found last is kept:
 * the first one at or after `start` is at `found`, so a search from anywhere between the two gives it
 * again. A document's searches, which mostly move forward, so cost one pass over it however far a
 * line without the character makes them look (the native search stops at the first one, on this
 * line or a later one).
 */
class NextOf {
  private start = 1;
  private found = 0;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  /** The offset of the first occurrence at or after `p` (the text's length if none). */
  from(p: number): number {
    if (p < this.start || p > this.found) {
      const at = this.text.indexOf(this.char, p);
      this.start = p;
      this.found = at < 0 ? this.text.length : at;
    }
    return this.found;
  }
}

class Reader {
  private readonly lineStart: number[] = [];
  private readonly lineEnd: number[] = []; // end of the line's text, without \r\n and trailing spaces
  private readonly lineRawEnd: number[] = []; // end of the line's text, without \r\n
  private readonly lineIndent: number[] = [];
  private readonly lineFirst: number[] = []; // offset of the first non-space character (= end when blank)
  /** Index of the next line not yet read. */
  private i = 0;
  /** Comment lines read past while looking for the next line of content. */
  private pending: CommentLine[] = [];
  /** The line the last look for content stopped at: looking again from there finds the same. */
  private found = -1;
  readonly flow: FlowReader;

  constructor(private readonly text: string) {
    this.flow = new FlowReader(text);
    this.colons = new NextOf(text, ':');
    this.hashes = new NextOf(text, '#');
    const { lineStart, lineEnd, lineRawEnd, lineIndent, lineFirst } = this;
    for (let start = 0; start <= text.length; ) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = text.length;
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let p = start;
      while (p < end && text.charCodeAt(p) === 32) p++;
      if (p < end && text.charCodeAt(p) === 9) giveUp(); // a tab in the indentation
      let e = end;
      while (e > p && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
      lineStart.push(start);
      lineEnd.push(e);
      lineRawEnd.push(end);
      lineIndent.push(p - start);
      lineFirst.push(p === e ? e : p);
      if (nl >= text.length) break;
      start = nl + 1;
    }
  }

  private blank(l: number): boolean {
    return this.lineFirst[l] === this.lineEnd[l];
  }

  private comment(l: number): boolean {
    return !this.blank(l) && this.text.charCodeAt(this.lineFirst[l]!) === 35; // #
  }

  /** The nodes anchors (`&name`) were set on so far, by name. */
  private readonly anchors = new Map<string, LightNode>();

  /** Where the next `:` and `#` are (see NextOf). */
  private readonly colons: NextOf;
  private readonly hashes: NextOf;

  /** The first `:` indicator (a blank or the line's end after it) in [at, end); end if none. */
  private indicatorColon(at: number, end: number): number {
    for (let j = this.colons.from(at); j < end; j = this.colons.from(j + 1)) {
      if (j + 1 === end || isBlank(this.text.charCodeAt(j + 1))) return j;
    }
    return end;
  }

  /** Where the first comment (a `#` after a blank) in [at, end) starts; end if none. */
  private commentStart(at: number, end: number): number {
    for (let h = this.hashes.from(at); h < end; h = this.hashes.from(h + 1)) {
      if (isBlank(this.text.charCodeAt(h - 1))) return h;
    }
    return end;
  }

  /** Moves past blank and comment lines, remembering the comments; returns the next content line or -1. */
  private nextContent(allowMarker = false): number {
    if (this.i === this.found) return this.i < this.lineStart.length ? this.i : -1;
    this.pending = [];
    for (; ; this.i++) {
      this.found = this.i;
      if (this.i >= this.lineStart.length) return -1;
      const l = this.i;
      if (this.blank(l)) continue;
      if (this.comment(l)) {
        this.pending.push({ indent: this.lineIndent[l]!, end: this.lineEnd[l]! });
        continue;
      }
      const first = this.lineFirst[l]!;
      // Document markers and directives inside a document part: not this reader's business, but for
      // a bare `...` line that ends the part (only blanks and comments after it, which no node holds).
      if (!allowMarker && this.lineIndent[l] === 0 && documentMarkerAt(this.text, first)) {
        if (!this.endsPart(l)) giveUp();
        this.i = this.found = this.lineStart.length;
        return -1;
      }
      if (this.lineIndent[l] === 0 && this.text[first] === '%') giveUp();
      return l;
    }
  }

  /** Whether line `l` is a bare `...` line with nothing but blank and comment lines after it. */
  private endsPart(l: number): boolean {
    if (this.text[this.lineFirst[l]!] !== '.' || this.lineEnd[l]! - this.lineFirst[l]! !== 3) return false;
    for (let k = l + 1; k < this.lineStart.length; k++) if (!this.blank(k) && !this.comment(k)) return false;
    return true;
  }

  read(): LightNode {
    // A leading `---` line (the part's separator) and comments before the content.
    let l = this.nextContent(true);
    if (l >= 0 && isSeparatorLine(this.text.slice(this.lineStart[l], this.lineEnd[l]))) {
      this.i = l + 1;
      l = this.nextContent();
    }
    if (l < 0) giveUp();
    const root = this.blockNode(l, this.lineFirst[l]!, -1);
    if (this.nextContent() >= 0) giveUp();
    return root;
  }

  /** A block node starting at offset `at` on line `l` (mid-line after `- `, or a line's first character). */
  private blockNode(l: number, at: number, parentIndent: number): LightNode {
    if (this.text[at] === '!') return this.scalar(l, at, parentIndent);
    const column = at - this.lineStart[l]!;
    if (this.seqIndicator(at, this.lineEnd[l]!)) return this.seq(l, at, column);
    const key = this.keyAt(l, at);
    if (key) return this.map(l, at, column, key);
    return this.scalar(l, at, parentIndent);
  }

  private seqIndicator(at: number, end: number): boolean {
    return this.text[at] === '-' && (at + 1 === end || this.text[at + 1] === ' ' || this.text[at + 1] === '\t');
  }

  /** The key starting at `at`, if the line has one there. */
  private keyAt(l: number, at: number): Key | undefined {
    const text = this.text;
    const end = this.lineEnd[l]!;
    const c = text[at]!;
    if (c === '"' || c === "'") {
      let j = at + 1;
      let escaped = false;
      for (;;) {
        if (j >= end) return undefined; // a quoted scalar over several lines cannot be a key here
        const ch = text[j]!;
        if (c === '"' && ch === '\\') {
          escaped = true;
          j += 2;
          continue;
        }
        if (ch === c) {
          if (c === "'" && text[j + 1] === "'") {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      const keyEnd = j + 1;
      let k = keyEnd;
      while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
      if (text[k] !== ':' || !(k + 1 === end || text[k + 1] === ' ' || text[k + 1] === '\t')) return undefined;
      const raw = text.slice(at + 1, j);
      if (c === "'") return { keyEnd, key: raw.replace(/''/g, "'"), afterColon: k + 1, ambiguous: false };
      const key = escaped ? decodeDoubleQuoted(raw) : raw;
      return { keyEnd, key: key ?? raw, afterColon: k + 1, ambiguous: key === undefined };
    }
    if (indicatorAt(text, at)) return undefined;
    if ((c === '?' || c === ':' || c === '-') && (at + 1 === end || text[at + 1] === ' ' || text[at + 1] === '\t')) return undefined;
    // The first `:` indicator on the line, unless a comment (` #`) comes first.
    const j = this.indicatorColon(at, end);
    if (j >= end || this.commentStart(at, j) < j) return undefined;
    let keyEnd = j;
    while (keyEnd > at && isBlank(text.charCodeAt(keyEnd - 1))) keyEnd--;
    const key = text.slice(at, keyEnd);
    return { keyEnd, key, afterColon: j + 1, ambiguous: nonStringKey(key) };
  }

  /** A block map whose first key (`firstKey`, read at `at` on line `l`) is at column `indent`. */
  private map(l: number, at: number, indent: number, firstKey: Key): LightMap {
    const map: LightMap = { kind: 'map', start: at, end: at, end2: at, indent, pairs: new Map(), count: 0, ambiguous: false };
    let last: LightNode | undefined;
    for (;;) {
      const key = (map.count === 0 ? firstKey : this.keyAt(l, at)) ?? giveUp();
      if (key.ambiguous) map.ambiguous = true;
      const value = this.valueAfterKey(l, key.afterColon, indent);
      // A key written again: the later pair is the one `yaml` locates (and the value read).
      if (!map.pairs.has(key.key)) map.count++;
      map.pairs.set(key.key, { keyStart: at, keyEnd: key.keyEnd, value });
      last = value;
      const next = this.nextContent();
      if (next < 0 || this.lineIndent[next]! < indent) break;
      if (this.lineIndent[next]! > indent) giveUp();
      const first = this.lineFirst[next]!;
      if (this.seqIndicator(first, this.lineEnd[next]!)) giveUp(); // a sequence item after a complete pair
      l = next;
      at = first;
    }
    this.close(map, last);
    return map;
  }

  private seq(l: number, at: number, indent: number): LightSeq {
    const seq: LightSeq = { kind: 'seq', start: at, end: at, end2: at, indent, items: [] };
    let last: LightNode | undefined;
    for (;;) {
      const end = this.lineEnd[l]!;
      let p = at + 1;
      while (p < this.lineRawEnd[l]! && (this.text[p] === ' ' || this.text[p] === '\t')) p++;
      let item: LightNode;
      if (p >= end || (this.text[p] === '#' && p > at + 1)) {
        this.i = l + 1;
        item = this.valueOnNextLines(p, end, indent, false);
      } else {
        if (p === at + 1) giveUp();
        item = this.blockNode(l, p, indent);
      }
      seq.items.push(item);
      last = item;
      const next = this.nextContent();
      if (next < 0 || this.lineIndent[next]! < indent) break;
      if (this.lineIndent[next]! > indent) giveUp();
      const first = this.lineFirst[next]!;
      if (!this.seqIndicator(first, this.lineEnd[next]!)) break; // a key of the map this sequence is a value of
      l = next;
      at = first;
    }
    this.close(seq, last);
    return seq;
  }

  /**
   * Ends a collection at the next line of content (or the end): its end is its last value's, and the
   * comment lines read past are shared out as `yaml` does.
   */
  private close(collection: LightMap | LightSeq, last: LightNode | undefined): void {
    if (!last) giveUp();
    let comments = this.pending;
    if (comments.length > 0) {
      if (last.kind === 'scalar' && (last.style === 'empty' || last.style === 'alias')) giveUp();
      // A value that ends on its line (a one-line scalar, a quoted one, a flow collection).
      if (last.kind === 'scalar' ? last.style === 'plain' || last.style === 'quoted' : last.flow === true) {
        let k = 0;
        while (k < comments.length && comments[k]!.indent > collection.indent) last.end2 = comments[k++]!.end;
        comments = comments.slice(k);
      }
    }
    collection.end = last.end2;
    collection.end2 = collection.end;
    if (comments.length > 0 && collection.indent > 0 && comments.some((c) => c.indent >= collection.indent)) {
      collection.end2 = comments[comments.length - 1]!.end;
      comments = [];
    }
    this.pending = comments;
  }

  /** The value after `key:` on line `l` (p is just past the colon). */
  private valueAfterKey(l: number, p: number, mapIndent: number): LightNode {
    const end = this.lineEnd[l]!;
    const text = this.text;
    while (p < this.lineRawEnd[l]! && (text[p] === ' ' || text[p] === '\t')) p++;
    // An anchor (`key: &name`, as manifests share labels), its node after it: `yaml`'s range of the
    // node leaves the anchor out. An anchored empty value is left to `yaml`.
    let anchor: string | undefined;
    if (text[p] === '&') {
      const name = ANCHOR_NAME.exec(text.slice(p + 1, end));
      if (!name) giveUp();
      anchor = name[0];
      p += 1 + anchor.length;
      if (p < end && text[p] !== ' ') giveUp();
      while (p < this.lineRawEnd[l]! && (text[p] === ' ' || text[p] === '\t')) p++;
    }
    let node: LightNode;
    if (p >= end || text[p] === '#') {
      this.i = l + 1;
      node = this.valueOnNextLines(p, end, mapIndent, true);
    } else {
      node = this.scalar(l, p, mapIndent);
    }
    if (anchor !== undefined) {
      if (node.kind === 'scalar' && (node.style === 'empty' || node.style === 'alias')) giveUp();
      this.anchors.set(anchor, node);
    }
    return node;
  }

  /**
   * A value that is not on its key's (or `-`'s) line: a block collection on the lines below, or
   * empty. `p` is where the value would start on the line (at a comment or the line's end).
   */
  private valueOnNextLines(p: number, lineEnd: number, parentIndent: number, ofKey: boolean): LightNode {
    const next = this.nextContent();
    if (next >= 0) {
      const indent = this.lineIndent[next]!;
      const first = this.lineFirst[next]!;
      if (indent > parentIndent) {
        const node = this.blockNode(next, first, parentIndent);
        if (node.kind === 'scalar') giveUp(); // a scalar on the next line: rare, and style-dependent
        return node;
      }
      if (ofKey && indent === parentIndent && this.seqIndicator(first, this.lineEnd[next]!)) return this.seq(next, first, indent);
    }
    // Empty (null). A comment after it makes `yaml`'s offsets hard to follow.
    if (this.pending.length > 0) giveUp();
    return { kind: 'scalar', style: 'empty', start: p, end: p, end2: p < lineEnd ? lineEnd : p };
  }

  /**
   * A scalar (or a flow collection) starting at `at` on line `l`; after the string tag (`!!str`), a
   * quoted or plain scalar on the tag's line, whose range (as `yaml`'s) leaves the tag out.
   */
  private scalar(l: number, at: number, parentIndent: number): LightNode {
    const text = this.text;
    const end = this.lineEnd[l]!;
    if (text[at] === '!') {
      if (!text.startsWith('!!str ', at)) giveUp();
      at += 6;
      while (at < end && text[at] === ' ') at++;
      const t = text[at];
      if (at >= end || t === '#' || t === '|' || t === '>' || t === '[' || t === '{' || t === '*' || t === '&' || t === '!' || t === '\t') giveUp();
    }
    const c = text[at]!;
    if (c === '|' || c === '>') return this.blockScalar(l, at, parentIndent);
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(l, at);
      return this.afterValue(close.line, { kind: 'scalar', style: 'quoted', start: at, end: close.end, end2: close.end });
    }
    if (c === '*') {
      // An alias as a whole value: its own range is `*name`; a path through it goes on in its anchor's node.
      const name = ANCHOR_NAME.exec(text.slice(at + 1, end));
      const target = name ? this.anchors.get(name[0]) : undefined;
      if (!name || !target) giveUp();
      const aliasEnd = at + 1 + name[0].length;
      if (aliasEnd < end && text[aliasEnd] !== ' ') giveUp();
      return this.afterValue(l, { kind: 'scalar', style: 'alias', start: at, end: aliasEnd, end2: aliasEnd, target });
    }
    if (c === '[' || c === '{') {
      const node = this.flow.read(at);
      let last = l;
      while (last + 1 < this.lineStart.length && this.lineStart[last + 1]! < node.end) last++;
      return this.afterValue(last, node);
    }
    if (indicatorAt(text, at) || c === '?' || (c === '-' && (at + 1 === end || text[at + 1] === ' '))) giveUp();
    // A plain scalar on one line: up to a comment; a `: ` inside would be a nested key (invalid here).
    // (The line's end leaves out its trailing blanks: without a comment the value ends there.)
    const j = this.commentStart(at, end);
    if (this.indicatorColon(at, j) < j) giveUp();
    let valueEnd = j;
    while (valueEnd > at && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
    const node: LightScalar = { kind: 'scalar', style: 'plain', start: at, end: valueEnd, end2: j < end ? end : valueEnd };
    this.i = l + 1;
    // Continuation lines (more indented, not comments) make it a multi-line plain scalar: it ends
    // where its last continuation line's text ends (blank lines between them fold into it).
    if (j === end) {
      for (let k = l + 1; k < this.lineStart.length; k++) {
        if (this.blank(k)) continue;
        if (this.comment(k) || this.lineIndent[k]! <= parentIndent) break;
        node.end = node.end2 = this.continuationEnd(k, parentIndent);
        this.i = k + 1;
      }
    }
    return node;
  }

  /**
   * Where a continuation line `k` of a plain scalar ends. Only plain text is read: a line that
   * starts with an indicator (`- ` included), holds a `: `, a ` #` or a tab (a key, a comment, an error or an
   * unusual folding) is left to `yaml`, as is a scalar at the top of the document.
   */
  private continuationEnd(k: number, parentIndent: number): number {
    const text = this.text;
    const first = this.lineFirst[k]!;
    const end = this.lineEnd[k]!;
    const c = text[first]!;
    if (parentIndent < 0 || INDICATOR_START.test(c) || ((c === '-' || c === '?' || c === ':') && (first + 1 === end || text[first + 1] === ' '))) giveUp();
    for (let j = first; j < end; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 9) giveUp();
      if (ch === 58 && (j + 1 === end || text.charCodeAt(j + 1) === 32)) giveUp(); // `: `
      if (ch === 35 && text.charCodeAt(j - 1) === 32) giveUp(); // ` #`
    }
    return end;
  }

  /** After a quoted scalar or flow collection ending on line `l`: only a comment may follow. */
  private afterValue<T extends LightNode>(l: number, node: T): T {
    const end = this.lineEnd[l]!;
    let p = node.end;
    while (p < end && (this.text[p] === ' ' || this.text[p] === '\t')) p++;
    if (p < end && !(this.text[p] === '#' && p > node.end)) giveUp();
    this.i = l + 1;
    node.end2 = p < end ? end : node.end;
    return node;
  }

  /** The end of a quoted scalar starting at `at` (possibly over several lines). */
  private quotedEnd(l: number, at: number): { line: number; end: number } {
    const text = this.text;
    const quote = text[at]!;
    let j = at + 1;
    for (;;) {
      const end = this.lineEnd[l]!;
      while (j < end) {
        const ch = text[j]!;
        if (quote === '"' && ch === '\\') {
          j += 2;
          continue;
        }
        if (ch === quote) {
          if (quote === "'" && text[j + 1] === "'") {
            j += 2;
            continue;
          }
          return { line: l, end: j + 1 };
        }
        j++;
      }
      // Continued on the next line (an escaped line break, or a folded line).
      l++;
      if (l >= this.lineStart.length) giveUp();
      j = this.lineStart[l]!;
    }
  }

  /** A block scalar whose header (`|`, `>-`, `|2+`, with an optional comment) is at `at`. */
  private blockScalar(l: number, at: number, parentIndent: number): LightScalar {
    const text = this.text;
    const header = /^([|>])([1-9]?)([-+]?)([1-9]?)(?:[ \t]+#.*)?$/.exec(text.slice(at, this.lineEnd[l]));
    if (!header) giveUp();
    const digit = header[2] || header[4];
    const keep = header[3] === '+';
    const style: ScalarStyle = header[1] === '|' ? 'literal' : 'folded';
    let contentIndent = digit ? Math.max(parentIndent, 0) + Number(digit) : -1;
    if (digit && parentIndent < 0) giveUp();
    // End of the header line, then content lines: blank, or indented at least contentIndent.
    let valueEnd = this.lineStart[l + 1] ?? text.length; // after the header's line break
    if (valueEnd > text.length) valueEnd = text.length;
    let k = l + 1;
    let maxBlankIndent = 0;
    for (; k < this.lineStart.length; k++) {
      const indent = this.lineIndent[k]!;
      if (this.blank(k)) {
        // A blank line of spaces only; one more indented than the content that follows is an error.
        maxBlankIndent = Math.max(maxBlankIndent, this.lineEnd[k]! - this.lineStart[k]!);
        if (this.lineEnd[k]! !== this.lineStart[k]! + indent) giveUp(); // a tab in a blank line
        continue;
      }
      if (contentIndent < 0) {
        if (indent <= parentIndent) break; // empty block scalar
        contentIndent = indent;
        if (maxBlankIndent > contentIndent) giveUp();
      }
      if (indent < contentIndent) break;
      valueEnd = this.lineStart[k + 1] ?? text.length;
      if (valueEnd > text.length) valueEnd = text.length;
    }
    this.i = k;
    // What ends the scalar must be less indented than its parent's content, or it is an error.
    if (k < this.lineStart.length && contentIndent >= 0 && this.lineIndent[k]! > parentIndent && !this.blank(k) && !this.comment(k)) giveUp();
    const node: LightScalar = { kind: 'scalar', style, start: at, end: valueEnd, end2: valueEnd };
    if (keep) node.keep = true;
    return node;
  }
}

/** A document's positions, read without `yaml`; undefined when the document is outside the subset. */
export class LightDocument {
  private constructor(
    private readonly text: string,
    private readonly root: LightNode,
    private readonly flow: FlowReader,
  ) {}

  /**
   * Whether a map of the value has as many keys as the map read here, counted once per pair (the
   * node keeps the value it was last checked against): a map of 200,000 keys with a finding on each
   * is not counted 200,000 times, nor looked up in a table each time.
   */
  private static sameCount(node: LightMap, v: Record<string, unknown>): boolean {
    if (node.checked === v) return true;
    if (Object.keys(v).length !== node.count) return false;
    node.checked = v;
    return true;
  }

  static read(text: string): LightDocument | undefined {
    try {
      const reader = new Reader(text);
      return new LightDocument(text, reader.read(), reader.flow);
    } catch (e) {
      if (e === GIVE_UP) return undefined;
      throw e;
    }
  }

  /**
   * As `locateOffsets` (locate.ts) over `value`, the document's value as the fast parser read it;
   * undefined when this reader cannot be sure (a lookup in a map with a key it cannot read, a flow
   * collection it cannot index, or a shape that differs from the value's).
   */
  locate(value: unknown, path: Path): [number, number] | undefined {
    let node: LightNode = this.root;
    let v = value;
    let best: [number, number] = [node.start, node.end];
    for (const segment of path) {
      if (node.kind === 'scalar' && node.target) node = node.target; // as `locateOffsets` resolves an alias
      if (node.kind !== 'scalar' && node.unread && !this.flow.index(node)) return undefined;
      if (node.kind === 'map') {
        if (!isPlainObject(v) || node.ambiguous || !LightDocument.sameCount(node, v)) return undefined;
        const pair = node.pairs.get(String(segment));
        if (!pair) {
          if (Object.hasOwn(v, String(segment))) return undefined;
          break;
        }
        best = [pair.keyStart, Math.max(spanOf(pair.value).end, pair.keyEnd)];
        node = pair.value;
        v = v[String(segment)];
      } else if (node.kind === 'seq') {
        if (!Array.isArray(v) || v.length !== node.items.length) return undefined;
        if (typeof segment !== 'number') break;
        const item = node.items[segment];
        if (item === undefined) break;
        const span = spanOf(item);
        best = [span.start, span.end];
        node = item;
        v = v[segment];
      } else {
        if (node.style !== 'empty' && (isPlainObject(v) || Array.isArray(v))) return undefined;
        break;
      }
    }
    return best;
  }

  /**
   * As `locateInner` (locate.ts): the offsets, or undefined where `locateInner` gives none (not a
   * literal block scalar); null when this reader cannot be sure.
   */
  locateInner(path: Path, inner: InnerPosition): [number, number] | undefined | null {
    let node: LightNode | undefined = this.root;
    for (const segment of path) {
      if (node.kind === 'scalar' && node.target) node = node.target;
      if (node.kind !== 'scalar' && node.unread && !this.flow.index(node)) return null;
      if (node.kind === 'map') {
        if (node.ambiguous) return null;
        node = node.pairs.get(String(segment))?.value;
      } else if (node.kind === 'seq' && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        node = undefined;
      }
      if (!node) return undefined;
    }
    if (node.kind !== 'scalar' || node.style !== 'literal') return undefined;
    if (node.keep) return null;
    return literalInnerOffsets(this.text, node.start, node.end, inner, node);
  }
}

/** The node whose range `yaml` gives for a node: an alias's anchored node (as `nodeSpan` in locate.ts). */
function spanOf(node: LightNode): LightNode {
  return node.kind === 'scalar' && node.target ? node.target : node;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
