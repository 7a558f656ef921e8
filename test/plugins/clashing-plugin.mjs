/** A plugin that tries to replace a built-in rule. */
export const rules = [
  { meta: { id: 'uncoupled-containers', description: 'd', defaultSeverity: 'info', messages: { m: 'm' }, options: { type: 'object' } }, check() {} },
];
