/**
 * The fast path's pre-checks as they were before issue 18 made them cheaper (src/yaml/fast-parse.ts:
 * `kubeDoubt`, `needsExactPath`; src/yaml/kube-stream.ts: `ignoredAfterDocumentEnd`): the reference the new ones must agree with on every text.
 * needsExactPath here also has what issue 18 added later (a comment right after a closing quote, a `[`, `{` or flow `,`; a flow
 * collection before a `:` indicator), the same as in the fast one.
 */
import { documentMarkerAt, isMarkerLine, partStarts, type IgnoredRange } from '../../src/yaml/kube-stream.js';

const KUBE_DOUBT_PARTS = [
  String.raw`\\\/`,
  String.raw`\.(?:inf|Inf|INF|nan|NaN|NAN)\b`,
  String.raw`^[ \t]*(?:-[ \t]+)*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|\r?$)`,
  String.raw`[{,][ \t]*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t,}\]]|\r?$)`,
  String.raw`^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|\r?$)`,
  String.raw`[^\s[{,:]["']#|[\]}]#`,
  String.raw`^ *\t[ \t]*(?:#[^\n]*)?\r?$`,
];

/** KUBE_DOUBT as it was: one regular expression, tried at every position. */
export const KUBE_DOUBT_OLD = new RegExp(KUBE_DOUBT_PARTS.join('|'), 'm');

/**
 * KUBE_DOUBT as `kubeDoubt` answers it: the old expression, except that a `"` after an odd number of
 * backslashes (`\"#`, an escaped quote) is no closing quote before a comment.
 */
export const KUBE_DOUBT = new RegExp(
  KUBE_DOUBT_PARTS.map((part) => (part.startsWith('[^') ? String.raw`[^\s[{,:]'#|[^\s[{,:](?<!(?:^|[^\\])(?:\\\\)*\\)"#|[\]}]#` : part)).join('|'),
  'm',
);

const BLOCK_HEADER = /(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;

/** needsExactPath as a line scanner that slices each line. */
export function needsExactPathReference(text: string): boolean {
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
      // The closing bracket alone on a line may be indented as the key (issue 18: `yaml` allows it).
      const closing = indent === required && quote === '' && flowDepth === 1 && /^[\]}](?:[ \t]+(?:#.*)?)?\r?$/.test(content);
      if ((indent <= required && !closing) || /^[ ]*\t/.test(line) || documentMarkerAt(line)) return true;
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
        if (line[i] === '#') return true; // a comment right after the closing quote
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
        if (line[i] === '#') return true; // a comment right after `[` or `{`
        continue;
      }
      if (c === ']' || c === '}') {
        if (flowDepth > 0) {
          flowDepth--;
          // A collection as a key: a `:` indicator right after it.
          const rest = /^[ \t]*:(.?)/.exec(line.slice(i + 1));
          if (rest && (flowDepth > 0 || space(rest[1] || undefined))) return true;
        }
        scalarMayStart = false;
        i++;
        continue;
      }
      if (c === ':' && i > 1024 && (flowDepth > 0 || space(line[i + 1]))) return true; // a key may be too long
      if (c === ',' || (c === ':' && flowDepth > 0)) {
        scalarMayStart = true;
        i++;
        if (c === ',' && flowDepth > 0 && line[i] === '#') return true; // a comment right after a flow `,`
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

const MARKER_CANDIDATES = /^(?:---|\.\.\.)/gm;

/** ignoredAfterDocumentEnd as it was: marker candidates found with MARKER_CANDIDATES. */
export function ignoredAfterDocumentEndReference(original: string, text: string): IgnoredRange[] {
  if (!text.includes('...') && !text.includes('---')) return [];
  const out: IgnoredRange[] = [];
  // The parts, found only when a marker needs them (most texts have only `---` lines after line feeds).
  let starts: number[] | undefined;
  let part = 0;
  MARKER_CANDIDATES.lastIndex = 0;
  for (let m = MARKER_CANDIDATES.exec(text); m; m = MARKER_CANDIDATES.exec(text)) {
    if (!documentMarkerAt(text, m.index)) continue;
    // A `---` line at the start or after a line feed is apimachinery's business: a part start, or a
    // separator it refuses (reported by streamProblems; the document after it is still linted).
    if (m[0] === '---' && (m.index === 0 || original[m.index - 1] === '\n')) continue;
    starts ??= partStarts(original);
    while (part + 1 < starts.length && starts[part + 1]! <= m.index) part++;
    const partStart = starts[part]!;
    if (m.index === partStart) continue; // the part's own separator
    const to = starts[part + 1] ?? text.length;
    if (out.length > 0 && out[out.length - 1]!.to === to) continue; // the part is already cut
    // Only a marker after some content ends the part's first document.
    const before = text.slice(partStart, m.index).replace(/^---[^\n]*\n?/, '');
    if (!/^[ \t]*[^\s#]/m.test(before)) continue;
    const from = m.index + 3;
    if (!/\S/.test(text.slice(from, to).replace(/(^|[ \t])#[^\n]*/gm, '$1'))) continue;
    out.push({ marker: m.index, kind: m[0] === '...' ? 'end' : 'start', from, to });
  }
  return out;
}
