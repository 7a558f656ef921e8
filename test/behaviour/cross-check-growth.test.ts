/**
 * The cross-resource checks grow linearly with the linted set: each rule's `crossCheck` and the
 * engine's Service-decided main containers (`mainOverrides`) over the facts of n workloads, Services,
 * ConfigMaps, Secrets, ServiceAccounts and RoleBindings, against 8n (test/support/growth.ts). Pods are
 * found by namespace and label, not by comparing every Service with every pod (16,000 of each took
 * most of a run's time).
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { DEFAULT_SETTINGS, type LintOptions } from '../../src/config/lint-options.js';
import { lintEach, lintInputs } from '../../src/run/lint-files.js';
import { mainOverrides, SERVICE_MAIN_FACTS, type ServiceMainFact } from '../../src/model/service-main.js';
import type { DeferredFact } from '../../src/rule.js';
import type { Path } from '../../src/types.js';
import { expectLinear } from '../support/growth.js';
import { lintOptions } from '../support/lint.js';

const rules = lintOptions().rules;
const options: LintOptions = { rules, settings: DEFAULT_SETTINGS };

/** One app: a Deployment (main, a sidecar serving Secret files on a port, a proxy with a port), its Service, ConfigMap, Secret, ServiceAccount and RoleBinding. */
function app(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
        tier: web
    spec:
      serviceAccountName: sa-${i}
      containers:
      - name: main
        image: example/app:1
        envFrom:
        - configMapRef:
            name: cm-${i}
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: secret-${i}
              key: missing
      - name: tls-server
        image: example/tls:1
        ports:
        - containerPort: 8443
          name: https
        volumeMounts:
        - name: certs
          mountPath: /certs
      volumes:
      - name: certs
        secret:
          secretName: secret-${i}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app: app-${i}
    tier: web
  ports:
  - port: 443
    targetPort: https
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-${i}
data:
  UPSTREAM: http://127.0.0.1:8443
---
apiVersion: v1
kind: Secret
metadata:
  name: secret-${i}
stringData:
  password: x
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-${i}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb-${i}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- kind: ServiceAccount
  name: sa-${i}
`;
}

const ROLE = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [""]\n  resources: [secrets]\n  verbs: [get]\n';

/** The facts phase one defers for n apps (made once, outside the timing), by rule id. */
function factsOf(n: number) {
  const text = [ROLE, ...Array.from({ length: n }, (_, i) => app(i))].join('---\n');
  const [outcome] = lintEach([{ display: 'apps.yaml', text }], options);
  if (!outcome || !('result' in outcome)) throw new Error('not linted');
  const byRule = new Map<string, DeferredFact[]>();
  const main: { fact: ServiceMainFact; file: string; documentIndex: number; objectPath: Path }[] = [];
  for (const f of outcome.result.facts ?? []) {
    const origin = { file: 'apps.yaml', documentIndex: f.documentIndex, objectPath: f.objectPath };
    if (f.ruleId === SERVICE_MAIN_FACTS) main.push({ fact: f.fact as ServiceMainFact, ...origin });
    else byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), { fact: f.fact, origin }]);
  }
  return { byRule, main };
}

function crossCheck(id: string, facts: ReturnType<typeof factsOf>): number {
  const { rule } = rules.find((r) => r.rule.meta.id === id)!;
  let reports = 0;
  rule.crossCheck!(facts.byRule.get(id) ?? [], { options: {}, settings: DEFAULT_SETTINGS, report: () => void reports++ });
  return reports;
}

describe('cross-resource checks: linear in the linted set', () => {
  const checked = builtinRules.filter((r) => r.crossCheck).map((r) => r.meta.id);

  it('every rule with a cross-check has facts here, and the ones that should report do', () => {
    const facts = factsOf(3);
    for (const id of ['exposed-secret-sidecar', 'missing-reference-key']) expect(crossCheck(id, facts), id).toBe(3);
    expect(facts.main.length).toBeGreaterThan(0);
  });

  for (const id of checked) {
    it(id, () => {
      const n = 200;
      expectLinear(factsOf, (facts) => crossCheck(id, facts), n);
      // (the ratio printed when it fails tells linear from quadratic: about 5-12 against 64)
    });
  }

  it('main containers decided by Services (mainOverrides)', () => {
    expectLinear(factsOf, (facts) => mainOverrides(facts.main), 200);
  });

  it('a whole run where every Service of one file has a cross-file finding (its reports found by object, not scanned per object)', () => {
    const make = (n: number) => [{ display: 'apps.yaml', text: [ROLE, ...Array.from({ length: n }, (_, i) => app(i))].join('---\n') }];
    expectLinear(make, (inputs) => lintInputs(inputs, options), 50);
  });
});
