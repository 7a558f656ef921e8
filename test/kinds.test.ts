/**
 * The same pod template placed in each of the nine pod-bearing kinds gives the same findings, at
 * lines shifted exactly by how deep the kind nests its template.
 *
 * The template names `app` (the second entry of `containers`) as main through the default-container
 * annotation, so a kind whose template metadata were read from the wrong place would pick `shipper`
 * as main and give different findings.
 */
import { describe, expect, it } from 'vitest';
import { POD_BEARING_KINDS } from '../src/model/workloads.js';
import type { Finding } from '../src/types.js';
import { lint } from './support/lint.js';

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
  '  containers:', //                                         12
  '    - name: shipper', //                                   13 sidecar, shares nothing
  '      image: example/shipper:1', //                        14
  '    - name: app', //                                       15 main (by annotation)
  '      image: example/app:1', //                            16
  '      env:', //                                            17
  '        - name: LOG_LEVEL', //                             18
  '          value: info', //                                 19
  '        - name: DB_PASSWORD', //                           20 Secret in the main container
  '          valueFrom:', //                                  21
  '            secretKeyRef: {name: db, key: password}', //   22
];

/** What the template yields on its own: [rule id, line, column, container]. */
const BASE: readonly (readonly [string, number, number, string])[] = [
  ['uncoupled-containers', 9, 7, 'proxy'],
  ['uncoupled-containers', 13, 7, 'shipper'],
  ['secret-in-main-container', 20, 11, 'app'],
];

interface KindCase {
  kind: string;
  /** Lines of the object before the template. */
  header: string[];
  /** Indentation of the template's lines. */
  indent: number;
  /** The findings, written out by hand: `rule@line:column`. */
  expected: string[];
}

const APPS_HEADER = (kind: string, extra: string[] = []): string[] => [
  'apiVersion: apps/v1',
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

const AT_4 = ['uncoupled-containers@18:11', 'uncoupled-containers@22:11', 'secret-in-main-container@29:15'];

const CASES: KindCase[] = [
  {
    kind: 'Pod',
    header: ['apiVersion: v1', 'kind: Pod'],
    indent: 0,
    expected: ['uncoupled-containers@11:7', 'uncoupled-containers@15:7', 'secret-in-main-container@22:11'],
  },
  {
    kind: 'PodTemplate',
    header: ['apiVersion: v1', 'kind: PodTemplate', 'metadata:', '  name: demo', 'template:'],
    indent: 2,
    expected: ['uncoupled-containers@14:9', 'uncoupled-containers@18:9', 'secret-in-main-container@25:13'],
  },
  { kind: 'Deployment', header: APPS_HEADER('Deployment'), indent: 4, expected: AT_4 },
  {
    kind: 'StatefulSet',
    header: APPS_HEADER('StatefulSet', ['  serviceName: demo']),
    indent: 4,
    expected: ['uncoupled-containers@19:11', 'uncoupled-containers@23:11', 'secret-in-main-container@30:15'],
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
    expected: ['uncoupled-containers@16:11', 'uncoupled-containers@20:11', 'secret-in-main-container@27:15'],
  },
  {
    kind: 'CronJob',
    header: ['apiVersion: batch/v1', 'kind: CronJob', 'metadata:', '  name: demo', 'spec:', '  schedule: "*/5 * * * *"', '  jobTemplate:', '    spec:', '      template:'],
    indent: 8,
    expected: ['uncoupled-containers@18:15', 'uncoupled-containers@22:15', 'secret-in-main-container@29:19'],
  },
];

function manifest(c: KindCase): string {
  const pad = ' '.repeat(c.indent);
  return [...c.header, ...TEMPLATE.map((l) => pad + l)].join('\n') + '\n';
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column;
}

function rendered(findings: readonly Finding[]): string[] {
  return [...findings].sort(byPosition).map((f) => `${f.ruleId}@${f.line}:${f.column}`);
}

describe('the same pod in every pod-bearing kind', () => {
  it('covers all nine kinds', () => {
    expect(CASES.map((c) => c.kind).sort()).toEqual([...POD_BEARING_KINDS].sort());
    expect(CASES).toHaveLength(9);
  });

  it.each(CASES.map((c) => [c.kind, c] as const))('%s', (_kind, c) => {
    const findings = [...lint(manifest(c), `${c.kind}.yaml`)].sort(byPosition);

    // Exact positions, written out per kind.
    expect(rendered(findings)).toEqual(c.expected);

    // The same as the template alone, shifted by the kind's nesting.
    const shift = c.header.length;
    expect(findings.map((f) => [f.ruleId, f.line - shift, f.column - c.indent, f.container])).toEqual(BASE.map((b) => [...b]));

    for (const f of findings) expect(f.object).toEqual({ apiVersion: expect.any(String), kind: c.kind, name: 'demo', namespace: null });
  });

  it('gives the same findings with all nine objects in one multi-document file', () => {
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
