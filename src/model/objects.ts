/**
 * Documents → Kubernetes objects: `kind`/`apiVersion` detection and `List` expansion.
 * Everything here reads plain data defensively: any field may have any type.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import type { ObjectRef, Path } from '../types.js';

export type PlainMap = Record<string, unknown>;

export function isPlainMap(value: unknown): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export function asMap(value: unknown): PlainMap | undefined {
  return isPlainMap(value) ? value : undefined;
}

/**
 * A map's own keys (`Object.keys`), read-only: for a large map, the same list for every caller while
 * the map lives. Several rules read the keys of one ConfigMap's `data`, and V8 lists the keys of a
 * large map (one of 200,000 keys: tens of milliseconds) by sorting them again each time. Documents
 * are not changed once parsed, so the list stays true.
 */
export function keysOfMap(map: PlainMap): readonly string[] {
  const known = LARGE_MAP_KEYS.get(map);
  if (known !== undefined) return known;
  const keys = Object.keys(map);
  if (keys.length >= LARGE_MAP) LARGE_MAP_KEYS.set(map, keys);
  return keys;
}

/** Keys from which a map's key list is kept (below, listing them again costs little). */
const LARGE_MAP = 256;
const LARGE_MAP_KEYS = new WeakMap<object, readonly string[]>();

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Why a document is a Kustomize patch (a partial object) rather than a whole object:
 * - `listed`: a kustomization in the linted set lists its file under `patches`,
 *   `patchesStrategicMerge` or `patchesJson6902`;
 * - `directive`: it holds strategic-merge directives (`$patch`, `$setElementOrder/…`, `$retainKeys`,
 *   `$deleteFromPrimitiveList/…`);
 * - `no-api-version`: it has a `kind` but no `apiVersion` (a whole object always has one);
 * - `inline`: it is written inside a kustomization, as a YAML text (`patches[].patch`, an inline
 *   `patchesStrategicMerge` entry; see `K8sObject.embedded`).
 */
type PatchReason = 'listed' | 'directive' | 'no-api-version' | 'inline';

/** Where an object written in a string of another document is (an inline Kustomize patch). */
interface EmbeddedAt {
  /** The path of the string from its document's root. */
  path: Path;
  /** The index of the object's document in the string's text. */
  index: number;
}

/** A Kubernetes object found in a document, with its path from the document root. */
export interface K8sObject {
  /**
   * The object's own data. For a patch, without what it deletes (entries under `$patch: delete`)
   * and without its directive keys.
   */
  value: PlainMap;
  /**
   * Where the object sits in its document: [] for a top-level object, ['items', i] for a List item.
   * For an embedded object, in the document its string holds.
   */
  path: Path;
  /** The index of the document in its file (for an embedded object, of the document holding the string). */
  documentIndex: number;
  /** Set for an object written in a string of another document (an inline Kustomize patch). */
  embedded?: EmbeddedAt;
  ref: ObjectRef;
  /** True for a Kustomize patch: a partial object that only content and reference rules read. */
  isPatch: boolean;
  /** Why the object is a patch (set when `isPatch`). */
  patchReason?: PatchReason;
  /**
   * Maps a path in `value` to the path in the document as written, when they differ (a patch whose
   * list entries under `$patch: delete` were left out of `value`).
   */
  sourcePath?(path: Path): Path;
}

/** How the document's file was found: `listedPatch` when a kustomization lists it as a patch. */
export interface DocumentContext {
  listedPatch?: boolean;
  /**
   * Set when the document is written in a string of another one (an inline Kustomize patch): its
   * objects are patches and carry this as `embedded`.
   */
  embedded?: EmbeddedAt;
  /**
   * False when the file's text cannot hold a strategic-merge directive (no `$patch`, `$retainKeys`,
   * …): the objects are then not searched for one.
   */
  mayHaveDirectives?: boolean;
}

/** Whether a text may hold strategic-merge directives (a cheap test before searching the objects). */
export function mayHaveDirectives(text: string): boolean {
  return text.includes('$') && /\$(?:patch|setElementOrder\/|retainKeys|deleteFromPrimitiveList\/)/.test(text);
}

function isDirectiveKey(key: string): boolean {
  return key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/') || key.startsWith('$deleteFromPrimitiveList/');
}

/** Whether a value holds a strategic-merge directive key anywhere. */
function hasDirective(value: unknown, depth = 0): boolean {
  if (depth > 256) return false;
  if (Array.isArray(value)) return value.some((v) => hasDirective(v, depth + 1));
  if (!isPlainMap(value)) return false;
  for (const key of Object.keys(value)) {
    if (isDirectiveKey(key) || hasDirective(value[key], depth + 1)) return true;
  }
  return false;
}

function deletes(value: unknown): boolean {
  return isPlainMap(value) && value.$patch === 'delete';
}

/** A list item that only gives a directive for its list (`- $patch: replace`). */
function isDirectiveItem(value: unknown): boolean {
  return isPlainMap(value) && Object.keys(value).length > 0 && Object.keys(value).every(isDirectiveKey);
}

/**
 * A patch's value as it adds to its target: entries under `$patch: delete` left out, directive keys
 * dropped. Lists that lost entries remember, in `indexes`, where each kept entry was.
 */
function withoutDeleted(value: unknown, indexes: WeakMap<object, number[]>, depth = 0): unknown {
  if (depth > 256) return value;
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    const from: number[] = [];
    value.forEach((item, i) => {
      if (deletes(item) || isDirectiveItem(item)) return;
      kept.push(withoutDeleted(item, indexes, depth + 1));
      from.push(i);
    });
    if (from.length !== value.length) indexes.set(kept, from);
    return kept;
  }
  if (!isPlainMap(value)) return value;
  const out: PlainMap = {};
  for (const [key, v] of Object.entries(value)) {
    if (isDirectiveKey(key) || deletes(v)) continue;
    out[key] = withoutDeleted(v, indexes, depth + 1);
  }
  return out;
}

/** The path in the written document of a path in a value built by `withoutDeleted`. */
function sourcePathIn(value: unknown, indexes: WeakMap<object, number[]>, path: Path): Path {
  const out: (string | number)[] = [];
  let v: unknown = value;
  for (const segment of path) {
    if (Array.isArray(v) && typeof segment === 'number') {
      out.push(indexes.get(v)?.[segment] ?? segment);
      v = v[segment];
    } else {
      out.push(segment);
      v = isPlainMap(v) ? v[segment] : undefined;
    }
  }
  return out;
}

/**
 * Every K8sObject is written here, with the same properties in the same order (undefined when they
 * do not apply): one object shape for the rules that read them.
 */
function objectOf(
  value: PlainMap,
  path: Path,
  documentIndex: number,
  ref: ObjectRef,
  patchReason: PatchReason | undefined,
  embedded: EmbeddedAt | undefined,
  sourcePath: ((path: Path) => Path) | undefined,
): K8sObject {
  return { value, path, documentIndex, embedded, ref, isPatch: patchReason !== undefined, patchReason, sourcePath };
}

/** A patch object: its value without what it deletes. A patch that deletes its whole target keeps only its identity. */
function patchObject(value: PlainMap, path: Path, documentIndex: number, reason: PatchReason, directives: boolean, embedded?: EmbeddedAt): K8sObject {
  const ref = refOf(value);
  if (!directives) return objectOf(value, path, documentIndex, ref, reason, embedded, undefined);
  if (deletes(value)) {
    const identity: PlainMap = {};
    for (const key of ['apiVersion', 'kind', 'metadata']) if (key in value) identity[key] = value[key];
    return objectOf(identity, path, documentIndex, ref, reason, embedded, undefined);
  }
  const indexes = new WeakMap<object, number[]>();
  const kept = withoutDeleted(value, indexes) as PlainMap;
  return objectOf(kept, path, documentIndex, ref, reason, embedded, (p) => sourcePathIn(kept, indexes, p));
}

/** Marks, in an origin path (`originPath`), where the path of an embedded object's string ends. */
const EMBEDDED_MARK = '\u0000embedded';

/**
 * The path that identifies an object in its document for facts and cross-resource findings
 * (`FactOrigin.objectPath`): its path, or for an embedded object the path of its string, its
 * document in the string and its path there.
 */
export function originPath(object: Pick<K8sObject, 'path' | 'embedded'>): Path {
  const e = object.embedded;
  return e ? [...e.path, EMBEDDED_MARK, e.index, ...object.path] : object.path;
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

/**
 * Whether an object is the core (`v1`) Secret or ConfigMap: that kind with `apiVersion: v1`, or a
 * Kustomize patch of that kind, which names no apiVersion. (A custom resource that reuses the kind
 * name under another group is not one.) The one place rules ask this.
 */
export function isCoreObject(object: Pick<K8sObject, 'ref'>, kind: 'Secret' | 'ConfigMap'): boolean {
  return object.ref.kind === kind && (object.ref.apiVersion === 'v1' || object.ref.apiVersion === null);
}

/** A Kubernetes object has a string `apiVersion` and a string `kind`. */
function isKubernetesObject(value: unknown): value is PlainMap {
  return isPlainMap(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && value.kind !== '';
}

function isListKind(kind: string): boolean {
  return kind === 'List' || kind.endsWith('List');
}

/** A map with a `kind` and no `apiVersion`: a Kustomize patch (a whole object always has an apiVersion). */
function isKindOnly(value: unknown): value is PlainMap {
  return isPlainMap(value) && value.apiVersion === undefined && typeof value.kind === 'string' && value.kind !== '';
}

/**
 * The objects of one document. A `List` (or any `*List` kind with an `items` array) yields its items;
 * items that are not objects are skipped. Returns an empty array for documents that are not
 * Kubernetes objects. A document is a patch (`isPatch`) when `context.listedPatch` says a
 * kustomization lists its file, when `context.embedded` says a kustomization writes it inline, when it
 * holds strategic-merge directives, or when it has a `kind` but no `apiVersion`.
 */
export function objectsOfDocument(value: unknown, documentIndex: number, context: DocumentContext = {}): K8sObject[] {
  const directives = context.mayHaveDirectives !== false;
  const { embedded } = context;
  if (isKindOnly(value)) return [patchObject(value, [], documentIndex, embedded ? 'inline' : 'no-api-version', directives, embedded)];
  if (!isKubernetesObject(value)) return [];
  const kind = value.kind as string;
  const whole = (item: PlainMap, path: Path): K8sObject => {
    if (embedded) return patchObject(item, path, documentIndex, 'inline', directives, embedded);
    if (context.listedPatch) return patchObject(item, path, documentIndex, 'listed', directives);
    if (directives && hasDirective(item)) return patchObject(item, path, documentIndex, 'directive', true);
    return objectOf(item, path, documentIndex, refOf(item), undefined, undefined, undefined);
  };
  if (isListKind(kind) && Array.isArray(value.items)) {
    const out: K8sObject[] = [];
    value.items.forEach((item, i) => {
      if (isKubernetesObject(item)) out.push(whole(item, ['items', i]));
    });
    return out;
  }
  return [whole(value, [])];
}
