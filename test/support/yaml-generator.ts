/**
 * Manifest-like YAML texts from a seeded generator, and small mutations of texts, for differential
 * tests of the fast readers against js-yaml: scalars Kubernetes reads differently, quoting, block
 * scalars, flow collections, comments, documents, and the characters that break them.
 */
/** Keys of the subset (a few repeat, as duplicates), and keys outside it or that js-yaml reads otherwise. */
const KEYS = ['name', 'image', 'app.kubernetes.io/name', 'a b', 'x-y', '"quoted"', "'single'", 'k8s', 'a#b', '-x', '"a:b"', 'ports', 'env', 'value', 'b', 'c', 'd', 'e'];
const ODD_KEYS = ['1', 'yes', 'null', '<<', '__proto__', 'name', '"__proto__"', '? q', '&k key', '[a]', '{}'];
/** Scalars Kubernetes resolves, plain or quoted, flow collections; then scalars and collections outside the subset or invalid. */
const SCALARS = [
  'nginx:1.25', 'yes', 'No', 'on', '0x1F', '0o17', '0644', '08', '1_000', '-0', '+0', '.5', '1.', '1e3', '-1e-3', '1e400', '~', 'null', 'Null', '',
  'foo bar', 'a#b', 'a #c', 'http://h:80/p', '2024-01-01T00:00:00Z', '-x', '?x', ':x', 'a:b', '"q"', '"t\\tq"', '"\\x41\\u00e9"', '"a\\"b"',
  "'it''s'", "''", '""', '[]', '{}', '[a, b]', '[1, "2", [3]]', '{a: 1, b: [x]}', '{a, b: }', '{ }', '.inf', '-.INF', '.NaN', '1:20',
  '12345678901234567890', '0b12', 'true', 'FALSE', 'x,y', 'x]', '<<', '"open', "'open", '"esc\\t',
];
const ODD_SCALARS = ['-', '?', 'a: b', '&a x', '*a', '!t x', '@x', '`x`', '"\\q"', '[a: b]', '[a, , b]', '%x', '"\\', "'x", '{a: 1, a: 2}'];
const CONTINUATIONS = ['end"', "end'", 'x\\"y"', "'' z'", 'p\\', '" k: v', 'more words', 'x', '- y', 'k: v', '# c', 'a #b', ': z', '*q', '"q"', '1', 'yes', 'a\tb', '--- x'];
const BLOCK_LINES = ['text', '  more', '', '#not a comment', '- not an item', 'key: not a key', 'a\ttab', '   ', '\tindented with a tab'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/** Mostly from `usual`, sometimes from `odd`. */
function mostly(rnd: () => number, usual: readonly string[], odd: readonly string[]): string {
  return rnd() < 0.04 ? pick(rnd, odd) : pick(rnd, usual);
}

/** A manifest-like text: mappings, sequences, scalars, block scalars, comments, documents. */
export function generate(rnd: () => number): string {
  const lines: string[] = [];
  const node = (indent: number, depth: number): void => {
    const pad = ' '.repeat(indent);
    const entries = 1 + Math.floor(rnd() * 4);
    const asSequence = rnd() < 0.3;
    for (let e = 0; e < entries; e++) {
      const r = rnd();
      const head = asSequence ? `${pad}- ` : `${pad}${mostly(rnd, KEYS, ODD_KEYS)}:`;
      if (rnd() < 0.1) lines.push(`${' '.repeat(Math.floor(rnd() * (indent + 3)))}# comment`);
      if (rnd() < 0.05) lines.push('');
      if (r < 0.45 || depth > 3) {
        lines.push(`${head}${asSequence ? '' : ' '}${mostly(rnd, SCALARS, ODD_SCALARS)}${rnd() < 0.1 ? ' # c' : ''}`);
        // Sometimes continued over more lines (a multi-line plain scalar, or a line that breaks the structure).
        if (rnd() < 0.15) {
          const more = 1 + Math.floor(rnd() * 2);
          for (let k = 0; k < more; k++) {
            if (rnd() < 0.2) lines.push('');
            lines.push(`${' '.repeat(indent + Math.floor(rnd() * 4))}${pick(rnd, CONTINUATIONS)}`);
          }
        }
      } else if (r < 0.55) {
        const header = mostly(rnd, ['|', '>', '|-', '>-', '|+', '>+', '| # c'], ['|2', '|-+', '| x']);
        lines.push(`${head}${asSequence ? '' : ' '}${header}`);
        const content = indent + 2 + Math.floor(rnd() * 2);
        const count = Math.floor(rnd() * 4);
        for (let k = 0; k < count; k++) {
          const line = pick(rnd, BLOCK_LINES);
          lines.push(line === '' ? '' : `${' '.repeat(content)}${line}`);
        }
      } else if (asSequence && r < 0.75) {
        // A compact mapping in the sequence entry.
        lines.push(`${head}${mostly(rnd, KEYS, ODD_KEYS)}: ${mostly(rnd, SCALARS, ODD_SCALARS)}`);
        const more = Math.floor(rnd() * 3);
        for (let k = 0; k < more; k++) lines.push(`${pad}  ${mostly(rnd, KEYS, ODD_KEYS)}: ${mostly(rnd, SCALARS, ODD_SCALARS)}`);
      } else {
        lines.push(asSequence ? `${pad}-` : head);
        const sameIndent = !asSequence && rnd() < 0.3;
        if (sameIndent) {
          const count = 1 + Math.floor(rnd() * 3);
          for (let k = 0; k < count; k++) lines.push(`${pad}- ${mostly(rnd, SCALARS, ODD_SCALARS)}`);
        } else {
          node(indent + 1 + Math.floor(rnd() * 3), depth + 1);
        }
      }
    }
  };
  const documents = 1 + Math.floor(rnd() * 3);
  for (let d = 0; d < documents; d++) {
    if (d > 0 || rnd() < 0.3) lines.push(pick(rnd, ['---', '--- # doc', '---  ']));
    if (rnd() < 0.05) {
      // A root scalar, sometimes over several lines.
      lines.push(mostly(rnd, SCALARS, ODD_SCALARS));
      for (let k = Math.floor(rnd() * 3); k > 0; k--) lines.push(`${' '.repeat(Math.floor(rnd() * 2))}${pick(rnd, CONTINUATIONS)}`);
    } else if (rnd() < 0.9) {
      node(rnd() < 0.9 ? 0 : 2, 0);
    }
  }
  return lines.join('\n') + (rnd() < 0.9 ? '\n' : '');
}

const INSERTS = [' ', '  ', '\t', ':', ': ', '-', '- ', '#', ' #', "'", '"', '|', '>', '{', '}', '[', ']', ',', '\n', '&', '*', '!', '?', '%', '\\', '\r', '---\n', '...\n', 'x', '0'];

/** A text changed a little: indentation moved, a character inserted or deleted, lines swapped or repeated. */
export function mutate(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(rnd() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * lines.length);
    const line = lines[at]!;
    const r = rnd();
    if (r < 0.3) {
      lines[at] = rnd() < 0.5 ? ` ${line}` : line.replace(/^ {1,2}/, '');
    } else if (r < 0.6) {
      const i = Math.floor(rnd() * (line.length + 1));
      lines[at] = line.slice(0, i) + pick(rnd, INSERTS) + line.slice(i);
    } else if (r < 0.75) {
      const i = Math.floor(rnd() * line.length);
      lines[at] = line.slice(0, i) + line.slice(i + 1);
    } else if (r < 0.9) {
      lines.splice(at, 0, line);
    } else {
      const other = Math.floor(rnd() * lines.length);
      [lines[at], lines[other]] = [lines[other]!, line];
    }
  }
  return lines.join('\n');
}


/**
 * A text with anchors and aliases put in: `&aN` after some keys' `: ` and dashes (before a scalar on
 * the line, or alone when the node is below), `*aN` as some later values (mostly names anchored
 * above, sometimes not, or followed by more), names sometimes set twice.
 */
export function withAnchors(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  let anchors = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^( *)(- |[^ #:][^:#]*: |[^ #:][^:#]*:$|-$)(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const [, pad, head, rest] = m as unknown as [string, string, string, string];
    const r = rnd();
    const headSpaced = head.endsWith(' ') ? head : `${head} `;
    if (r < 0.25) {
      const name = rnd() < 0.1 && anchors > 0 ? `a${Math.floor(rnd() * anchors)}` : `a${anchors++}`;
      lines[i] = `${pad}${headSpaced}&${name}${rest === '' ? '' : ' '}${rest}${rnd() < 0.05 ? ' # c' : ''}`;
    } else if (r < 0.4 && (anchors > 0 || rnd() < 0.1)) {
      const name = `a${Math.floor(rnd() * (anchors + 1))}`;
      const after = rnd() < 0.1 ? pick(rnd, [' x', ' # c', ': v', ',']) : '';
      lines[i] = `${pad}${headSpaced}*${name}${after}`;
    }
  }
  return lines.join('\n');
}

const OTHER_TAGS = ['!!str  ', '!!str', '!!int ', '!!binary ', '!t ', '! ', '!!str &t ', '!!str !!str '];

/**
 * A text with tags put in: mostly `!!str ` after some keys' `: ` and dashes (before a scalar on the
 * line, or alone when the node is below), sometimes another tag or a `!!str` with no blank after it.
 */
export function withTags(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^( *)(- |[^ #:][^:#]*: |[^ #:][^:#]*:$|-$)(.*)$/.exec(lines[i]!);
    if (!m || rnd() >= 0.3) continue;
    const [, pad, head, rest] = m as unknown as [string, string, string, string];
    const headSpaced = head.endsWith(' ') ? head : `${head} `;
    lines[i] = `${pad}${headSpaced}${rnd() < 0.9 ? '!!str ' : pick(rnd, OTHER_TAGS)}${rest}`;
  }
  return lines.join('\n');
}

/**
 * A text with merge keys put in: before some keys of block mappings, a mapping anchored under a new
 * key (`x-mN: &mN` and a few of the generator's keys below it), or a merge key `<<: *mN` of one
 * defined above (now and then a sequence of two aliases, an alias of nothing or of a scalar, or a
 * second merge key in the mapping); a merge key first in a sequence entry too.
 */
export function withMerges(rnd: () => number, text: string): string {
  const out: string[] = [];
  let defined = 0;
  let documentStart = 0; // the first name defined in this document (aliases name no other document's)
  const alias = () => (defined > documentStart && rnd() < 0.95 ? `*m${documentStart + Math.floor(rnd() * (defined - documentStart))}` : pick(rnd, ['*nope', '1', '{x: 1}', '', '[a]']));
  for (const line of text.split('\n')) {
    if (line.startsWith('---')) documentStart = defined;
    const key = /^( *)(- )?[\w.][^:#{[]*:( |$)/.exec(line);
    if (!key || rnd() >= 0.25) {
      out.push(line);
      continue;
    }
    const indent = key[1]!.length + (key[2] ? 2 : 0);
    const pad = ' '.repeat(indent);
    if (key[2]) {
      // A merge key first in the entry, its key on the next line.
      out.push(`${key[1]}- <<: ${alias()}`, `${pad}${line.slice(indent)}`);
    } else if (defined === documentStart || rnd() < 0.35) {
      out.push(`${pad}x-m${defined}: &m${defined}`);
      const keys = ['name', 'image', 'b', 'c', 'value', 'ports'].filter(() => rnd() < 0.5);
      for (const k of keys.length > 0 ? keys : ['name']) out.push(`${pad}  ${k}: ${pick(rnd, ['v', '1', 'x y', '"q"', '[a]', '{}'])}`);
      defined++;
      out.push(line);
    } else {
      if (rnd() < 0.15) out.push(`${pad}<<:`, `${pad}- ${alias()}`, `${pad}- ${alias()}`);
      else out.push(`${pad}<<: ${alias()}`);
      if (rnd() < 0.05) out.push(`${pad}<<: ${alias()}`);
      out.push(line);
    }
  }
  return out.join('\n');
}
