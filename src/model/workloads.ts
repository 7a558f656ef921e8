/**
 * The workload model: one table maps every pod-bearing kind to its pod template, and every container
 * gets a role. Rules read this model and never branch on kinds.
 */
import type { Path } from '../types.js';
import { asArray, asMap, asString, type K8sObject, type PlainMap } from './objects.js';

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
}

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
  /** Main container, sidecars and native sidecars. */
  longRunning: ContainerInfo[];
}

/** Where each pod-bearing kind keeps its pod template: [path to template metadata, path to pod spec]. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, { metadata: Path; spec: Path }>> = {
  Pod: { metadata: ['metadata'], spec: ['spec'] },
  PodTemplate: { metadata: ['template', 'metadata'], spec: ['template', 'spec'] },
  Deployment: { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  StatefulSet: { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  DaemonSet: { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  ReplicaSet: { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  ReplicationController: { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  Job: { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  CronJob: {
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  },
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
}

/** The workload view of an object, or undefined when it bears no pod (or its pod spec is not a map). */
export function workloadOf(object: K8sObject, options: WorkloadOptions = {}): Workload | undefined {
  const kind = object.ref.kind;
  if (kind === null) return undefined;
  const paths = Object.hasOwn(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
  if (!paths) return undefined;
  const podSpec = asMap(getIn(object.value, paths.spec));
  if (!podSpec) return undefined;
  const templateMetadata = asMap(getIn(object.value, paths.metadata)) ?? {};
  const annotation = options.mainContainerAnnotation ?? DEFAULT_CONTAINER_ANNOTATION;
  const wanted = asString(asMap(templateMetadata.annotations)?.[annotation]);

  const containers: ContainerInfo[] = [];
  const regular = asArray(podSpec.containers);
  const specs = regular.map((c) => asMap(c) ?? {});
  let mainIndex = wanted === undefined ? -1 : specs.findIndex((c) => c.name === wanted);
  if (mainIndex < 0 && specs.length > 0) mainIndex = 0;
  specs.forEach((spec, i) => {
    const role: ContainerRole = i === mainIndex ? 'main' : 'sidecar';
    containers.push({ name: containerName(spec, i), role, longRunning: true, spec, path: [...paths.spec, 'containers', i] });
  });
  asArray(podSpec.initContainers).forEach((c, i) => {
    const spec = asMap(c) ?? {};
    const native = spec.restartPolicy === 'Always';
    containers.push({
      name: containerName(spec, i),
      role: native ? 'native-sidecar' : 'init',
      longRunning: native,
      spec,
      path: [...paths.spec, 'initContainers', i],
    });
  });
  asArray(podSpec.ephemeralContainers).forEach((c, i) => {
    const spec = asMap(c) ?? {};
    containers.push({ name: containerName(spec, i), role: 'ephemeral', longRunning: false, spec, path: [...paths.spec, 'ephemeralContainers', i] });
  });
  return {
    object,
    podSpec,
    podSpecPath: paths.spec,
    templateMetadata,
    containers,
    main: containers.find((c) => c.role === 'main'),
    longRunning: containers.filter((c) => c.longRunning),
  };
}
