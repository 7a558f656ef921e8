/**
 * Suppressions through the real command line: annotations on the object's and on the pod template's
 * metadata, comment directives, their reasons, the JSON `suppressed` list and summary, exit codes,
 * --report-unused-suppressions, --no-inline-suppressions and config exemptions — on every
 * pod-bearing kind.
 */
import { describe, expect, it } from 'vitest';
import { commentDirectives, matchDirective, documentStartLines } from '../../../src/run/suppress.js';
import { at, cli, columnOf, lineOf, report, tempTree, type JsonReport } from '../../support/config.js';
import { random } from '../../support/random.js';

const SECRET = 'secret-in-main-container';
const UNCOUPLED = 'uncoupled-containers';
/** The rules these tests are about (other rules may report other things on the same pods). */
const ONLY = [SECRET, UNCOUPLED, 'configmap-sensitive-data', 'suppression-without-reason', 'unused-suppression'];

interface Options {
  objectAnnotations?: string[];
  templateAnnotations?: string[];
  /** Lines put just before the env item that hands the Secret to the main container. */
  beforeEnv?: string[];
  /** Lines put after the env item (inside the `env` list). */
  afterEnv?: string[];
}

/** Header lines of each kind up to its pod template; `meta` is the object's metadata block. */
const KINDS: Record<string, { header: (meta: string[]) => string[]; indent: number }> = {
  Pod: { header: () => ['apiVersion: v1', 'kind: Pod'], indent: 0 },
  PodTemplate: { header: (meta) => ['apiVersion: v1', 'kind: PodTemplate', ...meta, 'template:'], indent: 2 },
  Deployment: { header: (meta) => ['apiVersion: apps/v1', 'kind: Deployment', ...meta, 'spec:', '  selector: {matchLabels: {app: demo}}', '  template:'], indent: 4 },
  StatefulSet: {
    header: (meta) => ['apiVersion: apps/v1', 'kind: StatefulSet', ...meta, 'spec:', '  serviceName: demo', '  selector: {matchLabels: {app: demo}}', '  template:'],
    indent: 4,
  },
  DaemonSet: { header: (meta) => ['apiVersion: apps/v1', 'kind: DaemonSet', ...meta, 'spec:', '  selector: {matchLabels: {app: demo}}', '  template:'], indent: 4 },
  ReplicaSet: { header: (meta) => ['apiVersion: apps/v1', 'kind: ReplicaSet', ...meta, 'spec:', '  selector: {matchLabels: {app: demo}}', '  template:'], indent: 4 },
  ReplicationController: { header: (meta) => ['apiVersion: v1', 'kind: ReplicationController', ...meta, 'spec:', '  selector: {app: demo}', '  template:'], indent: 4 },
  Job: { header: (meta) => ['apiVersion: batch/v1', 'kind: Job', ...meta, 'spec:', '  template:'], indent: 4 },
  CronJob: {
    header: (meta) => ['apiVersion: batch/v1', 'kind: CronJob', ...meta, 'spec:', '  schedule: "0 * * * *"', '  jobTemplate:', '    spec:', '      template:'],
    indent: 8,
  },
};
const KIND_NAMES = Object.keys(KINDS);

function annotationBlock(indent: string, annotations: string[] | undefined): string[] {
  return annotations && annotations.length > 0 ? [`${indent}annotations:`, ...annotations.map((a) => `${indent}  ${a}`)] : [];
}

/**
 * A workload whose main container `app` receives Secret `creds` through env var TOKEN
 * (secret-in-main-container at that env item) and shares a volume with its sidecar `helper`.
 */
function workload(kind: string, o: Options = {}): string {
  const k = KINDS[kind]!;
  const isPod = kind === 'Pod';
  const objectMeta = ['metadata:', '  name: demo', ...annotationBlock('  ', [...(o.objectAnnotations ?? []), ...(isPod ? (o.templateAnnotations ?? []) : [])])];
  const templateMeta = isPod ? objectMeta : ['metadata:', '  labels: {app: demo}', ...annotationBlock('  ', o.templateAnnotations)];
  const template = [
    ...templateMeta,
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: example/app:1',
    '      volumeMounts: [{name: shared, mountPath: /shared}]',
    '      env:',
    ...(o.beforeEnv ?? []).map((l) => `        ${l}`),
    '        - name: TOKEN',
    '          valueFrom:',
    '            secretKeyRef: {name: creds, key: token}',
    ...(o.afterEnv ?? []).map((l) => `        ${l}`),
    '    - name: helper',
    '      image: example/helper:1',
    '      resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}',
    '      volumeMounts: [{name: shared, mountPath: /shared}]',
    '  volumes:',
    '    - name: shared',
    '      emptyDir: {}',
  ];
  const pad = ' '.repeat(k.indent);
  return [...k.header(objectMeta), ...template.map((l) => pad + l)].join('\n') + '\n';
}

/** Where secret-in-main-container is reported in a workload: the `- name: TOKEN` item. */
function secretAt(text: string): string {
  return `${SECRET}@${lineOf(text, '- name: TOKEN')}:${columnOf(text, 'name: TOKEN')}`;
}

async function lintOne(text: string, ...args: string[]): Promise<{ code: number; json: JsonReport }> {
  const dir = tempTree({ 'm.yaml': text });
  const r = await cli(dir, '--no-config', '-f', 'json', ...args, 'm.yaml');
  if (r.stderr !== '') throw new Error(r.stderr);
  return { code: r.code, json: report(r) };
}

function suppressedAt(json: JsonReport): string[] {
  return json.suppressed.filter((f) => ONLY.includes(f.ruleId)).map((f) => `${f.ruleId}@${f.line}:${f.column} ${f.suppression.kind}: ${f.suppression.justification}`);
}

describe.each(KIND_NAMES)('suppressions on a %s', (kind) => {
  it('reports the Secret in the main container when nothing suppresses it', async () => {
    const text = workload(kind);
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual([secretAt(text)]);
    expect(json.suppressed).toEqual([]);
  });

  it.each([
    ['the object metadata', 'objectAnnotations'],
    ['the pod template metadata', 'templateAnnotations'],
  ] as const)('annotation ignore.sidecar-lint.io/<rule-id> on %s', async (_where, key) => {
    const text = workload(kind, { [key]: [`ignore.sidecar-lint.io/${SECRET}: "The app signs requests with it"`] });
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual([]);
    expect(suppressedAt(json)).toEqual([`${secretAt(text)} annotation: The app signs requests with it`]);
  });

  it.each([
    ['the object metadata', 'objectAnnotations'],
    ['the pod template metadata', 'templateAnnotations'],
  ] as const)('annotation ignore.sidecar-lint.io/all on %s', async (_where, key) => {
    const text = workload(kind, { [key]: ['ignore.sidecar-lint.io/all: "Vendor chart, reviewed 2024-05"'] });
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual([]);
    expect(suppressedAt(json)).toEqual([`${secretAt(text)} annotation: Vendor chart, reviewed 2024-05`]);
    // Every finding of the object is suppressed, whatever the rule.
    expect(json.findings.filter((f) => f.object?.kind === kind)).toEqual([]);
  });

  it.each([
    ['the object metadata', 'objectAnnotations'],
    ['the pod template metadata', 'templateAnnotations'],
  ] as const)('an empty reason on %s is suppression-without-reason, and suppresses nothing', async (_where, key) => {
    const text = workload(kind, { [key]: [`ignore.sidecar-lint.io/${SECRET}: ""`] });
    const { json, code } = await lintOne(text);
    const annotation = `ignore.sidecar-lint.io/${SECRET}`;
    const expected = [`suppression-without-reason@${lineOf(text, annotation)}:${columnOf(text, annotation)}`, secretAt(text)];
    expect(at(json.findings, ONLY).sort()).toEqual(expected.sort());
    expect(json.suppressed.filter((f) => f.ruleId === SECRET)).toEqual([]);
    const finding = json.findings.find((f) => f.ruleId === 'suppression-without-reason')!;
    expect(finding.severity).toBe('error');
    expect(finding.message).toBe(`Suppression annotation for "${SECRET}" gives no reason.`);
    expect(finding.hint).toBe("Write why the finding is accepted as the annotation's value.");
    expect(finding.object).toMatchObject({ kind, name: 'demo' });
    expect(code).toBe(1);
  });

  it('# sidecar-lint-disable-next-line <rule-id> -- <reason>', async () => {
    const text = workload(kind, { beforeEnv: [`# sidecar-lint-disable-next-line ${SECRET} -- Read once at start-up`] });
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual([]);
    expect(suppressedAt(json)).toEqual([`${secretAt(text)} comment: Read once at start-up`]);
  });

  it('# sidecar-lint-disable-next-line <rule-id>, <rule-id> -- <reason>', async () => {
    const text = workload(kind, { beforeEnv: [`# sidecar-lint-disable-next-line ${UNCOUPLED}, ${SECRET} -- Both accepted`] });
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual([]);
    expect(suppressedAt(json)).toEqual([`${secretAt(text)} comment: Both accepted`]);
  });

  it('# sidecar-lint-disable <rule-id> -- <reason> … # sidecar-lint-enable <rule-id>', async () => {
    const text = workload(kind, {
      beforeEnv: [`# sidecar-lint-disable ${SECRET} -- Migration ticket OPS-12`],
      afterEnv: [`# sidecar-lint-enable ${SECRET}`, '- name: OTHER_TOKEN', '  valueFrom:', '    secretKeyRef: {name: creds, key: other-token}'],
    });
    const { json } = await lintOne(text);
    const other = `${SECRET}@${lineOf(text, '- name: OTHER_TOKEN')}:${columnOf(text, 'name: OTHER_TOKEN')}`;
    expect(at(json.findings, ONLY)).toEqual([other]);
    expect(suppressedAt(json)).toEqual([`${secretAt(text)} comment: Migration ticket OPS-12`]);
  });

  it('--report-unused-suppressions reports annotations and comments that matched nothing', async () => {
    const text = workload(kind, {
      objectAnnotations: [`ignore.sidecar-lint.io/${UNCOUPLED}: "The helper is coupled anyway"`],
      beforeEnv: [`# sidecar-lint-disable-next-line ${SECRET} -- Accepted`],
      afterEnv: [`# sidecar-lint-disable-next-line ${UNCOUPLED} -- Nothing here`],
    });
    const { json } = await lintOne(text, '--report-unused-suppressions');
    const annotation = `ignore.sidecar-lint.io/${UNCOUPLED}`;
    const comment = `# sidecar-lint-disable-next-line ${UNCOUPLED}`;
    expect(at(json.findings, ONLY)).toEqual([
      `unused-suppression@${lineOf(text, annotation)}:${columnOf(text, annotation)}`,
      `unused-suppression@${lineOf(text, comment)}:${columnOf(text, comment)}`,
    ]);
    expect(suppressedAt(json)).toEqual([`${secretAt(text)} comment: Accepted`]);
    const messages = json.findings.filter((f) => f.ruleId === 'unused-suppression').map((f) => f.message);
    expect(messages).toEqual([
      `Suppression annotation for "${UNCOUPLED}" matched no finding.`,
      `sidecar-lint-disable-next-line comment for ${UNCOUPLED} matched no finding.`,
    ]);
    // Not reported without the flag.
    expect(at((await lintOne(text)).json.findings, ONLY)).toEqual([]);
  });

  it('--no-inline-suppressions ignores annotations and comments', async () => {
    const text = workload(kind, {
      objectAnnotations: ['ignore.sidecar-lint.io/all: "Self-exemption"', `ignore.sidecar-lint.io/${UNCOUPLED}: ""`],
      beforeEnv: [`# sidecar-lint-disable-next-line ${SECRET} -- Self-exemption`],
    });
    const { json, code } = await lintOne(text, '--no-inline-suppressions');
    expect(at(json.findings, ONLY)).toEqual([secretAt(text)]);
    expect(json.suppressed).toEqual([]);
    expect(code).toBe(1);
  });
});

/** A ConfigMap with three credentials (configmap-sensitive-data at 6:3, 7:3 and 8:3). */
function configMap(name: string, lines: string[] = []): string {
  return [`apiVersion: v1`, 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:', ...lines].join('\n') + '\n';
}
const CM_KEYS = ['DB_PASSWORD: hunter2-value', 'API_TOKEN: tok-value-1234', 'SECRET_KEY: sk-value-5678'].map((l) => `  ${l}`);

describe('comment directives', () => {
  it('disable without enable lasts to the end of the document; the next --- document is not suppressed', async () => {
    const text = [
      configMap('one', ['  # sidecar-lint-disable configmap-sensitive-data -- Test fixtures', ...CM_KEYS]),
      '---\n',
      configMap('two', CM_KEYS.slice(0, 1)),
    ].join('');
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@16:3']);
    expect(suppressedAt(json)).toEqual([
      'configmap-sensitive-data@7:3 comment: Test fixtures',
      'configmap-sensitive-data@8:3 comment: Test fixtures',
      'configmap-sensitive-data@9:3 comment: Test fixtures',
    ]);
  });

  it('enable ends the range (it needs no reason)', async () => {
    const text = configMap('cm', [
      '  # sidecar-lint-disable configmap-sensitive-data -- Test fixtures',
      CM_KEYS[0]!,
      '  # sidecar-lint-enable configmap-sensitive-data',
      CM_KEYS[1]!,
    ]);
    const { json } = await lintOne(text, '--report-unused-suppressions');
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@9:3']);
    expect(suppressedAt(json)).toEqual(['configmap-sensitive-data@7:3 comment: Test fixtures']);
  });

  it('disable of every rule (no rule id), and enable of another rule leaves it on', async () => {
    const text = configMap('cm', [
      '  # sidecar-lint-disable -- Generated by the vendor',
      CM_KEYS[0]!,
      '  # sidecar-lint-enable uncoupled-containers',
      CM_KEYS[1]!,
      '  # sidecar-lint-enable',
      CM_KEYS[2]!,
    ]);
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@11:3']);
    expect(suppressedAt(json)).toEqual([
      'configmap-sensitive-data@7:3 comment: Generated by the vendor',
      'configmap-sensitive-data@9:3 comment: Generated by the vendor',
    ]);
  });

  it('disable-next-line covers only the next line', async () => {
    const text = configMap('cm', ['  # sidecar-lint-disable-next-line configmap-sensitive-data -- Dummy value', ...CM_KEYS.slice(0, 2)]);
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@8:3']);
    expect(suppressedAt(json)).toEqual(['configmap-sensitive-data@7:3 comment: Dummy value']);
  });

  it('a directive for another rule suppresses nothing', async () => {
    const text = configMap('cm', ['  # sidecar-lint-disable-next-line uncoupled-containers -- Not this one', CM_KEYS[0]!]);
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@7:3']);
  });

  it('a directive without a reason (or an empty one after --) is suppression-without-reason and suppresses nothing', async () => {
    const text = configMap('cm', [
      '  # sidecar-lint-disable-next-line configmap-sensitive-data',
      CM_KEYS[0]!,
      '  # sidecar-lint-disable-next-line configmap-sensitive-data --   ',
      CM_KEYS[1]!,
      '  # sidecar-lint-disable configmap-sensitive-data',
      CM_KEYS[2]!,
    ]);
    const { json, code } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual([
      'suppression-without-reason@6:3',
      'configmap-sensitive-data@7:3',
      'suppression-without-reason@8:3',
      'configmap-sensitive-data@9:3',
      'suppression-without-reason@10:3',
      'configmap-sensitive-data@11:3',
    ]);
    expect(json.findings[0]!.message).toBe('sidecar-lint-disable-next-line comment gives no reason.');
    expect(json.findings[0]!.hint).toBe('Write why the finding is accepted after " -- ".');
    expect(json.findings[4]!.message).toBe('sidecar-lint-disable comment gives no reason.');
    expect(json.findings[0]!.endColumn).toBe(60);
    expect(json.suppressed).toEqual([]);
    expect(code).toBe(1);
  });

  it('a trailing comment directive works; a misspelt directive is not one', async () => {
    const text = configMap('cm', [
      '  SOME: value  # sidecar-lint-disable-next-line configmap-sensitive-data -- Dummy value',
      CM_KEYS[0]!,
      '  # sidecar-lint-disable-line configmap-sensitive-data -- Not a directive',
      CM_KEYS[1]!,
    ]);
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@9:3']);
    expect(suppressedAt(json)).toEqual(['configmap-sensitive-data@7:3 comment: Dummy value']);
  });

  it('a reason may itself contain " -- "', () => {
    const [d] = commentDirectives('# sidecar-lint-disable-next-line a, b c -- Why -- and more\nx: 1\n');
    expect(d).toMatchObject({ type: 'disable-next-line', rules: ['a', 'b', 'c'], reason: 'Why -- and more', line: 1, column: 1 });
    expect(matchDirective([d!], documentStartLines('x'), 'c', 2)).toBe(d);
  });

  it('work with CRLF line endings', async () => {
    const text = configMap('cm', ['  # sidecar-lint-disable-next-line configmap-sensitive-data -- Dummy value', CM_KEYS[0]!, CM_KEYS[1]!]).replace(/\n/g, '\r\n');
    const { json } = await lintOne(text);
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@8:3']);
    expect(suppressedAt(json)).toEqual(['configmap-sensitive-data@7:3 comment: Dummy value']);
  });
});

describe('suppressed findings in the output', () => {
  const text = configMap('cm', ['  # sidecar-lint-disable-next-line configmap-sensitive-data -- Dummy value for tests', CM_KEYS[0]!]);

  it('are listed under `suppressed` with suppression {kind, justification}, counted in the summary, and do not fail the run', async () => {
    const { json, code } = await lintOne(text);
    expect(json.findings).toEqual([]);
    expect(json.suppressed).toEqual([
      {
        ruleId: 'configmap-sensitive-data',
        messageId: 'key',
        severity: 'error',
        message: 'ConfigMap key "DB_PASSWORD" looks like a credential.',
        hint: expect.stringContaining('move the value to a Secret'),
        file: 'm.yaml',
        line: 7,
        column: 3,
        endLine: 7,
        endColumn: 29,
        object: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: null },
        container: null,
        suppression: { kind: 'comment', justification: 'Dummy value for tests' },
      },
    ]);
    expect(json.summary).toMatchObject({ findings: 0, errors: 0, warnings: 0, infos: 0, suppressed: 1 });
    expect(code).toBe(0);
  });

  it('do not count towards --max-warnings or --fail-on info', async () => {
    const dir = tempTree({ 'm.yaml': text });
    expect((await cli(dir, '--no-config', '--fail-on', 'info', '--max-warnings', '0', '--rule', 'configmap-sensitive-data=warning', 'm.yaml')).code).toBe(0);
  });

  it('are left out of the stylish output', async () => {
    const dir = tempTree({ 'm.yaml': text });
    const r = await cli(dir, '--no-config', 'm.yaml');
    expect(r.stdout).not.toContain('DB_PASSWORD');
    expect(r.code).toBe(0);
  });

  it('an annotation in a List item suppresses that item only', async () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
      annotations:
        ignore.sidecar-lint.io/configmap-sensitive-data: "Fake credentials for the demo"
    data:
      DB_PASSWORD: hunter2-value
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: b
    data:
      DB_PASSWORD: hunter2-value
`;
    const { json } = await lintOne(list, '--report-unused-suppressions');
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@17:7']);
    expect(suppressedAt(json)).toEqual(['configmap-sensitive-data@11:7 annotation: Fake credentials for the demo']);
  });
});

describe('config exemptions', () => {
  /** Main container `app`, a `legacy-cron` and a `logger` sidecar that share nothing with it. */
  const pod = (name: string, namespace?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  containers:
    - name: app
      image: example/app:1
    - name: legacy-cron
      image: example/cron:1
    - name: logger
      image: example/logger:1
`;

  async function exempted(config: string, files: Record<string, string>, ...args: string[]): Promise<JsonReport> {
    const dir = tempTree({ ...files, '.sidecar-lint.yaml': config });
    const r = await cli(dir, '-f', 'json', ...args, ...Object.keys(files));
    if (r.stderr !== '') throw new Error(r.stderr);
    return report(r);
  }

  it('by container name glob, for some rules', async () => {
    const json = await exempted('exemptions:\n  - containers: "legacy-*"\n    rules: [uncoupled-containers]\n    reason: Retired with the old scheduler\n', { 'p.yaml': pod('web') });
    expect(at(json.findings, [UNCOUPLED])).toEqual(['uncoupled-containers@11:7']);
    expect(json.findings.find((f) => f.ruleId === UNCOUPLED)?.container).toBe('logger');
    expect(json.suppressed.filter((f) => f.ruleId === UNCOUPLED).map((f) => [f.container, f.line, f.suppression])).toEqual([
      ['legacy-cron', 9, { kind: 'config', justification: 'Retired with the old scheduler' }],
    ]);
  });

  it('a container exemption does not cover findings about no container (e.g. a ConfigMap key)', async () => {
    const json = await exempted('exemptions:\n  - containers: ["*"]\n    reason: every container\n', { 'c.yaml': configMap('cm', CM_KEYS.slice(0, 1)) });
    expect(at(json.findings, ONLY)).toEqual(['configmap-sensitive-data@6:3']);
  });

  it('by object name glob, kind and namespace (objects without one are in settings.namespace)', async () => {
    const config = [
      'settings:',
      '  namespace: legacy',
      'exemptions:',
      '  - objects: "old-*"',
      '    kinds: [Pod]',
      '    namespaces: [legacy]',
      '    reason: Scheduled for removal',
      '',
    ].join('\n');
    const files = {
      'a.yaml': pod('old-web'), // namespace legacy (the default from settings): exempt
      'b.yaml': pod('old-api', 'prod'), // other namespace: not exempt
      'c.yaml': pod('new-web'), // other name: not exempt
      'd.yaml': configMap('old-cm', CM_KEYS.slice(0, 1)), // other kind: not exempt
    };
    const json = await exempted(config, files);
    expect(json.findings.filter((f) => ONLY.includes(f.ruleId)).map((f) => `${f.file} ${f.ruleId}`)).toEqual([
      'b.yaml uncoupled-containers',
      'b.yaml uncoupled-containers',
      'c.yaml uncoupled-containers',
      'c.yaml uncoupled-containers',
      'd.yaml configmap-sensitive-data',
    ]);
    expect(new Set(json.suppressed.map((f) => `${f.file} ${f.suppression.kind}: ${f.suppression.justification}`))).toEqual(
      new Set(['a.yaml config: Scheduled for removal']),
    );
    // --namespace moves the default namespace: a.yaml is no longer in legacy.
    const moved = await exempted(config, files, '--namespace', 'dev');
    expect(moved.suppressed).toEqual([]);
  });

  it('by rule only, and with a list of object globs', async () => {
    const json = await exempted('exemptions:\n  - objects: [web, "api-?"]\n    rules: [uncoupled-containers]\n    reason: Pods predating the sidecar policy\n', {
      'a.yaml': pod('web'),
      'b.yaml': pod('api-1'),
      'c.yaml': pod('api-10'),
    });
    expect(json.findings.filter((f) => f.ruleId === UNCOUPLED).map((f) => f.object?.name)).toEqual(['api-10', 'api-10']);
    expect(json.suppressed.filter((f) => f.ruleId === UNCOUPLED).map((f) => f.object?.name)).toEqual(['web', 'web', 'api-1', 'api-1']);
  });

  it('still apply with --no-inline-suppressions, and win over an annotation', async () => {
    const annotated = pod('web').replace('  name: web\n', '  name: web\n  annotations:\n    ignore.sidecar-lint.io/uncoupled-containers: "Self-exemption"\n');
    const config = 'exemptions:\n  - containers: legacy-cron\n    reason: Retired with the old scheduler\n';
    const json = await exempted(config, { 'p.yaml': annotated }, '--no-inline-suppressions');
    expect(at(json.findings, [UNCOUPLED])).toEqual(['uncoupled-containers@13:7']);
    expect(json.suppressed.filter((f) => f.ruleId === UNCOUPLED).map((f) => f.suppression)).toEqual([{ kind: 'config', justification: 'Retired with the old scheduler' }]);
    const inline = await exempted(config, { 'p.yaml': annotated });
    expect(json.findings.filter((f) => f.ruleId === UNCOUPLED).length + json.suppressed.filter((f) => f.ruleId === UNCOUPLED).length).toBe(2);
    expect(inline.suppressed.filter((f) => f.ruleId === UNCOUPLED).map((f) => `${f.container} ${f.suppression.kind}`)).toEqual([
      'legacy-cron config',
      'logger annotation',
    ]);
  });
});

describe('directive matching, indexed once per text', () => {
  /** The matching as it was written first: every directive before the line looked at, for each finding. */
  function reference(directives: ReturnType<typeof commentDirectives>, documentStarts: readonly number[], ruleId: string, line: number) {
    let docStart = 1;
    for (const s of documentStarts) if (s <= line) docStart = s;
    let active: (typeof directives)[number] | undefined;
    for (const d of directives) {
      if (d.line >= line) break;
      if (d.reason === '' && d.type !== 'enable') continue;
      if (d.type === 'disable-next-line') {
        if (d.line === line - 1 && (d.rules.includes('all') || d.rules.includes(ruleId))) return d;
        continue;
      }
      if (d.line < docStart) continue;
      const covers = d.rules.includes('all') || d.rules.includes(ruleId);
      if (d.type === 'disable' && covers) active = d;
      else if (d.type === 'enable' && active && covers) active = undefined;
    }
    return active;
  }

  it('finds what looking at every directive before the line finds, on 300 generated texts', () => {
    const rnd = random(1234);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    let matched = 0;
    let blocks = 0;
    for (let n = 0; n < 300; n++) {
      const lines: string[] = [];
      for (let i = 0, count = 5 + Math.floor(rnd() * 60); i < count; i++) {
        const r = rnd();
        const rules = pick(['a', 'b', 'a, b', 'all', '']);
        const reason = rnd() < 0.85 ? ' -- why' : '';
        if (r < 0.15) lines.push(`# sidecar-lint-disable-next-line ${rules}${reason}`);
        else if (r < 0.25) lines.push(`# sidecar-lint-disable ${rules}${reason}`);
        else if (r < 0.35) lines.push(`# sidecar-lint-enable ${rules}${reason}`);
        else if (r < 0.42) lines.push('---');
        else lines.push(`k${i}: v`);
      }
      const text = `${lines.join('\n')}\n`;
      const directives = commentDirectives(text);
      const starts = documentStartLines(text);
      for (let line = 1; line <= lines.length + 1; line++) {
        for (const ruleId of ['a', 'b', 'c']) {
          const want = reference(directives, starts, ruleId, line);
          expect(matchDirective(directives, starts, ruleId, line), `${JSON.stringify(text)} ${ruleId}@${line}`).toBe(want);
          if (want) matched++;
          if (want?.type === 'disable') blocks++;
        }
      }
    }
    expect(matched).toBeGreaterThan(1000);
    expect(blocks).toBeGreaterThan(500);
  });
});

describe('comment directives and document starts, read without splitting the text into lines', () => {
  const DIRECTIVE = /(^|\s)#\s*sidecar-lint-(disable-next-line|disable|enable)(?=\s|$)([^\n\r]*)/;
  /** commentDirectives as it was first written: the text split into lines, each line tried. */
  function referenceDirectives(text: string) {
    if (!text.includes('sidecar-lint-')) return [];
    return text.split('\n').flatMap((raw, i) => {
      const m = DIRECTIVE.exec(raw);
      if (!m) return [];
      const rest = m[3] ?? '';
      const sep = rest.indexOf('--');
      const list = (sep >= 0 ? rest.slice(0, sep) : rest).trim();
      const reason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
      const rules = list === '' ? ['all'] : list.split(/[\s,]+/).filter((r) => r.length > 0);
      return [{ type: m[2], rules, reason, line: i + 1, column: raw.indexOf('#', m.index) + 1, endColumn: raw.replace(/\r$/, '').length + 1, used: false }];
    });
  }
  /** documentStartLines as it was first written. */
  function referenceStarts(text: string) {
    const out = [1];
    text.split('\n').forEach((l, i) => {
      if (i > 0 && /^---(?=[ \t\r\n]|$)/.test(l)) out.push(i + 1);
    });
    return out;
  }

  it('gives what reading line by line gives, on 2,000 generated texts', () => {
    const rnd = random(77);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const pieces = [
      '# sidecar-lint-disable-next-line a -- why',
      '  # sidecar-lint-disable a, b',
      'k: v # sidecar-lint-enable all',
      'k: "# sidecar-lint-disable a -- in a string"',
      '#sidecar-lint-disable-next-line -- no space',
      'x#sidecar-lint-disable a -- not after a space',
      '# sidecar-lint-disabled a -- misspelt',
      '# sidecar-lint- nothing',
      'sidecar-lint-enable',
      '# sidecar-lint-disable a -- one # sidecar-lint-enable a',
      '---',
      '--- # c',
      '---\t',
      '----',
      '---x',
      ' ---',
      '...',
      'k: v',
      '',
    ];
    let directives = 0;
    let starts = 0;
    for (let n = 0; n < 2000; n++) {
      const lines = Array.from({ length: Math.floor(rnd() * 12) }, () => pick(pieces));
      const ending = pick(['\n', '\r\n']);
      const text = lines.join(ending) + pick(['', ending, '\r']);
      const want = referenceDirectives(text);
      expect(commentDirectives(text), JSON.stringify(text)).toEqual(want);
      expect(documentStartLines(text), JSON.stringify(text)).toEqual(referenceStarts(text));
      directives += want.length;
      starts += documentStartLines(text).length - 1;
    }
    expect(directives).toBeGreaterThan(2000);
    expect(starts).toBeGreaterThan(1000);
  });
});
