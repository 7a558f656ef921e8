/**
 * A plugin written against the published rule API only (`sidecar-lint/rule`, package.json
 * `exports`, types in api/): nothing from src/. `npm run typecheck` compiles it through the
 * package's self-reference; test/e2e/pack.test.ts compiles it against the installed tarball and runs it.
 */
import { defineRule, type DeferredFact } from 'sidecar-lint/rule';

/** Every object names its owner in an annotation (which one is an option, typed from its default). */
const requireOwner = defineRule({
  meta: {
    id: 'typed/require-owner',
    description: 'Every object names its owning team in an annotation.',
    defaultSeverity: 'warning',
    messages: {
      missing: { message: '{{kind}} "{{name}}" has no "{{annotation}}" annotation.', hint: 'Add the "{{annotation}}" annotation naming the owning team.' },
    },
    options: { type: 'object', properties: { annotation: { type: 'string', minLength: 1 } }, additionalProperties: false },
    defaultOptions: { annotation: 'acme.example/owner' },
  },
  check(ctx) {
    const annotation: string = ctx.options.annotation;
    const metadata = ctx.object.value.metadata as { annotations?: Record<string, unknown> } | undefined;
    if (typeof metadata?.annotations?.[annotation] === 'string') return;
    ctx.report({ messageId: 'missing', path: ['metadata'], data: { kind: ctx.object.ref.kind ?? '?', name: ctx.object.ref.name ?? '?', annotation } });
  },
});

/** What the cross-resource check needs of each pod: small, plain data. */
interface PodFact {
  name: string;
  containers: number;
}

/** At most one pod per linted set may run more than `max` containers (a fact-typed cross-check). */
const crowdedPods = defineRule<'crowded', { max: number }, PodFact>({
  meta: {
    id: 'typed/crowded-pods',
    description: 'Only one pod of the set runs many containers.',
    defaultSeverity: 'info',
    messages: { crowded: { message: 'Pod "{{name}}" runs {{count}} containers; another pod already does.', hint: 'Split it.' } },
    options: { type: 'object', properties: { max: { type: 'integer', minimum: 1 } }, additionalProperties: false },
    defaultOptions: { max: 1 },
  },
  check(ctx) {
    if (!ctx.workload) return;
    ctx.defer({ name: ctx.object.ref.name ?? '?', containers: ctx.workload.containers.length });
  },
  crossCheck(facts: readonly DeferredFact<PodFact>[], ctx) {
    const crowded = facts.filter(({ fact }) => fact.containers > ctx.options.max);
    for (const { fact, origin } of crowded.slice(1)) {
      ctx.report({ origin, messageId: 'crowded', path: ['spec'], data: { name: fact.name, count: fact.containers } });
    }
  },
});

export const rules = [requireOwner, crowdedPods];
