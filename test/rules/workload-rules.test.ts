/**
 * The workload rules (job-sidecar-not-native, container-port-conflict, duplicate-container-name,
 * shared-process-namespace-secret, native-sidecar-unsupported) on input of any shape: fields of the
 * wrong type are a result (usually no finding), never a crash.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import type { Finding } from '../../src/types.js';
import { lintOptions } from '../support/lint.js';

const MINE = new Set([
  'job-sidecar-not-native',
  'container-port-conflict',
  'duplicate-container-name',
  'shared-process-namespace-secret',
  'native-sidecar-unsupported',
]);

function lintMine(text: string, kubeVersion = DEFAULT_SETTINGS.kubeVersion): Finding[] {
  const rules = lintOptions({ only: (r) => MINE.has(r.meta.id) }).rules;
  return lintText(text, 'test.yaml', { rules, settings: { ...DEFAULT_SETTINGS, kubeVersion } }).findings;
}

const rendered = (findings: readonly Finding[]) => findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`).sort();

describe('hostile input', () => {
  const pods = [
    'spec: null',
    'spec: []',
    'spec: {containers: null, initContainers: "x", ephemeralContainers: 3}',
    'spec: {containers: [null, 1, "x", [], {}]}',
    'spec: {containers: [{name: a, ports: "8080"}, {name: b, ports: [null, 1, "x", {containerPort: null}, {containerPort: 1.5}, {containerPort: []}]}]}',
    'spec: {containers: [{name: a, ports: [{containerPort: 80, protocol: 7}]}, {name: b, ports: [{containerPort: 80, protocol: null}]}]}',
    'spec: {containers: [{name: [a]}, {name: {a: 1}}, {name: null}, {name: ""}, {name: ""}]}',
    'spec: {shareProcessNamespace: true, securityContext: "x", containers: [{name: a, securityContext: [], env: [{valueFrom: {secretKeyRef: {}}}]}, {name: b, securityContext: {runAsUser: "1000", capabilities: {add: "SYS_PTRACE"}}}]}',
    'spec: {shareProcessNamespace: true, volumes: "x", containers: [{name: a, volumeMounts: [null, {name: 1}]}, {name: b}]}',
    'spec: {initContainers: [{restartPolicy: Always}, {restartPolicy: [Always]}, null]}',
  ];

  it.each(pods)('%s', (spec) => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n${spec}\n`;
    for (const v of ['1.20', '1.28', '1.34']) expect(() => lintMine(text, v)).not.toThrow();
  });

  // A quoted number is not a port (the API server rejects it: containerPort is an int32), for this rule as for every other (DeclaredPort).
  it('ignores a quoted port number and other types, and treats a missing or null protocol as TCP', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      ports: [{containerPort: 80, protocol: TCP}, {containerPort: 1.5}, {containerPort: [9]}]
    - name: b
      ports: [{containerPort: "80"}, {containerPort: 1.5}, {containerPort: [9]}]
    - name: c
      ports: [{containerPort: 80, protocol: null}]
`;
    expect(rendered(lintMine(text))).toEqual(['container-port-conflict@11:15']);
  });

  it('compares names as written; numbers as their text; unnamed entries never collide', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - {name: 1, image: a}
    - {name: "1", image: b}
    - {image: c}
    - {image: d}
    - {name: "", image: e}
    - {name: "", image: f}
`;
    expect(rendered(lintMine(text))).toEqual(['duplicate-container-name@7:7']);
  });

  it('takes only the boolean true for shareProcessNamespace, and reports a pod once', () => {
    const pod = (value: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  shareProcessNamespace: ${value}
  containers:
    - {name: a, image: a, envFrom: [{secretRef: {name: s}}]}
    - {name: b, image: b, envFrom: [{secretRef: {name: t}}]}
`;
    expect(rendered(lintMine(pod('true')))).toEqual(['shared-process-namespace-secret@5:3']);
    expect(lintMine(pod('true'))[0]!.message).toContain('containers "a" (Secret "s"), "b" (Secret "t")');
    expect(lintMine(pod('true'))[0]!.container).toBeNull();
    for (const v of ['"true"', '"yes"', '1', 'false', 'no', 'null']) expect(lintMine(pod(v)), v).toEqual([]);
    // YAML 1.1 booleans are booleans for Kubernetes (B9).
    for (const v of ['yes', 'on', 'Y']) expect(rendered(lintMine(pod(v))), v).toEqual(['shared-process-namespace-secret@5:3']);
  });

  it('names the only receiver as the finding\'s container', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  shareProcessNamespace: true
  containers:
    - {name: a, image: a}
    - {name: b, image: b, env: [{name: T, valueFrom: {secretKeyRef: {name: s, key: t}}}]}
`;
    const [f] = lintMine(text);
    expect(f).toMatchObject({ ruleId: 'shared-process-namespace-secret', container: 'b', line: 5, column: 3 });
  });
});

describe('shared-process-namespace-secret: who can read whom', () => {
  const pod = (podSc: string, appSc: string, holderSc: string, holderExtra = '') => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  shareProcessNamespace: true
  securityContext: ${podSc}
  volumes: [{name: k, secret: {secretName: k}}]
  containers:
    - {name: app, image: a, securityContext: ${appSc}}
    - {name: holder, image: h, securityContext: ${holderSc}, volumeMounts: [{name: k, mountPath: /k}]${holderExtra}}
`;
  const fires = (text: string) => lintMine(text).some((f) => f.ruleId === 'shared-process-namespace-secret');

  it.each([
    ['no users at all', '{}', '{}', '{}', true],
    ['one pod-level user for both', '{runAsUser: 1000}', '{}', '{}', true],
    ['the reader is root', '{}', '{runAsUser: 0}', '{runAsUser: 2000}', true],
    ['the reader\'s user is unknown', '{}', '{}', '{runAsUser: 2000}', true],
    ['the holder\'s user is unknown', '{}', '{runAsUser: 1000}', '{}', true],
    ['the reader is privileged', '{runAsUser: 1000}', '{privileged: true}', '{runAsUser: 2000}', true],
    ['the reader adds SYS_PTRACE', '{runAsUser: 1000}', '{capabilities: {add: [SYS_PTRACE]}}', '{runAsUser: 2000}', true],
    ['the reader adds ALL', '{runAsUser: 1000}', '{capabilities: {add: [all]}}', '{runAsUser: 2000}', true],
    ['different known non-root users', '{runAsUser: 1000}', '{}', '{runAsUser: 2000}', false],
    ['different users set per container', '{}', '{runAsUser: 1000}', '{runAsUser: 2000}', false],
    ['the holder is root, the reader is not', '{}', '{runAsUser: 1000}', '{runAsUser: 0}', false],
  ])('%s', (_name, podSc, appSc, holderSc, expected) => {
    expect(fires(pod(podSc, appSc, holderSc))).toBe(expected);
  });

  it('a secret expanded into args is readable in /proc/<pid>/cmdline whatever the users', () => {
    const env = ', env: [{name: K, valueFrom: {secretKeyRef: {name: k, key: k}}}], args: ["--key=$(K)"]';
    expect(fires(pod('{}', '{runAsUser: 1000}', '{runAsUser: 2000}', env))).toBe(true);
    // An escaped $$(K) is not expanded.
    expect(fires(pod('{}', '{runAsUser: 1000}', '{runAsUser: 2000}', env.replace('$(K)', () => '$$(K)')))).toBe(false);
  });

  it('a plain init container is exposed only to the native sidecars started before it', () => {
    const text = (order: 'before' | 'after') => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  shareProcessNamespace: true
  initContainers:
${order === 'before' ? '    - {name: agent, image: a, restartPolicy: Always}\n' : ''}    - {name: fetch, image: f, envFrom: [{secretRef: {name: s}}]}
${order === 'after' ? '    - {name: agent, image: a, restartPolicy: Always}\n' : ''}  containers:
    - {name: app, image: a}
`;
    expect(fires(text('before'))).toBe(true);
    expect(fires(text('after'))).toBe(false);
  });
});
