/**
 * The cross-resource rules over several files at once (`lintInputs`): each finding lands in the file
 * and on the line of the object it belongs to, is suppressed like any other finding, and the facts
 * the rules defer stay small and value-free.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { PARALLEL_MIN_FILES } from '../../src/run/lint-worker.js';
import type { Finding } from '../../src/types.js';
import { lintAll, type LintAllOptions, lintOptions } from '../support/lint.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');

const CROSS_RULES = ['missing-reference-key', 'exposed-secret-sidecar', 'sidecar-missing-resources'];

/** `file:line:column rule` of the findings of the cross-resource rules (others are not this test's business). */
function where(findings: readonly Finding[], rules = CROSS_RULES): string[] {
  return findings.filter((f) => rules.includes(f.ruleId)).map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}${f.suppressed ? ` (${f.suppressed.kind})` : ''}`);
}

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: gateway
type: Opaque
stringData:
  api-key: CANARY-not-a-real-key
  signing.pem: CANARY-not-a-real-pem
`;

const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: gateway-config
data:
  LOG_LEVEL: info
`;

/** A Deployment whose main container reads a missing Secret key and a missing ConfigMap key, and whose
 * token-server sidecar serves the Secret's files on port 8200 without resources. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  selector:
    matchLabels:
      app: gateway
  template:
    metadata:
      labels:
        app: gateway
    spec:
      containers:
        - name: app
          image: registry.example.com/gateway:1.0.0
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef:
                  name: gateway-config
                  key: LOG_LVL
        - name: token-server
          image: registry.example.com/token-server:1.0.0
          ports:
            - name: tokens
              containerPort: 8200
          volumeMounts:
            - name: keys
              mountPath: /etc/keys
              readOnly: true
      volumes:
        - name: keys
          secret:
            secretName: gateway
            items:
              - key: signing.pem
                path: signing.pem
              - key: signing.key
                path: signing.key
`;
// Lines in DEPLOYMENT: configMapKeyRef key 24:19, token-server item 25:11, volume item key 41:17.

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: gateway
spec:
  selector:
    app: gateway
  ports:
    - name: http
      port: 80
      targetPort: 8080
    - name: tokens
      port: 8200
      targetPort: tokens
`;
// Line in SERVICE: the tokens port item 12:7.

const FILES = {
  'k8s/secret.yaml': SECRET,
  'k8s/config.yaml': CONFIG,
  'k8s/deployment.yaml': DEPLOYMENT,
  'k8s/service.yaml': SERVICE,
};

const EXPECTED = [
  'k8s/deployment.yaml:24:19 missing-reference-key',
  'k8s/deployment.yaml:25:11 sidecar-missing-resources',
  'k8s/deployment.yaml:41:17 missing-reference-key',
  'k8s/service.yaml:12:7 exposed-secret-sidecar',
];

describe('cross-resource rules over several files', () => {
  it('report each finding in the file and on the line of the object it belongs to', () => {
    const findings = lintAll(FILES);
    expect(where(findings)).toEqual(EXPECTED);
    const byRule = Object.fromEntries(findings.filter((f) => CROSS_RULES.includes(f.ruleId)).map((f) => [`${f.ruleId}@${f.line}`, f]));
    expect(byRule['missing-reference-key@24']!.message).toContain('ConfigMap "gateway-config" (namespace "default") has no key "LOG_LVL"');
    expect(byRule['missing-reference-key@24']!.container).toBe('app');
    expect(byRule['missing-reference-key@41']!.message).toBe('Secret "gateway" (namespace "default") has no key "signing.key".');
    expect(byRule['missing-reference-key@41']!.hint).toContain('It is read by volume "keys"');
    expect(byRule['exposed-secret-sidecar@12']!.message).toBe('Service "gateway" exposes sidecar "token-server" with Secret "gateway".');
    expect(byRule['exposed-secret-sidecar@12']!.hint).toContain('Its port 8200 ("tokens") forwards to port 8200 of "token-server" in Deployment "gateway"');
    expect(byRule['exposed-secret-sidecar@12']!.object).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'gateway', namespace: null });
    expect(byRule['sidecar-missing-resources@25']!.container).toBe('token-server');
  });

  it('give the same findings whatever the order of the files', () => {
    const reversed = Object.fromEntries(Object.entries(FILES).reverse());
    expect(where(lintAll(reversed))).toEqual(EXPECTED);
  });

  it('find nothing when the workload is linted without the other files', () => {
    // The Deployment alone: its sidecar still lacks resources, nothing else can be known.
    expect(where(lintAll({ 'k8s/deployment.yaml': DEPLOYMENT }))).toEqual(['k8s/deployment.yaml:25:11 sidecar-missing-resources']);
    expect(where(lintAll({ 'k8s/service.yaml': SERVICE, 'k8s/secret.yaml': SECRET }))).toEqual([]);
  });

  it('keep the findings of the other rules of a file that is linted again', () => {
    const alone = lintAll({ 'k8s/deployment.yaml': DEPLOYMENT }).filter((f) => !CROSS_RULES.includes(f.ruleId));
    const together = lintAll(FILES).filter((f) => f.file === 'k8s/deployment.yaml' && !CROSS_RULES.includes(f.ruleId));
    expect(together).toEqual(alone);
  });

  it('never put a value in a message', () => {
    for (const f of lintAll(FILES)) expect(`${f.message} ${f.hint ?? ''}`).not.toContain('CANARY');
  });

  it('count the files, documents and objects once', () => {
    const rules = lintOptions().rules;
    let objects = 0;
    for (const [file, text] of Object.entries(FILES)) objects += lintText(text, file, { rules, settings: DEFAULT_SETTINGS }).stats.objects;
    expect(objects).toBe(4);
  });
});

describe('suppressions of cross-resource findings', () => {
  it('honour an annotation on the object the finding belongs to', () => {
    const deployment = DEPLOYMENT.replace(
      '    metadata:\n      labels:\n        app: gateway\n',
      '    metadata:\n      labels:\n        app: gateway\n      annotations:\n        ignore.sidecar-lint.io/sidecar-missing-resources: "sized by the VPA"\n',
    );
    const service = SERVICE.replace(
      'metadata:\n  name: gateway\n',
      'metadata:\n  name: gateway\n  annotations:\n    ignore.sidecar-lint.io/exposed-secret-sidecar: "the token server authenticates callers with mTLS"\n',
    );
    const findings = lintAll({ ...FILES, 'k8s/deployment.yaml': deployment, 'k8s/service.yaml': service });
    expect(where(findings)).toEqual([
      'k8s/deployment.yaml:26:19 missing-reference-key',
      'k8s/deployment.yaml:27:11 sidecar-missing-resources (annotation)',
      'k8s/deployment.yaml:43:17 missing-reference-key',
      'k8s/service.yaml:14:7 exposed-secret-sidecar (annotation)',
    ]);
    const suppressed = findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => f.suppressed!.justification).sort()).toEqual(['sized by the VPA', 'the token server authenticates callers with mTLS']);
  });

  it('honour a disable-next-line comment above the line of the finding', () => {
    const deployment = DEPLOYMENT.replace(
      '                  key: LOG_LVL\n',
      '                  # sidecar-lint-disable-next-line missing-reference-key -- the key is added by the config job\n                  key: LOG_LVL\n',
    );
    const findings = lintAll({ ...FILES, 'k8s/deployment.yaml': deployment });
    expect(where(findings, ['missing-reference-key'])).toEqual([
      'k8s/deployment.yaml:25:19 missing-reference-key (comment)',
      'k8s/deployment.yaml:42:17 missing-reference-key',
    ]);
  });

  it('report a suppression of a cross-resource rule without a reason, and suppress nothing with it', () => {
    const service = SERVICE.replace('metadata:\n  name: gateway\n', 'metadata:\n  name: gateway\n  annotations:\n    ignore.sidecar-lint.io/exposed-secret-sidecar: ""\n');
    const findings = lintAll({ ...FILES, 'k8s/service.yaml': service });
    expect(where(findings, ['exposed-secret-sidecar', 'suppression-without-reason'])).toEqual([
      'k8s/service.yaml:6:5 suppression-without-reason',
      'k8s/service.yaml:14:7 exposed-secret-sidecar',
    ]);
  });
});

describe('missing-reference-key across files', () => {
  const pod = (namespace?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: reader${namespace ? `\n  namespace: ${namespace}` : ''}
spec:
  containers:
    - name: reader
      image: registry.example.com/reader:1.0.0
      env:
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef: {name: gateway-config, key: LOG_LEVEL}
        - name: MISSING
          valueFrom:
            configMapKeyRef: {name: elsewhere, key: anything}
      volumeMounts:
        - name: extra
          mountPath: /etc/extra
  volumes:
    - name: extra
      configMap:
        name: also-elsewhere
        items:
          - key: a
            path: a
          - key: b
            path: b
`;

  it('reports a reference to an object outside the linted files only with requireObjects, once per volume', () => {
    const files = { 'config.yaml': CONFIG, 'pod.yaml': pod() };
    expect(where(lintAll(files))).toEqual([]);
    const options: LintAllOptions = { ruleOptions: { 'missing-reference-key': { requireObjects: true } } };
    const findings = lintAll(files, options).filter((f) => f.ruleId === 'missing-reference-key');
    expect(where(findings)).toEqual(['pod.yaml:15:31 missing-reference-key', 'pod.yaml:22:9 missing-reference-key']);
    expect([findings[0]!.message, findings[0]!.hint]).toEqual([
      'ConfigMap "elsewhere" (namespace "default") is not among the linted files.',
      'It is read by env var "MISSING" of container "reader": the pod cannot start without it. Lint it together with this workload, or mark the reference "optional: true".',
    ]);
    expect(findings[1]!.message).toBe('ConfigMap "also-elsewhere" (namespace "default") is not among the linted files.');
    expect(findings[1]!.hint).toContain('It is read by volume "extra"');
  });

  it('looks objects up in the namespace of the workload, "default" or --namespace when none is given', () => {
    const keyOnlyInProd = CONFIG.replace('metadata:\n  name: gateway-config\n', 'metadata:\n  name: gateway-config\n  namespace: prod\n');
    const options: LintAllOptions = { ruleOptions: { 'missing-reference-key': { requireObjects: true } } };
    const rule = (files: Record<string, string>, o: LintAllOptions) =>
      lintAll(files, o)
        .filter((f) => f.ruleId === 'missing-reference-key' && f.line === 12)
        .map((f) => f.message.slice(0, f.message.indexOf(')') + 1));
    // In "default", the ConfigMap of "prod" is not there.
    expect(rule({ 'config.yaml': keyOnlyInProd, 'pod.yaml': pod() }, options)).toEqual(['ConfigMap "gateway-config" (namespace "default")']);
    // The pod names "prod": found.
    expect(rule({ 'config.yaml': keyOnlyInProd, 'pod.yaml': pod('prod') }, options)).toEqual([]);
    // Neither names one, and --namespace prod puts both in "prod": found.
    expect(rule({ 'config.yaml': CONFIG, 'pod.yaml': pod() }, { ...options, settings: { namespace: 'prod' } })).toEqual([]);
    // The ConfigMap names "prod", the pod is in --namespace prod: found.
    expect(rule({ 'config.yaml': keyOnlyInProd, 'pod.yaml': pod() }, { ...options, settings: { namespace: 'prod' } })).toEqual([]);
  });

  it('counts a key present in any definition of the object', () => {
    const variant = CONFIG.replace('LOG_LEVEL: info', 'LOG_FORMAT: json');
    const reader = pod().replace('key: LOG_LEVEL', 'key: LOG_FORMAT');
    expect(where(lintAll({ 'a.yaml': variant, 'b.yaml': CONFIG, 'pod.yaml': reader }))).toEqual([]);
    expect(where(lintAll({ 'b.yaml': CONFIG, 'pod.yaml': reader }))).toEqual(['pod.yaml:12:53 missing-reference-key']);
  });
});

describe('sidecar-missing-resources across files', () => {
  const limitRange = (namespace: string) => `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: ${namespace}
spec:
  limits:
    - type: Container
      defaultRequest:
        cpu: 10m
        memory: 32Mi
      default:
        memory: 128Mi
`;

  it('takes the defaults of a LimitRange in another file, for its own namespace only', () => {
    expect(where(lintAll({ 'limits.yaml': limitRange('default'), 'deployment.yaml': DEPLOYMENT }), ['sidecar-missing-resources'])).toEqual([]);
    expect(where(lintAll({ 'limits.yaml': limitRange('other'), 'deployment.yaml': DEPLOYMENT }), ['sidecar-missing-resources'])).toEqual([
      'deployment.yaml:25:11 sidecar-missing-resources',
    ]);
  });

  it('says what is still missing when a LimitRange supplies part of it', () => {
    const memoryOnly = `apiVersion: v1
kind: LimitRange
metadata:
  name: memory
spec:
  limits:
    - type: Container
      max:
        memory: 1Gi
`;
    const findings = lintAll({ 'limits.yaml': memoryOnly, 'deployment.yaml': DEPLOYMENT }).filter((f) => f.ruleId === 'sidecar-missing-resources');
    expect(findings.map((f) => [f.message, f.hint])).toEqual([
      [
        'Sidecar "token-server" has no cpu request.',
        'It has no cpu request, and no LimitRange in namespace "default" supplies one: it can take the CPU and memory that main container "app" (guessed: first container) needs. Set resources.requests.cpu, resources.requests.memory and resources.limits.memory; a CPU limit is optional.',
      ],
    ]);
  });
});

describe('secret-in-main-container across files', () => {
  const RULE = ['secret-in-main-container'];
  /** Secrets the app reads: settings without a credential, its own TLS identity, a database password. */
  const APP_SECRETS = `apiVersion: v1
kind: Secret
metadata:
  name: app-settings
stringData:
  REGION: eu-west-1
  BUCKET: reports-archive
---
apiVersion: v1
kind: Secret
metadata:
  name: app-serving
type: kubernetes.io/tls
data:
  tls.crt: Q0FOQVJZLW5vdC1hLWNlcnQ=
  tls.key: Q0FOQVJZLW5vdC1hLWtleQ==
---
apiVersion: v1
kind: Secret
metadata:
  name: app-db
stringData:
  password: CANARY-not-a-real-password
`;
  /** A serving app with a log shipper: envFrom two Secrets (lines 21, 23), a Secret volume (line 28). */
  const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
          ports:
            - containerPort: 8443
          envFrom:
            - secretRef:
                name: app-settings
            - secretRef:
                name: app-db
          volumeMounts:
            - name: logs
              mountPath: /var/log/app
            - name: identity
              mountPath: /etc/app/identity
        - name: log-shipper
          image: fluent/fluent-bit:3.0
          resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
          volumeMounts:
            - {name: logs, mountPath: /var/log/app, readOnly: true}
      volumes:
        - {name: logs, emptyDir: {}}
        - {name: identity, secret: {secretName: app-serving}}
`;
  const ALONE = ['k8s/app.yaml:20:15 secret-in-main-container', 'k8s/app.yaml:22:15 secret-in-main-container', 'k8s/app.yaml:27:15 secret-in-main-container'];

  it('assumes a Secret that is not linted holds credentials', () => {
    expect(where(lintAll({ 'k8s/app.yaml': APP }), RULE)).toEqual(ALONE);
  });

  it('reads the keys and type of a Secret linted in another file: only the password is reported', () => {
    const expected = ['k8s/app.yaml:22:15 secret-in-main-container'];
    expect(where(lintAll({ 'k8s/secrets.yaml': APP_SECRETS, 'k8s/app.yaml': APP }), RULE)).toEqual(expected);
    expect(where(lintAll({ 'k8s/app.yaml': APP, 'k8s/secrets.yaml': APP_SECRETS }), RULE)).toEqual(expected);
    const finding = lintAll({ 'k8s/secrets.yaml': APP_SECRETS, 'k8s/app.yaml': APP }).find((f) => f.ruleId === 'secret-in-main-container')!;
    expect(finding.message).toBe('Main container "app" (guessed: others are helpers) gets Secret "app-db".');
    expect(finding.hint).toContain('It arrives through envFrom[1] (secretRef), and "app" is the main container of a pod with sidecars');
    expect(finding.container).toBe('app');
    expect(finding.pod?.containers.map((c) => c.name)).toEqual(['app', 'log-shipper']);
    expect(`${finding.message} ${finding.hint}`).not.toContain('CANARY');
  });

  it('defers names, keys and paths only, never a value', () => {
    const rules = lintOptions({ only: ['secret-in-main-container'] }).rules;
    const facts = [APP_SECRETS, APP].flatMap((text) => lintText(text, 'x.yaml', { rules, settings: DEFAULT_SETTINGS }).facts ?? []);
    expect(facts.length).toBe(4);
    const text = JSON.stringify(facts);
    expect(text).not.toContain('CANARY');
    expect(text).toContain('"password"');
  });

  it('matches Secrets by namespace', () => {
    const elsewhere = APP_SECRETS.replace(/^metadata:\n/gm, 'metadata:\n  namespace: other\n');
    expect(where(lintAll({ 'k8s/secrets.yaml': elsewhere, 'k8s/app.yaml': APP }), RULE)).toEqual(ALONE);
  });

  it('reports the same findings on the fast path, the exact path and two threads', () => {
    // Secrets and apps in separate files, far apart and side by side, enough for two threads.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-secret-main-'));
    try {
      const n = PARALLEL_MIN_FILES + 10;
      for (let i = 0; i < n; i++) {
        const ns = `ns${i % 5}`;
        const text = i % 2 === 0 ? APP_SECRETS : APP;
        fs.writeFileSync(path.join(dir, `f${String(i).padStart(4, '0')}.yaml`), text.replace(/^metadata:\n/gm, `metadata:\n  namespace: ${ns}\n`));
      }
      const runWith = (env: Record<string, string>) =>
        spawnSync(process.execPath, [BIN, '--no-config', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
      const fast = runWith({ SIDECAR_LINT_THREADS: '1' });
      const exact = runWith({ SIDECAR_LINT_THREADS: '1', SIDECAR_LINT_EXACT: '1' });
      const two = runWith({ SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_TRACE_WORKER: '1' });
      expect(two.stderr).toMatch(/^sidecar-lint: worker thread linted \d+ files\n$/);
      expect(fast.status).toBe(1);
      expect(exact.stdout).toBe(fast.stdout);
      expect(two.stdout).toBe(fast.stdout);
      const findings = (JSON.parse(fast.stdout) as { findings: Finding[] }).findings.filter((f) => f.ruleId === 'secret-in-main-container');
      // Every app finds its namespace's Secrets in some file: only the password, on line 23 (22 and
      // the namespace line).
      expect(findings.length).toBe(Math.floor(n / 2));
      expect(new Set(findings.map((f) => f.line))).toEqual(new Set([23]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('uncoupled-containers across files', () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: shop
spec:
  containers:
    - name: shop
      image: registry.example.com/shop:1.0.0
      envFrom:
        - configMapRef:
            name: shop-config
    - name: cache
      image: registry.example.com/cache:1.0.0
      ports:
        - containerPort: 6379
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {memory: 32Mi}
`;
  const config = (namespace: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
  namespace: ${namespace}
data:
  CACHE_HOST: localhost
  CACHE_PORT: "6379"
  DATABASE_URL: postgres://shop:CANARY-pass@localhost:5432/shop
`;

  it('couples through the address in a ConfigMap of another file, in the pod\'s namespace only', () => {
    expect(where(lintAll({ 'config.yaml': config('default'), 'pod.yaml': pod }), ['uncoupled-containers'])).toEqual([]);
    expect(where(lintAll({ 'pod.yaml': pod, 'config.yaml': config('default') }), ['uncoupled-containers'])).toEqual([]);
    expect(where(lintAll({ 'config.yaml': config('other'), 'pod.yaml': pod }), ['uncoupled-containers'])).toEqual(['pod.yaml:12:7 uncoupled-containers']);
    expect(where(lintAll({ 'pod.yaml': pod }), ['uncoupled-containers'])).toEqual(['pod.yaml:12:7 uncoupled-containers']);
  });

  it('defers only the loopback hosts and ports of the ConfigMap, never its values', () => {
    const rules = lintOptions({ only: ['uncoupled-containers'] }).rules;
    const facts = lintText(config('default'), 'config.yaml', { rules, settings: DEFAULT_SETTINGS }).facts ?? [];
    const text = JSON.stringify(facts);
    expect(text).not.toContain('CANARY');
    expect(text).not.toContain('shop:');
    expect(facts.map((f) => f.fact)).toEqual([
      {
        t: 'cm',
        namespace: 'default',
        name: 'shop-config',
        keys: { CACHE_HOST: { lh: 'localhost' }, CACHE_PORT: { port: 6379 }, DATABASE_URL: { addrs: [{ host: 'localhost', port: 5432 }] } },
      },
    ]);
  });
});

describe('facts deferred for the cross-resource checks', () => {
  const rules = lintOptions({ only: (r) => r.crossCheck !== undefined }).rules;

  it('carry no value of a Secret or ConfigMap, only names and keys', () => {
    const secret = SECRET + '---\n' + CONFIG.replace('LOG_LEVEL: info', 'LOG_LEVEL: CANARY-level');
    const facts = lintText(secret, 'secret.yaml', { rules, settings: DEFAULT_SETTINGS }).facts ?? [];
    expect(facts.length).toBeGreaterThan(0);
    const text = JSON.stringify(facts);
    expect(text).not.toContain('CANARY');
    expect(text).toContain('signing.pem');
  });

  it('stay small for a large ConfigMap (its keys, not its data)', () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  app.properties: |\n${'    some.setting=a fairly long value that is repeated\n'.repeat(5000)}`;
    const facts = lintText(big, 'big.yaml', { rules, settings: DEFAULT_SETTINGS }).facts ?? [];
    expect(JSON.stringify(facts).length).toBeLessThan(300);
  });

  it("list a Secret's or ConfigMap's keys once each, in the order written (missing-reference-key)", () => {
    const keysOf = (text: string) =>
      (lintText(text, 'k.yaml', { rules, settings: DEFAULT_SETTINGS }).facts ?? []).flatMap((f) => {
        const fact = f.fact as { t: string; keys?: string[] | null };
        return f.ruleId === 'missing-reference-key' && fact.t === 'object' ? [fact.keys] : [];
      });
    const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${body}`;
    expect(keysOf(secret('data:\n  b: eA==\n  a: eA==\nstringData:\n  a: x\n  c: x\n'))).toEqual([['b', 'a', 'c']]);
    expect(keysOf(secret('stringData:\n  c: x\n'))).toEqual([['c']]);
    expect(keysOf(secret('type: kubernetes.io/service-account-token\n'))).toEqual([['token', 'ca.crt', 'namespace']]);
    expect(keysOf(secret('type: kubernetes.io/service-account-token\ndata:\n  token: eA==\n  z: eA==\n'))).toEqual([['token', 'z', 'ca.crt', 'namespace']]);
    expect(keysOf(secret('data: [a]\nstringData:\n  c: x\n'))).toEqual([null]);
    expect(keysOf(secret('data:\n  a: eA==\nstringData: x\n'))).toEqual([null]);
    expect(keysOf(secret(''))).toEqual([[]]);
    const many = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    expect(keysOf(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${many.map((k) => `  ${k}: v\n`).join('')}binaryData:\n  k1: eA==\n  bin: eA==\n`)).toEqual([[...many, 'bin']]);
  });

  it('are the same on the fast path and the exact path', () => {
    for (const [file, text] of Object.entries(FILES)) {
      const fast = lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: true }).facts;
      const exact = lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: false }).facts;
      expect(fast, file).toEqual(exact);
    }
  });
});

describe('cross-resource rules on hostile input', () => {
  it('do not crash on fields of the wrong type', () => {
    const odd = `apiVersion: v1
kind: Service
metadata:
  name: odd
spec:
  selector: [app, gateway]
  ports: {port: 80}
---
apiVersion: v1
kind: Service
metadata:
  name: odd2
spec:
  selector:
    app: {nested: true}
  ports:
    - port: "80"
    - targetPort: 8200
    - null
---
apiVersion: v1
kind: Secret
metadata:
  name: gateway
data: [a, b]
---
apiVersion: v1
kind: LimitRange
metadata:
  name: odd
spec:
  limits: {type: Container}
---
apiVersion: v1
kind: Pod
metadata:
  name: odd
  labels: [app]
spec:
  resources: 12
  volumes:
    - name: v
      secret: {secretName: gateway, items: [{key: 5}, null, {key: x}]}
    - null
  initContainers:
    - name: s
      restartPolicy: Always
      resources: {requests: [], limits: "lots"}
      ports: [{containerPort: "8200"}, {containerPort: 70000}, null]
  containers:
    - name: app
      env:
        - valueFrom: {secretKeyRef: "gateway"}
        - valueFrom: {configMapKeyRef: {name: 5, key: x}}
`;
    expect(() => lintAll({ 'odd.yaml': odd, 'service.yaml': SERVICE, 'deployment.yaml': DEPLOYMENT })).not.toThrow();
    // The Secret whose data is not a map could hold any key: no missing-key finding for it.
    expect(where(lintAll({ 'odd.yaml': odd }), ['missing-reference-key'])).toEqual([]);
  });
});

describe('missing-reference-key: Secrets created by a producer in another file', () => {
  const pod = (secret: string, key: string) => `apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: shop
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      volumeMounts:
        - {name: creds, mountPath: /etc/creds, readOnly: true}
  volumes:
    - name: creds
      secret:
        secretName: ${secret}
        items:
          - key: ${key}
            path: value
`;
  const producers = {
    'k8s/external.yaml': `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: db-es, namespace: shop}
spec:
  target: {name: db}
  data:
    - secretKey: password
      remoteRef: {key: prod/db, property: password}
`,
    'k8s/sealed.yaml': `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: api, namespace: shop}
spec:
  encryptedData: {token: AgBy3i4OJSWK}
`,
    'k8s/spc.yaml': `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: {name: vault-db, namespace: shop}
spec:
  provider: vault
  secretObjects:
    - secretName: synced
      type: Opaque
      data: [{objectName: db-password, key: password}]
`,
  };
  const keyFindings = (secret: string, key: string, options: LintAllOptions = {}) =>
    lintAll({ ...producers, 'k8s/pod.yaml': pod(secret, key) }, options)
      .filter((f) => f.ruleId === 'missing-reference-key')
      .map((f) => f.message.slice(0, f.message.indexOf(',')));

  it('know the keys of ExternalSecret targets, SealedSecrets and SecretProviderClass secretObjects', () => {
    expect(keyFindings('db', 'password')).toEqual([]);
    expect(keyFindings('db', 'pasword')).toEqual(['Secret "db" (namespace "shop") has no key "pasword"']);
    expect(keyFindings('api', 'token')).toEqual([]);
    expect(keyFindings('api', 'tokn')).toEqual(['Secret "api" (namespace "shop") has no key "tokn"']);
    expect(keyFindings('synced', 'password')).toEqual([]);
    expect(keyFindings('synced', 'user')).toEqual(['Secret "synced" (namespace "shop") has no key "user"']);
    // The ExternalSecret's own name is not its target's.
    expect(keyFindings('db-es', 'password', { ruleOptions: { 'missing-reference-key': { requireObjects: true } } })).toHaveLength(1);
  });

  it('count the produced Secrets as present for requireObjects', () => {
    const options = { ruleOptions: { 'missing-reference-key': { requireObjects: true } } };
    for (const secret of ['db', 'api', 'synced']) expect(keyFindings(secret, secret === 'db' || secret === 'synced' ? 'password' : 'token', options)).toEqual([]);
  });
});
