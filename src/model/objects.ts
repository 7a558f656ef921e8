/**
 * Documents → Kubernetes objects: `kind`/`apiVersion` detection and `List` expansion.
 * Everything here reads plain data defensively: any field may have any type.
 */
import type { ObjectRef, Path } from '../types.js';

export type PlainMap = Record<string, unknown>;

export function isPlainMap(value: unknown): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export function asMap(value: unknown): PlainMap | undefined {
  return isPlainMap(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A Kubernetes object found in a document, with its path from the document root. */
export interface K8sObject {
  /** The object's own data. */
  value: PlainMap;
  /** Where the object sits in its document: [] for a top-level object, ['items', i] for a List item. */
  path: Path;
  documentIndex: number;
  ref: ObjectRef;
}

function refOf(value: PlainMap): ObjectRef {
  const metadata = asMap(value.metadata);
  return {
    apiVersion: asString(value.apiVersion) ?? null,
    kind: asString(value.kind) ?? null,
    name: asString(metadata?.name) ?? (typeof metadata?.name === 'number' ? String(metadata.name) : null),
    namespace: asString(metadata?.namespace) ?? null,
  };
}

/** A Kubernetes object has a string `apiVersion` and a string `kind`. */
export function isKubernetesObject(value: unknown): value is PlainMap {
  return isPlainMap(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && value.kind !== '';
}

function isListKind(kind: string): boolean {
  return kind === 'List' || kind.endsWith('List');
}

/**
 * The objects of one document. A `List` (or any `*List` kind with an `items` array) yields its items;
 * items that are not objects are skipped. Returns an empty array for documents that are not
 * Kubernetes objects.
 */
export function objectsOfDocument(value: unknown, documentIndex: number): K8sObject[] {
  if (!isKubernetesObject(value)) return [];
  const kind = value.kind as string;
  if (isListKind(kind) && Array.isArray(value.items)) {
    const out: K8sObject[] = [];
    value.items.forEach((item, i) => {
      if (isKubernetesObject(item)) out.push({ value: item, path: ['items', i], documentIndex, ref: refOf(item) });
    });
    return out;
  }
  return [{ value, path: [], documentIndex, ref: refOf(value) }];
}
