/**
 * The same pod template placed in each of the eleven pod-bearing kinds gives the same findings, at
 * lines shifted exactly by how deep the kind nests its template (plus, for the kinds whose pods run
 * to completion, Job and CronJob, the sidecar that keeps the Job from completing).
 *
 * The template names `app` (the second entry of `containers`) as main through the default-container
 * annotation, so a kind whose template metadata were read from the wrong place would pick `shipper`
 * as main and give different findings.
 */
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { objectsOfDocument } from '../../../src/model/objects.js';
import { POD_BEARING_KINDS, workloadOf } from '../../../src/model/workloads.js';
import type { Finding } from '../../../src/types.js';
import { lint } from '../../support/lint.js';

/** Requests and a memory limit, so the sidecars are complete apart from what the test is about. */
const RESOURCES = '{requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}';

/** Pod template (metadata + spec); line numbers in the comments are 1-based within this text. */
const TEMPLATE = [
  'metadata:', //                                             1
  '  name: demo', //                                          2
  '  labels:', //                                             3
  '    app: demo', //                                         4
  '  annotations:', //                                        5
  '    kubectl.kubernetes.io/default-container: app', //      6
  'spec:', //                                                 7
  '  initContainers:', //                                     8
  '    - name: proxy', //                                     9  native sidecar, shares nothing
  '      image: example/proxy:1', //                          10
  '      restartPolicy: Always', //                           11
  `      resources: ${RESOURCES}`, //                         12
  '  containers:', //                                         13
  '    - name: shipper', //                                   14 sidecar, shares nothing
  '      image: example/shipper:1', //                        15
  `      resources: ${RESOURCES}`, //                         16
  '    - name: app', //                                       17 main (by annotation)
  '      image: example/app:1', //                            18
  '      env:', //                                            19
  '        - name: LOG_LEVEL', //                             20
  '          value: info', //                                 21
  '        - name: DB_PASSWORD', //                           22 Secret in the main container, as an env var
  '          valueFrom:', //                                  23
  '            secretKeyRef: {name: db, key: password}', //   24
];

/** What the template yields on its own: [rule id, line, column, container]. */
const BASE: readonly (readonly [string, number, number, string])[] = [
  ['uncoupled-containers', 9, 7, 'proxy'],
  ['job-sidecar-not-native', 14, 7, 'shipper'], // only in the kinds whose pods run to completion
  ['uncoupled-containers', 14, 7, 'shipper'],
  ['secret-env-var', 22, 11, 'app'],
  ['secret-in-main-container', 22, 11, 'app'],
];

/** Kinds whose pods run to completion: a sidecar in `containers` keeps the Job from completing. */
const COMPLETING_KINDS: ReadonlySet<string> = new Set(['Job', 'CronJob']);

function baseFor(kind: string): (readonly [string, number, number, string])[] {
  return BASE.filter((b) => b[0] !== 'job-sidecar-not-native' || COMPLETING_KINDS.has(kind));
}

interface KindCase {
  kind: string;
  /** Lines of the object before the template. */
  header: string[];
  /** Indentation of the template's lines. */
  indent: number;
  /** The findings, written out by hand: `rule@line:column`. */
  expected: string[];
}

const APPS_HEADER = (kind: string, extra: string[] = [], apiVersion = 'apps/v1'): string[] => [
  `apiVersion: ${apiVersion}`,
  `kind: ${kind}`,
  'metadata:',
  '  name: demo',
  'spec:',
  ...extra,
  '  selector:',
  '    matchLabels:',
  '      app: demo',
  '  template:',
];

const AT_4 = ['uncoupled-containers@18:11', 'uncoupled-containers@23:11', 'secret-env-var@31:15', 'secret-in-main-container@31:15'];

const CASES: KindCase[] = [
  {
    kind: 'Pod',
    header: ['apiVersion: v1', 'kind: Pod'],
    indent: 0,
    expected: ['uncoupled-containers@11:7', 'uncoupled-containers@16:7', 'secret-env-var@24:11', 'secret-in-main-container@24:11'],
  },
  {
    kind: 'PodTemplate',
    header: ['apiVersion: v1', 'kind: PodTemplate', 'metadata:', '  name: demo', 'template:'],
    indent: 2,
    expected: ['uncoupled-containers@14:9', 'uncoupled-containers@19:9', 'secret-env-var@27:13', 'secret-in-main-container@27:13'],
  },
  { kind: 'Deployment', header: APPS_HEADER('Deployment'), indent: 4, expected: AT_4 },
  {
    kind: 'StatefulSet',
    header: APPS_HEADER('StatefulSet', ['  serviceName: demo']),
    indent: 4,
    expected: ['uncoupled-containers@19:11', 'uncoupled-containers@24:11', 'secret-env-var@32:15', 'secret-in-main-container@32:15'],
  },
  { kind: 'DaemonSet', header: APPS_HEADER('DaemonSet'), indent: 4, expected: AT_4 },
  { kind: 'ReplicaSet', header: APPS_HEADER('ReplicaSet'), indent: 4, expected: AT_4 },
  {
    kind: 'ReplicationController',
    header: ['apiVersion: v1', 'kind: ReplicationController', 'metadata:', '  name: demo', 'spec:', '  replicas: 1', '  selector:', '    app: demo', '  template:'],
    indent: 4,
    expected: AT_4,
  },
  {
    kind: 'Job',
    header: ['apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: demo', 'spec:', '  backoffLimit: 2', '  template:'],
    indent: 4,
    expected: ['uncoupled-containers@16:11', 'job-sidecar-not-native@21:11', 'uncoupled-containers@21:11', 'secret-env-var@29:15', 'secret-in-main-container@29:15'],
  },
  {
    kind: 'CronJob',
    header: ['apiVersion: batch/v1', 'kind: CronJob', 'metadata:', '  name: demo', 'spec:', '  schedule: "*/5 * * * *"', '  jobTemplate:', '    spec:', '      template:'],
    indent: 8,
    expected: ['uncoupled-containers@18:15', 'job-sidecar-not-native@23:15', 'uncoupled-containers@23:15', 'secret-env-var@31:19', 'secret-in-main-container@31:19'],
  },
  {
    kind: 'DeploymentConfig',
    header: ['apiVersion: apps.openshift.io/v1', 'kind: DeploymentConfig', 'metadata:', '  name: demo', 'spec:', '  replicas: 1', '  selector:', '    app: demo', '  template:'],
    indent: 4,
    expected: AT_4,
  },
  {
    kind: 'Rollout',
    header: APPS_HEADER('Rollout', ['  strategy:', '    canary: {steps: [{setWeight: 50}]}'], 'argoproj.io/v1alpha1'),
    indent: 4,
    expected: ['uncoupled-containers@20:11', 'uncoupled-containers@25:11', 'secret-env-var@33:15', 'secret-in-main-container@33:15'],
  },
];

function manifest(c: KindCase): string {
  const pad = ' '.repeat(c.indent);
  return [...c.header, ...TEMPLATE.map((l) => pad + l)].join('\n') + '\n';
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

function rendered(findings: readonly Finding[]): string[] {
  return [...findings].sort(byPosition).map((f) => `${f.ruleId}@${f.line}:${f.column}`);
}

describe('the same pod in every pod-bearing kind', () => {
  it('covers all eleven kinds', () => {
    expect(CASES.map((c) => c.kind).sort()).toEqual([...POD_BEARING_KINDS].sort());
    expect(CASES).toHaveLength(11);
  });

  it.each(CASES.map((c) => [c.kind, c] as const))('%s', (_kind, c) => {
    const findings = [...lint(manifest(c), `${c.kind}.yaml`)].sort(byPosition);

    // Exact positions, written out per kind.
    expect(rendered(findings)).toEqual(c.expected);

    // The same as the template alone, shifted by the kind's nesting.
    const shift = c.header.length;
    expect(findings.map((f) => [f.ruleId, f.line - shift, f.column - c.indent, f.container])).toEqual(baseFor(c.kind).map((b) => [...b]));

    for (const f of findings) expect(f.object).toEqual({ apiVersion: expect.any(String), kind: c.kind, name: 'demo', namespace: null });
  });

  it('gives the same findings with all eleven objects in one multi-document file', () => {
    let offset = 0;
    const expected: string[] = [];
    const docs: string[] = [];
    for (const c of CASES) {
      const text = manifest(c);
      docs.push(text);
      for (const e of c.expected) {
        const [, id, line, column] = /^(.+)@(\d+):(\d+)$/.exec(e)!;
        expected.push(`${id}@${Number(line) + offset}:${column}`);
      }
      offset += text.split('\n').length - 1 + 1; // the document's lines plus its `---`
    }
    const findings = lint(docs.join('---\n'), 'all-kinds.yaml');
    expect(rendered(findings)).toEqual(expected);
  });
});

describe('the workload table', () => {
  const parse = (text: string) => objectsOfDocument(parseDocument(text).toJS(), 0)[0]!;

  it('skips an Argo Rollout with spec.workloadRef: its pods are the referenced Deployment\'s', () => {
    const ref = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Rollout',
      'metadata:',
      '  name: demo',
      'spec:',
      '  selector:',
      '    matchLabels: {app: demo}',
      '  workloadRef:',
      '    apiVersion: apps/v1',
      '    kind: Deployment',
      '    name: demo',
    ];
    expect(workloadOf(parse(ref.join('\n')))).toBeUndefined();
    expect(lint(ref.join('\n') + '\n', 'rollout.yaml')).toEqual([]);
    // Even a stray template beside the reference is not the Rollout's own pod template.
    const withTemplate = [...ref, '  template:', ...TEMPLATE.map((l) => '    ' + l)].join('\n') + '\n';
    expect(workloadOf(parse(withTemplate))).toBeUndefined();
    expect(lint(withTemplate, 'rollout.yaml')).toEqual([]);
    // A null workloadRef is no reference.
    const nullRef = withTemplate.replace(/ {2}workloadRef:\n( {4}.*\n){3}/, '  workloadRef: null\n');
    expect(workloadOf(parse(nullRef))?.main?.name).toBe('app');
  });

  it('knows which kinds run their pods to completion', () => {
    const completing = CASES.filter((c) => workloadOf(parse(manifest(c)))?.runsToCompletion).map((c) => c.kind);
    expect(completing.sort()).toEqual(['CronJob', 'Job']);
  });

  it('finds the DeploymentConfig and Rollout templates whatever their apiVersion says', () => {
    for (const c of CASES.filter((x) => x.kind === 'DeploymentConfig' || x.kind === 'Rollout')) {
      const w = workloadOf(parse(manifest(c).replace(/^apiVersion: .*$/m, 'apiVersion: v1')));
      expect(w?.containers.map((x) => `${x.name}:${x.role}`)).toEqual(['shipper:sidecar', 'app:main', 'proxy:native-sidecar']);
    }
  });
});
