/** A plugin whose rule has an options schema that does not compile. */
export const rules = [
  { meta: { id: 'bad/options', description: 'd', defaultSeverity: 'info', messages: { m: 'm' }, options: { type: 'thing' } }, check() {} },
];
