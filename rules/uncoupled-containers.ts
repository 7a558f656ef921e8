import { isCoreObject } from '../src/model/objects.js';
import { defineRule, NO_OPTIONS, type DeferredFact } from '../src/rule.js';
import { configMapEvidence, couple, memberOf, memberSources, type ConfigMapLookup, type MemberSource } from '../src/model/coupling.js';
import type { ValueEvidence } from '../src/model/endpoints.js';
import { podGraph, type PodGraph } from '../src/model/pod-graph.js';
import { mainGuessNote } from '../src/model/workloads.js';
import type { Path } from '../src/types.js';
import { namespaceOf } from './support/selectors.js';

/** A ConfigMap of the linted set: what its values say about loopback endpoints, by key (never the values). */
interface ConfigMapFact {
  t: 'cm';
  namespace: string;
  name: string;
  keys: Record<string, ValueEvidence>;
}

/** A pod whose containers read ConfigMaps: the verdict waits for the ConfigMaps of the whole set. */
interface PodFact {
  t: 'pod';
  namespace: string;
  members: MemberSource[];
  /** Index of the main container in `members`. */
  main: number;
  guess: string;
  /** Path of each member's list item. */
  paths: Path[];
  pod: PodGraph;
}

type Fact = ConfigMapFact | PodFact;

const FIX = {
  helper:
    'If it serves the app over localhost, declare the port it listens on (ports[].containerPort); if it reads files the app writes, share an emptyDir volume; otherwise move it to its own workload.',
  other:
    'If the main container calls it, put its address (localhost:<port>) in the main container\'s args or env and declare that port on it; if they exchange files, share an emptyDir volume; otherwise move it to its own workload.',
} as const;

interface Verdict {
  /** Indexes of the members not coupled to the main container. */
  uncoupled: number[];
  members: ReturnType<typeof memberOf>[];
}

function judge(sources: readonly MemberSource[], main: number, lookup?: ConfigMapLookup): Verdict {
  const members = sources.map((s) => memberOf(s, lookup));
  const { group } = couple({ members, main, shareProcessNamespace: false });
  return { uncoupled: members.flatMap((_, i) => (group[i] !== group[main] ? [i] : [])), members };
}

function messageData(sources: readonly MemberSource[], i: number, main: number, guess: string): Record<string, string> {
  const s = sources[i]!;
  return { container: s.name, main: sources[main]!.name, guess, fix: s.helper !== undefined ? FIX.helper : FIX.other };
}

export default defineRule({
  meta: {
    id: 'uncoupled-containers',
    description: 'A container in a multi-container pod shows no link to the main container: no shared volume, no localhost address on a port the other serves.',
    defaultSeverity: 'warning',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      uncoupled: {
        message: '"{{container}}" is not linked to main container "{{main}}"{{guess}}.',
        hint: 'Nothing links it to main container "{{main}}": no shared volume other than read-only inputs, no localhost address that one of them calls on a port the other serves, no shared process namespace. {{fix}}',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    if (isCoreObject(object, 'ConfigMap') && object.ref.name !== null) {
      const keys = configMapEvidence(object.value.data);
      if (Object.keys(keys).length > 0) ctx.defer?.({ t: 'cm', namespace: namespaceOf(object, ctx.settings.namespace), name: object.ref.name, keys } satisfies ConfigMapFact);
      return;
    }
    const workload = ctx.workload;
    if (!workload || !workload.main) return;
    const containers = workload.longRunning;
    if (containers.length < 2) return;
    if (workload.podSpec.shareProcessNamespace === true) return;
    const sources = memberSources(workload);
    const main = containers.indexOf(workload.main);
    const guess = mainGuessNote(workload);
    if (ctx.defer && sources.some((s) => s.reads.length > 0)) {
      // The ConfigMaps it reads may hold the addresses: decide once every file has been read.
      ctx.defer({
        t: 'pod',
        namespace: namespaceOf(object, ctx.settings.namespace),
        members: sources,
        main,
        guess,
        paths: containers.map((c) => c.path),
        pod: podGraph(workload),
      } satisfies PodFact);
      return;
    }
    const { uncoupled } = judge(sources, main);
    if (uncoupled.length === 0) return;
    const pod = podGraph(workload);
    for (const i of uncoupled) {
      ctx.report({ messageId: 'uncoupled', path: containers[i]!.path, container: containers[i]!, data: messageData(sources, i, main, guess), pod });
    }
  },
  crossCheck(facts, ctx) {
    const all = facts as readonly DeferredFact<Fact>[];
    const configMaps = new Map<string, Record<string, ValueEvidence>>();
    for (const { fact } of all) {
      if (fact.t !== 'cm') continue;
      const id = `${fact.namespace}/${fact.name}`;
      // Merged in place (later definitions win): a ConfigMap defined in many files is not copied again for each.
      const known = configMaps.get(id);
      // (Defined, not assigned: a key named __proto__ stays a key.)
      if (known) for (const [k, v] of Object.entries(fact.keys)) Object.defineProperty(known, k, { value: v, enumerable: true, writable: true, configurable: true });
      else configMaps.set(id, { ...fact.keys });
    }
    for (const { fact, origin } of all) {
      if (fact.t !== 'pod') continue;
      const lookup: ConfigMapLookup = (name) => configMaps.get(`${fact.namespace}/${name}`);
      const { uncoupled } = judge(fact.members, fact.main, lookup);
      if (uncoupled.length === 0) continue;
      // The picture is the one every rule draws from the pod itself (one diagram per pod in reports):
      // addresses found in ConfigMaps are not drawn.
      const pod = fact.pod;
      for (const i of uncoupled) {
        ctx.report({ origin, messageId: 'uncoupled', path: fact.paths[i]!, container: fact.members[i]!.name, data: messageData(fact.members, i, fact.main, fact.guess), pod });
      }
    }
  },
});
