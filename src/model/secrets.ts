/**
 * Where Secrets reach a container: env `secretKeyRef`, `envFrom` `secretRef`, and volume mounts of
 * secret, projected-with-secret and Secrets Store CSI volumes.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import type { Path } from '../types.js';
import { asArray, asMap, asString, type PlainMap } from './objects.js';
import type { ContainerInfo, Workload } from './workloads.js';

export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';

export type SecretVia = 'env' | 'envFrom' | 'volume';

export interface SecretUse {
  via: SecretVia;
  /** The Secret's name (for a CSI volume, its SecretProviderClass), or `?` when not given. */
  secret: string;
  /** The env var name, `envFrom` index label, or volume name. */
  entry: string;
  /** Path of the list item (`env`, `envFrom` or `volumeMounts` entry) from the object root. */
  path: Path;
  /** `env`: the `secretKeyRef.key`, when given. */
  key?: string;
  /** `volume`: the mount's `mountPath`, when given. */
  mountPath?: string;
  /** `volume`: the mount's `subPath`, when given (only that file or directory of the volume is mounted). */
  subPath?: string;
  /** `volume`: the Secrets the volume exposes, each with the keys it selects (see `secretSourcesOfVolume`). */
  sources?: SecretSource[];
  /** `volume`: a Secrets Store CSI volume (its `secret` is the SecretProviderClass). */
  csi?: true;
}

/** One Secret a volume exposes: its name, and the `items` it selects when it selects some. */
export interface SecretSource {
  /** The Secret's name, or `?` when not given. */
  name: string;
  /** The selected keys and the file names they are mounted as; undefined when the whole Secret is mounted. */
  items?: { key: string; path?: string }[];
}

export interface VolumeInfo {
  name: string;
  spec: PlainMap;
  index: number;
}

/** The pod's volumes by name (the later one wins on duplicates). */
export function volumesOf(workload: Workload): Map<string, VolumeInfo> {
  const out = new Map<string, VolumeInfo>();
  asArray(workload.podSpec.volumes).forEach((v, index) => {
    const spec = asMap(v);
    const name = asString(spec?.name);
    if (spec && name !== undefined) out.set(name, { name, spec, index });
  });
  return out;
}

/** The Secret names a volume exposes, or undefined when it exposes none. */
export function secretsOfVolume(volume: PlainMap): string[] | undefined {
  const secret = asMap(volume.secret);
  if (secret) return [asString(secret.secretName) ?? '?'];
  const projected = asMap(volume.projected);
  if (projected) {
    const names: string[] = [];
    for (const source of asArray(projected.sources)) {
      const s = asMap(asMap(source)?.secret);
      if (s) names.push(asString(s.name) ?? '?');
    }
    return names.length > 0 ? names : undefined;
  }
  const csi = asMap(volume.csi);
  if (csi && csi.driver === SECRETS_STORE_CSI_DRIVER) {
    return [asString(asMap(csi.volumeAttributes)?.secretProviderClass) ?? '?'];
  }
  return undefined;
}

function itemsOf(source: PlainMap): SecretSource['items'] {
  const items: NonNullable<SecretSource['items']> = [];
  for (const it of asArray(source.items)) {
    const item = asMap(it);
    const key = asString(item?.key);
    if (key === undefined || key === '') continue;
    const path = asString(item?.path);
    items.push(path === undefined || path === '' ? { key } : { key, path });
  }
  return items.length > 0 ? items : undefined;
}

/**
 * The Secrets a `secret` or `projected` volume exposes, each with the items it selects (undefined for
 * other volumes and for projected volumes without a `secret` source).
 */
function secretSourcesOfVolume(volume: PlainMap): SecretSource[] | undefined {
  const source = (map: PlainMap, nameField: string): SecretSource => {
    const items = itemsOf(map);
    const name = asString(map[nameField]) ?? '?';
    return items ? { name, items } : { name };
  };
  const secret = asMap(volume.secret);
  if (secret) return [source(secret, 'secretName')];
  const projected = asMap(volume.projected);
  if (!projected) return undefined;
  const out: SecretSource[] = [];
  for (const s of asArray(projected.sources)) {
    const map = asMap(asMap(s)?.secret);
    if (map) out.push(source(map, 'name'));
  }
  return out.length > 0 ? out : undefined;
}

/** Every way a Secret reaches this container, in document order (env, envFrom, volumeMounts). */
export function secretUses(workload: Workload, container: ContainerInfo, volumes = volumesOf(workload)): SecretUse[] {
  const out: SecretUse[] = [];
  const spec = container.spec;
  asArray(spec.env).forEach((e, i) => {
    const entry = asMap(e);
    const ref = asMap(asMap(entry?.valueFrom)?.secretKeyRef);
    if (ref) {
      const key = asString(ref.key);
      out.push({ via: 'env', secret: asString(ref.name) ?? '?', entry: asString(entry?.name) ?? `#${i}`, path: [...container.path, 'env', i], ...(key !== undefined ? { key } : {}) });
    }
  });
  asArray(spec.envFrom).forEach((e, i) => {
    const ref = asMap(asMap(e)?.secretRef);
    if (ref) out.push({ via: 'envFrom', secret: asString(ref.name) ?? '?', entry: `envFrom[${i}]`, path: [...container.path, 'envFrom', i] });
  });
  asArray(spec.volumeMounts).forEach((m, i) => {
    const mount = asMap(m);
    const name = asString(mount?.name);
    const volume = name === undefined ? undefined : volumes.get(name);
    const secrets = volume ? secretsOfVolume(volume.spec) : undefined;
    if (name !== undefined && volume && secrets) {
      const use: SecretUse = { via: 'volume', secret: secrets.join(', '), entry: name, path: [...container.path, 'volumeMounts', i] };
      const mountPath = asString(mount?.mountPath);
      if (mountPath !== undefined) use.mountPath = mountPath;
      const subPath = asString(mount?.subPath);
      if (subPath !== undefined && subPath !== '') use.subPath = subPath;
      const sources = secretSourcesOfVolume(volume.spec);
      if (sources) use.sources = sources;
      else use.csi = true;
      out.push(use);
    }
  });
  return out;
}
