import { defineRule, type NoOptions, NO_OPTIONS } from '../src/rule.js';
import { usesPodIdentity, type HelperKind } from '../src/model/known-helpers.js';
import { asArray, asMap, asString, type PlainMap } from '../src/model/objects.js';
import { secretUses } from '../src/model/secrets.js';
import { mainGuessNote, type ContainerInfo, type Workload } from '../src/model/workloads.js';
import type { Path } from '../src/types.js';
import { namespaceOf } from './support/selectors.js';

/** Where the kubelet mounts the automatic service-account token. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Flags and env vars with which a pod-identity helper logs in with credentials of its own (a key
 * file, a token) instead of the pod's service-account token: Cloud SQL / AlloyDB proxies
 * (`--credentials-file`, v1's `-credential_file`, `--json-credentials`, `--token`) and Google client
 * libraries (`GOOGLE_APPLICATION_CREDENTIALS`).
 */
const OWN_CREDENTIAL_FLAGS: readonly string[] = ['credentials-file', 'credential_file', 'credentials_file', 'json-credentials', 'json_credentials', 'token'];
const OWN_CREDENTIAL_ENV: readonly string[] = ['GOOGLE_APPLICATION_CREDENTIALS'];

/** RBAC verbs that read a Secret's data. */
const READ_VERBS: readonly string[] = ['get', 'list', 'watch', '*'];

/** What a pod-identity helper uses the token for, and what the main container could do with it, by kind. */
const IDENTITY_USE: Partial<Record<HelperKind, { use: string; risk: string }>> = {
  'secret-agent': { use: 'fetches secrets with the pod\'s service-account token (a secret agent such as the Vault agent)', risk: 'fetch the same secrets' },
  'db-proxy': { use: 'authenticates to the database with the pod\'s identity (its service-account token)', risk: 'log in to the same databases' },
};
const DEFAULT_USE = { use: 'authenticates with the pod\'s service-account token', risk: 'act as the sidecar' };
const RBAC_RISK = 'read the same Secrets through the API';

function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/**
 * Whether a helper logs in with credentials of its own rather than the pod's token: a flag or env var
 * that names them, or a Secret it receives (a key file, a Vault AppRole's role and secret ids).
 */
function ownCredentials(workload: Workload, c: ContainerInfo): boolean {
  if (secretUses(workload, c).length > 0) return true;
  const words = ['command', 'args'].flatMap((f) => strings(c.spec[f])).flatMap((t) => t.split(/\s+/));
  if (words.some((w) => OWN_CREDENTIAL_FLAGS.some((flag) => new RegExp(`^--?${flag}(?:=|$)`, 'i').test(w)))) return true;
  return asArray(c.spec.env).some((e) => OWN_CREDENTIAL_ENV.includes(asString(asMap(e)?.name) ?? ''));
}

/** The names of the pod's projected volumes that carry a service-account token. */
function tokenVolumes(workload: Workload): Set<string> {
  const out = new Set<string>();
  for (const v of asArray(workload.podSpec.volumes)) {
    const volume = asMap(v);
    const name = asString(volume?.name);
    if (!volume || name === undefined) continue;
    const sources = asArray(asMap(volume.projected)?.sources);
    if (sources.some((s) => asMap(asMap(s)?.serviceAccountToken) !== undefined)) out.add(name);
  }
  return out;
}

/**
 * How the main container gets a token: a projected token volume it mounts, and whether the automatic
 * token reaches it as far as the pod says (not turned off on the pod, not hidden by a volume of its own
 * at the token's path; the ServiceAccount may still turn it off).
 */
function mainToken(workload: Workload, main: ContainerInfo): { projected?: string; automatic: boolean } {
  const projected = tokenVolumes(workload);
  let volume: string | undefined;
  let masked = false;
  for (const m of asArray(main.spec.volumeMounts)) {
    const mount = asMap(m);
    const name = asString(mount?.name);
    if (name !== undefined && projected.has(name)) volume ??= name;
    const at = asString(mount?.mountPath)?.replace(/\/+$/, '');
    if (at === TOKEN_MOUNT_PATH || (at !== undefined && at !== '' && TOKEN_MOUNT_PATH.startsWith(`${at}/`))) masked = true;
  }
  const automatic = !masked && workload.podSpec.automountServiceAccountToken !== false;
  return { ...(volume !== undefined ? { projected: volume } : {}), automatic };
}

/** Whether a Role's or ClusterRole's rules let it read Secrets (get, list or watch; `*` counts). */
export function readsSecrets(rules: unknown): boolean {
  return asArray(rules).some((r) => {
    const rule = asMap(r);
    if (!rule) return false;
    const groups = rule.apiGroups === undefined ? [''] : strings(rule.apiGroups);
    if (!groups.some((g) => g === '' || g === '*')) return false;
    if (!strings(rule.resources).some((res) => res === 'secrets' || res === '*')) return false;
    return strings(rule.verbs).some((v) => READ_VERBS.includes(v.toLowerCase()));
  });
}

/** A ServiceAccount that turns the automatic token off. */
interface AccountFact {
  t: 'sa';
  key: string;
}

/** A Role or ClusterRole that can read Secrets. */
interface RoleFact {
  t: 'role';
  /** `Role/<namespace>/<name>` or `ClusterRole/<name>`. */
  key: string;
}

/** A RoleBinding or ClusterRoleBinding: the role it grants and the service accounts it grants it to. */
interface BindingFact {
  t: 'binding';
  kind: string;
  name: string;
  role: string;
  roleName: string;
  /** `<namespace>/<name>` of a ServiceAccount, `ns:<namespace>` for all of a namespace's, `*` for all. */
  subjects: string[];
}

/** A pod whose main container gets a token beside a sidecar that may use it. */
interface PodFact {
  t: 'pod';
  namespace: string;
  account: string;
  /** The pod writes `automountServiceAccountToken` itself (true or false): the ServiceAccount's then does not count. */
  podSetsAutomount: boolean;
  /** A projected token volume the main container mounts. */
  projected?: string;
  /** The automatic token reaches the main container as far as the pod says. */
  automatic: boolean;
  main: string;
  guess: string;
  /** The first sidecar that authenticates with the pod's identity by its nature, and what it is. */
  identity?: { name: string; use: string; risk: string };
  /** The first sidecar that is not a known helper (it may read Secrets through the API). */
  other?: string;
  path: Path;
  /** `automountServiceAccountToken: true` is written on the pod. */
  automountWritten: boolean;
}

type Fact = AccountFact | RoleFact | BindingFact | PodFact;

function bindingFact(object: { value: PlainMap; ref: { kind: string | null; name: string | null } }, namespace: string): BindingFact | undefined {
  const roleRef = asMap(object.value.roleRef);
  const roleKind = asString(roleRef?.kind);
  const roleName = asString(roleRef?.name);
  if (roleName === undefined || (roleKind !== 'Role' && roleKind !== 'ClusterRole')) return undefined;
  const cluster = object.ref.kind === 'ClusterRoleBinding';
  if (cluster && roleKind !== 'ClusterRole') return undefined;
  const subjects: string[] = [];
  for (const s of asArray(object.value.subjects)) {
    const subject = asMap(s);
    const kind = asString(subject?.kind);
    const name = asString(subject?.name);
    if (!subject || name === undefined) continue;
    if (kind === 'ServiceAccount') subjects.push(`${asString(subject.namespace) ?? namespace}/${name}`);
    else if (kind === 'Group' && name === 'system:serviceaccounts') subjects.push('*');
    else if (kind === 'Group' && name.startsWith('system:serviceaccounts:')) subjects.push(`ns:${name.slice('system:serviceaccounts:'.length)}`);
    else if (kind === 'User' && name.startsWith('system:serviceaccount:')) subjects.push(name.slice('system:serviceaccount:'.length).replace(':', '/'));
  }
  if (subjects.length === 0) return undefined;
  return {
    t: 'binding',
    kind: object.ref.kind ?? 'RoleBinding',
    name: object.ref.name ?? '?',
    role: roleKind === 'Role' ? `Role/${namespace}/${roleName}` : `ClusterRole/${roleName}`,
    roleName: `${roleKind} "${roleName}"`,
    subjects,
  };
}

export default defineRule<'automatic' | 'projected', NoOptions, Fact>({
  meta: {
    id: 'main-container-token',
    description:
      'A sidecar authenticates with the pod\'s service-account token (a secret agent, a database auth proxy, or any sidecar whose ServiceAccount can read Secrets) and the main container gets the same token.',
    defaultSeverity: 'info',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 6.0,
    scope: 'pod-structure',
    messages: {
      automatic: {
        message: 'Main container "{{main}}"{{guess}} gets the token of sidecar "{{sidecar}}".',
        hint: 'Sidecar "{{sidecar}}" {{use}}, and main container "{{main}}" gets the same token ({{how}}): a compromised app can use it to {{risk}}. Set `automountServiceAccountToken: false` on the pod and mount a projected `serviceAccountToken` volume into "{{sidecar}}" only.',
      },
      projected: {
        message: 'Main container "{{main}}"{{guess}} mounts the token of sidecar "{{sidecar}}".',
        hint: 'Sidecar "{{sidecar}}" {{use}}, and main container "{{main}}" mounts the same token (projected volume "{{volume}}"): a compromised app can use it to {{risk}}. Mount the projected `serviceAccountToken` volume into "{{sidecar}}" only.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    const kind = object.ref.kind;
    const namespace = namespaceOf(object, ctx.settings.namespace);
    if (kind === 'ServiceAccount' && object.ref.name !== null) {
      if (object.value.automountServiceAccountToken === false) ctx.defer({ t: 'sa', key: `${namespace}/${object.ref.name}` } satisfies AccountFact);
      return;
    }
    if ((kind === 'Role' || kind === 'ClusterRole') && object.ref.name !== null) {
      if (readsSecrets(object.value.rules)) ctx.defer({ t: 'role', key: kind === 'Role' ? `Role/${namespace}/${object.ref.name}` : `ClusterRole/${object.ref.name}` } satisfies RoleFact);
      return;
    }
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const fact = bindingFact(object, namespace);
      if (fact) ctx.defer(fact);
      return;
    }
    const workload = ctx.workload;
    const main = workload?.main;
    if (!workload || !main) return;
    const sidecars = workload.containers.filter((c) => c.role === 'sidecar' || c.role === 'native-sidecar');
    if (sidecars.length === 0) return;
    const token = mainToken(workload, main);
    if (!token.automatic && token.projected === undefined) return;
    const identity = sidecars.find((c) => c.helper !== undefined && usesPodIdentity(c.helper) && !ownCredentials(workload, c));
    // A known helper that does not fetch secrets (mesh or auth proxy, shipper, exporter, …) is not why
    // the ServiceAccount can read Secrets; a sidecar that is not one (or only by a word of its name) may be.
    const other = sidecars.find((c) => c.helper === undefined || c.helper.by === 'name-word');
    if (!identity && !other) return;
    const automount = workload.podSpec.automountServiceAccountToken;
    ctx.defer({
      t: 'pod',
      namespace,
      account: asString(workload.podSpec.serviceAccountName) ?? asString(workload.podSpec.serviceAccount) ?? 'default',
      podSetsAutomount: typeof automount === 'boolean',
      ...(token.projected !== undefined ? { projected: token.projected } : {}),
      automatic: token.automatic,
      main: main.name,
      guess: mainGuessNote(workload),
      ...(identity ? { identity: { name: identity.name, ...(IDENTITY_USE[identity.helper!.kind] ?? DEFAULT_USE) } } : {}),
      ...(other ? { other: other.name } : {}),
      path: automount === true && token.automatic ? [...workload.podSpecPath, 'automountServiceAccountToken'] : main.path,
      automountWritten: automount === true,
    } satisfies PodFact);
  },
  crossCheck(all, ctx) {
    const noAutomount = new Set<string>();
    const readers = new Set<string>();
    for (const { fact } of all) {
      if (fact.t === 'sa') noAutomount.add(fact.key);
      else if (fact.t === 'role') readers.add(fact.key);
    }
    // The first binding (in input order) that grants each subject, found by lookup rather than by
    // scanning every binding for every pod.
    const firstBySubject = new Map<string, { order: number; binding: BindingFact }>();
    let order = 0;
    for (const { fact } of all) {
      if (fact.t !== 'binding' || !readers.has(fact.role)) continue;
      for (const s of fact.subjects) if (!firstBySubject.has(s)) firstBySubject.set(s, { order, binding: fact });
      order++;
    }
    const grantOf = (namespace: string, account: string): BindingFact | undefined => {
      let best: { order: number; binding: BindingFact } | undefined;
      for (const s of ['*', `ns:${namespace}`, `${namespace}/${account}`]) {
        const hit = firstBySubject.get(s);
        if (hit && (!best || hit.order < best.order)) best = hit;
      }
      return best?.binding;
    };
    for (const { fact: pod, origin } of all) {
      if (pod.t !== 'pod') continue;
      // The ServiceAccount's `automountServiceAccountToken: false` counts when the pod does not say.
      const automatic = pod.automatic && (pod.podSetsAutomount || !noAutomount.has(`${pod.namespace}/${pod.account}`));
      if (!automatic && pod.projected === undefined) continue;
      let sidecar: string;
      let use: string;
      let risk = RBAC_RISK;
      if (pod.identity) {
        sidecar = pod.identity.name;
        use = pod.identity.use;
        risk = pod.identity.risk;
      } else {
        const grant = pod.other === undefined ? undefined : grantOf(pod.namespace, pod.account);
        if (!grant) continue;
        sidecar = pod.other!;
        use = `runs in a pod whose ServiceAccount "${pod.account}" can read Secrets (${grant.kind} "${grant.name}" grants ${grant.roleName})`;
      }
      ctx.report({
        origin,
        messageId: automatic ? 'automatic' : 'projected',
        path: pod.path,
        container: pod.main,
        data: {
          sidecar,
          use,
          risk,
          main: pod.main,
          guess: pod.guess,
          how: pod.automountWritten ? '`automountServiceAccountToken: true`' : 'mounted automatically',
          volume: pod.projected ?? '',
        },
      });
    }
  },
});
