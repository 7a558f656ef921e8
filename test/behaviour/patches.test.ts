/**
 * Kustomize patches are partial objects: the files a kustomization lists as patches, documents with
 * strategic-merge directives, documents with a kind but no apiVersion, and inline patches (YAML
 * texts written in a kustomization, located inside it). Rules about a pod's
 * structure never run on them; content and reference rules do, at the patch's own lines. Which files
 * are patches is found before linting (a scan of the kustomization files), so the output is the same
 * on the fast path, the exact path (SIDECAR_LINT_EXACT=1) and on two threads (SIDECAR_LINT_THREADS=2).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { PARALLEL_MIN_FILES } from '../../src/run/lint-worker.js';
import { embeddedTexts, isKustomization } from '../../src/model/kustomization.js';
import { objectsOfDocument, originPath } from '../../src/model/objects.js';
import { listedPatchFiles, patchFilesOf } from '../../src/input/render/plan.js';
import { mapKustomizeFindings, patchFilesDeep } from '../../src/input/render/render.js';
import { runsOnPatches } from '../../src/rule.js';
import type { Finding } from '../../src/types.js';
import { lintAll, runCli, lintOptions } from '../support/lint.js';
import type { JsonFinding } from '../../src/format/json.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');
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
/** An inline patch: the text of `patch: |` (indented under `  - `), from a whole object's text. */
const inline = (text: string, indent = '      ') => text.trimEnd().split('\n').map((l) => `${indent}${l}`).join('\n');
const kustomization = (i: number) =>
  `resources:\n  - https://example.com/base\npatches:\n  - path: deploy.yaml\n  - patch: |\n${inline(deployment(i + 1000))}\n` +
  `patchesStrategicMerge:\n  - cm.yaml\n  - |-\n${inline(configMap(i + 1000), '    ')}\n`;

function tree(n: number): void {
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, `o${String(i).padStart(4, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    if (i % 4 === 0) {
      // An overlay: its listed files are patches.
      fs.writeFileSync(path.join(sub, 'kustomization.yaml'), kustomization(i));
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
    // Inline patches: content and reference rules only, inside the kustomization.
    expect(rulesIn(0, 'kustomization.yaml')).toEqual(['configmap-sensitive-data', 'env-literal-secret', 'secret-env-var']);
    expect(findings.filter((f) => f.file === 'o0000/kustomization.yaml').map((f) => `${f.ruleId}@${f.line}`)).toEqual([
      'secret-env-var@17',
      'env-literal-secret@19',
      'configmap-sensitive-data@31',
    ]);
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

  it('a kustomization that cannot name a patch file is not parsed; one with escapes or any file entry is', () => {
    const cases: [string, string, string[]][] = [
      ['inline-only', 'patches:\n  - patch: |-\n      kind: ConfigMap\n      metadata: {name: x}\n', []],
      ['escaped-key', '"patches":\n  - "\\x70ath": e.yaml\n', ['e.yaml']],
      ['escaped-psm', '"patchesStrategic\\u004derge": [f.yaml]\n', ['f.yaml']],
      ['json6902', 'patchesJson6902:\n  - {path: g.yaml, target: {kind: Service}}\n', ['g.yaml']],
      ['psm-flow', '{patchesStrategicMerge: [h.yaml]}\n', ['h.yaml']],
      ['alias', 'x: &p i.yaml\npatches:\n  - path: *p\n', ['i.yaml']],
    ];
    for (const [name, text, files] of cases) {
      const k = path.join(dir, `prefilter-${name}`);
      fs.mkdirSync(k, { recursive: true });
      fs.writeFileSync(path.join(k, 'kustomization.yaml'), text);
      expect([name, patchFilesOf(k)]).toEqual([name, files.map((f) => path.join(k, f))]);
    }
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

/** Lints a text on the fast path and on the exact path; both must agree. `ruleId@line:column-endLine:endColumn` per finding. */
function both(text: string, file = 'kustomization.yaml'): string[] {
  const rules = lintOptions().rules;
  const show = (fast: boolean) =>
    lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast })
      .findings.map((f) => `${f.ruleId}@${f.line}:${f.column}-${f.endLine}:${f.endColumn}${f.suppressed ? ` (${f.suppressed.kind})` : ''}`)
      .sort();
  const fast = show(true);
  expect(show(false)).toEqual(fast);
  return fast;
}

const configMapPatch = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: db', 'data:', '  POSTGRES_PASSWORD: admin'];
/** A kustomization with one inline patch: `header` after `patch:`, the text's lines indented by `indent`. */
const withPatch = (header: string, lines: readonly string[], indent = '      ') =>
  `patches:\n  - patch: ${header}\n${lines.map((l) => (l === '' ? '' : indent + l)).join('\n')}\n`;

describe('inline patches', () => {
  it('which documents are kustomizations, and which of their strings are patches', () => {
    expect(isKustomization({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }, 'any.yaml')).toBe(true);
    expect(isKustomization({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' }, 'x/comp.yaml')).toBe(true);
    expect(isKustomization({ resources: [] }, 'overlays/prod/kustomization.yaml')).toBe(true);
    expect(isKustomization({ resources: [] }, 'overlays\\prod\\kustomization.yml')).toBe(true);
    expect(isKustomization({ resources: [] }, 'Kustomization')).toBe(true);
    expect(isKustomization({ resources: [] }, 'overlays/prod/other.yaml')).toBe(false);
    expect(isKustomization({ apiVersion: 'v1', kind: 'ConfigMap' }, 'kustomization.yaml')).toBe(false);
    expect(isKustomization({ apiVersion: 'example.com/v1', kind: 'Kustomization' }, 'flux.yaml')).toBe(false);
    const k = {
      patches: [{ path: 'a.yaml' }, { patch: 'kind: A\n' }, { patch: '' }, { target: {}, patch: '[{"op": "remove", "path": "/x"}]' }],
      patchesStrategicMerge: ['b.yaml', 'kind: B\nmetadata: {name: b}\n', 'https://example.com/c.yaml'],
      patchesJson6902: [{ patch: '- op: remove\n  path: /x\n' }],
    };
    expect(embeddedTexts(k, 'kustomization.yaml')).toEqual([
      { path: ['patches', 1, 'patch'], text: 'kind: A\n' },
      { path: ['patches', 3, 'patch'], text: '[{"op": "remove", "path": "/x"}]' },
      { path: ['patchesStrategicMerge', 1], text: 'kind: B\nmetadata: {name: b}\n' },
    ]);
    expect(embeddedTexts(k, 'other.yaml')).toEqual([]);
  });

  it('an inline patch is a patch, known by the path of its string (facts and cross-resource findings)', () => {
    const [object] = objectsOfDocument({ kind: 'ConfigMap' }, 2, { embedded: { path: ['patches', 1, 'patch'], index: 0 } });
    expect(object).toMatchObject({ isPatch: true, patchReason: 'inline', documentIndex: 2, path: [] });
    expect(originPath(object!)).toEqual(['patches', 1, 'patch', '\u0000embedded', 0]);
    expect(originPath({ path: ['items', 3] })).toEqual(['items', 3]);
  });

  it('findings are at their line and column inside a literal block scalar, whatever its chomping or indentation', () => {
    expect(both(withPatch('|-', configMapPatch))).toEqual(['configmap-sensitive-data@8:9-8:33']);
    expect(both(withPatch('|', configMapPatch))).toEqual(['configmap-sensitive-data@8:9-8:33']);
    expect(both(withPatch('|+', configMapPatch))).toEqual(['configmap-sensitive-data@8:9-8:33']);
        // An indentation indicator counts from the key (`patch`, at column 5), not from the line's `-`.
    expect(both(withPatch('|2', configMapPatch))).toEqual(['configmap-sensitive-data@8:9-8:33']);
    expect(both(withPatch('|4', configMapPatch, '        '))).toEqual(['configmap-sensitive-data@8:11-8:35']);
    expect(both(`patchesStrategicMerge:\n  - |2\n${configMapPatch.map((l) => `    ${l}`).join('\n')}\n`)).toEqual(['configmap-sensitive-data@8:7-8:31']);
    // Blank lines and a comment inside the text; Windows line endings.
    expect(both(withPatch('|', ['', '# the database', ...configMapPatch.slice(0, 4), '', ...configMapPatch.slice(4)]))).toEqual([
      'configmap-sensitive-data@11:9-11:33',
    ]);
    expect(both(withPatch('|', configMapPatch).replace(/\n/g, '\r\n'))).toEqual(['configmap-sensitive-data@8:9-8:33']);
    // A second document in the file, and the Kustomization header.
    const header = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
    expect(both(header + withPatch('|', configMapPatch))).toEqual(['configmap-sensitive-data@14:9-14:33']);
  });

  it('a patch written as a folded, quoted or plain string is reported at its entry', () => {
    // (Folded: the text's lines are apart, so that it keeps its line breaks.)
    expect(both(withPatch('>', configMapPatch.join('\n\n').split('\n')))).toEqual(['configmap-sensitive-data@2:5-13:33']);
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db' }, data: { POSTGRES_PASSWORD: 'admin' } });
    expect(both(`patches:\n  - patch: '${json}'\n`)).toEqual([`configmap-sensitive-data@2:5-2:${14 + json.length}`]);
  });

  it('embedded files inside an inline patch (a ConfigMap value holding a file) are located too', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  app.properties: |', '    log.level=info', '    db.password=hunter2'];
    expect(both(withPatch('|', lines))).toEqual(['configmap-sensitive-data@10:11-10:30']);
  });

  it('a container under $patch: delete and pod-structure rules: nothing reported', () => {
    const deployment = [
      'kind: Deployment',
      'metadata: {name: shop}',
      'spec:',
      '  template:',
      '    spec:',
      '      shareProcessNamespace: true',
      '      containers:',
      '        - name: gone',
      '          $patch: delete',
      '          env: [{name: OLD_PASSWORD, value: old-pw-value}]',
      '        - name: app',
      '          image: app',
      '          env:',
      '            - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}',
      '        - name: side',
      '          image: side',
    ];
    expect(both(withPatch('|', deployment))).toEqual(['secret-env-var@16:21-16:94']);
    // The same text as a whole object in its own file: the pod-structure rules run.
    const whole = deployment.filter((l) => !/gone|\$patch|OLD_PASSWORD/.test(l));
    expect(both(`apiVersion: apps/v1\n${whole.join('\n')}\n`, 'deploy.yaml').map((f) => f.split('@')[0])).toEqual(
      expect.arrayContaining(['secret-in-main-container', 'shared-process-namespace-secret']),
    );
  });

  it('native-sidecar-unsupported (a content rule) checks an inline patch', () => {
    const lines = ['kind: Deployment', 'metadata: {name: shop}', 'spec:', '  template:', '    spec:', '      initContainers:', '        - name: proxy', '          restartPolicy: Always'];
    const rules = lintOptions().rules;
    const found = lintText(withPatch('|', lines), 'kustomization.yaml', { rules, settings: { ...DEFAULT_SETTINGS, kubeVersion: '1.27' } }).findings;
    expect(found.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['native-sidecar-unsupported@9']);
  });

  it('suppression comments and annotations inside an inline patch apply', () => {
    const comment = withPatch('|', [...configMapPatch.slice(0, 5), '  # sidecar-lint-disable-next-line configmap-sensitive-data -- a local demo', configMapPatch[5]!]);
    expect(both(comment)).toEqual(['configmap-sensitive-data@9:9-9:33 (comment)']);
    const annotation = withPatch('|', [
      ...configMapPatch.slice(0, 4),
      '  annotations:',
      '    ignore.sidecar-lint.io/configmap-sensitive-data: a local demo',
      ...configMapPatch.slice(4),
    ]);
    expect(both(annotation)).toEqual(['configmap-sensitive-data@10:9-10:33 (annotation)']);
    const rules = lintOptions().rules;
    const unused = lintText(annotation.replace('configmap-sensitive-data:', 'env-literal-secret:'), 'kustomization.yaml', {
      rules,
      settings: DEFAULT_SETTINGS,
      reportUnusedSuppressions: true,
    }).findings;
    expect(unused.map((f) => `${f.ruleId}@${f.line}:${f.column}`).sort()).toEqual(['configmap-sensitive-data@10:9', 'unused-suppression@8:11']);
  });

  it('cross-resource findings land in the inline patch (missing-reference-key), on every path', () => {
    const k = withPatch('|', [
      'kind: Deployment',
      'metadata: {name: shop}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          env:',
      '            - name: TOKEN',
      '              valueFrom:',
      '                secretKeyRef: {name: api, key: missing}',
    ]);
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  token: ${TOKEN}\n';
    const found = lintAll({ 'overlay/kustomization.yaml': k, 'base/secret.yaml': secret });
    expect(found.map((f) => `${f.file}:${f.ruleId}@${f.line}:${f.column}`)).toEqual([
      'overlay/kustomization.yaml:secret-env-var@11:21',
      'overlay/kustomization.yaml:missing-reference-key@13:49',
    ]);
    // An inline Secret patch adds its keys to the Secret; it does not define them all.
    const secretPatch = '  - patch: |\n      kind: Secret\n      metadata: {name: other}\n      stringData: {extra: "${X}"}\n';
    const other = k.replace('name: api,', 'name: other,') + secretPatch;
    expect(lintAll({ 'kustomization.yaml': other }).map((f) => f.ruleId)).toEqual(['secret-env-var']);
  });
});

describe('rendered findings and inline patches', () => {
  it('a finding of a field an inline patch writes maps into the patch; others to the resource file', () => {
    const root = path.join(dir, 'render');
    fs.mkdirSync(path.join(root, 'base'), { recursive: true });
    fs.writeFileSync(path.join(root, 'base', 'kustomization.yaml'), 'resources:\n  - deploy.yaml\n');
    const base = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: shop',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: app',
      '          env:',
      '            - name: API_TOKEN',
      '              value: tok-4f9a8b7c6d5e',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'base', 'deploy.yaml'), base);
    const overlay = [
      'resources:',
      '  - base',
      'patches:',
      '  - patch: |-',
      '      apiVersion: apps/v1',
      '      kind: Deployment',
      '      metadata:',
      '        name: shop',
      '      spec:',
      '        template:',
      '          spec:',
      '            containers:',
      '              - name: app',
      '                env:',
      '                  - name: DB_PASSWORD',
      '                    value: hunter2-4f9a8b',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'kustomization.yaml'), overlay);
    // What `kustomize build` gives (the patch's entry merged before the base's).
    const rendered = base.replace('          env:\n', '          env:\n            - name: DB_PASSWORD\n              value: hunter2-4f9a8b\n');
    const rules = lintOptions().rules;
    const findings = lintText(rendered, 'render (kustomize build)', { rules, settings: DEFAULT_SETTINGS }).findings;
    expect(findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['env-literal-secret@12', 'env-literal-secret@14']);
    const sources = patchFilesDeep(root);
    expect(sources).toEqual([{ file: path.join(root, 'kustomization.yaml'), inline: true }, { file: path.join(root, 'base', 'kustomization.yaml'), inline: true }]);
    const mapped = mapKustomizeFindings(findings, [path.join(root, 'base', 'deploy.yaml')], path.join(root, 'kustomization.yaml'), dir, sources, rendered);
    const show = (f: Finding) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
    expect(mapped.map(show)).toEqual(['render/kustomization.yaml:15:21-16:42', 'render/base/deploy.yaml:12:15-13:38']);
  });
});

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasKubectl)('inline patches through the CLI (kubectl kustomize, for real)', () => {
  it('rendered or not, a finding an inline patch writes is inside the patch; the base keeps its own', async () => {
    const root = path.join(dir, 'inline-cli');
    const files: Record<string, string> = {
      'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - cm.yaml\n',
      'base/deploy.yaml': deployment(7).replace('            - name: API_TOKEN\n              value: tok-7-4f9a8b7c6d5e\n', ''),
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c7\ndata:\n  POSTGRES_DB: shop\n',
      'overlay/kustomization.yaml': [
        'resources:', // 1
        '  - ../base', // 2
        'patches:', // 3
        '  - patch: |-', // 4
        '      apiVersion: v1', // 5
        '      kind: ConfigMap', // 6
        '      metadata:', // 7
        '        name: c7', // 8
        '      data:', // 9
        '        POSTGRES_PASSWORD: admin', // 10
        '  - patch: |', // 11
        '      apiVersion: apps/v1', // 12
        '      kind: Deployment', // 13
        '      metadata: {name: d7}', // 14
        '      spec:', // 15
        '        template:', // 16
        '          spec:', // 17
        '            containers:', // 18
        '              - name: app', // 19
        '                env:', // 20
        '                  - name: DB_PASSWORD', // 21
        '                    value: hunter2-4f9a8b', // 22
        '',
      ].join('\n'),
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const where = async (args: string[]) => {
      const r = await runCli(['--no-config', '--format', 'json', ...args, 'overlay', 'base'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
      expect(r.stderr).toBe('');
      const ids = ['configmap-sensitive-data', 'env-literal-secret', 'secret-env-var'];
      return (JSON.parse(r.stdout) as { findings: (JsonFinding & { column: number })[] }).findings
        .filter((f) => ids.includes(f.ruleId))
        .map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
    };
    const expected = [
      'secret-env-var base/deploy.yaml:12:15',
      'configmap-sensitive-data overlay/kustomization.yaml:10:9',
      'env-literal-secret overlay/kustomization.yaml:21:21',
    ];
    expect(await where([])).toEqual(expected);
    expect(await where(['--no-render'])).toEqual(expected);
  });
});
