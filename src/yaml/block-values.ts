/**
 * A reader of the block YAML nearly all manifests are written in, for the fast path before js-yaml:
 * `blockValues(text)` gives the documents' values exactly as `jsyaml.loadAll(text, undefined,
 * { schema: KUBE_JS_YAML_SCHEMA, json: false })` gives them (same keys in the same order, same
 * scalars, fresh objects), or undefined when the text holds anything outside its subset, and js-yaml
 * decides. Anything js-yaml rejects is outside the subset.
 *
 * The subset: block mappings and sequences (compact `- key: v` mappings and `- - a` sequences, a
 * sequence at its key's indentation), plain scalars (resolved by `kubeScalar`, the schema's own
 * table; continuation lines folded in), single- and double-quoted scalars (js-yaml's escapes; over
 * several lines outside flow collections), literal and folded block scalars without an indentation
 * indicator, flow collections of scalars and flow collections, comments, `---` lines between
 * documents; CR LF line breaks (read as line feeds, as js-yaml reads them). Given up on: tabs outside
 * quoted scalars, comments and block scalar content; a carriage return not before a line feed, NUL
 * and characters js-yaml calls non-printable anywhere; anchors other than before a value or an
 * entry's one-line scalar or block collection (see anchored), aliases other than as a whole value
 * or entry (shared, as js-yaml shares them), tags other than `!!str` before a one-line scalar (see
 * stringTagged), explicit keys, directives, content or a second `...` after a `...` line, keys that are not plain strings (`1:`, `true:`, a quoted `"<<"`, `__proto__`; a plain `<<` is a merge key, of a mapping or a sequence of mappings: see mergeInto),
 * duplicate keys (unless the caller lists them: see DuplicateKeyRead), a scalar or
 * block scalar on a line of its own below its key or dash, a line whose indentation fits no open
 * collection, nesting deeper than 60 collections, a text with no document.
 *
 * js-yaml's reading of each construct is in node_modules/js-yaml/lib/loader.js (readBlockMapping,
 * readBlockSequence, readBlockScalar, readPlainScalar, composeNode, readDocument); the comments here
 * name the function whose behaviour a step follows.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import jsyaml from 'js-yaml';
import { kubeScalarKind, kubeScalarValue, type ScalarKind } from './kube-scalars.js';
import { MAX_ALIAS_EXPANSION } from './parse.js';

/**
 * How plain scalars resolve: `kube`, as Kubernetes reads them (KUBE_JS_YAML_SCHEMA, the fast path);
 * `core`, as js-yaml's CORE_SCHEMA does (YAML 1.2's core schema: `yes` and `on` are strings), for
 * YAML read inside values and kustomization files.
 */
export type BlockSchema = 'kube' | 'core';

/** js-yaml's CORE_SCHEMA implicit types (null, bool, int, float), in the order composeNode tries them. */
const CORE_IMPLICIT = (jsyaml.CORE_SCHEMA as unknown as { compiledImplicit: (jsyaml.Type & { tag: string })[] }).compiledImplicit;

const CORE_HINTS = new Uint8Array(128);
for (const c of '~nNtTfF-+.0123456789') CORE_HINTS[c.charCodeAt(0)] = 1;

/** A plain scalar as js-yaml's CORE_SCHEMA resolves it (composeNode's loop over implicit types). */
export function coreScalar(text: string): [ScalarKind, unknown] {
  return coreHinted(text) ? coreImplicit(text) : ['str', text];
}

/** composeNode's loop over CORE_SCHEMA's implicit types, for a text coreHinted let through. */
function coreImplicit(text: string): [ScalarKind, unknown] {
  for (const type of CORE_IMPLICIT) {
    if (type.resolve(text)) return [type.tag.slice(type.tag.lastIndexOf(':') + 1) as ScalarKind, type.construct(text)];
  }
  return ['str', text];
}

/** Every core null, bool, int and float starts with one of CORE_HINTS (`~`, `null`, `true`, `-1`, `.5`). */
function coreHinted(text: string): boolean {
  if (text === '') return true;
  const first = text.charCodeAt(0);
  return first < 128 && CORE_HINTS[first] === 1;
}

/** How the reader resolves plain scalars: a value, and a kind for keys (see BlockSchema). */
interface Scalars {
  value(text: string): unknown;
  kind(text: string): ScalarKind;
}

const KUBE_SCALARS: Scalars = { value: kubeScalarValue, kind: kubeScalarKind };
const CORE_SCALARS: Scalars = {
  value: (text) => (coreHinted(text) ? coreImplicit(text)[1] : text),
  kind: (text) => (coreHinted(text) ? coreImplicit(text)[0] : 'str'),
};

/** Thrown to give up; caught by blockValues only. */
const GIVE_UP = new Error('outside the block subset');

/**
 * Thrown where js-yaml is sure to throw too (a duplicate key, an unknown escape): everything before
 * was read as js-yaml reads it, so js-yaml meets the same error. blockReadOrRejected says so.
 */
const REJECT = new Error('js-yaml rejects the text');

/** What the cursor stands on. */
const EOF = 0;
const CONTENT = 1;
const MARKER = 2; // a `---` line
const END = 3; // a `...` line

/** How a plain scalar's line scan stopped. */
const AT_EOL = 0;
const AT_COMMENT = 1;
const AT_COLON = 2;

const MAX_NESTING = 60;

/** What a node in a flow collection is, for its use as a key. */
const STRING = 0;
const OTHER = 1;
const COLLECTION = 2;

/** `,[]{}`, by character code. */
const FLOW_INDICATOR = new Uint8Array(128);
for (const c of ',[]{}') FLOW_INDICATOR[c.charCodeAt(0)] = 1;

/** Characters js-yaml refuses in plain and block scalars (PATTERN_NON_PRINTABLE), looked for only after a cheaper superset matched. */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** A superset of NON_PRINTABLE, plus the line breaks of YAML 1.1 (NEL, U+2028, U+2029), CR and NUL. */
const UNUSUAL = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/;
const NEVER = /[\x00\r\x85\u2028\u2029]/;
const LONE_CR = /\r(?!\n)/;
const CRLF = /\r\n/g;

/** Where needsExactPath's tokenizer ends a plain token (see mayOpen): blanks, CR, line feeds and `,[]{}`, by character code. */
const TOKEN_END = new Uint8Array(128);
for (const c of ' \t\r\n,[]{}') TOKEN_END[c.charCodeAt(0)] = 1;

/** Plain keys already read (see plainKey), by a hash of their length and a few characters. */
const KEY_CACHE_SIZE = 2048;
const KEY_CACHE: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE).fill(undefined);

/** What a line read as text may start with (after its spaces) for kubeDoubt to doubt it: see checkLine. */
const LINE_DOUBT_START = new Uint8Array(128);
for (const c of ' \t-?:~nN') LINE_DOUBT_START[c.charCodeAt(0)] = 1;

/** js-yaml's simpleEscapeSequence, by character code (double-quoted scalars). */
const SIMPLE_ESCAPES: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
for (const [c, v] of [
  ['0', '\x00'], ['a', '\x07'], ['b', '\x08'], ['t', '\x09'], ['\t', '\x09'], ['n', '\x0A'], ['v', '\x0B'], ['f', '\x0C'],
  ['r', '\x0D'], ['e', '\x1B'], [' ', ' '], ['"', '"'], ['/', '/'], ['\\', '\\'], ['N', '\x85'], ['_', '\xA0'], ['L', '\u2028'], ['P', '\u2029'],
] as const) {
  SIMPLE_ESCAPES[c.charCodeAt(0)] = v;
}

/** Characters no plain scalar starts with (readPlainScalar), besides `-`, `?` and `:` before a blank. */
const NOT_PLAIN_START = new Uint8Array(128);
for (const c of ' \t\n\r,[]{}#&*!|>\'"%@`') NOT_PLAIN_START[c.charCodeAt(0)] = 1;

/**
 * The values of the documents of `text`, exactly as js-yaml's loadAll reads them with
 * KUBE_JS_YAML_SCHEMA; undefined when the text is outside the subset this reader knows.
 */
export function blockValues(text: string): unknown[] | undefined {
  return blockRead(text, false)?.values;
}

/** What blockRead gives for a text it reads. */
export interface BlockRead {
  /** The documents' values, as blockValues gives them. */
  values: unknown[];
  /**
   * No flow collection spans lines, no quoted scalar does but a value's continued on lines indented
   * past its key (or `-`), and no plain scalar holds a quote or an opening
   * bracket (`"'[{`) where needsExactPath's tokenizer may see one start (see mayOpen; anywhere in a
   * flow collection, or first on a continuation line): what needsExactPath looks at (with lines over
   * 1024 characters, which this reader does not measure) is absent, and the fast path skips it.
   */
  simple: boolean;
  /**
   * A line the reader read as text (a block scalar's content, more of a plain or quoted scalar) or
   * inside a flow collection may be one the fast path's kubeDoubt doubts at a line start (a null or
   * `?` key after the indentation and any `- `, a line of blanks with a tab). When false, no line of
   * the text is: the reader refuses such lines where it reads structure.
   */
  lineDoubt: boolean;
  /**
   * The text may have what the fast path's hasStreamProblems looks for. When false, it has none: no
   * line starting with `---` other than the separators the reader read, none starting with `%`, no
   * `...` line followed by content in its part, and no `{` first (kubectl's JSON sniff).
   */
  streamDoubt: boolean;
  /**
   * A double-quoted scalar holds the `\/` escape (YAML 1.2 only: Kubernetes rejects it, and the exact
   * path reports it). When false, no scalar of the text is one: a `\/` is in plain or single-quoted
   * text, a block scalar or a comment, and the fast path's kubeDoubt need not look for it.
   */
  slashEscape: boolean;
  /**
   * A plain scalar was read as `.inf`, `-.inf` or `.nan` (a number JSON has not: Kubernetes rejects
   * it). When false, none is: an `.inf` is text elsewhere, and the fast path's kubeDoubt need not
   * look for it.
   */
  infNan: boolean;
  /**
   * A flow collection holding anything (`[a]`, `{a: 1}`) was read. When false, none was (`[]` and
   * `{}` at most): the fast path's kubeDoubt need not look for null keys in flow collections nor for
   * comments right after their closing brackets.
   */
  flowContent: boolean;
  /**
   * A key's `:` stands more than 1024 characters into its line (an implicit key too long for `yaml`).
   * When false, and no flow collection holds anything, a long line holds no `:` needsExactPath must
   * look at (values, quoted scalars and comments may be long).
   */
  longKey: boolean;
}

/**
 * A key written a second time in a mapping, read on (instead of refused) when the caller of
 * blockReadOrRejected asks: the later value replaces the earlier one where the earlier key stood (as
 * `yaml` reads it), and this says where.
 */
export interface DuplicateKeyRead {
  /** The document's index in the text. */
  document: number;
  /** Where the later key starts (its quote, if quoted), in the text as given (no CR LF text is read on). */
  offset: number;
  key: string;
  /** The mapping (the value read) holding it. */
  map: object;
}

/**
 * blockValues, telling also whether the text is `simple` (see BlockRead). `printableChecked`: the
 * caller has made sure the text holds no character js-yaml calls non-printable (parse.ts'
 * inputProblem found none) and no line break of YAML 1.1 (NEL, U+2028, U+2029): the reader then
 * does not test the whole text again.
 */
export function blockRead(text: string, printableChecked: boolean, schema: BlockSchema = 'kube'): BlockRead | undefined {
  const read = blockReadOrRejected(text, printableChecked, schema);
  return read === 'rejected' ? undefined : read;
}

/**
 * blockRead, telling also when js-yaml is sure to reject the text ('rejected': a duplicate key, an
 * unknown escape, read up to there as js-yaml reads it): a caller that would ask js-yaml next need not.
 * With `duplicates`, a duplicate key is read on and listed there (see DuplicateKeyRead) in a text
 * without carriage returns; with carriage returns it is still 'rejected'.
 */
export function blockReadOrRejected(text: string, printableChecked: boolean, schema: BlockSchema = 'kube', duplicates?: DuplicateKeyRead[]): BlockRead | 'rejected' | undefined {
  if (text.length === 0) return { values: [], simple: true, lineDoubt: false, streamDoubt: false, slashEscape: false, infNan: false, flowContent: false, longKey: false };
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  // Line breaks written CR LF (files from Windows): js-yaml reads each as one line break, in scalars
  // too, so the values are those of the text with line feeds only. A lone CR is given up on.
  let lines = text;
  const crlf = text.includes('\r');
  if (crlf) {
    if (LONE_CR.test(text)) return undefined;
    lines = text.replace(CRLF, '\n');
  }
  if (!printableChecked && UNUSUAL.test(lines) && (NEVER.test(lines) || NON_PRINTABLE.test(lines))) return undefined;
  // js-yaml reads a text as if it ended with a line feed.
  const src = lines.charCodeAt(lines.length - 1) === 10 ? lines : `${lines}\n`;
  try {
    const reader = new BlockReader(src, schema === 'core' ? CORE_SCALARS : KUBE_SCALARS, crlf ? undefined : duplicates);
    const values = reader.documents();
    // Merge keys beside aliases of collections: the exact path counts such an alias by the mapping
    // as written (merge keys and their sources), larger than its value; left to it (see merge).
    if (reader.mergeSize > 0 && reader.collectionAliases > 0) return undefined;
    // The flags are about the text read, not the caller's: with CRs, the caller checks everything
    // (but longKey, as a CR only ends a line: columns are the same).
    // (js-yaml reads no document in spaces and one line feed, but one null document in spaces and CR LF.)
    if (crlf) return { values: values.length === 0 ? [null] : values, simple: false, lineDoubt: true, streamDoubt: true, slashEscape: true, infNan: true, flowContent: true, longKey: reader.longKey };
    return { values, simple: reader.simple, lineDoubt: reader.lineDoubt, streamDoubt: reader.streamDoubt, slashEscape: reader.slashEscape, infNan: reader.infNan, flowContent: reader.flowContent, longKey: reader.longKey };
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    if (error === REJECT) return 'rejected';
    throw error;
  }
}

class BlockReader {
  private readonly src: string;
  private readonly n: number;
  /** The line the cursor stands on: EOF, CONTENT (its start, indentation, first character), MARKER or END. */
  private kind = EOF;
  private lineStart = 0;
  private indent = 0;
  private first = 0;
  /** After a MARKER or an END: where the line after it starts. */
  private afterMarker = 0;
  /** After scanPlain: the end of the scalar (trailing blanks excluded) and where the scan stopped. */
  private plainEnd = 0;
  private stop = 0;
  /** After a quoted scalar: the position after its closing quote, and how many line breaks it spans. */
  private quoteEnd = 0;
  private quoteLines = 0;
  /**
   * While a quoted scalar is read: the column of the key or `-` it is the value of, which its
   * continuation lines must be indented past for the text to stay `simple` (Infinity: never).
   */
  private quoteOwner = Infinity;
  /**
   * While a quoted scalar that is a key's value is read: where the key's `:` is (-1: not a key's
   * value). needsExactPath measures a continuation line against the key's last word (keyLastWord).
   */
  private quoteKey = -1;
  /** The mappings a merge key was merged into, and the sizes of the merged sources so far (see merge). */
  private mergedMaps: Set<object> | undefined;
  mergeSize = 0;
  /** How many aliases name a collection, merge sources aside. */
  collectionAliases = 0;
  /** After foldAt: how many line breaks it skipped. */
  private foldBreaks = 0;
  /** After a node in a flow collection: the position after it, and whether it is a string (a key's kind). */
  private flowEnd = 0;
  private flowKind = OTHER;
  private nesting = 0;
  /** See BlockRead.simple: cleared on a multi-line quoted scalar or flow collection, and on a quote or `[`/`{` in a plain scalar. */
  simple = true;
  /** See BlockRead.lineDoubt. */
  lineDoubt = false;
  /** See BlockRead.streamDoubt: set on a line starting with `---` or `%` read as content, and on a first `{` or non-ASCII character. */
  streamDoubt = false;
  /** See BlockRead.slashEscape. */
  slashEscape = false;
  /** See BlockRead.infNan. */
  infNan = false;
  /** See BlockRead.flowContent. */
  flowContent = false;
  /** See BlockRead.longKey. */
  longKey = false;
  /** The anchors (`&name`) of the document being read, by name, each set once its node is read. */
  private anchors: Map<string, unknown> | undefined;
  /** After anchorName: the position after the name. */
  private propertyEnd = 0;

  /** How a plain scalar resolves (see BlockSchema). */
  private readonly scalar: Scalars;
  /** Where duplicate keys are listed (read on), or undefined (refused: REJECT). */
  private readonly duplicates: DuplicateKeyRead[] | undefined;
  /** The index of the document being read. */
  private document = 0;

  constructor(src: string, scalar: Scalars, duplicates: DuplicateKeyRead[] | undefined) {
    this.src = src;
    this.n = src.length;
    this.scalar = scalar;
    this.duplicates = duplicates;
  }

  /** A key written again in `map` at `offset`: listed when the caller asks, else js-yaml's "duplicated mapping key". */
  private duplicate(map: object, key: string, offset: number): void {
    if (this.duplicates === undefined) throw REJECT;
    this.duplicates.push({ document: this.document, offset, key, map });
  }

  /** readDocument, for each document (loadDocuments). */
  documents(): unknown[] {
    const docs: unknown[] = [];
    this.advance(0);
    // Blank lines and comments before the first `---` are no document. A text of only those: no
    // document when it is spaces and one line feed (loadDocuments stops before reading any), else
    // one null document.
    if (this.kind === EOF) {
      let i = 0;
      while (this.src.charCodeAt(i) === 32) i++;
      return i >= this.n - 1 ? [] : [null];
    }
    if (this.kind === CONTENT) {
      const c = this.src.charCodeAt(this.first);
      if (c === 123 || c >= 128) this.streamDoubt = true; // kubectl reads a stream starting with `{` (after white space) as JSON
      this.document = docs.length;
      docs.push(this.root());
    } else if (this.kind === END) {
      docs.push(null);
    }
    for (;;) {
      // A `...` line ends the document (readDocument). Only blank lines and comments, then a `---`
      // line or the end, may follow it here (js-yaml would read more as another document).
      if (this.isEnd()) {
        this.advance(this.afterMarker);
        if (this.kind === CONTENT || this.kind === END) throw GIVE_UP;
      }
      if (this.kind !== MARKER) break;
      this.advance(this.afterMarker);
      this.document = docs.length;
      docs.push(this.onContent() ? this.root() : null);
    }
    return docs;
  }

  /** Whether the cursor stands on a `...` line (a method, as onContent). */
  private isEnd(): boolean {
    return this.kind === END;
  }

  /** Whether the cursor stands on a content line (a method: the compiler would keep a narrowed `this.kind` across calls that move the cursor). */
  private onContent(): boolean {
    return this.kind === CONTENT;
  }

  /** The root node of a document (composeNode(lineIndent - 1, BLOCK_OUT)), which must end at the end of the document. */
  private root(): unknown {
    this.anchors = undefined; // readDocument: each document has its own anchors
    // readDocument takes a `---` at the start of a document's first line for a marker whatever follows it (`---x: 1` is `{x: 1}`).
    const src = this.src;
    if (this.indent === 0 && src.charCodeAt(this.first) === 45 && src.charCodeAt(this.first + 1) === 45 && src.charCodeAt(this.first + 2) === 45) throw GIVE_UP;
    const value = this.node(this.first, this.indent - 1, true);
    if (this.kind === CONTENT) throw GIVE_UP; // "end of the stream or a document separator is expected", or more than the subset
    return value;
  }

  /**
   * Moves the cursor to the first line at or after `from` (a line start) that is not blank or a
   * comment (skipSeparationSpace): content, a `---` line or the end.
   */
  private advance(from: number): void {
    const src = this.src;
    const n = this.n;
    for (;;) {
      if (from >= n) {
        this.kind = EOF;
        return;
      }
      let i = from;
      while (src.charCodeAt(i) === 32) i++;
      const c = src.charCodeAt(i);
      if (c === 10) {
        from = i + 1;
        continue;
      }
      if (c === 35) {
        from = src.indexOf('\n', i) + 1;
        continue;
      }
      if (c === 9) throw GIVE_UP;
      if (i === from) {
        if ((c === 45 || c === 46) && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c) {
          const d = src.charCodeAt(i + 3);
          if (d === 32 || d === 10 || d === 9) {
            // testDocumentSeparator: `---` (start) or `...` (end). Only a bare one, a comment after it allowed.
            let j = i + 3;
            while (src.charCodeAt(j) === 32) j++;
            const e = src.charCodeAt(j);
            if (e !== 10 && !(e === 35 && j > i + 3)) throw GIVE_UP;
            this.kind = c === 45 ? MARKER : END;
            this.afterMarker = src.indexOf('\n', j) + 1;
            return;
          }
        }
        if (c === 37) throw GIVE_UP; // a directive
        if (c === 45 && src.charCodeAt(i + 1) === 45 && src.charCodeAt(i + 2) === 45) this.streamDoubt = true; // `---x`
      }
      this.kind = CONTENT;
      this.lineStart = from;
      this.indent = i - from;
      this.first = i;
      return;
    }
  }

  /** Moves the cursor past the line holding `p` (whose rest is blank or a comment). */
  private nextLine(p: number): void {
    this.advance(this.src.indexOf('\n', p) + 1);
  }

  /** After a scalar ending at `p`: only blanks and a comment may follow on its line. */
  private endOfLine(p: number): void {
    const src = this.src;
    let i = p;
    while (src.charCodeAt(i) === 32) i++;
    const c = src.charCodeAt(i);
    if (c === 10) this.advance(i + 1);
    else if (c === 35 && i > p) this.nextLine(i);
    else throw GIVE_UP;
  }

  /**
   * A node whose first character is at `p` on the cursor's line, in a block context where block
   * collections may start (composeNode with allowCompact, or at a new line): a sequence, a mapping
   * (its first key at `p`), or a scalar. `parentIndent` is the indentation of the collection holding
   * it; `ownLine` says it starts its line.
   */
  private node(p: number, parentIndent: number, ownLine: boolean): unknown {
    const src = this.src;
    const c = src.charCodeAt(p);
    const column = p - this.lineStart;
    if (c === 45) {
      const d = src.charCodeAt(p + 1);
      if (d === 32 || d === 10) return this.sequence(column, p);
      if (d === 9) throw GIVE_UP;
    }
    if (c === 34 || c === 39) {
      // Its continuation lines go past the `-` before it, or (alone on its line) past its own line's start.
      const owner = ownLine ? column - 1 : parentIndent;
      const value = c === 34 ? this.doubleQuoted(p, owner) : this.singleQuoted(p, owner);
      let i = this.quoteEnd;
      while (src.charCodeAt(i) === 32) i++;
      if (src.charCodeAt(i) === 58) {
        const d = src.charCodeAt(i + 1);
        if ((d !== 32 && d !== 10) || this.quoteLines !== 0) throw GIVE_UP; // "a multiline key may not be an implicit key"
        return this.mapping(column, this.checkedKey(value), i + 1);
      }
      this.endOfLine(this.quoteEnd);
      return value;
    }
    if (c === 124 || c === 62) {
      if (ownLine) throw GIVE_UP;
      return this.blockScalar(p, parentIndent + 1);
    }
    if ((c === 38 || c === 42) && !ownLine) return c === 38 ? this.anchored(p, parentIndent, true) : this.alias(p);
    if (c === 33 && !ownLine) return this.stringTagged(p, parentIndent);
    if (c === 123 || c === 91) {
      const value = this.flowCollection(p, parentIndent + 1);
      this.endOfLine(this.flowEnd);
      return value;
    }
    this.plainStart(p);
    const how = this.scanPlain(p);
    if (how === AT_COLON) return this.mapping(column, this.plainKey(p, this.plainEnd), this.stop + 1);
    return this.plainValue(p, how, parentIndent + 1);
  }

  /** Gives up unless a plain scalar may start at `p` (readPlainScalar's first character). */
  private plainStart(p: number): void {
    const c = this.src.charCodeAt(p);
    if (c < 128 && NOT_PLAIN_START[c] === 1) throw GIVE_UP;
    if (c === 45 || c === 63 || c === 58) {
      const d = this.src.charCodeAt(p + 1);
      if (d === 32 || d === 10 || d === 9) throw GIVE_UP;
    }
  }

  /**
   * Scans a one-line plain scalar from `p` (readPlainScalar outside flow collections): it ends at
   * the line's end, at a `#` after a blank (a comment) or at a `:` before a blank (a key's end).
   * Sets plainEnd (trailing blanks excluded) and stop (where the scan stopped: the line feed, the
   * `#` or the `:`); returns how it stopped.
   */
  private scanPlain(p: number): number {
    const src = this.src;
    let end = p + 1;
    for (let i = p + 1; ; i++) {
      const c = src.charCodeAt(i);
      if (c === 10) {
        this.plainEnd = end;
        this.stop = i;
        return AT_EOL;
      }
      if (c === 32) continue;
      if (c === 58) {
        const d = src.charCodeAt(i + 1);
        if (d === 32 || d === 10) {
          this.plainEnd = end;
          this.stop = i;
          return AT_COLON;
        }
        if (d === 9) throw GIVE_UP;
      } else if (c === 35) {
        if (src.charCodeAt(i - 1) === 32) {
          this.plainEnd = end;
          this.stop = i;
          return AT_COMMENT;
        }
      } else if (c === 9) {
        throw GIVE_UP;
      } else if ((c === 34 || c === 39 || c === 91 || c === 123) && this.simple && this.mayOpen(i)) {
        this.simple = false;
      }
      end = i + 1;
    }
  }

  /**
   * Whether needsExactPath's line tokenizer may take the quote or bracket at `i`, inside a plain
   * scalar, for the start of a quoted scalar or a flow collection: when it stands after a `,` (blanks
   * between allowed), after blanks that follow an indicator (`- `, `? `, `: ` starting a token), after
   * a word starting with `&` or `!` (a property; a bracket even with no blank between), or after a character beyond ASCII (the tokenizer
   * skips Unicode spaces at a line's start). Its tokens end at blanks, line breaks and `,[]{}`.
   */
  private mayOpen(i: number): boolean {
    const src = this.src;
    let j = i - 1;
    while (src.charCodeAt(j) === 32) j--;
    const b = src.charCodeAt(j);
    // (Beyond ASCII: the tokenizer skips Unicode spaces at a line's start; not told apart here.)
    if (b === 44 || b >= 128) return true;
    const blanks = j < i - 1;
    // A quote right after a token's character is more of the token; a bracket ends the token.
    if (!blanks && src.charCodeAt(i) !== 91 && src.charCodeAt(i) !== 123) return false;
    if (blanks && (b === 45 || b === 63 || b === 58) && (j === 0 || TOKEN_END[src.charCodeAt(j - 1)] === 1)) return true;
    let k = j;
    while (k > 0 && TOKEN_END[src.charCodeAt(k - 1)] !== 1) k--;
    const w = src.charCodeAt(k);
    return w === 38 || w === 33 || w >= 128;
  }

  /**
   * The value of a plain scalar at `p` that scanPlain ended at its line's end or a comment; moves
   * the cursor past it. At a line's end, the scalar goes on over the next lines that are not blank
   * and are indented at least `least` (readPlainScalar), folded: one line break is a space, n + 1
   * are n line feeds.
   */
  private plainValue(p: number, how: number, least: number): unknown {
    const value = this.scalar.value(this.plainText(p, how, least));
    if (typeof value === 'number' && value - value !== 0) this.infNan = true; // .inf, .nan
    return value;
  }

  /** The text of the plain scalar plainValue reads (its continuation lines folded in), unresolved. */
  private plainText(p: number, how: number, least: number): string {
    const src = this.src;
    const n = this.n;
    let text = src.slice(p, this.plainEnd);
    while (how === AT_EOL) {
      let from = this.stop + 1;
      let breaks = 1;
      let i = from;
      // (Reads stay inside the text: one past its end deoptimises V8's code for this function.)
      for (;;) {
        while (i < n && src.charCodeAt(i) === 32) i++;
        if (i >= n || src.charCodeAt(i) !== 10) break;
        breaks++;
        from = ++i;
      }
      if (i >= n) break;
      const c = src.charCodeAt(i);
      if (c === 35 || i - from < least) break;
      // A continuation line, unless a document marker at a root scalar's indentation 0.
      if (least === 0 && i === from && (c === 45 || c === 46) && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c) {
        const d = src.charCodeAt(i + 3);
        if (d === 32 || d === 10 || d === 9) break;
      }
      if (i === from && (c === 37 || (c === 45 && src.charCodeAt(i + 1) === 45 && src.charCodeAt(i + 2) === 45))) this.streamDoubt = true;
      if (c === 9) throw GIVE_UP;
      if (c === 58) {
        const d = src.charCodeAt(i + 1);
        if (d === 32 || d === 10 || d === 9) throw GIVE_UP; // "bad indentation of a mapping entry"
      }
      if (c === 34 || c === 39 || c === 91 || c === 123) this.simple = false;
      if (c < 128 && LINE_DOUBT_START[c] === 1) this.checkLine(from);
      how = this.scanPlain(i);
      if (how === AT_COLON) throw GIVE_UP; // a key below a scalar: "bad indentation"
      text += (breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)) + src.slice(i, this.plainEnd);
    }
    if (how === AT_EOL) this.advance(this.stop + 1);
    else this.nextLine(this.stop);
    return text;
  }

  /**
   * The plain key [p, end) of a block mapping, a string of the subset (else gives up). Keys repeat
   * across documents and files (`name`, `image`, …): a key seen before comes from KEY_CACHE, already
   * checked and internalized, without a new string (storing a property under a fresh string costs a
   * string table lookup each time). At most KEY_CACHE_SIZE keys are kept, for the whole process.
   */
  private plainKey(p: number, end: number): string {
    const src = this.src;
    const length = end - p;
    const slot = ((src.charCodeAt(p) << 4) ^ (src.charCodeAt(end - 1) << 1) ^ (src.charCodeAt(p + (length >> 1)) << 2) ^ (length << 6)) & (KEY_CACHE_SIZE - 1);
    const cached = KEY_CACHE[slot];
    if (cached !== undefined && cached.length === length && src.startsWith(cached, p)) {
      // Cached keys were checked as Kubernetes reads them; the core schema reads some otherwise.
      if (this.scalar !== KUBE_SCALARS && this.scalar.kind(cached) !== 'str') throw GIVE_UP;
      return cached;
    }
    const key = src.slice(p, end);
    // A merge key (its mapping merges it: see mapping), as Kubernetes reads a plain `<<`.
    if (key === '<<' && this.scalar === KUBE_SCALARS) return key;
    const kubeString = kubeScalarKind(key) === 'str';
    if (this.scalar === KUBE_SCALARS ? !kubeString : this.scalar.kind(key) !== 'str') throw GIVE_UP;
    this.checkedKey(key);
    // A free slot keeps the first key hashed to it (the common keys come early and stay): the name as
    // a property key, internalized, flat, holding no reference to this text. Only a key that is a
    // string as Kubernetes reads it (`on` is not) is kept.
    if (cached === undefined && kubeString) KEY_CACHE[slot] = Object.keys({ [key]: 0 })[0]!;
    return key;
  }

  /** A key of the subset: a string no other reading could take for something else. */
  private checkedKey(key: string): string {
    if (key === '__proto__' || key === '<<') throw GIVE_UP;
    return key;
  }

  /**
   * A block mapping at `indent` (readBlockMapping) whose first key is `key`, its `:` just before
   * `afterColon` on the cursor's line; the following keys start lines at that indentation.
   */
  private mapping(indent: number, key: string, afterColon: number): Record<string, unknown> {
    if (++this.nesting > MAX_NESTING) throw GIVE_UP;
    const src = this.src;
    const result: Record<string, unknown> = {};
    // Where the key just read starts (the first key, never a duplicate, is not told).
    let keyStart = -1;
    // The keys a merge key set, each of which one later key may replace (js-yaml's overridableKeys).
    let merged: Set<string> | undefined;
    for (;;) {
      // The key just read, its `:` before afterColon on the cursor's line.
      if (afterColon - this.lineStart > 1024) this.longKey = true;
      const aliases = this.collectionAliases;
      const value = this.mappingValue(afterColon, indent);
      if (key === '<<') {
        // (Only a plain `<<` read as Kubernetes reads keys gets here: plainKey.) Its aliases are
        // merge sources, counted by merge.
        this.collectionAliases = aliases;
        this.merge(result, value, (merged ??= new Set()));
      } else {
        if (Object.prototype.hasOwnProperty.call(result, key) && !(merged !== undefined && merged.delete(key))) this.duplicate(result, key, keyStart);
        result[key] = value;
      }
      if (this.kind !== CONTENT || this.indent < indent) break;
      if (this.indent > indent) throw GIVE_UP; // "bad indentation of a mapping entry", or a multi-line scalar
      // The next key.
      const p = this.first;
      keyStart = p;
      const c = src.charCodeAt(p);
      if (c === 34 || c === 39) {
        const quoted = c === 34 ? this.doubleQuoted(p) : this.singleQuoted(p);
        let i = this.quoteEnd;
        while (src.charCodeAt(i) === 32) i++;
        const d = src.charCodeAt(i + 1);
        if (src.charCodeAt(i) !== 58 || (d !== 32 && d !== 10) || this.quoteLines !== 0) throw GIVE_UP;
        key = this.checkedKey(quoted);
        afterColon = i + 1;
      } else {
        this.plainStart(p);
        if (this.scanPlain(p) !== AT_COLON) throw GIVE_UP;
        key = this.plainKey(p, this.plainEnd);
        afterColon = this.stop + 1;
      }
    }
    this.nesting--;
    if (merged !== undefined) (this.mergedMaps ??= new Set()).add(result);
    return result;
  }

  /**
   * A merge key's value merged into `result` (mergeInto), counted as the exact path counts the alias
   * expansion it stands for (each source's size, as aliasBombOffset sizes a node: 1 for a scalar, 1
   * for a collection plus its keys and the sizes of its values). Given up on past MERGE_BUDGET in the
   * text (the exact path decides, and reports a YAML bomb past MAX_ALIAS_EXPANSION), and on a source
   * that was itself merged into (a chain of merges, which the exact path counts larger than its
   * value); a text with merge keys and aliases of collections is left to the exact path too
   * (blockReadOrRejected). So the exact path's count is this size, and the other aliases' (scalars),
   * which fastDocuments bounds.
   */
  private merge(result: Record<string, unknown>, value: unknown, merged: Set<string>): void {
    for (const source of Array.isArray(value) ? value : [value]) {
      if (this.mergedMaps?.has(source as object)) throw GIVE_UP;
      this.mergeSize += expandedSize(source, MERGE_BUDGET - this.mergeSize);
      if (this.mergeSize > MERGE_BUDGET) throw GIVE_UP;
    }
    mergeInto(result, value, merged);
  }

  /**
   * The value after a key's `:` at `p` in a mapping at `indent` (composeNode(indent, BLOCK_OUT,
   * allowToSeek, no compact collections)): on the same line, a scalar; below it, a more indented
   * node or a sequence at the key's indentation; else null. Leaves the cursor after the value.
   */
  private mappingValue(p: number, indent: number): unknown {
    const src = this.src;
    const colon = p - 1;
    while (src.charCodeAt(p) === 32) p++;
    const c = src.charCodeAt(p);
    if (c === 10 || c === 35) {
      if (c === 10) this.advance(p + 1);
      else this.nextLine(p);
      if (this.kind !== CONTENT) return null;
      if (this.indent > indent) return this.node(this.first, indent, true);
      if (this.indent === indent && src.charCodeAt(this.first) === 45) {
        const d = src.charCodeAt(this.first + 1);
        if (d === 32 || d === 10) return this.sequence(indent, this.first);
        if (d === 9) throw GIVE_UP;
      }
      return null;
    }
    if (c === 9) throw GIVE_UP;
    if (c === 34 || c === 39) {
      const value = c === 34 ? this.doubleQuoted(p, indent, colon) : this.singleQuoted(p, indent, colon);
      this.endOfLine(this.quoteEnd);
      return value;
    }
    if (c === 124 || c === 62) return this.blockScalar(p, indent + 1);
    if (c === 123 || c === 91) {
      const value = this.flowCollection(p, indent + 1);
      this.endOfLine(this.flowEnd);
      return value;
    }
    if (c === 38) return this.anchored(p, indent, false);
    if (c === 42) return this.alias(p);
    if (c === 33) return this.stringTagged(p, indent);
    this.plainStart(p);
    const how = this.scanPlain(p);
    if (how === AT_COLON) throw GIVE_UP; // "bad indentation of a mapping entry"
    return this.plainValue(p, how, indent + 1);
  }

  /**
   * The name of the anchor or alias at `p` (`&name`, `*name`: readAnchorProperty, readAlias read up to
   * white space or a flow indicator); sets propertyEnd after it. Gives up on an empty name and on a
   * name that a tab, a carriage return or a flow indicator ends.
   */
  private anchorName(p: number): string {
    const src = this.src;
    let i = p + 1;
    for (;;) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13 || (c < 128 && FLOW_INDICATOR[c] === 1)) break;
      i++;
    }
    const c = src.charCodeAt(i);
    if (i === p + 1 || (c !== 32 && c !== 10)) throw GIVE_UP;
    this.propertyEnd = i;
    return src.slice(p + 1, i);
  }

  /**
   * A node with an anchor at `p` (composeNode's properties), the value of a mapping at `indent` or an
   * entry of a sequence at `indent` (`inSequence`): a one-line scalar after the anchor on its line
   * (not a key: `&a k: v` anchors the key), or a block mapping or sequence below it (a sequence at a
   * mapping key's indentation too). Anything else after an anchor (another property, an alias, a
   * flow collection, a block scalar, a scalar below it, nothing) is given up on, as is an anchor
   * named twice in a document (js-yaml sets a collection's anchor before reading it: an alias inside
   * the collection it names, or a name set again inside it, would read otherwise here).
   */
  private anchored(p: number, indent: number, inSequence: boolean): unknown {
    const src = this.src;
    const name = this.anchorName(p);
    let q = this.propertyEnd;
    while (src.charCodeAt(q) === 32) q++;
    const c = src.charCodeAt(q);
    let value: unknown;
    if (c === 10 || c === 35) {
      if (c === 10) this.advance(q + 1);
      else this.nextLine(q);
      if (this.kind !== CONTENT) throw GIVE_UP;
      if (this.indent > indent) {
        value = this.node(this.first, indent, true);
      } else if (!inSequence && this.indent === indent && src.charCodeAt(this.first) === 45 && (src.charCodeAt(this.first + 1) === 32 || src.charCodeAt(this.first + 1) === 10)) {
        value = this.sequence(indent, this.first);
      } else {
        throw GIVE_UP;
      }
      if (typeof value !== 'object' || value === null) throw GIVE_UP;
    } else if (c === 34 || c === 39) {
      value = c === 34 ? this.doubleQuoted(q, indent) : this.singleQuoted(q, indent);
      this.endOfLine(this.quoteEnd);
    } else {
      if (c === 124 || c === 62 || c === 123 || c === 91 || c === 9) throw GIVE_UP;
      this.plainStart(q);
      const how = this.scanPlain(q);
      if (how === AT_COLON) throw GIVE_UP;
      value = this.plainValue(q, how, indent + 1);
    }
    const anchors = (this.anchors ??= new Map());
    if (anchors.has(name)) throw GIVE_UP;
    anchors.set(name, value);
    return value;
  }

  /**
   * A node with the string tag at `p` (`!!str`, composeNode's properties), the value of a mapping at
   * `indent` or an entry of a sequence at `indent`: a quoted scalar, or a plain scalar read as the
   * string it is written as (`!!str 8080` is "8080", `!!str true` is "true": js-yaml, `yaml` and
   * go-yaml agree), starting on the tag's line (not a key: `!!str k: v` tags the key). Other tags,
   * and `!!str` before anything else (nothing, a block scalar, a flow collection, a property, an
   * alias, a scalar below it), are given up on.
   */
  private stringTagged(p: number, indent: number): string {
    const src = this.src;
    if (!src.startsWith('!!str ', p)) throw GIVE_UP;
    let q = p + 6;
    while (src.charCodeAt(q) === 32) q++;
    const c = src.charCodeAt(q);
    if (c === 34 || c === 39) {
      const value = c === 34 ? this.doubleQuoted(q, indent) : this.singleQuoted(q, indent);
      this.endOfLine(this.quoteEnd);
      return value;
    }
    if (c === 10 || c === 35 || c === 9 || c === 124 || c === 62 || c === 123 || c === 91 || c === 38 || c === 42 || c === 33) throw GIVE_UP;
    this.plainStart(q);
    const how = this.scanPlain(q);
    if (how === AT_COLON) throw GIVE_UP;
    return this.plainText(q, how, indent + 1);
  }

  /** The node an alias at `p` names (readAlias: the same value, shared), alone on its line but for a comment. */
  private alias(p: number): unknown {
    const name = this.anchorName(p);
    const anchors = this.anchors;
    if (anchors === undefined || !anchors.has(name)) throw GIVE_UP; // "unidentified alias", or one inside the node it names
    this.endOfLine(this.propertyEnd);
    const target = anchors.get(name);
    if (typeof target === 'object' && target !== null) this.collectionAliases++;
    return target;
  }

  /**
   * A block sequence at `indent` (readBlockSequence) whose first `-` is at `p` on the cursor's line;
   * the following entries start lines at that indentation.
   */
  private sequence(indent: number, p: number): unknown[] {
    if (++this.nesting > MAX_NESTING) throw GIVE_UP;
    const src = this.src;
    const result: unknown[] = [];
    for (;;) {
      let q = p + 1;
      while (src.charCodeAt(q) === 32) q++;
      const c = src.charCodeAt(q);
      if (c === 9) throw GIVE_UP;
      if (c === 10 || c === 35) {
        if (c === 10) this.advance(q + 1);
        else this.nextLine(q);
        if (this.kind !== CONTENT || this.indent <= indent) {
          result.push(null);
          // js-yaml goes on reading entries here without looking at the indentation.
          if (this.kind === CONTENT && this.indent < indent && src.charCodeAt(this.first) === 45) throw GIVE_UP;
        } else {
          result.push(this.node(this.first, indent, true));
        }
      } else {
        result.push(this.node(q, indent, false));
      }
      if (this.kind !== CONTENT || this.indent < indent) break;
      if (this.indent > indent) throw GIVE_UP; // "bad indentation of a sequence entry", or a multi-line scalar
      p = this.first;
      if (src.charCodeAt(p) !== 45) break;
      const d = src.charCodeAt(p + 1);
      if (d === 9) throw GIVE_UP;
      if (d !== 32 && d !== 10) break;
    }
    this.nesting--;
    return result;
  }

  /**
   * A flow collection at `p` (readFlowCollection), on one line or several: entries are scalars
   * (plain scalars of one line, resolved as in block context; quoted scalars of one line) and flow
   * collections; a flow mapping's keys are strings. `nodeIndent` is what a plain scalar's next line
   * must be indented less than (else it would continue the scalar). Sets flowEnd after the closing
   * bracket.
   */
  private flowCollection(p: number, nodeIndent: number): unknown {
    if (++this.nesting > MAX_NESTING) throw GIVE_UP;
    const src = this.src;
    const isMap = src.charCodeAt(p) === 123;
    const terminator = isMap ? 125 : 93;
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    let readNext = true;
    p++;
    for (;;) {
      p = this.flowSpace(p);
      const c = src.charCodeAt(p);
      if (c === terminator) {
        this.flowEnd = p + 1;
        this.nesting--;
        return isMap ? map : seq;
      }
      if (!readNext || c === 44) throw GIVE_UP; // "missed comma between flow collection entries", an empty entry
      this.flowContent = true;
      const entryStart = p;
      const entry = this.flowNode(p, nodeIndent);
      const keyKind = this.flowKind;
      p = this.flowEnd;
      let q = p;
      while (src.charCodeAt(q) === 32) q++;
      let value: unknown = null;
      let pair = false;
      if (src.charCodeAt(q) === 58) {
        pair = true;
        p = this.flowSpace(q + 1);
        const d = src.charCodeAt(p);
        if (d !== 44 && d !== terminator) {
          value = this.flowNode(p, nodeIndent);
          p = this.flowEnd;
        }
      } else {
        p = this.flowSpace(p);
        if (src.charCodeAt(p) === 58) throw GIVE_UP; // a `:` on a later line than its key
      }
      if (isMap) {
        if (keyKind !== STRING) throw GIVE_UP;
        const key = this.checkedKey(entry as string);
        if (Object.prototype.hasOwnProperty.call(map, key)) this.duplicate(map, key, entryStart);
        map[key] = value;
      } else {
        if (pair) throw GIVE_UP; // a single-pair mapping in a sequence
        seq.push(entry);
      }
      p = this.flowSpace(p);
      readNext = src.charCodeAt(p) === 44;
      if (readNext) p++;
    }
  }

  /** A node inside a flow collection at `p` (composeNode in FLOW_IN); sets flowEnd and flowKind. */
  private flowNode(p: number, nodeIndent: number): unknown {
    const src = this.src;
    const c = src.charCodeAt(p);
    if (c === 91 || c === 123) {
      const value = this.flowCollection(p, nodeIndent);
      this.flowKind = COLLECTION;
      return value;
    }
    if (c === 34 || c === 39) {
      const value = c === 34 ? this.doubleQuoted(p) : this.singleQuoted(p);
      if (this.quoteLines !== 0) throw GIVE_UP; // over several lines in a flow collection: outside the subset
      this.flowEnd = this.quoteEnd;
      this.flowKind = STRING;
      return value;
    }
    if (c < 128 && NOT_PLAIN_START[c] === 1) throw GIVE_UP;
    if (c === 58) throw GIVE_UP;
    if (c === 45 || c === 63) {
      const d = src.charCodeAt(p + 1);
      if (d === 32 || d === 10 || d === 9 || FLOW_INDICATOR[d] === 1) throw GIVE_UP;
    }
    // readPlainScalar in a flow collection: it also ends at a flow indicator and at a `:` before one.
    let end = p + 1;
    let i = p + 1;
    for (; ; i++) {
      const d = src.charCodeAt(i);
      if (d === 32) continue;
      if (d === 10) {
        this.plainEndsAtLineEnd(i, nodeIndent);
        break;
      }
      if (d === 58) {
        const e = src.charCodeAt(i + 1);
        if (e === 32 || e === 10 || FLOW_INDICATOR[e] === 1) break;
        if (e === 9) throw GIVE_UP;
      } else if (d === 35) {
        if (src.charCodeAt(i - 1) === 32) break;
      } else if (d < 128 && FLOW_INDICATOR[d] === 1) {
        break;
      } else if (d === 9) {
        throw GIVE_UP;
      } else if (d === 34 || d === 39) {
        this.simple = false;
      }
      end = i + 1;
    }
    this.flowEnd = end;
    const text = src.slice(p, end);
    this.flowKind = this.scalar.kind(text) === 'str' ? STRING : OTHER;
    const value = this.scalar.value(text);
    if (typeof value === 'number' && value - value !== 0) this.infNan = true; // .inf, .nan
    return value;
  }

  /**
   * Gives up unless a plain scalar in a flow collection that reaches the line feed at `eol` ends
   * there: the next line that is not blank starts (after its indentation) with a comment, `,`, `]`
   * or `}`, or is indented less than `nodeIndent`.
   */
  private plainEndsAtLineEnd(eol: number, nodeIndent: number): void {
    const src = this.src;
    let from = eol + 1;
    for (;;) {
      let i = from;
      while (src.charCodeAt(i) === 32) i++;
      const c = src.charCodeAt(i);
      if (c === 10) {
        from = i + 1;
        continue;
      }
      if (c === 9) throw GIVE_UP;
      if (c === 35 || c === 44 || c === 93 || c === 125 || i >= this.n) return;
      if (i - from < nodeIndent) return;
      throw GIVE_UP; // a multi-line plain scalar
    }
  }

  /**
   * Skips blanks, line breaks and comments inside a flow collection (skipSeparationSpace, where a
   * `#` starts a comment whatever stands before it); gives up on a tab and on a line that starts
   * with `---` or `...`.
   */
  private flowSpace(p: number): number {
    const src = this.src;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c === 32) {
        p++;
      } else if (c === 10) {
        p++;
        this.simple = false;
        this.checkLine(p);
        const d = src.charCodeAt(p);
        if ((d === 45 || d === 46) && src.charCodeAt(p + 1) === d && src.charCodeAt(p + 2) === d) throw GIVE_UP;
      } else if (c === 35) {
        p = src.indexOf('\n', p);
      } else if (c === 9 || p >= this.n) {
        throw GIVE_UP; // a tab, or "unexpected end of the stream within a flow collection"
      } else {
        return p;
      }
    }
  }

  /**
   * A double-quoted scalar at `p` (readDoubleQuotedScalar), with js-yaml's escapes; over several
   * lines, folded as js-yaml folds it. Sets quoteEnd and quoteLines (how many line breaks it spans).
   */
  private doubleQuoted(p: number, owner = Infinity, key = -1): string {
    const src = this.src;
    this.quoteOwner = owner;
    this.quoteKey = key;
    let result = '';
    let start = p + 1;
    let end = start;
    this.quoteLines = 0;
    for (let i = start; ; ) {
      const c = src.charCodeAt(i);
      if (c === 34) {
        this.quoteEnd = i + 1;
        return result + src.slice(start, i);
      }
      if (c === 10) {
        result += src.slice(start, end);
        i = this.foldAt(i);
        result += this.foldBreaks === 1 ? ' ' : '\n'.repeat(this.foldBreaks - 1);
        start = end = i;
        continue;
      }
      if (c !== 92) {
        i++;
        if (c !== 32 && c !== 9) end = i;
        continue;
      }
      result += src.slice(start, i);
      const e = src.charCodeAt(i + 1);
      const simple = e < 128 ? SIMPLE_ESCAPES[e] : undefined;
      if (e === 10) {
        // An escaped line break: the line break and the blanks and blank lines after it are skipped.
        i = this.foldAt(i + 1);
      } else if (simple !== undefined) {
        if (e === 47) this.slashEscape = true;
        result += simple;
        i += 2;
      } else {
        const digits = e === 120 ? 2 : e === 117 ? 4 : e === 85 ? 8 : 0;
        if (digits === 0) throw REJECT; // "unknown escape sequence"
        let code = 0;
        for (let k = 0; k < digits; k++) {
          const h = hexValue(src.charCodeAt(i + 2 + k));
          if (h < 0) throw REJECT; // "expected hexadecimal character"
          code = (code << 4) + h;
        }
        if (code < 0 || code > 0x10ffff) throw GIVE_UP;
        result += String.fromCodePoint(code);
        i += 2 + digits;
      }
      start = end = i;
    }
  }

  /** A single-quoted scalar at `p` (readSingleQuotedScalar), over several lines folded; sets quoteEnd and quoteLines. */
  private singleQuoted(p: number, owner = Infinity, key = -1): string {
    const src = this.src;
    this.quoteOwner = owner;
    this.quoteKey = key;
    let result = '';
    let start = p + 1;
    let end = start;
    this.quoteLines = 0;
    for (let i = start; ; ) {
      const c = src.charCodeAt(i);
      if (c === 39) {
        if (src.charCodeAt(i + 1) === 39) {
          result += src.slice(start, i);
          start = i + 1;
          i += 2;
          end = i;
          continue;
        }
        this.quoteEnd = i + 1;
        return result + src.slice(start, i);
      }
      if (c === 10) {
        result += src.slice(start, end);
        i = this.foldAt(i);
        result += this.foldBreaks === 1 ? ' ' : '\n'.repeat(this.foldBreaks - 1);
        start = end = i;
        continue;
      }
      i++;
      if (c !== 32 && c !== 9) end = i;
    }
  }

  /**
   * A quoted scalar's line break at `i` (skipSeparationSpace without comments): skips it, the blank
   * lines after it and the next line's indentation; returns where that line's content starts, and
   * sets foldBreaks (how many line breaks). Gives up on a tab there, the end of the text, and a
   * document marker (js-yaml: "unexpected end of the document within a quoted scalar").
   */
  private foldAt(i: number): number {
    const src = this.src;
    let breaks = 0;
    for (;;) {
      breaks++;
      const lineStart = ++i;
      while (src.charCodeAt(i) === 32) i++;
      const c = src.charCodeAt(i);
      if (c === 9 || i >= this.n) throw GIVE_UP;
      if (c === 10) continue;
      if (i === lineStart && (c === 45 || c === 46) && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c) {
        const d = src.charCodeAt(i + 3);
        if (d === 32 || d === 10 || d === 9) throw GIVE_UP;
      }
      if (i === lineStart && (c === 37 || (c === 45 && src.charCodeAt(i + 1) === 45 && src.charCodeAt(i + 2) === 45))) this.streamDoubt = true;
      this.foldBreaks = breaks;
      this.quoteLines += breaks;
      // A continuation line not indented past the key or `-` the value belongs to (or of a quoted
      // scalar whose owner is not tracked): needsExactPath looks at it.
      if (i - lineStart <= this.quoteOwner || (this.quoteKey >= 0 && i - lineStart <= this.keyLastWord(this.quoteKey))) this.simple = false;
      if (c < 128 && LINE_DOUBT_START[c] === 1) this.checkLine(lineStart);
      return i;
    }
  }

  /**
   * The column needsExactPath takes for the key whose `:` is at `colon` (its last token's: `b` in
   * `a b:`, after a blank, a comma or a bracket; a quoted key's opening quote), which a quoted
   * value's continuation lines must be indented past for the text to stay `simple`. Asked only of a
   * quoted value over several lines.
   */
  private keyLastWord(colon: number): number {
    const src = this.src;
    const lineStart = src.lastIndexOf('\n', colon - 1) + 1;
    let first = lineStart;
    while (src.charCodeAt(first) === 32 || src.charCodeAt(first) === 45) first++; // indentation and `- `
    let end = colon;
    while (end > first && src.charCodeAt(end - 1) === 32) end--;
    let word = first;
    if (src.charCodeAt(first) !== 34 && src.charCodeAt(first) !== 39) {
      for (let k = first; k < end; k++) {
        const c = src.charCodeAt(k);
        if (c === 32 || c === 9 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125) word = k + 1;
      }
    }
    return word - lineStart;
  }

  /**
   * Sets lineDoubt when the line starting at `at` (one the reader reads as text) is one kubeDoubt's
   * line-start part matches: ` *\t[ \t]*(?:#.*)?$`, or after `[ \t]*(?:-[ \t]+)*` a `?` before a
   * blank or the line's end, or `(?:~|null|Null|NULL)?[ \t]*:` before one.
   */
  private checkLine(at: number): void {
    const src = this.src;
    let i = at;
    while (src.charCodeAt(i) === 32) i++;
    let c = src.charCodeAt(i);
    if (c === 9) {
      let j = i + 1;
      while (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9) j++;
      const d = src.charCodeAt(j);
      if (d === 10 || d === 35 || j >= this.n) {
        this.lineDoubt = true;
        return;
      }
    }
    while (c === 32 || c === 9) c = src.charCodeAt(++i);
    while (c === 45) {
      const d = src.charCodeAt(i + 1);
      if (d !== 32 && d !== 9) break;
      i += 2;
      c = src.charCodeAt(i);
      while (c === 32 || c === 9) c = src.charCodeAt(++i);
    }
    if (c === 63) {
      if (this.endsToken(i + 1)) this.lineDoubt = true;
      return;
    }
    if (c === 126) i += 1;
    else if (c === 110 || c === 78) {
      const word = src.slice(i, i + 4);
      if (word === 'null' || word === 'Null' || word === 'NULL') i += 4;
    }
    c = src.charCodeAt(i);
    while (c === 32 || c === 9) c = src.charCodeAt(++i);
    if (c === 58 && this.endsToken(i + 1)) this.lineDoubt = true;
  }

  /** A blank, a line feed or the end of the text at `i`. */
  private endsToken(i: number): boolean {
    const c = this.src.charCodeAt(i);
    return c === 32 || c === 9 || c === 10 || i >= this.n;
  }

  /**
   * A literal or folded block scalar whose header (`|`, `>`) is at `p` (readBlockScalar, ported
   * step by step): `nodeIndent` is the least indentation of its content. Leaves the cursor on the
   * line that ends it.
   */
  private blockScalar(p: number, nodeIndent: number): string {
    const src = this.src;
    const n = this.n;
    const folding = src.charCodeAt(p) === 62;
    let chomping = 1; // 1 clip, 2 strip, 3 keep
    let i = p + 1;
    let c = src.charCodeAt(i);
    while (c === 43 || c === 45) {
      if (chomping !== 1) throw GIVE_UP; // "repeat of a chomping mode identifier"
      chomping = c === 43 ? 3 : 2;
      c = src.charCodeAt(++i);
    }
    if (c >= 48 && c <= 57) throw GIVE_UP; // an indentation indicator
    if (c === 32 || c === 9) {
      do c = src.charCodeAt(++i);
      while (c === 32 || c === 9);
      if (c === 35) {
        i = src.indexOf('\n', i);
        c = 10;
      }
    }
    if (c !== 10) throw GIVE_UP; // "a line break is expected"
    let result = '';
    let detectedIndent = false;
    let textIndent = nodeIndent;
    let emptyLines = 0;
    let atMoreIndented = false;
    let didReadContent = false;
    let lineStart: number;
    // c is the line feed at i
    while (i < n) {
      i++;
      lineStart = i;
      let lineIndent = 0;
      c = i < n ? src.charCodeAt(i) : 0;
      while ((!detectedIndent || lineIndent < textIndent) && c === 32) {
        lineIndent++;
        c = src.charCodeAt(++i);
      }
      if (!detectedIndent && lineIndent > textIndent) textIndent = lineIndent;
      if (c === 10) {
        emptyLines++;
        continue;
      }
      if (c < 128 && LINE_DOUBT_START[c] === 1) this.checkLine(lineStart);
      if (!detectedIndent && textIndent === 0) throw GIVE_UP; // "missing indentation for block scalar"
      if (lineIndent < textIndent) {
        // Leading empty lines indented past a first line that is still the scalar's for `yaml` (at
        // least nodeIndent): `yaml` rejects them without an indentation indicator, js-yaml ends the
        // scalar there and reads the line as what comes next.
        if (!detectedIndent && lineIndent >= nodeIndent) throw GIVE_UP;
        if (chomping === 3) result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
        else if (chomping === 1 && didReadContent) result += '\n';
        this.advance(lineStart);
        return result;
      }
      if (folding) {
        if (c === 32 || c === 9) {
          atMoreIndented = true;
          result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
        } else if (atMoreIndented) {
          atMoreIndented = false;
          result += '\n'.repeat(emptyLines + 1);
        } else if (emptyLines === 0) {
          if (didReadContent) result += ' ';
        } else {
          result += '\n'.repeat(emptyLines);
        }
      } else {
        result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
      }
      didReadContent = true;
      detectedIndent = true;
      emptyLines = 0;
      const end = src.indexOf('\n', i);
      result += src.slice(i, end);
      i = end;
    }
    // The end of the text: js-yaml reads its end as a line less indented than the content.
    if (chomping === 3) result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
    else if (chomping === 1 && didReadContent) result += '\n';
    this.kind = EOF;
    return result;
  }
}

/** A quarter of the exact path's alias expansion limit (parse.ts' MAX_ALIAS_EXPANSION): merges in a text may stand for at most this much. */
const MERGE_BUDGET = MAX_ALIAS_EXPANSION / 4;

/** A value's size as aliasBombOffset counts a node (see merge), or more than `limit` once past it. */
function expandedSize(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= limit) {
    const v = stack.pop();
    size++;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else {
      for (const k of Object.keys(v)) {
        size++;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return size;
}

/**
 * A merge key's value merged into a mapping (js-yaml's mergeMappings, `yaml`'s merge with
 * `merge: true`, go-yaml's `<<`): the keys of a mapping, or of each mapping of a sequence (the first
 * to set a key wins), that the mapping does not have yet, in their order; each key set is added to
 * `merged`. Anything else (a scalar, null, a sequence holding anything but mappings) is given up on:
 * js-yaml and `yaml` reject it, or read a sequence in a sequence otherwise.
 */
function mergeInto(result: Record<string, unknown>, value: unknown, merged: Set<string>): void {
  for (const source of Array.isArray(value) ? value : [value]) {
    if (typeof source !== 'object' || source === null || Array.isArray(source)) throw GIVE_UP;
    for (const k of Object.keys(source)) {
      if (Object.prototype.hasOwnProperty.call(result, k)) continue;
      result[k] = (source as Record<string, unknown>)[k];
      merged.add(k);
    }
  }
}

/** fromHexCode: a hexadecimal digit's value, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lc = c | 0x20;
  if (lc >= 97 && lc <= 102) return lc - 87;
  return -1;
}
