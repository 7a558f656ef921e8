/**
 * Helm charts, Kustomize overlays and piped renders. kubectl's built-in kustomize is used for real;
 * helm is not installable here, so the piped path is tested with real `helm template` output and the
 * chart path with a stand-in `helm` on PATH that prints a recorded render and records its arguments.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../support/lint.js';
import type { JsonFinding } from '../../../src/format/json.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-render-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

const WATCHED = new Set(['configmap-sensitive-data', 'secret-in-main-container', 'uncoupled-containers', 'parse-error', 'render-error']);

function findings(r: CliResult): string[] {
  const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
  return report.findings.filter((f) => WATCHED.has(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
}

function messages(r: CliResult): JsonFinding[] {
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => WATCHED.has(f.ruleId));
}

/** A PATH holding only node (and whatever is put in `bin`): no kubectl, no kustomize, no helm. */
function bareBin(name: string): string {
  const bin = path.join(tmp, name);
  fs.mkdirSync(bin, { recursive: true });
  if (!fs.existsSync(path.join(bin, 'node'))) fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const BASE = {
  'k8s/base/deploy.yaml': [
    'apiVersion: apps/v1', // 1
    'kind: Deployment', // 2
    'metadata:', // 3
    '  name: web', // 4
    'spec:', // 5
    '  template:', // 6
    '    spec:', // 7
    '      containers:', // 8
    '        - name: app', // 9
    '          image: nginx', // 10
    '          env:', // 11
    '            - name: DB_PASSWORD', // 12
    '              valueFrom:', // 13
    '                secretKeyRef: {name: db, key: password}', // 14
    '        - name: logger', // 15
    '          image: busybox', // 16
    '',
  ].join('\n'),
  'k8s/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  LOG_LEVEL: info\n  API_TOKEN: abc123-CANARY\n',
  'k8s/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - cm.yaml\n',
  'k8s/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\nnamePrefix: prod-\npatches:\n  - path: replicas.yaml\n',
  'k8s/overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
  'k8s/plain/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: plain\nspec:\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n',
};

describe.skipIf(!hasKubectl)('Kustomize directories (kubectl kustomize, for real)', () => {
  const root = path.join(tmp, 'kustomize');
  beforeAll(() => write(root, BASE));

  it('lints the rendered overlay and reports against the resource files, once per source location', async () => {
    const r = await runCli(['--format', 'json', 'k8s'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(findings(r)).toEqual([
      'configmap-sensitive-data k8s/base/cm.yaml:7:3',
      'secret-in-main-container k8s/base/deploy.yaml:12:15',
      'uncoupled-containers k8s/base/deploy.yaml:15:11',
      'uncoupled-containers k8s/plain/pod.yaml:9:7',
    ]);
    expect(r.stdout).not.toContain('CANARY');
  });

  it('--no-render lints the raw files instead', async () => {
    const r = await runCli(['--format', 'json', '--no-render', 'k8s'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(findings(r)).toEqual([
      'configmap-sensitive-data k8s/base/cm.yaml:7:3',
      'secret-in-main-container k8s/base/deploy.yaml:12:15',
      'uncoupled-containers k8s/base/deploy.yaml:15:11',
      'uncoupled-containers k8s/plain/pod.yaml:9:7',
    ]);
  });

  it('a broken kustomization is a render-error finding at the line of the missing entry; the rest is still linted; exit from findings', async () => {
    const broken = path.join(tmp, 'kustomize-broken');
    write(broken, { ...BASE, 'k8s/overlays/bad/kustomization.yaml': 'resources:\n  - missing.yaml\n' });
    const r = await runCli(['--format', 'json', '--fail-on', 'none', 'k8s'], { cwd: broken, env: { PATH: process.env.PATH ?? '' } });
    // An error finding, not "could not do its job": --fail-on none makes it exit 0.
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(findings(r)).toContain('render-error k8s/overlays/bad/kustomization.yaml:2:5');
    const error = messages(r).find((f) => f.ruleId === 'render-error')!;
    expect(error.message).toMatch(
      /^Kustomize directory not rendered: `kubectl kustomize k8s\/overlays\/bad` failed: accumulating resources: .*no such file or directory; its files were linted as plain YAML$/,
    );
    expect(error.message).not.toMatch(/run\.go|E\d{4} |\/tmp\//);
    expect(findings(r)).toContain('uncoupled-containers k8s/plain/pod.yaml:9:7');
    expect(findings(r)).toContain('secret-in-main-container k8s/base/deploy.yaml:12:15');
  });
});

describe.skipIf(!hasKubectl)('--fix and rendered Kustomize output', () => {
  const env = { PATH: process.env.PATH ?? '' };
  const NOTE = "which --fix does not edit; fix the source by hand (for a kustomization's own files, --no-render lints and fixes them as they are)";

  // Changed deliberately (issue 15): a finding of the rendered output at a literal node of a resource
  // file, that the file alone has too, is fixed in that file (it used to be left alone and named).
  it('fixes a finding of the rendered output in the resource file that holds it, when the file alone has the same finding', async () => {
    const root = path.join(tmp, 'kustomize-fix');
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: "correct horse battery"\n';
    write(root, { 'k8s/app/secret.yaml': secret, 'k8s/app/kustomization.yaml': 'resources:\n  - secret.yaml\n' });
    const dry = await runCli(['--no-config', '--fix-dry-run', '--unsafe-fixes', 'k8s'], { cwd: root, env });
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      ['--- a/k8s/app/secret.yaml', '+++ b/k8s/app/secret.yaml', '@@ -2,5 +2,5 @@', ' kind: Secret', ' metadata:', '   name: db', '-data:', '+stringData:', '   password: <redacted: 21 chars>', ''].join('\n'),
    );
    expect(dry.stdout).not.toContain('horse');
    expect(dry.stderr).toBe('sidecar-lint: would fix 1 finding in 1 file\n');
    expect(fs.readFileSync(path.join(root, 'k8s/app/secret.yaml'), 'utf8')).toBe(secret);
    // Without --unsafe-fixes the fix (unsafe) is not on offer.
    const safe = await runCli(['--no-config', '--fix', '--format', 'json', 'k8s'], { cwd: root, env });
    expect(safe.stderr).toBe('');
    expect(fs.readFileSync(path.join(root, 'k8s/app/secret.yaml'), 'utf8')).toBe(secret);
    const r = await runCli(['--no-config', '--fix', '--unsafe-fixes', '--format', 'json', 'k8s'], { cwd: root, env });
    expect(r.stderr).toBe('sidecar-lint: fixed 1 finding in 1 file\n');
    expect(fs.readFileSync(path.join(root, 'k8s/app/secret.yaml'), 'utf8')).toBe(secret.replace('\ndata:', '\nstringData:'));
    // The report after fixing comes from a new render of the fixed file, not the first one.
    expect((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId === 'secret-invalid-base64')).toEqual([]);
  });

  it('adds the default-container annotation to a base resource file through an overlay; a finding written by an overlay patch is not fixed', async () => {
    const root = path.join(tmp, 'kustomize-fix-overlay');
    const deploy = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web # the web tier',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: nginx',
      '        - name: logger',
      '          image: busybox',
      '          resources: {limits: {memory: 64Mi}, requests: {cpu: 10m, memory: 64Mi}}',
      '',
    ].join('\n');
    // The patch adds a container to a Deployment of one container: the guess is made only in the rendered output.
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: proxy\n          image: busybox\n';
    const api = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n';
    write(root, {
      'k8s/base/deploy.yaml': deploy,
      'k8s/base/api.yaml': api,
      'k8s/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - api.yaml\n',
      'k8s/overlay/kustomization.yaml': 'resources:\n  - ../base\nnamePrefix: prod-\npatches:\n  - path: patch.yaml\n',
      'k8s/overlay/patch.yaml': patch,
    });
    const dry = await runCli(['--no-config', '--fix-dry-run', 'k8s/overlay'], { cwd: root, env });
    expect(dry.stdout).toBe(
      [
        '--- a/k8s/base/deploy.yaml',
        '+++ b/k8s/base/deploy.yaml',
        '@@ -4,6 +4,9 @@',
        '   name: web # the web tier',
        ' spec:',
        '   template:',
        '+    metadata:',
        '+      annotations:',
        '+        kubectl.kubernetes.io/default-container: app',
        '     spec:',
        '       containers:',
        '         - name: app',
        '',
      ].join('\n'),
    );
    expect(dry.stderr).toBe(
      [
        'sidecar-lint: would fix 1 finding in 1 file',
        `sidecar-lint: k8s/overlay/patch.yaml:9:11: uncoupled-containers not fixed (name "app" in the kubectl.kubernetes.io/default-container annotation): it was found in rendered Helm or Kustomize output, ${NOTE}`,
        '',
      ].join('\n'),
    );
    const r = await runCli(['--no-config', '--fix', '--format', 'json', 'k8s/overlay'], { cwd: root, env });
    expect(fs.readFileSync(path.join(root, 'k8s/base/deploy.yaml'), 'utf8')).toBe(deploy.replace('  template:\n', '  template:\n    metadata:\n      annotations:\n        kubectl.kubernetes.io/default-container: app\n'));
    expect(fs.readFileSync(path.join(root, 'k8s/overlay/patch.yaml'), 'utf8')).toBe(patch);
    expect(fs.readFileSync(path.join(root, 'k8s/base/api.yaml'), 'utf8')).toBe(api);
    // The finding is still there (logger is not coupled to app), at its new line, no longer a guess.
    const left = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`);
    expect(left.filter((f) => f.includes('base/deploy.yaml'))).toEqual(['uncoupled-containers k8s/base/deploy.yaml:14 "logger" is not linked to main container "app".']);
    expect(left.filter((f) => f.includes('patch.yaml'))).toContain('uncoupled-containers k8s/overlay/patch.yaml:9 "proxy" is not linked to main container "app" (guessed: others are helpers).');
  });

  it('does not fix a resource that a generator merges into (it is not written as rendered)', async () => {
    const root = path.join(tmp, 'kustomize-fix-generated');
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: "correct horse battery"\n';
    write(root, {
      'k8s/base/secret.yaml': secret,
      'k8s/base/kustomization.yaml': 'resources:\n  - secret.yaml\n',
      'k8s/overlay/kustomization.yaml': 'resources:\n  - ../base\nsecretGenerator:\n  - name: db\n    behavior: merge\n    literals:\n      - user=admin\n',
    });
    const r = await runCli(['--no-config', '--fix', '--unsafe-fixes', '--format', 'json', 'k8s/overlay'], { cwd: root, env });
    expect(fs.readFileSync(path.join(root, 'k8s/base/secret.yaml'), 'utf8')).toBe(secret);
    expect(r.stderr).toBe(`sidecar-lint: k8s/base/secret.yaml:6:3: secret-invalid-base64 not fixed (move "password" from data to stringData): it was found in rendered Helm or Kustomize output, ${NOTE}\n`);
  });

  it('--no-render fixes a kustomization\'s own files as plain files', async () => {
    const root = path.join(tmp, 'kustomize-fix-raw');
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: "correct horse battery"\n';
    write(root, { 'k8s/app/secret.yaml': secret, 'k8s/app/kustomization.yaml': 'resources:\n  - secret.yaml\n' });
    const raw = await runCli(['--no-config', '--fix', '--unsafe-fixes', '--no-render', '--format', 'json', 'k8s'], { cwd: root, env });
    expect(raw.stderr).toBe('sidecar-lint: fixed 1 finding in 1 file\n');
    expect(fs.readFileSync(path.join(root, 'k8s/app/secret.yaml'), 'utf8')).toBe(secret.replace('\ndata:', '\nstringData:'));
  });
});

describe.skipIf(!hasKubectl)('Kustomize components and failed renders', () => {
  it('does not render a kind: Component on its own (it only works inside a kustomization): its files are linted raw', async () => {
    const root = path.join(tmp, 'component');
    write(root, {
      'k8s/components/sidecar/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - pod.yaml\n',
      'k8s/components/sidecar/pod.yaml': BASE['k8s/plain/pod.yaml'],
    });
    const r = await runCli(['--format', 'json', 'k8s'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('');
    expect(findings(r)).toEqual(['uncoupled-containers k8s/components/sidecar/pod.yaml:9:7']);
  });

  it('lints the raw files of a kustomization whose render fails, so nothing is lost', async () => {
    const root = path.join(tmp, 'fallback');
    write(root, {
      'k8s/app/kustomization.yaml': 'resources:\n  - pod.yaml\n  - https://example.invalid/missing.yaml\n',
      'k8s/app/pod.yaml': BASE['k8s/plain/pod.yaml'],
    });
    const r = await runCli(['--format', 'json', 'k8s'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    // The remote entry is refused before kustomize runs (nothing is fetched), at its line.
    expect(findings(r)).toEqual(['render-error k8s/app/kustomization.yaml:3:5', 'uncoupled-containers k8s/app/pod.yaml:9:7']);
  });
});

describe.skipIf(!hasKubectl)('what a linted tree can make the render read', () => {
  it('keeps kustomize load restrictions: a resource outside the kustomization root is an error, never read', async () => {
    const root = path.join(tmp, 'outside');
    write(root, {
      'outside/secret-pod.yaml': BASE['k8s/plain/pod.yaml'],
      'repo/k8s/app/kustomization.yaml': 'resources:\n  - ../../../outside/secret-pod.yaml\n',
    });
    const r = await runCli(['--format', 'json', 'k8s'], { cwd: path.join(root, 'repo'), env: { PATH: process.env.PATH ?? '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(findings(r)).toEqual(['render-error k8s/app/kustomization.yaml:2:5']);
    expect(messages(r)[0]!.message).toMatch(/^Kustomize directory not rendered: `kubectl kustomize k8s\/app` failed: .*(security|not in or below|outside)/);
  });
});

/** An overlay whose patches add a credential to a ConfigMap, a literal token to a container, and a container before the others. */
const PATCHED = {
  'k8s/base/deploy.yaml': [
    'apiVersion: apps/v1', // 1
    'kind: Deployment', // 2
    'metadata:', // 3
    '  name: web', // 4
    'spec:', // 5
    '  template:', // 6
    '    spec:', // 7
    '      containers:', // 8
    '        - name: app', // 9
    '          image: nginx', // 10
    '          env:', // 11
    '            - name: LOG_LEVEL', // 12
    '              value: info', // 13
    '        - name: logger', // 14
    '          image: busybox', // 15
    '',
  ].join('\n'),
  'k8s/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  LOG_LEVEL: info\n',
  'k8s/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - cm.yaml\n',
  'k8s/overlay/kustomization.yaml': 'resources:\n  - ../base\nnamePrefix: prod-\npatches:\n  - path: cm-patch.yaml\n  - path: deploy-patch.yaml\n',
  'k8s/overlay/cm-patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  POSTGRES_PASSWORD: admin-CANARY-pw\n',
  'k8s/overlay/deploy-patch.yaml': [
    'apiVersion: apps/v1', // 1
    'kind: Deployment', // 2
    'metadata:', // 3
    '  name: web', // 4
    'spec:', // 5
    '  template:', // 6
    '    spec:', // 7
    '      containers:', // 8
    '        - name: shipper', // 9
    '          image: fluent/fluent-bit', // 10
    '        - name: app', // 11
    '          env:', // 12
    '            - name: API_TOKEN', // 13
    '              value: CANARY-tok-4f9a8b7c6d5e', // 14
    '',
  ].join('\n'),
};

describe.skipIf(!hasKubectl)('Kustomize patches', () => {
  const root = path.join(tmp, 'patched');
  beforeAll(() => write(root, PATCHED));
  const where = (r: CliResult, ids: readonly string[]) =>
    (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => ids.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
  const IDS = ['configmap-sensitive-data', 'env-literal-secret', 'uncoupled-containers'];

  it('rendered: a finding on a field a patch writes points at the patch; list items are matched by name, not index', async () => {
    const r = await runCli(['--format', 'json', 'k8s'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('');
    // The patch puts "shipper" first, so it is the main container of the rendered pod (the first
    // entry): "app" and "logger" are reported where the base defines them.
    expect(where(r, IDS)).toEqual([
      'uncoupled-containers k8s/base/deploy.yaml:9:11',
      'uncoupled-containers k8s/base/deploy.yaml:14:11',
      'configmap-sensitive-data k8s/overlay/cm-patch.yaml:6:3',
      'env-literal-secret k8s/overlay/deploy-patch.yaml:13:15',
    ]);
    expect(r.stdout).not.toContain('CANARY');
  });

  it('--no-render: the patches get the content rules only, at their own lines', async () => {
    const r = await runCli(['--format', 'json', '--no-render', 'k8s'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(where(r, IDS)).toEqual([
      'uncoupled-containers k8s/base/deploy.yaml:14:11',
      'configmap-sensitive-data k8s/overlay/cm-patch.yaml:6:3',
      'env-literal-secret k8s/overlay/deploy-patch.yaml:13:15',
    ]);
    const patchRules = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.file.startsWith('k8s/overlay/')).map((f) => f.ruleId);
    expect(patchRules.sort()).toEqual(['configmap-sensitive-data', 'env-literal-secret']);
  });
});

describe.skipIf(!hasKubectl)('bases an overlay builds on', () => {
  it('are linted through the overlay, and on their own when the overlay fails to render', async () => {
    const root = path.join(tmp, 'covered');
    write(root, { ...BASE, 'k8s/overlays/bad/kustomization.yaml': 'resources:\n  - ../../base\n  - missing.yaml\n' });
    const r = await runCli(['--format', 'json', 'k8s/base', 'k8s/overlays/bad'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(findings(r)).toEqual([
      'configmap-sensitive-data k8s/base/cm.yaml:7:3',
      'secret-in-main-container k8s/base/deploy.yaml:12:15',
      'uncoupled-containers k8s/base/deploy.yaml:15:11',
      'render-error k8s/overlays/bad/kustomization.yaml:3:5',
    ]);
  });
});

describe('Kustomize directories without a kustomize tool', () => {
  it('lints the raw files and says so once', async () => {
    const root = path.join(tmp, 'no-tool');
    write(root, BASE);
    const r = await runCli(['--format', 'json', 'k8s'], { cwd: root, env: { PATH: bareBin('bin-bare') } });
    expect(r.stderr).toBe(
      'sidecar-lint: no kustomize or kubectl on PATH: Kustomize directories are linted as plain files; to lint what they deploy, pipe a render: kustomize build DIR | sidecar-lint -\n',
    );
    expect(r.code).toBe(1);
    expect(findings(r)).toEqual([
      'configmap-sensitive-data k8s/base/cm.yaml:7:3',
      'secret-in-main-container k8s/base/deploy.yaml:12:15',
      'uncoupled-containers k8s/base/deploy.yaml:15:11',
      'uncoupled-containers k8s/plain/pod.yaml:9:7',
    ]);
  });
});

// What `helm template demo ./demo` prints (helm v3): `---` + `# Source:` before every document,
// test hooks included; `helm install --dry-run` adds a NOTES: section at the end.
const HELM_RENDER = [
  '---', // 1
  '# Source: demo/templates/configmap.yaml', // 2
  'apiVersion: v1', // 3
  'kind: ConfigMap', // 4
  'metadata:', // 5
  '  name: release-name-demo', // 6
  'data:', // 7
  '  LOG_LEVEL: "info"', // 8
  '  API_TOKEN: "tok-CANARY-123"', // 9
  '---', // 10
  '# Source: demo/templates/deployment.yaml', // 11
  'apiVersion: apps/v1', // 12
  'kind: Deployment', // 13
  'metadata:', // 14
  '  name: release-name-demo', // 15
  '  labels:', // 16
  '    helm.sh/chart: demo-0.1.0', // 17
  'spec:', // 18
  '  template:', // 19
  '    spec:', // 20
  '      containers:', // 21
  '        - name: demo', // 22
  '          image: "nginx:1.25"', // 23
  '          env:', // 24
  '            - name: DB_PASSWORD', // 25
  '              valueFrom:', // 26
  '                secretKeyRef:', // 27
  '                  name: release-name-demo', // 28
  '                  key: password', // 29
  '        - name: release-name-shipper', // 30
  '          image: busybox', // 31
  '---', // 32
  '# Source: demo/templates/tests/test-connection.yaml', // 33
  'apiVersion: v1', // 34
  'kind: Pod', // 35
  'metadata:', // 36
  '  name: "release-name-demo-test-connection"', // 37
  '  annotations:', // 38
  '    "helm.sh/hook": test', // 39
  'spec:', // 40
  '  containers:', // 41
  '    - name: wget', // 42
  '      image: busybox', // 43
  "      command: ['wget']", // 44
  "      args: ['release-name-demo:80']", // 45
  '    - name: idle', // 46
  '      image: busybox', // 47
  '  restartPolicy: Never', // 48
  'NOTES:', // 49
  '1. Get the application URL by running these commands:', // 50
  '  export POD_NAME=$(kubectl get pods -l "app=demo" -o jsonpath="{.items[0].metadata.name}")', // 51
  '',
].join('\n');

const CHART = {
  'demo/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'demo/values.yaml': 'token: changeme\n',
  'demo/templates/configmap.yaml': [
    'apiVersion: v1', // 1
    'kind: ConfigMap', // 2
    'metadata:', // 3
    '  name: {{ .Release.Name }}-demo', // 4
    'data:', // 5
    '  LOG_LEVEL: {{ .Values.logLevel | default "info" | quote }}', // 6
    '  API_TOKEN: {{ .Values.token | quote }}', // 7
    '',
  ].join('\n'),
  'demo/templates/deployment.yaml': [
    'apiVersion: apps/v1', // 1
    'kind: Deployment', // 2
    'metadata:', // 3
    '  name: {{ .Release.Name }}-demo', // 4
    '  labels:', // 5
    '    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}', // 6
    'spec:', // 7
    '  template:', // 8
    '    spec:', // 9
    '      containers:', // 10
    '        - name: demo', // 11
    '          image: "nginx:{{ .Values.tag | default "1.25" }}"', // 12
    '          env:', // 13
    '            {{- include "demo.env" . | nindent 12 }}', // 14
    '        - name: {{ .Release.Name }}-shipper', // 15
    '          image: busybox', // 16
    '',
  ].join('\n'),
  'demo/templates/tests/test-connection.yaml': 'apiVersion: v1\nkind: Pod\n{{- /* hook */}}\n',
};

describe('piped helm template output', () => {
  it('reports against the template files from # Source comments, with the line inside the rendered document', async () => {
    const r = await runCli(['--format', 'json', '-'], { cwd: tmp, stdin: HELM_RENDER, env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(findings(r)).toEqual([
      'configmap-sensitive-data demo/templates/configmap.yaml:7:3',
      'secret-in-main-container demo/templates/deployment.yaml:14:15',
      'uncoupled-containers demo/templates/deployment.yaml:19:11',
      'uncoupled-containers demo/templates/tests/test-connection.yaml:13:7',
    ]);
    for (const f of messages(r)) expect(f.message).toMatch(/\(line \d+ of the document rendered from this template\)$/);
    expect(r.stdout).not.toContain('CANARY');
  });

  it('leaves a stream without # Source comments on <stdin>', async () => {
    const r = await runCli(['--format', 'json', '-'], { cwd: tmp, stdin: BASE['k8s/plain/pod.yaml'], env: {} });
    expect(findings(r)).toEqual(['uncoupled-containers <stdin>:9:7']);
  });
});

describe('Helm chart directories', () => {
  const root = path.join(tmp, 'helm');
  const bin = bareBin('bin-helm');
  const argsLog = path.join(tmp, 'helm-args.json');
  beforeAll(() => {
    write(root, { ...CHART, 'plain/pod.yaml': BASE['k8s/plain/pod.yaml'], 'extra-values.yaml': 'tag: "1.26"\n' });
    // The stand-in helm: records its arguments, prints the recorded render (or fails on request).
    fs.writeFileSync(
      path.join(bin, 'helm'),
      `#!${process.execPath}\n` +
        `const fs = require('node:fs');\n` +
        `fs.writeFileSync(${JSON.stringify(argsLog)}, JSON.stringify(process.argv.slice(2)));\n` +
        // helm runs with a reduced environment (see render-error.ts): failing is asked for with a file.\n` +
        `if (fs.existsSync(${JSON.stringify(path.join(tmp, 'helm-fail'))})) { process.stderr.write('Error: template: demo/templates/deployment.yaml:14:16: executing "demo.env": nil pointer\\n'); process.exit(1); }\n` +
        `process.stdout.write(${JSON.stringify(HELM_RENDER.slice(0, HELM_RENDER.indexOf('NOTES:')))});\n`,
      { mode: 0o755 },
    );
  });

  it('renders the chart with helm template and points at the template lines where the key is written literally', async () => {
    const r = await runCli(['--format', 'json', '--helm-values', 'extra-values.yaml', '--helm-set', 'token=x', '.'], {
      cwd: root,
      env: { PATH: bin },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(argsLog, 'utf8'))).toEqual([
      'template',
      'release-name',
      path.join(root, 'demo'),
      '--values',
      path.join(root, 'extra-values.yaml'),
      '--set',
      'token=x',
    ]);
    expect(findings(r)).toEqual([
      // API_TOKEN appears literally on line 7 of the template.
      'configmap-sensitive-data demo/templates/configmap.yaml:7:3',
      // The env entry comes from an include: the line inside the rendered document, marked.
      'secret-in-main-container demo/templates/deployment.yaml:14:15',
      // "- name: {{ .Release.Name }}-shipper" is not literal; the container's key is not unique either.
      'uncoupled-containers demo/templates/deployment.yaml:19:11',
      'uncoupled-containers demo/templates/tests/test-connection.yaml:13:7',
      'uncoupled-containers plain/pod.yaml:9:7',
    ]);
    const byRule = Object.fromEntries(messages(r).map((f) => [`${f.ruleId} ${f.file}`, f.message]));
    expect(byRule['configmap-sensitive-data demo/templates/configmap.yaml']).not.toMatch(/rendered/);
    expect(byRule['secret-in-main-container demo/templates/deployment.yaml']).toMatch(/\(line 14 of the document rendered from this template\)$/);
    // Templates are never parsed as raw YAML: the template files would be parse errors.
    expect(findings(r).some((f) => f.startsWith('parse-error'))).toBe(false);
  });

  it('a chart skipped because helm is missing is a render-error on its Chart.yaml saying how to pipe a render', async () => {
    const r = await runCli(['--format', 'json', '--fail-on', 'none', '.'], { cwd: root, env: { PATH: bareBin('bin-no-helm') } });
    expect(r.stderr).toBe('');
    expect(findings(r)).toEqual(['render-error demo/Chart.yaml:1:1', 'uncoupled-containers plain/pod.yaml:9:7']);
    expect(messages(r)[0]!.message).toBe('Helm chart not linted: helm is not on PATH.');
    expect(messages(r)[0]!.hint).toBe('Install helm, or pipe a render: helm template demo | sidecar-lint -');
    expect(r.code).toBe(0);
  });

  it('a failing render is a render-error with the first error line, values masked; the rest is linted; exit from findings', async () => {
    fs.writeFileSync(path.join(tmp, 'helm-fail'), '');
    const r = await runCli(['--format', 'json', '--fail-on', 'none', '.'], { cwd: root, env: { PATH: bin } });
    fs.rmSync(path.join(tmp, 'helm-fail'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(findings(r)).toEqual(['render-error demo/Chart.yaml:1:1', 'uncoupled-containers plain/pod.yaml:9:7']);
    expect(messages(r)[0]!.message).toBe(
      'Helm chart not linted: `helm template release-name demo` failed: Error: template: demo/templates/deployment.yaml:14:16: executing "…": nil pointer',
    );
  });

  it('a template file named on the command line (as pre-commit does) renders its chart instead of parsing the template', async () => {
    const r = await runCli(['--format', 'json', 'demo/templates/configmap.yaml'], { cwd: root, env: { PATH: bin } });
    expect(r.stderr).toBe('');
    expect(findings(r)).toContain('configmap-sensitive-data demo/templates/configmap.yaml:7:3');
    expect(findings(r).some((f) => f.startsWith('parse-error'))).toBe(false);
  });
});
