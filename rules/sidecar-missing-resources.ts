import { defineRule, type NoOptions, NO_OPTIONS } from '../src/rule.js';
import { asArray, asMap, type PlainMap } from '../src/model/objects.js';
import { mainGuessNote } from '../src/model/workloads.js';
import type { Path } from '../src/types.js';
import { namespaceOf } from './support/selectors.js';

type Need = 'cpuRequest' | 'memoryRequest' | 'memoryLimit';
const NEEDS: readonly Need[] = ['cpuRequest', 'memoryRequest', 'memoryLimit'];
const NEED_TEXT: Record<Need, string> = { cpuRequest: 'cpu request', memoryRequest: 'memory request', memoryLimit: 'memory limit' };

/** Sidecars of one pod that lack something, before LimitRange defaults. */
interface PodFact {
  t: 'pod';
  namespace: string;
  main: string | null;
  sidecars: { name: string; native: boolean; path: Path; missing: Need[] }[];
}

/** What a LimitRange defaults for containers in its namespace. */
interface LimitRangeFact {
  t: 'limits';
  namespace: string;
  provides: Need[];
}

type Fact = PodFact | LimitRangeFact;

function has(map: PlainMap | undefined, resource: string): boolean {
  const v = map?.[resource];
  return v !== undefined && v !== null && v !== '';
}

/** What a `resources` block (of a container or of the pod) provides. A limit implies the request. */
function provided(resources: unknown): Set<Need> {
  const r = asMap(resources);
  const requests = asMap(r?.requests);
  const limits = asMap(r?.limits);
  const out = new Set<Need>();
  if (has(requests, 'cpu') || has(limits, 'cpu')) out.add('cpuRequest');
  if (has(requests, 'memory') || has(limits, 'memory')) out.add('memoryRequest');
  if (has(limits, 'memory')) out.add('memoryLimit');
  return out;
}

/**
 * What a LimitRange's `type: Container` items give a container that sets nothing, with the API
 * server's defaulting: a missing `default` is `max`, a missing `defaultRequest` is `default`, else
 * `min`.
 */
function limitRangeProvides(value: PlainMap): Set<Need> {
  const out = new Set<Need>();
  for (const item of asArray(asMap(value.spec)?.limits)) {
    const limit = asMap(item);
    if (!limit || limit.type !== 'Container') continue;
    const fields = (name: string) => asMap(limit[name]);
    const defaults = (resource: string) => has(fields('default'), resource) || has(fields('max'), resource);
    const requests = (resource: string) => has(fields('defaultRequest'), resource) || defaults(resource) || has(fields('min'), resource);
    if (requests('cpu')) out.add('cpuRequest');
    if (requests('memory')) out.add('memoryRequest');
    if (defaults('memory')) out.add('memoryLimit');
  }
  return out;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export default defineRule<'missing', NoOptions, Fact>({
  meta: {
    id: 'sidecar-missing-resources',
    description: 'A sidecar sets no cpu request, memory request or memory limit, so it can starve the main container.',
    defaultSeverity: 'info',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      missing: {
        message: '{{role}} "{{container}}" {{lacks}}.',
        hint: 'It has no {{missing}}, and no LimitRange in namespace "{{namespace}}" supplies one: it can take the CPU and memory that {{main}} needs. Set resources.requests.cpu, resources.requests.memory and resources.limits.memory; a CPU limit is optional.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    const namespace = namespaceOf(object, ctx.settings.namespace);
    if (object.ref.kind === 'LimitRange') {
      const provides = limitRangeProvides(object.value);
      if (provides.size > 0) ctx.defer({ t: 'limits', namespace, provides: NEEDS.filter((n) => provides.has(n)) } satisfies LimitRangeFact);
      return;
    }
    const workload = ctx.workload;
    if (!workload) return;
    const pod = provided(workload.podSpec.resources);
    const sidecars: PodFact['sidecars'] = [];
    for (const c of workload.containers) {
      if (c.role !== 'sidecar' && c.role !== 'native-sidecar') continue;
      const own = provided(c.spec.resources);
      const missing = NEEDS.filter((n) => !own.has(n) && !pod.has(n));
      if (missing.length > 0) sidecars.push({ name: c.name, native: c.role === 'native-sidecar', path: c.path, missing });
    }
    if (sidecars.length === 0) return;
    ctx.defer({ t: 'pod', namespace, main: workload.main ? `main container "${workload.main.name}"${mainGuessNote(workload)}` : null, sidecars } satisfies PodFact);
  },
  crossCheck(all, ctx) {
    const defaults = new Map<string, Set<Need>>();
    for (const { fact } of all) {
      if (fact.t !== 'limits') continue;
      const set = defaults.get(fact.namespace) ?? new Set<Need>();
      for (const n of fact.provides) set.add(n);
      defaults.set(fact.namespace, set);
    }
    for (const { fact, origin } of all) {
      if (fact.t !== 'pod') continue;
      const supplied = defaults.get(fact.namespace);
      for (const sidecar of fact.sidecars) {
        const missing = sidecar.missing.filter((n) => !supplied?.has(n));
        if (missing.length === 0) continue;
        ctx.report({
          origin,
          messageId: 'missing',
          path: sidecar.path,
          container: sidecar.name,
          data: {
            role: sidecar.native ? 'Native sidecar' : 'Sidecar',
            container: sidecar.name,
            missing: list(missing.map((n) => NEED_TEXT[n])),
            lacks: missing.length === 3 ? 'sets no resources' : `has no ${list(missing.map((n) => NEED_TEXT[n]))}`,
            namespace: fact.namespace,
            main: fact.main ?? 'the main container',
          },
        });
      }
    }
  },
});
