/**
 * Kustomize patches are partial objects: the files a kustomization lists as patches, documents with
 * strategic-merge directives, and documents with a kind but no apiVersion. Rules about a pod's
 * structure never run on them; content and reference rules do, at the patch's own lines. Which files
 * are patches is found before linting (a scan of the kustomization files), so the output is the same
 * on the fast path, the exact path (SIDECAR_LINT_EXACT=1) and on two threads (SIDECAR_LINT_THREADS=2).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { PARALLEL_MIN_FILES } from '../src/lint-worker.js';
import { objectsOfDocument } from '../src/model/objects.js';
import { listedPatchFiles, patchFilesOf } from '../src/render/plan.js';
import { runsOnPatches } from '../src/rule.js';
import { lintAll } from './support/lint.js';

const BIN = path.resolve(import.meta.dirname, '../bin/sidecar-lint.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-patches-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A Deployment that every pod-structure rule has something to say about, were it a whole object. */
const deployment = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d${i}
spec:
  template:
    spec:
      containers:
        - name: app
          image: app
          env:
            - name: TOKEN
              valueFrom: {secretKeyRef: {name: s${i}, key: missing}}
            - name: API_TOKEN
              value: tok-${i}-4f9a8b7c6d5e
        - name: side
          image: side
`;
const configMap = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  POSTGRES_PASSWORD: pw-${i}-value\n`;
const secret = (i: number) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}\nstringData:\n  other: \${VALUE}\n`;
const kustomization = 'resources:\n  - https://example.com/base\npatches:\n  - path: deploy.yaml\npatchesStrategicMerge:\n  - cm.yaml\n';

function tree(n: number): void {
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, `o${String(i).padStart(4, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    if (i % 4 === 0) {
      // An overlay: its listed files are patches.
      fs.writeFileSync(path.join(sub, 'kustomization.yaml'), kustomization);
      fs.writeFileSync(path.join(sub, 'deploy.yaml'), deployment(i));
      fs.writeFileSync(path.join(sub, 'cm.yaml'), configMap(i));
      fs.writeFileSync(path.join(sub, 'secret.yaml'), secret(i));
    } else if (i % 4 === 1) {
      // The same files without a kustomization: whole objects.
      fs.writeFileSync(path.join(sub, 'deploy.yaml'), deployment(i));
      fs.writeFileSync(path.join(sub, 'secret.yaml'), secret(i));
    } else if (i % 4 === 2) {
      // Patches by their content: no apiVersion, or a $patch directive.
      fs.writeFileSync(path.join(sub, 'deploy.yaml'), deployment(i).replace('apiVersion: apps/v1\n', ''));
      fs.writeFileSync(path.join(sub, 'cm.yaml'), `${configMap(i)}  OLD_PASSWORD:\n    $patch: delete\n`);
    } else {
      fs.writeFileSync(path.join(sub, 'cm.yaml'), configMap(i));
    }
  }
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
}

describe('Kustomize patches through the CLI', () => {
  const n = Math.ceil(PARALLEL_MIN_FILES / 2) + 20;
  tree(n);
  const runWith = (env: Record<string, string>) =>
    spawnSync(process.execPath, [BIN, '--no-config', '--no-render', '--format', 'json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: 1 << 28,
    });

  it('the same output on the fast path, the exact path and two threads', () => {
    const fast = runWith({ SIDECAR_LINT_THREADS: '1' });
    const exact = runWith({ SIDECAR_LINT_THREADS: '1', SIDECAR_LINT_EXACT: '1' });
    const two = runWith({ SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_TRACE_WORKER: '1' });
    expect(fast.status).toBe(1);
    expect(two.stderr).toMatch(/^sidecar-lint: worker thread linted \d+ files\n$/);
    expect(exact.stdout).toBe(fast.stdout);
    expect(two.stdout).toBe(fast.stdout);

    const findings = (JSON.parse(fast.stdout) as { findings: JsonFinding[] }).findings;
    const rulesIn = (kind: number, file: string) =>
      [...new Set(findings.filter((f) => f.file === `o${String(kind).padStart(4, '0')}/${file}`).map((f) => f.ruleId))].sort();
    // A listed patch: content and reference rules only.
    expect(rulesIn(0, 'deploy.yaml')).toEqual(['env-literal-secret', 'missing-reference-key', 'secret-env-var']);
    expect(rulesIn(0, 'cm.yaml')).toEqual(['configmap-sensitive-data']);
    // The same Deployment as a whole object: the pod-structure rules too.
    expect(rulesIn(1, 'deploy.yaml')).toEqual([
      'env-literal-secret',
      'missing-reference-key',
      'secret-env-var',
      'secret-in-main-container',
      'sidecar-missing-resources',
      'uncoupled-containers',
    ]);
    // No apiVersion: a patch (it used to be skipped as not a Kubernetes object). Its Secret is not
    // linted, so the key it reads is not known to be missing.
    expect(rulesIn(2, 'deploy.yaml')).toEqual(['env-literal-secret', 'secret-env-var']);
    expect(rulesIn(2, 'cm.yaml')).toEqual(['configmap-sensitive-data']);
  });
});

describe('which files are patches', () => {
  it('patches[].path, patchesJson6902[].path and patchesStrategicMerge files, relative to the kustomization; not inline patches or URLs', () => {
    const k = path.join(dir, 'scan');
    fs.mkdirSync(k, { recursive: true });
    fs.writeFileSync(
      path.join(k, 'kustomization.yaml'),
      [
        'patches:',
        '  - path: a.yaml',
        '  - patch: |-',
        '      kind: ConfigMap',
        '      metadata: {name: x}',
        '  - path: sub/b.yaml',
        '    target: {kind: Deployment}',
        'patchesJson6902:',
        '  - path: ../c.yaml',
        '    target: {kind: Service, name: s}',
        'patchesStrategicMerge:',
        '  - d.yaml',
        '  - |-',
        '    kind: Secret',
        '    metadata: {name: y}',
        '  - https://example.com/e.yaml',
        '',
      ].join('\n'),
    );
    expect(patchFilesOf(k)).toEqual([path.join(k, 'd.yaml'), path.join(k, 'a.yaml'), path.join(k, 'sub/b.yaml'), path.join(dir, 'c.yaml')]);
    expect([...listedPatchFiles([{ absolute: path.join(k, 'kustomization.yaml'), display: 'scan/kustomization.yaml' }])].sort()).toEqual(
      [path.join(k, 'a.yaml'), path.join(k, 'd.yaml'), path.join(k, 'sub/b.yaml'), path.join(dir, 'c.yaml')].sort(),
    );
  });

  it('a document with a kind and no apiVersion, or with strategic-merge directives, is a patch; others are not', () => {
    expect(objectsOfDocument({ kind: 'ConfigMap', metadata: { name: 'x' } }, 0)[0]).toMatchObject({ isPatch: true, patchReason: 'no-api-version' });
    expect(objectsOfDocument({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: { $patch: 'delete' } } }, 0)[0]).toMatchObject({
      isPatch: true,
      patchReason: 'directive',
      value: { apiVersion: 'v1', kind: 'ConfigMap', data: {} },
    });
    expect(objectsOfDocument({ apiVersion: 'v1', kind: 'ConfigMap' }, 0, { listedPatch: true })[0]).toMatchObject({ isPatch: true, patchReason: 'listed' });
    expect(objectsOfDocument({ apiVersion: 'v1', kind: 'ConfigMap' }, 0)[0]).toMatchObject({ isPatch: false });
    expect(objectsOfDocument({ just: 'data' }, 0)).toEqual([]);
    expect(objectsOfDocument({ apiVersion: 'v1' }, 0)).toEqual([]);
  });

  it('entries under $patch: delete are left out; the paths of the others point at them as written', () => {
    const [object] = objectsOfDocument(
      { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'gone', $patch: 'delete' }, { $patch: 'replace' }, { name: 'kept' }] } },
      0,
    );
    expect(object!.value).toEqual({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'kept' }] } });
    expect(object!.sourcePath!(['spec', 'containers', 0, 'name'])).toEqual(['spec', 'containers', 2, 'name']);
  });
});

describe('rule scopes', () => {
  it('every built-in rule says what it reads (which decides whether it runs on patches)', () => {
    expect(builtinRules.filter((r) => r.meta.scope === undefined).map((r) => r.meta.id)).toEqual([]);
  });

  it('a rule that does not say (a plugin, a custom rule) does not run on patches', () => {
    expect(runsOnPatches({})).toBe(false);
    expect(runsOnPatches({ scope: 'pod-structure' })).toBe(false);
    expect(runsOnPatches({ scope: 'content' })).toBe(true);
    expect(runsOnPatches({ scope: 'reference' })).toBe(true);
  });
});

describe('reference rules and patches', () => {
  it('a patch that adds keys to a Secret does not define all of its keys', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app
      env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
`;
    // The base Secret is not linted; the overlay's patch adds a key to it.
    const patch = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  extra: ${EXTRA}\n';
    const ids = (files: Record<string, string>, patchFiles: string[] = []) =>
      lintAll(files, { patchFiles }).filter((f) => f.ruleId === 'missing-reference-key').map((f) => f.file);
    expect(ids({ 'pod.yaml': pod, 'patch.yaml': patch }, ['patch.yaml'])).toEqual([]);
    // As a whole Secret it lacks the key.
    expect(ids({ 'pod.yaml': pod, 'patch.yaml': patch })).toEqual(['pod.yaml']);
    // With the whole Secret linted too, the patch's keys add to it.
    const base = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  user: ${USER}\n';
    expect(ids({ 'pod.yaml': pod, 'patch.yaml': patch, 'base.yaml': base }, ['patch.yaml'])).toEqual(['pod.yaml']);
    expect(ids({ 'pod.yaml': pod, 'patch.yaml': patch.replace('extra', 'password'), 'base.yaml': base }, ['patch.yaml'])).toEqual([]);
  });
});
