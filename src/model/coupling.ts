/**
 * Coupling: which long-running containers of a pod work as a unit, from evidence between two
 * containers (a shared volume that is not a read-only input, a loopback address one reaches on a port
 * the other serves, a helper that works over localhost by its nature or serves a port, a companion
 * named after the other, a shared process namespace). Plain data in, plain data out, so that a rule
 * can decide in its check or, when ConfigMaps of the linted set add evidence, in its cross check.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { HELPER_KINDS, imageName, type HelperKind } from './known-helpers.js';
import {
  argEndpoints,
  combineEndpoints,
  commandStrings,
  declaredPorts,
  envEndpoints,
  literalEnv,
  probePorts,
  reachTargets,
  valueEvidence,
  type Address,
  type EndpointOwner,
  type Endpoints,
  type EnvEvidence,
  type ValueEvidence,
} from './endpoints.js';
import { asArray, asMap, asString, keysOfMap, type PlainMap } from './objects.js';
import { SECRETS_STORE_CSI_DRIVER, volumesOf, type VolumeInfo } from './secrets.js';
import type { ContainerInfo, Workload } from './workloads.js';

/** A long-running container as coupling sees it (JSON-serialisable). */
export interface CouplingMember {
  name: string;
  /** Its image as written, or ''. */
  image: string;
  /** The known helper it is, if any. */
  helper?: HelperKind;
  /** Names of the non-input volumes it mounts (a mount of an undeclared volume counts). */
  volumes: string[];
  endpoints: Endpoints;
}

export interface CouplingInput {
  members: CouplingMember[];
  /** Index of the main container in `members`. */
  main: number;
  shareProcessNamespace: boolean;
}

/**
 * Leading words that do not make a companion: generic names (`app-sidecar` beside `app` says nothing)
 * and general-purpose base images (`busybox-cnt02` beside a busybox container runs something else).
 * Keep each entry tested (test/unit/model/coupling.test.ts).
 */
export const NOT_COMPANION_WORDS: Readonly<Record<string, 'generic name' | 'base image'>> = {
  app: 'generic name',
  web: 'generic name',
  server: 'generic name',
  api: 'generic name',
  main: 'generic name',
  service: 'generic name',
  test: 'generic name',
  e2e: 'generic name',
  demo: 'generic name',
  example: 'generic name',
  busybox: 'base image',
  alpine: 'base image',
  ubuntu: 'base image',
  debian: 'base image',
  fedora: 'base image',
  centos: 'base image',
  curl: 'base image',
};

function identities(m: Pick<CouplingMember, 'name' | 'image'>): string[] {
  const out: string[] = [];
  const name = m.name.toLowerCase();
  if (name !== '' && !name.startsWith('#')) out.push(name);
  const image = m.image.trim() === '' ? '' : imageName(m.image);
  if (image !== '' && !out.includes(image)) out.push(image);
  return out;
}

/**
 * `a` is a companion of `b`: a's name or image's last path segment begins with b's name or image's
 * last path segment followed by `-` or `_` (`redis_exporter` beside `redis`, `vault-init` beside
 * `vault`), and that leading word is not generic nor a base image.
 */
export function isCompanion(a: Pick<CouplingMember, 'name' | 'image'>, b: Pick<CouplingMember, 'name' | 'image'>): boolean {
  const mine = identities(a);
  for (const lead of identities(b)) {
    if (Object.hasOwn(NOT_COMPANION_WORDS, lead)) continue;
    if (mine.some((x) => x.length > lead.length + 1 && x.startsWith(lead) && (x[lead.length] === '-' || x[lead.length] === '_'))) return true;
  }
  return false;
}

/** Why two containers are coupled. */
export type CouplingLink =
  | { via: 'volume'; a: number; b: number; volume: string }
  | { via: 'localhost'; a: number; b: number; host: string; port?: number }
  | { via: 'helper'; a: number; b: number; why: 'localhost helper' | 'serves a port' | 'pattern name' }
  | { via: 'companion'; a: number; b: number }
  | { via: 'process-namespace' };

/** The group of each member (members of one group are coupled), and the links found. */
export function couple(input: CouplingInput): { group: number[]; links: CouplingLink[] } {
  const { members } = input;
  const parent = members.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const links: CouplingLink[] = [];
  const union = (a: number, b: number, link: CouplingLink): void => {
    links.push(link);
    parent[find(a)] = find(b);
  };
  if (input.shareProcessNamespace) {
    links.push({ via: 'process-namespace' });
    return { group: members.map(() => 0), links };
  }
  const mountedBy = new Map<string, number>();
  members.forEach((m, i) => {
    for (const v of m.volumes) {
      const other = mountedBy.get(v);
      if (other === undefined) mountedBy.set(v, i);
      else if (other !== i) union(i, other, { via: 'volume', a: other, b: i, volume: v });
    }
  });
  const owners: EndpointOwner[] = members.map((m) => ({ name: m.name, image: m.image, endpoints: m.endpoints }));
  members.forEach((m, i) => {
    for (const r of m.endpoints.reaches) {
      for (const j of reachTargets(i, owners, r)) union(i, j, { via: 'localhost', a: i, b: j, host: r.host, ...(r.port === undefined ? {} : { port: r.port }) });
    }
  });
  members.forEach((m, i) => {
    if (i === input.main || m.helper === undefined) return;
    if (HELPER_KINDS[m.helper].localhost) union(i, input.main, { via: 'helper', a: i, b: input.main, why: 'localhost helper' });
    else if (HELPER_KINDS[m.helper].declared) union(i, input.main, { via: 'helper', a: i, b: input.main, why: 'pattern name' });
    else if (m.endpoints.serves.length > 0) union(i, input.main, { via: 'helper', a: i, b: input.main, why: 'serves a port' });
  });
  // Companions (isCompanion), each pair in the order of a loop over every i and j, but only the pairs
  // whose leading word matches are looked at: a pod of many containers is not compared pair by pair.
  const ids = members.map(identities);
  const byLead = new Map<string, number[]>();
  ids.forEach((own, j) => {
    for (const lead of own) {
      if (Object.hasOwn(NOT_COMPANION_WORDS, lead)) continue;
      const list = byLead.get(lead);
      if (list === undefined) byLead.set(lead, [j]);
      else if (list[list.length - 1] !== j) list.push(j);
    }
  });
  for (let i = 0; i < members.length; i++) {
    const candidates = new Set<number>();
    for (const x of ids[i]!) {
      for (let k = 1; k < x.length - 1; k++) {
        const c = x.charCodeAt(k);
        if (c !== 45 && c !== 95) continue; // `-`, `_`
        for (const j of byLead.get(x.slice(0, k)) ?? []) if (j !== i) candidates.add(j);
      }
    }
    for (const j of [...candidates].sort((a, b) => a - b)) {
      if (find(i) !== find(j)) union(i, j, { via: 'companion', a: i, b: j });
    }
  }
  return { group: members.map((_, i) => find(i)), links };
}

/** Volume types that are read-only inputs: sharing one does not make containers work as a unit. */
const INPUT_VOLUME_TYPES = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

/** Read-only inputs: configMap, secret, downwardAPI, projected and Secrets Store CSI volumes. */
function isInputVolume(spec: PlainMap): boolean {
  if (INPUT_VOLUME_TYPES.some((t) => spec[t] !== undefined)) return true;
  return asMap(spec.csi)?.driver === SECRETS_STORE_CSI_DRIVER;
}

/** The names of the non-input volumes a container mounts (a mount of a volume the pod does not declare counts: a StatefulSet's claim). */
export function sharedVolumeMounts(container: ContainerInfo, volumes: ReadonlyMap<string, VolumeInfo>): string[] {
  const out: string[] = [];
  for (const m of asArray(container.spec.volumeMounts)) {
    const name = asString(asMap(m)?.name);
    if (name === undefined || out.includes(name)) continue;
    const volume = volumes.get(name);
    if (volume && isInputVolume(volume.spec)) continue;
    out.push(name);
  }
  return out;
}

/** How a container reads a ConfigMap. */
type ConfigMapRead =
  /** `envFrom[].configMapRef`: every key becomes a variable (after the prefix). */
  | { via: 'envFrom'; configMap: string; prefix: string }
  /** `env[].valueFrom.configMapKeyRef`: one key's value under the variable's name. */
  | { via: 'key'; configMap: string; key: string; env: string }
  /** A mounted configMap volume (or projected source): its files, all keys or the listed ones. */
  | { via: 'file'; configMap: string; keys?: string[] };

/** The ConfigMaps a container reads, and how. */
function configMapReads(container: ContainerInfo, volumes: ReadonlyMap<string, VolumeInfo>): ConfigMapRead[] {
  const out: ConfigMapRead[] = [];
  const { spec } = container;
  for (const e of asArray(spec.envFrom)) {
    const entry = asMap(e);
    const name = asString(asMap(entry?.configMapRef)?.name);
    if (name !== undefined) out.push({ via: 'envFrom', configMap: name, prefix: asString(entry?.prefix) ?? '' });
  }
  for (const e of asArray(spec.env)) {
    const entry = asMap(e);
    const ref = asMap(asMap(entry?.valueFrom)?.configMapKeyRef);
    const name = asString(ref?.name);
    const key = asString(ref?.key);
    const env = asString(entry?.name);
    if (name !== undefined && key !== undefined && env !== undefined) out.push({ via: 'key', configMap: name, key, env });
  }
  const fileRead = (source: PlainMap | undefined): void => {
    const name = asString(source?.name);
    if (!source || name === undefined) return;
    const items = asArray(source.items).flatMap((i) => {
      const key = asString(asMap(i)?.key);
      return key === undefined ? [] : [key];
    });
    out.push(items.length > 0 ? { via: 'file', configMap: name, keys: items } : { via: 'file', configMap: name });
  };
  const seen = new Set<string>();
  for (const m of asArray(spec.volumeMounts)) {
    const name = asString(asMap(m)?.name);
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    const volume = volumes.get(name)?.spec;
    if (!volume) continue;
    fileRead(asMap(volume.configMap));
    for (const source of asArray(asMap(volume.projected)?.sources)) fileRead(asMap(asMap(source)?.configMap));
  }
  return out;
}

/**
 * What a ConfigMap's values say about loopback endpoints, by key (keys that say nothing are left
 * out; a port number counts only under a key that names a port). Never the values themselves.
 */
export function configMapEvidence(data: unknown): Record<string, ValueEvidence> {
  const out: Record<string, ValueEvidence> = {};
  const map = asMap(data);
  if (!map) return out;
  // Keys, then each value (no pair per entry: a ConfigMap may hold 200,000 keys).
  for (const key of keysOfMap(map)) {
    const value = map[key];
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const ev = valueEvidence(String(value));
    if (!ev) continue;
    if (!/port/i.test(key)) delete ev.port;
    if (!/listen|bind|addr/i.test(key)) delete ev.listen;
    if (Object.keys(ev).length > 0) out[key] = ev;
  }
  return out;
}

/** Where a member's evidence comes from (JSON-serialisable): its own spec, and the ConfigMaps it reads. */
export interface MemberSource {
  name: string;
  image: string;
  helper?: HelperKind;
  volumes: string[];
  declared: number[];
  args: Endpoints;
  env: EnvEvidence[];
  /** Ports its probes check (see `probePorts`). */
  probes: number[];
  reads: ConfigMapRead[];
  /** Index of the container in `workload.containers` (and in the pod picture). */
  index: number;
}

/** The long-running containers of a workload, as sources of coupling evidence. */
export function memberSources(workload: Workload): MemberSource[] {
  const volumes = volumesOf(workload);
  return workload.longRunning.map((c) => {
    const image = typeof c.spec.image === 'string' ? c.spec.image : '';
    const source: MemberSource = {
      name: c.name,
      image,
      volumes: sharedVolumeMounts(c, volumes),
      declared: declaredPorts(c.ports),
      args: argEndpoints(commandStrings(c.spec)),
      env: literalEnv(c.spec),
      probes: probePorts(c.spec, c.ports),
      reads: configMapReads(c, volumes),
      index: workload.containers.indexOf(c),
    };
    if (c.helper) source.helper = c.helper.kind;
    return source;
  });
}

/** Looks a ConfigMap's evidence up by name (undefined when it is not in the linted set). */
export type ConfigMapLookup = (name: string) => Record<string, ValueEvidence> | undefined;

/** A member with the evidence of the ConfigMaps it reads that `lookup` knows. */
export function memberOf(source: MemberSource, lookup?: ConfigMapLookup): CouplingMember {
  const env: EnvEvidence[] = [];
  const files: Address[] = [];
  if (lookup) {
    for (const read of source.reads) {
      const keys = lookup(read.configMap);
      if (!keys) continue;
      if (read.via === 'envFrom') for (const [key, ev] of Object.entries(keys)) env.push({ name: read.prefix + key, ev });
      else if (read.via === 'key') {
        if (Object.hasOwn(keys, read.key)) env.push({ name: read.env, ev: keys[read.key]! });
      } else {
        for (const [key, ev] of Object.entries(keys)) if (!read.keys || read.keys.includes(key)) for (const a of ev.addrs ?? []) files.push(a);
      }
    }
  }
  // Literal env entries come last: they win over envFrom, as in Kubernetes.
  const endpoints = combineEndpoints(source.declared, source.args, envEndpoints([...env, ...source.env]), files, source.probes);
  const member: CouplingMember = { name: source.name, image: source.image, volumes: source.volumes, endpoints };
  if (source.helper) member.helper = source.helper;
  return member;
}
