import { defineRule } from '../src/rule.js';
import { asArray, asMap, asString } from '../src/model/objects.js';
import { podGraph } from '../src/model/pod-graph.js';
import { SECRETS_STORE_CSI_DRIVER, volumesOf } from '../src/model/secrets.js';
import { mainGuessNote, type ContainerInfo } from '../src/model/workloads.js';

/** Volume types that are read-only inputs: sharing one does not make containers work as a unit. */
const INPUT_VOLUME_TYPES = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

/** Read-only inputs: configMap, secret, downwardAPI, projected and Secrets Store CSI volumes. */
function isInputVolume(spec: Record<string, unknown>): boolean {
  if (INPUT_VOLUME_TYPES.some((t) => spec[t] !== undefined)) return true;
  return asMap(spec.csi)?.driver === SECRETS_STORE_CSI_DRIVER;
}

const LOOPBACK = String.raw`(?:localhost|127\.0\.0\.1|\[::1\])`;
/** `localhost:8080`, `127.0.0.1:9090`, `[::1]:80`, or any URL on a loopback host. */
const LOOPBACK_ADDRESS = new RegExp(
  String.raw`(?:^|[^A-Za-z0-9.-])${LOOPBACK}:\d+|[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/@]*@)?${LOOPBACK}(?![A-Za-z0-9.-])`,
  'i',
);

function stringsOf(container: ContainerInfo): string[] {
  const out: string[] = [];
  for (const field of ['command', 'args'] as const) {
    for (const v of asArray(container.spec[field])) if (typeof v === 'string') out.push(v);
  }
  for (const e of asArray(container.spec.env)) {
    const value = asMap(e)?.value;
    if (typeof value === 'string') out.push(value);
  }
  return out;
}

function talksOverLocalhost(container: ContainerInfo): boolean {
  return stringsOf(container).some((s) => LOOPBACK_ADDRESS.test(s));
}

function declaresPort(container: ContainerInfo): boolean {
  return asArray(container.spec.ports).some((p) => asMap(p)?.containerPort !== undefined && asMap(p)?.containerPort !== null);
}

export default defineRule({
  meta: {
    id: 'uncoupled-containers',
    description: 'A container in a multi-container pod shares no volume, port or localhost address with the main container.',
    defaultSeverity: 'warning',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      uncoupled:
        'Container "{{container}}" shares no volume, port or localhost address with main container "{{main}}"{{guess}}. Declare the port the containers talk over, share a volume, or move it to its own pod.',
    },
    options: { type: 'object', properties: {}, additionalProperties: false },
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || !workload.main) return;
    const containers = workload.longRunning;
    if (containers.length < 2) return;
    if (workload.podSpec.shareProcessNamespace === true) return;
    if (containers.some(declaresPort)) return;

    // Union-find over the long-running containers.
    const parent = containers.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    const union = (a: number, b: number): void => {
      parent[find(a)] = find(b);
    };

    const volumes = volumesOf(workload);
    const mountedBy = new Map<string, number>();
    containers.forEach((c, i) => {
      for (const m of asArray(c.spec.volumeMounts)) {
        const name = asString(asMap(m)?.name);
        if (name === undefined) continue;
        const volume = volumes.get(name);
        // A mount of an undeclared volume (e.g. a StatefulSet's volumeClaimTemplate) is a shared disk.
        if (volume && isInputVolume(volume.spec)) continue;
        const other = mountedBy.get(name);
        if (other === undefined) mountedBy.set(name, i);
        else union(i, other);
      }
    });
    containers.forEach((c, i) => {
      if (talksOverLocalhost(c)) for (let j = 0; j < containers.length; j++) union(i, j);
    });

    const mainIndex = containers.indexOf(workload.main);
    let pod: ReturnType<typeof podGraph> | undefined;
    containers.forEach((c, i) => {
      if (find(i) !== find(mainIndex)) {
        pod ??= podGraph(workload);
        ctx.report({ messageId: 'uncoupled', path: c.path, container: c, data: { container: c.name, main: workload.main!.name, guess: mainGuessNote(workload) }, pod });
      }
    });
  },
});
