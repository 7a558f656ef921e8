/**
 * The config file through the real command line (in-process `run()`, real files in temp dirs):
 * discovery and precedence, command-line overrides, ignore globs, shared settings, every validation
 * message with its line, --print-config, --init and the published JSON Schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { STARTER_CONFIG } from '../../../src/config/starter.js';
import { ENGINE_RULES } from '../../../src/config/lint-options.js';
import { at, cli, errLines, report, tempTree, writeTree } from '../../support/config.js';

/** A ConfigMap with a credential: configmap-sensitive-data at 6:3 (an error by default). */
const CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: db
data:
  DB_PASSWORD: hunter2-value
`;
const CM_AT = 'configmap-sensitive-data@6:3';

/** The severity of the only finding in the JSON report, or "none". */
async function severityIn(cwd: string, ...args: string[]): Promise<string> {
  const r = await cli(cwd, '-f', 'json', ...args, 'cm.yaml');
  const findings = report(r).findings.filter((f) => f.ruleId === 'configmap-sensitive-data');
  return findings.length === 0 ? 'none' : findings.map((f) => f.severity).join(',');
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The top-level settings, in schema order. */
const TOP_LEVEL = Object.keys(configSchema.properties as object).filter((k) => k !== '$schema');

describe('config discovery', () => {
  it('uses no config when none is found (the defaults)', async () => {
    const dir = tempTree({ 'cm.yaml': CM });
    expect(await severityIn(dir)).toBe('error');
  });

  it.each(['.sidecar-lint.yaml', '.sidecar-lint.yml'])('finds %s in the working directory', async (name) => {
    const dir = tempTree({ 'cm.yaml': CM, [name]: 'rules:\n  configmap-sensitive-data: info\n' });
    expect(await severityIn(dir)).toBe('info');
  });

  it('finds .sidecar-lint.json in the working directory', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.json': '{"rules": {"configmap-sensitive-data": "info"}}\n' });
    expect(await severityIn(dir)).toBe('info');
  });

  it('takes .yaml before .yml before .json in one directory', async () => {
    const dir = tempTree({
      'cm.yaml': CM,
      '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: info\n',
      '.sidecar-lint.yml': 'rules:\n  configmap-sensitive-data: warning\n',
      '.sidecar-lint.json': '{"rules": {"configmap-sensitive-data": "off"}}',
    });
    expect(await severityIn(dir)).toBe('info');
    fs.rmSync(path.join(dir, '.sidecar-lint.yaml'));
    expect(await severityIn(dir)).toBe('warning');
    fs.rmSync(path.join(dir, '.sidecar-lint.yml'));
    expect(await severityIn(dir)).toBe('none');
  });

  it('walks up from the working directory, and the nearest directory wins', async () => {
    const dir = tempTree({
      '.sidecar-lint.json': '{"rules": {"configmap-sensitive-data": "info"}}',
      'a/b/cm.yaml': CM,
      'a/b/c/cm.yaml': CM,
    });
    expect(await severityIn(path.join(dir, 'a', 'b'))).toBe('info');
    // A nearer .yml beats a farther .json and a farther .yaml.
    writeTree(dir, { '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: info\n', 'a/.sidecar-lint.yml': 'rules:\n  configmap-sensitive-data: warning\n' });
    expect(await severityIn(path.join(dir, 'a', 'b'))).toBe('warning');
    writeTree(dir, { 'a/b/c/.sidecar-lint.json': '{"rules": {"configmap-sensitive-data": "off"}}' });
    expect(await severityIn(path.join(dir, 'a', 'b', 'c'))).toBe('none');
    expect(await severityIn(path.join(dir, 'a', 'b'))).toBe('warning');
  });

  it('--config PATH uses that file (relative to the working directory) instead of the one found', async () => {
    const dir = tempTree({
      'cm.yaml': CM,
      '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: info\n',
      'ci/strict.yaml': 'rules:\n  configmap-sensitive-data: warning\n',
    });
    expect(await severityIn(dir, '--config', 'ci/strict.yaml')).toBe('warning');
    expect(await severityIn(dir, '-c', path.join(dir, 'ci', 'strict.yaml'))).toBe('warning');
    expect(await severityIn(dir, '--config=ci/strict.yaml')).toBe('warning');
  });

  it('--no-config ignores the config files', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: off\n' });
    expect(await severityIn(dir)).toBe('none');
    expect(await severityIn(dir, '--no-config')).toBe('error');
  });

  it('--no-config does not even read a broken config', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'rules: [\n' });
    const r = await cli(dir, '--no-config', 'cm.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('--config pointing to a missing file is exit 2, naming it, and lints nothing', async () => {
    const dir = tempTree({ 'cm.yaml': CM });
    const r = await cli(dir, '--config', 'nope.yaml', 'cm.yaml');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual(['sidecar-lint: nope.yaml:1:1: config file not found']);
    expect(r.stdout).toBe('');
  });

  it('--config and --no-config together is a usage error', async () => {
    const dir = tempTree({ 'cm.yaml': CM, 'c.yaml': '' });
    const r = await cli(dir, '--config', 'c.yaml', '--no-config', 'cm.yaml');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual(["sidecar-lint: --config and --no-config cannot be used together. Run 'sidecar-lint --help' for usage."]);
  });

  it('an empty config file is valid and changes nothing', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': '' });
    expect(await severityIn(dir)).toBe('error');
    writeTree(dir, { '.sidecar-lint.yaml': '# nothing configured yet\n' });
    expect(await severityIn(dir)).toBe('error');
    const r = await cli(dir, 'cm.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  it('a section left empty (every entry commented out) is a section not set', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'rules:\n  # configmap-sensitive-data: off\nignore:\nexemptions:\n' });
    expect(await severityIn(dir)).toBe('error');
  });

  it('accepts a $schema line, in YAML and in JSON', async () => {
    const dir = tempTree({
      'cm.yaml': CM,
      '.sidecar-lint.json': '{\n  "$schema": "./node_modules/sidecar-lint/schema/sidecar-lint.schema.json",\n  "rules": {"configmap-sensitive-data": "warning"}\n}\n',
    });
    expect(await severityIn(dir)).toBe('warning');
    writeTree(dir, { '.sidecar-lint.yaml': '$schema: ./node_modules/sidecar-lint/schema/sidecar-lint.schema.json\nrules:\n  configmap-sensitive-data: info\n' });
    expect(await severityIn(dir)).toBe('info');
  });

  it('runs the same config twice in one process (a schema is not compiled twice)', async () => {
    const config = 'rules:\n  configmap-sensitive-data: info\ncustomRules:\n  - id: named\n    message: Objects are named\n    target: object\n    schema: {$id: "https://example.com/named", required: [metadata]}\n';
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': config });
    expect(await severityIn(dir)).toBe('info');
    expect(await severityIn(dir)).toBe('info');
  });
});

describe('severities and command-line overrides', () => {
  it('takes a rule setting as a severity or as { severity, options }', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data:\n    severity: warning\n    options: {}\n' });
    expect(await severityIn(dir)).toBe('warning');
    writeTree(dir, { '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: {options: {}}\n' });
    expect(await severityIn(dir)).toBe('error');
  });

  describe('rule options reach the rule (missing-reference-key: requireObjects)', () => {
    const pod = (annotations = '', comment = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
${annotations}spec:
  containers:
    - name: app
      image: example/app:1
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
${comment}              name: db
              key: password
`;
    const only = (r: Awaited<ReturnType<typeof cli>>) => at(report(r).findings, ['missing-reference-key']);

    it('off by default, on with options: {requireObjects: true}', async () => {
      const dir = tempTree({ 'pod.yaml': pod() });
      expect(only(await cli(dir, '--no-config', '-f', 'json', 'pod.yaml'))).toEqual([]);
      writeTree(dir, { '.sidecar-lint.yaml': 'rules:\n  missing-reference-key:\n    options: {requireObjects: true}\n' });
      const r = await cli(dir, '-f', 'json', 'pod.yaml');
      expect(only(r)).toEqual(['missing-reference-key@13:15']);
      expect(report(r).findings.find((f) => f.ruleId === 'missing-reference-key')?.severity).toBe('error');
      // --rule changes the severity and keeps the options.
      const info = await cli(dir, '-f', 'json', '--rule', 'missing-reference-key=info', 'pod.yaml');
      expect(report(info).findings.filter((f) => f.ruleId === 'missing-reference-key').map((f) => f.severity)).toEqual(['info']);
    });

    it('its cross-resource findings are suppressed by annotations and comments like any other', async () => {
      const config = 'rules:\n  missing-reference-key: {options: {requireObjects: true}}\n';
      const annotated = pod('  annotations:\n    ignore.sidecar-lint.io/missing-reference-key: "Created by the operator at deploy time"\n');
      const commented = pod('', '              # sidecar-lint-disable-next-line missing-reference-key -- Created by the operator\n');
      const dir = tempTree({ 'a.yaml': annotated, 'b.yaml': commented, '.sidecar-lint.yaml': config });
      const r = report(await cli(dir, '-f', 'json', '--report-unused-suppressions', 'a.yaml', 'b.yaml'));
      expect(at(r.findings, ['missing-reference-key', 'unused-suppression'])).toEqual([]);
      expect(r.suppressed.filter((f) => f.ruleId === 'missing-reference-key').map((f) => `${f.file}@${f.line}:${f.column} ${f.suppression.kind}`)).toEqual([
        'a.yaml@15:15 annotation',
        'b.yaml@14:15 comment',
      ]);
    });

    it('a wrong option is a config error at its line', async () => {
      const dir = tempTree({ 'pod.yaml': pod(), '.sidecar-lint.yaml': 'rules:\n  missing-reference-key:\n    options:\n      requireObjects: "yes"\n      strict: true\n' });
      const r = await cli(dir, 'pod.yaml');
      expect(r.code).toBe(2);
      expect(errLines(r)).toEqual([
        'sidecar-lint: .sidecar-lint.yaml:4:7: `rules.missing-reference-key.options.requireObjects`: must be true or false',
        'sidecar-lint: .sidecar-lint.yaml:5:7: `rules.missing-reference-key.options.strict`: unknown setting "strict"; allowed: requireObjects',
      ]);
    });
  });

  it('--rule id=severity overrides the config file, and is repeatable (the last one wins)', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: off\n' });
    expect(await severityIn(dir, '--rule', 'configmap-sensitive-data=info')).toBe('info');
    expect(await severityIn(dir, '--rule', 'configmap-sensitive-data=info', '--rule', 'configmap-sensitive-data=warning')).toBe('warning');
    writeTree(dir, { '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: {severity: info}\n' });
    expect(await severityIn(dir, '--rule', 'configmap-sensitive-data=off')).toBe('none');
  });

  it('--rule with an unknown rule is exit 2 with a hint', async () => {
    const dir = tempTree({ 'cm.yaml': CM });
    const r = await cli(dir, '--rule', 'configmap-sensitive-dat=off', 'cm.yaml');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual(['sidecar-lint: --rule: unknown rule "configmap-sensitive-dat"; did you mean "configmap-sensitive-data"?']);
  });

  // B24 (reliability campaign 2026-12): `--rule __proto__=off` set the override object's prototype and was ignored.
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('--rule %s=off is an unknown rule (exit 2), like any other', async (id) => {
    const dir = tempTree({ 'cm.yaml': CM });
    for (const args of [['--rule', `${id}=off`, 'cm.yaml'], ['--rule', `${id}=off`, '--list-rules']]) {
      const r = await cli(dir, ...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(errLines(r)).toEqual([`sidecar-lint: --rule: unknown rule "${id}"`]);
    }
  });

  it('--rule with a bad severity or shape is a usage error', async () => {
    const dir = tempTree({ 'cm.yaml': CM });
    const bad = await cli(dir, '--rule', 'configmap-sensitive-data=fatal', 'cm.yaml');
    expect(bad.code).toBe(2);
    expect(errLines(bad)).toEqual([
      "sidecar-lint: Invalid severity in --rule 'configmap-sensitive-data=fatal'; expected one of off, info, warning, error. Run 'sidecar-lint --help' for usage.",
    ]);
    const shape = await cli(dir, '--rule', 'configmap-sensitive-data', 'cm.yaml');
    expect(shape.code).toBe(2);
    expect(errLines(shape)[0]).toMatch(/^sidecar-lint: Invalid --rule 'configmap-sensitive-data'; expected id=severity/);
  });

  it('configures the engine findings like rules (in the file and with --rule)', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
    const dir = tempTree({ 'dup.yaml': text, '.sidecar-lint.yaml': 'rules:\n  duplicate-key: warning\n' });
    const r = await cli(dir, '-f', 'json', 'dup.yaml');
    expect(report(r).findings.map((f) => `${f.ruleId}@${f.line}:${f.column} ${f.severity}`)).toEqual(['duplicate-key@5:3 warning']);
    const off = await cli(dir, '-f', 'json', '--rule', 'duplicate-key=off', 'dup.yaml');
    expect(report(off).findings).toEqual([]);
    expect(off.code).toBe(0);
  });

  it('sets the severity of suppression-without-reason and unused-suppression', async () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  annotations:
    ignore.sidecar-lint.io/configmap-sensitive-data: ""
    ignore.sidecar-lint.io/uncoupled-containers: "never a pod"
`;
    const dir = tempTree({ 'a.yaml': text, '.sidecar-lint.yaml': 'rules:\n  suppression-without-reason: warning\n  unused-suppression: error\n' });
    const r = await cli(dir, '-f', 'json', '--report-unused-suppressions', 'a.yaml');
    expect(report(r).findings.map((f) => `${f.ruleId}@${f.line}:${f.column} ${f.severity}`)).toEqual([
      'suppression-without-reason@6:5 warning',
      'unused-suppression@7:5 error',
    ]);
    const off = await cli(dir, '-f', 'json', '--report-unused-suppressions', '--rule', 'suppression-without-reason=off', '--rule', 'unused-suppression=off', 'a.yaml');
    expect(report(off).findings).toEqual([]);
  });

  it('--fail-on decides which severities fail the run', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: warning\n' });
    expect((await cli(dir, 'cm.yaml')).code).toBe(1);
    expect((await cli(dir, '--fail-on', 'error', 'cm.yaml')).code).toBe(0);
    expect((await cli(dir, '--fail-on', 'warning', 'cm.yaml')).code).toBe(1);
    expect((await cli(dir, '--fail-on', 'none', 'cm.yaml')).code).toBe(0);
    writeTree(dir, { '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: info\n' });
    expect((await cli(dir, 'cm.yaml')).code).toBe(0);
    expect((await cli(dir, '--fail-on', 'info', 'cm.yaml')).code).toBe(1);
    const bad = await cli(dir, '--fail-on', 'warn', 'cm.yaml');
    expect(bad.code).toBe(2);
    // ESLint's spelling gets a did-you-mean.
    expect(errLines(bad)).toEqual(["sidecar-lint: Invalid --fail-on 'warn'; did you mean 'warning'?"]);
    expect(errLines(await cli(dir, '--fail-on', 'bogus', 'cm.yaml'))).toEqual([
      "sidecar-lint: Invalid --fail-on 'bogus'; expected one of error, warning, info, none. Run 'sidecar-lint --help' for usage.",
    ]);
  });

  it('--max-warnings N fails the run when there are more than N warnings', async () => {
    const dir = tempTree({ 'a.yaml': CM, 'b.yaml': CM, '.sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: warning\n' });
    const over = await cli(dir, '--fail-on', 'error', '--max-warnings', '1', 'a.yaml', 'b.yaml');
    expect(over.code).toBe(1);
    expect(errLines(over)).toEqual(['sidecar-lint: 2 warnings, more than --max-warnings 1.']);
    const at2 = await cli(dir, '--fail-on', 'error', '--max-warnings', '2', 'a.yaml', 'b.yaml');
    expect(at2.code).toBe(0);
    expect(at2.stderr).toBe('');
    // Errors still fail the run under --fail-on, whatever --max-warnings says.
    expect((await cli(dir, '--max-warnings', '5', 'a.yaml')).code).toBe(1);
    const bad = await cli(dir, '--max-warnings', 'many', 'a.yaml');
    expect(bad.code).toBe(2);
    expect(errLines(bad)).toEqual(["sidecar-lint: Invalid --max-warnings 'many'; expected a whole number. Run 'sidecar-lint --help' for usage."]);
  });
});

describe('ignore globs', () => {
  it('config `ignore:` globs are relative to the config file, not the working directory', async () => {
    const dir = tempTree({
      '.sidecar-lint.yaml': 'ignore:\n  - app/legacy/*.yaml\n',
      'app/legacy/old.yaml': CM,
      'app/legacy/deeper/old.yaml': CM,
      'app/new.yaml': CM,
    });
    const r = await cli(path.join(dir, 'app'), '-f', 'json', '.');
    const files = report(r).findings.map((f) => f.file);
    expect(files).toEqual(['legacy/deeper/old.yaml', 'new.yaml']);
    expect(report(r).summary.files).toBe(2);
  });

  it('a glob without a slash matches a name at any depth; ** crosses directories; {a,b} alternates', async () => {
    const dir = tempTree({
      '.sidecar-lint.yaml': 'ignore:\n  - "*.generated.yaml"\n  - "charts/**/templates/"\n  - "{tmp,out}/"\n',
      'a.generated.yaml': CM,
      'x/y/b.generated.yaml': CM,
      'charts/web/templates/d.yaml': CM,
      'charts/web/values.yaml': CM,
      'tmp/e.yaml': CM,
      'out/f.yaml': CM,
      'keep.yaml': CM,
    });
    const r = await cli(dir, '-f', 'json', '.');
    expect(report(r).findings.map((f) => f.file).sort()).toEqual(['charts/web/values.yaml', 'keep.yaml']);
  });

  it('a glob starting with ./ or / is anchored at the config file directory', async () => {
    const dir = tempTree({
      '.sidecar-lint.yaml': 'ignore: ["./generated/", "/build"]\n',
      'generated/a.yaml': CM,
      'app/generated/b.yaml': CM,
      'build/c.yaml': CM,
      'app/build/d.yaml': CM,
    });
    const r = await cli(dir, '-f', 'json', '.');
    expect(report(r).findings.map((f) => f.file).sort()).toEqual(['app/build/d.yaml', 'app/generated/b.yaml']);
  });

  it('--ignore-pattern is relative to the working directory, repeatable, and adds to the config', async () => {
    const dir = tempTree({
      '.sidecar-lint.yaml': 'ignore: ["a.yaml"]\n',
      'sub/a.yaml': CM,
      'sub/b.yaml': CM,
      'sub/c/d.yaml': CM,
      'sub/e.yaml': CM,
    });
    const r = await cli(path.join(dir, 'sub'), '-f', 'json', '--ignore-pattern', 'c/**', '--ignore-pattern', 'b.yaml', '.');
    expect(report(r).findings.map((f) => f.file)).toEqual(['e.yaml']);
  });

  it('an ignored file named on the command line is not linted either', async () => {
    const dir = tempTree({ 'cm.yaml': CM, 'other.yaml': CM });
    const r = await cli(dir, '-f', 'json', '--ignore-pattern', 'cm.yaml', 'cm.yaml', 'other.yaml');
    expect(report(r).findings.map((f) => f.file)).toEqual(['other.yaml']);
  });
});

describe('shared settings', () => {
  const WORD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  ZORBLAX: "k8Qz1-p4Lm9-Xw2Rv"
`;

  it('credentialWords adds words that name a credential', async () => {
    const dir = tempTree({ 'cm.yaml': WORD });
    expect(at(report(await cli(dir, '--no-config', '-f', 'json', 'cm.yaml')).findings)).toEqual([]);
    writeTree(dir, { '.sidecar-lint.yaml': 'settings:\n  credentialWords: [zorblax]\n' });
    expect(at(report(await cli(dir, '-f', 'json', 'cm.yaml')).findings)).toEqual(['configmap-sensitive-data@6:3']);
  });

  it('allowedKeys names keys that are never credentials', async () => {
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': 'settings:\n  allowedKeys: [db_password]\n' });
    expect(at(report(await cli(dir, '-f', 'json', 'cm.yaml')).findings)).toEqual([]);
  });

  it('mainContainerAnnotation names the annotation that picks the main container', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    example.com/main: app
spec:
  containers:
    - name: front
      image: example/front:1
      ports: [{containerPort: 8080}]
    - name: app
      image: example/app:1
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef: {name: creds, key: token}
`;
    const dir = tempTree({ 'pod.yaml': pod });
    const only = ['secret-in-main-container'];
    // By default the first container (front) is the main one, and it receives no Secret.
    expect(at(report(await cli(dir, '--no-config', '-f', 'json', 'pod.yaml')).findings, only)).toEqual([]);
    writeTree(dir, { '.sidecar-lint.yaml': 'settings:\n  mainContainerAnnotation: example.com/main\n' });
    const r = report(await cli(dir, '-f', 'json', 'pod.yaml'));
    expect(at(r.findings, only)).toEqual(['secret-in-main-container@15:11']);
    expect(r.findings.find((f) => f.ruleId === 'secret-in-main-container')?.container).toBe('app');
  });

  it('namespace and kubeVersion: from the config, overridden by --namespace and --kube-version', async () => {
    const dir = tempTree({ '.sidecar-lint.yaml': 'settings:\n  namespace: prod\n  kubeVersion: v1.29.3\n' });
    const shown = JSON.parse((await cli(dir, '--print-config', 'x.yaml')).stdout) as { settings: Record<string, unknown> };
    expect(shown.settings).toMatchObject({ namespace: 'prod', kubeVersion: '1.29' });
    const over = JSON.parse((await cli(dir, '--namespace', 'dev', '--kube-version', '1.31', '--print-config', 'x.yaml')).stdout) as {
      settings: Record<string, unknown>;
    };
    expect(over.settings).toMatchObject({ namespace: 'dev', kubeVersion: '1.31' });
  });
});

describe('config validation: exit 2, one line per problem naming file, line, column and setting', () => {
  /** [what, config file name, text, expected stderr lines]. */
  const CASES: [string, string, string, string[]][] = [
    [
      'unknown top-level key (with a hint)',
      '.sidecar-lint.yaml',
      'rule:\n  uncoupled-containers: off\n',
      [
        `sidecar-lint: .sidecar-lint.yaml:1:1: \`rule\`: unknown setting "rule"; did you mean "rules"? allowed: ${TOP_LEVEL.join(', ')}`,
      ],
    ],
    [
      'bad severity',
      '.sidecar-lint.yaml',
      '# severities\nrules:\n  secret-in-main-container: fatal\n',
      ['sidecar-lint: .sidecar-lint.yaml:3:3: `rules.secret-in-main-container`: must be one of off, info, warning, error'],
    ],
    [
      'bad severity in { severity }',
      '.sidecar-lint.yaml',
      'rules:\n  secret-in-main-container:\n    severity: high\n',
      ['sidecar-lint: .sidecar-lint.yaml:3:5: `rules.secret-in-main-container.severity`: must be one of off, info, warning, error'],
    ],
    [
      'a rule setting that is neither',
      '.sidecar-lint.yaml',
      'rules:\n  uncoupled-containers: 2\n',
      ['sidecar-lint: .sidecar-lint.yaml:2:3: `rules.uncoupled-containers`: must be one of off, info, warning, error, or { severity, options }'],
    ],
    [
      'unknown key in a rule setting',
      '.sidecar-lint.yaml',
      'rules:\n  uncoupled-containers: {level: error}\n',
      ['sidecar-lint: .sidecar-lint.yaml:2:26: `rules.uncoupled-containers.level`: unknown setting "level"; allowed: severity, options'],
    ],
    [
      'unknown rule id, with a "did you mean" hint',
      '.sidecar-lint.yaml',
      'rules:\n  uncoupled-container: off\n  frobnicate: warning\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:2:3: `rules.uncoupled-container`: unknown rule "uncoupled-container"; did you mean "uncoupled-containers"?',
        'sidecar-lint: .sidecar-lint.yaml:3:3: `rules.frobnicate`: unknown rule "frobnicate"',
      ],
    ],
    [
      'options for a rule that takes none',
      '.sidecar-lint.yaml',
      'rules:\n  secret-in-main-container:\n    options:\n      strict: true\n',
      ['sidecar-lint: .sidecar-lint.yaml:4:7: `rules.secret-in-main-container.options.strict`: unknown setting "strict"; none are allowed here'],
    ],
    [
      'options for an engine finding',
      '.sidecar-lint.yaml',
      'rules:\n  parse-error: {options: {x: 1}}\n',
      ['sidecar-lint: .sidecar-lint.yaml:2:27: `rules.parse-error.options.x`: unknown setting "x"; none are allowed here'],
    ],
    [
      'rules that is not a mapping',
      '.sidecar-lint.yaml',
      'rules: [uncoupled-containers]\n',
      ['sidecar-lint: .sidecar-lint.yaml:1:1: `rules`: must be a mapping of rule id to severity'],
    ],
    ['ignore: "x"', '.sidecar-lint.yaml', 'ignore: "x"\n', ['sidecar-lint: .sidecar-lint.yaml:1:1: `ignore`: must be a list']],
    [
      'wrong types in settings, an unknown setting, a bad kubeVersion',
      '.sidecar-lint.yaml',
      'settings:\n  namespace: 3\n  credentialWords: bearer\n  kubeVersion: latest\n  mainContainer: app\n  allowedKeys: [""]\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:2:3: `settings.namespace`: must be a string',
        'sidecar-lint: .sidecar-lint.yaml:3:3: `settings.credentialWords`: must be a list',
        'sidecar-lint: .sidecar-lint.yaml:4:3: `settings.kubeVersion`: must be a Kubernetes version such as "1.29"',
        'sidecar-lint: .sidecar-lint.yaml:5:3: `settings.mainContainer`: unknown setting "mainContainer"; did you mean "mainContainerAnnotation"? allowed: credentialWords, allowedKeys, mainContainerAnnotation, namespace, kubeVersion',
        'sidecar-lint: .sidecar-lint.yaml:6:17: `settings.allowedKeys[0]`: must not be empty',
      ],
    ],
    [
      'exemptions: without reason, empty reason, unknown rule, no selector, not a list',
      '.sidecar-lint.yaml',
      'exemptions:\n  - containers: istio-proxy\n  - reason: ""\n    rules: [secret-in-main-containr, duplicate-key]\n  - reason: everything\n  - containers: [a]\n    reason: fine\n    why: x\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:2:5: `exemptions[0]`: missing required setting "reason"',
        'sidecar-lint: .sidecar-lint.yaml:3:5: `exemptions[1].reason`: must not be empty',
        'sidecar-lint: .sidecar-lint.yaml:4:13: `exemptions[1].rules[0]`: unknown rule "secret-in-main-containr"; did you mean "secret-in-main-container"?',
        'sidecar-lint: .sidecar-lint.yaml:4:38: `exemptions[1].rules[1]`: "duplicate-key" is a finding of the engine, which exemptions do not cover; set `rules: { duplicate-key: off }` instead',
        'sidecar-lint: .sidecar-lint.yaml:5:5: `exemptions[2]`: must name at least one of objects, kinds, namespaces, containers, rules (an exemption of everything would switch the linter off)',
        'sidecar-lint: .sidecar-lint.yaml:8:5: `exemptions[3].why`: unknown setting "why"; allowed: objects, kinds, namespaces, containers, rules, reason',
      ],
    ],
    [
      'exemption names and container globs that are neither a name nor a list of names',
      '.sidecar-lint.yaml',
      'exemptions:\n  - objects: 3\n    reason: r\n  - containers: []\n    reason: r\n  - containers: [istio-proxy, 7]\n    reason: r\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:2:5: `exemptions[0].objects`: must be a non-empty string or a non-empty list',
        'sidecar-lint: .sidecar-lint.yaml:4:5: `exemptions[1].containers`: must be a non-empty string or a non-empty list',
        'sidecar-lint: .sidecar-lint.yaml:6:31: `exemptions[2].containers[1]`: must be a string',
      ],
    ],
    [
      'an unquoted kubeVersion (a YAML number)',
      '.sidecar-lint.yaml',
      'settings:\n  kubeVersion: 1.30\n',
      ['sidecar-lint: .sidecar-lint.yaml:2:3: `settings.kubeVersion`: must be a quoted string such as "1.29" (unquoted, 1.30 is the number 1.3)'],
    ],
    ['exemptions that is not a list', '.sidecar-lint.yaml', 'exemptions: {containers: x}\n', ['sidecar-lint: .sidecar-lint.yaml:1:1: `exemptions`: must be a list']],
    [
      'custom rule with a bad id, a bad target, missing fields',
      '.sidecar-lint.yaml',
      'customRules:\n  - id: No_Latest\n    message: Pinned images\n    target: pod\n    schema: {}\n  - id: ok\n    target: object\n    schema: {}\n    severity: off\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:2:5: `customRules[0].id`: must be lowercase letters and digits in words joined by dashes (e.g. "no-latest-tag")',
        'sidecar-lint: .sidecar-lint.yaml:4:5: `customRules[0].target`: must be one of object, podSpec, container, mainContainer, sidecar',
        'sidecar-lint: .sidecar-lint.yaml:6:5: `customRules[1]`: missing required setting "message"',
        'sidecar-lint: .sidecar-lint.yaml:9:5: `customRules[1].severity`: must be one of info, warning, error',
      ],
    ],
    [
      'custom rule ids that are taken',
      '.sidecar-lint.yaml',
      'customRules:\n  - {id: uncoupled-containers, message: m, target: object, schema: {}}\n  - {id: parse-error, message: m, target: object, schema: {}}\n  - {id: mine, message: m, target: object, schema: {}}\n  - {id: mine, message: m, target: object, schema: {}}\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:2:6: `customRules[0].id`: "uncoupled-containers" is already a rule id; choose another',
        'sidecar-lint: .sidecar-lint.yaml:3:6: `customRules[1].id`: "parse-error" is already a rule id; choose another',
        'sidecar-lint: .sidecar-lint.yaml:5:6: `customRules[3].id`: "mine" is already the id of an earlier custom rule',
      ],
    ],
    [
      'custom rule schema that does not compile',
      '.sidecar-lint.yaml',
      'customRules:\n  - id: mine\n    message: m\n    target: object\n    schema: {type: thing}\n',
      [
        'sidecar-lint: .sidecar-lint.yaml:5:5: `customRules[0].schema`: not a valid JSON Schema: schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf',
      ],
    ],
    [
      'plugins that is not a list of strings',
      '.sidecar-lint.yaml',
      'plugins: [1]\n',
      ['sidecar-lint: .sidecar-lint.yaml:1:11: `plugins[0]`: must be a string'],
    ],
    ['a config that is not a mapping', '.sidecar-lint.yaml', '- rules\n', ['sidecar-lint: .sidecar-lint.yaml:1:1: the config must be a mapping of settings']],
    [
      'invalid YAML',
      '.sidecar-lint.yaml',
      'rules:\n  uncoupled-containers: off\n   secret-in-main-container: off\n',
      ['sidecar-lint: .sidecar-lint.yaml:2:25: not valid YAML or JSON: Nested mappings are not allowed in compact mappings'],
    ],
    [
      'a key given twice',
      '.sidecar-lint.yaml',
      'rules: {}\nignore: []\nrules: {}\n',
      ['sidecar-lint: .sidecar-lint.yaml:3:1: not valid YAML or JSON: Map keys must be unique'],
    ],
    [
      'JSON config: positions are lines and columns of the JSON text',
      '.sidecar-lint.json',
      '{\n  "rules": {\n    "uncoupled-containers": "of"\n  },\n  "ignore": "x"\n}\n',
      [
        'sidecar-lint: .sidecar-lint.json:3:5: `rules.uncoupled-containers`: must be one of off, info, warning, error',
        'sidecar-lint: .sidecar-lint.json:5:3: `ignore`: must be a list',
      ],
    ],
    ['invalid JSON', '.sidecar-lint.json', '{\n  "rules": {,}\n}\n', ['sidecar-lint: .sidecar-lint.json:2:13: not valid YAML or JSON: Unexpected , in flow map']],
  ];

  it.each(CASES)('%s', async (_what, name, text, expected) => {
    const dir = tempTree({ 'cm.yaml': CM, [name]: text });
    const r = await cli(dir, 'cm.yaml');
    expect(errLines(r)).toEqual(expected);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('names the config file as given to --config, relative to the working directory', async () => {
    const dir = tempTree({ 'cm.yaml': CM, 'ci/lint.yaml': 'rules:\n  uncoupled-containers: loud\n' });
    const r = await cli(dir, '--config', 'ci/lint.yaml', 'cm.yaml');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual(['sidecar-lint: ci/lint.yaml:2:3: `rules.uncoupled-containers`: must be one of off, info, warning, error']);
  });

  it('names a config found in a parent directory by its path from the working directory', async () => {
    const dir = tempTree({ 'sub/cm.yaml': CM, '.sidecar-lint.yaml': 'ignore: x\n' });
    const r = await cli(path.join(dir, 'sub'), 'cm.yaml');
    expect(errLines(r)).toEqual(['sidecar-lint: ../.sidecar-lint.yaml:1:1: `ignore`: must be a list']);
  });

  // B25 (reliability campaign 2026-12): discovery walked to `/`, so a config in any parent
  // directory (a shared temporary or work directory) applied to a repository below it.
  it('config discovery stops at the repository root (a directory holding .git)', async () => {
    const dir = tempTree({ '.sidecar-lint.yaml': 'ignore: ["**"]\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/k8s/cm.yaml': CM });
    const r = await cli(path.join(dir, 'repo/k8s'), '-f', 'json', '--print-config', 'cm.yaml');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { configFile: string | null; ignored: boolean })).toMatchObject({ configFile: null, ignored: false });
    const lint = await cli(path.join(dir, 'repo'), '-f', 'compact', 'k8s/');
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('k8s/cm.yaml:6:3: error configmap-sensitive-data');
    // A worktree or submodule has a .git file: the same boundary.
    fs.rmSync(path.join(dir, 'repo/.git'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repo/.git'), 'gitdir: ../elsewhere\n');
    expect(JSON.parse((await cli(path.join(dir, 'repo/k8s'), '--print-config', 'cm.yaml')).stdout).configFile).toBe(null);
  });

  it('the repository root\'s own config is found from below it', async () => {
    const dir = tempTree({ 'repo/.sidecar-lint.yaml': 'ignore: x\n', 'repo/.git/HEAD': 'x', 'repo/k8s/cm.yaml': CM });
    const r = await cli(path.join(dir, 'repo/k8s'), 'cm.yaml');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual(['sidecar-lint: ../.sidecar-lint.yaml:1:1: `ignore`: must be a list']);
  });

  it('stops --list-rules and --print-config too', async () => {
    const dir = tempTree({ '.sidecar-lint.yaml': 'ignore: x\n' });
    expect((await cli(dir, '--list-rules')).code).toBe(2);
    expect((await cli(dir, '--print-config', 'x.yaml')).code).toBe(2);
  });
});

describe('--print-config', () => {
  it('prints the effective config for a file as JSON', async () => {
    const dir = tempTree({
      '.sidecar-lint.yaml': [
        'rules:',
        '  configmap-sensitive-data: warning',
        '  uncoupled-containers: {severity: off}',
        'ignore: ["generated/"]',
        'settings:',
        '  credentialWords: [zorblax]',
        'exemptions:',
        '  - containers: istio-proxy',
        '    rules: [uncoupled-containers]',
        '    reason: Injected by Istio',
        'customRules:',
        '  - id: team-label',
        '    message: Pods carry a team label',
        '    target: object',
        '    schema: {required: [metadata]}',
        '',
      ].join('\n'),
      'generated/x.yaml': CM,
    });
    const r = await cli(dir, '--rule', 'secret-in-main-container=info', '--print-config', 'generated/x.yaml');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const shown = JSON.parse(r.stdout) as Record<string, any>;
    expect(shown.file).toBe('generated/x.yaml');
    expect(shown.configFile).toBe('.sidecar-lint.yaml');
    expect(shown.ignored).toBe(true);
    expect(shown.rules['configmap-sensitive-data']).toEqual({ severity: 'warning', options: {} });
    expect(shown.rules['uncoupled-containers'].severity).toBe('off');
    expect(shown.rules['secret-in-main-container'].severity).toBe('info');
    expect(shown.rules['team-label']).toEqual({ severity: 'warning', options: {} });
    for (const [id, meta] of Object.entries(ENGINE_RULES)) expect(shown.rules[id]?.severity, id).toBe(meta.severity);
    expect(shown.settings.credentialWords).toEqual(['zorblax']);
    expect(shown.exemptions).toEqual([{ containers: ['istio-proxy'], rules: ['uncoupled-containers'], reason: 'Injected by Istio' }]);
    expect(shown.customRules).toEqual(['team-label']);
    const other = JSON.parse((await cli(dir, '--print-config', 'app/y.yaml')).stdout) as Record<string, any>;
    expect(other.ignored).toBe(false);
  });

  it('never reads or prints the file it is asked about (which may hold secrets)', async () => {
    const secret = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: CANARY-hunter2\n';
    const dir = tempTree({ 'cm.yaml': secret });
    const r = await cli(dir, '--no-config', '--print-config', 'cm.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('CANARY');
    expect(JSON.parse(r.stdout)).toMatchObject({ file: 'cm.yaml', configFile: null, ignored: false });
  });
});

describe('--init', () => {
  it('writes the commented starter config, which is valid and is then used', async () => {
    const dir = tempTree({ 'cm.yaml': CM });
    const r = await cli(dir, '--init');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Wrote .sidecar-lint.yaml\n');
    const written = fs.readFileSync(path.join(dir, '.sidecar-lint.yaml'), 'utf8');
    expect(written).toBe(STARTER_CONFIG);
    expect(written).toMatch(/^# /);
    const lint = await cli(dir, '-f', 'json', 'cm.yaml');
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(1);
    expect(at(report(lint).findings)).toEqual([CM_AT]);
    const shown = JSON.parse((await cli(dir, '--print-config', 'cm.yaml')).stdout) as Record<string, unknown>;
    expect(shown.configFile).toBe('.sidecar-lint.yaml');
  });

  it('the starter config stays valid with every commented example switched on', async () => {
    // Uncomment the examples: `  # - x` → `  - x`, `  #   y` → `    y`, and turn `key: []` into `key:`.
    const uncommented = STARTER_CONFIG.replace(/^(\w+): \[\]\n((?: {2}# .*\n)+)/gm, (_all, key: string, body: string) => `${key}:\n${body.replace(/^ {2}# /gm, '  ')}`);
    expect(uncommented).toContain('\n  - containers: istio-proxy\n');
    expect(uncommented).toContain('\n  - id: sidecar-memory-limit\n');
    const dir = tempTree({ 'cm.yaml': CM, '.sidecar-lint.yaml': uncommented });
    const r = await cli(dir, '-f', 'json', 'cm.yaml');
    expect(r.stderr).toBe('');
    expect(at(report(r).findings)).toEqual([CM_AT]);
  });

  it('refuses to overwrite an existing config (exit 2)', async () => {
    const dir = tempTree({ '.sidecar-lint.yaml': 'rules: {}\n' });
    const r = await cli(dir, '--init');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual(['sidecar-lint: .sidecar-lint.yaml already exists; not overwriting it.']);
    expect(fs.readFileSync(path.join(dir, '.sidecar-lint.yaml'), 'utf8')).toBe('rules: {}\n');
  });

  it.each(['.sidecar-lint.yml', '.sidecar-lint.json'])('refuses when %s exists (the new file would shadow it)', async (name) => {
    const dir = tempTree({ [name]: '{}\n' });
    const r = await cli(dir, '--init');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual([`sidecar-lint: ${name} already exists; not overwriting it.`]);
    expect(fs.existsSync(path.join(dir, '.sidecar-lint.yaml'))).toBe(false);
  });
});

describe('the published JSON Schema', () => {
  const file = path.join(ROOT, 'schema', 'sidecar-lint.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('is the schema the code validates with (run `npm run build:schema` after changing it)', () => {
    expect(schema).toEqual(configSchema);
  });

  it('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    expect(() => new Ajv({ strict: true }).compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('accepts the starter config', () => {
    expect(validate(parseYaml(STARTER_CONFIG)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts a full config', () => {
    const config = {
      $schema: './node_modules/sidecar-lint/schema/sidecar-lint.schema.json',
      rules: { 'uncoupled-containers': 'off', 'secret-in-main-container': { severity: 'error', options: {} } },
      ignore: ['generated/'],
      settings: { credentialWords: ['bearer'], allowedKeys: ['PASSWORD_POLICY'], mainContainerAnnotation: 'x/y', namespace: 'prod', kubeVersion: '1.29' },
      exemptions: [{ objects: 'legacy-*', kinds: ['Deployment'], namespaces: ['prod'], containers: ['istio-proxy'], rules: ['uncoupled-containers'], reason: 'Istio' }],
      customRules: [{ id: 'team-label', severity: 'error', message: 'm', target: 'object', match: { kinds: ['Pod'], namespaces: ['a'], labels: { tier: 'web' } }, schema: {} }],
      plugins: ['./plugin.mjs'],
    };
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects a bad config, naming each problem', () => {
    const bad = { rule: {}, rules: { 'uncoupled-containers': 'fatal' }, ignore: 'x', exemptions: [{ containers: 'a' }], customRules: [{ id: 'X', message: 'm', target: 'pod', schema: {} }] };
    expect(validate(bad)).toBe(false);
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        ' additionalProperties',
        '/rules/uncoupled-containers enum',
        '/ignore type',
        '/exemptions/0 required',
        '/customRules/0/id pattern',
        '/customRules/0/target enum',
      ]),
    );
  });
});

describe('the README Configuration section', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  const configs = blocks.filter((b) => b.lang === 'yaml' && b.text.startsWith('# .sidecar-lint.yaml\n'));
  const plugin = blocks.find((b) => b.lang === 'js');

  it('has config examples and a plugin', () => {
    expect(start).toBeGreaterThan(0);
    expect(configs.length).toBeGreaterThanOrEqual(4);
    expect(plugin?.text).toContain('export const rules');
  });

  it.each(configs.map((c, i) => [i, c.text] as const))('config example %i is valid', async (_i, text) => {
    const dir = tempTree({ '.sidecar-lint.yaml': text, 'cm.yaml': CM, 'acme-rules.mjs': plugin!.text });
    // The plugin example needs permission (plugins are code); the others run as they are.
    const r = await cli(dir, ...(text.includes('plugins: [./') ? ['--allow-plugins'] : []), '-f', 'json', 'cm.yaml');
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
  });

  it('the plugin example reports what it says', async () => {
    const config = configs.find((c) => c.text.includes('plugins: [./acme-rules.mjs]'))!.text;
    const dir = tempTree({ '.sidecar-lint.yaml': config, 'cm.yaml': CM, 'acme-rules.mjs': plugin!.text });
    const r = report(await cli(dir, '--allow-plugins', '-f', 'json', 'cm.yaml'));
    expect(r.findings.filter((f) => f.ruleId === 'acme/require-owner').map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`)).toEqual([
      '3:1 error ConfigMap "db" has no acme.example/team annotation.',
    ]);
  });

  it('the comment example suppresses every finding it shows, each with its reason', async () => {
    const example = blocks.find((b) => b.lang === 'yaml' && b.text.includes('# sidecar-lint-disable-next-line'))!.text;
    const dir = tempTree({ 'demo.yaml': example });
    const r = await cli(dir, '--no-config', '-f', 'json', 'demo.yaml');
    const json = report(r);
    expect(json.findings).toEqual([]);
    expect(json.suppressed.map((f) => `${f.line} ${f.suppression.justification}`)).toEqual([
      '7 Published demo credentials',
      '9 Test data for the e2e suite',
      '10 Test data for the e2e suite',
    ]);
    expect(r.code).toBe(0);
  });
});
