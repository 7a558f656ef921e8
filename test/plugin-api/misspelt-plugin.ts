/**
 * What the published rule API refuses at compile time. Each `@ts-expect-error` must meet an error
 * (tsc reports one that does not), so `npm run typecheck` fails if the types stop catching these;
 * test/e2e/pack.test.ts also compiles this file without the directives and checks the errors' text.
 */
import { defineRule } from 'sidecar-lint/rule';

interface Fact {
  name: string;
}

export const misspeltInCheck = defineRule({
  meta: { id: 'typo/check', description: 'd', defaultSeverity: 'warning', messages: { missing: 'Missing.' }, options: { type: 'object' } },
  check(ctx) {
    // @ts-expect-error a message id that meta.messages lacks
    ctx.report({ messageId: 'mising', path: [] });
  },
});

export const misspeltInCrossCheck = defineRule<'lonely', Record<string, never>, Fact>({
  meta: { id: 'typo/cross', description: 'd', defaultSeverity: 'warning', messages: { lonely: 'Lonely.' }, options: { type: 'object' } },
  check(ctx) {
    ctx.defer({ name: 'a' });
    // @ts-expect-error a fact of another type than the rule's
    ctx.defer({ name: 1 });
  },
  crossCheck(facts, ctx) {
    // @ts-expect-error a message id that meta.messages lacks, in a cross-check
    for (const { origin } of facts) ctx.report({ origin, messageId: 'lonley', path: [] });
  },
});

export const deferWithoutCrossCheck = defineRule({
  meta: { id: 'typo/defer', description: 'd', defaultSeverity: 'warning', messages: { m: 'M.' }, options: { type: 'object' } },
  check(ctx) {
    // @ts-expect-error a rule without a crossCheck has nothing to defer to
    ctx.defer({ name: 'a' });
  },
});

export const optionTypes = defineRule({
  meta: { id: 'typo/options', description: 'd', defaultSeverity: 'warning', messages: { m: 'M.' }, options: { type: 'object' }, defaultOptions: { max: 2 } },
  check(ctx) {
    // @ts-expect-error an option of another type than its default
    const max: string = ctx.options.max;
    // @ts-expect-error an option the defaults do not have
    void ctx.options.maximum;
    void max;
  },
});

export const missingMessage = defineRule<'a' | 'b'>({
  // @ts-expect-error meta.messages lacks a declared message id
  meta: { id: 'typo/messages', description: 'd', defaultSeverity: 'warning', messages: { a: 'A.' }, options: { type: 'object' } },
  check() {},
});
