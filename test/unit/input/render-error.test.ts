/**
 * Renders that never reach outside and never leak (issue 14: B2, B6, B8, B26; issue 16: render-error).
 *
 * - `render-error` findings: helm missing, a failed render, a remote Kustomize base, `helmCharts`; on
 *   Chart.yaml / the kustomization file, at the entry's line, exit code from findings.
 * - The renderer's stderr is reduced to its first error line with values masked: a canary test runs
 *   every output format, every renderer error path (stand-in tools that quote the canaries, and the
 *   real kubectl's own messages from the report when kubectl is installed) and the Action.
 * - Remote entries are refused before kustomize runs; kustomize and helm run with a reduced environment.
 * - Helm `# Source:` comments name template files only inside the chart / working directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../../src/app/action.js';
import { FORMAT_NAMES } from '../../../src/format/index.js';
import { templatePath } from '../../../src/input/render/render.js';
import { firstErrorLine, isRemoteEntry, maskRendererText, renderEnvironment, renderErrorText } from '../../../src/input/render/render-error.js';
import { runCli, type CliResult } from '../../support/lint.js';
import type { JsonFinding } from '../../../src/format/json.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-render-error-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let dirs = 0;
function tree(files: Record<string, string>): string {
  const dir = path.join(tmp, `t${++dirs}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function report(r: CliResult): JsonFinding[] {
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}
/** `rule file:line:column` of the findings (of one rule; by default of render-error and uncoupled-containers). */
function at(r: CliResult, rule?: string): string[] {
  return report(r)
    .filter((f) => (rule === undefined ? ['render-error', 'uncoupled-containers', 'configmap-sensitive-data'].includes(f.ruleId) : f.ruleId === rule))
    .map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
}

/**
 * A directory of stand-in tools (node scripts): `kubectl` and `helm` that record that they ran and
 * their environment, then fail with the given stderr (or print `stdout`).
 */
function standIns(name: string, tools: Record<string, { stderr?: string; stdout?: string }>): { bin: string; ran: (tool: string) => Record<string, string> | undefined } {
  const bin = path.join(tmp, `bin-${name}`);
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const [tool, does] of Object.entries(tools)) {
    const log = path.join(bin, `${tool}.ran.json`);
    fs.writeFileSync(
      path.join(bin, tool),
      `#!${process.execPath}\n` +
        `require('node:fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.env));\n` +
        (does.stderr !== undefined
          ? `process.stderr.write(${JSON.stringify(does.stderr)}); process.exit(1);\n`
          : `process.stdout.write(${JSON.stringify(does.stdout ?? '')});\n`),
      { mode: 0o755 },
    );
  }
  return {
    bin,
    ran: (tool) => {
      const log = path.join(bin, `${tool}.ran.json`);
      if (!fs.existsSync(log)) return undefined;
      const env = JSON.parse(fs.readFileSync(log, 'utf8')) as Record<string, string>;
      fs.rmSync(log);
      return env;
    },
  };
}

// kubectl v1.32's stderr for the report's B2 kustomizations (recorded; the real tool is run below too).
const KUBECTL_STDERR = {
  helmCharts:
    'E1206 00:19:41.707213    5704 run.go:72] "command failed" err=<\n\ttrouble configuring builtin HelmChartInflationGenerator with config: `\n\tname: redis\n\tvaluesInline:\n\t  password: helm-CANARY-inline\n\t`: must specify --enable-helm\n >\n',
  literal:
    'E1206 00:19:41.754773    5709 run.go:72] "command failed" err="loading KV pairs: literal sources [password:hunter2-CANARY-typo]: invalid literal source password:hunter2-CANARY-typo, expected key=value"\n',
  noKey:
    'E1206 00:19:41.801926    5714 run.go:72] "command failed" err="loading KV pairs: literal sources [hunter2-CANARY-nokey]: invalid literal source hunter2-CANARY-nokey, expected key=value"\n',
  replacement:
    'E1206 00:19:41.850004    5720 run.go:72] "command failed" err=<\n\tunable to find field "stringData.password.host" in replacement target: wrong node kind: expected MappingNode but got ScalarNode: node contents:\n\trepl-CANARY-secretvalue\n >\n',
};

describe('the first error line, masked', () => {
  const context = { cwd: tmp, dir: tmp };

  it('takes the first line of kubectl’s error, without klog’s prefix', () => {
    expect(firstErrorLine(KUBECTL_STDERR.helmCharts)).toBe('trouble configuring builtin HelmChartInflationGenerator with config: `');
    expect(firstErrorLine(KUBECTL_STDERR.literal)).toMatch(/^loading KV pairs: /);
    expect(firstErrorLine('walk.go:74: found symbolic link in path\nError: template: a/templates/x.yaml:3:4: bad\nmore\n')).toBe('Error: template: a/templates/x.yaml:3:4: bad');
  });

  it.each([
    ['literal', 'loading KV pairs: literal sources […]: invalid literal source …, expected key=value'],
    ['noKey', 'loading KV pairs: literal sources […]: invalid literal source …, expected key=value'],
    ['replacement', 'unable to find field "…" in replacement target: wrong node kind: expected MappingNode but got ScalarNode: node contents:'],
    ['helmCharts', 'trouble configuring builtin HelmChartInflationGenerator with config: `'],
  ] as const)('%s: only the words of error messages are kept', (name, expected) => {
    const { text, masked } = renderErrorText(KUBECTL_STDERR[name], context);
    expect(text).toBe(expected);
    expect(text).not.toContain('CANARY');
    if (name === 'literal') expect(masked).toEqual(['password:hunter2-CANARY-typo', 'password:hunter2-CANARY-typo']);
  });

  it('keeps the names of files that exist under the working directory, with positions, and line numbers', () => {
    const dir = tree({ 'chart/templates/x.yaml': 'x: 1\n' });
    expect(maskRendererText('Error: template: chart/templates/x.yaml:14:16: executing "x.env" at <.Values.token>: nil pointer', { cwd: dir, dir }).text).toBe(
      'Error: template: chart/templates/x.yaml:14:16: executing "…" at <…>: nil pointer',
    );
    expect(maskRendererText('error converting YAML to JSON: yaml: line 12: did not find expected key', { cwd: dir, dir }).text).toBe(
      'error converting YAML to JSON: yaml: line 12: did not find expected key',
    );
    // A file outside the working directory is not named, nor is a number that is not a line.
    expect(maskRendererText(`open /etc/passwd: permission denied 4242`, { cwd: dir, dir }).text).toBe('open …: permission denied …');
  });
});

describe('render-error findings (stand-in tools)', () => {
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: plain\nspec:\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n';

  it('a failed kustomize render: the finding is on the kustomization, at the line of the first masked word; raw files linted; exit 1 from findings', async () => {
    const tools = standIns('literal', { kubectl: { stderr: KUBECTL_STDERR.literal } });
    const dir = tree({
      'k8s/kustomization.yaml': 'resources:\n  - pod.yaml\nsecretGenerator:\n  - name: db\n    literals:\n      - password:hunter2-CANARY-typo\n',
      'k8s/pod.yaml': POD,
    });
    const r = await runCli(['-f', 'json', 'k8s'], { cwd: dir, env: { PATH: tools.bin } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(at(r)).toEqual(['render-error k8s/kustomization.yaml:6:9', 'uncoupled-containers k8s/pod.yaml:9:7']);
    expect(report(r)[0]).toMatchObject({
      severity: 'error',
      message:
        'Kustomize directory not rendered: `kubectl kustomize k8s` failed: loading KV pairs: literal sources […]: invalid literal source …, expected key=value; its files were linted as plain YAML',
    });
  });

  it('its severity is configurable like any finding: --rule render-error=warning, --fail-on error → exit 0', async () => {
    const tools = standIns('severity', { kubectl: { stderr: 'Error: broken\n' } });
    const dir = tree({ 'k8s/kustomization.yaml': 'resources: [cm.yaml]\n', 'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    const r = await runCli(['-f', 'json', '--rule', 'render-error=warning', '--fail-on', 'error', 'k8s'], { cwd: dir, env: { PATH: tools.bin } });
    expect(r.code).toBe(0);
    expect(report(r).map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['render-error warning']);
    const off = await runCli(['-f', 'json', '--rule', 'render-error=off', 'k8s'], { cwd: dir, env: { PATH: tools.bin } });
    expect(off.code).toBe(0);
    expect(report(off)).toEqual([]);
  });

  it('B26: helmCharts is a render-error at its key saying Helm rendering is off; kustomize never runs; exit 1, not 2', async () => {
    const tools = standIns('helmcharts', { kubectl: { stdout: '' } });
    const dir = tree({
      'k8s/kustomization.yaml': 'resources:\n  - pod.yaml\nhelmCharts:\n  - name: redis\n    valuesInline:\n      password: helm-CANARY-inline\n',
      'k8s/pod.yaml': POD,
    });
    const r = await runCli(['-f', 'json', 'k8s'], { cwd: dir, env: { PATH: tools.bin } });
    expect(tools.ran('kubectl')).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(at(r)).toEqual(['render-error k8s/kustomization.yaml:3:1', 'uncoupled-containers k8s/pod.yaml:9:7']);
    expect(report(r)[0]!.message).toBe(
      'Kustomize directory not rendered: `helmCharts` needs Helm, which is off in Kustomize renders (it would run helm and fetch charts); its files were linted as plain YAML. To lint the chart, pipe a render: kustomize build --enable-helm DIR | sidecar-lint -',
    );
  });

  describe('B8: remote entries are refused before kustomize runs, at their line, never printed', () => {
    const entries: [string, string][] = [
      ['resources', 'https://user:token-CANARY@example.com/app.yaml'],
      ['resources', 'http://169.254.169.254/latest/meta-data/CANARY'],
      ['resources', 'file:///srv/other-repo-CANARY//k8s'],
      ['resources', 'git::file:///srv/other-repo-CANARY//k8s'],
      ['resources', 'git::https://github.com/org/repo-CANARY//k8s?ref=v1'],
      ['resources', 'github.com/org/repo-CANARY//deploy?ref=v1.0.0'],
      ['resources', 'git@github.com:org/repo-CANARY.git//k8s'],
      ['bases', 'ssh://git@example.com/org/repo-CANARY//k8s'],
      ['components', 'https://example.com/CANARY/component'],
      ['crds', 'https://example.com/CANARY/crd.yaml'],
    ];
    it.each(entries)('%s: %s', async (key, entry) => {
      const tools = standIns(`remote-${key}-${entries.findIndex((e) => e[1] === entry)}`, { kubectl: { stdout: '' } });
      const dir = tree({ 'k8s/kustomization.yaml': `namePrefix: a-\n${key}:\n  - pod.yaml\n  - ${entry}\n`, 'k8s/pod.yaml': POD });
      const r = await runCli(['-f', 'json', 'k8s'], { cwd: dir, env: { PATH: tools.bin } });
      expect(tools.ran('kubectl')).toBeUndefined();
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(at(r, 'render-error')).toEqual(['render-error k8s/kustomization.yaml:4:5']);
      expect(report(r)[0]!.message).toBe(
        `Kustomize directory not rendered: a \`${key}\` entry is remote (a URL or a git repository), never fetched; its files were linted as plain YAML. Vendor it, or pipe a render: kustomize build DIR | sidecar-lint -`,
      );
      expect(r.stdout).not.toContain('CANARY');
    });

    it('also in patches, generator files and a base the kustomization builds on', async () => {
      for (const kustomization of [
        'patches:\n  - path: https://example.com/patch.yaml\n',
        'configMapGenerator:\n  - name: c\n    files:\n      - key=https://example.com/f.txt\n',
        'openapi:\n  path: https://example.com/schema.json\n',
      ]) {
        expect(isRemoteEntry('https://example.com/x', tmp)).toBe(true);
        const tools = standIns(`remote-field-${dirs}`, { kubectl: { stdout: '' } });
        const dir = tree({ 'k8s/kustomization.yaml': kustomization });
        const r = await runCli(['-f', 'json', 'k8s'], { cwd: dir, env: { PATH: tools.bin } });
        expect(tools.ran('kubectl'), kustomization).toBeUndefined();
        expect(at(r, 'render-error'), kustomization).toHaveLength(1);
      }
      // A local directory that looks like a host path is local.
      const dir = tree({ 'k8s/github.com/org/repo/x': '' });
      expect(isRemoteEntry('github.com/org/repo', path.join(dir, 'k8s'))).toBe(false);
      expect(isRemoteEntry('github.com/org/repo', tmp)).toBe(true);
      expect(isRemoteEntry('../base', tmp)).toBe(false);
    });
  });

  it('kustomize and helm run with a reduced environment: no tokens, no kubeconfig, no git config; fetches fail at once', async () => {
    const tools = standIns('env', { kubectl: { stdout: '' }, helm: { stdout: '' } });
    const dir = tree({
      'k8s/kustomization.yaml': 'resources: []\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    });
    const env = { PATH: tools.bin, HOME: tmp, GITHUB_TOKEN: 'ghp_CANARY', KUBECONFIG: '/secret/CANARY', AWS_SECRET_ACCESS_KEY: 'CANARY', HELM_CACHE_HOME: path.join(tmp, 'hc') };
    await runCli(['-f', 'json', '--allow-empty', 'k8s', 'chart'], { cwd: dir, env });
    const kubectl = tools.ran('kubectl')!;
    expect(Object.keys(kubectl).sort()).toEqual(Object.keys(renderEnvironment(env, 'kustomize')).sort());
    expect(kubectl).toMatchObject({ PATH: tools.bin, GIT_ALLOW_PROTOCOL: 'none', GIT_CONFIG_NOSYSTEM: '1', HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(JSON.stringify(kubectl)).not.toContain('CANARY');
    expect(kubectl.HOME).toBeUndefined();
    const helm = tools.ran('helm')!;
    expect(JSON.stringify(helm)).not.toContain('CANARY');
    expect(helm).toMatchObject({ PATH: tools.bin, HOME: tmp, HELM_CACHE_HOME: path.join(tmp, 'hc') });
  });

  it('helm missing: a render-error on Chart.yaml; a run of charts only is exit 1 from findings, not exit 0 "No problems"', async () => {
    const dir = tree({ 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'charts/web/templates/cm.yaml': 'x: {{ .Values.x }}\n' });
    const tools = standIns('no-helm', {});
    const r = await runCli(['-f', 'compact', '.'], { cwd: dir, env: { PATH: tools.bin } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'charts/web/Chart.yaml:1:1: error render-error Helm chart not linted: helm is not on PATH.\n',
    );
    // --no-render asks for no render: a note, and nothing linted is exit 2.
    const skipped = await runCli(['-f', 'compact', '--no-render', '.'], { cwd: dir, env: { PATH: tools.bin } });
    expect(skipped.stderr.split('\n')[0]).toBe(
      'sidecar-lint: charts/web: Helm chart skipped (--no-render); its templates are not plain YAML. Pipe a render instead: helm template charts/web | sidecar-lint -',
    );
    expect(skipped.code).toBe(2);
  });

  it('the doc examples of rules/render-error.md: failing ones are a render-error, passing ones are not', async () => {
    const doc = fs.readFileSync(path.join(ROOT, 'rules/render-error.md'), 'utf8');
    const examples = [...doc.matchAll(/<!-- example: (fail|pass) -->\n```yaml\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1]!, text: m[2]! }));
    expect(examples.map((e) => e.kind)).toEqual(['fail', 'fail', 'pass']);
    for (const example of examples) {
      const tools = standIns(`doc-${dirs}`, { kubectl: { stdout: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-settings\ndata:\n  LOG_LEVEL: info\n' } });
      const dir = tree({ 'app/kustomization.yaml': example.text });
      const r = await runCli(['-f', 'json', 'app'], { cwd: dir, env: { PATH: tools.bin } });
      expect(at(r, 'render-error').length, example.text).toBe(example.kind === 'fail' ? 1 : 0);
      expect(r.code, example.text).toBe(example.kind === 'fail' ? 1 : 0);
    }
  });
});

describe('B2: no value from a failed render in any output (canaries)', () => {
  /** Every renderer error path, each with its canaries in the linted files and in the tool's stderr. */
  const scenarios: { name: string; files: Record<string, string>; tools: Record<string, { stderr?: string; stdout?: string }> }[] = [
    {
      name: 'kustomize quotes a secretGenerator literal',
      files: { 'k8s/kustomization.yaml': 'secretGenerator:\n  - name: db\n    literals:\n      - password:hunter2-CANARY-typo\n' },
      tools: { kubectl: { stderr: KUBECTL_STDERR.literal } },
    },
    {
      name: 'kustomize quotes a replacement value',
      files: { 'k8s/kustomization.yaml': 'replacements:\n  - path: r.yaml\n' },
      tools: { kubectl: { stderr: KUBECTL_STDERR.replacement } },
    },
    {
      name: 'kustomize prints its config (valuesInline)',
      files: { 'k8s/kustomization.yaml': 'generators: [gen.yaml]\n' },
      tools: { kubectl: { stderr: KUBECTL_STDERR.helmCharts.replace('must specify --enable-helm', 'hunter2-CANARY-more') } },
    },
    {
      name: 'kustomize fails with a value as its first line',
      files: { 'k8s/kustomization.yaml': 'resources: []\n' },
      tools: { kubectl: { stderr: 'CANARY-first-line password=CANARY-2 `CANARY-3` "CANARY-4"\nsecond CANARY line\n' } },
    },
    {
      name: 'helmCharts with valuesInline',
      files: { 'k8s/kustomization.yaml': 'helmCharts:\n  - name: redis\n    valuesInline:\n      password: helm-CANARY-inline\n' },
      tools: { kubectl: { stderr: KUBECTL_STDERR.helmCharts } },
    },
    {
      name: 'a remote base with credentials in its URL',
      files: { 'k8s/kustomization.yaml': 'resources:\n  - https://user:CANARY-token@example.com/x.yaml\n' },
      tools: { kubectl: { stderr: 'Get "https://user:CANARY-token@example.com/x.yaml": dial tcp: refused\n' } },
    },
    {
      name: 'helm quotes a value',
      files: { 'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n', 'chart/values.yaml': 'password: chart-CANARY-value\n' },
      tools: { helm: { stderr: 'Error: values don\'t meet the specifications of the schema(s): password: chart-CANARY-value is not valid\n' } },
    },
    {
      name: 'helm is missing',
      files: { 'chart/Chart.yaml': 'apiVersion: v2\nname: chart-CANARY-name\nversion: 0.1.0\n' },
      tools: {},
    },
  ];

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: every format', async (_, scenario) => {
    const tools = standIns(`canary-${dirs}`, scenario.tools);
    const dir = tree(scenario.files);
    for (const format of FORMAT_NAMES) {
      const r = await runCli(['-f', format, '.'], { cwd: dir, env: { PATH: tools.bin } });
      expect(r.code, format).toBe(1);
      expect(`${r.stdout}${r.stderr}`, format).not.toContain('CANARY');
      expect(`${r.stdout}${r.stderr}`, format).toContain('render-error');
    }
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: the Action (annotations, summary, SARIF, outputs)', async (_, scenario) => {
    const tools = standIns(`action-${dirs}`, scenario.tools);
    const dir = tree(scenario.files);
    const summary = path.join(dir, '..', `summary-${dirs}.md`);
    const outputs = path.join(dir, '..', `outputs-${dirs}.txt`);
    fs.writeFileSync(summary, '');
    fs.writeFileSync(outputs, '');
    let stdout = '';
    let stderr = '';
    const code = await runAction({
      env: {
        PATH: tools.bin,
        RUNNER_TEMP: tmp,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: outputs,
        INPUT_PATHS: '.',
        INPUT_ANNOTATIONS: 'all',
        'INPUT_SARIF-FILE': 'out.sarif',
      },
      cwd: dir,
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^::error file=(k8s\/kustomization\.yaml|chart\/Chart\.yaml),line=\d+,.*title=render-error/m);
    for (const text of [stdout, stderr, fs.readFileSync(summary, 'utf8'), fs.readFileSync(outputs, 'utf8'), fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8')]) {
      expect(text).not.toContain('CANARY');
    }
  });

  describe.skipIf(!hasKubectl)('with the real kubectl (the report’s B2 kustomizations)', () => {
    const real: Record<string, Record<string, string>> = {
      m1: { 'm/kustomization.yaml': 'helmCharts:\n- name: redis\n  valuesInline:\n    password: helm-CANARY-inline\n' },
      m2: { 'm/kustomization.yaml': 'secretGenerator:\n- name: db\n  literals:\n  - password:hunter2-CANARY-typo\n' },
      m3: { 'm/kustomization.yaml': 'secretGenerator:\n- name: db\n  literals: [hunter2-CANARY-nokey]\n' },
      m4: {
        'm/kustomization.yaml':
          'resources: [s.yaml]\nreplacements:\n- source: {kind: ConfigMap, name: c, fieldPath: data.host}\n  targets:\n  - select: {kind: Secret}\n    fieldPaths: [stringData.password.host]\n',
        'm/s.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: repl-CANARY-secretvalue}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {host: h}\n',
      },
    };
    it.each(Object.entries(real))('%s: every format', async (name, files) => {
      const dir = tree(files);
      for (const format of FORMAT_NAMES) {
        const r = await runCli(['-f', format, 'm'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
        expect(r.code, format).toBe(1);
        expect(`${r.stdout}${r.stderr}`, format).not.toContain('CANARY');
        expect(r.stderr, format).toBe('');
      }
      const json = await runCli(['-f', 'json', 'm'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
      const line = { m1: 1, m2: 4, m3: 3, m4: 6 }[name];
      expect(at(json, 'render-error')).toEqual([`render-error m/kustomization.yaml:${line}:${name === 'm1' ? 1 : report(json)[0]!.column}`]);
    });
  });
});

describe.skipIf(!hasKubectl)('render-error positions (the real kubectl)', () => {
  it('a missing resource: at its entry; an overlay over a broken base: at the base entry; names kept, values and machine paths not', async () => {
    const dir = tree({
      'k8s/base/kustomization.yaml': 'resources:\n  - cm.yaml\n  - missing.yaml\n',
      'k8s/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'k8s/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../base\n',
    });
    const r = await runCli(['-f', 'json', 'k8s/prod', 'k8s/base'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('');
    expect(at(r, 'render-error')).toEqual(['render-error k8s/base/kustomization.yaml:3:5', 'render-error k8s/prod/kustomization.yaml:3:5']);
    const prod = report(r).find((f) => f.file === 'k8s/prod/kustomization.yaml')!;
    expect(prod.message).toContain("accumulating resources from 'k8s/base'");
    expect(prod.message).not.toContain(tmp);
  });
});

describe.skipIf(!hasKubectl)('B8: exec and KRM function plugins never run (the real kubectl)', () => {
  it('a transformer with an exec function and a generator with a container function: not run, a render-error', async () => {
    const dir = tree({
      'k8s/kustomization.yaml': 'resources: [cm.yaml]\ntransformers: [fn.yaml]\ngenerators: [gen.yaml]\n',
      'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'k8s/fn.yaml': 'apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./run.sh\n',
      'k8s/gen.yaml': 'apiVersion: example.com/v1\nkind: Gen\nmetadata:\n  name: gen\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: example/image\n',
    });
    const marker = path.join(dir, 'RAN');
    fs.writeFileSync(path.join(dir, 'k8s/run.sh'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const r = await runCli(['-f', 'json', 'k8s'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.stderr).toBe('');
    expect(at(r, 'render-error')).toHaveLength(1);
    expect(report(r).find((f) => f.ruleId === 'render-error')!.message).toMatch(/plugin/);
  });
});

describe('B6: Helm # Source: comments name files only inside the chart or the working directory', () => {
  const stream = (source: string) => `---\n# Source: ${source}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {PASSWORD: hunter2}\n`;
  const dir = tree({ 'demo/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {PASSWORD: x}\n', 'sub/file.yaml': '' });

  it.each([
    '/dev/zero',
    '/etc/passwd',
    '.',
    'sub',
    '../outside.yaml',
    'demo/../../../../../dev/zero',
    'demo\\..\\..\\x.yaml',
  ])('%s: not read; the finding stays on the stream', async (source) => {
    const r = await runCli(['-f', 'json', '-'], { cwd: dir, stdin: stream(source), env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(at(r)).toEqual(['configmap-sensitive-data <stdin>:6:8']);
  });

  it('a template name that is not on disk is still named (a chart rendered elsewhere), escaped: no forged workflow command', async () => {
    const r = await runCli(['-f', 'compact', '-'], { cwd: dir, stdin: stream('::error file=README.md,line=1::forged\u202e.yaml'), env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/^\s*::/m);
    expect(r.stdout).not.toContain('\u202e');
    expect(r.stdout).toContain('\\u202e.yaml:4:8');
  });

  it('a template inside the working directory is used', async () => {
    const r = await runCli(['-f', 'json', '-'], { cwd: dir, stdin: stream('demo/templates/cm.yaml'), env: {} });
    expect(at(r)).toEqual(['configmap-sensitive-data demo/templates/cm.yaml:4:1']);
  });

  it('templatePath: inside the chart only', () => {
    const chart = path.join(dir, 'demo');
    expect(templatePath('demo/templates/cm.yaml', chart, dir)).toBe(path.join(chart, 'templates/cm.yaml'));
    expect(templatePath('demo/../../x.yaml', chart, dir)).toBeUndefined();
    expect(templatePath('demo', chart, dir)).toBeUndefined();
    expect(templatePath('/etc/passwd', chart, dir)).toBeUndefined();
    expect(templatePath('C:/x.yaml', undefined, dir)).toBeUndefined();
    expect(templatePath('a\0b', undefined, dir)).toBeUndefined();
  });
});
