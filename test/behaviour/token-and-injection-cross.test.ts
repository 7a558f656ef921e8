/**
 * The cross-file parts of job-sidecar-not-native (a Namespace that turns on mesh injection) and of
 * main-container-token (ServiceAccount, bindings and roles in other files): each finding lands on the
 * Job or pod, and the output is the same on the fast path, the exact path (SIDECAR_LINT_EXACT=1) and
 * two threads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readsSecrets } from '../../rules/main-container-token.js';
import { PARALLEL_MIN_FILES } from '../../src/run/lint-worker.js';
import type { Finding } from '../../src/types.js';
import { lintAll } from '../support/lint.js';

const where = (findings: readonly Finding[], rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => `${f.file}:${f.line}:${f.column}`);

const NAMESPACE = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${labels}`;
const JOB = (name: string, namespace?: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
${namespace === undefined ? '' : `  namespace: ${namespace}\n`}spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: work
          image: registry.example.com/work:1
`;

describe('job-sidecar-not-native: the Namespace in another file', () => {
  it('reports on metadata.namespace, or on metadata when --namespace names it', () => {
    const files = {
      'ns.yaml': NAMESPACE('batch', '    istio-injection: enabled\n') + '---\n' + NAMESPACE('team', '    istio-injection: enabled\n'),
      'job.yaml': JOB('a', 'batch'),
      'default-job.yaml': JOB('b'),
    };
    expect(where(lintAll(files), 'job-sidecar-not-native')).toEqual(['job.yaml:5:3']);
    expect(where(lintAll(files, { settings: { namespace: 'team' } }), 'job-sidecar-not-native')).toEqual(['default-job.yaml:3:1', 'job.yaml:5:3']);
  });

  it('is silent when the Namespace is not in the linted set', () => {
    expect(where(lintAll({ 'job.yaml': JOB('a', 'batch') }), 'job-sidecar-not-native')).toEqual([]);
  });

  it('takes the Namespace\'s native-sidecar setting', () => {
    const ns = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: batch\n  annotations:\n    linkerd.io/inject: enabled\n    config.beta.linkerd.io/proxy-enable-native-sidecar: "true"\n`;
    expect(where(lintAll({ 'ns.yaml': ns, 'job.yaml': JOB('a', 'batch') }), 'job-sidecar-not-native')).toEqual([]);
  });

  it('below 1.29, suggests stopping the proxy from the main container', () => {
    const files = { 'ns.yaml': NAMESPACE('batch', '    istio-injection: enabled\n'), 'job.yaml': JOB('a', 'batch') };
    const [f] = lintAll(files, { settings: { kubeVersion: '1.28' } }).filter((x) => x.ruleId === 'job-sidecar-not-native');
    expect(f!.hint).toContain('Kubernetes 1.28 has no native sidecars');
    expect(f!.hint).toContain('curl -X POST localhost:15020/quitquitquit');
    expect(`${f!.message} ${f!.hint}`).not.toMatch(/nativeSidecar|initContainers/);
  });
});

const SIDECAR_POD = (sa: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: apps
  annotations:
    kubectl.kubernetes.io/default-container: app
spec:
  serviceAccountName: ${sa}
${extra}  containers:
    - name: app
      image: registry.example.com/app:1
      volumeMounts: [{name: shared, mountPath: /shared}]
    - name: secret-fetcher
      image: registry.example.com/fetcher:1
      volumeMounts: [{name: shared, mountPath: /shared}]
      resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
  volumes:
    - {name: shared, emptyDir: {}}
`;
const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: secret-reader
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["list"]
`;
const BINDING = (subject: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: fetcher
  namespace: apps
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects:
${subject}`;

describe('main-container-token: RBAC and ServiceAccount in other files', () => {
  it('reports a sidecar whose ServiceAccount is bound to a role that reads Secrets', () => {
    const files = { 'pod.yaml': SIDECAR_POD('fetcher'), 'role.yaml': ROLE, 'binding.yaml': BINDING('  - {kind: ServiceAccount, name: fetcher, namespace: apps}\n') };
    const findings = lintAll(files);
    expect(where(findings, 'main-container-token')).toEqual(['pod.yaml:11:7']);
    const f = findings.find((x) => x.ruleId === 'main-container-token')!;
    expect(f.hint).toContain('ServiceAccount "fetcher" can read Secrets (RoleBinding "fetcher" grants ClusterRole "secret-reader")');
    expect(f.hint).toContain('Set `automountServiceAccountToken: false` on the pod');
  });

  it('counts the groups of all service accounts, and not another account or namespace', () => {
    const lintWith = (subject: string) => where(lintAll({ 'pod.yaml': SIDECAR_POD('fetcher'), 'role.yaml': ROLE, 'binding.yaml': BINDING(subject) }), 'main-container-token');
    expect(lintWith('  - {kind: Group, name: "system:serviceaccounts", apiGroup: rbac.authorization.k8s.io}\n')).toEqual(['pod.yaml:11:7']);
    expect(lintWith('  - {kind: Group, name: "system:serviceaccounts:apps", apiGroup: rbac.authorization.k8s.io}\n')).toEqual(['pod.yaml:11:7']);
    expect(lintWith('  - {kind: ServiceAccount, name: fetcher}\n')).toEqual(['pod.yaml:11:7']);
    expect(lintWith('  - {kind: ServiceAccount, name: other, namespace: apps}\n')).toEqual([]);
    expect(lintWith('  - {kind: ServiceAccount, name: fetcher, namespace: elsewhere}\n')).toEqual([]);
  });

  it('is silent without the binding, and when the ServiceAccount turns the token off', () => {
    const binding = BINDING('  - {kind: ServiceAccount, name: fetcher, namespace: apps}\n');
    expect(where(lintAll({ 'pod.yaml': SIDECAR_POD('fetcher'), 'role.yaml': ROLE }), 'main-container-token')).toEqual([]);
    const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fetcher\n  namespace: apps\nautomountServiceAccountToken: false\n';
    expect(where(lintAll({ 'pod.yaml': SIDECAR_POD('fetcher'), 'role.yaml': ROLE, 'binding.yaml': binding, 'sa.yaml': sa }), 'main-container-token')).toEqual([]);
    // The pod turns it back on: reported on the pod's own setting.
    const on = SIDECAR_POD('fetcher', '  automountServiceAccountToken: true\n');
    expect(where(lintAll({ 'pod.yaml': on, 'role.yaml': ROLE, 'binding.yaml': binding, 'sa.yaml': sa }), 'main-container-token')).toEqual(['pod.yaml:10:3']);
  });

  it.each([
    [[{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], true],
    [[{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], true],
    [[{ apiGroups: [''], resources: ['secrets'], verbs: ['WATCH'] }], true],
    [[{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] }], false],
    [[{ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] }], false],
    [[{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], false],
    ['nonsense', false],
  ])('readsSecrets(%j) is %s', (rules, expected) => {
    expect(readsSecrets(rules)).toBe(expected);
  });
});

describe('fast path, exact path and two threads', () => {
  const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-token-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('give the same output', () => {
    const n = PARALLEL_MIN_FILES + 20;
    for (let i = 0; i < n; i++) {
      const kind = i % 5;
      const text =
        kind === 0 ? NAMESPACE(`ns${i % 3}`, i % 2 === 0 ? '    istio-injection: enabled\n' : '    istio.io/rev: stable\n')
        : kind === 1 ? JOB(`j${i}`, `ns${i % 3}`)
        : kind === 2 ? SIDECAR_POD(i % 4 === 0 ? 'fetcher' : 'other').replace('name: app\n', `name: app${i}\n`)
        : kind === 3 ? (i % 2 === 0 ? ROLE.replace('name: secret-reader', `name: r${i}`) : ROLE)
        : BINDING('  - {kind: ServiceAccount, name: fetcher, namespace: apps}\n').replace('name: fetcher\n', `name: b${i}\n`);
      fs.writeFileSync(path.join(dir, `f${String(i).padStart(4, '0')}.yaml`), text);
    }
    const runWith = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, '--no-config', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
    const one = runWith({ SIDECAR_LINT_THREADS: '1' });
    const two = runWith({ SIDECAR_LINT_THREADS: '2' });
    const exact = runWith({ SIDECAR_LINT_THREADS: '1', SIDECAR_LINT_EXACT: '1' });
    const exactTwo = runWith({ SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_EXACT: '1' });
    const ids = (JSON.parse(one.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ids.filter((id) => id === 'job-sidecar-not-native').length).toBeGreaterThan(50);
    expect(ids.filter((id) => id === 'main-container-token').length).toBeGreaterThan(10);
    expect(two.stdout).toBe(one.stdout);
    expect(exact.stdout).toBe(one.stdout);
    expect(exactTwo.stdout).toBe(one.stdout);
  });
});

describe('job-sidecar-not-native and shared-process-namespace-secret agree', () => {
  const JOB_SHARED = (command: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      shareProcessNamespace: true
      containers:
        - name: migrate
          image: registry.example.com/migrate:1
          command: ["sh", "-c", "${command}"]
        - name: db-proxy
          image: registry.example.com/db-proxy:1
          resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
          volumeMounts: [{name: key, mountPath: /secrets, readOnly: true}]
      volumes:
        - {name: key, secret: {secretName: db-key}}
`;
  const messages = (text: string, kubeVersion?: string) =>
    lintAll({ 'job.yaml': text }, kubeVersion === undefined ? {} : { settings: { kubeVersion } })
      .filter((f) => f.ruleId === 'job-sidecar-not-native' || f.ruleId === 'shared-process-namespace-secret')
      .map((f) => `${f.ruleId}: ${f.message} ${f.hint}`);

  it('from 1.29, both point at the native sidecar', () => {
    const killing = messages(JOB_SHARED('migrate; pkill db-proxy'));
    expect(killing).toHaveLength(1);
    expect(killing[0]).toMatch(/^shared-process-namespace-secret: .*make that sidecar a native sidecar/);
    const plain = messages(JOB_SHARED('migrate'));
    expect(plain).toHaveLength(2);
    for (const m of plain) expect(m).toMatch(/native sidecar/);
  });

  it('below 1.29, both point at the shutdown endpoint, and neither at sharing the process namespace', () => {
    const plain = messages(JOB_SHARED('migrate'), '1.28');
    expect(plain).toHaveLength(2);
    for (const m of plain) {
      expect(m).toMatch(/shutdown endpoint on localhost/);
      expect(m).not.toMatch(/a native sidecar|initContainers/);
    }
  });
});
