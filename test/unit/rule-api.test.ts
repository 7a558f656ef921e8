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
import { forgetMessageValues, formatMessage, messageTemplate, templatesHoldingValues, type AnyRule } from '../../src/rule.js';
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

describe('formatMessage (templates compiled once, the last text given again while its values repeat)', () => {
  /** What formatMessage gave before it compiled templates (for names without characters to escape). */
  const reference = (template: string, data: Record<string, string | number>) =>
    template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (Object.hasOwn(data, key) ? String(data[key]) : whole));
  const template = 'Key "{{key}}" of {{ name }} in {{key}}{{missing}}, {{n}}.';
  it.each([
    [{ key: 'a', name: 'x', n: 1 }],
    [{ key: 'a', name: 'x', n: 1 }],
    [{ key: 'b', name: 'x', n: 1 }],
    [{ key: 'b', name: 'x', n: 2 }],
    [{ key: 'b', name: 'x' }],
    [{ key: 'b', name: 'x', missing: 'now' }],
    [{ key: 'b', name: 'x' }],
    [{ key: '', name: '' }],
  ] as Record<string, string | number>[][])('fills %j as the template replace did', (data) => {
    expect(formatMessage(template, data)).toBe(reference(template, data));
  });

  it('escapes what a name could forge, with or without data, and a template without placeholders as it is', () => {
    expect(formatMessage(template, { key: 'a\nb', name: 'x', n: 3 })).toBe('Key "a\\x0ab" of x in a\\x0ab{{missing}}, 3.');
    expect(formatMessage('No placeholder.', { key: 'a' })).toBe('No placeholder.');
    expect(formatMessage(template, undefined)).toBe(template);
  });

  it('forgets the values it last filled in (they may be slices of a file) and fills the same text after', () => {
    const text = 'x'.repeat(1000) + 'SECRET_KEY';
    const filled = formatMessage(template, { key: text.slice(1000), name: 'x', n: 1 });
    expect(templatesHoldingValues()).toBeGreaterThan(0);
    forgetMessageValues();
    expect(templatesHoldingValues()).toBe(0);
    expect(formatMessage(template, { key: 'SECRET_KEY', name: 'x', n: 1 })).toBe(filled);
  });

  it("messageTemplate gives the rule's message and hint, whichever way written", () => {
    expect(messageTemplate(misspelt, 'missing')).toEqual({ message: 'Missing.' });
    expect(messageTemplate(misspelt, 'other')).toEqual({ message: 'O.', hint: 'H.' });
    expect(messageTemplate(misspelt, 'other')).toEqual({ message: 'O.', hint: 'H.' });
    expect(() => messageTemplate(misspelt, 'mising')).toThrow('not in its meta.messages');
  });
});
