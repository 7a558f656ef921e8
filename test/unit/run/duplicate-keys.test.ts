/**
 * A key written twice in a mapping (issue 18): the fast path reads on where the block reader reads
 * the text as it is, gives the later value where the earlier key stood (as the exact path reads it),
 * and reports each later key with the exact path's finding, range and fix; anything else stays the
 * exact path's. Each case: whether the fast path took the text, and the whole output against the
 * exact path's.
 */
import { describe, expect, it } from 'vitest';
import { lintText, lintTextFast } from '../../../src/run/engine.js';
import { fastDocuments, type DuplicateKey } from '../../../src/yaml/fast-parse.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { lintOptions } from '../../support/lint.js';

const rules = lintOptions().rules;
const options = { rules, settings: DEFAULT_SETTINGS };

const pod = (containers: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${containers}`;
const SECRET_ENV = '  - name: app\n    image: nginx:1.27\n    env:\n    - name: DB_PASSWORD\n      value: hunter2-hunter2-x9\n';

function exactOf(text: string, extra: object = {}) {
  return lintText(text, 'x.yaml', { ...options, ...extra, fast: false });
}

describe('duplicate keys on the fast path', () => {
  it.each([
    ['a top-level key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nkind: ConfigMap\n'],
    ['a nested key, quoted the second time', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  "name": d\n'],
    ['three times: two findings', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\n  name: e\n'],
    ['in a flow mapping', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, name: d}\n'],
    ['in a container, beside a finding located through it', pod(SECRET_ENV.replace('    image: nginx:1.27\n', '    image: nginx:1.27\n    image: nginx:1.28\n'))],
    ['the key a finding is on', pod(SECRET_ENV.replace('      value: hunter2-hunter2-x9\n', '      value: x\n      value: hunter2-hunter2-x9\n'))],
    ['in the second document, a finding in the first', `${pod(SECRET_ENV)}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\n`],
    ['after a byte order mark', '\ufeffapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\n'],
  ])('%s: read on, the exact path\'s output', (_name, text) => {
    const exact = exactOf(text);
    expect(exact.findings.some((f) => f.ruleId === 'duplicate-key')).toBe(true);
    const fast = lintTextFast(text, 'x.yaml', options);
    expect(fast).toBeDefined();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(exact));
  });

  it.each([
    ['CR LF line breaks', 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\n  name: d\r\n'],
    ['an anchor in the text', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n c\n  name: d\nx: *n\n'],
    ['a key written twice in an earlier value the later one replaced', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\nmetadata:\n  name: e\n'],
  ])('%s: the exact path\'s', (_name, text) => {
    const exact = exactOf(text);
    expect(exact.findings.some((f) => f.ruleId === 'duplicate-key')).toBe(true);
    expect(lintTextFast(text, 'x.yaml', options)).toBeUndefined();
    expect(JSON.stringify(lintText(text, 'x.yaml', options))).toBe(JSON.stringify(exact));
  });

  it('lists each later key with the path to its mapping, by document and offset', () => {
    const text = 'a:\n  b: 1\n  b: 2\n  c: {d: 1, d: 2}\na: 3\n---\n- x: 1\n  x: 2\n';
    // `a`'s earlier value is gone: its keys written twice cannot be named by a path of the value.
    expect(fastDocuments(text, [])).toBeUndefined();
    const kept = 'a:\n  b: 1\n  b: 2\n  c: {d: 1, d: 2}\n---\n- x: 1\n  x: 2\n';
    const listed: DuplicateKey[] = [];
    expect(fastDocuments(kept, listed)).toEqual([{ a: { b: 2, c: { d: 2 } } }, [{ x: 2 }]]);
    expect(listed).toEqual([
      { document: 0, offset: kept.indexOf('b: 2'), key: 'b', path: ['a'] },
      { document: 0, offset: kept.indexOf('d: 2'), key: 'd', path: ['a', 'c'] },
      { document: 1, offset: kept.indexOf('x: 2'), key: 'x', path: [0] },
    ]);
    // Without the list asked for, the text is the exact path's.
    expect(fastDocuments(kept)).toBeUndefined();
  });

  it('the later value stands where the earlier key stood, as on the exact path', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: 1\n  b: 2\n  a: 3\n';
    const values = fastDocuments(text, []) as [{ data: Record<string, unknown> }];
    expect(Object.entries(values[0].data)).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('with duplicate-key off, no finding either way', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\n';
    const off = { syntaxSeverity: { 'duplicate-key': 'off' as const } };
    const fast = lintTextFast(text, 'x.yaml', { ...options, ...off });
    expect(fast?.findings).toEqual([]);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(exactOf(text, off)));
  });
});
