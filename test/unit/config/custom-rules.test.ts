/**
 * Declarative custom rules from the config, through the real command line: every target, `match`
 * (kinds, namespaces, labels), the reported path (the most specific failing one, at exact lines),
 * severities, suppressions, and the three examples of the docs.
 */
import { describe, expect, it } from 'vitest';
import { at, cli, columnOf, lineOf, report, tempTree, type JsonReport } from '../../support/config.js';

async function run(config: string, files: Record<string, string>, ...args: string[]): Promise<{ code: number; json: JsonReport }> {
  const dir = tempTree({ ...files, '.sidecar-lint.yaml': config });
  const r = await cli(dir, '-f', 'json', ...args, ...Object.keys(files));
  if (r.stderr !== '') throw new Error(r.stderr);
  return { code: r.code, json: report(r) };
}

function only(json: JsonReport, id: string): JsonReport['findings'] {
  return json.findings.filter((f) => f.ruleId === id);
}

/** The docs' example: every sidecar (and native sidecar) sets a memory limit. */
const SIDECAR_MEMORY = `customRules:
  - id: sidecar-memory-limit
    severity: warning
    message: Every sidecar sets a memory limit
    target: sidecar
    schema:
      type: object
      required: [resources]
      properties:
        resources:
          type: object
          required: [limits]
          properties:
            limits: { type: object, required: [memory] }
`;

/** The docs' example: no image without a tag or with the `latest` tag. */
const NO_LATEST = `customRules:
  - id: no-latest-tag
    severity: error
    message: Container "{{container}}" must pin its image to a version
    target: container
    schema:
      type: object
      required: [image]
      properties:
        image:
          type: string
          not: { pattern: "^[^:]+$|:latest$" }
`;

/** The docs' example: the pods of a Deployment, StatefulSet or DaemonSet carry a team label. */
const TEAM_LABEL = `customRules:
  - id: team-label
    message: The pods of {{kind}} "{{name}}" carry a team label
    target: object
    match:
      kinds: [Deployment, StatefulSet, DaemonSet]
    schema:
      type: object
      required: [spec]
      properties:
        spec:
          type: object
          required: [template]
          properties:
            template:
              type: object
              required: [metadata]
              properties:
                metadata:
                  type: object
                  required: [labels]
                  properties:
                    labels: { type: object, required: [team] }
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
    - name: migrate
      image: example/migrate:latest
    - name: proxy
      image: example/proxy:1.2
      restartPolicy: Always
  containers:
    - name: app
      image: example/app
      ports: [{containerPort: 8080}]
    - name: logger
      image: example/logger:2.0
      resources:
        limits:
          cpu: 100m
    - name: metrics
      image: example/metrics:1.0
      resources:
        limits: {memory: 64Mi}
`;

describe('the docs examples', () => {
  it('every sidecar sets memory limits: reported at the deepest failing path of each sidecar and native sidecar', async () => {
    const { json } = await run(SIDECAR_MEMORY, { 'pod.yaml': POD });
    const found = only(json, 'sidecar-memory-limit');
    expect(found.map((f) => `@${f.line}:${f.column} ${f.container} ${f.severity}`)).toEqual([
      '@9:7 proxy warning', // native sidecar without resources: at the container item
      '@19:9 logger warning', // limits without memory: at `limits:`
    ]);
    expect(found.map((f) => f.message)).toEqual([
      'Every sidecar sets a memory limit (must have "resources")',
      'Every sidecar sets a memory limit (resources.limits must have "memory")',
    ]);
    expect(found[0]!.object).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: null });
  });

  it('no latest tags: every container (init ones too), at the image entry, with {{container}} filled in', async () => {
    const { json, code } = await run(NO_LATEST, { 'pod.yaml': POD });
    const found = only(json, 'no-latest-tag');
    expect(found.map((f) => `@${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.container}`)).toEqual([
      '@8:7-8:36 migrate',
      '@14:7-14:25 app',
    ]);
    expect(found[0]!.message).toBe('Container "migrate" must pin its image to a version (image has a value the rule forbids)');
    expect(found[0]!.severity).toBe('error');
    expect(code).toBe(1);
  });

  it('pods carry a team label: only the matched kinds, at the labels map or the nearest existing parent', async () => {
    const deployment = (name: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
${labels}    spec:
      containers:
        - name: app
          image: example/app:1
`;
    const files = {
      'a.yaml': deployment('labelled', '      labels: {app: labelled, team: payments}\n'),
      'b.yaml': deployment('no-team', '      labels:\n        app: no-team\n'),
      'c.yaml': deployment('no-labels', '      annotations: {a: b}\n'),
      'd.yaml': POD, // a Pod is not matched
    };
    const { json } = await run(TEAM_LABEL, files);
    expect(only(json, 'team-label').map((f) => `${f.file}@${f.line}:${f.column}`)).toEqual(['b.yaml@9:7', 'c.yaml@8:5']);
    expect(only(json, 'team-label').map((f) => f.message)).toEqual([
      'The pods of Deployment "no-team" carry a team label (spec.template.metadata.labels must have "team")',
      'The pods of Deployment "no-labels" carry a team label (spec.template.metadata must have "labels")',
    ]);
  });
});

describe('targets', () => {
  const rule = (target: string, schema: string, extra = '') =>
    `customRules:\n  - id: custom\n    message: Custom check\n    target: ${target}\n${extra}    schema: ${schema}\n`;

  it('object: the whole object (any kind)', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n';
    const { json } = await run(rule('object', '{required: [immutable]}'), { 'cm.yaml': cm, 'pod.yaml': POD });
    expect(at(only(json, 'custom'))).toEqual(['custom@1:1', 'custom@1:1'].map((s) => s));
    expect(only(json, 'custom').map((f) => `${f.file} ${f.container}`)).toEqual(['cm.yaml null', 'pod.yaml null']);
    expect(only(json, 'custom')[0]!.message).toBe('Custom check (must have "immutable")');
  });

  it('podSpec: the pod spec of each pod-bearing kind, at its `spec:` entry; other kinds are skipped', async () => {
    const cronJob = `apiVersion: batch/v1
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
          containers:
            - name: job
              image: example/job:1
`;
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';
    const { json } = await run(rule('podSpec', '{required: [automountServiceAccountToken]}'), { 'a.yaml': POD, 'b.yaml': cronJob, 'c.yaml': cm });
    expect(only(json, 'custom').map((f) => `${f.file}@${f.line}:${f.column}`)).toEqual(['a.yaml@5:1', 'b.yaml@10:9']);
  });

  it('podSpec: a failing nested value is reported where it is', async () => {
    const { json } = await run(rule('podSpec', '{properties: {initContainers: {maxItems: 1}}}'), { 'a.yaml': POD });
    expect(only(json, 'custom').map((f) => `@${f.line}:${f.column} ${f.message}`)).toEqual(['@6:3 Custom check (initContainers must NOT have more than 1 items)']);
  });

  it('container: every container (init, native sidecar, main, sidecars), each at its own path', async () => {
    const { json } = await run(rule('container', '{required: [securityContext]}'), { 'a.yaml': POD });
    expect(only(json, 'custom').map((f) => `@${f.line}:${f.column} ${f.container}`)).toEqual([
      '@7:7 migrate',
      '@9:7 proxy',
      '@13:7 app',
      '@16:7 logger',
      '@21:7 metrics',
    ]);
  });

  it('mainContainer: only the main container (the default-container annotation picks it)', async () => {
    const { json } = await run(rule('mainContainer', '{required: [readinessProbe]}'), { 'a.yaml': POD });
    expect(only(json, 'custom').map((f) => `@${f.line}:${f.column} ${f.container}`)).toEqual(['@13:7 app']);
    const annotated = POD.replace('  name: web\n', '  name: web\n  annotations:\n    kubectl.kubernetes.io/default-container: metrics\n');
    const again = await run(rule('mainContainer', '{required: [readinessProbe]}'), { 'a.yaml': annotated });
    expect(only(again.json, 'custom').map((f) => `@${f.line}:${f.column} ${f.container}`)).toEqual(['@23:7 metrics']);
  });

  it('sidecar: sidecars and native sidecars, not the main or init containers', async () => {
    const { json } = await run(rule('sidecar', '{required: [securityContext]}'), { 'a.yaml': POD });
    expect(only(json, 'custom').map((f) => `@${f.line}:${f.column} ${f.container}`)).toEqual(['@9:7 proxy', '@16:7 logger', '@21:7 metrics']);
  });

  it('container targets on objects that bear no pod report nothing', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';
    for (const target of ['podSpec', 'container', 'mainContainer', 'sidecar']) {
      const { json } = await run(rule(target, '{required: [x]}'), { 'cm.yaml': cm });
      expect(only(json, 'custom'), target).toEqual([]);
    }
  });

  it('a List item is reported at its absolute line', async () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: b
      labels: {}
`;
    const { json } = await run(rule('object', '{properties: {metadata: {properties: {labels: {required: [team]}}}}}'), { 'l.yaml': list });
    expect(at(only(json, 'custom'))).toEqual(['custom@11:7']);
  });
});

describe('match', () => {
  const pods = {
    'a.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: prod\n  labels: {tier: web}\nspec:\n  containers: [{name: app, image: x}]\n',
    'b.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  labels: {tier: web, team: x}\nspec:\n  containers: [{name: app, image: x}]\n',
    'c.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n  namespace: prod\n  labels: {tier: db}\nspec:\n  containers: [{name: app, image: x}]\n',
    'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: prod\n  labels: {tier: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: x}]\n',
  };
  const rule = (match: string) => `customRules:\n  - id: custom\n    message: Has an owner\n    target: object\n    match: ${match}\n    schema: {required: [owner]}\n`;
  const names = (json: JsonReport) => only(json, 'custom').map((f) => f.object?.name);

  it('kinds', async () => {
    expect(names((await run(rule('{kinds: [Deployment]}'), pods)).json)).toEqual(['d']);
    expect(names((await run(rule('{kinds: [Pod]}'), pods)).json)).toEqual(['a', 'b', 'c']);
  });

  it('namespaces (objects without one are in settings.namespace, or --namespace)', async () => {
    expect(names((await run(rule('{namespaces: [prod]}'), pods)).json)).toEqual(['a', 'c', 'd']);
    expect(names((await run(rule('{namespaces: [default]}'), pods)).json)).toEqual(['b']);
    expect(names((await run(rule('{namespaces: [prod]}'), pods, '--namespace', 'prod')).json)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('labels (all must match the object labels)', async () => {
    expect(names((await run(rule('{labels: {tier: web}}'), pods)).json)).toEqual(['a', 'b', 'd']);
    expect(names((await run(rule('{labels: {tier: web, team: x}}'), pods)).json)).toEqual(['b']);
  });

  it('all of them together', async () => {
    expect(names((await run(rule('{kinds: [Pod], namespaces: [prod], labels: {tier: web}}'), pods)).json)).toEqual(['a']);
  });
});

describe('severity, configuration and suppression', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations:\n    ignore.sidecar-lint.io/other: "x"\n';
  const base = 'customRules:\n  - id: immutable-configmaps\n    message: ConfigMaps are immutable\n    target: object\n    match: {kinds: [ConfigMap]}\n    schema: {required: [immutable], properties: {immutable: {const: true}}}\n';

  it('defaults to warning; `rules:` and --rule set it like any rule', async () => {
    const r = await run(base, { 'cm.yaml': cm });
    expect(only(r.json, 'immutable-configmaps').map((f) => f.severity)).toEqual(['warning']);
    expect(r.code).toBe(1);
    const off = await run(`${base}rules:\n  immutable-configmaps: off\n`, { 'cm.yaml': cm });
    expect(only(off.json, 'immutable-configmaps')).toEqual([]);
    const info = await run(base, { 'cm.yaml': cm }, '--rule', 'immutable-configmaps=info');
    expect(only(info.json, 'immutable-configmaps').map((f) => f.severity)).toEqual(['info']);
  });

  it('says what is wrong without quoting the value', async () => {
    const r = await run(base, { 'cm.yaml': `${cm}immutable: "CANARY-no"\n` });
    const [f] = only(r.json, 'immutable-configmaps');
    expect(`${f!.line}:${f!.column} ${f!.message}`).toBe('7:1 ConfigMaps are immutable (immutable must be true)');
    expect(f!.message).not.toContain('CANARY');
  });

  it('is suppressed by annotations and comments like a built-in rule', async () => {
    const annotated = cm.replace('"x"', '"x"\n    ignore.sidecar-lint.io/immutable-configmaps: "Rotated by an operator"');
    const r = await run(base, { 'cm.yaml': annotated });
    expect(only(r.json, 'immutable-configmaps')).toEqual([]);
    expect(r.json.suppressed.map((f) => `${f.ruleId} ${f.suppression.kind}: ${f.suppression.justification}`)).toEqual([
      'immutable-configmaps annotation: Rotated by an operator',
    ]);
    expect(r.code).toBe(0);
  });

  it('is listed by --list-rules with its severity and message', async () => {
    const dir = tempTree({ '.sidecar-lint.yaml': base.replace('    target', '    severity: error\n    target') });
    const r = await cli(dir, '--list-rules');
    expect(r.stdout.split('\n').find((l) => l.startsWith('immutable-configmaps'))).toMatch(/^immutable-configmaps\s+error\s+ConfigMaps are immutable$/);
  });

  it('a schema that checks nothing reports nothing', async () => {
    const { json } = await run('customRules:\n  - {id: anything, message: m, target: container, schema: {}}\n', { 'p.yaml': POD });
    expect(only(json, 'anything')).toEqual([]);
  });

  it('reports at the path given for a failing key (exact columns in flow mappings)', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: app, image: x, imagePullPolicy: Always}]\n';
    const { json } = await run('customRules:\n  - id: pull\n    message: m\n    target: container\n    schema: {properties: {imagePullPolicy: {enum: [IfNotPresent, Never]}}}\n', { 'p.yaml': pod });
    const [f] = only(json, 'pull');
    const line = lineOf(pod, 'imagePullPolicy');
    expect(`${f!.line}:${f!.column} ${f!.message}`).toBe(`${line}:${columnOf(pod, 'imagePullPolicy')} m (imagePullPolicy must be one of "IfNotPresent", "Never")`);
  });
});
