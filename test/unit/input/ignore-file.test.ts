/**
 * `.gitignore` rules (src/input/ignore-file.ts): git's matching, and B21 (issue 14): matching is not
 * rules × files. The walk as a whole is compared with globby on random trees in discover-speed.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { IgnoreFile } from '../../../src/input/ignore-file.js';
import { expectLinear } from '../../support/growth.js';

function verdict(lines: string[], relative: string, directory = false): string {
  const v = new IgnoreFile(lines).test(relative, directory);
  return v.ignored ? 'ignored' : v.unignored ? 'unignored' : 'none';
}

describe('IgnoreFile', () => {
  it.each([
    // [rules, path, directory, verdict]
    [['a.yaml'], 'a.yaml', false, 'ignored'],
    [['a.yaml'], 'x/y/a.yaml', false, 'ignored'],
    [['A.YAML'], 'x/a.yaml', false, 'ignored'],
    [['/a.yaml'], 'x/a.yaml', false, 'none'],
    [['x/a.yaml'], 'x/a.yaml', false, 'ignored'],
    [['x/a.yaml'], 'y/x/a.yaml', false, 'none'],
    [['build/'], 'build', false, 'none'],
    [['build/'], 'build', true, 'ignored'],
    [['build/'], 'src/build', true, 'ignored'],
    [['*.yaml'], 'deep/x.yaml', false, 'ignored'],
    [['*.yaml', '!keep.yaml'], 'keep.yaml', false, 'unignored'],
    [['!keep.yaml', '*.yaml'], 'keep.yaml', false, 'ignored'],
    [['keep.yaml', '!*.yaml'], 'keep.yaml', false, 'unignored'],
    [['gen/*'], 'gen/a.yaml', false, 'ignored'],
    [['gen/*'], 'gen', true, 'none'],
    [['gen/*'], 'gen/sub/a.yaml', false, 'none'],
    [['a/**'], 'a/b/c.yaml', false, 'ignored'],
    [['a/**'], 'a', true, 'none'],
    [['**/deep'], 'x/y/deep', true, 'ignored'],
    [['**/deep'], 'deep', true, 'ignored'],
    [['b/**/c.json'], 'b/c.json', false, 'ignored'],
    [['b/**/c.json'], 'b/x/y/c.json', false, 'ignored'],
    [['b/**/c.json'], 'x/b/c.json', false, 'none'],
    [['a?.yaml'], 'ab.yaml', false, 'ignored'],
    [['a?.yaml'], 'a/.yaml', false, 'none'],
    [['[ab].yaml'], 'b.yaml', false, 'ignored'],
    [['[!ab].yaml'], 'b.yaml', false, 'none'],
    [['[!ab].yaml'], 'c.yaml', false, 'ignored'],
    [['\\#x.yaml'], '#x.yaml', false, 'ignored'],
    [['\\!x.yaml'], '!x.yaml', false, 'ignored'],
    [['# comment'], '# comment', false, 'none'],
    [['x\\ '], 'x ', false, 'ignored'],
    [['x y/'], 'x y', true, 'ignored'],
  ] as const)('%j on %s (directory: %s): %s', (rules, relative, directory, expected) => {
    expect(verdict([...rules], relative, directory)).toBe(expected);
  });

  it('with many wildcard rules, the last matching one still wins', () => {
    const rules = Array.from({ length: 100 }, (_, i) => `gen-${i}-*.yaml`);
    expect(verdict([...rules, '!gen-7-keep.yaml'], 'gen-7-keep.yaml')).toBe('unignored');
    expect(verdict(['!gen-7-keep.yaml', ...rules], 'gen-7-keep.yaml')).toBe('ignored');
    expect(verdict(rules, 'other.yaml')).toBe('none');
  });

  it('B21: plain rules (what a generated .gitignore holds) are looked up: n rules × n files grows linearly, not quadratically', () => {
    const make = (n: number) => ({
      rules: new IgnoreFile(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `generated/file-${i}.yaml` : `cache-${i}/`))),
      paths: Array.from({ length: n }, (_, i) => `k8s/app-${i}/deployment.yaml`),
    });
    expectLinear(make, ({ rules, paths }) => {
      for (const p of paths) rules.test(p, false);
    }, 1000);
  });
});
