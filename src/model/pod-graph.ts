/**
 * A small, value-free picture of a pod for reports: its containers and their roles, which Secrets
 * reach each container and how, and what couples the containers (shared volumes, declared ports,
 * localhost addresses). Rules attach it to findings (`ReportDescriptor.pod`) so that a formatter can
 * draw the pod without seeing the manifest.
 *
 * Names only, never values: container, Secret, env var and volume names, port numbers, and loopback
 * addresses reduced to host and port (a URL such as `redis://user:pass@localhost:6379` becomes
 * `localhost:6379`).
 */
import { asArray, asMap, asString } from './objects.js';
import { secretsOfVolume, secretUses, volumesOf, SECRETS_STORE_CSI_DRIVER, type SecretVia } from './secrets.js';
import type { ContainerInfo, ContainerRole, Workload } from './workloads.js';

export interface PodGraphContainer {
  name: string;
  role: ContainerRole;
  /** Declared `containerPort`s (whole numbers only), in order, without repeats. */
  ports: number[];
}

export interface PodGraphSecret {
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

export interface PodGraphVolume {
  name: string;
  /** Indexes into `containers` of the containers that mount it (two or more). */
  containers: number[];
}

export interface PodGraphLocalhost {
  /** Index into `containers` of the container whose command, args or env mention the address. */
  container: number;
  /** `localhost:6379`, `127.0.0.1:9090`, `[::1]:80`, or a bare loopback host from a URL without a port. */
  address: string;
  /** Index into `containers` of another container that declares the port, if any. */
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

const INPUT_VOLUME_TYPES = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

function isInputVolume(spec: Record<string, unknown>): boolean {
  if (INPUT_VOLUME_TYPES.some((t) => spec[t] !== undefined)) return true;
  return asMap(spec.csi)?.driver === SECRETS_STORE_CSI_DRIVER;
}

function portsOf(container: ContainerInfo): number[] {
  const out: number[] = [];
  for (const p of asArray(container.spec.ports)) {
    const port = asMap(p)?.containerPort;
    const n = typeof port === 'number' ? port : typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : NaN;
    if (Number.isInteger(n) && n > 0 && n <= 65535 && !out.includes(n)) out.push(n);
  }
  return out;
}

const LOOPBACK = String.raw`(localhost|127\.0\.0\.1|\[::1\])`;
/** Only the host and port groups are kept: user info and paths in a URL may carry credentials. */
const HOST_PORT = new RegExp(String.raw`(?:^|[^A-Za-z0-9.-])${LOOPBACK}:(\d{1,5})(?![0-9])`, 'gi');
const URL_HOST = new RegExp(String.raw`[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/@]*@)?${LOOPBACK}(?::(\d{1,5}))?(?![A-Za-z0-9.-])`, 'gi');

function loopbackAddresses(container: ContainerInfo): { host: string; port: number | undefined }[] {
  const strings: string[] = [];
  for (const field of ['command', 'args'] as const) {
    for (const v of asArray(container.spec[field])) if (typeof v === 'string') strings.push(v);
  }
  for (const e of asArray(container.spec.env)) {
    const value = asMap(e)?.value;
    if (typeof value === 'string') strings.push(value);
  }
  const out: { host: string; port: number | undefined }[] = [];
  const add = (host: string, port: string | undefined) => {
    const h = host.toLowerCase();
    const p = port === undefined ? undefined : Number(port);
    if (!out.some((a) => a.host === h && a.port === p)) out.push({ host: h, port: p });
  };
  for (const s of strings) {
    for (const m of s.matchAll(URL_HOST)) add(m[1]!, m[2]);
    for (const m of s.matchAll(HOST_PORT)) add(m[1]!, m[2]);
  }
  // A URL without a port and the same host with one: keep the one with the port.
  return out.filter((a) => a.port !== undefined || !out.some((b) => b.host === a.host && b.port !== undefined));
}

/** The picture of a workload's pod. */
export function podGraph(workload: Workload): PodGraph {
  const volumes = volumesOf(workload);
  const containers = workload.containers.map((c) => ({ name: c.name, role: c.role, ports: portsOf(c) }));
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
    for (const m of asArray(c.spec.volumeMounts)) {
      const name = asString(asMap(m)?.name);
      if (name === undefined) continue;
      const volume = volumes.get(name);
      if (volume && isInputVolume(volume.spec)) continue;
      const list = mounts.get(name) ?? [];
      if (!list.includes(i)) list.push(i);
      mounts.set(name, list);
    }
  });
  const shared: PodGraphVolume[] = [...mounts].filter(([, list]) => list.length > 1).map(([name, list]) => ({ name, containers: list }));
  const localhost: PodGraphLocalhost[] = [];
  workload.containers.forEach((c, i) => {
    for (const { host, port } of loopbackAddresses(c)) {
      const target = port === undefined ? -1 : containers.findIndex((o, j) => j !== i && o.ports.includes(port));
      localhost.push({ container: i, address: port === undefined ? host : `${host}:${port}`, target: target < 0 ? null : target });
    }
  });
  return { containers, secrets, volumes: shared, localhost, shareProcessNamespace: workload.podSpec.shareProcessNamespace === true };
}
