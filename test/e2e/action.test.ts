/**
 * The GitHub Action as a runner runs it: action.yml, action/index.js and the bundle it starts
 * (dist/sidecar-lint.cjs) copied into a directory without node_modules (as in a checkout of the
 * action's repository), started with `node` in a workspace,
 * inputs in `INPUT_*` variables, and temporary `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` files.
 * Checks annotations, the job summary, the outputs and the exit status.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_DEPTH_ADVICE, fitSummary, onChangedLines, parseDiff, SUMMARY_LIMIT } from '../../src/app/action.js';
import { runCli } from '../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-action-')));
const ACTION_HOME = path.join(tmp, 'action-checkout');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const WRONG = fs.readFileSync(path.join(ROOT, 'test/format-fixtures/flask-redis-wrong.yaml'), 'utf8');
const RIGHT = fs.readFileSync(path.join(ROOT, 'test/format-fixtures/flask-redis-sidecar.yaml'), 'utf8');
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: hunter2-CANARY-value\n';

beforeAll(() => {
  // What the runner downloads: the repository at a tag, with no node_modules.
  fs.mkdirSync(path.join(ACTION_HOME, 'action'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'action.yml'), path.join(ACTION_HOME, 'action.yml'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(ACTION_HOME, 'package.json'));
  fs.copyFileSync(path.join(ROOT, 'action/index.js'), path.join(ACTION_HOME, 'action/index.js'));
  fs.mkdirSync(path.join(ACTION_HOME, 'dist'));
  fs.copyFileSync(path.join(ROOT, 'dist/sidecar-lint.cjs'), path.join(ACTION_HOME, 'dist/sidecar-lint.cjs'));
});

let workspaces = 0;
function workspace(files: Record<string, string>): string {
  const dir = path.join(tmp, `workspace-${++workspaces}`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  annotations: string[];
}

/** Parses $GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      out[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

function runAction(cwd: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): ActionRun {
  const summaryFile = path.join(tmp, `summary-${workspaces}-${Math.random().toString(36).slice(2)}.md`);
  const outputFile = `${summaryFile}.out`;
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: tmp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: cwd,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: tmp,
    ...extraEnv,
  };
  // The runner's naming: INPUT_ + the name in upper case, spaces as underscores, hyphens kept.
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const r = spawnSync(process.execPath, [path.join(ACTION_HOME, 'action/index.js')], { cwd, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    summary: fs.readFileSync(summaryFile, 'utf8'),
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    annotations: r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l)),
  };
}

/** The counts the CLI itself reports for the same files (rules may be added; the Action must agree). */
async function cliCounts(cwd: string, paths: string[]) {
  const r = await runCli(['--format', 'json', ...paths], { cwd });
  const s = (JSON.parse(r.stdout) as { summary: Record<string, number> }).summary;
  return { findings: String(s.findings), errors: String(s.errors), warnings: String(s.warnings), infos: String(s.infos), suppressed: String(s.suppressed) };
}

describe('action.yml', () => {
  const meta = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string; description: string }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  };

  it('is a JavaScript action on node24 that runs the committed bundle', () => {
    expect(meta.runs).toEqual({ using: 'node24', main: 'action/index.js' });
    expect(fs.existsSync(path.join(ROOT, meta.runs.main))).toBe(true);
    const tracked = execFileSync('git', ['ls-files', '--', 'action/index.js', 'dist/sidecar-lint.cjs'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    expect(tracked, 'the entry and the bundle are committed').toEqual(['action/index.js', 'dist/sidecar-lint.cjs']);
    // The entry only starts the bundle: it loads nothing else.
    const entry = fs.readFileSync(path.join(ROOT, 'action/index.js'), 'utf8');
    expect([...entry.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['node:module']);
    expect([...entry.matchAll(/\('(\.[^']+)'\)/g)].map((m) => m[1])).toEqual(['../dist/sidecar-lint.cjs']);
  });

  it('declares the inputs and outputs the code uses', () => {
    expect(Object.keys(meta.inputs)).toEqual(['paths', 'config', 'allow-plugins', 'allow-empty', 'fail-on', 'format', 'sarif-file', 'baseline', 'annotations']);
    expect(meta.inputs.paths!.default).toBe('.');
    expect(Object.keys(meta.outputs)).toEqual(['findings', 'errors', 'warnings', 'infos', 'suppressed', 'baselined', 'sarif-file']);
    const source = fs.readFileSync(path.join(ROOT, 'src/app/action.ts'), 'utf8');
    for (const name of Object.keys(meta.inputs)) expect(source).toContain(`getInput(env, '${name}')`);
    for (const name of Object.keys(meta.outputs)) expect(source).toContain(`['${name}', `);
  });
});

describe('the action on a push (no pull request)', () => {
  it('annotates every finding, writes the summary and the outputs, and fails on warnings', async () => {
    const cwd = workspace({ 'k8s/app.yaml': WRONG, 'k8s/good.yaml': RIGHT, 'README.md': '# not yaml\n' });
    const r = runAction(cwd, { paths: '.' }, { GITHUB_EVENT_NAME: 'push' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Annotating every finding: not a pull request (event "push").');
    expect(r.annotations).toContain(
      '::error file=k8s/app.yaml,line=17,col=3,endLine=17,endColumn=36,title=configmap-sensitive-data::ConfigMap key "REDIS_PASSWORD" looks like a credential.%0AConfigMap "flask-config" is for non-sensitive configuration (as every ConfigMap): move the value to a Secret and reference it from there.',
    );
    expect(r.annotations).toContain(
      '::warning file=k8s/app.yaml,line=62,col=7,endLine=64,endColumn=42,title=uncoupled-containers::"log-shipper" is not linked to main container "flask-app" (guessed: others are helpers).%0ANothing links it to main container "flask-app": no shared volume other than read-only inputs, no localhost address that one of them calls on a port the other serves, no shared process namespace. If it serves the app over localhost, declare the port it listens on (ports[].containerPort); if it reads files the app writes, share an emptyDir volume; otherwise move it to its own workload.',
    );
    const counts = await cliCounts(cwd, ['.']);
    expect(r.annotations.length).toBe(Number(counts.findings));
    expect(r.outputs).toEqual({ ...counts, baselined: '0', 'sarif-file': '' });
    // The log shows the stylish report (in colour: GitHub's log renders ANSI).
    expect(r.stdout).toMatch(/\u001b\[4mk8s\/app\.yaml\u001b\[0m/);
    // The job summary is the markdown report with links and the pod diagram.
    expect(r.summary.startsWith('## sidecar-lint\n\n❌ **')).toBe(true);
    expect(r.summary).toContain('[`uncoupled-containers`](https://github.com/sidecar-lint/sidecar-lint/blob/main/rules/uncoupled-containers.md)');
    expect(r.summary).toContain('```mermaid\nflowchart LR\n  subgraph pod["Pod flask-sidecar"]');
    for (const text of [r.stdout, r.summary]) expect(text).not.toContain('CANARY');
  });

  it('the baseline input accepts the findings its file lists; a new one fails the step', async () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    const created = await runCli(['--baseline-create', 'ci/baseline.json', 'cm.yaml'], { cwd });
    expect(created.code).toBe(0);
    const r = runAction(cwd, { paths: 'cm.yaml', baseline: 'ci/baseline.json', 'sarif-file': 'out.sarif' });
    expect(r.code).toBe(0);
    expect(r.outputs.findings).toBe('0');
    expect(Number(r.outputs.baselined)).toBeGreaterThan(0);
    expect(r.annotations).toEqual([]);
    const sarif = JSON.parse(fs.readFileSync(path.join(cwd, 'out.sarif'), 'utf8')) as { runs: { results: { baselineState: string }[] }[] };
    expect(new Set(sarif.runs[0]!.results.map((x) => x.baselineState))).toEqual(new Set(['unchanged']));
    fs.appendFileSync(path.join(cwd, 'cm.yaml'), '  API_TOKEN: another-CANARY-value\n');
    const again = runAction(cwd, { paths: 'cm.yaml', baseline: 'ci/baseline.json' });
    expect(again.code).toBe(1);
    expect(again.outputs.findings).toBe('1');
    expect(again.annotations).toHaveLength(1);
    expect(again.annotations[0]).toContain('API_TOKEN');
    const missing = runAction(cwd, { paths: 'cm.yaml', baseline: 'nope.json' });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('baseline nope.json: not found');
  });

  it('passes with fail-on none and writes SARIF where asked', () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    const r = runAction(cwd, { paths: 'cm.yaml', 'fail-on': 'none', 'sarif-file': 'reports/sidecar-lint.sarif' });
    expect(r.code).toBe(0);
    expect(r.outputs['sarif-file']).toBe('reports/sidecar-lint.sarif');
    expect(Number(r.outputs.errors)).toBeGreaterThan(0);
    const sarif = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/sidecar-lint.sarif'), 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toContain('configmap-sensitive-data');
    expect(r.annotations[0]).toMatch(/^::error file=cm\.yaml,line=6,col=3,/);
  });

  it('is clean and quiet on good manifests', () => {
    const cwd = workspace({ 'good.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n' });
    const r = runAction(cwd, {}, { NO_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.annotations).toEqual([]);
    expect(r.outputs).toEqual({ findings: '0', errors: '0', warnings: '0', infos: '0', suppressed: '0', baselined: '0', 'sarif-file': '' });
    expect(r.summary).toBe('## sidecar-lint\n\n✅ **No problems** in 1 file, 1 object checked.\n');
    expect(r.stdout).toContain('No problems');
  });

  it('takes several paths separated by spaces and new lines, and a config file', () => {
    const cwd = workspace({
      'a/cm.yaml': CONFIGMAP,
      'b/cm.yaml': CONFIGMAP.replace('name: db', 'name: db2'),
      'c/cm.yaml': CONFIGMAP.replace('name: db', 'name: db3'),
      'ci/sidecar-lint.yaml': 'rules:\n  configmap-sensitive-data: info\n',
    });
    const r = runAction(cwd, { paths: 'a/cm.yaml b/cm.yaml\n  c/\n', config: 'ci/sidecar-lint.yaml', 'fail-on': 'warning' }, { NO_COLOR: '1' });
    const ours = r.annotations.filter((a) => a.includes('title=configmap-sensitive-data'));
    expect(ours.map((a) => a.slice(0, a.indexOf(',')))).toEqual(['::notice file=a/cm.yaml', '::notice file=b/cm.yaml', '::notice file=c/cm.yaml']);
    expect(r.outputs.errors).toBe('0');
  });

  it('prints every finding as an annotation once with format github', () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    const r = runAction(cwd, { format: 'github' }, { GITHUB_EVENT_NAME: 'push' });
    expect(r.code).toBe(1);
    expect(r.annotations.length).toBe(Number(r.outputs.findings));
    expect(new Set(r.annotations).size).toBe(r.annotations.length);
    expect(r.stdout).not.toContain('Annotating');
  });

  it('fails with exit 2 and an error annotation when it cannot do its job', () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    const r = runAction(cwd, { paths: 'missing/' });
    expect(r.code).toBe(2);
    // The Action's own words: no doubled "sidecar-lint:" prefix after the title.
    expect(r.annotations).toEqual(['::error title=sidecar-lint::missing/: no such file or directory']);
    expect(r.outputs).toEqual({});
  });

  it('reads inputs as data: a path that looks like an option is a path, and shell syntax does nothing', () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    const r = runAction(cwd, { paths: '--init $(touch pwned) ;touch pwned2' });
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(cwd, '.sidecar-lint.yaml'))).toBe(false);
    expect(fs.readdirSync(cwd).sort()).toEqual(['cm.yaml']);
    expect(r.stdout).toContain('--init: no such file or directory');
  });

  it('says what went wrong as an Action error: inputs by name, no --help pointer, no doubled prefix', () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    const bad = runAction(cwd, { 'fail-on': 'bogus' });
    expect(bad.code).toBe(2);
    expect(bad.annotations).toEqual(["::error title=sidecar-lint::Invalid input fail-on 'bogus'; expected one of error, warning, info, none."]);
    const warn = runAction(cwd, { 'fail-on': 'warn' });
    expect(warn.annotations).toEqual(["::error title=sidecar-lint::Invalid input fail-on 'warn'; did you mean 'warning'?"]);
    const format = runAction(cwd, { format: 'xml' });
    expect(format.annotations).toEqual(["::error title=sidecar-lint::Unknown format 'xml'; expected one of stylish, compact, json, sarif, github, junit, markdown."]);
    const empty = runAction(workspace({ 'notes/README.md': '# no manifests\n' }), { paths: 'notes/' });
    expect(empty.code).toBe(2);
    expect(empty.annotations).toEqual(['::error title=sidecar-lint::notes/: no *.yaml, *.yml or *.json files found; nothing was linted (check the paths input, or set the allow-empty input to true to accept that)']);
    for (const r of [bad, warn, format, empty]) {
      expect(r.stdout).not.toContain("Run 'sidecar-lint --help'");
      expect(r.stdout).not.toContain('::sidecar-lint:');
      expect(r.stdout).not.toContain('--allow-empty');
    }
  });

  it('allow-empty: true passes a run that lints nothing (exit 0, the outputs at 0); false, the default, fails it; another value is an input error', () => {
    const cwd = workspace({ 'notes/README.md': '# no manifests\n', 'cm.yaml': CONFIGMAP });
    const empty = runAction(cwd, { paths: 'notes/', 'allow-empty': 'true' });
    expect(empty.code).toBe(0);
    expect(empty.annotations).toEqual([]);
    expect(empty.outputs).toMatchObject({ findings: '0', errors: '0', warnings: '0' });
    const off = runAction(cwd, { paths: 'notes/', 'allow-empty': 'false' });
    expect(off.code).toBe(2);
    expect(off.annotations).toHaveLength(1);
    // It only accepts linting nothing: findings still fail the step.
    expect(runAction(cwd, { paths: '.', 'allow-empty': 'true' }).code).toBe(1);
    const bad = runAction(cwd, { paths: 'notes/', 'allow-empty': 'yes' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('::error title=sidecar-lint::Invalid input allow-empty: "yes"; expected true or false\n');
  });

  it('rejects an unknown annotations mode', () => {
    const r = runAction(workspace({ 'cm.yaml': CONFIGMAP }), { annotations: 'some' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('::error title=sidecar-lint::Invalid input annotations: "some"; expected one of changed, all, none');
  });
});

/** B14 (reliability campaign 2026-12): the Action wrote its SARIF file through a link the pull request planted. */
describe('the action and a planted link', () => {
  it('refuses to write sarif-file through a symbolic link: exit 2, an error annotation, the target untouched', () => {
    const cwd = workspace({ 'cm.yaml': CONFIGMAP });
    fs.writeFileSync(path.join(cwd, '..', `victim-${workspaces}.txt`), 'victim\n');
    fs.symlinkSync(`../victim-${workspaces}.txt`, path.join(cwd, 'sidecar-lint.sarif'));
    const r = runAction(cwd, { paths: '.', 'sarif-file': 'sidecar-lint.sarif', 'fail-on': 'none' });
    expect(r.code).toBe(2);
    expect(fs.readFileSync(path.join(cwd, '..', `victim-${workspaces}.txt`), 'utf8')).toBe('victim\n');
    expect(r.stderr).toBe('sidecar-lint: sidecar-lint.sarif: is a symbolic link; not writing through it (remove the link, or write to another path)\n');
    expect(r.annotations[0]).toBe(`::error title=sidecar-lint::${r.stderr.trim().replace(/^sidecar-lint: /, '')}`);
  });
});

/** B3 (reliability campaign 2026-12): the Action ran the plugins of the linted repository's config. */
describe('the action and plugins (code)', () => {
  const EVIL = "import fs from 'node:fs';\nfs.appendFileSync(new URL('./PWNED', import.meta.url), 'ran\\n');\nexport const rules = [];\n";
  const repo = () => workspace({ '.sidecar-lint.yaml': 'plugins: [./tools/evil.mjs]\n', 'tools/evil.mjs': EVIL, 'cm.yaml': CONFIGMAP });
  const ran = (cwd: string) => fs.existsSync(path.join(cwd, 'tools/PWNED'));
  const HOW = 'to run them, set the allow-plugins input to true (only for a config the pull request cannot change)';

  it('does not load the plugins of a discovered config: exit 2 and an error annotation saying how to allow them', () => {
    const cwd = repo();
    const r = runAction(cwd, { paths: '.' }, { GITHUB_EVENT_NAME: 'pull_request_target' });
    expect(r.code).toBe(2);
    expect(ran(cwd)).toBe(false);
    expect(r.stderr).toBe(
      `sidecar-lint: .sidecar-lint.yaml:1:1: \`plugins\`: plugins are code and are not loaded from a config found by walking up from the working directory without permission; ${HOW}\n`,
    );
    expect(r.annotations).toEqual([`::error title=sidecar-lint::${r.stderr.trim().replace(/^sidecar-lint: /, '')}`]);
  });

  it('the config input does not allow them by itself (it may name a file of the pull request)', () => {
    const cwd = repo();
    const r = runAction(cwd, { paths: '.', config: '.sidecar-lint.yaml' });
    expect(r.code).toBe(2);
    expect(ran(cwd)).toBe(false);
    expect(r.stderr).toBe(`sidecar-lint: .sidecar-lint.yaml:1:1: \`plugins\`: plugins are code and are not loaded from this config without permission; ${HOW}\n`);
  });

  it('allow-plugins: true loads them; another value is an input error', () => {
    const cwd = repo();
    const r = runAction(cwd, { paths: '.', 'allow-plugins': 'true', 'fail-on': 'none' });
    expect(r.code).toBe(0);
    expect(ran(cwd)).toBe(true);
    const bad = runAction(repo(), { 'allow-plugins': 'yes' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('::error title=sidecar-lint::Invalid input allow-plugins: "yes"; expected true or false\n');
  });
});

describe('the action on a pull request', () => {
  function git(cwd: string, ...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
  }

  /** A repository whose PR adds the uncoupled log shipper and the ConfigMap's password. */
  function pullRequest(): { cwd: string; base: string; event: string } {
    const before = WRONG.replace('  REDIS_PASSWORD: r3d1s-CANARY-pass\n', '').replace(/ {4}- name: log-shipper\n(.*\n){2}/, '');
    expect(before).not.toBe(WRONG);
    const cwd = workspace({ 'k8s/app.yaml': before, 'k8s/other.yaml': CONFIGMAP });
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '.');
    git(cwd, 'commit', '-q', '-m', 'base');
    const base = git(cwd, 'rev-parse', 'HEAD');
    fs.writeFileSync(path.join(cwd, 'k8s/app.yaml'), WRONG);
    git(cwd, 'commit', '-q', '-am', 'change');
    const event = path.join(cwd, '..', `event-${workspaces}.json`);
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 1, base: { sha: base, ref: 'main' }, head: { sha: git(cwd, 'rev-parse', 'HEAD') } } }));
    return { cwd, base, event };
  }

  it('annotates only the findings on the changed lines; the summary and counts keep them all', async () => {
    const { cwd, event } = pullRequest();
    const r = runAction(cwd, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, NO_COLOR: '1' });
    expect(r.code).toBe(1);
    const where = r.annotations.map((a) => /file=([^,]+),line=(\d+)/.exec(a)!.slice(1).join(':'));
    // The changed lines of k8s/app.yaml are 17 (the password) and 62-64 (the log shipper).
    expect(where.every((w) => ['k8s/app.yaml:17', 'k8s/app.yaml:62'].includes(w))).toBe(true);
    expect(r.annotations.some((a) => a.includes('title=configmap-sensitive-data') && a.includes('file=k8s/app.yaml,line=17,'))).toBe(true);
    expect(r.annotations.some((a) => a.includes('title=uncoupled-containers') && a.includes('file=k8s/app.yaml,line=62,'))).toBe(true);
    // Unchanged: the Secret reaching the main container (lines 42 and 50) and the other file.
    expect(r.annotations.some((a) => a.includes('secret-in-main-container'))).toBe(false);
    expect(r.annotations.some((a) => a.includes('k8s/other.yaml'))).toBe(false);
    const counts = await cliCounts(cwd, ['k8s/']);
    expect(r.outputs).toEqual({ ...counts, baselined: '0', 'sarif-file': '' });
    const outside = Number(counts.findings) - r.annotations.length;
    expect(r.stdout).toContain(`${outside} findings outside the changed lines (see the job summary).`);
    expect(r.summary).toContain('secret-in-main-container');
    expect(r.summary).toContain('k8s/other.yaml');
  });

  it('annotates every finding with annotations: all', () => {
    const { cwd, event } = pullRequest();
    const r = runAction(cwd, { paths: 'k8s/', annotations: 'all' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(r.annotations.length).toBe(Number(r.outputs.findings));
  });

  it('annotates nothing with annotations: none', () => {
    const { cwd, event } = pullRequest();
    const r = runAction(cwd, { paths: 'k8s/', annotations: 'none' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(r.annotations).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('annotates everything, and says what to set, when the base commit is not in the checkout', () => {
    const { cwd, event } = pullRequest();
    // A shallow clone without the base: nothing to compare with.
    const shallow = path.join(tmp, `shallow-${workspaces}`);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${cwd}`, shallow]);
    const r = runAction(shallow, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(r.stdout).toContain(`Annotating every finding: the pull request's base commit ${JSON.parse(fs.readFileSync(event, 'utf8')).pull_request.base.sha.slice(0, 12)} is not in the checkout: ${FETCH_DEPTH_ADVICE}.`);
    expect(r.annotations.length).toBe(Number(r.outputs.findings));
  });

  /**
   * A pull request of two commits: the first adds the ConfigMap's password (line 17), the second the
   * uncoupled log shipper (lines 62-64).
   */
  function twoCommits(): { cwd: string; base: string; head: string; event: string } {
    const before = WRONG.replace('  REDIS_PASSWORD: r3d1s-CANARY-pass\n', '').replace(/ {4}- name: log-shipper\n(.*\n){2}/, '');
    const withPassword = WRONG.replace(/ {4}- name: log-shipper\n(.*\n){2}/, '');
    const cwd = workspace({ 'k8s/app.yaml': before, 'k8s/other.yaml': CONFIGMAP });
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '.');
    git(cwd, 'commit', '-q', '-m', 'base');
    const base = git(cwd, 'rev-parse', 'HEAD');
    git(cwd, 'switch', '-q', '-c', 'pr');
    fs.writeFileSync(path.join(cwd, 'k8s/app.yaml'), withPassword);
    git(cwd, 'commit', '-q', '-am', 'password');
    fs.writeFileSync(path.join(cwd, 'k8s/app.yaml'), WRONG);
    git(cwd, 'commit', '-q', '-am', 'log shipper');
    const head = git(cwd, 'rev-parse', 'HEAD');
    const event = path.join(cwd, '..', `event-${workspaces}.json`);
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 2, base: { sha: base, ref: 'main' }, head: { sha: head } } }));
    return { cwd, base, head, event };
  }
  const annotated = (r: ActionRun) => r.annotations.map((a) => `${/title=([^:]+)::/.exec(a)![1]}@${/line=(\d+)/.exec(a)![1]}`).sort();
  // The log shipper (line 62) has no resources either.
  const PR_FINDINGS = ['configmap-sensitive-data@17', 'sidecar-missing-resources@62', 'uncoupled-containers@62'];

  it('diffs against the base commit of the event, so findings from earlier commits of the pull request are annotated', () => {
    const { cwd, event } = twoCommits();
    // The pull request head checked out with its history (fetch-depth: 0): HEAD^1 is only the
    // pull request's previous commit, the base is the event's.
    const r = runAction(cwd, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(annotated(r)).toEqual(PR_FINDINGS);
    // The base branch moved on after the pull request started: still only the pull request's lines.
    git(cwd, 'switch', '-q', 'main');
    fs.appendFileSync(path.join(cwd, 'k8s/other.yaml'), '  OTHER_TOKEN: abc-CANARY\n');
    git(cwd, 'commit', '-q', '-am', 'main moves on');
    const moved = git(cwd, 'rev-parse', 'HEAD');
    git(cwd, 'switch', '-q', 'pr');
    const payload = JSON.parse(fs.readFileSync(event, 'utf8'));
    payload.pull_request.base.sha = moved;
    fs.writeFileSync(event, JSON.stringify(payload));
    const after = runAction(cwd, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(annotated(after)).toEqual(PR_FINDINGS);
  });

  it('on the merge commit actions/checkout makes (fetch-depth: 2), annotates every commit of the pull request', () => {
    const { cwd, head, event } = twoCommits();
    git(cwd, 'switch', '-q', 'main');
    git(cwd, 'merge', '-q', '--no-ff', '-m', 'Merge pr into main', 'pr');
    const merge = path.join(tmp, `merge-${workspaces}`);
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${cwd}`, merge]);
    const r = runAction(merge, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(annotated(r)).toEqual(PR_FINDINGS);
    // The event's base is not in the shallow checkout (the base branch moved): the merge commit's
    // first parent, the base it was made on, is used, since its second parent is the pull request head.
    const payload = JSON.parse(fs.readFileSync(event, 'utf8'));
    payload.pull_request.base.sha = 'f'.repeat(40);
    fs.writeFileSync(event, JSON.stringify(payload));
    expect(payload.pull_request.head.sha).toBe(head);
    const fallback = runAction(merge, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(annotated(fallback)).toEqual(PR_FINDINGS);
  });

  it('never takes HEAD^1 of the pull request head for the base: a shallow head checkout annotates everything and says to fetch more', () => {
    const { cwd, event } = twoCommits();
    // fetch-depth: 2 of the head: the base is missing, HEAD^1 is the first commit of the pull request.
    const shallow = path.join(tmp, `head-${workspaces}`);
    execFileSync('git', ['clone', '-q', '--depth', '2', '--branch', 'pr', `file://${cwd}`, shallow]);
    const r = runAction(shallow, { paths: 'k8s/' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(r.annotations.length).toBe(Number(r.outputs.findings));
    expect(annotated(r)).toEqual(expect.arrayContaining(PR_FINDINGS));
    expect(r.stdout).toContain('fetch-depth: 0 when the workflow checks out the pull request head');
  });

  it('README and action.yml say the same about fetch-depth as the Action', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ').replace(/`/g, '');
    const actionYml = (parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: { annotations: { description: string } } }).inputs.annotations.description.replace(/\s+/g, ' ');
    expect(FETCH_DEPTH_ADVICE).toContain('fetch-depth: 2');
    expect(FETCH_DEPTH_ADVICE).toContain('fetch-depth: 0');
    for (const text of [readme, actionYml]) {
      expect(text).toContain('fetch-depth: 2 on actions/checkout for its default pull_request checkout (a merge commit), or fetch-depth: 0 when the workflow checks out the pull request head');
    }
    // The workflow example checks out with fetch-depth 2.
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toMatch(/- uses: actions\/checkout@v5\n {8}with:\n(?: {10}#.*\n)* {10}fetch-depth: 2\n/);
  });
});

describe('diff parsing', () => {
  it('reads the new-side ranges of a unified diff, with odd file names', () => {
    const diff = [
      'diff --git a/k8s/a.yaml b/k8s/a.yaml',
      '--- a/k8s/a.yaml',
      '+++ b/k8s/a.yaml',
      '@@ -3,0 +4,2 @@',
      '+x',
      '+y',
      '@@ -10 +12 @@',
      '@@ -20,3 +22,0 @@',
      'diff --git a/gone.yaml b/gone.yaml',
      '--- a/gone.yaml',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '--- a/"tab\\there.yaml"',
      '+++ "b/tab\\there.yaml"',
      '@@ -1 +1 @@',
      '--- a/sp ace.yaml',
      '+++ b/sp ace.yaml',
      '@@ -0,0 +1,3 @@',
    ].join('\n');
    const changed = parseDiff(diff);
    expect([...changed]).toEqual([
      ['k8s/a.yaml', [[4, 5], [12, 12]]],
      ['tab\there.yaml', [[1, 1]]],
      ['sp ace.yaml', [[1, 3]]],
    ]);
    expect(onChangedLines({ file: 'k8s/a.yaml', line: 1, endLine: 4 }, changed)).toBe(true);
    expect(onChangedLines({ file: 'k8s/a.yaml', line: 6, endLine: 11 }, changed)).toBe(false);
    expect(onChangedLines({ file: 'other.yaml', line: 1, endLine: 100 }, changed)).toBe(false);
  });
});

describe('the job summary size', () => {
  it('cuts a summary over GitHub\'s 1 MiB limit at a whole line, never inside a diagram', () => {
    const diagram = '#### Pod p\n\n```mermaid\nflowchart LR\n' + '  a --- b\n'.repeat(50) + '```\n\n';
    const text = `## sidecar-lint\n\n### \`a.yaml\`\n\n| Rule | Line |\n|---|---|\n${'| r | 1:1 |\n'.repeat(40)}\n${diagram}`;
    expect(fitSummary(text, 100_000)).toBe(text);
    for (const limit of [300, 700, 900, 1000, 1070]) {
      const cut = fitSummary(text, limit);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(limit);
      expect((cut.match(/^```/gm) ?? []).length % 2, `limit ${limit}`).toBe(0);
      expect(cut.endsWith("\n_The summary is cut here to fit GitHub's 1 MiB limit; the log (and the SARIF file) have every finding._\n")).toBe(true);
      const body = cut.slice(0, cut.lastIndexOf('\n_The summary'));
      expect(text.startsWith(body)).toBe(true);
      expect(body.endsWith('\n')).toBe(true);
    }
  });

  it('keeps a real summary of thousands of findings under the limit', () => {
    const keys = Array.from({ length: 6000 }, (_, i) => `  SERVICE_${i}_PASSWORD: value-CANARY-${i}\n`).join('');
    const cwd = workspace({ 'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys}` });
    const r = runAction(cwd, { paths: 'big.yaml', annotations: 'none', 'fail-on': 'none' }, { NO_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(Number(r.outputs.findings)).toBeGreaterThanOrEqual(6000);
    expect(Buffer.byteLength(r.summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(r.summary).toContain("the log (and the SARIF file) have every finding.");
    expect(r.summary).not.toContain('CANARY');
  }, 120_000);
});
