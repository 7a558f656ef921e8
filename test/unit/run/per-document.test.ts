/**
 * A file of several documents that the fast path cannot read as a whole is linted a document at a
 * time (src/run/lint-chunks.ts): only the documents that need the exact parser take it. The findings,
 * stats and facts must be those of the whole file on the exact path, wherever the odd document is.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import { lintTextInParts } from '../../../src/run/lint-chunks.js';
import { fastDocuments } from '../../../src/yaml/fast-parse.js';
import { lintOptions } from '../../support/lint.js';

const rules = lintOptions().rules;
const fast: LintOptions = { rules, settings: DEFAULT_SETTINGS };
const exact: LintOptions = { ...fast, fast: false };

const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\ndata:\n  LOG_LEVEL: info\n';
const FINDING = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaky\ndata:\n  DB_PASSWORD: hunter2-hunter2\n';
/** Documents the fast reader refuses as a whole file (each for a different reason). */
const ODD = [
  // `.inf`: Kubernetes reads a float, the exact path decides
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd-inf\ndata:\n  API_TOKEN: abcdefgh12345678\n  ratio: .inf\n',
  // a comment right after a closing quote
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "odd-quote"# c\ndata:\n  SECRET_KEY: zzzzzzzz99999999\n',
  // a YAML syntax error
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: "unterminated\n',
  // an explicit key
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd-key\ndata:\n  ? PASSWORD\n  : hunter2-hunter2\n',
  // a blank line holding a tab (Kubernetes rejects it; B18), and one it reads (past the map's column, after a plain value)
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd-tab\ndata:\n  API_TOKEN: abcdefgh12345678\n\t\n  b: x\n   \t\n  c: "y"\n',
];

function same(text: string): void {
  const whole = lintText(text, 'f.yaml', exact);
  const parts = lintTextInParts(text, 'f.yaml', fast);
  expect(JSON.stringify(parts.findings)).toBe(JSON.stringify(whole.findings));
  expect(parts.stats).toEqual(whole.stats);
  expect(JSON.stringify(parts.facts ?? [])).toBe(JSON.stringify(whole.facts ?? []));
}

describe('one odd document does not send the whole file down the exact path', () => {
  ODD.forEach((odd, n) => {
    it(`odd document ${n}, at every position among clean documents and documents with findings`, () => {
      for (let at = 0; at < 4; at++) {
        const docs = [FINDING, CLEAN, FINDING.replace('leaky', 'leaky2'), CLEAN.replace('clean', 'clean2')];
        docs.splice(at, 0, odd);
        same(docs.join('---\n'));
        // Comments before the first `---`, an empty document, comments at the end, `--- # c` separators.
        same(`# header\n\n---\n${docs.join('--- # sep\n')}---\n---\n# trailing\n`);
      }
    });
  });

  it('a file of documents each odd', () => {
    same(ODD.join('---\n'));
  });
});

describe('anchors and aliases stay on the fast path (js-yaml resolves them) with the exact path\'s findings', () => {
  const anchored = [
    // a shared env list and resources
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: x\n        env: &env\n        - name: DB_PASSWORD\n          value: hunter2-hunter2\n        resources: &res\n          limits: {cpu: 1}\n      - name: proxy\n        image: envoyproxy/envoy\n        env: *env\n        resources: *res\n',
    // an alias to a scalar
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n named\n  labels:\n    app: *n\ndata:\n  API_TOKEN: &t abcdefgh12345678\n  OTHER_TOKEN: *t\n',
    // a merge key: left to the exact path
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\ndata:\n  base: &b {x: 1}\n  more:\n    <<: *b\n    PASSWORD: hunter2-hunter2\n',
    // an alias as a key
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &k PASSWORD\ndata:\n  *k : hunter2-hunter2\n',
    // a cycle (Kubernetes rejects it)
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cyc\ndata: &d\n  self: *d\n',
    // many nodes through aliases (a small bomb, over the limit)
    `a0: &a0 [${Array(10).fill('"x"').join(',')}]\n${Array.from({ length: 5 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`).join('\n')}\n`,
  ];
  anchored.forEach((doc, n) => {
    it(`case ${n}: alone, and among other documents`, () => {
      // The first two are read fast; the rest are the exact path's to decide.
      expect(fastDocuments(doc) !== undefined).toBe(n < 2);
      for (const text of [doc, [CLEAN, doc, FINDING].join('---\n')]) {
        const a = lintText(text, 'f.yaml', exact);
        const b = lintText(text, 'f.yaml', fast);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        same(text);
      }
    });
  });
});
