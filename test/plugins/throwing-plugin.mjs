/** A plugin whose rule throws on every object. */
export const rules = [
  {
    meta: { id: 'bad/throws', description: 'd', defaultSeverity: 'info', messages: { m: 'm' }, options: { type: 'object' } },
    check() {
      throw new Error('boom');
    },
  },
];
