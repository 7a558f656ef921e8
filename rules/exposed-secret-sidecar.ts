import { defineRule, type NoOptions, NO_OPTIONS } from '../src/rule.js';
import { asArray, asMap } from '../src/model/objects.js';
import { secretUses, volumesOf } from '../src/model/secrets.js';
import type { Path } from '../src/types.js';
import {
  containerPorts,
  labelMap,
  namespaceOf,
  portNumber,
  portRef,
  protocolOf,
  resolveTargetPort,
  SelectorIndex,
  type ContainerPort,
  type PortRef,
} from './support/selectors.js';

/** A Service with a selector: what it selects and the ports it forwards. */
interface ServiceFact {
  t: 'service';
  namespace: string;
  name: string;
  selector: Record<string, string>;
  ports: { index: number; port: number; target: PortRef; protocol: string; name?: string }[];
}

/** A pod with at least one sidecar that serves Secret files on a declared port. */
interface PodFact {
  t: 'pod';
  namespace: string;
  /** `Kind/name` of the workload, for the message. */
  workload: string;
  labels: Record<string, string>;
  /** The long-running containers, in the order the endpoints controller reads named ports. */
  containers: { name: string; native?: true; secrets?: string }[];
  ports: ContainerPort[];
}

type Fact = ServiceFact | PodFact;

function serviceFact(value: Record<string, unknown>, name: string, namespace: string): ServiceFact | undefined {
  const spec = asMap(value.spec);
  if (!spec) return undefined;
  const selector = labelMap(spec.selector);
  if (Object.keys(selector).length === 0) return undefined;
  const ports: ServiceFact['ports'] = [];
  asArray(spec.ports).forEach((p, index) => {
    const map = asMap(p);
    const port = portNumber(map?.port);
    if (!map || port === undefined) return;
    // A missing targetPort means the same number as `port`.
    const target = map.targetPort === undefined || map.targetPort === null ? port : portRef(map.targetPort);
    if (target === undefined) return;
    const entry: ServiceFact['ports'][number] = { index, port, target, protocol: protocolOf(map.protocol) };
    if (typeof map.name === 'string' && map.name !== '') entry.name = map.name;
    ports.push(entry);
  });
  return ports.length > 0 ? { t: 'service', namespace, name, selector, ports } : undefined;
}

export default defineRule<'exposed', NoOptions, Fact>({
  meta: {
    id: 'exposed-secret-sidecar',
    description: 'A Service forwards to a port of a sidecar that mounts a Secret as files, making the secret server reachable from outside the pod.',
    defaultSeverity: 'warning',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 7.5,
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      exposed: {
        message: 'Service "{{service}}" exposes {{role}} "{{container}}" with Secret "{{secret}}".',
        hint: 'Its port {{port}} forwards to port {{containerPort}} of "{{container}}" in {{workload}}, which mounts the Secret as files: the secret server becomes reachable from outside the pod. Let the sidecar listen on 127.0.0.1 for the main container only, and point the Service at a port of the main container.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    const namespace = namespaceOf(object, ctx.settings.namespace);
    if (object.ref.kind === 'Service' && object.ref.name !== null) {
      const fact = serviceFact(object.value, object.ref.name, namespace);
      if (fact) ctx.defer(fact);
      return;
    }
    const workload = ctx.workload;
    if (!workload) return;
    const volumes = volumesOf(workload);
    const containers: PodFact['containers'] = [];
    const ports: ContainerPort[] = [];
    let serving = false;
    // Regular containers first, then native sidecars: the order named ports are resolved in.
    const longRunning = [...workload.longRunning.filter((c) => c.role !== 'native-sidecar'), ...workload.longRunning.filter((c) => c.role === 'native-sidecar')];
    longRunning.forEach((c, i) => {
      const own = containerPorts(c, i);
      for (const p of own) ports.push(p);
      const entry: PodFact['containers'][number] = { name: c.name };
      if (c.role === 'native-sidecar') entry.native = true;
      if (c.role === 'sidecar' || c.role === 'native-sidecar') {
        const files = secretUses(workload, c, volumes).filter((u) => u.via === 'volume');
        if (files.length > 0) {
          entry.secrets = [...new Set(files.map((u) => u.secret))].join(', ');
          if (own.length > 0) serving = true;
        }
      }
      containers.push(entry);
    });
    if (!serving) return;
    ctx.defer({
      t: 'pod',
      namespace,
      workload: `${object.ref.kind} "${object.ref.name ?? '?'}"`,
      labels: labelMap(workload.templateMetadata.labels),
      containers,
      ports,
    } satisfies PodFact);
  },
  crossCheck(all, ctx) {
    // Pods indexed by namespace and label: each Service port looks only at the pods it selects.
    const pods = new SelectorIndex<PodFact>();
    let anyPod = false;
    for (const { fact } of all) {
      if (fact.t !== 'pod') continue;
      pods.add(fact.namespace, fact.labels, fact);
      anyPod = true;
    }
    if (!anyPod) return;
    for (const { fact: service, origin } of all) {
      if (service.t !== 'service') continue;
      for (const port of service.ports) {
        // One finding per Service port: the first pod (in input order) whose secret server it reaches.
        let hit: { pod: PodFact; container: PodFact['containers'][number]; containerPort: number } | undefined;
        for (const pod of pods.selected(service.namespace, service.selector)) {
          const number = resolveTargetPort(port.target, port.protocol, pod.ports);
          if (number === undefined) continue;
          const target = pod.ports.find((p) => p.port === number && p.protocol === port.protocol && pod.containers[p.container]?.secrets !== undefined);
          if (!target) continue;
          hit = { pod, container: pod.containers[target.container]!, containerPort: number };
          break;
        }
        if (!hit) continue;
        const path: Path = ['spec', 'ports', port.index];
        ctx.report({
          origin,
          messageId: 'exposed',
          path,
          data: {
            service: service.name,
            port: port.name === undefined ? String(port.port) : `${port.port} ("${port.name}")`,
            containerPort: hit.containerPort,
            role: hit.container.native ? 'native sidecar' : 'sidecar',
            container: hit.container.name,
            workload: hit.pod.workload,
            secret: hit.container.secrets ?? '?',
          },
        });
      }
    }
  },
});
