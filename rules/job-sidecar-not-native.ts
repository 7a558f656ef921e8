import { defineRule, type NoOptions, NO_OPTIONS } from '../src/rule.js';
import { MESH_INJECTIONS, meshMetadata, plainInjection, type MeshInjection } from '../src/model/mesh-injection.js';
import { asArray, asMap, type PlainMap } from '../src/model/objects.js';
import { mainGuessNote, POD_TEMPLATE_PATHS, type ContainerInfo, type Workload } from '../src/model/workloads.js';
import { formatKubeVersion, supportsNativeSidecars, targetKubeVersion } from '../src/model/kube-version.js';
import type { Path } from '../src/types.js';
import { namespaceOf } from './support/selectors.js';

/** A shutdown call on localhost: `curl -X POST localhost:15020/quitquitquit`. */
interface ShutdownCall {
  port?: number;
  /** The last path segment, lower case (`quitquitquit`, `shutdown`). */
  endpoint: string;
}

/** The last path segments of the shutdown endpoints sidecars serve on localhost (Envoy/Istio, Cloud SQL/AlloyDB proxies: `quitquitquit`; Linkerd: `shutdown`). */
const SHUTDOWN_ENDPOINTS: readonly string[] = ['quitquitquit', 'shutdown'];

/** A loopback address with an optional port and path (`http://127.0.0.1:15020/quitquitquit`). */
const LOOPBACK_URL = /(?<![\w.-])(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?((?:\/[\w.~%-]*)+)/gi;

/** A command that signals another process by name or pid, as a shell word. */
const KILL_COMMAND = /(?:^|[\s;&|(`])(?:pkill|killall|kill)(?=\s)/;

function commandLine(c: ContainerInfo): string[] {
  const out: string[] = [];
  for (const field of ['command', 'args'] as const) for (const v of asArray(c.spec[field])) if (typeof v === 'string') out.push(v);
  return out;
}

/** The shutdown URLs on localhost that a container's command and args call. */
export function shutdownCalls(c: ContainerInfo): ShutdownCall[] {
  const calls: ShutdownCall[] = [];
  for (const text of commandLine(c)) {
    for (const m of text.matchAll(LOOPBACK_URL)) {
      const segments = m[2]!.split('/').filter((s) => s !== '');
      const endpoint = segments[segments.length - 1]?.toLowerCase();
      if (endpoint === undefined || !SHUTDOWN_ENDPOINTS.includes(endpoint)) continue;
      calls.push(m[1] === undefined ? { endpoint } : { endpoint, port: Number(m[1]) });
    }
  }
  return calls;
}

/** Whether a container runs a wrapper command with one of its shutdown flags (`linkerd-await --shutdown -- job`). */
function runsWrapper(c: ContainerInfo, wrapper: { command: string; flags: readonly string[] }): boolean {
  const words = commandLine(c).flatMap((t) => t.split(/\s+/));
  const at = words.findIndex((w) => w === wrapper.command || w.endsWith(`/${wrapper.command}`));
  return at >= 0 && words.slice(at + 1).some((w) => wrapper.flags.includes(w));
}

/** Under `shareProcessNamespace: true`, whether the main container signals another process (`pkill envoy`). */
function killsSibling(workload: Workload, main: ContainerInfo): boolean {
  return workload.podSpec.shareProcessNamespace === true && commandLine(main).some((t) => KILL_COMMAND.test(t));
}

/** Whether a flag is set in a container's command or args (`--quitquitquit`, `-quitquitquit`, `--quitquitquit=true`). */
function hasFlag(c: ContainerInfo, flag: string): boolean {
  return commandLine(c).some((t) => t.split(/\s+/).some((w) => new RegExp(`^--?${flag}(?:=true)?$`, 'i').test(w)));
}

/**
 * Whether the main container stops a sidecar of `containers` when it is done: it calls a shutdown URL
 * on localhost (a Cloud SQL or AlloyDB proxy serves `/quitquitquit` only when started with
 * `--quitquitquit`), or signals the sidecar's process in a shared process namespace.
 */
function stopsSidecar(workload: Workload, main: ContainerInfo, sidecar: ContainerInfo, calls: readonly ShutdownCall[]): boolean {
  if (killsSibling(workload, main)) return true;
  if (calls.length === 0) return false;
  if (sidecar.helper?.kind === 'db-proxy') {
    return hasFlag(sidecar, 'quitquitquit') && calls.some((c) => c.endpoint === 'quitquitquit');
  }
  return true;
}

/** Whether the main container stops a mesh's injected proxy when it is done. */
function stopsProxy(workload: Workload, main: ContainerInfo, mesh: MeshInjection, calls: readonly ShutdownCall[]): boolean {
  if (killsSibling(workload, main)) return true;
  const endpoint = mesh.shutdown.path.replace(/^\//, '');
  if (calls.some((c) => c.endpoint === endpoint)) return true;
  return mesh.shutdown.wrapper !== undefined && runsWrapper(main, mesh.shutdown.wrapper);
}

/** A Namespace of the linted set, with the mesh labels and annotations it carries. */
interface NamespaceFact {
  t: 'ns';
  name: string;
  meta: PlainMap;
}

/** A Job or CronJob whose pods a mesh may inject a plain proxy into. */
interface JobFact {
  t: 'job';
  namespace: string;
  /** The object names its namespace (`metadata.namespace`), rather than taking `--namespace`'s. */
  ownNamespace: boolean;
  kind: string;
  name: string;
  main: string;
  guess: string;
  /** The pod template's metadata path, from the object root. */
  metadataPath: Path;
  /** The mesh labels and annotations of the pod template. */
  pod: PlainMap;
  /** Indexes into MESH_INJECTIONS of the meshes the Job does not already handle (proxy listed by hand, or stopped by main). */
  meshes: number[];
}

type Fact = NamespaceFact | JobFact;

/** Whether an init container talks to one of these ports on localhost in its command, args or env. */
function callsLocalPort(init: PlainMap, ports: readonly number[]): boolean {
  if (ports.length === 0) return false;
  const words: string[] = [];
  for (const field of ['command', 'args'] as const) for (const v of asArray(init[field])) if (typeof v === 'string') words.push(v);
  for (const e of asArray(init.env)) {
    const value = asMap(e)?.value;
    if (typeof value === 'string') words.push(value);
  }
  return words.some((w) => [...w.matchAll(/(?:localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})/gi)].some((m) => ports.includes(Number(m[1]))));
}

/**
 * The fix: the sidecar moved to `initContainers` with `restartPolicy: Always`, before the first init
 * container that calls it on localhost (at the end when none does: the init containers that ran before
 * it started still do).
 */
function nativeSidecarFix(workload: Workload, c: ContainerInfo) {
  const inits = asArray(workload.podSpec.initContainers);
  const ports = c.ports.map((p) => p.port);
  const needing = inits.findIndex((i) => callsLocalPort(asMap(i) ?? {}, ports));
  return {
    title: `move "${c.name}" to initContainers with restartPolicy: Always`,
    edits: [
      { op: 'moveItem' as const, from: c.path, to: [...workload.podSpecPath, 'initContainers'], index: needing < 0 ? inits.length : needing, set: { restartPolicy: 'Always' } },
    ],
  };
}

export default defineRule<'native' | 'workaround' | 'injected' | 'injectedWorkaround', NoOptions, Fact>({
  meta: {
    id: 'job-sidecar-not-native',
    description:
      'A Job or CronJob pod runs a sidecar in `containers` (or gets a service-mesh proxy injected as one) that nothing stops, so the Job never completes; make it a native sidecar.',
    defaultSeverity: 'warning',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      native: {
        message: 'Sidecar "{{container}}" in `containers` keeps the {{kind}} from completing.',
        hint: 'It keeps running beside main container "{{main}}"{{guess}}, so the Job never completes. Make it a native sidecar: move it to `initContainers` with `restartPolicy: Always` (Kubernetes 1.29+), which the kubelet stops once the main container has finished.',
      },
      workaround: {
        message: 'Sidecar "{{container}}" in `containers` keeps the {{kind}} from completing.',
        hint: 'It keeps running beside main container "{{main}}"{{guess}}, so the Job never completes. Kubernetes {{version}} has no native sidecars: make the sidecar exit when "{{main}}" does (have "{{main}}" call the sidecar\'s shutdown endpoint on localhost, such as `/quitquitquit`, or write a file to a shared volume that the sidecar watches for), or bound the Job with `activeDeadlineSeconds`.',
      },
      injected: {
        message: '{{mesh}} sidecar "{{proxy}}" keeps {{kind}} "{{name}}" from completing.',
        hint: '{{source}} turns on {{mesh}} sidecar injection (`{{switch}}`): the injected "{{proxy}}" container keeps running after main container "{{main}}"{{guess}} has finished. Have the mesh inject a native sidecar, which the kubelet stops once "{{main}}" has finished: set {{nativeHint}} on the pod template (Kubernetes 1.29+); or opt the Job out with {{optOut}}.',
      },
      injectedWorkaround: {
        message: '{{mesh}} sidecar "{{proxy}}" keeps {{kind}} "{{name}}" from completing.',
        hint: '{{source}} turns on {{mesh}} sidecar injection (`{{switch}}`): the injected "{{proxy}}" container keeps running after main container "{{main}}"{{guess}} has finished. Kubernetes {{version}} has no native sidecars: have "{{main}}" stop the proxy when it is done (`{{stop}}`), or opt the Job out with {{optOut}}.',
      },
    },
    options: NO_OPTIONS,
    // Moving the sidecar to initContainers changes how the pod starts and stops.
    fix: 'unsafe',
  },
  check(ctx) {
    const { object } = ctx;
    if (object.ref.kind === 'Namespace' && object.ref.name !== null) {
      const meta = meshMetadata(asMap(object.value.metadata));
      if (Object.keys(meta).length > 0) ctx.defer({ t: 'ns', name: object.ref.name, meta } satisfies NamespaceFact);
      return;
    }
    const workload = ctx.workload;
    if (!workload || !workload.runsToCompletion || !workload.main) return;
    const main = workload.main;
    const native = supportsNativeSidecars(ctx.settings.kubeVersion);
    const kind = object.ref.kind ?? 'Job';
    const calls = shutdownCalls(main);
    for (const c of workload.containers) {
      if (c.role !== 'sidecar') continue;
      if (stopsSidecar(workload, main, c, calls)) continue;
      ctx.report({
        messageId: native ? 'native' : 'workaround',
        path: c.path,
        container: c,
        data: { container: c.name, main: main.name, guess: mainGuessNote(workload), kind, version: formatKubeVersion(targetKubeVersion(ctx.settings.kubeVersion)) },
        ...(native ? { fix: nativeSidecarFix(workload, c) } : {}),
      });
    }
    // Injected proxies: whether the Namespace turns injection on is known only once every file is read.
    const names = new Set(workload.containers.map((c) => c.name));
    const meshes = MESH_INJECTIONS.flatMap((mesh, i) => (names.has(mesh.proxy) || stopsProxy(workload, main, mesh, calls) ? [] : [i]));
    if (meshes.length === 0) return;
    ctx.defer({
      t: 'job',
      namespace: namespaceOf(object, ctx.settings.namespace),
      ownNamespace: object.ref.namespace !== null,
      kind,
      name: object.ref.name ?? '?',
      main: main.name,
      guess: mainGuessNote(workload),
      metadataPath: [...POD_TEMPLATE_PATHS[kind]!.metadata],
      pod: meshMetadata(workload.templateMetadata),
      meshes,
    } satisfies JobFact);
  },
  crossCheck(all, ctx) {
    const namespaces = new Map<string, PlainMap>();
    for (const { fact } of all) if (fact.t === 'ns' && !namespaces.has(fact.name)) namespaces.set(fact.name, fact.meta);
    const native = supportsNativeSidecars(ctx.settings.kubeVersion);
    const version = formatKubeVersion(targetKubeVersion(ctx.settings.kubeVersion));
    for (const { fact: job, origin } of all) {
      if (job.t !== 'job') continue;
      const namespace = namespaces.get(job.namespace);
      for (const i of job.meshes) {
        const mesh = MESH_INJECTIONS[i]!;
        const state = plainInjection(mesh, job.pod, namespace);
        if (!state.injected) continue;
        const byPod = state.by === 'pod';
        const path: Path = byPod ? [...job.metadataPath, state.switch.in, state.switch.key] : job.ownNamespace ? ['metadata', 'namespace'] : ['metadata'];
        const value = asMap((byPod ? job.pod : namespace)?.[state.switch.in])?.[state.switch.key];
        ctx.report({
          origin,
          messageId: native ? 'injected' : 'injectedWorkaround',
          path,
          data: {
            source: byPod ? 'The pod template' : `Namespace "${job.namespace}"`,
            mesh: mesh.mesh,
            switch: `${state.switch.key}: ${String(value)}`,
            kind: job.kind,
            name: job.name,
            proxy: mesh.proxy,
            main: job.main,
            guess: job.guess,
            nativeHint: mesh.nativeHint,
            optOut: mesh.optOutHint,
            version,
            stop: mesh.shutdown.wrapper
              ? `curl -X POST localhost:${mesh.shutdown.port}${mesh.shutdown.path}, or ${mesh.shutdown.wrapper.command} ${mesh.shutdown.wrapper.flags[0]}`
              : `curl -X POST localhost:${mesh.shutdown.port}${mesh.shutdown.path}`,
          },
        });
      }
    }
  },
});
