/**
 * A file with suppressions stays on the fast path (issue 18: one comment sent a whole file, however
 * large, to the exact path): comment directives applied to the located findings by line, and the
 * documents whose suppression annotations are reported (no reason, or unused when asked) located
 * even when nothing else in them is. Each case: the findings (rule and line) and the same result as
 * the exact path.
 */
import { describe, expect, it } from 'vitest';
import { lintText, lintTextFast } from '../../../src/run/engine.js';
import { lintOptions } from '../../support/lint.js';

const cm = (name: string, data: string[], annotations: string[] = []) =>
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, ...(annotations.length > 0 ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : []), 'data:', ...data.map((d) => `  ${d}`)].join('\n') + '\n';

const CASES: [string, string][] = [
  ['a disable-next-line over a finding', cm('a', ['# sidecar-lint-disable-next-line configmap-sensitive-data -- rotated weekly', 'DB_PASSWORD: hunter2-hunter2'])],
  ['a disable block in the second document, not in the first', [cm('a', ['DB_PASSWORD: hunter2-hunter2']), cm('b', ['# sidecar-lint-disable configmap-sensitive-data -- test data', 'DB_PASSWORD: hunter2-hunter2', '# sidecar-lint-enable configmap-sensitive-data', 'API_TOKEN: abcdefgh12345678abcd'])].join('---\n')],
  ['a directive without a reason, in a document with no finding', [cm('a', ['DB_PASSWORD: hunter2-hunter2']), cm('b', ['# sidecar-lint-disable-next-line all', 'LOG_LEVEL: info'])].join('---\n')],
  ['an unused directive at the end of the file', cm('a', ['LOG_LEVEL: info', '# sidecar-lint-disable-next-line configmap-sensitive-data -- nothing here'])],
  ['an annotation with a reason, on a finding', cm('a', ['DB_PASSWORD: hunter2-hunter2'], ['ignore.sidecar-lint.io/configmap-sensitive-data: "rotated weekly"'])],
  ['an annotation without a reason, in a document with no finding', [cm('a', ['DB_PASSWORD: hunter2-hunter2']), cm('b', ['LOG_LEVEL: info'], ['ignore.sidecar-lint.io/all: ""'])].join('---\n')],
  ['an unused annotation, in a document with no finding', [cm('a', ['LOG_LEVEL: info'], ['ignore.sidecar-lint.io/configmap-sensitive-data: "never used"']), cm('b', ['DB_PASSWORD: hunter2-hunter2'])].join('---\n')],
];

/** What each case gives (rule@line, suppressed ones marked), without and with unused suppressions reported. */
const EXPECTED: Record<string, [string[], string[]]> = {
  'a disable-next-line over a finding': [['configmap-sensitive-data@7 (comment)'], ['configmap-sensitive-data@7 (comment)']],
  'a disable block in the second document, not in the first': [
    ['configmap-sensitive-data@6', 'configmap-sensitive-data@14 (comment)', 'configmap-sensitive-data@16'],
    ['configmap-sensitive-data@6', 'configmap-sensitive-data@14 (comment)', 'configmap-sensitive-data@16'],
  ],
  'a directive without a reason, in a document with no finding': [
    ['configmap-sensitive-data@6', 'suppression-without-reason@13'],
    ['configmap-sensitive-data@6', 'suppression-without-reason@13'],
  ],
  'an unused directive at the end of the file': [[], ['unused-suppression@7']],
  'an annotation with a reason, on a finding': [['configmap-sensitive-data@8 (annotation)'], ['configmap-sensitive-data@8 (annotation)']],
  'an annotation without a reason, in a document with no finding': [
    ['configmap-sensitive-data@6', 'suppression-without-reason@13'],
    ['configmap-sensitive-data@6', 'suppression-without-reason@13'],
  ],
  'an unused annotation, in a document with no finding': [['configmap-sensitive-data@15'], ['unused-suppression@6', 'configmap-sensitive-data@15']],
};

describe('suppressions on the fast path', () => {
  for (const [name, text] of CASES) {
    it(name, () => {
      const seen: string[][] = [];
      for (const reportUnusedSuppressions of [false, true]) {
        const options = { ...lintOptions({ only: ['configmap-sensitive-data'] }), reportUnusedSuppressions };
        const fast = lintTextFast(text, 'f.yaml', options);
        expect(fast).toBeDefined();
        expect(JSON.stringify(fast)).toBe(JSON.stringify(lintText(text, 'f.yaml', { ...options, fast: false })));
        seen.push(fast!.findings.map((f) => `${f.ruleId}@${f.line}${f.suppressed ? ` (${f.suppressed.kind})` : ''}`));
      }
      expect(seen).toEqual(EXPECTED[name]);
    });
  }

  it('--no-inline-suppressions: directives and annotations are text like any other', () => {
    const text = cm('a', ['# sidecar-lint-disable-next-line configmap-sensitive-data', 'DB_PASSWORD: hunter2-hunter2'], ['ignore.sidecar-lint.io/all: ""']);
    const options = { ...lintOptions({ only: ['configmap-sensitive-data'] }), inlineSuppressions: false, reportUnusedSuppressions: true };
    const fast = lintTextFast(text, 'f.yaml', options);
    expect(fast?.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['configmap-sensitive-data@9']);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(lintText(text, 'f.yaml', { ...options, fast: false })));
  });

  it('a text with a Unicode line break and a directive is left to the exact path (it keeps those breaks in its lines)', () => {
    const text = cm('a', ['# note\u2028 # sidecar-lint-disable-next-line configmap-sensitive-data -- x', 'DB_PASSWORD: hunter2-hunter2']);
    const options = lintOptions({ only: ['configmap-sensitive-data'] });
    expect(lintTextFast(text, 'f.yaml', options)).toBeUndefined();
  });
});
