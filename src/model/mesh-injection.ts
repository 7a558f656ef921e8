/**
 * Service-mesh sidecar injection: the labels and annotations that make a mesh's webhook add its proxy
 * to a pod (on the pod template or on its Namespace), that opt a pod out, and that make the injected
 * proxy a native sidecar. One table, tested per entry (test/unit/model/mesh-injection.test.ts); names checked
 * against the Istio and Linkerd documentation (Istio "Resource Annotations"/"Installing the Sidecar",
 * Linkerd "Proxy Configuration"/"Native sidecars").
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { asMap, type PlainMap } from './objects.js';

/** One label or annotation and the values that count (lower case; undefined: any non-empty value). */
export interface MeshSwitch {
  in: 'labels' | 'annotations';
  key: string;
  values?: readonly string[];
}

export interface MeshInjection {
  /** The mesh's name, for messages. */
  mesh: string;
  /** The container name the injector gives its proxy (a pod that already lists it was injected by hand). */
  proxy: string;
  /** On the pod template: turns injection on. */
  podOn: readonly MeshSwitch[];
  /** On the pod template: turns injection off, whatever the Namespace says. */
  podOff: readonly MeshSwitch[];
  /** On the Namespace: turns injection on for its pods. */
  namespaceOn: readonly MeshSwitch[];
  /** On the Namespace: turns injection off (for Istio, even for a pod that asks for it). */
  namespaceOff: readonly MeshSwitch[];
  /** The Namespace's opt-out wins over the pod's opt-in (Istio's webhooks skip such namespaces). */
  namespaceOffWins: boolean;
  /** Makes the injected proxy a native sidecar; on the pod template, else on the Namespace. */
  native: readonly MeshSwitch[];
  /** The setting to suggest, for messages. */
  nativeHint: string;
  /** The opt-out to suggest, for messages. */
  optOutHint: string;
  /**
   * How the main container can stop the proxy itself: the shutdown endpoint's port on localhost and
   * path, and a wrapper command with its flag.
   */
  shutdown: { port: number; path: string; wrapper?: { command: string; flags: readonly string[] } };
}

export const MESH_INJECTIONS: readonly MeshInjection[] = [
  {
    mesh: 'Istio',
    proxy: 'istio-proxy',
    podOn: [
      { in: 'labels', key: 'sidecar.istio.io/inject', values: ['true'] },
      { in: 'annotations', key: 'sidecar.istio.io/inject', values: ['true'] },
    ],
    podOff: [
      { in: 'labels', key: 'sidecar.istio.io/inject', values: ['false'] },
      { in: 'annotations', key: 'sidecar.istio.io/inject', values: ['false'] },
    ],
    namespaceOn: [
      { in: 'labels', key: 'istio-injection', values: ['enabled'] },
      { in: 'labels', key: 'istio.io/rev' },
    ],
    namespaceOff: [{ in: 'labels', key: 'istio-injection', values: ['disabled'] }],
    namespaceOffWins: true,
    native: [{ in: 'annotations', key: 'sidecar.istio.io/nativeSidecar', values: ['true'] }],
    nativeHint: 'the annotation `sidecar.istio.io/nativeSidecar: "true"`',
    optOutHint: '`sidecar.istio.io/inject: "false"`',
    shutdown: { port: 15020, path: '/quitquitquit' },
  },
  {
    mesh: 'Linkerd',
    proxy: 'linkerd-proxy',
    podOn: [{ in: 'annotations', key: 'linkerd.io/inject', values: ['enabled', 'ingress'] }],
    podOff: [{ in: 'annotations', key: 'linkerd.io/inject', values: ['disabled'] }],
    namespaceOn: [{ in: 'annotations', key: 'linkerd.io/inject', values: ['enabled', 'ingress'] }],
    namespaceOff: [{ in: 'annotations', key: 'linkerd.io/inject', values: ['disabled'] }],
    namespaceOffWins: false,
    native: [
      { in: 'annotations', key: 'config.beta.linkerd.io/proxy-enable-native-sidecar', values: ['true'] },
      { in: 'annotations', key: 'config.alpha.linkerd.io/proxy-enable-native-sidecar', values: ['true'] },
    ],
    nativeHint: 'the annotation `config.beta.linkerd.io/proxy-enable-native-sidecar: "true"`',
    optOutHint: '`linkerd.io/inject: disabled`',
    shutdown: { port: 4191, path: '/shutdown', wrapper: { command: 'linkerd-await', flags: ['--shutdown', '-S'] } },
  },
];

/** The text of a label or annotation value (YAML may give a boolean or a number), lower case. */
function switchText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return undefined;
}

/** The first switch of the list that a metadata map sets, or undefined. */
export function matchSwitch(metadata: PlainMap | undefined, switches: readonly MeshSwitch[]): MeshSwitch | undefined {
  if (!metadata) return undefined;
  for (const s of switches) {
    const map = asMap(metadata[s.in]);
    if (!map || !Object.hasOwn(map, s.key)) continue;
    const text = switchText(map[s.key]);
    if (text === undefined || text === '') continue;
    if (s.values === undefined || s.values.includes(text)) return s;
  }
  return undefined;
}

/** Whether a native-sidecar setting is written at all (either value), so the pod's own overrides the Namespace's. */
function nativeSettingOf(metadata: PlainMap | undefined, mesh: MeshInjection): boolean | undefined {
  if (!metadata) return undefined;
  for (const s of mesh.native) {
    const map = asMap(metadata[s.in]);
    if (!map || !Object.hasOwn(map, s.key)) continue;
    const text = switchText(map[s.key]);
    if (text === undefined || text === '') continue;
    return s.values?.includes(text) ?? true;
  }
  return undefined;
}

/** The label and annotation keys the table reads, to keep deferred facts small. */
const MESH_KEYS: ReadonlySet<string> = new Set(
  MESH_INJECTIONS.flatMap((m) => [...m.podOn, ...m.podOff, ...m.namespaceOn, ...m.namespaceOff, ...m.native].map((s) => `${s.in}/${s.key}`)),
);

/** The labels and annotations of a metadata map that the table reads (small, JSON-serialisable). */
export function meshMetadata(metadata: PlainMap | undefined): PlainMap {
  const out: { labels?: Record<string, unknown>; annotations?: Record<string, unknown> } = {};
  if (!metadata) return out;
  for (const where of ['labels', 'annotations'] as const) {
    const map = asMap(metadata[where]);
    if (!map) continue;
    for (const [k, v] of Object.entries(map)) {
      if (!MESH_KEYS.has(`${where}/${k}`)) continue;
      const text = switchText(v);
      if (text === undefined) continue;
      (out[where] ??= {})[k] = text;
    }
  }
  return out;
}

/** How a pod stands with a mesh, from its template's metadata and its Namespace's (when in the linted set). */
export type InjectionState =
  /** Injected as a plain container: the proxy never exits on its own. */
  | { injected: true; by: 'pod' | 'namespace'; switch: MeshSwitch }
  | { injected: false };

/**
 * Whether a mesh injects a plain (not native) proxy container into a pod: turned on by the pod
 * template or by the Namespace, not turned off, and no native-sidecar setting (the pod's own, else the
 * Namespace's).
 */
export function plainInjection(mesh: MeshInjection, pod: PlainMap | undefined, namespace: PlainMap | undefined): InjectionState {
  if (matchSwitch(pod, mesh.podOff)) return { injected: false };
  const nsOff = matchSwitch(namespace, mesh.namespaceOff);
  const podOn = matchSwitch(pod, mesh.podOn);
  let state: InjectionState = { injected: false };
  if (podOn && !(nsOff && mesh.namespaceOffWins)) state = { injected: true, by: 'pod', switch: podOn };
  else if (!nsOff) {
    const nsOn = matchSwitch(namespace, mesh.namespaceOn);
    if (nsOn) state = { injected: true, by: 'namespace', switch: nsOn };
  }
  if (!state.injected) return state;
  const native = nativeSettingOf(pod, mesh) ?? nativeSettingOf(namespace, mesh) ?? false;
  return native ? { injected: false } : state;
}
