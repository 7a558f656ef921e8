/**
 * Small helpers for cross-resource checks: namespaces, label selectors and ports, read
 * defensively from plain data (any field may have any type). Pure functions.
 */
import { asArray, asMap, type K8sObject } from './objects.js';
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
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** A port protocol, defaulting to TCP as the API server does. */
export function protocolOf(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value.toUpperCase() : 'TCP';
}

/** A port number (1–65535), or undefined. Numeric strings are not ports (the API server rejects them). */
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
  for (const p of asArray(container.spec.ports)) {
    const map = asMap(p);
    const port = portNumber(map?.containerPort);
    if (!map || port === undefined) continue;
    const entry: ContainerPort = { container: index, port, protocol: protocolOf(map.protocol) };
    if (typeof map.name === 'string' && map.name !== '') entry.name = map.name;
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
