/**
 * Ignore patterns, read like .gitignore lines: relative to a base directory; a pattern without a `/`
 * matches a file or directory name at any depth; a pattern that matches a directory ignores
 * everything under it. `*` and `?` stay within one path segment, `**` crosses segments, `{a,b}`
 * alternates.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import path from 'node:path';

function globSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) {
        out += '\\{';
        continue;
      }
      out += `(?:${pattern
        .slice(i + 1, close)
        .split(',')
        .map((alt) => globSource(alt))
        .join('|')})`;
      i = close;
    } else {
      out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}

function ignoreMatcher(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, '/');
  // `./generated/` and `/generated/` name the directory beside the config file, like `a/generated/`.
  const explicit = p.startsWith('./') || p.startsWith('/');
  if (p.startsWith('./')) p = p.slice(2);
  const anchored = explicit || p.replace(/\/$/, '').includes('/');
  p = p.replace(/^\//, '').replace(/\/$/, '');
  const body = globSource(p);
  return new RegExp(anchored ? `^${body}(?:/.*)?$` : `(?:^|.*/)${body}(?:/.*)?$`);
}

export interface IgnoreRule {
  base: string;
  pattern: string;
  regex: RegExp;
}

export function ignoreRules(base: string, patterns: readonly string[]): IgnoreRule[] {
  return patterns.map((pattern) => ({ base, pattern, regex: ignoreMatcher(pattern) }));
}

/** Whether an absolute path is ignored by any rule (paths outside a rule's base are not matched by it). */
export function isIgnored(absolute: string, rules: readonly IgnoreRule[]): boolean {
  for (const r of rules) {
    const rel = path.relative(r.base, absolute);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (r.regex.test(rel.split(path.sep).join('/'))) return true;
  }
  return false;
}
