/**
 * The fast path: plain values only, no positions, via js-yaml (several times faster than `yaml`).
 * Any doubt — an error, a duplicate key, an unknown tag, a non-standard escape, input the exact path
 * refuses (too large, not text, nested too deep) — returns undefined and the caller takes the exact
 * path through `yaml`. Most documents have no finding, so their positions are never needed.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import jsyaml from 'js-yaml';
import { KUBE_JS_YAML_SCHEMA } from './kube-scalars.js';
import { blockReadOrRejected, type BlockRead, type DuplicateKeyRead } from './block-values.js';
import { inputProblem, MAX_ALIAS_EXPANSION, MAX_DEPTH, shapeProblem, stripBom, treeDeeperThan } from './parse.js';
import type { Path } from '../types.js';
import { documentMarkerAt, hasStreamProblems, hasUnicodeBreaks, isMarkerLine, kubeLineBreaks, onlyComments } from './kube-stream.js';

/** Scalars as Kubernetes' Go YAML parser reads them (YAML 1.1), plus merge keys (`<<`). */
const SCHEMA = KUBE_JS_YAML_SCHEMA;

/**
 * Text that may hold something Kubernetes rejects and the exact path reports (a few well-formed
 * files go to the exact path for nothing, which only costs time): the `\/` escape, `.inf`/`.nan`, a
 * null key (block or flow), an explicit `?` key, a comment right after a closing quote or bracket,
 * a blank or comment line with a tab in its indentation.
 *
 * As one regular expression (the reference the unit tests compare with), which V8 tries at every
 * position of every text:
 *
 *     \\\/ | \.(?:inf|Inf|INF|nan|NaN|NAN)\b
 *     | ^[ \t]*(?:-[ \t]+)*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|\r?$)
 *     | [{,][ \t]*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t,}\]]|\r?$)
 *     | ^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|\r?$)
 *     | [^\s[{,:]["']#|[\]}]#           (but see quoteComment)
 *     | ^ *\t[ \t]*(?:#[^\n]*)?\r?$          (flag m)
 *
 * Here the same answer for any text, cheaper: literal tests first, the unanchored parts as narrower
 * expressions (the quote one only where a literal says it may match) or from each `{` and `,`
 * (`flowNullKey`), and the parts anchored at line starts by `lineStartDoubt`.
 */
export function kubeDoubt(text: string, read?: ReaderVouches): boolean {
  return kubeDoubtBesideLines(text, read) || lineStartDoubt(text);
}

/** What the block reader saw in a text it read (BlockRead's flags), which lets kubeDoubt skip parts. */
export type ReaderVouches = Pick<BlockRead, 'slashEscape' | 'infNan' | 'flowContent'>;

/**
 * kubeDoubt without its parts anchored at line starts (`lineStartDoubt`): what fastDocuments asks
 * of a text the block reader read with no line it could not vouch for (BlockRead.lineDoubt false).
 * `read`: what the block reader saw reading the text, when it did: with no double-quoted scalar
 * holding the `\/` escape, a `\/` is no doubt; with no plain scalar read as `.inf` or `.nan`, no
 * `.inf` is; with no flow collection holding anything, neither a null key after `{` or `,` nor a
 * comment right after `]` or `}` is (test/support/fast-order.ts checks each against `yaml`).
 */
export function kubeDoubtBesideLines(text: string, read?: ReaderVouches): boolean {
  if ((read === undefined || read.slashEscape) && text.includes('\\/')) return true;
  if ((read === undefined || read.infNan) && INF_NAN.test(text)) return true;
  if (read === undefined || read.flowContent) {
    if (flowNullKey(text)) return true;
    if (text.includes(']#') || text.includes('}#')) return true;
  }
  return (text.includes('"#') || text.includes("'#")) && quoteComment(text);
}

const INF_NAN = /\.(?:inf|Inf|INF|nan|NaN|NAN)\b/;

/**
 * Whether a text `kubeDoubt` doubts still has a doubt once what cannot matter is left out: the
 * content lines of block scalars (`key: |`, `- >-`), which are text for every reader, and, for the
 * null key in a flow collection, the lines that hold no flow collection (a `,:` in a plain scalar
 * such as a CRD's `pattern: ^[a-z]([a-z0-9_,:]*)$` is text). A line of blanks with a tab is a doubt
 * wherever it is. Run only when `kubeDoubt` said yes (the common text has no doubt and costs nothing
 * more); true whenever the text's layout is not plainly read (see `textLines`).
 */
export function doubtOutsideText(text: string): boolean {
  const read = textLines(text);
  if (!read) return true;
  const { lines, inBlock, inFlow } = read;
  const outside = lines.map((line, k) => (inBlock[k] ? '' : line)).join('\n');
  if (outside.includes('\\/') || INF_NAN.test(outside)) return true;
  if (flowNullKey(lines.map((line, k) => (inFlow[k] && !inBlock[k] ? line : '')).join('\n'))) return true;
  if (outside.includes(']#') || outside.includes('}#')) return true;
  if ((outside.includes('"#') || outside.includes("'#")) && quoteComment(outside)) return true;
  return lineStartDoubt(outside);
}

/** `^ *\t[ \t]*(?:#.*)?$`: a line of blanks (a comment allowed) with a tab after its leading spaces. */
const TAB_LINE = /^ *\t[ \t]*(?:#.*)?$/;

const NULL_WORDS = new Set(['~', 'null', 'Null', 'NULL']);

/** Any line that may end in a block scalar header (as in needsExactPath). */
const MAY_BE_HEADER = /(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/**
 * A block scalar header line read here: indentation, `- ` entries, a plain key of letters, digits
 * and `_.-/` (or no key after at least one `- `), then `|` or `>` with an optional chomping indicator
 * (no indentation indicator), then a comment or nothing.
 */
const HEADER = /^( *)((?:- +)*)(?:([A-Za-z0-9_][A-Za-z0-9_./-]*) *: +)?[|>][-+]?(?: +#.*)? *$/;

/**
 * The lines of a text, with those that are a block scalar's content (`inBlock`: text for YAML and
 * js-yaml alike; not a line of blanks with a tab) and those where a flow collection is open
 * (`inFlow`). Lines are read as needsExactPath reads them (quotes, flow depth, comments), more
 * strictly: undefined, the caller keeps its doubt, when the text has a line break other than a line
 * feed or a byte order mark, when a line outside a block scalar has a tab, when a line has what
 * kubeDoubt may not see (found by the differential tests: a comment not after a blank, as `"x"#c` after
 * a multi-line quote or `[#`; a `:` with no key before it, or after a null word, a property or a flow
 * collection; a second key on a line; properties for a node on the next line), when a
 * line may be a block scalar header other than the simple ones of HEADER, when a document marker
 * comes inside a quoted scalar or a flow collection, when a line that continues a plain scalar holds
 * what may end it (`: `, ` #`), when a `,`, `]` or `}` starts a node in block context, when a block
 * scalar's leading blank lines are indented past its content, or when a block scalar ends at a line
 * that starts with a tab. A plain scalar's continuation lines are text (neither block nor flow).
 */
function textLines(text: string): { lines: string[]; inBlock: boolean[]; inFlow: boolean[] } | undefined {
  if (text.includes('\r') || text.includes('\uFEFF') || hasUnicodeBreaks(text)) return undefined;
  const lines = text.split('\n');
  const inBlock = lines.map(() => false);
  const inFlow = lines.map(() => false);
  let quote = 0;
  let flowDepth = 0;
  let parent = -2; // inside a block scalar: its content is indented past this column
  let contentIndent = -1; // the block scalar's content indentation, once known
  let leadingBlank = 0; // the most spaces on a blank line before the block scalar's first content line
  let plainColumn = -2; // the line before ended in a plain scalar: a line indented past this may continue it
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const n = line.length;
    let spaces = 0;
    while (spaces < n && line.charCodeAt(spaces) === 32) spaces++;
    const blankLine = spaces === n;
    if (parent > -2) {
      if (blankLine) {
        if (contentIndent < 0) leadingBlank = Math.max(leadingBlank, spaces);
        inBlock[k] = true;
        continue;
      }
      if (contentIndent < 0 && spaces > parent) {
        if (leadingBlank > spaces) return undefined;
        contentIndent = spaces;
      }
      if (contentIndent >= 0 && spaces >= contentIndent) {
        inBlock[k] = !TAB_LINE.test(line);
        continue;
      }
      if (line.charCodeAt(spaces) === 9) return undefined;
      parent = -2;
    }
    if (blankLine) continue;
    const open = quote !== 0 || flowDepth > 0;
    if (!open && line.charCodeAt(spaces) === 35) continue; // a comment line
    if (line.charCodeAt(spaces) === 9 || line.includes('\t')) return undefined;
    if (!open && spaces > plainColumn && plainColumn > -2) {
      // More of a plain scalar (text), unless it holds what would end the scalar: then undecided.
      if (line.includes(': ') || line.endsWith(':') || line.includes(' #') || documentMarkerAt(line, 0)) return undefined;
      continue;
    }
    plainColumn = -2;
    let p = quote !== 0 ? 0 : spaces;
    if (documentMarkerAt(line, 0)) {
      if (open) return undefined;
      p = 3;
    }
    if (!open && line.charCodeAt(0) === 37) continue; // a directive
    inFlow[k] = flowDepth > 0;
    let mayStart = true; // a node may start here
    let closed = false; // right after a closing quote or bracket (a `:` there is an indicator)
    let flowClosed = false; // the last token closed a flow collection
    let keyed = 0; // `:` indicators in block context on the line
    let property = false; // the last token was an anchor or a tag
    let plainWord = ''; // the last token, when a plain scalar of up to 4 characters (a null word?)
    let plain = false; // the last token was a plain scalar or an alias
    let keyColumn = spaces - 1;
    let tokenColumn = spaces;
    while (p < n) {
      if (quote !== 0) {
        let j = p;
        for (;;) {
          j = line.indexOf(quote === 34 ? '"' : "'", j);
          if (j < 0 || quote === 39) break;
          let b = j;
          while (b > p && line.charCodeAt(b - 1) === 92) b--;
          if ((j - b) % 2 === 0) break;
          j++;
        }
        if (j < 0) break; // still open
        if (quote === 39 && line.charCodeAt(j + 1) === 39) {
          p = j + 2;
          continue;
        }
        quote = 0;
        p = j + 1;
        mayStart = false;
        closed = true;
        continue;
      }
      const c = line.charCodeAt(p);
      if (c === 32) {
        p++;
        continue;
      }
      if (c === 35) {
        if (p === 0 || line.charCodeAt(p - 1) === 32) break;
        return undefined; // a comment not after a blank (`"x"#c`, `[#`): left to the exact path
      }
      const after = closed;
      closed = false;
      if ((c === 34 || c === 39) && mayStart) {
        if (flowDepth === 0) tokenColumn = p;
        quote = c;
        plain = false;
        p++;
        continue;
      }
      if ((c === 91 || c === 123) && mayStart) {
        flowDepth++;
        inFlow[k] = true;
        plain = false;
        p++;
        continue;
      }
      // In block context `,`, `]` and `}` are a plain scalar's characters, and start none.
      if ((c === 44 || c === 93 || c === 125) && flowDepth === 0 && mayStart) return undefined;
      const afterFlow = flowClosed;
      flowClosed = false;
      if ((c === 93 || c === 125) && flowDepth > 0) {
        flowDepth--;
        mayStart = false;
        closed = true;
        flowClosed = true;
        plain = false;
        p++;
        continue;
      }
      const spaceAfter = p + 1 >= n || line.charCodeAt(p + 1) === 32;
      // A `:` indicator where no key came before (a null key, perhaps after an anchor or a tag), or
      // after a flow collection (a collection as a key): left to the exact path.
      if (c === 58 && (mayStart || afterFlow) && (flowDepth > 0 || after || spaceAfter)) return undefined;
      // A `:` indicator after a null word (`&a ~: x`, `{!t null: 1}`): a null key, left to the exact path.
      if (c === 58 && plainWord !== '' && NULL_WORDS.has(plainWord) && (flowDepth > 0 || spaceAfter)) return undefined;
      plainWord = '';
      if ((c === 44 && flowDepth > 0) || (c === 58 && (flowDepth > 0 || after))) {
        mayStart = true;
        plain = false;
        p++;
        continue;
      }
      if ((c === 45 || c === 58 || c === 63) && spaceAfter) {
        // A second key on a line (`a: b: c`, a compact nested map): left to the exact path.
        if (c === 58 && flowDepth === 0 && keyed++ > 0) return undefined;
        if (flowDepth === 0) keyColumn = c === 58 ? Math.max(keyColumn, tokenColumn) : p;
        mayStart = true;
        plain = false;
        p++;
        continue;
      }
      // A property (anchor `&`, tag `!`) keeps the place open for a node (on this line or the next);
      // anything else is a plain scalar or an alias.
      // (After a plain scalar's first word, the next words are more of it: `a !b &c` is text.)
      property = mayStart && (c === 38 || c === 33);
      if (mayStart && !property) tokenColumn = p;
      mayStart = property;
      plain = !property;
      const from = p;
      p++;
      while (p < n) {
        const d = line.charCodeAt(p);
        if (d === 32 || (flowDepth > 0 && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125))) break;
        if (d === 58 && (flowDepth > 0 || p + 1 >= n || line.charCodeAt(p + 1) === 32)) break;
        p++;
      }
      plainWord = p - from <= 4 ? line.slice(from, p) : '';
    }
    if (quote !== 0 || flowDepth > 0) continue;
    // Properties (an anchor, a tag) for a node on the next line: left to the exact path.
    if (mayStart && property) return undefined;
    if (MAY_BE_HEADER.test(line)) {
      const header = open ? null : HEADER.exec(line);
      if (!header || (header[2] === '' && header[3] === undefined)) return undefined;
      const dashes = header[2]!;
      parent = header[3] !== undefined ? header[1]!.length + dashes.length : header[1]!.length + dashes.trimEnd().lastIndexOf('-');
      contentIndent = -1;
      leadingBlank = 0;
      continue;
    }
    if (plain) plainColumn = keyColumn;
  }
  return { lines, inBlock, inFlow };
}
const QUOTE_COMMENT = /[^\s[{,:]["']#/g;

/**
 * `[^\s[{,:]["']#`: a `#` right after a quote that may close a quoted scalar. One exception, where
 * the old expression doubted for nothing: a `"` after an odd number of backslashes closes nothing (in
 * a double-quoted scalar it is the escape `\"`, elsewhere it is no quote's end), as in the JSON of a
 * Grafana dashboard written as a double-quoted YAML string (`\"#d44a3a\"`).
 */
function quoteComment(text: string): boolean {
  QUOTE_COMMENT.lastIndex = 0;
  for (let m = QUOTE_COMMENT.exec(text); m; m = QUOTE_COMMENT.exec(text)) {
    // Matches may overlap: `\"#"#` holds an escaped quote, then `#"#`.
    QUOTE_COMMENT.lastIndex = m.index + 1;
    if (text.charCodeAt(m.index + 1) !== 34) return true;
    let b = m.index;
    while (b >= 0 && text.charCodeAt(b) === 92) b--;
    if ((m.index - b) % 2 === 0) return true;
  }
  return false;
}

/** Whether a character code ends a line for a regular expression's `^` and `$` (flag m). */
function lineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The parts of KUBE_DOUBT anchored at a line start (a line start being the start of the text or the
 * position after any line terminator, a lone carriage return included, as for `^` with flag m): a
 * null or explicit (`?`) key after the indentation and any `- ` of the line, or a line of only
 * blanks (a comment allowed) with a tab after the leading spaces.
 */
function lineStartDoubt(text: string): boolean {
  const n = text.length;
  // Only line feeds end lines in most texts: found with indexOf. Otherwise, a character at a time.
  const plain = !text.includes('\r') && !hasUnicodeBreaks(text);
  for (let at = 0; ; ) {
    if (lineDoubt(text, at, n)) return true;
    let next: number;
    if (plain) next = text.indexOf('\n', at);
    else for (next = at; next < n && !lineTerminator(text.charCodeAt(next)); next++);
    if (next < 0 || next >= n) return false;
    at = next + 1;
  }
}

/** `lineStartDoubt` for the line that starts at `at`. */
function lineDoubt(text: string, at: number, n: number): boolean {
  let i = at;
  while (i < n && text.charCodeAt(i) === 32) i++;
  // ^ *\t[ \t]*(?:#[^\n]*)?\r?$
  if (i < n && text.charCodeAt(i) === 9) {
    let j = i + 1;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j >= n || text.charCodeAt(j) === 35 || lineTerminator(text.charCodeAt(j))) return true;
  }
  // ^[ \t]*(?:-[ \t]+)*  then  \?(?:[ \t]|\r?$)  or  (?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|\r?$)
  i = skipBlanks(text, i, n);
  while (i + 1 < n && text.charCodeAt(i) === 45 && blank(text.charCodeAt(i + 1))) i = skipBlanks(text, i + 2, n);
  if (i >= n) return false;
  const c = text.charCodeAt(i);
  if (c === 63) return endsToken(text, i + 1, n);
  if (c === 126 && colonAt(text, i + 1, n)) return true;
  if ((c === 110 || c === 78) && nullWordAt(text, i) && colonAt(text, i + 4, n)) return true;
  return colonAt(text, i, n);
}

function blank(c: number): boolean {
  return c === 32 || c === 9;
}

function skipBlanks(text: string, i: number, n: number): number {
  while (i < n && blank(text.charCodeAt(i))) i++;
  return i;
}

/** `(?:[ \t]|\r?$)` at `i`: a blank, a line terminator or the end of the text. */
function endsToken(text: string, i: number, n: number): boolean {
  if (i >= n) return true;
  const c = text.charCodeAt(i);
  return blank(c) || lineTerminator(c);
}

/** `[ \t]*:(?:[ \t]|\r?$)` at `i`. */
function colonAt(text: string, i: number, n: number): boolean {
  i = skipBlanks(text, i, n);
  return i < n && text.charCodeAt(i) === 58 && endsToken(text, i + 1, n);
}

/**
 * `[{,][ \t]*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t,}\]]|\r?$)` (flag m): a null key in a flow
 * collection. Each `{` and `,` is found with indexOf and the characters after it looked at, cheaper
 * than trying the expression at every position.
 */
function flowNullKey(text: string): boolean {
  const n = text.length;
  for (const opener of FLOW_KEY_OPENERS) {
    for (let at = text.indexOf(opener); at >= 0; at = text.indexOf(opener, at + 1)) {
      const i = skipBlanks(text, at + 1, n);
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === 126 && flowColonAt(text, i + 1, n)) return true;
      if ((c === 110 || c === 78) && nullWordAt(text, i) && flowColonAt(text, i + 4, n)) return true;
      if (flowColonAt(text, i, n)) return true;
    }
  }
  return false;
}

const FLOW_KEY_OPENERS = ['{', ','];

/** `[ \t]*:(?:[ \t,}\]]|\r?$)` at `i`. */
function flowColonAt(text: string, i: number, n: number): boolean {
  i = skipBlanks(text, i, n);
  if (i >= n || text.charCodeAt(i) !== 58) return false;
  const c = text.charCodeAt(i + 1);
  return endsToken(text, i + 1, n) || c === 44 || c === 125 || c === 93;
}

/** `null`, `Null` or `NULL` at `i`. */
function nullWordAt(text: string, i: number): boolean {
  const word = text.slice(i, i + 4);
  return word === 'null' || word === 'Null' || word === 'NULL';
}

/** A key written twice in a mapping, as the fast path reads it (see fastDocuments). */
export interface DuplicateKey {
  /** The document's index in the text. */
  document: number;
  /** Where the later key starts, in the text without its byte order mark (as the exact path counts). */
  offset: number;
  key: string;
  /** The path from the document's root to the mapping holding the key. */
  path: Path;
}

/**
 * The documents' values, or undefined when the exact parser must decide. Without `duplicates`, a
 * text with a key written twice in a mapping is the exact path's; with it, a text the block reader
 * reads as it is (no carriage return, no line break Kubernetes reads otherwise, no anchor or alias)
 * is read on as `yaml` reads it (the later value where the earlier key stood), and each later key is
 * listed there, in document order and by offset within a document.
 */
export function fastDocuments(input: string, duplicates?: DuplicateKey[]): unknown[] | undefined {
  const original = stripBom(input);
  if (hasUnicodeBreaks(original)) return undefined;
  // The text as Kubernetes reads it (normalizeText without blanking what Kubernetes never reads:
  // there is nothing to blank when there is no stream problem, as such content is one).
  const text = kubeLineBreaks(original);
  // A lone carriage return (a line break for Kubernetes and `yaml`, read otherwise by js-yaml around
  // document markers): the exact path's to read.
  if (text !== original && original.includes('\r') && LONE_CR.test(original)) return undefined;
  if (inputProblem(text)) return undefined;
  // The block reader first (the checks above found no non-printable character: it needn't look
  // again; a JSON text is left to jsonDocument). What it reads lets some checks below be skipped
  // (test/support/fast-order.ts says why; test/unit/yaml/fast-order.test.ts and the corpus tests check it).
  let read: BlockRead | undefined;
  const repeated: DuplicateKeyRead[] | undefined = duplicates && [];
  const jsonStart = JSON_START.test(text);
  try {
    const result = jsonStart ? undefined : blockReadOrRejected(text, true, 'kube', repeated);
    // A duplicate key or an unknown escape: js-yaml would throw too, the exact path reports it.
    if (result === 'rejected') return undefined;
    read = result;
  } catch {
    return undefined;
  }
  // Anchors and aliases: js-yaml shares an aliased node where the exact path counts it expanded (it
  // bounds YAML bombs), so a document with aliases is checked below. Merge keys and aliases used as
  // keys in a text the block reader did not read are left to the exact path. (`&&` and `& ` in shell lines are not anchors.)
  // A text the reader gave up on (not JSON) is asked first what most often refuses one and costs
  // least (a tag, a merge key: shapeDoubt, mergeOrAliasKey), as every check must pass whatever
  // their order; the others are asked after the JSON reading below.
  const shapeFirst = read === undefined && !jsonStart;
  let aliases = shapeFirst && mayHaveAliases(text);
  if (shapeFirst && (shapeDoubt(text) || (aliases && mergeOrAliasKey(text)))) return undefined;
  // What Kubernetes reads differently from YAML 1.2 or rejects: the exact path reports it. A text the
  // reader read (as it is: kubeLineBreaks changed nothing) without a stream doubt has no stream
  // problem, and none of its lines is one lineStartDoubt doubts unless it has a line doubt.
  const vouched = text === original ? read : undefined;
  if ((vouched === undefined || vouched.streamDoubt) && hasStreamProblems(original, text)) return undefined;
  const lineChecked = vouched !== undefined && !vouched.lineDoubt;
  // A `\/` the reader saw in no double-quoted scalar is text (a JSON dashboard in a block scalar), and so on.
  if ((lineChecked ? kubeDoubtBesideLines(original, vouched) : kubeDoubt(original, vouched)) && doubtOutsideText(original)) return undefined;
  // A JSON document (a `.json` file, `kubectl get -o json`) needs no YAML parser for its value.
  const json = jsonDocument(text);
  if (json) return repeated !== undefined && repeated.length > 0 ? undefined : [json.value];
  if (!shapeFirst) {
    aliases = mayHaveAliases(text);
    // (The block reader merges merge keys as `yaml` does and refuses an alias as a key.)
    if (aliases && read === undefined && mergeOrAliasKey(text)) return undefined;
  }
  // A `simple` text the reader read, with no line over 1024 characters, has nothing needsExactPath looks for.
  // A key whose `:` stands more than 1024 characters into its line (`yaml` limits an implicit key to
  // 1024): the exact path decides. (needsExactPath missed one after a quote inside a plain scalar,
  // which its tokenizer takes for an open quoted scalar.)
  if (read?.longKey) return undefined;
  // With a line over 1024 characters, a text the reader read needs no look either when no flow
  // collection holds anything (test/support/fast-order.ts).
  // (The flag first: most texts have no flow collection with content, and need no look at their lines.)
  const needsChecked = read?.simple === true && (!read.flowContent || !hasLineLongerThan(text, 1024));
  if (!needsChecked && needsExactPath(text)) return undefined;
  // A text the reader read (as it is) has none of the shapes shapeDoubt looks for as js-yaml reads
  // it (the reader refuses each: properties other than its anchors, `|2`, null and collection keys,
  // `?` keys, an empty entry before a less indented one, content after a first `...`): only those
  // where js-yaml's reading of what the reader reads differs from `yaml`'s are left to look for.
  if (vouched !== undefined ? shapeDoubtBesideRead(text) : !shapeFirst && shapeDoubt(text)) return undefined;
  // Left to js-yaml (the block reader refused the text): a tab where a line's indentation is (js-yaml
  // reads `\t~` or `  \t&x` at a line start, `yaml` rejects a tab there), an alias as a flow map's key.
  if (read === undefined && ((text.includes('\t') && tabInIndentation(text)) || (aliases && ALIAS_IN_FLOW.test(text)))) return undefined;
  let docs: unknown[];
  try {
    docs = read?.values ?? (jsyaml.loadAll(text, undefined, { schema: SCHEMA, json: false }) as unknown[]);
  } catch {
    return undefined;
  }
  // A document that is a string (a root scalar, perhaps a block scalar whose lines js-yaml reads
  // otherwise): no manifest, the exact path's to read.
  if (docs.some((doc) => typeof doc === 'string')) return undefined;
  // Too deep for the rules: the exact path reports where (same values, same limit, same answer).
  // The block reader's values never are (at most 60 collections deep, each of at least 2 characters).
  if (!aliases && read === undefined && docs.some((doc) => treeDeeperThan(doc, MAX_DEPTH, text.length + 1))) return undefined;
  // With aliases: no cycle, not too deep, and well below the exact path's alias expansion limit
  // (anything near it is the exact path's to decide). Each alias may also name a scalar, which
  // sharing cannot show: the aliases in the text count on top.
  if (aliases) {
    const budget = MAX_ALIAS_EXPANSION / 2 - (text.match(/\*/g)?.length ?? 0);
    if (docs.some((doc) => shapeProblem(doc, MAX_DEPTH) !== undefined || aliasExpansion(doc, budget) > budget)) return undefined;
  }
  // js-yaml reads a stream of only comments as one null document; `yaml` reads none.
  if (docs.length === 1 && docs[0] == null && onlyComments(text)) return [];
  if (repeated !== undefined && repeated.length > 0) {
    // Offsets are the exact path's when the reader read the text as it is; with aliases a mapping
    // may be reached by more than one path (the exact path names the anchored one): left to it.
    if (vouched === undefined || aliases) return undefined;
    const found = duplicatePaths(docs, repeated);
    if (!found) return undefined;
    for (const d of found) duplicates!.push(d);
  }
  return docs;
}

/**
 * The duplicate keys the block reader read on, each with the path to its mapping, sorted by document
 * and offset; undefined when a mapping is not in its document's value (it was the earlier value of a
 * key written twice, and the later one replaced it). One walk of each document with one (a document
 * of many mappings each with a key written twice is not walked once per key).
 */
function duplicatePaths(docs: readonly unknown[], repeated: readonly DuplicateKeyRead[]): DuplicateKey[] | undefined {
  const paths = new Map<object, Path | undefined>();
  for (const r of repeated) paths.set(r.map, undefined);
  let document = -1;
  const out: DuplicateKey[] = [];
  for (const r of repeated) {
    if (r.document !== document) {
      document = r.document;
      pathsIn(docs[document], [], paths);
    }
    const path = paths.get(r.map);
    if (!path) return undefined;
    out.push({ document: r.document, offset: r.offset, key: r.key, path });
  }
  return out.sort((a, b) => a.document - b.document || a.offset - b.offset);
}

/** Sets in `paths` the path (from `value`, under `at`) of each object it lists that `value` holds (a tree: each is reached once). */
function pathsIn(value: unknown, at: (string | number)[], paths: Map<object, Path | undefined>): void {
  if (value === null || typeof value !== 'object') return;
  if (paths.has(value) && paths.get(value) === undefined) paths.set(value, [...at]);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      pathsIn(value[i], at, paths);
      at.pop();
    }
    return;
  }
  for (const key of Object.keys(value)) {
    at.push(key);
    pathsIn((value as Record<string, unknown>)[key], at, paths);
    at.pop();
  }
}

const LONE_CR = /\r(?!\n)/;

/** A merge key (`<<:`) or an alias used as a key (`*a:`), in a text that may have aliases. */
function mergeOrAliasKey(text: string): boolean {
  return /(?:^|[\s{,?])<<[ \t]*:/m.test(text) || /(?:^|[\s{,?])\*[^\s,[\]{}]+[ \t]*:(?:[ \t]|\r?$)/m.test(text);
}

/**
 * Whether a text may have an alias of an anchor (`&a` somewhere after a blank, an indicator or at a
 * line's start, and a `*`): fastDocuments then checks the values for cycles and expansion, whoever
 * read them (the block reader shares an aliased node as js-yaml does).
 */
export function mayHaveAliases(text: string): boolean {
  return text.includes('*') && text.includes('&') && /(^|[\s[{,:-])&[^\s&]/.test(text);
}

/** An alias right after `{` or `,` (a flow map's key, or a flow sequence's item: both left to `yaml`). */
const ALIAS_IN_FLOW = /[{,][ \t]*\*/;

/**
 * Whether a line that is not blank has a tab among the white space that starts it (after its
 * spaces and any `- `, `? ` or `: ` indicators), block scalar lines included: conservative, asked
 * only of the few texts the block reader leaves to js-yaml.
 */
function tabInIndentation(text: string): boolean {
  for (let at = text.indexOf('\t'); at >= 0; at = text.indexOf('\t', at + 1)) {
    let p = at - 1;
    while (p >= 0) {
      const c = text.charCodeAt(p);
      if (c === 10) break;
      if (c !== 32 && c !== 9 && !((c === 45 || c === 63 || c === 58) && (p === 0 || text.charCodeAt(p - 1) === 10 || text.charCodeAt(p - 1) === 32 || text.charCodeAt(p - 1) === 9))) break;
      // A line start of over 1024 blanks and indicators: a doubt (and each tab's look back stays bounded).
      if (at - p > 1024) return true;
      p--;
    }
    const indentation = p < 0 || text.charCodeAt(p) === 10; // nothing but blanks and indicators before the tab on its line
    let q = at + 1;
    while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
    const c = q < text.length ? text.charCodeAt(q) : 10;
    if (indentation && c !== 10 && c !== 13) return true;
    at = q - 1; // the other tabs of this run of blanks answer the same
  }
  return false;
}

/** Where jsonDocument may find a JSON object or array. */
const JSON_START = /^[ \r\n]*[[{]/;

/** Whether a line of the text (split at line feeds, without them) has more than `max` characters. */
export function hasLineLongerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  for (let start = 0; ; ) {
    const end = text.indexOf('\n', start);
    if ((end < 0 ? text.length : end) - start > max) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}

/**
 * The value of a text that is one JSON object or array, read with `JSON.parse` (many times faster
 * than a YAML parser), when it is sure to be the value the exact path reads, with nothing for it to
 * report; undefined otherwise, and the caller reads the text as YAML. Run after the checks of
 * `fastDocuments` (escapes Kubernetes rejects, line breaks it reads differently, characters YAML does
 * not allow). Not sure, so left to YAML: a tab (JSON's white space, not always YAML's), a
 * `__proto__` key, a duplicate key (`JSON.parse` keeps the last one silently; YAML's reader reports
 * it: the keys in the text, one per `:` outside strings, must be the keys of the value), `-0` (an
 * integer 0 for Kubernetes) or a number out of range (`1e400`: a string for Kubernetes), nesting
 * deeper than the exact path allows.
 */
export function jsonDocument(text: string): { value: unknown } | undefined {
  if (!/^[ \r\n]*[[{]/.test(text) || text.includes('\t') || text.includes('"__proto__"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const keys = jsonKeys(value);
  return keys !== undefined && keys === colonsOutsideStrings(text) ? { value } : undefined;
}

/** How many keys the maps of a parsed JSON value have; undefined for `-0`, a number out of range, or nesting deeper than MAX_DEPTH. */
function jsonKeys(root: unknown): number | undefined {
  let keys = 0;
  const values: unknown[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Object.is(value, -0)) return undefined;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return undefined;
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    if (!Array.isArray(value)) keys += children.length;
    for (const child of children) {
      if (child === null || (typeof child !== 'object' && typeof child !== 'number')) continue;
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return keys;
}

/** How many `:` a JSON text has outside its strings: one per key. */
function colonsOutsideStrings(text: string): number {
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) colons++;
    else if (c === 34) {
      // To the closing quote: one not preceded by an odd number of backslashes.
      for (let j = i + 1; ; ) {
        const k = text.indexOf('"', j);
        if (k < 0) return -1;
        let b = k - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((k - 1 - b) % 2 === 0) {
          i = k;
          break;
        }
        j = k + 1;
      }
    }
  }
  return colons;
}

/**
 * How many nodes a value reaches through shared (aliased) collections, counted as the exact path
 * counts alias expansion (a collection 1, each key 1, each value its size): the expanded size of the
 * tree less the size of its distinct nodes. Stops counting past `budget`. The value has no cycles
 * (shapeProblem said so).
 */
function aliasExpansion(root: unknown, budget: number): number {
  const expanded = new Map<object, number>();
  const distinct = new Set<object>();
  let own = 0;
  // Sizes bottom-up, iteratively: a node is sized once all of its children are.
  const size = (value: unknown): number => {
    if (typeof value !== 'object' || value === null) return 1;
    return expanded.get(value) ?? 0;
  };
  const stack: { value: object; children: unknown[]; keyCount: number; done: boolean }[] = [];
  const push = (value: unknown) => {
    if (typeof value !== 'object' || value === null || expanded.has(value)) return;
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    stack.push({ value, children, keyCount: Array.isArray(value) ? 0 : children.length, done: false });
  };
  push(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (!top.done) {
      top.done = true;
      for (const child of top.children) push(child);
      continue;
    }
    stack.pop();
    if (expanded.has(top.value)) continue;
    let total = 1 + top.keyCount;
    for (const child of top.children) total += size(child);
    expanded.set(top.value, total);
    if (!distinct.has(top.value)) {
      distinct.add(top.value);
      own += 1 + top.keyCount + top.children.filter((c) => typeof c !== 'object' || c === null).length;
    }
    if (total - own > budget) return total - own;
  }
  return size(root) - own;
}

/**
 * Whether the text has something js-yaml accepts and `yaml` (like Kubernetes' parser, and the YAML
 * spec) may reject, so that the exact path must decide. Conservative: false only when neither
 * applies; a few well-formed files go to the exact path for nothing, which only costs time.
 *
 * - A `:` indicator more than 1024 characters into a line outside a block scalar: an implicit key
 *   may be too long (minified JSON, a long one-line value). Colons inside a quoted scalar are text,
 *   so a long quoted value (a dashboard's JSON in a ConfigMap) does not count.
 * - A comment right after a closing quote (`"x"#c`, also where kubeDoubt does not see it: a quote
 *   closed after a blank or on a continuation line), or right after a `[`, `{` or a flow `,`: Kubernetes
 *   reads it, other YAML tools reject it, and the exact path reports it.
 * - A flow collection right before a `:` indicator on its line (`[a]: b`, `{a: 1} : b`, `{[a]:b}`): a
 *   collection as a key, which Kubernetes rejects.
 * - A quoted scalar or a flow collection (`[…]`, `{…}`) that continues on the next line with a
 *   continuation line not indented past the key (or `-`, `?`) it belongs to. A flow collection that is
 *   a whole document (a JSON file) may span lines freely, and a line that only closes a flow
 *   collection (`]`, `}`; not nested in another) may be indented as the key, as `yaml` allows.
 *
 * Lines of block scalars (`|`, `>`) are skipped: their content is text, not YAML.
 */
/**
 * A line that only closes a flow collection (`]` or `}`, a comment allowed): `yaml` lets the last
 * line of a flow collection in block context be indented as its key rather than past it.
 */
const FLOW_END_LINE = /^[\]}](?:[ \t]+(?:#.*)?)?\r?$/;

/** A line that ends in a block scalar header (`key: |`, `- >-`, `|2`), comment allowed. */
const BLOCK_HEADER = /(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;

export function needsExactPath(text: string): boolean {
  const n = text.length;
  const flowChars = new Occurrences(text, `"'[{`);
  const blockChars = new Occurrences(text, '|>');
  const colons = new Occurrences(text, ':');
  const maybeFlow = flowChars.anyIn(0, n);
  let blockIndent = -1; // inside a block scalar: non-blank lines more indented than this belong to it
  let quote = 0; // the quote (character code) of a quoted scalar still open at the end of the previous line
  let flowDepth = 0;
  let required = -1; // while a quote or a flow collection is open: continuation lines must be indented more
  let documentStart = true;
  // Lines are [lineStart, end), without their line feed; columns are counted from lineStart.
  for (let start = 0; start < n; ) {
    const lineStart = start;
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    start = end + 1;
    let first = lineStart; // the first character after the indentation (any white space, as trimStart)
    while (first < end && jsSpace(text.charCodeAt(first))) first++;
    const indent = first - lineStart;
    const blank = first === end;
    const open = quote !== 0 || flowDepth > 0;
    if (!open && blockIndent >= 0) {
      if (blank || indent > blockIndent) continue;
      blockIndent = -1;
    }
    // A `:` more than 1024 characters into the line.
    const long = end - lineStart > 1024 && colons.anyIn(lineStart + 1024, end);
    if (!maybeFlow || blank) {
      if (long) return true;
      continue;
    }
    if (!open && !flowChars.anyIn(lineStart, end)) {
      if (long) return true;
      // Nothing can open here: only a block scalar header and where documents start matter.
      const c = text.charCodeAt(lineStart);
      const f = text.charCodeAt(first);
      if ((c === 45 || c === 46) && isMarkerLine(text.slice(lineStart, end))) documentStart = true;
      else if (f !== 35 && f !== 37) documentStart = false;
      if (blockChars.anyIn(lineStart, end) && BLOCK_HEADER.test(text.slice(lineStart, end))) blockIndent = indent;
      continue;
    }
    if (open) {
      let s = lineStart;
      while (s < end && text.charCodeAt(s) === 32) s++;
      const closing = indent === required && quote === 0 && flowDepth === 1 && FLOW_END_LINE.test(text.slice(first, end));
      if ((indent <= required && !closing) || (s < end && text.charCodeAt(s) === 9) || documentMarkerAt(text, lineStart)) return true;
    }
    let p = quote !== 0 ? lineStart : first;
    let scalarMayStart = true;
    let keyColumn = indent - 1; // what a multi-line value opened on this line must be indented past
    let tokenColumn = indent;
    if (!open && documentMarkerAt(text, lineStart)) {
      p = lineStart + 3;
      documentStart = true;
    }
    while (p < end) {
      if (quote !== 0) {
        // The closing quote: the next one, unless (in double quotes) a backslash escapes it, i.e.
        // an odd number of backslashes since `p` stands right before it.
        let j = p;
        for (;;) {
          j = flowChars.nextOf(quote === 34 ? 0 : 1, j);
          if (j >= end || quote === 39) break;
          let b = j;
          while (b > p && text.charCodeAt(b - 1) === 92) b--;
          if ((j - b) % 2 === 0) break;
          j++;
        }
        if (j >= end) break; // still open
        if (quote === 39 && j + 1 < end && text.charCodeAt(j + 1) === 39) {
          p = j + 2;
          continue;
        }
        quote = 0;
        p = j + 1;
        if (p < end && text.charCodeAt(p) === 35) return true; // a comment right after the closing quote
        scalarMayStart = false;
        continue;
      }
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13) {
        p++;
        continue;
      }
      if (c === 35 && spaceAt(text, p - 1, lineStart, end)) break;
      if (c === 37 && p === lineStart && flowDepth === 0) break; // a directive
      const first = documentStart;
      documentStart = false;
      if ((c === 34 || c === 39) && scalarMayStart) {
        if (flowDepth === 0) required = keyColumn;
        tokenColumn = p - lineStart;
        quote = c;
        p++;
        continue;
      }
      if ((c === 91 || c === 123) && scalarMayStart) {
        if (flowDepth === 0) required = first ? -1 : keyColumn;
        flowDepth++;
        p++;
        if (p < end && text.charCodeAt(p) === 35) return true; // a comment right after `[` or `{`
        continue;
      }
      if (c === 93 || c === 125) {
        if (flowDepth > 0) {
          flowDepth--;
          // A `:` indicator right after the collection: a collection as a key (`[a]: b`, `{[a]:b}`).
          let q = p + 1;
          while (q < end && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
          if (q < end && text.charCodeAt(q) === 58 && (flowDepth > 0 || spaceAt(text, q + 1, lineStart, end))) return true;
        }
        scalarMayStart = false;
        p++;
        continue;
      }
      if (c === 58 && p - lineStart > 1024 && (flowDepth > 0 || spaceAt(text, p + 1, lineStart, end))) return true; // a key may be too long
      if (c === 44 || (c === 58 && flowDepth > 0)) {
        scalarMayStart = true;
        p++;
        if (c === 44 && flowDepth > 0 && p < end && text.charCodeAt(p) === 35) return true; // a comment right after a flow `,`
        continue;
      }
      if ((c === 45 || c === 58 || c === 63) && spaceAt(text, p + 1, lineStart, end)) {
        if (flowDepth === 0) keyColumn = c === 58 ? Math.max(keyColumn, tokenColumn) : p - lineStart;
        scalarMayStart = true;
        p++;
        continue;
      }
      // A property (anchor `&`, tag `!`) keeps the place open for a scalar; anything else is a plain
      // scalar or an alias, which ends at a space, a flow indicator or a `: `.
      if (c !== 38 && c !== 33) tokenColumn = p - lineStart;
      scalarMayStart = c === 38 || c === 33;
      p++;
      while (p < end) {
        const d = text.charCodeAt(p);
        if (d === 32 || d === 9 || d === 13 || d === 44 || d === 91 || d === 93 || d === 123 || d === 125) break;
        if (d === 58 && (flowDepth > 0 || spaceAt(text, p + 1, lineStart, end))) break;
        p++;
      }
    }
    if (quote === 0 && flowDepth === 0 && blockChars.anyIn(lineStart, end) && BLOCK_HEADER.test(text.slice(lineStart, end))) blockIndent = indent;
  }
  return false;
}

/** A space, tab or carriage return at `p` of the line [lineStart, end); outside the line counts as a space. */
function spaceAt(text: string, p: number, lineStart: number, end: number): boolean {
  if (p < lineStart || p >= end) return true;
  const c = text.charCodeAt(p);
  return c === 32 || c === 9 || c === 13;
}

/** White space as `String.prototype.trimStart` removes it. */
function jsSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/**
 * Whether ranges of a text hold one of some characters, the ranges asked in increasing order of
 * their starts: the next occurrence of each character is looked up again only once a range starts
 * past it, so all the questions together cost one pass over the text per character.
 */
class Occurrences {
  private readonly next: number[];

  constructor(
    private readonly text: string,
    private readonly chars: string,
  ) {
    this.next = Array.from(chars, () => -1);
  }

  /** Whether [from, to) holds one of the characters; `from` no smaller than in the last question. */
  anyIn(from: number, to: number): boolean {
    for (let k = 0; k < this.chars.length; k++) if (this.nextOf(k, from) < to) return true;
    return false;
  }

  /** Where the `k`th character is next at or after `from` (the text's length if nowhere); `from` as above. */
  nextOf(k: number, from: number): number {
    let at = this.next[k]!;
    if (at < from) {
      at = this.text.indexOf(this.chars[k]!, from);
      this.next[k] = at = at < 0 ? this.text.length : at;
    }
    return at;
  }
}

/**
 * Shapes js-yaml reads (or reads differently) where `yaml`, as Kubernetes reads it, rejects them or
 * reads other values, that neither `kubeDoubt` nor `needsExactPath` sees (found by the differential
 * tests, test/unit/yaml/fast-exact-shapes.test.ts). Each is rare in real manifests and found by a
 * literal search first, so the common text costs a few `indexOf` passes:
 *
 * - a block scalar header with an indentation indicator (`|2`, `>-4`) in a text with a line of only
 *   blanks: js-yaml keeps such a line's extra spaces where `yaml` does not (a root block scalar,
 *   which js-yaml reads otherwise too, is left to the exact path by fastDocuments);
 * - a block scalar without one whose leading empty lines hold more spaces than its first line
 *   (emptyLinesPastFirstLine): `yaml` rejects it, js-yaml ends the scalar there;
 * - a tag (`!!str`, or `!` alone at a line's end) starting a node: js-yaml reads `!!str` with its
 *   scalar on the next line as an empty string;
 * - an anchor or a tag right before a `:` indicator (`&x : 1`, `{!t : 1}`): a null key for `yaml`;
 * - an anchor where a node starts, followed on its line by a key (`a: &x k: v`, `&x ~: 1`) or by
 *   another property or an alias, or alone on its line before a line that starts with a property or
 *   an alias (`&x` then `*y`);
 * - a null key (nothing, `~`, a null word) alone at a line's start before `:,`, `:]` or `:}` (in a
 *   flow collection: `[a,` then `null:]`);
 * - an empty block sequence entry (`-` and nothing more on its line) followed by an entry indented
 *   less than it: js-yaml takes the second as the first's sibling (or nests it), `yaml` rejects
 *   the text or nests them otherwise.
 *
 * Conservative: a text in which such a thing is only text (in a block scalar, a quoted scalar, a
 * comment) goes to the exact path for nothing, which only costs time.
 */
export function shapeDoubt(text: string): boolean {
  if (SPACES_LINE.test(text) && (INDENTATION_INDICATOR.test(text) || emptyLinesPastFirstLine(text))) return true;
  const anchors = text.includes('&');
  const tags = text.includes('!');
  if (tags && tagAtNodeStart(text)) return true;
  if (anchors && anchorThenMore(text)) return true;
  if (anchors || tags) for (const needle of COLON_NEEDLES) if (text.includes(needle) && keyBeforeColon(text, needle)) return true;
  for (const needle of FLOW_COLON_NEEDLES) if (text.includes(needle) && nullKeyBeforeFlowColon(text, needle)) return true;
  if (text.includes('[') && emptyKeyAfterBracket(text)) return true;
  if (text.includes('?') && explicitKeyInFlow(text)) return true;
  // Content after a `...` that starts the text (`... a:`): js-yaml reads it, `yaml` rejects it.
  if (text.startsWith('...') && !isMarkerLine(text.slice(0, lineEnd(text, 0)))) return true;
  // A sequence as the first key of a flow map (`{[x]}`), or a collection as a later one (`{x: 1, [y]}`):
  // js-yaml reads it, `yaml` rejects it.
  if (text.includes('{') && (collectionAfterBrace(text) || collectionKeyInFlowMap(text))) return true;
  // What the block reader reads too (shapeDoubtBesideRead): a blank last line beside `|+`, `---#`.
  if (shapeDoubtBesideRead(text)) return true;
  return emptyEntryThenLess(text);
}

/**
 * The part of shapeDoubt a text the block reader read still needs: a last line of only blanks with
 * no line break after it where a keep-chomping header is (js-yaml, and so the reader, keeps it in
 * the value; `yaml` does not), a `---#` line. test/support/fast-order.ts checks that a text taken
 * this way is one the exact path reads alike and reports nothing in.
 */
function shapeDoubtBesideRead(text: string): boolean {
  // A last line of only blanks with no line break after it: js-yaml keeps it in a `|+` value, `yaml` does not.
  if (text.length > 0 && text.charCodeAt(text.length - 1) !== 10 && blankLastLine(text) && KEEP_CHOMPING.test(text)) return true;
  // A `---` right before a comment (`---#x`): a separator line for Kubernetes, a document start
  // with a comment for js-yaml, a scalar for `yaml`.
  return text.includes('---#') && /^---#/m.test(text);
}

/** A `?` indicator (a blank or the line's end after it) after `[`, `{` or `,` (blanks and line breaks skipped): an explicit key in a flow collection. */
function explicitKeyInFlow(text: string): boolean {
  for (let at = text.indexOf('?'); at >= 0; at = text.indexOf('?', at + 1)) {
    const after = at + 1 < text.length ? text.charCodeAt(at + 1) : 10;
    if (!blankOrBreak(after)) continue;
    let p = at - 1;
    while (p >= 0 && blankOrBreak(text.charCodeAt(p))) p--;
    const c = p >= 0 ? text.charCodeAt(p) : 10;
    if (c === 91 || c === 123 || c === 44) return true;
  }
  return false;
}

/** A `{` followed (blanks skipped) by `[` (not `{`: `{{ .Values }}` templates are common in values). */
function collectionAfterBrace(text: string): boolean {
  for (let at = text.indexOf('{'); at >= 0; at = text.indexOf('{', at + 1)) {
    let q = at + 1;
    while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
    if (text.charCodeAt(q) === 91) return true;
  }
  return false;
}

/**
 * A collection as a later key of a flow map (`{x: 1, [y]}`, `{x: 1,\n  &a {y: 2}}`): js-yaml reads it,
 * `yaml` rejects it. One pass that follows `[`, `{`, `]` and `}` as flow brackets wherever they are
 * (in block context too: a bracket there only adds a frame below a real flow collection's, or pops
 * one before it opens), skips quoted scalars and comments inside brackets, and at a `,` in a `{`
 * looks at what comes next (blanks, line breaks, comments and properties skipped). Where this
 * reading could be wrong about a real flow map, it says yes (a doubt costs only the exact path's
 * time): a quoted scalar holding a bracket or never closed (it may be block text read as flow).
 */
function collectionKeyInFlowMap(text: string): boolean {
  const open: number[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) open.push(c);
    else if (c === 93 || c === 125) open.pop();
    else if (open.length === 0) continue;
    else if (c === 44) {
      if (open[open.length - 1] === 123 && collectionNext(text, i + 1)) return true;
    } else if (c === 34 || c === 39) {
      // A quoted scalar starts a token: after a flow indicator, `?`, a blank or a line break.
      const b = text.charCodeAt(i - 1);
      if (!(b === 91 || b === 123 || b === 44 || b === 58 || b === 63 || blankOrBreak(b))) continue;
      const end = c === 34 ? doubleQuoteEnd(text, i) : singleQuoteEnd(text, i);
      if (end < 0) return true;
      for (let k = i + 1; k < end; k++) {
        const d = text.charCodeAt(k);
        if (d === 91 || d === 93 || d === 123 || d === 125) return true;
      }
      i = end;
    } else if (c === 35 && blankOrBreak(text.charCodeAt(i - 1))) {
      i = lineEnd(text, i) - 1;
    }
  }
  return false;
}

/** Whether a `[` or `{` comes at `at`, after blanks, line breaks, comments and properties (`&a`, `!t`). */
function collectionNext(text: string, at: number): boolean {
  let q = at;
  for (;;) {
    const c = q < text.length ? text.charCodeAt(q) : 0;
    if (c === 32 || c === 9 || c === 10 || c === 13) q++;
    else if (c === 35 && q > at) q = lineEnd(text, q); // a comment (after a blank or a line break)
    else if (c === 38 || c === 33) {
      // a property: to the next blank or line break
      while (q < text.length && !blankOrBreak(text.charCodeAt(q))) q++;
    } else return c === 91 || c === 123;
  }
}

/** The offset of the quote closing the double-quoted scalar at `at` (`\"` escaped), -1 if none. */
function doubleQuoteEnd(text: string, at: number): number {
  for (let k = at + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 92) k++;
    else if (c === 34) return k;
  }
  return -1;
}

/** The offset of the quote closing the single-quoted scalar at `at` (`''` escaped), -1 if none. */
function singleQuoteEnd(text: string, at: number): number {
  for (let k = at + 1; k < text.length; k++) {
    if (text.charCodeAt(k) !== 39) continue;
    if (text.charCodeAt(k + 1) !== 39) return k;
    k++;
  }
  return -1;
}

/** A block scalar header with keep chomping (`|+`, `>+2`, `|2+`). */
const KEEP_CHOMPING = /[|>](?:\+|[1-9]\+)/;

/** Whether the text's last line (after its last line feed) is not empty and holds only blanks. */
function blankLastLine(text: string): boolean {
  const start = text.lastIndexOf('\n') + 1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return start < text.length;
}

/**
 * A `[` followed (blanks skipped) by a `:` indicator: an empty key in a flow sequence (`[: x]`),
 * which js-yaml reads as a null key and `yaml` rejects.
 */
function emptyKeyAfterBracket(text: string): boolean {
  for (let at = text.indexOf('['); at >= 0; at = text.indexOf('[', at + 1)) {
    let q = at + 1;
    while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
    if (q >= text.length || text.charCodeAt(q) !== 58) continue;
    const after = q + 1 < text.length ? text.charCodeAt(q + 1) : 10;
    if (blankOrBreak(after) || after === 44 || after === 93 || after === 125) return true;
  }
  return false;
}

/** A block scalar header's indentation indicator (perhaps after its chomping indicator), at its line's end. */
const INDENTATION_INDICATOR = /[|>][-+]?[1-9][-+]?[ \t]*(?:#[^\n]*)?\r?$/m;

/** A line of only blanks (not empty). */
const SPACES_LINE = /^[ \t]+\r?$/m;
const SPACES_LINES = /^[ \t]+\r?$/gm;

/**
 * A block scalar (`key: |`) whose leading empty lines hold more spaces than its first line that is
 * not empty (or hold a tab): `yaml` rejects them without an indentation indicator when that line is
 * still the scalar's, js-yaml ends the scalar before it. Conservative: the line may be less indented
 * than the scalar's key (then both end it), and a `|` ending a line of a block scalar's content counts
 * as a header.
 */
function emptyLinesPastFirstLine(text: string): boolean {
  SPACES_LINES.lastIndex = 0;
  for (let m = SPACES_LINES.exec(text); m !== null; m = SPACES_LINES.exec(text)) {
    // The run of empty lines holding it (each run is looked at once): back to its first line...
    let start = m.index;
    while (start > 0) {
      const previous = text.lastIndexOf('\n', start - 2) + 1;
      if (!/^[ \t]*\r?\n$/.test(text.slice(previous, start))) break;
      start = previous;
    }
    // ...and on to the next line that is not empty (its indentation), noting the most spaces.
    let most = 0;
    let tab = false;
    let next = -1;
    let at = start;
    for (;;) {
      const end = lineEnd(text, at);
      const line = text.slice(at, end).replace(/\r$/, '');
      if (line.trim() !== '') {
        next = line.length - line.trimStart().length;
        break;
      }
      if (line.includes('\t')) tab = true;
      most = Math.max(most, line.length);
      if (end >= text.length) break;
      at = end + 1;
    }
    SPACES_LINES.lastIndex = Math.max(SPACES_LINES.lastIndex, at);
    // The line before the run: a block scalar header?
    if (start === 0) continue;
    const header = text.slice(text.lastIndexOf('\n', start - 2) + 1, start - 1);
    if (BLOCK_HEADER.test(header) && (tab || (next >= 0 && next < most))) return true;
  }
  return false;
}

/** Where a `:` may follow a key that is a property or a flow collection. */
const COLON_NEEDLES = [' :', '\t:'];

/** Whether the character code is a blank, or ends a line. */
function blankOrBreak(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * A tag js-yaml knows (`!!name`, `!<verbatim>`, the non-specific `!`) where a node may start: at a
 * line start, after a blank or a flow indicator; the non-specific `!` only with nothing after it on
 * its line (js-yaml then reads the next line's scalar otherwise). js-yaml rejects other tags: the
 * exact path reads those texts anyway. Not `!` before `=` or a name (`!=`, CEL's `!has(x)`), nor
 * shell's `! cmd`.
 */
function tagAtNodeStart(text: string): boolean {
  // The line last looked at for a `:` indicator, and where its last one is (-1: none): each line is
  // scanned once, however many `! ` it holds (a long quoted value full of them stays linear).
  let scannedEnd = -1;
  let lastIndicator = -1;
  for (let at = text.indexOf('!'); at >= 0; at = text.indexOf('!', at + 1)) {
    const before = at === 0 ? 10 : text.charCodeAt(at - 1);
    if (!(blankOrBreak(before) || before === 91 || before === 123 || before === 44)) continue;
    const after = at + 1 < text.length ? text.charCodeAt(at + 1) : 10;
    if (after === 33 || after === 60) return true;
    if (!blankOrBreak(after)) {
      // A local tag (`!x`, `!"`) on an empty node: js-yaml reads null before a document marker, where
      // `yaml` rejects `!"` (a tag ends at the quote) and resolves `!x` otherwise. (On anything else
      // js-yaml throws: an unknown tag.)
      let q = at + 1;
      while (q < text.length && !blankOrBreak(text.charCodeAt(q))) q++;
      while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9 || text.charCodeAt(q) === 13)) q++;
      if (q >= text.length || text.charCodeAt(q) === 10 || text.charCodeAt(q) === 35) return true;
      continue;
    }
    // `!` and a blank: the non-specific tag, or shell's `! cmd`; a doubt when nothing follows on its
    // line, or an anchor does (`! &x` with no value: js-yaml reads null, `yaml` an empty string).
    let q = at + 1;
    while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9 || text.charCodeAt(q) === 13)) q++;
    if (q >= text.length || text.charCodeAt(q) === 10 || text.charCodeAt(q) === 35 || text.charCodeAt(q) === 38) return true;
    // ... or the node ends there in a flow collection (`[! ]`, `{a: ! }`, `[! , x]`: null for js-yaml, '' for `yaml`).
    if (text.charCodeAt(q) === 93 || text.charCodeAt(q) === 125 || text.charCodeAt(q) === 44) return true;
    // ... or a key does (`b: ! k: v`: js-yaml reads a map there, `yaml` rejects a map on its key's line).
    if (q > scannedEnd) {
      scannedEnd = lineEnd(text, q);
      lastIndicator = -1;
      for (let c = text.indexOf(':', q); c >= 0 && c < scannedEnd; c = text.indexOf(':', c + 1)) if (c + 1 >= scannedEnd || blankOrBreak(text.charCodeAt(c + 1))) lastIndicator = c;
    }
    if (lastIndicator >= q) return true;
  }
  return false;
}

/**
 * At each `needle` (a blank before a `:`): whether the `:` is an indicator (a blank, a line break, a
 * flow indicator or the end after it) and the token before it (blanks skipped) is a property (starts
 * with `&` or `!`).
 */
function keyBeforeColon(text: string, needle: string): boolean {
  const n = text.length;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const colon = at + 1;
    const after = colon + 1 < n ? text.charCodeAt(colon + 1) : 10;
    if (!(blankOrBreak(after) || after === 44 || after === 93 || after === 125)) continue;
    let end = at + 1; // the token before the `:` ends before `end`
    while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
    if (end === 0) continue;
    let start = end;
    while (start > 0 && !blankOrBreak(text.charCodeAt(start - 1)) && !FLOW_STARTS.has(text.charCodeAt(start - 1))) start--;
    const first = text.charCodeAt(start);
    if (first === 38 || first === 33) return true;
  }
  return false;
}

/** `[`, `{` and `,`: a token may start after them. */
const FLOW_STARTS = new Set([91, 123, 44]);

/** An empty entry: `-` after a blank or at a line start, then blanks, perhaps a comment, then the line's end. */
const EMPTY_ENTRY = /-[ \t\r]*(?:\n|$)|-[ \t]+#/g;

/**
 * Whether a block sequence entry with nothing on its line (`-`, `- # c`) is followed, on the next
 * line that is not blank or a comment, by an entry (`- `) at a smaller column.
 */
function emptyEntryThenLess(text: string): boolean {
  const n = text.length;
  EMPTY_ENTRY.lastIndex = 0;
  for (let m = EMPTY_ENTRY.exec(text); m; m = EMPTY_ENTRY.exec(text)) {
    const at = m.index;
    EMPTY_ENTRY.lastIndex = at + 1;
    if (at > 0 && !blankOrBreak(text.charCodeAt(at - 1))) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const column = at - lineStart;
    if (column === 0) continue;
    // The next line that holds more than blanks and a comment.
    let next = text.indexOf('\n', at);
    while (next >= 0) {
      let p = next + 1;
      while (p < n && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (p >= n) return false;
      const c = text.charCodeAt(p);
      if (c === 10 || c === 13 || c === 35) {
        next = text.indexOf('\n', p);
        continue;
      }
      const after = p + 1 < n ? text.charCodeAt(p + 1) : 10;
      if (c === 45 && blankOrBreak(after) && p - (next + 1) < column) return true;
      break;
    }
  }
  return false;
}

/** `:` then a flow indicator: a key before it may be null. */
const FLOW_COLON_NEEDLES = [':,', ':]', ':}'];

/** At each `needle`: whether only blanks and perhaps a null word stand between the line's start and the `:`. */
function nullKeyBeforeFlowColon(text: string, needle: string): boolean {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    // The token before the `:`: empty or a null word, so no more than 4 characters are looked at
    // (a long token full of `:,` stays linear).
    let start = at;
    while (start > 0 && at - start <= 4 && !blankOrBreak(text.charCodeAt(start - 1))) start--;
    if (start !== at && (at - start > 4 || !NULL_WORDS.has(text.slice(start, at)))) continue;
    while (start > 0 && (text.charCodeAt(start - 1) === 32 || text.charCodeAt(start - 1) === 9)) start--;
    if (start === 0 || text.charCodeAt(start - 1) === 10 || text.charCodeAt(start - 1) === 13) return true;
  }
  return false;
}

/**
 * The last `:` in [from, end) followed by a space or a tab, or right before the end (a CR between
 * allowed): where `rest.includes(': ') || rest.includes(':\t') || /:\r?$/.test(rest)` finds one in
 * any [q, end) with q <= it. -1 if none.
 */
function lastColonIndicator(text: string, from: number, end: number): number {
  let last = -1;
  for (let c = text.indexOf(':', from); c >= 0 && c < end; c = text.indexOf(':', c + 1)) {
    const next = c + 1 < end ? text.charCodeAt(c + 1) : -1;
    if (next === 32 || next === 9 || next === -1 || (next === 13 && c + 2 === end)) last = c;
  }
  return last;
}

/** The end of the line holding `at` (its line feed, or the text's end). */
function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end;
}

/**
 * An anchor (`&name` where a node may start) followed on its line by a `:` indicator, a property or
 * an alias; or with only blanks and a comment after it, and the next line that is not blank or a
 * comment starting (after its indentation) with a property or an alias.
 */
function anchorThenMore(text: string): boolean {
  const n = text.length;
  // The line last looked at, and where its last `:` indicator is (-1: none): each line is scanned
  // once, however many anchors it holds (a long quoted value full of ` &x` stays linear).
  let scannedEnd = -1;
  let lastIndicator = -1;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
    const before = at === 0 ? 10 : text.charCodeAt(at - 1);
    if (!(blankOrBreak(before) || FLOW_STARTS.has(before))) continue;
    const after = at + 1 < n ? text.charCodeAt(at + 1) : 10;
    if (blankOrBreak(after) || after === 38) continue;
    let p = at + 1;
    while (p < n && !blankOrBreak(text.charCodeAt(p))) p++;
    if (p > scannedEnd) {
      scannedEnd = lineEnd(text, p);
      lastIndicator = lastColonIndicator(text, p, scannedEnd);
    }
    const end = scannedEnd;
    let q = p;
    while (q < end && blankOrBreak(text.charCodeAt(q))) q++;
    if (q < end && text.charCodeAt(q) !== 35) {
      const c = text.charCodeAt(q);
      if (c === 38 || c === 33 || c === 42) return true;
      if (c === 91 || c === 123 || c === 34 || c === 39) continue; // a flow collection or a quoted scalar: its `: ` are its own
      if (lastIndicator >= q) return true;
      continue;
    }
    // Alone on its line: the next line that holds more than blanks and a comment.
    for (let line = end + 1; line < n; ) {
      let r = line;
      while (r < n && (text.charCodeAt(r) === 32 || text.charCodeAt(r) === 9)) r++;
      const c = r < n ? text.charCodeAt(r) : 10;
      if (c === 10 || c === 13 || c === 35) {
        line = lineEnd(text, r) + 1;
        continue;
      }
      if (c === 38 || c === 33 || c === 42) return true;
      break;
    }
  }
  return false;
}
