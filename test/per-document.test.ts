/**
 * A file of several documents that the fast path cannot read as a whole is linted a document at a
 * time (src/lint-chunks.ts): only the documents that need the exact parser take it. The findings,
 * stats and facts must be those of the whole file on the exact path, wherever the odd document is.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { DEFAULT_SETTINGS, lintText, type LintOptions } from '../src/engine.js';
import { lintTextInParts } from '../src/lint-chunks.js';

const rules = builtinRules.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: {} }));
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
