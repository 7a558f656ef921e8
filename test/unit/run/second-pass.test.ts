/**
 * Issue 18: files that cross-file facts concern (a main container a Service decides, a cross-resource
 * finding) are linted again only in the documents concerned; the first pass's findings and facts are
 * kept for the others. The result must be what linting the whole file again gives, in the same order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lintOptions } from '../../support/lint.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { CHUNKS } from '../../../src/run/lint-chunks.js';
import { lintInputs, SECOND_PASS, type LintInput } from '../../../src/run/lint-files.js';

const rules = lintOptions().rules;

const pod = (i: number, namespace = 'default') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${namespace}
spec:
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: worker
          image: example/worker:1
          ports: [{name: debug, containerPort: 6060}]
        - name: web
          image: example/web:1
          ports: [{name: https, containerPort: 8443}]
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db-${i}, key: password}
          volumeMounts: [{name: certs, mountPath: /certs}]
      volumes:
        - name: certs
          secret: {secretName: certs-${i}}
`;
const service = (i: number, target: string | number) => `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector: {app: app-${i}}
  ports:
    - port: 443
      targetPort: ${target}
`;
const configMap = (i: number) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-${i}
data:
  API_TOKEN: tok-${i}-abcdefgh12345678
`;
const secret = (i: number) => `apiVersion: v1
kind: Secret
metadata:
  name: db-${i}
stringData:
  other: x
`;

/** A List (one document, several objects): its cross-file reports are placed by linting it again. */
const list = (...items: string[]) => `apiVersion: v1
kind: List
items:
${items.map((item) => `  - ${item.trimEnd().replace(/\n/g, '\n    ')}\n`).join('')}`;
/** A Deployment whose sidecar has findings of its own before and after its cross-file report's rule (as in the benchmark's input). */
const tls = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tls-${i}
spec:
  template:
    metadata:
      labels:
        app: tls-${i}
    spec:
      containers:
      - name: main
        image: example/app:1
        ports:
        - containerPort: 8080
      - name: tls
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
          secretName: certs-${i}
`;

/** Suppression comments over the documents' findings: some used, some for no finding, some without a reason. */
function commented(documents: string[]): string[] {
  return documents.map((d, i) =>
    d
      .replace(/^( *)(- name: web\n)/m, (_m, indent: string, line: string) => `${indent}# sidecar-lint-disable-next-line ${i % 2 === 0 ? 'secret-in-main-container' : 'no-such-rule'}${i % 3 === 0 ? '' : ' -- known'}\n${indent}${line}`)
      .replace(/^( *)(API_TOKEN:)/m, (_m, indent: string, key: string) => `${indent}# sidecar-lint-disable configmap-sensitive-data -- test data\n${indent}${key}`)
      .replace(/^kind: Service\n/m, (m) => `${m}# sidecar-lint-disable-next-line all -- nothing here\n`),
  );
}

function both(inputs: LintInput[], reportUnusedSuppressions = true) {
  const options = { rules, settings: DEFAULT_SETTINGS, reportUnusedSuppressions };
  SECOND_PASS.partial = true;
  const partial = lintInputs(inputs, options);
  SECOND_PASS.partial = false;
  const whole = lintInputs(inputs, options);
  return { partial, whole };
}

afterEach(() => {
  SECOND_PASS.partial = true;
  CHUNKS.threshold = 1024 * 1024;
});

describe('the second pass over files with cross-file facts', () => {
  const docs = [configMap(0), pod(1), service(1, 'https'), configMap(2), pod(3), pod(4), secret(3), service(4, 'https'), configMap(5), pod(6)];
  const cases: [string, LintInput[]][] = [
    ['one file', [{ display: 'all.yaml', text: docs.join('---\n') }]],
    ['Services in another file', [{ display: 'pods.yaml', text: docs.filter((d) => !d.includes('kind: Service')).join('---\n') }, { display: 'svc.yaml', text: `${service(1, 'https')}---\n${service(4, 'https')}` }]],
    ['comments before the first document and empty documents', [{ display: 'c.yaml', text: `# header\n\n---\n${docs.slice(0, 5).join('---\n')}---\n---\n${docs.slice(5).join('---\n')}` }]],
    ['a suppression comment', [{ display: 's.yaml', text: `# sidecar-lint-disable-next-line secret-data-plaintext -- test\n${docs.join('---\n')}` }]],
    [
      'suppression comments in documents the second pass lints again and in others, used, unused and without a reason',
      [{ display: 's.yaml', text: commented(docs).join('---\n') }],
    ],
    ['a suppression comment on the line before a `---` line (linted whole)', [{ display: 's.yaml', text: `${docs.slice(0, 2).join('---\n')}# sidecar-lint-disable-next-line all -- test\n---\n${docs.slice(2).join('---\n')}` }]],
    ['suppression annotations', [{ display: 's.yaml', text: docs.map((d, i) => d.replace(/^metadata:\n/m, `metadata:\n  annotations: {ignore.sidecar-lint.io/${i % 2 === 0 ? 'all' : 'secret-in-main-container'}: "${i % 3 === 0 ? '' : 'known'}"}\n`)).join('---\n') }]],
    ['a document the fast reader refuses', [{ display: 'x.yaml', text: `${docs.slice(0, 3).join('---\n')}---\na: &x 1\nb: *x\nb: 2\n---\n${docs.slice(3).join('---\n')}` }]],
    ['CRLF line ends', [{ display: 'crlf.yaml', text: docs.join('---\n').replace(/\n/g, '\r\n') }]],
    ['`...` lines ending documents, content after one', [{ display: 'end.yaml', text: docs.map((d, i) => (i % 3 === 1 ? `${d}...\n` : i % 3 === 2 ? `${d}...\n# c\nignored: yes\n` : d)).join('---\n') }]],
    ['a byte order mark', [{ display: 'bom.yaml', text: `\ufeff${docs.join('---\n')}` }]],
    ['Lists of workloads among single objects', [{ display: 'list.yaml', text: [list(pod(7), configMap(7), pod(8)), ...docs, list(pod(9))].join('---\n') }]],
    ['Deployments with findings before and after their reports, Services in another file', [{ display: 'tls.yaml', text: [tls(1), tls(2), configMap(3), ...docs, tls(4)].join('---\n') }, { display: 's.yaml', text: [service(1, 'https'), service(4, 'https')].join('---\n') }]],
    ['Services first, with comments before the first `---`', [{ display: 'first.yaml', text: `# header\n---\n${[...docs].reverse().join('---\n')}` }]],
  ];
  it.each(cases)('gives what linting whole files again gives: %s', (_, inputs) => {
    const { partial, whole } = both(inputs);
    expect(whole.findings.length).toBeGreaterThan(0);
    expect(whole.mainOverrides?.size).toBe(2);
    expect(partial).toEqual(whole);
  });

  it.each([false, true])('gives what linting whole files again gives: comments and annotations over cross-file reports (unused reported: %s)', (reportUnusedSuppressions) => {
    // The reports of a Secret's missing key and of a Service-decided main container, under comments.
    const over = (d: string, i: number) =>
      d.replace(/^( *)(secretKeyRef:)/m, (_m, indent: string, key: string) => `${indent}# sidecar-lint-disable-next-line ${i % 2 === 0 ? 'missing-reference-key' : 'all'} -- test\n${indent}${key}`);
    // Or under an annotation of the pod template.
    const annotated = (d: string) => d.replace(/^( {4}metadata:\n)/m, '$1      annotations: {ignore.sidecar-lint.io/missing-reference-key: "known"}\n');
    for (const text of [docs.map(over).join('---\n'), docs.map((d, i) => (i % 3 === 1 ? over(d, i) : d)).join('---\n'), docs.map(annotated).join('---\n')]) {
      const { partial, whole } = both([{ display: 'c.yaml', text }], reportUnusedSuppressions);
      expect(whole.findings.filter((f) => f.suppressed && f.ruleId === 'missing-reference-key').length, text).toBeGreaterThan(0);
      expect(partial).toEqual(whole);
    }
  });

  it('gives what linting whole files again gives for a file linted in parts', () => {
    CHUNKS.threshold = 1000;
    const text = Array.from({ length: 12 }, (_, i) => docs.join('---\n').replace(/-(\d+)\b/g, `-${i}x$1`)).join('---\n');
    const { partial, whole } = both([{ display: 'big.yaml', text }]);
    expect(whole.mainOverrides?.size).toBe(24);
    expect(partial).toEqual(whole);
  });
});
