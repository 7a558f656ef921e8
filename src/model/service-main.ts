/**
 * The third step of the main-container guess: in a pod with several containers that are not known
 * helpers and no default-container annotation, the main container is the one whose port a Service
 * of the linted set targets, when exactly one is. Services can be in any file, so this is decided
 * once every file has been read: each file gives small facts (a Service's selector and target ports;
 * an undecided pod's labels and its regular containers' ports), and the files whose pods get another
 * main container are linted again with it.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import type { Path } from '../types.js';
import type { K8sObject } from './objects.js';
import { asArray, asMap } from './objects.js';
import { containerPorts, labelMap, namespaceOf, portNumber, portRef, protocolOf, SelectorsIndex, labelCounts, type ContainerPort, type PortRef } from './selectors.js';
import type { Workload } from './workloads.js';

/** The id the engine files these facts under (not a rule id: rule ids cannot start with `#`). */
export const SERVICE_MAIN_FACTS = '#service-main';

interface ServiceTargets {
  t: 'service';
  namespace: string;
  selector: Record<string, string>;
  targets: { target: PortRef; protocol: string }[];
}

interface UndecidedPod {
  t: 'pod';
  namespace: string;
  labels: Record<string, string>;
  /** Declared ports of the regular containers (`container` is the index in `containers`). */
  ports: ContainerPort[];
  /** Names of the regular containers, in order. */
  names: string[];
}

export type ServiceMainFact = ServiceTargets | UndecidedPod;

/** The fact an object gives, if any: a Service with a selector, or a pod whose main container was taken as the first. */
export function serviceMainFact(object: K8sObject, workload: Workload | undefined, defaultNamespace: string): ServiceMainFact | undefined {
  if (object.ref.kind === 'Service' && object.ref.apiVersion === 'v1') {
    const spec = asMap(object.value.spec);
    const selector = labelMap(spec?.selector);
    if (Object.keys(selector).length === 0) return undefined;
    const targets: ServiceTargets['targets'] = [];
    for (const p of asArray(spec?.ports)) {
      const map = asMap(p);
      if (!map) continue;
      const target = map.targetPort === undefined || map.targetPort === null ? portNumber(map.port) : portRef(map.targetPort);
      if (target !== undefined) targets.push({ target, protocol: protocolOf(map.protocol) });
    }
    return targets.length > 0 ? { t: 'service', namespace: namespaceOf(object, defaultNamespace), selector, targets } : undefined;
  }
  if (!workload || workload.mainChoice !== 'first') return undefined;
  const regular = workload.containers.filter((c) => c.role === 'main' || c.role === 'sidecar');
  if (regular.length < 2) return undefined;
  const ports = regular.flatMap((c, i) => containerPorts(c, i));
  if (!ports.some((p) => p.container !== 0)) return undefined;
  return { t: 'pod', namespace: namespaceOf(object, defaultNamespace), labels: labelMap(workload.templateMetadata.labels), ports, names: regular.map((c) => c.name) };
}

/** Where an object is, as the key of `mainOverrides`. */
export function objectKey(file: string, documentIndex: number, objectPath: Path): string {
  return `${file}\u0000${documentIndex}\u0000${objectPath.join('\u0000')}`;
}

/** An objectKey of `file` read back (the path's segments as strings), or undefined for another file's key. */
export function objectKeyParts(key: string, file: string): { documentIndex: number; path: string[] } | undefined {
  if (!key.startsWith(file) || key.charCodeAt(file.length) !== 0) return undefined;
  const [index, ...path] = key.slice(file.length + 1).split('\u0000');
  return { documentIndex: Number(index), path };
}

/**
 * The pods whose main container a Service decides: object key → the name of the only regular
 * container whose port a selecting Service targets (only where that is not the first container).
 */
export function mainOverrides(facts: readonly { fact: ServiceMainFact; file: string; documentIndex: number; objectPath: Path }[]): Map<string, string> {
  // Services indexed by their rarest selector label: a pod is compared only with the Services filed
  // under one of its own labels, not with every Service.
  const pods = facts.flatMap(({ fact }) => (fact.t === 'pod' ? [fact] : []));
  const out = new Map<string, string>();
  if (pods.length === 0) return out;
  const services = new SelectorsIndex<ServiceTargets>(labelCounts(pods));
  let anyService = false;
  for (const { fact } of facts) {
    if (fact.t !== 'service') continue;
    services.add(fact.namespace, fact.selector, fact);
    anyService = true;
  }
  if (!anyService) return out;
  for (const { fact, file, documentIndex, objectPath } of facts) {
    if (fact.t !== 'pod') continue;
    const targeted = new Set<number>();
    for (const service of services.selecting(fact.namespace, fact.labels)) {
      for (const { target, protocol } of service.targets) {
        const hit =
          typeof target === 'number'
            ? fact.ports.find((p) => p.port === target && p.protocol === protocol)
            : fact.ports.find((p) => p.name === target && p.protocol === protocol);
        if (hit) targeted.add(hit.container);
      }
    }
    if (targeted.size !== 1) continue;
    const [index] = targeted;
    if (index !== 0) out.set(objectKey(file, documentIndex, objectPath), fact.names[index!]!);
  }
  return out;
}
