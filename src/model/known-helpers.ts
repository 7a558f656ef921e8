/**
 * Known helpers: the containers that are sidecars by nature (mesh and database proxies, log and
 * metric shippers, exporters, secret agents, git-sync, the CSI sidecars). One table, read by the
 * main-container guess (`workloadOf`) and by every rule that needs to know what a sidecar is for.
 *
 * A helper is recognised by its image's repository name (any registry, any tag or digest), by the
 * container names the injectors give it, or by a helper word in its own name. Each entry says what
 * kind of helper it is, which tells the rules whether it works with the main container over
 * localhost by its nature (a proxy in front of the app or in front of its database) and whether it
 * authenticates with the pod's own identity (its service-account token).
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { asArray, type PlainMap } from './objects.js';

export type HelperKind =
  /** A service-mesh proxy (Istio, Linkerd, Envoy, Dapr): sits in front of the app over localhost. */
  | 'mesh-proxy'
  /** A database connector (Cloud SQL / AlloyDB auth proxies, pgbouncer): the app reaches the database through it. */
  | 'db-proxy'
  /** An authenticating reverse proxy in front of the app (oauth2-proxy, kube-rbac-proxy), or the authorizer its mesh proxy calls over localhost (Istio's ext-authz). */
  | 'auth-proxy'
  /** Fetches secrets for the app (Vault agent). */
  | 'secret-agent'
  /** Ships logs, metrics or traces (Fluent Bit, Fluentd, Filebeat, Promtail, Vector, OpenTelemetry, Jaeger agent). */
  | 'shipper'
  /** Exports another program's metrics (`*-exporter`, prometheus-to-sd). */
  | 'exporter'
  /** Reloads the app when its configuration changes (config-reloader, configmap-reload). */
  | 'reloader'
  /** Keeps a git checkout in a shared volume up to date. */
  | 'git-sync'
  /** A Kubernetes CSI sidecar (csi-provisioner, csi-attacher, …, livenessprobe, node-driver-registrar). */
  | 'csi'
  /** A helper named for its role in a multi-container pattern (`redis-sidecar`, `nginx-ambassador`, `log-adapter`): its author says it works with the main container. */
  | 'pattern'
  /** A helper known only by a word in its name (`exporter`, `agent`, `proxy`, `shipper`, `reloader`). */
  | 'named';

export interface HelperEntry {
  kind: HelperKind;
  /** Image repository names (the last path segment, lower case) that are this helper. */
  images?: readonly string[];
  /** Image repository paths (`org/name`, lower case) that are this helper, when the last segment alone is too generic. */
  imagePaths?: readonly string[];
  /** Container names an injector gives this helper. */
  names?: readonly string[];
  /** The image is a helper only when the container runs this subcommand (Vault's `agent`: the same image runs the server). */
  onlyWithArg?: string;
  /** A helper only beside another server: alone with other helpers it is the pod's main program (pgbouncer with its exporter). */
  onlyBesideServer?: boolean;
  /** Overrides its kind's `podIdentity` (pgbouncer is a database proxy that logs in with a password, not the pod's token). */
  podIdentity?: boolean;
}

/**
 * What each helper kind does for the pod: `localhost`, it works with the main container over
 * localhost by its nature; `declared`, its name declares that it works with the main container (the
 * pattern words); `podIdentity`, it authenticates with the pod's service-account token.
 */
export const HELPER_KINDS: Readonly<Record<HelperKind, { localhost: boolean; declared: boolean; podIdentity: boolean }>> = {
  'mesh-proxy': { localhost: true, declared: false, podIdentity: false },
  'db-proxy': { localhost: true, declared: false, podIdentity: true },
  'auth-proxy': { localhost: true, declared: false, podIdentity: false },
  'secret-agent': { localhost: true, declared: false, podIdentity: true },
  shipper: { localhost: false, declared: false, podIdentity: false },
  exporter: { localhost: false, declared: false, podIdentity: false },
  reloader: { localhost: false, declared: false, podIdentity: false },
  'git-sync': { localhost: false, declared: false, podIdentity: false },
  csi: { localhost: false, declared: false, podIdentity: false },
  pattern: { localhost: false, declared: true, podIdentity: false },
  named: { localhost: false, declared: false, podIdentity: false },
};

/** The known helpers. Keep each entry tested (test/unit/model/known-helpers.test.ts). */
export const KNOWN_HELPERS: readonly HelperEntry[] = [
  { kind: 'mesh-proxy', images: ['proxyv2'], names: ['istio-proxy', 'istio-init'] },
  { kind: 'mesh-proxy', images: ['linkerd2-proxy', 'linkerd-proxy', 'proxy-init'], imagePaths: ['linkerd-io/proxy', 'linkerd/proxy'], names: ['linkerd-proxy', 'linkerd-init'] },
  { kind: 'mesh-proxy', images: ['envoy', 'envoy-alpine', 'envoy-distroless', 'consul-dataplane'] },
  { kind: 'mesh-proxy', images: ['daprd'], names: ['daprd'] },
  { kind: 'db-proxy', images: ['cloud-sql-proxy', 'gce-proxy', 'cloudsql-proxy'], names: ['cloud-sql-proxy', 'cloudsql-proxy'] },
  { kind: 'db-proxy', images: ['alloydb-auth-proxy'] },
  { kind: 'db-proxy', images: ['pgbouncer'], onlyBesideServer: true, podIdentity: false },
  { kind: 'auth-proxy', images: ['oauth2-proxy', 'kube-rbac-proxy', 'ext-authz'] },
  { kind: 'secret-agent', images: ['vault'], onlyWithArg: 'agent' },
  { kind: 'secret-agent', names: ['vault-agent', 'vault-agent-init'] },
  { kind: 'shipper', images: ['fluent-bit', 'fluentd', 'fluentd-kubernetes-daemonset', 'filebeat', 'promtail', 'vector', 'jaeger-agent'] },
  {
    kind: 'shipper',
    images: ['opentelemetry-collector', 'opentelemetry-collector-contrib', 'opentelemetry-collector-k8s', 'otel-collector', 'otelcol', 'otelcol-contrib'],
  },
  { kind: 'exporter', images: ['prometheus-to-sd'] },
  { kind: 'reloader', images: ['config-reloader', 'prometheus-config-reloader', 'configmap-reload'] },
  { kind: 'git-sync', images: ['git-sync'] },
  {
    kind: 'csi',
    images: [
      'csi-provisioner',
      'csi-attacher',
      'csi-resizer',
      'csi-snapshotter',
      'livenessprobe',
      'csi-node-driver-registrar',
      'csi-external-health-monitor-controller',
      // The same sidecars as EKS Distro publishes them (public.ecr.aws/eks-distro/kubernetes-csi/…),
      // which the AWS CSI drivers' manifests use.
      'external-provisioner',
      'external-attacher',
      'external-resizer',
      'node-driver-registrar',
    ],
  },
];

/**
 * Exporters that are programs of their own, not helpers of a sibling: they export the node or probe
 * remote targets (`*-exporter` otherwise marks a helper).
 */
export const STANDALONE_EXPORTERS: readonly string[] = ['node-exporter', 'windows-exporter', 'blackbox-exporter', 'kube-state-metrics'];

/** Words that make a container a helper by its own name. */
export const HELPER_NAME_WORDS: readonly string[] = ['sidecar', 'ambassador', 'adapter', 'exporter', 'agent', 'proxy', 'shipper', 'reloader'];

/**
 * The names of the multi-container patterns (sidecar, ambassador, adapter): a helper named with one
 * (kind `pattern`) is declared by its author to work with the main container, which is coupling
 * enough (the book's `redis-sidecar` and `nginx-ambassador` talk to the app over localhost on ports
 * the manifest never names). `ambassador` and `adapter` are also programs' names (Emissary's
 * `ambassador`, `prometheus-adapter`): like `agent`, they mark no helper in the workload named after it.
 */
export const PATTERN_WORDS: readonly string[] = ['sidecar', 'ambassador', 'adapter'];

/**
 * Helper words that say a container's role beside another, not what kind of program it is: a
 * container named with one is a helper even when the workload is named after it (a demo Pod
 * `ambassador-sidecar-example` is about its sidecar, which still serves another container).
 */
export const HELPER_ROLE_WORDS: readonly string[] = ['sidecar'];

/**
 * Whether a container is its workload's namesake: its name, with a word besides the helper words,
 * is the workload's name or a run of its words (`spire-agent` in DaemonSet `spire-agent` or
 * `release-spire-agent`). A program named after its kind (an agent, a proxy, an exporter) that gives
 * the workload its name is what the workload runs, not a helper of a sibling. A name of helper words
 * alone is never a namesake (`proxy` in Deployment `app-proxy` stays a helper), and a role word
 * (`sidecar`) always marks a helper.
 */
export function isWorkloadNamesake(containerName: string, workloadName: string): boolean {
  const own = words(containerName);
  if (own.length === 0 || own.some((w) => HELPER_ROLE_WORDS.includes(w))) return false;
  if (own.every((w) => HELPER_NAME_WORDS.includes(w))) return false;
  const of = words(workloadName);
  for (let start = 0; start + own.length <= of.length; start++) {
    if (own.every((w, i) => of[start + i] === w)) return true;
  }
  return false;
}

/** An image's repository path without registry, tag or digest, lower case (`docker.io/istio/proxyv2:1.20` → `istio/proxyv2`). */
export function imageRepository(image: string): string {
  let repo = REPOSITORIES.get(image);
  if (repo === undefined) {
    repo = repositoryOf(image);
    if (image.length <= MAX_REMEMBERED_IMAGE) {
      if (REPOSITORIES.size >= MAX_REPOSITORIES) REPOSITORIES.clear();
      REPOSITORIES.set(image, repo);
    }
  }
  return repo;
}

/** `imageRepository`'s answers by image: a run meets the same images again and again. Bounded in count and length. */
const REPOSITORIES = new Map<string, string>();
const MAX_REPOSITORIES = 5_000;
const MAX_REMEMBERED_IMAGE = 512;

function repositoryOf(image: string): string {
  let s = image.trim().toLowerCase();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  // A first segment with a dot or a port, or `localhost`, is a registry.
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

/** The last path segment of an image's repository (`gcr.io/cloudsql-docker/gce-proxy:1.33` → `gce-proxy`). */
export function imageName(image: string): string {
  const repo = imageRepository(image);
  return repo.slice(repo.lastIndexOf('/') + 1);
}

function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter((w) => w !== '');
}

function runsArg(spec: PlainMap, arg: string): boolean {
  for (const field of ['command', 'args'] as const) {
    for (const v of asArray(spec[field])) if (typeof v === 'string' && v.split(/\s+/).includes(arg)) return true;
  }
  return false;
}

export interface HelperMatch {
  kind: HelperKind;
  /** How it was recognised. */
  by: 'image' | 'name' | 'name-word';
  /** Counts as a helper only beside a container that is not one (see `HelperEntry.onlyBesideServer`). */
  onlyBesideServer?: true;
  /** The entry's own `podIdentity`, when it overrides its kind's. */
  podIdentity?: boolean;
}

/** Whether a helper authenticates with the pod's service-account token (its entry's say, else its kind's). */
export function usesPodIdentity(match: HelperMatch): boolean {
  return match.podIdentity ?? HELPER_KINDS[match.kind].podIdentity;
}

/**
 * The entries of KNOWN_HELPERS that can match an image, by the last segment of its repository (an
 * `imagePaths` entry matches only a repository that ends in it, so with its last segment), as
 * indexes in table order: the first that matches wins, as in a scan of the table.
 */
const ENTRIES_BY_IMAGE: ReadonlyMap<string, readonly number[]> = (() => {
  const out = new Map<string, number[]>();
  KNOWN_HELPERS.forEach((entry, i) => {
    const lasts = [...(entry.images ?? []), ...(entry.imagePaths ?? []).map((p) => p.slice(p.lastIndexOf('/') + 1))];
    for (const last of new Set(lasts)) {
      const list = out.get(last) ?? [];
      if (!list.includes(i)) list.push(i);
      out.set(last, list);
    }
  });
  return out;
})();

/** The first entry of KNOWN_HELPERS that lists a container name. */
const ENTRY_BY_NAME: ReadonlyMap<string, HelperEntry> = (() => {
  const out = new Map<string, HelperEntry>();
  for (const entry of KNOWN_HELPERS) for (const name of entry.names ?? []) if (!out.has(name)) out.set(name, entry);
  return out;
})();

/**
 * The known helper a container of a workload is: `knownHelper`, except that a container known only
 * by a helper word in its name is no helper when it is the workload's namesake (`isWorkloadNamesake`).
 */
export function knownHelperIn(spec: PlainMap, workloadName: string | null): HelperMatch | undefined {
  const match = knownHelper(spec);
  if (match?.by !== 'name-word' || workloadName === null || typeof spec.name !== 'string') return match;
  return isWorkloadNamesake(spec.name, workloadName) ? undefined : match;
}

/** The known helper a container is, or undefined when it is not one. */
export function knownHelper(spec: PlainMap): HelperMatch | undefined {
  const image = typeof spec.image === 'string' ? spec.image : '';
  const name = typeof spec.name === 'string' ? spec.name.toLowerCase() : '';
  if (image !== '') {
    const repo = imageRepository(image);
    const last = repo.slice(repo.lastIndexOf('/') + 1);
    for (const i of ENTRIES_BY_IMAGE.get(last) ?? []) {
      const entry = KNOWN_HELPERS[i]!;
      const hit = entry.images?.includes(last) || entry.imagePaths?.some((p) => repo === p || repo.endsWith(`/${p}`));
      if (!hit) continue;
      if (entry.onlyWithArg !== undefined && !runsArg(spec, entry.onlyWithArg)) continue;
      return {
        kind: entry.kind,
        by: 'image',
        ...(entry.onlyBesideServer ? { onlyBesideServer: true as const } : {}),
        ...(entry.podIdentity !== undefined ? { podIdentity: entry.podIdentity } : {}),
      };
    }
    if (STANDALONE_EXPORTERS.includes(last)) return undefined;
    if (/[-_]exporter$/.test(last)) return { kind: 'exporter', by: 'image' };
  }
  if (name !== '') {
    const entry = ENTRY_BY_NAME.get(name);
    if (entry) return { kind: entry.kind, by: 'name' };
    // A word of the name is a piece of it: a name without any helper word as text has none as a word.
    if (!HELPER_NAME_WORDS.some((h) => name.includes(h))) return undefined;
    const w = words(name);
    const word = HELPER_NAME_WORDS.find((h) => w.includes(h));
    if (word === undefined) return undefined;
    const kind = w.some((x) => PATTERN_WORDS.includes(x)) ? 'pattern' : word === 'exporter' ? 'exporter' : 'named';
    return { kind, by: 'name-word' };
  }
  return undefined;
}
