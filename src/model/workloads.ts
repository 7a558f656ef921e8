/**
 * The workload model: one table maps every pod-bearing kind to its pod template, and every container
 * gets a role. Rules read this model and never branch on kinds.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import type { Path } from '../types.js';
import { knownHelper, knownHelperIn, type HelperMatch } from './known-helpers.js';
import { asArray, asMap, asString, type K8sObject, type PlainMap } from './objects.js';
import { portNumber, protocolOf } from './selectors.js';

export type ContainerRole = 'main' | 'sidecar' | 'native-sidecar' | 'init' | 'ephemeral';

export interface ContainerInfo {
  /** The container's name, or `#<index>` when it has none. */
  name: string;
  role: ContainerRole;
  /** Runs for the pod's lifetime: the main container, sidecars and native sidecars. */
  longRunning: boolean;
  /** The container's data (an empty map when the entry is not a map). */
  spec: PlainMap;
  /** Path of the container's list item, from the object root. */
  path: Path;
  /** The known helper this container is (by image, injector name or a helper word in its name). */
  helper?: HelperMatch;
  /** The ports it declares (`ports[]`), read once by `declaredPortsOf`. */
  ports: DeclaredPort[];
}

/**
 * A port a container declares: an entry of `ports[]` whose `containerPort` the API server accepts,
 * a whole number from 1 to 65535. A string is not a port, not even `"8080"` (a template that quoted
 * its value): the field is an int32, so the API server rejects the object, and no rule counts it.
 */
export interface DeclaredPort {
  /** Index of the entry in `ports`. */
  index: number;
  port: number;
  /** `protocol` upper-cased; TCP when missing, as the API server defaults it. */
  protocol: string;
  /** `name`, when it has a non-empty one. */
  name?: string;
}

/** The ports a container spec declares (see `DeclaredPort`), in order: the one reading of `ports[]`. */
export function declaredPortsOf(spec: PlainMap): DeclaredPort[] {
  const out: DeclaredPort[] = [];
  asArray(spec.ports).forEach((p, index) => {
    const map = asMap(p);
    const port = portNumber(map?.containerPort);
    if (!map || port === undefined) return;
    const entry: DeclaredPort = { index, port, protocol: protocolOf(map.protocol) };
    if (typeof map.name === 'string' && map.name !== '') entry.name = map.name;
    out.push(entry);
  });
  return out;
}

/**
 * How the main container was chosen: the default-container annotation; the only regular container;
 * the only regular container that is not a known helper; the only one whose port a Service of the
 * linted set targets; the first regular container.
 */
export type MainChoice = 'annotation' | 'only' | 'only-non-helper' | 'service' | 'first';

/** How a guess is explained in messages, after the container's name. */
export const MAIN_CHOICE_NOTES: Readonly<Record<MainChoice, string>> = {
  annotation: '',
  only: '',
  'only-non-helper': ' (guessed: others are helpers)',
  service: ' (guessed: a Service targets it)',
  first: ' (guessed: first container)',
};

export interface Workload {
  object: K8sObject;
  podSpec: PlainMap;
  /** Path of the pod spec from the object root. */
  podSpecPath: Path;
  /** Metadata of the pod template (for a Pod, the object's own metadata). */
  templateMetadata: PlainMap;
  containers: ContainerInfo[];
  /** The main container, if the pod has any containers. */
  main: ContainerInfo | undefined;
  /** How `main` was chosen. */
  mainChoice: MainChoice;
  /**
   * The default-container annotation when it names no container of the pod (its value), so that
   * `default-container-missing` can say so; undefined when absent or when it names a container.
   */
  missingDefaultContainer?: string;
  /** Main container, sidecars and native sidecars. */
  longRunning: ContainerInfo[];
  /** The pods run to completion (Job, CronJob): a container that never exits keeps them from finishing. */
  runsToCompletion: boolean;
}

/** Where a pod-bearing kind keeps its pod template, and what its pods do. */
export interface PodTemplatePaths {
  /** Path to the pod template's metadata (for a Pod, the object's own metadata). */
  metadata: Path;
  /** Path to the pod spec. */
  spec: Path;
  /** The pods run to completion (a Job's); otherwise they run until deleted. */
  runsToCompletion?: boolean;
  /**
   * A path that, when set, means the object has no pod template of its own (an Argo Rollout's
   * `spec.workloadRef` points at a Deployment's template): the object is not a workload.
   */
  noTemplateWhen?: Path;
}

/** Every entry with the same properties in the same order (one object shape where workloadOf reads them). */
function templatePaths(metadata: Path, spec: Path, runsToCompletion = false, noTemplateWhen?: Path): PodTemplatePaths {
  return { metadata, spec, runsToCompletion, noTemplateWhen };
}

const SPEC_TEMPLATE = templatePaths(['spec', 'template', 'metadata'], ['spec', 'template', 'spec']);

/** Where each pod-bearing kind keeps its pod template. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, PodTemplatePaths>> = {
  Pod: templatePaths(['metadata'], ['spec']),
  PodTemplate: templatePaths(['template', 'metadata'], ['template', 'spec']),
  Deployment: SPEC_TEMPLATE,
  StatefulSet: SPEC_TEMPLATE,
  DaemonSet: SPEC_TEMPLATE,
  ReplicaSet: SPEC_TEMPLATE,
  ReplicationController: SPEC_TEMPLATE,
  Job: templatePaths(SPEC_TEMPLATE.metadata, SPEC_TEMPLATE.spec, true),
  CronJob: templatePaths(['spec', 'jobTemplate', 'spec', 'template', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'spec'], true),
  /** OpenShift (`apps.openshift.io/v1`). */
  DeploymentConfig: SPEC_TEMPLATE,
  /** Argo Rollouts (`argoproj.io/v1alpha1`); one with `spec.workloadRef` borrows a Deployment's template. */
  Rollout: templatePaths(SPEC_TEMPLATE.metadata, SPEC_TEMPLATE.spec, false, ['spec', 'workloadRef']),
};

export const POD_BEARING_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

function getIn(value: unknown, path: Path): unknown {
  let v = value;
  for (const segment of path) {
    if (Array.isArray(v) && typeof segment === 'number') v = v[segment];
    else {
      const m = asMap(v);
      if (!m) return undefined;
      v = m[segment];
    }
  }
  return v;
}

function containerName(spec: PlainMap, index: number): string {
  const name = spec.name;
  if (typeof name === 'string' && name !== '') return name;
  if (typeof name === 'number') return String(name);
  return `#${index}`;
}

export interface WorkloadOptions {
  /** The annotation of the pod template that names the main container. */
  mainContainerAnnotation?: string;
  /** The main container a Service decided (see `mainOverrides`), used when the guess would take the first container. */
  mainFromService?: string;
}

/** The workload view of an object, or undefined when it bears no pod (or its pod spec is not a map). */
export function workloadOf(object: K8sObject, options: WorkloadOptions = {}): Workload | undefined {
  const kind = object.ref.kind;
  if (kind === null) return undefined;
  const paths = Object.hasOwn(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
  if (!paths) return undefined;
  if (paths.noTemplateWhen) {
    const ref = getIn(object.value, paths.noTemplateWhen);
    if (ref !== undefined && ref !== null) return undefined;
  }
  const podSpec = asMap(getIn(object.value, paths.spec));
  if (!podSpec) return undefined;
  const templateMetadata = asMap(getIn(object.value, paths.metadata)) ?? {};
  const annotation = options.mainContainerAnnotation ?? DEFAULT_CONTAINER_ANNOTATION;
  const wanted = asString(asMap(templateMetadata.annotations)?.[annotation]);

  const containers: ContainerInfo[] = [];
  const longRunning: ContainerInfo[] = [];
  const regular = asArray(podSpec.containers);
  const specs: PlainMap[] = [];
  const helpers: (HelperMatch | undefined)[] = [];
  for (const c of regular) {
    const spec = asMap(c) ?? {};
    specs.push(spec);
    // A helper by a word of its name that the workload is named after is what the workload runs (DaemonSet `spire-agent`).
    helpers.push(knownHelperIn(spec, object.ref.name));
  }
  let { index: mainIndex, choice } = chooseMain(specs, wanted, helpers);
  if (choice === 'first' && options.mainFromService !== undefined) {
    const i = specs.findIndex((c) => c.name === options.mainFromService);
    if (i >= 0) [mainIndex, choice] = [i, 'service'];
  }
  // Every ContainerInfo is written with the same properties in the same order (`helper` undefined
  // when there is none): one object shape for the rules that read them.
  let main: ContainerInfo | undefined;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const role: ContainerRole = i === mainIndex ? 'main' : 'sidecar';
    const found = helpers[i];
    // pgbouncer alone with its exporter is the pod's server, not a helper.
    const helper = found && !(role === 'main' && found.onlyBesideServer) ? found : undefined;
    const container: ContainerInfo = { name: containerName(spec, i), role, longRunning: true, spec, path: [...paths.spec, 'containers', i], helper, ports: declaredPortsOf(spec) };
    containers.push(container);
    longRunning.push(container);
    if (role === 'main') main ??= container;
  }
  asArray(podSpec.initContainers).forEach((c, i) => {
    const spec = asMap(c) ?? {};
    const native = spec.restartPolicy === 'Always';
    const container: ContainerInfo = {
      name: containerName(spec, i),
      role: native ? 'native-sidecar' : 'init',
      longRunning: native,
      spec,
      path: [...paths.spec, 'initContainers', i],
      helper: knownHelperIn(spec, object.ref.name),
      ports: declaredPortsOf(spec),
    };
    containers.push(container);
    if (native) longRunning.push(container);
  });
  asArray(podSpec.ephemeralContainers).forEach((c, i) => {
    const spec = asMap(c) ?? {};
    containers.push({ name: containerName(spec, i), role: 'ephemeral', longRunning: false, spec, path: [...paths.spec, 'ephemeralContainers', i], helper: undefined, ports: declaredPortsOf(spec) });
  });
  return {
    object,
    podSpec,
    podSpecPath: paths.spec,
    templateMetadata,
    containers,
    main,
    mainChoice: choice,
    missingDefaultContainer: wanted !== undefined && choice !== 'annotation' && !containers.some((c) => c.name === wanted) ? wanted : undefined,
    // In container order: the regular ones, then the native sidecars (ephemeral containers never run long).
    longRunning,
    runsToCompletion: paths.runsToCompletion === true,
  };
}

/** The note that says how the main container was guessed (empty when the annotation named it). */
export function mainGuessNote(workload: Workload): string {
  return MAIN_CHOICE_NOTES[workload.mainChoice];
}

/**
 * Which regular container is the main one: the one the annotation names, when it exists; else the
 * only one that is not a known helper; else the first.
 */
export function chooseMain(
  specs: readonly PlainMap[],
  wanted: string | undefined,
  /** The known helper of each spec (`knownHelperIn`), when the caller has them; else `knownHelper` of each. */
  known?: readonly (HelperMatch | undefined)[],
): { index: number; choice: MainChoice } {
  if (specs.length === 0) return { index: -1, choice: 'first' };
  if (wanted !== undefined) {
    const i = specs.findIndex((c) => c.name === wanted);
    if (i >= 0) return { index: i, choice: 'annotation' };
  }
  if (specs.length === 1) return { index: 0, choice: 'only' };
  const helpers = known ?? specs.map((s) => knownHelper(s));
  let others = helpers.flatMap((h, i) => (h === undefined ? [i] : []));
  // A helper that is one only beside a server (pgbouncer) is the server when no other is.
  if (others.length === 0) others = helpers.flatMap((h, i) => (h?.onlyBesideServer ? [i] : []));
  if (others.length === 1) return { index: others[0]!, choice: 'only-non-helper' };
  return { index: 0, choice: 'first' };
}

/**
 * The given containers of a workload in the order they appear in the manifest: the pod spec's
 * `containers`, `initContainers` and `ephemeralContainers` lists in the order of their keys, each list
 * in its own order. ("The second" of two conflicting containers is the one a reader meets second.)
 */
export function inDocumentOrder(workload: Workload, containers: readonly ContainerInfo[]): ContainerInfo[] {
  const keys = Object.keys(workload.podSpec);
  const listRank = (c: ContainerInfo): number => keys.indexOf(String(c.path[workload.podSpecPath.length]));
  const itemIndex = (c: ContainerInfo): number => Number(c.path[workload.podSpecPath.length + 1]);
  return [...containers].sort((a, b) => listRank(a) - listRank(b) || itemIndex(a) - itemIndex(b));
}
