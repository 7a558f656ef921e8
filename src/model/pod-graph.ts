/**
 * A small, value-free picture of a pod for reports: its containers and their roles, which Secrets
 * reach each container and how, and what couples the containers (shared volumes, declared ports,
 * localhost addresses). Rules attach it to findings (`ReportDescriptor.pod`) so that a formatter can
 * draw the pod without seeing the manifest.
 *
 * Names only, never values: container, Secret, env var and volume names, port numbers, and loopback
 * addresses reduced to host and port (a URL such as `redis://user:pass@localhost:6379` becomes
 * `localhost:6379`).
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { asMap, asString } from './objects.js';
import { sharedVolumeMounts } from './coupling.js';
import { containerEndpoints, declaredPorts, reachTargets, type EndpointOwner } from './endpoints.js';
import { secretsOfVolume, secretUses, volumesOf, type SecretVia } from './secrets.js';
import type { ContainerInfo, ContainerRole, Workload } from './workloads.js';

interface PodGraphContainer {
  name: string;
  role: ContainerRole;
  /** Declared `containerPort`s (whole numbers only), in order, without repeats. */
  ports: number[];
}

interface PodGraphSecret {
  /** Index into `containers`. */
  container: number;
  /** A Secret, or the SecretProviderClass of a Secrets Store CSI volume. */
  kind: 'Secret' | 'SecretProviderClass';
  /** Its name, or `?` when the manifest does not give one. */
  name: string;
  via: SecretVia;
  /** The env var name (`env`), `envFrom[i]` (`envFrom`), or the volume name (`volume`). */
  entry: string;
}

interface PodGraphVolume {
  name: string;
  /** Indexes into `containers` of the containers that mount it (two or more). */
  containers: number[];
}

interface PodGraphLocalhost {
  /** Index into `containers` of the container whose command, args or env mention the address. */
  container: number;
  /** `localhost:6379`, `127.0.0.1:9090`, `[::1]:80`, or a bare loopback host from a URL without a port. */
  address: string;
  /**
   * Index into `containers` of a long-running container the address couples it to (one entry per
   * such container): one that serves the port, else one the address's name points at (`REDIS_HOST` →
   * `redis`), else one whose ports are unknown. Null when it couples to none.
   */
  target: number | null;
}

export interface PodGraph {
  containers: PodGraphContainer[];
  secrets: PodGraphSecret[];
  /** Volumes that are not read-only inputs (configMap, secret, downwardAPI, projected, CSI secrets) shared by two or more containers. */
  volumes: PodGraphVolume[];
  localhost: PodGraphLocalhost[];
  /** `shareProcessNamespace: true`: every container sees every other's processes. */
  shareProcessNamespace: boolean;
}

/** A container whose reaches are drawn: its index in the picture, with what it serves and reaches. */
interface LinkSource extends EndpointOwner {
  index: number;
}

/**
 * The localhost links of a pod: each loopback address a container reaches, to the long-running
 * containers it couples it to (`reachTargets`, the resolution `uncoupled-containers` uses), or with no
 * target when it couples to none. `others` (init and ephemeral containers) reach the long-running ones.
 */
function localhostLinks(longRunning: readonly LinkSource[], others: readonly LinkSource[] = []): PodGraphLocalhost[] {
  const out: PodGraphLocalhost[] = [];
  const draw = (owners: readonly LinkSource[], from: number) => {
    const source = owners[from]!;
    for (const r of source.endpoints.reaches) {
      const address = r.port === undefined ? r.host : `${r.host}:${r.port}`;
      const targets = reachTargets(from, owners, r);
      // A probe of a port no sibling serves checks the container itself: not a link.
      if (targets.length === 0 && !r.probe) out.push({ container: source.index, address, target: null });
      for (const t of targets) {
        const entry = { container: source.index, address, target: owners[t]!.index };
        if (!out.some((e) => e.container === entry.container && e.address === entry.address && e.target === entry.target)) out.push(entry);
      }
    }
  };
  longRunning.forEach((_, i) => draw(longRunning, i));
  for (const o of others) draw([...longRunning, o], longRunning.length);
  return out.sort((x, y) => x.container - y.container);
}

/** The picture of a workload's pod. */
export function podGraph(workload: Workload): PodGraph {
  const volumes = volumesOf(workload);
  const containers = workload.containers.map((c) => ({ name: c.name, role: c.role, ports: declaredPorts(c.ports) }));
  const secrets: PodGraphSecret[] = [];
  const mounts = new Map<string, number[]>();
  workload.containers.forEach((c, i) => {
    for (const use of secretUses(workload, c, volumes)) {
      if (use.via !== 'volume') {
        secrets.push({ container: i, kind: 'Secret', name: use.secret, via: use.via, entry: use.entry });
        continue;
      }
      const spec = volumes.get(use.entry)?.spec ?? {};
      const kind = asMap(spec.csi) ? 'SecretProviderClass' : 'Secret';
      for (const name of secretsOfVolume(spec) ?? [use.secret]) secrets.push({ container: i, kind, name, via: 'volume', entry: use.entry });
    }
    for (const name of sharedVolumeMounts(c, volumes)) {
      const list = mounts.get(name) ?? [];
      if (!list.includes(i)) list.push(i);
      mounts.set(name, list);
    }
  });
  const shared: PodGraphVolume[] = [...mounts].filter(([, list]) => list.length > 1).map(([name, list]) => ({ name, containers: list }));
  const sources = (list: readonly ContainerInfo[]): LinkSource[] =>
    list.map((c) => ({ index: workload.containers.indexOf(c), name: c.name, image: asString(c.spec.image) ?? '', endpoints: containerEndpoints(c.spec) }));
  const localhost = localhostLinks(sources(workload.longRunning), sources(workload.containers.filter((c) => !c.longRunning)));
  return { containers, secrets, volumes: shared, localhost, shareProcessNamespace: workload.podSpec.shareProcessNamespace === true };
}
