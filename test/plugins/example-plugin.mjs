/**
 * A sidecar-lint plugin for the tests: rules with the same shape as the built-in ones
 * (`{ meta, check }`), plain data in, paths out.
 */
const asMap = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/** Every object names its owner in an annotation (which one is an option). */
const requireOwner = {
  meta: {
    id: 'acme/require-owner',
    description: 'Every object names its owning team in an annotation.',
    defaultSeverity: 'warning',
    messages: {
      missing: {
        message: '{{kind}} "{{name}}" has no "{{annotation}}" annotation naming its owner.',
        hint: 'Add the "{{annotation}}" annotation with the name of the owning team.',
      },
    },
    options: {
      type: 'object',
      properties: { annotation: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    },
    defaultOptions: { annotation: 'acme.example/owner' },
  },
  check(ctx) {
    const metadata = asMap(ctx.object.value.metadata) ?? {};
    const annotation = ctx.options.annotation ?? 'acme.example/owner';
    if (typeof asMap(metadata.annotations)?.[annotation] === 'string') return;
    ctx.report({
      messageId: 'missing',
      path: ['metadata'],
      data: { kind: ctx.object.ref.kind ?? '?', name: ctx.object.ref.name ?? '?', annotation },
    });
  },
};

/** A pod holds at most `max` long-running containers. */
const maxContainers = {
  meta: {
    id: 'acme/max-containers',
    description: 'A pod holds at most a few long-running containers.',
    defaultSeverity: 'error',
    messages: { tooMany: 'Container "{{container}}" is long-running container number {{count}}; at most {{max}} are allowed.' },
    options: { type: 'object', properties: { max: { type: 'integer', minimum: 1 } }, additionalProperties: false },
    defaultOptions: { max: 2 },
  },
  check(ctx) {
    if (!ctx.workload) return;
    const max = ctx.options.max ?? 2;
    ctx.workload.longRunning.forEach((c, i) => {
      if (i >= max) ctx.report({ messageId: 'tooMany', path: c.path, container: c, data: { container: c.name, count: i + 1, max } });
    });
  },
};

export const rules = [requireOwner, maxContainers];
