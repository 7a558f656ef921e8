/**
 * A plugin whose rules report a message id their `meta.messages` lacks (a misspelling that
 * TypeScript's `defineRule` would have caught): one in `check`, one in `crossCheck`.
 */
export const rules = [
  {
    meta: { id: 'typo/in-check', description: 'd', defaultSeverity: 'warning', messages: { missing: 'Pod has no owner.' }, options: { type: 'object' } },
    check(ctx) {
      if (ctx.object.ref.kind === 'Pod') ctx.report({ messageId: 'mising', path: ['metadata'] });
    },
  },
  {
    meta: { id: 'typo/in-cross-check', description: 'd', defaultSeverity: 'warning', messages: { lonely: 'A lonely pod.' }, options: { type: 'object' } },
    check(ctx) {
      if (ctx.object.ref.kind === 'Pod') ctx.defer({ name: ctx.object.ref.name });
    },
    crossCheck(facts, ctx) {
      for (const { origin } of facts) ctx.report({ origin, messageId: 'lonley', path: ['metadata'] });
    },
  },
];
