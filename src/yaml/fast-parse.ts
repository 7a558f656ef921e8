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
import { inputProblem, MAX_ALIAS_EXPANSION, MAX_DEPTH, normalizeText, shapeProblem, stripBom, treeDeeperThan } from './parse.js';
import { documentMarkerAt, hasUnicodeBreaks, isMarkerLine, kubeLineBreaks, onlyComments, streamProblems } from './kube-stream.js';

/** Scalars as Kubernetes' Go YAML parser reads them (YAML 1.1), plus merge keys (`<<`). */
const SCHEMA = KUBE_JS_YAML_SCHEMA;

/**
 * Text that may hold something Kubernetes rejects and the exact path reports (a few well-formed
 * files go to the exact path for nothing, which only costs time): the `\/` escape, `.inf`/`.nan`, a
 * null key (block or flow), an explicit `?` key, a comment right after a closing quote or bracket,
 * a blank or comment line with a tab in its indentation.
 */
const KUBE_DOUBT = new RegExp(
  [
    String.raw`\\\/`,
    String.raw`\.(?:inf|Inf|INF|nan|NaN|NAN)\b`,
    String.raw`^[ \t]*(?:-[ \t]+)*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|\r?$)`,
    String.raw`[{,][ \t]*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t,}\]]|\r?$)`,
    String.raw`^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|\r?$)`,
    String.raw`[^\s[{,:]["']#|[\]}]#`,
    String.raw`^ *\t[ \t]*(?:#[^\n]*)?\r?$`,
  ].join('|'),
  'm',
);

/** The documents' values, or undefined when the exact parser must decide. */
export function fastDocuments(input: string): unknown[] | undefined {
  const original = stripBom(input);
  // What Kubernetes reads differently from YAML 1.2 or rejects: the exact path reports it.
  if (hasUnicodeBreaks(original) || KUBE_DOUBT.test(original)) return undefined;
  const text = normalizeText(input);
  if (inputProblem(text)) return undefined;
  if (streamProblems(original, kubeLineBreaks(original)).length > 0) return undefined;
  // A JSON document (a `.json` file, `kubectl get -o json`) needs no YAML parser for its value.
  const json = jsonDocument(text);
  if (json) return [json.value];
  // Anchors and aliases: js-yaml shares an aliased node where the exact path counts it expanded (it
  // bounds YAML bombs), so a document with aliases is checked below. Merge keys and aliases used as
  // keys are left to the exact path. (`&&` and `& ` in shell lines are not anchors.)
  const aliases = /(^|[\s[{,:-])&[^\s&]/.test(text) && text.includes('*');
  if (aliases && (/(?:^|[\s{,?])<<[ \t]*:/m.test(text) || /(?:^|[\s{,?])\*[^\s,[\]{}]+[ \t]*:(?:[ \t]|\r?$)/m.test(text))) return undefined;
  if (needsExactPath(text)) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: SCHEMA, json: false }) as unknown[];
  } catch {
    return undefined;
  }
  // Too deep for the rules: the exact path reports where (same values, same limit, same answer).
  if (!aliases && docs.some((doc) => treeDeeperThan(doc, MAX_DEPTH, text.length + 1))) return undefined;
  // With aliases: no cycle, not too deep, and well below the exact path's alias expansion limit
  // (anything near it is the exact path's to decide). Each alias may also name a scalar, which
  // sharing cannot show: the aliases in the text count on top.
  if (aliases) {
    const budget = MAX_ALIAS_EXPANSION / 2 - (text.match(/\*/g)?.length ?? 0);
    if (docs.some((doc) => shapeProblem(doc, MAX_DEPTH) !== undefined || aliasExpansion(doc, budget) > budget)) return undefined;
  }
  // js-yaml reads a stream of only comments as one null document; `yaml` reads none.
  if (docs.length === 1 && docs[0] == null && onlyComments(text)) return [];
  return docs;
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
 * - A quoted scalar or a flow collection (`[…]`, `{…}`) that continues on the next line with a
 *   continuation line not indented past the key (or `-`, `?`) it belongs to. A flow collection that is
 *   a whole document (a JSON file) may span lines freely.
 *
 * Lines of block scalars (`|`, `>`) are skipped: their content is text, not YAML.
 */
/** A line that ends in a block scalar header (`key: |`, `- >-`, `|2`), comment allowed. */
const BLOCK_HEADER = /(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;

function needsExactPath(text: string): boolean {
  const space = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\r';
  const maybeFlow = /["'[{]/.test(text);
  let blockIndent = -1; // inside a block scalar: non-blank lines more indented than this belong to it
  let quote = ''; // the quote of a quoted scalar still open at the end of the previous line
  let flowDepth = 0;
  let required = -1; // while a quote or a flow collection is open: continuation lines must be indented more
  let documentStart = true;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const content = line.trimStart();
    const indent = line.length - content.length;
    const blank = content === '' || content === '\r';
    const open = quote !== '' || flowDepth > 0;
    if (!open && blockIndent >= 0) {
      if (blank || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (!maybeFlow || blank || (!open && !/["'[{]/.test(line))) {
      if (line.length > 1024 && line.indexOf(':', 1024) >= 0) return true;
    }
    if (!maybeFlow || blank) continue;
    if (!open && !/["'[{]/.test(line)) {
      // Nothing can open here: only a block scalar header and where documents start matter.
      if (isMarkerLine(line)) documentStart = true;
      else if (!content.startsWith('#') && !content.startsWith('%')) documentStart = false;
      if ((line.includes('|') || line.includes('>')) && BLOCK_HEADER.test(line)) blockIndent = indent;
      continue;
    }
    if (open) {
      if (indent <= required || /^[ ]*\t/.test(line) || documentMarkerAt(line)) return true;
    }
    let i = quote !== '' ? 0 : indent;
    let scalarMayStart = true;
    let keyColumn = indent - 1; // what a multi-line value opened on this line must be indented past
    let tokenColumn = indent;
    if (!open && documentMarkerAt(line)) {
      i = 3;
      documentStart = true;
    }
    while (i < line.length) {
      if (quote !== '') {
        let j = i;
        while (j < line.length && line[j] !== quote) j += quote === '"' && line[j] === '\\' ? 2 : 1;
        if (j >= line.length) break; // still open
        if (quote === "'" && line[j + 1] === "'") {
          i = j + 2;
          continue;
        }
        quote = '';
        i = j + 1;
        scalarMayStart = false;
        continue;
      }
      const c = line[i]!;
      if (space(c)) {
        i++;
        continue;
      }
      if (c === '#' && space(line[i - 1])) break;
      if (c === '%' && i === 0 && flowDepth === 0) break; // a directive
      const first = documentStart;
      documentStart = false;
      if ((c === '"' || c === "'") && scalarMayStart) {
        if (flowDepth === 0) required = keyColumn;
        tokenColumn = i;
        quote = c;
        i++;
        continue;
      }
      if ((c === '[' || c === '{') && scalarMayStart) {
        if (flowDepth === 0) required = first ? -1 : keyColumn;
        flowDepth++;
        i++;
        continue;
      }
      if (c === ']' || c === '}') {
        if (flowDepth > 0) flowDepth--;
        scalarMayStart = false;
        i++;
        continue;
      }
      if (c === ':' && i > 1024 && (flowDepth > 0 || space(line[i + 1]))) return true; // a key may be too long
      if (c === ',' || (c === ':' && flowDepth > 0)) {
        scalarMayStart = true;
        i++;
        continue;
      }
      if ((c === '-' || c === ':' || c === '?') && space(line[i + 1])) {
        if (flowDepth === 0) keyColumn = c === ':' ? Math.max(keyColumn, tokenColumn) : i;
        scalarMayStart = true;
        i++;
        continue;
      }
      // A property (anchor, tag) keeps the place open for a scalar; anything else is a plain scalar
      // or an alias, which ends at a space, a flow indicator or a `: `.
      if (c !== '&' && c !== '!') tokenColumn = i;
      scalarMayStart = c === '&' || c === '!';
      i++;
      while (i < line.length && !space(line[i]) && !',[]{}'.includes(line[i]!) && !(line[i] === ':' && (space(line[i + 1]) || flowDepth > 0))) i++;
    }
    if (quote === '' && flowDepth === 0 && BLOCK_HEADER.test(line)) blockIndent = indent;
  }
  return false;
}
