/** A plugin whose rule defers a fact that is not plain data (a function). */
export const rules = [
  {
    meta: { id: 'bad/function-fact', description: 'd', defaultSeverity: 'info', messages: { m: 'm' }, options: { type: 'object' } },
    check(ctx) {
      ctx.defer?.({ name: ctx.object.ref.name, callback: () => 1 });
    },
    crossCheck() {},
  },
];
