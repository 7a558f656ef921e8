/**
 * Property-based tests (fast-check, fixed seeds, a few hundred runs each): over generated manifests
 * and random mutations of real ones (fixtures/ and, when present, a sample of ../shared/corpus),
 * linting never throws, every position lies inside the file, the fast and exact parser paths agree,
 * results do not depend on file order, and an object written as YAML or as JSON gets the same
 * findings. Also: the one-pass duplicate-key check agrees with the `yaml` parser's own.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { globbySync } from 'globby';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify, type Tags } from 'yaml';
import { kubeYamlTags } from '../../src/yaml/kube-scalars.js';
import { compareFindings, type Finding } from '../../src/types.js';
import { lintAll, lintBoth, outsideText } from '../support/hostile.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const SEED = 0x5eed;
const RUNS = 150;

// ---------------------------------------------------------------------------------------------
// Generated manifests

const name = fc.oneof(fc.constantFrom('app', 'web', 'db', 'redis', 'proxy', 'log-shipper', 'main'), fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/));
const credentialKey = fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'SECRET_KEY', 'password', 'apiKey', 'PASSWORD_FILE', 'token_ttl', 'LOG_LEVEL', 'HOST', 'PRIVATE_KEY');
const key = fc.oneof(credentialKey, fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,15}$/));
const scalarString = fc.oneof(
  fc.constantFrom('hunter2-CANARY', '${DB_PASSWORD}', '<your-token>', 'true', '8080', '/etc/secret/token', '', ' ', 'localhost:6379', 'http://127.0.0.1:9090/metrics'),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('db.password=props-CANARY\nlog=info\n', '{"password": "json-CANARY"}', 'auth:\n  token: yaml-CANARY\n', 'line1\r\nline2'),
);
const anyValue = fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), scalarString);

const container = fc.record(
  {
    name,
    image: fc.constantFrom('app:1', 'redis:7', 'busybox'),
    env: fc.array(
      fc.oneof(
        fc.record({ name: key, value: scalarString }),
        fc.record({ name: key, valueFrom: fc.record({ secretKeyRef: fc.record({ name, key: key }) }) }),
        fc.record({ name: key, valueFrom: fc.record({ configMapKeyRef: fc.record({ name, key: key }) }) }),
      ),
      { maxLength: 3 },
    ),
    envFrom: fc.array(fc.oneof(fc.record({ secretRef: fc.record({ name }) }), fc.record({ configMapRef: fc.record({ name }) })), { maxLength: 2 }),
    ports: fc.array(fc.record({ containerPort: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(8080, 6379)), name: fc.option(name, { nil: undefined }) }), { maxLength: 2 }),
    volumeMounts: fc.array(fc.record({ name: fc.constantFrom('data', 'creds', 'config', 'ghost'), mountPath: fc.constantFrom('/data', '/creds', '/etc/config') }), { maxLength: 2 }),
    args: fc.array(scalarString, { maxLength: 2 }),
    resources: fc.option(fc.record({ limits: fc.record({ cpu: fc.constantFrom('100m', '1'), memory: fc.constantFrom('64Mi', '1Gi') }) }), { nil: undefined }),
    restartPolicy: fc.option(fc.constantFrom('Always', 'Never'), { nil: undefined }),
    extra: fc.option(anyValue, { nil: undefined }),
  },
  { requiredKeys: ['name'] },
);

const volume = fc.oneof(
  fc.record({ name: fc.constantFrom('data', 'config'), emptyDir: fc.constant({}) }),
  fc.record({ name: fc.constantFrom('creds', 'config'), secret: fc.record({ secretName: name }) }),
  fc.record({ name: fc.constantFrom('config'), configMap: fc.record({ name }) }),
  fc.record({ name: fc.constantFrom('creds'), projected: fc.record({ sources: fc.array(fc.record({ secret: fc.record({ name }) }), { maxLength: 2 }) }) }),
);

const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 4 }),
    initContainers: fc.array(container, { maxLength: 2 }),
    volumes: fc.array(volume, { maxLength: 3 }),
    shareProcessNamespace: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['containers'] },
);

const metadata = fc.record(
  {
    name,
    namespace: fc.option(fc.constantFrom('default', 'prod'), { nil: undefined }),
    labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier'), name, { maxKeys: 2 }), { nil: undefined }),
    annotations: fc.option(fc.record({ 'kubectl.kubernetes.io/default-container': name }), { nil: undefined }),
  },
  { requiredKeys: ['name'] },
);

const workload = fc.tuple(fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'), metadata, podSpec).map(([kind, meta, spec]) => {
  const template = { metadata: { labels: { app: meta.name }, annotations: meta.annotations }, spec };
  const apiVersion = kind === 'Pod' ? 'v1' : kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  if (kind === 'Pod') return { apiVersion, kind, metadata: meta, spec };
  if (kind === 'CronJob') return { apiVersion, kind, metadata: meta, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
  return { apiVersion, kind, metadata: meta, spec: { selector: { matchLabels: { app: meta.name } }, template } };
});

const configMap = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('ConfigMap'),
  metadata,
  data: fc.dictionary(key, scalarString, { maxKeys: 5 }),
});

const secret = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Secret'),
  metadata,
  data: fc.dictionary(key, fc.oneof(fc.base64String({ maxLength: 24 }), scalarString), { maxKeys: 3 }),
  stringData: fc.option(fc.dictionary(key, scalarString, { maxKeys: 2 }), { nil: undefined }),
});

const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata,
  spec: fc.record({ selector: fc.record({ app: name }), ports: fc.array(fc.record({ port: fc.integer({ min: 1, max: 65535 }), targetPort: fc.oneof(fc.integer({ min: 1, max: 65535 }), name) }), { maxLength: 2 }) }),
});

const manifest = fc.oneof(workload, workload, configMap, secret, service);

/** Drops undefined values, as both YAML and JSON writers would. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// Strings Kubernetes would read as something else (`n`, `yes`, `0o7`, `010`: YAML 1.1) are quoted.
const toYaml = (value: unknown) => stringify(clean(value), { lineWidth: 0, schema: 'core', customTags: kubeYamlTags as unknown as (tags: Tags) => Tags });
const toJson = (value: unknown) => `${JSON.stringify(clean(value), null, 2)}\n`;

/** A finding without its position and file extension: what YAML and JSON must agree on. */
function meaning(f: Finding): string {
  return JSON.stringify([f.file.replace(/\.(yaml|json)$/, ''), f.ruleId, f.severity, f.message, f.hint, f.object, f.container]);
}

// ---------------------------------------------------------------------------------------------
// Real files to mutate

function realFiles(): { name: string; text: string }[] {
  const fixtures = globbySync('fixtures/**/*.{yaml,yml,json}', { cwd: ROOT }).sort();
  const out = fixtures.map((f) => ({ name: f, text: fs.readFileSync(path.join(ROOT, f), 'utf8') }));
  if (fs.existsSync(CORPUS)) {
    const corpus = globbySync('**/*.{yaml,yml,json}', { cwd: CORPUS }).sort();
    // A fixed sample: every 25th file, small enough to keep the suite fast.
    for (let i = 0; i < corpus.length; i += 25) {
      const text = fs.readFileSync(path.join(CORPUS, corpus[i]!), 'utf8');
      if (text.length < 60_000) out.push({ name: `corpus/${corpus[i]}`, text });
    }
  } else {
    console.warn('property tests: ../shared/corpus not found, mutating fixtures/ only');
  }
  return out;
}

const REAL = realFiles();

const TOKENS = [':', ': ', '- ', '-', '[', ']', '{', '}', ',', '&a ', '*a', '*', '&', '!tag ', '!!str ', '!!binary ', '\t', '"', "'", '|', '|-', '>', '---\n', '...\n', '#', '\n', ' ', '  ', '\u0000', '\r\n', '\r', '\u0085', '\u2028', '<<: ', '<<: *a\n', '? ', '%YAML 1.2\n', '\ufeff', 'é', '🚀', '\\', 'null', '~', '0x1F', '.inf', 'kind: Pod\n', 'containers:\n- name: x\n', 'PASSWORD: hunter2-CANARY\n',
  // Where Kubernetes (go-yaml v2, YAML 1.1) reads differently from YAML 1.2 (issue 14).
  'yes', 'on', 'y', 'n', 'Off', '0644', '0b101', '0o17', '+0x1F', '8_080', '1:20', '+.5', '1e400', '!!set ', '!!omap ', '!!float ', '!!binary aGVsbG8=',
  '"x"#c', '[a]#c', '\u2029', '---\n\ufeff', '--- !Pod\n', '----\n', '...\n  k: v\n', '"a\\/b"', '"a\\\'b"', '"multi\nline"', '%TAG !e! tag:e,2000:\n'];

type Mutation = { op: 'insert'; at: number; token: string } | { op: 'delete'; at: number; length: number } | { op: 'dupLine'; line: number } | { op: 'swapLines'; a: number; b: number } | { op: 'indent'; line: number; by: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('dupLine' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const lines = t.split('\n');
    if (m.op === 'insert') {
      const at = t.length === 0 ? 0 : m.at % (t.length + 1);
      t = t.slice(0, at) + m.token + t.slice(at);
    } else if (m.op === 'delete') {
      const at = t.length === 0 ? 0 : m.at % t.length;
      t = t.slice(0, at) + t.slice(at + m.length);
    } else if (m.op === 'dupLine') {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]!);
      t = lines.join('\n');
    } else if (m.op === 'swapLines') {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      t = lines.join('\n');
    } else {
      const i = m.line % lines.length;
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
      t = lines.join('\n');
    }
  }
  return t;
}

/** Replaces (or deletes) the value at a random path of a document's data with a random value. */
function mutateValue(value: unknown, choices: readonly number[], replacement: unknown, remove: boolean): unknown {
  if (value === null || typeof value !== 'object') return replacement;
  const root = structuredClone(value) as Record<string, unknown> | unknown[];
  let node: Record<string, unknown> | unknown[] = root;
  for (const c of choices) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[c % keys.length]!;
    const child = (node as Record<string, unknown>)[k];
    if (child !== null && typeof child === 'object' && c % 3 !== 0) {
      node = child as Record<string, unknown>;
      continue;
    }
    if (remove && !Array.isArray(node)) delete (node as Record<string, unknown>)[k];
    else (node as Record<string, unknown>)[k] = replacement;
    return root;
  }
  return root;
}

function checkText(text: string, file: string): void {
  const found = lintBoth(text, file);
  expect(outsideText(found, text), file).toEqual([]);
  for (const f of found) expect(`${f.message} ${f.hint ?? ''}`).not.toMatch(/CANARY/);
  const viaInputs = lintAll([{ display: file, text }]);
  expect(outsideText(viaInputs.findings, text), file).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('property: generated manifests', () => {
  it('lint without throwing, with positions inside the file, the same on both parser paths', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), (objects) => {
        const yaml = objects.map(toYaml).join('---\n');
        checkText(yaml, 'generated.yaml');
        for (const o of objects) checkText(toJson(o), 'generated.json');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('get the same findings written as YAML and as JSON (rule, object, container, message)', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 5 }), (objects) => {
        const yaml = lintAll(objects.map((o, i) => ({ display: `f${i}.yaml`, text: toYaml(o) })));
        const json = lintAll(objects.map((o, i) => ({ display: `f${i}.json`, text: toJson(o) })));
        expect(yaml.problems).toEqual([]);
        expect(json.findings.map(meaning).sort()).toEqual(yaml.findings.map(meaning).sort());
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('get the same findings whatever the order of the files', () => {
    fc.assert(
      fc.property(
        fc.array(manifest, { minLength: 2, maxLength: 6 }).chain((objects) =>
          fc.tuple(fc.constant(objects), fc.shuffledSubarray(objects.map((_, i) => i), { minLength: objects.length, maxLength: objects.length })),
        ),
        ([objects, order]) => {
          const inputs = objects.map((o, i) => ({ display: `f${i}.yaml`, text: toYaml(o) }));
          const a = lintAll(inputs);
          const b = lintAll(order.map((i) => inputs[i]!));
          const c = lintAll([...inputs].reverse());
          const key = (fs_: Finding[]) => JSON.stringify([...fs_].sort(compareFindings));
          expect(key(b.findings)).toBe(key(a.findings));
          expect(key(c.findings)).toBe(key(a.findings));
          expect(b.stats).toEqual(a.stats);
        },
      ),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });
});

describe('property: mutations of real files', () => {
  it(`has real files to mutate (${REAL.length})`, () => {
    expect(REAL.length).toBeGreaterThan(50);
  });

  it('text mutations: never throw, positions inside the file, both parser paths agree', () => {
    fc.assert(
      fc.property(fc.nat({ max: REAL.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, mutations) => {
        const { name: file, text } = REAL[i]!;
        checkText(mutate(text, mutations), file);
      }),
      { seed: SEED + 3, numRuns: 400 },
    );
  });

  it('value mutations (any type at any path): never throw, positions inside the file, both parser paths agree', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: REAL.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('x', 5, null, [], {}, true, '', [1, 'a', null], { name: 5 }, { containers: 'x' })),
        fc.boolean(),
        (i, choices, replacement, remove) => {
          const { name: file, text } = REAL[i]!;
          const docs = parseAllDocuments(text);
          const values: unknown[] = [];
          for (const d of docs) {
            try {
              const v: unknown = d.toJS({ maxAliasCount: 100 });
              // A recursive alias (fixtures/parse-error/alias-cycle.yaml) reads as a circular value,
              // which cannot be written back as text: nothing to mutate there.
              JSON.stringify(v);
              values.push(v);
            } catch {
              return;
            }
          }
          if (values.length === 0) return;
          const which = choices[0]! % values.length;
          values[which] = mutateValue(values[which], choices.slice(1), replacement, remove);
          const mutated = values.map((v) => toYaml(v)).join('---\n');
          checkText(mutated, `${file}.mutated.yaml`);
          if (values.length === 1) checkText(toJson(values[0]), `${file}.mutated.json`);
        },
      ),
      { seed: SEED + 4, numRuns: 300 },
    );
  });

  it('mutated files linted together: the same findings in any order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: REAL.length - 1 }), { minLength: 2, maxLength: 5 }), fc.array(mutation, { maxLength: 2 }), (picked, mutations) => {
        const inputs = picked.map((i, n) => ({ display: `${n}-${REAL[i]!.name}`, text: mutate(REAL[i]!.text, mutations) }));
        const a = lintAll(inputs);
        const b = lintAll([...inputs].reverse());
        expect(JSON.stringify(b.findings)).toBe(JSON.stringify(a.findings));
      }),
      { seed: SEED + 5, numRuns: 100 },
    );
  });
});

describe('property: duplicate keys', () => {
  const dupKey = fc.constantFrom('a', 'b', '"a"', "'a'", '1', '"1"', '~', 'null', 'true', '.nan', '0x1', '!!str a', '<<');
  const block = fc.array(fc.tuple(dupKey, fc.constantFrom('x', '{a: 1, a: 2}', '[1, 2]', '*anchor', '&anchor v', '"q"')), { minLength: 1, maxLength: 8 });

  it('are found exactly where the yaml parser’s own (quadratic) check finds them', () => {
    fc.assert(
      fc.property(block, fc.boolean(), (pairs, flow) => {
        const text = flow ? `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}\n` : `${pairs.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
        const reference = parseAllDocuments(text, { uniqueKeys: true, merge: true, strict: true });
        if (reference.some((d) => d.errors.some((e) => e.code !== 'DUPLICATE_KEY' && e.code !== 'BAD_DQ_ESCAPE'))) return;
        const expected = reference.flatMap((d) => d.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0])).sort((x, y) => x - y);
        const found = lintBoth(text, 'dup.yaml').filter((f) => f.ruleId === 'duplicate-key');
        const starts = [0];
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
        expect(found.map((f) => starts[f.line - 1]! + f.column - 1)).toEqual(expected);
      }),
      { seed: SEED + 6, numRuns: RUNS },
    );
  });
});
