import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { supportsNativeSidecars } from '../src/model/kube-version.js';
import { asArray, asMap, asString } from '../src/model/objects.js';
import { secretUses, volumesOf } from '../src/model/secrets.js';
import type { ContainerInfo, Workload } from '../src/model/workloads.js';

/** The index of an `initContainers` entry, or -1. */
function initIndex(c: ContainerInfo): number {
  return c.path[c.path.length - 2] === 'initContainers' ? Number(c.path[c.path.length - 1]) : -1;
}

/**
 * Whether two containers can run at the same time. Long-running and ephemeral containers run
 * together; a plain init container runs alone, except beside the native sidecars started before it
 * (and ephemeral containers).
 */
function concurrent(a: ContainerInfo, b: ContainerInfo): boolean {
  if (a === b) return false;
  if (a.role !== 'init' && b.role !== 'init') return true;
  if (a.role === 'init' && b.role === 'init') return false;
  const [init, other] = a.role === 'init' ? [a, b] : [b, a];
  if (other.role === 'ephemeral') return true;
  return other.role === 'native-sidecar' && initIndex(other) < initIndex(init);
}

/** The user id a container runs as when the manifest says so (container securityContext, else the pod's). */
function runAsUser(workload: Workload, c: ContainerInfo): number | undefined {
  const own = asMap(c.spec.securityContext)?.runAsUser;
  const uid = own !== undefined && own !== null ? own : asMap(workload.podSpec.securityContext)?.runAsUser;
  return typeof uid === 'number' && Number.isInteger(uid) && uid >= 0 ? uid : undefined;
}

/** A container that may read any process's /proc entries whatever its user. */
function mayPtraceAnyone(c: ContainerInfo): boolean {
  const sc = asMap(c.spec.securityContext);
  if (sc?.privileged === true) return true;
  return asArray(asMap(sc?.capabilities)?.add).some((cap) => {
    const name = asString(cap)?.toUpperCase().replace(/^CAP_/, '');
    return name === 'SYS_PTRACE' || name === 'ALL';
  });
}

/** A `$(VAR)` expansion in command or args: its value lands in the world-readable /proc/<pid>/cmdline. */
function expandsVariablesIntoCommandLine(c: ContainerInfo): boolean {
  return ['command', 'args'].some((field) => asArray(c.spec[field]).some((v) => typeof v === 'string' && /(?<!\$)\$\([A-Za-z_][A-Za-z0-9_.-]*\)/.test(v)));
}

/**
 * Whether `reader` can read the environment and files of `holder` through /proc: unless both run as
 * known, different users and the reader is neither root nor privileged nor granted CAP_SYS_PTRACE.
 */
function canRead(workload: Workload, reader: ContainerInfo, holder: ContainerInfo): boolean {
  const readerUid = runAsUser(workload, reader);
  const holderUid = runAsUser(workload, holder);
  if (readerUid === undefined || holderUid === undefined) return true;
  if (readerUid === 0 || readerUid === holderUid) return true;
  return mayPtraceAnyone(reader);
}

export default defineRule({
  meta: {
    id: 'shared-process-namespace-secret',
    description:
      '`shareProcessNamespace: true` in a pod where a container receives a Secret: the other containers can read it through /proc.',
    defaultSeverity: 'warning',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 5.5,
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      shared: {
        message: 'Pod shares its process namespace, and a Secret reaches {{receivers}}.',
        hint: 'In a shared process namespace the other containers can read its environment and files through /proc, which defeats keeping the secret in one container. Turn process namespace sharing off, or run the containers as different non-root users.',
      },
      sharedJob: {
        message: 'Pod shares its process namespace, and a Secret reaches {{receivers}}.',
        hint: 'In a shared process namespace the other containers can read its environment and files through /proc, which defeats keeping the secret in one container. If the {{kind}} shares it so that the main container can stop a sidecar, make that sidecar a native sidecar instead (`initContainers` with `restartPolicy: Always`, Kubernetes 1.29+): the kubelet stops it once the main container has finished, and sharing can be turned off. Otherwise turn process namespace sharing off, or run the containers as different non-root users.',
      },
      sharedJobWorkaround: {
        message: 'Pod shares its process namespace, and a Secret reaches {{receivers}}.',
        hint: 'In a shared process namespace the other containers can read its environment and files through /proc, which defeats keeping the secret in one container. If the {{kind}} shares it so that the main container can stop a sidecar, have the main container call the sidecar\'s shutdown endpoint on localhost (such as `/quitquitquit`) or write a file to a shared volume that the sidecar watches for, and turn sharing off. Otherwise turn process namespace sharing off, or run the containers as different non-root users.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || workload.podSpec.shareProcessNamespace !== true) return;
    const volumes = volumesOf(workload);
    const receivers: string[] = [];
    let first: ContainerInfo | undefined;
    for (const holder of workload.containers) {
      const uses = secretUses(workload, holder, volumes);
      if (uses.length === 0) continue;
      const cmdline = uses.some((u) => u.via !== 'volume') && expandsVariablesIntoCommandLine(holder);
      const exposed = workload.containers.some((reader) => concurrent(reader, holder) && (cmdline || canRead(workload, reader, holder)));
      if (!exposed) continue;
      const secrets = [...new Set(uses.map((u) => u.secret))];
      receivers.push(`"${holder.name}" (Secret${secrets.length > 1 ? 's' : ''} ${secrets.map((s) => `"${s}"`).join(', ')})`);
      first ??= holder;
    }
    if (receivers.length === 0) return;
    // A Job shares its processes mostly to stop a sidecar: point at the way job-sidecar-not-native suggests.
    const job = workload.runsToCompletion && workload.containers.some((c) => c.role === 'sidecar');
    ctx.report({
      messageId: job ? (supportsNativeSidecars(ctx.settings.kubeVersion) ? 'sharedJob' : 'sharedJobWorkaround') : 'shared',
      path: [...workload.podSpecPath, 'shareProcessNamespace'],
      container: receivers.length === 1 ? first : undefined,
      data: { receivers: `${receivers.length > 1 ? 'containers' : 'container'} ${receivers.join(', ')}`, kind: ctx.object.ref.kind ?? 'Job' },
    });
  },
});
