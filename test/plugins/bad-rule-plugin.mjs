/** A plugin whose second rule has no check function. */
export const rules = [
  { meta: { id: 'bad/fine', description: 'd', defaultSeverity: 'info', messages: { m: 'm' }, options: { type: 'object' } }, check() {} },
  { meta: { id: 'bad/no-check', description: 'd', defaultSeverity: 'info', messages: { m: 'm' }, options: { type: 'object' } } },
];
