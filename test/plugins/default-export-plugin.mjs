/** A plugin that exports its rules as `export default { rules }`. */
export default {
  rules: [
    {
      meta: {
        id: 'other/no-host-network',
        description: 'Pods do not use the host network.',
        defaultSeverity: 'error',
        messages: { hostNetwork: 'Pod uses the host network.' },
        options: { type: 'object' },
      },
      check(ctx) {
        if (ctx.workload?.podSpec.hostNetwork === true) ctx.report({ messageId: 'hostNetwork', path: [...ctx.workload.podSpecPath, 'hostNetwork'] });
      },
    },
  ],
};
