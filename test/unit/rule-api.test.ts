/**
 * The rule API at run time: a reported message id must be one of the rule's messages (a misspelling
 * stops the run, naming the rule, rather than printing the id as the message), and findings carry
 * their message id. The compile-time side (defineRule's types, published as `sidecar-lint/rule`) is
 * test/plugin-api/*.ts, compiled by `npm run typecheck` and, against the packed tarball, by
 * test/e2e/pack.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import type { AnyRule } from '../../src/rule.js';
import { lint } from '../support/lint.js';

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: hunter2-CANARY-value\n';

/** A rule as plain JavaScript would write it: no types to catch the misspelt id. */
const misspelt: AnyRule = {
  meta: { id: 'test/misspelt', description: 'd', defaultSeverity: 'warning', messages: { missing: 'Missing.', other: { message: 'O.', hint: 'H.' } }, options: { type: 'object' } },
  check(ctx) {
    ctx.report({ messageId: 'mising', path: ['metadata'] });
  },
};

describe('a reported messageId', () => {
  for (const fast of [true, false]) {
    it(`that the rule's meta.messages lacks throws, naming the rule, the id and the ids it has (${fast ? 'fast' : 'exact'} path)`, () => {
      const options = { rules: [{ rule: misspelt, severity: 'warning' as const, options: {} }], settings: DEFAULT_SETTINGS, fast };
      expect(() => lintText(CONFIGMAP, 'cm.yaml', options)).toThrow('rule "test/misspelt" reported messageId "mising", which is not in its meta.messages ("missing", "other")');
    });
  }

  it('is carried by the finding', () => {
    expect(lint(CONFIGMAP).map((f) => `${f.ruleId}/${f.messageId}`)).toEqual(['configmap-sensitive-data/key']);
  });
});
