/**
 * The rules of one `.gitignore` file, matched without testing every rule against every path
 * (report B21: a generated 20,000-line `.gitignore` made a walk of 3,000 manifests take 49 s).
 *
 * Git's rules: the last matching rule wins (a `!` rule re-includes); a rule with a `/` at its start
 * or in its middle is relative to the file's directory, one without matches the name at any depth;
 * a trailing `/` matches directories only; `*` and `?` stay within a name, `[…]` is a character class,
 * `**` crosses directories at the start (`**\/x`), the end (`x/**`) and the middle (`a/**\/b`); a
 * backslash escapes the next character. Matching is case-insensitive, as globby (and so sidecar-lint's
 * earlier walk) did. An entry is tested on its own: the walk never enters an ignored directory, so
 * what is inside one is never asked about.
 *
 * Rules without wildcards (what generated files are made of) are looked up in a hash by path or by
 * name: O(1) whatever their number. Only wildcard rules are tested one by one, newest first, and
 * only those newer than the newest matching plain rule; with many of them, one combined expression
 * first tells whether any matches at all.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */

interface Rule {
  index: number;
  negative: boolean;
  directoryOnly: boolean;
}

interface GlobRule extends Rule {
  regex: RegExp;
  /** Whether it is matched against the whole relative path (else against the name). */
  anchored: boolean;
}

export interface IgnoreVerdict {
  ignored: boolean;
  unignored: boolean;
}

const NONE: IgnoreVerdict = { ignored: false, unignored: false };

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A character class `[…]` starting at `i`, as a regex class and the index after it, or undefined. */
function charClass(pattern: string, i: number): { source: string; next: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  let first = true;
  for (; j < pattern.length; j++) {
    const c = pattern[j]!;
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, next: j + 1 };
    first = false;
    if (c === '\\' && j + 1 < pattern.length) {
      body += escapeRegex(pattern[++j]!);
    } else if (c === '-' && body !== '' && pattern[j + 1] !== ']') {
      body += '-';
    } else if (c === '/') {
      return undefined;
    } else {
      body += escapeRegex(c);
    }
  }
  return undefined;
}

/** The regex source of a pattern body (no `!`, no leading or trailing `/`). */
function patternSource(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      if (i + 1 < body.length) out += escapeRegex(body[++i]!);
      continue;
    }
    if (c === '*') {
      let end = i;
      while (body[end + 1] === '*') end++;
      const atStart = i === 0 || body[i - 1] === '/';
      const atEnd = end === body.length - 1 || body[end + 1] === '/';
      if (end > i && atStart && atEnd) {
        // `**`: any number of directories.
        if (end === body.length - 1) out += '.*';
        else {
          out += '(?:.*/)?';
          end++; // the `/` after it
        }
      } else {
        out += '[^/]*';
      }
      i = end;
      continue;
    }
    if (c === '?') {
      out += '[^/]';
      continue;
    }
    if (c === '[') {
      const cls = charClass(body, i);
      if (cls) {
        out += cls.source;
        i = cls.next - 1;
        continue;
      }
    }
    out += escapeRegex(c);
  }
  return out;
}

export class IgnoreFile {
  private readonly byPath = new Map<string, Rule[]>();
  private readonly byName = new Map<string, Rule[]>();
  private readonly globs: GlobRule[] = [];
  private anyGlob: RegExp | undefined;

  constructor(lines: readonly string[]) {
    lines.forEach((line, index) => this.add(line, index));
    if (this.globs.length > 16) {
      // One pass over every wildcard rule: for a path that none matches (the common case), no loop.
      this.anyGlob = new RegExp(
        this.globs.map((g) => (g.anchored ? `(?:^${g.regex.source.slice(1, -1)}$)` : `(?:(?:^|/)${g.regex.source.slice(1, -1)}$)`)).join('|'),
        'i',
      );
    }
  }

  get size(): number {
    return this.globs.length + [...this.byPath.values(), ...this.byName.values()].reduce((n, l) => n + l.length, 0);
  }

  private add(raw: string, index: number): void {
    let line = raw;
    if (line === '' || line.startsWith('#')) return;
    const negative = line.startsWith('!');
    if (negative) line = line.slice(1);
    const directoryOnly = line.endsWith('/') && !line.endsWith('\\/');
    if (directoryOnly) line = line.replace(/\/+$/, '');
    if (line === '') return;
    const anchored = line.slice(0, -1).includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') return;
    const rule: Rule = { index, negative, directoryOnly };
    if (!/[*?[\\]/.test(line) && !line.includes('//')) {
      const key = line.toLowerCase();
      const map = anchored ? this.byPath : this.byName;
      const list = map.get(key);
      if (list) list.push(rule);
      else map.set(key, [rule]);
      return;
    }
    this.globs.push({ ...rule, anchored, regex: new RegExp(`^${patternSource(line)}$`, 'i') });
  }

  /** The verdict of the last rule that matches `relative` (`/`-separated, relative to the file's directory). */
  test(relative: string, directory: boolean): IgnoreVerdict {
    const name = relative.slice(relative.lastIndexOf('/') + 1);
    let best: Rule | undefined;
    const consider = (list: readonly Rule[] | undefined) => {
      for (const r of list ?? []) if ((!r.directoryOnly || directory) && (!best || r.index > best.index)) best = r;
    };
    if (this.byPath.size > 0) consider(this.byPath.get(relative.toLowerCase()));
    if (this.byName.size > 0) consider(this.byName.get(name.toLowerCase()));
    if (this.globs.length > 0 && (!this.anyGlob || this.anyGlob.test(relative))) {
      for (let i = this.globs.length - 1; i >= 0; i--) {
        const g = this.globs[i]!;
        if (best && g.index < best.index) break;
        if (g.directoryOnly && !directory) continue;
        if (g.regex.test(g.anchored ? relative : name)) {
          best = g;
          break;
        }
      }
    }
    if (!best) return NONE;
    return best.negative ? { ignored: false, unignored: true } : { ignored: true, unignored: false };
  }
}
