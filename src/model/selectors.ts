/**
 * Small helpers for cross-resource checks: namespaces, label selectors and ports, read
 * defensively from plain data (any field may have any type). Pure functions.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { asMap, type K8sObject } from './objects.js';
import type { ContainerInfo } from './workloads.js';

/** The namespace an object lives in: its own, else the default the user gave (`--namespace`). */
export function namespaceOf(object: K8sObject, defaultNamespace: string): string {
  return object.ref.namespace ?? defaultNamespace;
}

/** The text of a scalar the way a label or selector value is compared, or undefined for anything else. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A map of labels (or a Service selector) as strings; entries that are not scalars are dropped. */
export function labelMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const map = asMap(value);
  if (!map) return out;
  for (const [k, v] of Object.entries(map)) {
    const text = scalarText(v);
    if (text !== undefined) out[k] = text;
  }
  return out;
}

/**
 * Does a Service's equality selector select a pod with these labels? An empty selector selects
 * nothing here: a Service without a selector has its endpoints managed by hand.
 */
function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** A port protocol, defaulting to TCP as the API server does. */
export function protocolOf(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value.toUpperCase() : 'TCP';
}

/** A port number (1–65535), or undefined. Numeric strings are not ports (the API server rejects them): see `DeclaredPort`. */
export function portNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

/** A port as a Service targets it: a number or a port name. */
export type PortRef = number | string;

/** A `targetPort` (number or name), or undefined when it is missing or malformed. */
export function portRef(value: unknown): PortRef | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return portNumber(value);
}

/** A container port as the cross-resource rules keep it. */
export interface ContainerPort {
  /** Index into the pod fact's container list. */
  container: number;
  port: number;
  name?: string;
  protocol: string;
}

/** The declared ports of a container. */
export function containerPorts(container: ContainerInfo, index: number): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const p of container.ports) {
    const entry: ContainerPort = { container: index, port: p.port, protocol: p.protocol };
    if (p.name !== undefined) entry.name = p.name;
    out.push(entry);
  }
  return out;
}

/**
 * The port number a Service's `targetPort` reaches in a pod, as the endpoints controller resolves it:
 * a number is itself; a name is the first port of that name and protocol, regular containers first,
 * then native sidecars (the order of `ports`, which keeps containers in pod order).
 */
export function resolveTargetPort(target: PortRef, protocol: string, ports: readonly ContainerPort[]): number | undefined {
  if (typeof target === 'number') return target;
  return ports.find((p) => p.name === target && p.protocol === protocol)?.port;
}

/**
 * Pods (or anything with a namespace and labels) indexed by namespace and label, so that the pods a
 * selector selects are found without comparing it with every pod: a cross-check over S Services and
 * P pods costs about S + P lookups rather than S × P comparisons. Items keep the order they were
 * added in.
 */
export class SelectorIndex<T> {
  /** `namespace \0 key \0 value` → the items with that label, in the order added. */
  private readonly byLabel = new Map<string, { item: T; labels: Readonly<Record<string, string>> }[]>();

  add(namespace: string, labels: Readonly<Record<string, string>>, item: T): void {
    const entry = { item, labels };
    for (const [k, v] of Object.entries(labels)) {
      const key = `${namespace}\u0000${k}\u0000${v}`;
      const list = this.byLabel.get(key);
      if (list) list.push(entry);
      else this.byLabel.set(key, [entry]);
    }
  }

  /**
   * The items in `namespace` that `selector` selects (as `selectorMatches`), in the order added. Only
   * the items carrying the selector's rarest label are compared.
   */
  *selected(namespace: string, selector: Readonly<Record<string, string>>): Generator<T> {
    let smallest: { item: T; labels: Readonly<Record<string, string>> }[] | undefined;
    let any = false;
    for (const [k, v] of Object.entries(selector)) {
      any = true;
      const list = this.byLabel.get(`${namespace}\u0000${k}\u0000${v}`);
      if (!list) return;
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    if (!any || !smallest) return;
    for (const { item, labels } of smallest) if (selectorMatches(selector, labels)) yield item;
  }
}

/**
 * The other way round: selectors (Services) indexed so that a pod finds the ones that select it
 * without comparing it with every selector. Each selector is filed under one of its labels, the one
 * the fewest pods carry (`counts` tells how many pods carry each `namespace \0 key \0 value`, see
 * `labelCounts`); a pod looks up each of its labels and compares only the selectors filed there.
 */
export class SelectorsIndex<T> {
  private readonly byLabel = new Map<string, { item: T; selector: Readonly<Record<string, string>> }[]>();

  constructor(private readonly counts: ReadonlyMap<string, number>) {}

  add(namespace: string, selector: Readonly<Record<string, string>>, item: T): void {
    let best: string | undefined;
    let bestCount = Infinity;
    for (const [k, v] of Object.entries(selector)) {
      const key = `${namespace}\u0000${k}\u0000${v}`;
      const count = this.counts.get(key) ?? 0;
      if (count === 0) return; // no pod carries this label: the selector selects none of them
      if (count < bestCount) [best, bestCount] = [key, count];
    }
    if (best === undefined) return; // an empty selector selects nothing
    const list = this.byLabel.get(best);
    if (list) list.push({ item, selector });
    else this.byLabel.set(best, [{ item, selector }]);
  }

  /** The selectors that select a pod with these labels in `namespace` (each once; grouped by label, not in the order added). */
  *selecting(namespace: string, labels: Readonly<Record<string, string>>): Generator<T> {
    for (const [k, v] of Object.entries(labels)) {
      const list = this.byLabel.get(`${namespace}\u0000${k}\u0000${v}`);
      if (list) for (const { item, selector } of list) if (selectorMatches(selector, labels)) yield item;
    }
  }
}

/** How many of the given label sets carry each `namespace \0 key \0 value`: the counts `SelectorsIndex` files selectors by. */
export function labelCounts(pods: Iterable<{ namespace: string; labels: Readonly<Record<string, string>> }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { namespace, labels } of pods) {
    for (const [k, v] of Object.entries(labels)) {
      const key = `${namespace}\u0000${k}\u0000${v}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
