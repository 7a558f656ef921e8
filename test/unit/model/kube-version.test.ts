/**
 * The targeted Kubernetes version: the helper that reads `settings.kubeVersion` / `--kube-version`,
 * and the rules whose verdict depends on it (native sidecars need 1.29). Fixtures lint at the
 * default version, so the other versions are covered here, with exact rule ids and positions.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../../rules/index.js';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_KUBE_VERSION, DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import {
  compareKubeVersions,
  formatKubeVersion,
  kubeVersionAtLeast,
  NATIVE_SIDECARS_SINCE,
  NEWEST_KUBE_VERSION,
  parseKubeVersion,
  supportsNativeSidecars,
  targetKubeVersion,
} from '../../../src/model/kube-version.js';
import type { Finding } from '../../../src/types.js';
import { lintOptions } from '../../support/lint.js';

describe('parseKubeVersion', () => {
  it.each([
    ['1.29', 1, 29],
    ['v1.29', 1, 29],
    ['1.29.3', 1, 29],
    ['v1.29.3', 1, 29],
    ['1.100', 1, 100],
    ['2.0', 2, 0],
    [' 1.28 ', 1, 28],
    ['v1.29.6-eks-db838b0', 1, 29], // as `kubectl version` prints a managed cluster's server
    ['v1.30.2+k3s1', 1, 30],
    ['v1.31.0-rc.1', 1, 31],
  ])('reads %j', (text, major, minor) => {
    expect(parseKubeVersion(text)).toEqual({ major, minor });
  });

  it.each([
    '',
    ' ',
    '1',
    'v1',
    'v',
    '1.',
    '.29',
    '1..29',
    '1.x',
    'x.29',
    '1.29.',
    '1.29.3.4',
    '1.29-rc.1', // a pre-release needs the patch number
    '1.29.3-',
    'V1.29',
    'vv1.29',
    '1,29',
    '1.29 3',
    '-1.29',
    '1.-29',
    '+1.29',
    '1.2e3',
    'latest',
    'stable',
    '１.２９',
    '1.29\n2.0',
    '1.1234567',
  ])('rejects %j', (text) => {
    expect(parseKubeVersion(text)).toBeUndefined();
  });

  it('rejects what is not a string', () => {
    for (const v of [undefined, null, 1.29, 129, true, {}, ['1.29'], { major: 1, minor: 29 }]) {
      expect(parseKubeVersion(v)).toBeUndefined();
    }
  });
});

describe('comparing versions', () => {
  const v = (text: string) => parseKubeVersion(text)!;

  it('orders by major, then minor, as numbers', () => {
    expect(compareKubeVersions(v('1.28'), v('1.29'))).toBeLessThan(0);
    expect(compareKubeVersions(v('1.29'), v('1.29.7'))).toBe(0);
    expect(compareKubeVersions(v('v1.29.0'), v('1.29'))).toBe(0);
    expect(compareKubeVersions(v('1.100'), v('1.29'))).toBeGreaterThan(0); // not "1.100" < "1.29" as text
    expect(compareKubeVersions(v('1.9'), v('1.10'))).toBeLessThan(0);
    expect(compareKubeVersions(v('2.0'), v('1.99'))).toBeGreaterThan(0);
  });

  it('formats as major.minor', () => {
    expect(formatKubeVersion(v('v1.29.3'))).toBe('1.29');
    expect(formatKubeVersion(NATIVE_SIDECARS_SINCE)).toBe('1.29');
  });

  it('reads a missing or unreadable setting as the newest release, which is the default setting', () => {
    expect(formatKubeVersion(NEWEST_KUBE_VERSION)).toBe(DEFAULT_KUBE_VERSION);
    expect(DEFAULT_SETTINGS.kubeVersion).toBe(DEFAULT_KUBE_VERSION);
    for (const s of [undefined, '', 'garbage', 1.28, null]) expect(targetKubeVersion(s)).toEqual(NEWEST_KUBE_VERSION);
    expect(targetKubeVersion('1.27')).toEqual({ major: 1, minor: 27 });
  });

  it('knows when native sidecars are supported', () => {
    expect(supportsNativeSidecars('1.28')).toBe(false);
    expect(supportsNativeSidecars('v1.28.15')).toBe(false);
    expect(supportsNativeSidecars('1.0')).toBe(false);
    expect(supportsNativeSidecars('0.99')).toBe(false);
    expect(supportsNativeSidecars('1.29')).toBe(true);
    expect(supportsNativeSidecars('1.33')).toBe(true);
    expect(supportsNativeSidecars('2.0')).toBe(true);
    expect(supportsNativeSidecars(DEFAULT_KUBE_VERSION)).toBe(true);
    expect(supportsNativeSidecars(undefined)).toBe(true);
    expect(kubeVersionAtLeast('1.30', { major: 1, minor: 30 })).toBe(true);
    expect(kubeVersionAtLeast('1.30', { major: 1, minor: 31 })).toBe(false);
  });
});

/** All built-in rules at their default severities, at the given target version. */
function lintAt(kubeVersion: string | undefined, text: string, file = 'test.yaml'): Finding[] {
  const rules = lintOptions().rules;
  const settings = kubeVersion === undefined ? DEFAULT_SETTINGS : { ...DEFAULT_SETTINGS, kubeVersion };
  return lintText(text, file, { rules, settings }).findings;
}

function rendered(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`).sort();
}

const RESOURCES = 'resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}';

/** A Deployment with a native sidecar (line 15) before a plain init container (line 20). */
const DEPLOYMENT_WITH_NATIVE_SIDECAR = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      volumes:
        - {name: logs, emptyDir: {}}
      initContainers:
        - name: log-shipper
          image: fluent/fluent-bit:3.0
          restartPolicy: Always
          ${RESOURCES}
          volumeMounts: [{name: logs, mountPath: /var/log/web}]
        - name: migrate
          image: registry.example.com/migrate:1.0.0
          restartPolicy: Never
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          volumeMounts: [{name: logs, mountPath: /var/log/web}]
`;

/** A Job with a sidecar in \`containers\` (line 14) and a native sidecar (line 9). */
const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: log-shipper
          image: fluent/fluent-bit:3.0
          restartPolicy: Always
          ${RESOURCES}
          volumeMounts: [{name: logs, mountPath: /var/log/migrate}]
      containers:
        - name: migrate
          image: registry.example.com/migrate:1.0.0
          args: ["--db=postgres://127.0.0.1:5432/orders"]
          volumeMounts: [{name: logs, mountPath: /var/log/migrate}]
        - name: cloud-sql-proxy
          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
          ${RESOURCES}
      volumes:
        - {name: logs, emptyDir: {}}
`;

describe('native-sidecar-unsupported', () => {
  it.each(['1.28', 'v1.28.15', '1.27', '1.18', '0.9'])('fires below 1.29 (%s) on the native sidecar\'s item only', (version) => {
    expect(rendered(lintAt(version, DEPLOYMENT_WITH_NATIVE_SIDECAR))).toEqual(['native-sidecar-unsupported@15:11']);
  });

  it.each([undefined, '1.29', 'v1.29.0', '1.33', '1.34', '2.0', 'not-a-version'])('never fires at 1.29+ (%s)', (version) => {
    expect(rendered(lintAt(version, DEPLOYMENT_WITH_NATIVE_SIDECAR))).toEqual([]);
  });

  it('names the container and both versions, never recommending a native sidecar', () => {
    const [f] = lintAt('1.28', DEPLOYMENT_WITH_NATIVE_SIDECAR);
    expect(f).toMatchObject({ ruleId: 'native-sidecar-unsupported', severity: 'error', container: 'log-shipper', endLine: 19 });
    expect(f!.message).toContain('"log-shipper"');
    expect(f!.message).toContain('1.29');
    expect(f!.message).toContain('target: 1.28');
    expect(f!.hint).toMatch(/Move it to `containers`/);
  });

  it('covers every pod-bearing kind and every native sidecar of a pod', () => {
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          initContainers:
            - name: proxy
              image: example/proxy:1
              restartPolicy: Always
              ${RESOURCES}
              ports: [{containerPort: 5432}]
            - {name: agent, image: example/agent:1, restartPolicy: Always, args: [--port=9000], ${RESOURCES}}
          containers:
            - name: report
              image: example/report:1
`;
    const native = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'native-sidecar-unsupported');
    expect(rendered(native(lintAt('1.28', cron)))).toEqual(['native-sidecar-unsupported@13:15', 'native-sidecar-unsupported@18:15']);
    expect(native(lintAt('1.28', cron)).map((f) => f.container)).toEqual(['proxy', 'agent']);
    expect(rendered(native(lintAt('1.29', cron)))).toEqual([]);
  });
});

describe('job-sidecar-not-native', () => {
  it('recommends a native sidecar from 1.29 on', () => {
    for (const version of [undefined, '1.29', '1.34']) {
      const findings = lintAt(version, JOB).filter((f) => f.ruleId === 'job-sidecar-not-native');
      expect(rendered(findings)).toEqual(['job-sidecar-not-native@20:11']);
      expect(findings[0]!.hint).toMatch(/Make it a native sidecar: move it to `initContainers` with `restartPolicy: Always`/);
    }
  });

  it('below 1.29, suggests the older workarounds and no message recommends a native sidecar', () => {
    const findings = lintAt('1.28', JOB);
    // The native sidecar of this Job is itself unsupported at 1.28.
    expect(rendered(findings)).toEqual(['job-sidecar-not-native@20:11', 'native-sidecar-unsupported@10:11']);
    const job = findings.find((f) => f.ruleId === 'job-sidecar-not-native')!;
    expect(job.severity).toBe('warning');
    expect(job.container).toBe('cloud-sql-proxy');
    expect(job.hint).toContain('Kubernetes 1.28 has no native sidecars');
    expect(job.hint).toMatch(/shared volume/);
    // Not "share the process namespace": shared-process-namespace-secret would then flag the pod.
    expect(job.hint).toMatch(/shutdown endpoint on localhost/);
    expect(job.hint).not.toMatch(/process namespace/);
    expect(job.hint).toMatch(/activeDeadlineSeconds/);
    for (const f of findings) {
      expect(`${f.message} ${f.hint}`).not.toMatch(/make it a native sidecar|move it to `initContainers`|Kubernetes 1\.29\+\)/i);
    }
  });

  it('uses two message ids per case (a sidecar in containers, an injected proxy), one per version range', () => {
    const rule = builtinRules.find((r) => r.meta.id === 'job-sidecar-not-native')!;
    expect(Object.keys(rule.meta.messages).sort()).toEqual(['injected', 'injectedWorkaround', 'native', 'workaround']);
    expect(JSON.stringify(rule.meta.messages.workaround)).not.toMatch(/initContainers|restartPolicy/);
    expect(JSON.stringify(rule.meta.messages.injectedWorkaround)).not.toMatch(/nativeHint|initContainers|restartPolicy/);
  });
});

describe('rules that do not depend on the version', () => {
  it('give the same findings at 1.28, at 1.20 and at the default', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  shareProcessNamespace: true
  containers:
    - name: app
      image: example/app:1
      ports: [{containerPort: 8080}]
    - name: app
      image: example/sidecar:1
      ${RESOURCES}
      ports: [{containerPort: 8080}]
      envFrom: [{secretRef: {name: s}}]
`;
    const mine = new Set(['container-port-conflict', 'duplicate-container-name', 'shared-process-namespace-secret']);
    const at = (v: string | undefined) => rendered(lintAt(v, text).filter((f) => mine.has(f.ruleId)));
    expect(at(undefined)).toEqual([
      'container-port-conflict@14:15',
      'duplicate-container-name@11:7',
      'shared-process-namespace-secret@6:3',
    ]);
    expect(at('1.28')).toEqual(at(undefined));
    expect(at('1.20')).toEqual(at(undefined));
  });
});
