import { defineRule, type DeferredFact, type FactOrigin } from '../src/rule.js';
import { asArray, asMap, asString, type PlainMap, isCoreObject, keysOfMap } from '../src/model/objects.js';
import type { Workload } from '../src/model/workloads.js';
import type { Path } from '../src/types.js';
import { namespaceOf } from './support/selectors.js';

type SourceKind = 'Secret' | 'ConfigMap';

/** What a Secret or ConfigMap holds: its keys, or null when they cannot be known from the manifest. */
interface ObjectFact {
  t: 'object';
  kind: SourceKind;
  namespace: string;
  name: string;
  keys: readonly string[] | null;
  /** From a Kustomize patch: its keys add to the object's, but do not define them all. */
  partial?: true;
}

/** One reference to a key of a Secret or ConfigMap. */
interface RefFact {
  t: 'ref';
  kind: SourceKind;
  namespace: string;
  name: string;
  key: string;
  /** Path of the `key` entry, from the object root. */
  keyPath: Path;
  /** Path of the entry that names the object (`name`, `secretName`), reported when the object is missing. */
  namePath: Path;
  /** Who reads it, for the message: `env var "X" of container "c"`, `volume "v"`. */
  where: string;
  container?: string;
}

type Fact = ObjectFact | RefFact;

/** Keys the token controller fills into a service-account-token Secret. */
const TOKEN_SECRET_KEYS = ['token', 'ca.crt', 'namespace'];

/** The keys of one map field: [] when absent or null, null when it holds something that is not a map. */
function keysOf(value: unknown): readonly string[] | null {
  if (value === undefined || value === null) return [];
  const map = asMap(value);
  return map ? keysOfMap(map) : null;
}

function objectFact(kind: SourceKind, value: PlainMap, name: string, namespace: string): ObjectFact {
  const fields = kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  const lists: (readonly string[])[] = [];
  for (const field of fields) {
    const k = keysOf(value[field]);
    if (k === null) return { t: 'object', kind, namespace, name, keys: null };
    if (k.length > 0) lists.push(k);
  }
  if (kind === 'Secret' && value.type === 'kubernetes.io/service-account-token') lists.push(TOKEN_SECRET_KEYS);
  // One map's keys are distinct already (a ConfigMap may hold 200,000): only several lists are merged.
  const keys = lists.length === 0 ? [] : lists.length === 1 && lists[0] !== TOKEN_SECRET_KEYS ? lists[0]! : [...new Set(lists.flat())];
  return { t: 'object', kind, namespace, name, keys };
}

/**
 * The Secret an ExternalSecret (external-secrets.io) creates: `spec.target.name`, by default the
 * ExternalSecret's own name, with the keys of `data[].secretKey` (and of `spec.target.template.data`).
 * `dataFrom` or `template.templateFrom` make the keys unknown.
 */
function externalSecretFact(value: PlainMap, name: string, namespace: string): ObjectFact {
  const spec = asMap(value.spec) ?? {};
  const target = asMap(spec.target) ?? {};
  const template = asMap(target.template);
  const unknown = asArray(spec.dataFrom).length > 0 || asArray(template?.templateFrom).length > 0 || (spec.data !== undefined && !Array.isArray(spec.data));
  const keys = unknown ? null : asArray(spec.data).flatMap((d) => text(asMap(d)?.secretKey) ?? []);
  const templateKeys = template ? keysOf(template.data) : [];
  return {
    t: 'object',
    kind: 'Secret',
    namespace,
    name: text(target.name) ?? name,
    keys: keys === null || templateKeys === null ? null : [...new Set([...keys, ...templateKeys])],
  };
}

/** The Secret a SealedSecret (bitnami.com) unseals: its name, keys of `spec.encryptedData` and `spec.template.data`. */
function sealedSecretFact(value: PlainMap, name: string, namespace: string): ObjectFact {
  const spec = asMap(value.spec) ?? {};
  const encrypted = keysOf(spec.encryptedData);
  const templated = keysOf(asMap(spec.template)?.data);
  return { t: 'object', kind: 'Secret', namespace, name, keys: encrypted === null || templated === null ? null : [...new Set([...encrypted, ...templated])] };
}

/** The Secrets a SecretProviderClass (secrets-store.csi.x-k8s.io) syncs: `spec.secretObjects[]` with `secretName` and `data[].key`. */
function secretProviderClassFacts(value: PlainMap, namespace: string): ObjectFact[] {
  return asArray(asMap(value.spec)?.secretObjects).flatMap((o) => {
    const object = asMap(o);
    const secretName = text(object?.secretName);
    if (!object || secretName === undefined) return [];
    const keys = Array.isArray(object.data) ? object.data.flatMap((d) => text(asMap(d)?.key) ?? []) : null;
    return [{ t: 'object', kind: 'Secret', namespace, name: secretName, keys } satisfies ObjectFact];
  });
}

/** The group of an apiVersion (`external-secrets.io/v1beta1` → `external-secrets.io`). */
function groupOf(apiVersion: string | null): string {
  return apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** A non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  const s = asString(value);
  return s === undefined || s === '' ? undefined : s;
}

function refsOf(workload: Workload, namespace: string): RefFact[] {
  const out: RefFact[] = [];
  for (const container of workload.containers) {
    asArray(container.spec.env).forEach((e, i) => {
      const entry = asMap(e);
      const valueFrom = asMap(entry?.valueFrom);
      if (!valueFrom) return;
      for (const [field, kind] of [
        ['secretKeyRef', 'Secret'],
        ['configMapKeyRef', 'ConfigMap'],
      ] as const) {
        const ref = asMap(valueFrom[field]);
        const name = text(ref?.name);
        const key = text(ref?.key);
        if (!ref || name === undefined || key === undefined || ref.optional === true) continue;
        const at: Path = [...container.path, 'env', i, 'valueFrom', field];
        out.push({
          t: 'ref',
          kind,
          namespace,
          name,
          key,
          keyPath: [...at, 'key'],
          namePath: [...at, 'name'],
          where: `env var "${text(entry?.name) ?? `#${i}`}" of container "${container.name}"`,
          container: container.name,
        });
      }
    });
  }
  asArray(workload.podSpec.volumes).forEach((v, vi) => {
    const volume = asMap(v);
    if (!volume) return;
    const volumeName = text(volume.name) ?? `#${vi}`;
    const volumePath: Path = [...workload.podSpecPath, 'volumes', vi];
    const items = (kind: SourceKind, source: PlainMap, sourcePath: Path, nameField: string) => {
      const name = text(source[nameField]);
      if (name === undefined || source.optional === true) return;
      asArray(source.items).forEach((it, ii) => {
        const key = text(asMap(it)?.key);
        if (key === undefined) return;
        out.push({
          t: 'ref',
          kind,
          namespace,
          name,
          key,
          keyPath: [...sourcePath, 'items', ii, 'key'],
          namePath: [...sourcePath, nameField],
          where: `volume "${volumeName}"`,
        });
      });
    };
    const secret = asMap(volume.secret);
    if (secret) items('Secret', secret, [...volumePath, 'secret'], 'secretName');
    const configMap = asMap(volume.configMap);
    if (configMap) items('ConfigMap', configMap, [...volumePath, 'configMap'], 'name');
    asArray(asMap(volume.projected)?.sources).forEach((s, si) => {
      const source = asMap(s);
      const sourcePath: Path = [...volumePath, 'projected', 'sources', si];
      const ps = asMap(source?.secret);
      if (ps) items('Secret', ps, [...sourcePath, 'secret'], 'name');
      const pc = asMap(source?.configMap);
      if (pc) items('ConfigMap', pc, [...sourcePath, 'configMap'], 'name');
    });
  });
  return out;
}

function identity(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function originKey(origin: FactOrigin, path: Path): string {
  return [origin.file, origin.documentIndex, ...origin.objectPath, '#', ...path].join('\u0000');
}

export default defineRule<'missingKey' | 'missingObject', { requireObjects: boolean }, Fact>({
  meta: {
    id: 'missing-reference-key',
    description: 'A secretKeyRef, configMapKeyRef or volume item names a key that the referenced Secret or ConfigMap lacks.',
    defaultSeverity: 'error',
    // Runs on the references a Kustomize patch adds.
    scope: 'reference',
    messages: {
      missingKey: {
        message: '{{kind}} "{{name}}" (namespace "{{namespace}}") has no key "{{key}}".',
        hint: 'It is read by {{where}}: the pod cannot start. Add the key to the {{kind}}, correct the key, or mark the reference "optional: true".',
      },
      missingObject: {
        message: '{{kind}} "{{name}}" (namespace "{{namespace}}") is not among the linted files.',
        hint: 'It is read by {{where}}: the pod cannot start without it. Lint it together with this workload, or mark the reference "optional: true".',
      },
    },
    options: {
      type: 'object',
      properties: {
        requireObjects: {
          type: 'boolean',
          description:
            "Also report a reference to a Secret or ConfigMap that is not among the linted files (its own message, on the reference's `name`/`secretName` entry; once per volume).",
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { requireObjects: false },
  },
  check(ctx) {
    const { object } = ctx;
    const namespace = namespaceOf(object, ctx.settings.namespace);
    const kind = object.ref.kind;
    if ((kind === 'Secret' || kind === 'ConfigMap') && isCoreObject(object, kind) && object.ref.name !== null) {
      const fact = objectFact(kind, object.value, object.ref.name, namespace);
      ctx.defer(object.isPatch ? { ...fact, partial: true } : fact);
    }
    // Secrets that a controller creates from a committed object.
    const group = groupOf(object.ref.apiVersion);
    if (object.ref.name !== null) {
      if (kind === 'ExternalSecret' && group === 'external-secrets.io') ctx.defer(externalSecretFact(object.value, object.ref.name, namespace));
      if (kind === 'SealedSecret' && group === 'bitnami.com') ctx.defer(sealedSecretFact(object.value, object.ref.name, namespace));
    }
    if (kind === 'SecretProviderClass' && group === 'secrets-store.csi.x-k8s.io') for (const fact of secretProviderClassFacts(object.value, namespace)) ctx.defer(fact);
    if (ctx.workload) for (const ref of refsOf(ctx.workload, namespace)) ctx.defer(ref);
  },
  crossCheck(facts, ctx) {
    // Every definition of an object counts: a key is missing only when no definition has it.
    const objects = new Map<string, Set<string> | null>();
    // A patch's keys count only beside a whole definition: alone, the object's keys are unknown.
    const isPartial = (f: DeferredFact<Fact>): boolean => f.fact.t === 'object' && f.fact.partial === true;
    // Whole definitions first, then patches, each in input order (a stable partition: linear).
    const ordered = [...facts.filter((f) => !isPartial(f)), ...facts.filter(isPartial)];
    for (const { fact } of ordered) {
      if (fact.t !== 'object') continue;
      const id = identity(fact.kind, fact.namespace, fact.name);
      if (fact.partial && !objects.has(id)) continue;
      const known = objects.get(id);
      if (known === null) continue;
      if (fact.keys === null) objects.set(id, null);
      else if (known === undefined) objects.set(id, new Set(fact.keys));
      else for (const k of fact.keys) known.add(k); // merged in place: a definition in many files is not copied again for each
    }
    const reportedMissing = new Set<string>();
    for (const { fact, origin } of facts) {
      if (fact.t !== 'ref') continue;
      const keys = objects.get(identity(fact.kind, fact.namespace, fact.name));
      const data = { kind: fact.kind, name: fact.name, namespace: fact.namespace, key: fact.key, where: fact.where };
      const container = fact.container;
      if (keys === undefined) {
        if (ctx.options.requireObjects !== true) continue;
        // One finding per reference site: the items of one volume name their object once.
        const site = originKey(origin, fact.namePath);
        if (reportedMissing.has(site)) continue;
        reportedMissing.add(site);
        ctx.report({ origin, messageId: 'missingObject', path: fact.namePath, data, ...(container ? { container } : {}) });
      } else if (keys !== null && !keys.has(fact.key)) {
        ctx.report({ origin, messageId: 'missingKey', path: fact.keyPath, data, ...(container ? { container } : {}) });
      }
    }
  },
});
