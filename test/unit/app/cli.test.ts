/**
 * The command line, run in-process through `run()` on real files in temporary directories:
 * exit codes, inputs (files, directories, globs, stdin), output formats and the summary.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };
import { builtinRules } from '../../../rules/index.js';
import { run, type CliIO } from '../../../src/app/cli.js';
import { ENGINE_RULES } from '../../../src/config/lint-options.js';
import { runCli as runCliUnpinned, type CliResult } from '../../support/lint.js';
import type { JsonReport } from '../../../src/format/json.js';

/**
 * These tests are about the CLI's mechanics (exit codes, output shapes, discovery, stdin), not about
 * rules: they pin the rule set to the three core rules (plus the engine's own findings), so that a new
 * rule does not change them. Every other built-in rule is switched off with --rule.
 */
const CORE_RULES = new Set(['configmap-sensitive-data', 'secret-in-main-container', 'uncoupled-containers']);
const PIN = builtinRules.filter((r) => !CORE_RULES.has(r.meta.id)).flatMap((r) => ['--rule', `${r.meta.id}=off`]);
const runCli: typeof runCliUnpinned = (args, options) => runCliUnpinned([...PIN, ...args], options);

// ---------------------------------------------------------------------------------------------
// Fixtures

/** Single-container Deployment: nothing to report. */
const CLEAN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
`;

/**
 * Two containers that share nothing, the main one reading a Secret: two warnings.
 * secret-in-main-container at the env item (line 11), uncoupled-containers at the sidecar (line 16).
 */
const POD_WARNINGS = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
spec:
  containers:
    - name: app
      image: app
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: s
              key: k
    - name: side
      image: side
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      emptyDir: {}
`;

/** A ConfigMap holding a password: one error (configmap-sensitive-data) at line 6. */
const CONFIGMAP_ERROR = `apiVersion: v1
kind: ConfigMap
metadata:
  name: db
data:
  DB_PASSWORD: hunter2-value
`;

/** Two flagged keys on one line (flow mapping): two findings on line 5, columns 10 and 30. */
const CONFIGMAP_FLOW = `apiVersion: v1
kind: ConfigMap
metadata:
  name: flow
data: {API_TOKEN: tok-value, DB_PASSWORD: pw-value}
`;

/** Not valid YAML: a nested mapping in a compact mapping on line 6, column 6. */
const BROKEN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: bad
data:
  a: b: c
`;

const ANSI = /\u001b\[\d+m/;
const STACK_TRACE = /\n\s+at .*:\d+:\d+/;

// ---------------------------------------------------------------------------------------------
// Helpers

const tempDirs: string[] = [];

/** A fresh temporary directory holding `files` (path → content; directories are created). */
function tempTree(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-cli-')));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function parseJson(result: CliResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}

/** `ruleId file:line:column` of each finding, in output order. */
function where(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
}

/** Runs the CLI in-process with a chosen TTY state (runCli() always says "not a TTY"). */
async function runWithTty(args: string[], cwd: string, isTTY: boolean, env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
    cwd,
    env,
    isTTY,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

function stderrLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l !== '');
}

// ---------------------------------------------------------------------------------------------

describe('exit codes', () => {
  const dir = tempTree({
    'clean.yaml': CLEAN,
    'warn.yaml': POD_WARNINGS,
    'error.yaml': CONFIGMAP_ERROR,
  });

  it('is 0 for clean input', async () => {
    const r = await runCli(['clean.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('is 1 for a warning by default (--fail-on warning)', async () => {
    expect((await runCli(['warn.yaml'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['--fail-on', 'warning', 'warn.yaml'], { cwd: dir })).code).toBe(1);
  });

  it('is 0 for a warning with --fail-on error, 1 for an error', async () => {
    expect((await runCli(['--fail-on', 'error', 'warn.yaml'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['--fail-on', 'error', 'error.yaml'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['--fail-on=error', 'clean.yaml', 'warn.yaml', 'error.yaml'], { cwd: dir })).code).toBe(1);
  });

  it('is 0 with --fail-on none whatever is found', async () => {
    const r = await runCli(['--fail-on', 'none', 'warn.yaml', 'error.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 problems');
  });

  it('--fail-on info fails on warnings and errors, not on clean input', async () => {
    expect((await runCli(['--fail-on', 'info', 'warn.yaml'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['--fail-on', 'info', 'error.yaml'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['--fail-on', 'info', 'clean.yaml'], { cwd: dir })).code).toBe(0);
  });

  it('is 2 with one stderr line and a --help hint for an unknown option', async () => {
    const r = await runCli(['--no-such-option', 'clean.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toContain('--no-such-option');
    expect(r.stderr).toContain('--help');
  });

  it.each([
    [['--fail-on', 'sometimes', 'clean.yaml'], '--fail-on'],
    [['--format', 'xml', 'clean.yaml'], 'xml'],
    [['--format'], '--format'],
    [['--format', '--fail-on', 'error', 'clean.yaml'], '--format'],
    [['--color=yes', 'clean.yaml'], '--color'],
    [['-x', 'clean.yaml'], '-x'],
  ])('is 2 with one line naming the problem for a bad option value: %j', async (args, named) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toContain(named);
    expect(r.stderr).toContain('--help');
    expect(r.stderr).not.toMatch(/\.\./);
  });

  it('is 2 for a path that does not exist, naming it, and lints nothing', async () => {
    const r = await runCli(['clean.yaml', 'missing/deploy.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing/deploy.yaml');
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('is 2 for a path that cannot be read, naming it', async () => {
    const loopDir = tempTree({ 'ok.yaml': CLEAN });
    fs.symlinkSync('loop.yaml', path.join(loopDir, 'loop.yaml'));
    const r = await runCli(['ok.yaml', 'loop.yaml'], { cwd: loopDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('loop.yaml');
    expect(r.stderr).toContain('cannot be read');
  });

  it('is 2 without arguments', async () => {
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toContain('--help');
    expect(r.stdout).toBe('');
  });

  it('is 2 for a glob that matches nothing, naming the pattern', async () => {
    const r = await runCli(['manifests/**/*.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('manifests/**/*.yaml');
    expect(r.stdout).toBe('');
  });

  it('is 2 for a directory without manifests', async () => {
    const empty = tempTree({ 'notes.txt': 'hello\n' });
    const r = await runCli(['.'], { cwd: empty });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no *.yaml, *.yml or *.json files found');
  });

  it('expands a glob that matches', async () => {
    const r = await runCli(['--format', 'json', '*.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(parseJson(r).summary.files).toBe(3);
  });

  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sidecar-lint/);
    expect(r.stdout).toContain('--fail-on');
    expect(r.stderr).toBe('');
  });
});

describe('standard input', () => {
  const dir = tempTree({ 'clean.yaml': CLEAN });

  it('reads - and names it <stdin>', async () => {
    const r = await runCli(['--format', 'json', '-'], { cwd: dir, stdin: CONFIGMAP_ERROR });
    expect(r.code).toBe(1);
    const report = parseJson(r);
    expect(where(report)).toEqual(['configmap-sensitive-data <stdin>:6:3']);
    expect(report.summary.files).toBe(1);
  });

  it('uses --stdin-filename in the output', async () => {
    const r = await runCli(['--format', 'json', '--stdin-filename', 'deploy/cm.yaml', '-'], { cwd: dir, stdin: CONFIGMAP_ERROR });
    expect(r.code).toBe(1);
    expect(where(parseJson(r))).toEqual(['configmap-sensitive-data deploy/cm.yaml:6:3']);
  });

  it('lints standard input together with files, and clean input exits 0', async () => {
    const both = await runCli(['--format', 'json', 'clean.yaml', '-'], { cwd: dir, stdin: CONFIGMAP_ERROR });
    expect(both.code).toBe(1);
    expect(parseJson(both).summary.files).toBe(2);
    const clean = await runCli(['-'], { cwd: dir, stdin: CLEAN });
    expect(clean.code).toBe(0);
  });

  it('reports a parse error from standard input at its line', async () => {
    const r = await runCli(['--format', 'json', '-'], { cwd: dir, stdin: BROKEN });
    expect(r.code).toBe(1);
    expect(where(parseJson(r))).toEqual(['parse-error <stdin>:6:6']);
  });
});

describe('directory walk', () => {
  const dir = tempTree({
    'a.yaml': CONFIGMAP_ERROR,
    'sub/b.yml': CONFIGMAP_ERROR,
    'sub/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { API_TOKEN: 'x-value' } }, null, 2),
    'sub/deep/d.yaml': CONFIGMAP_ERROR,
    'sub/local.yaml': CONFIGMAP_ERROR,
    'sub/.gitignore': 'local.yaml\n',
    'ignored/e.yaml': CONFIGMAP_ERROR,
    'build/f.yaml': CONFIGMAP_ERROR,
    'node_modules/pkg/g.yaml': CONFIGMAP_ERROR,
    'notes.txt': CONFIGMAP_ERROR,
    'README.md': CONFIGMAP_ERROR,
    '.gitignore': 'ignored/\n/build\n',
  });
  execFileSync('git', ['init', '-q', dir]);

  it('finds .yaml, .yml and .json recursively, honouring .gitignore and skipping node_modules', async () => {
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    const files = [...new Set(parseJson(r).findings.map((f) => f.file))];
    expect(files).toEqual(['a.yaml', 'sub/b.yml', 'sub/c.json', 'sub/deep/d.yaml']);
    expect(parseJson(r).summary.files).toBe(4);
  });

  it('shows paths relative to the working directory with / separators', async () => {
    const r = await runCli(['--format', 'json', 'sub'], { cwd: dir });
    expect([...new Set(parseJson(r).findings.map((f) => f.file))]).toEqual(['sub/b.yml', 'sub/c.json', 'sub/deep/d.yaml']);
    const fromSub = await runCli(['--format', 'json', '.', '../a.yaml'], { cwd: path.join(dir, 'sub') });
    expect([...new Set(parseJson(fromSub).findings.map((f) => f.file))]).toEqual(['../a.yaml', 'b.yml', 'c.json', 'deep/d.yaml']);
  });

  it('lints a file named explicitly even when it is not a manifest extension', async () => {
    const r = await runCli(['--format', 'json', 'notes.txt'], { cwd: dir });
    expect(where(parseJson(r))).toEqual(['configmap-sensitive-data notes.txt:6:3']);
  });

  it('lints each file once when arguments overlap', async () => {
    const r = await runCli(['--format', 'json', '.', 'a.yaml', 'sub', '**/*.yml'], { cwd: dir });
    expect(parseJson(r).summary.files).toBe(4);
    expect(parseJson(r).findings).toHaveLength(4);
  });
});

describe('JSON output', () => {
  const dir = tempTree({ 'pod.yaml': POD_WARNINGS });

  it('has exactly the documented keys and values', async () => {
    const r = await runCli(['--format', 'json', 'pod.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const report = parseJson(r);
    expect(Object.keys(report)).toEqual(['findings', 'suppressed', 'summary']);
    expect(report.suppressed).toEqual([]);
    const object = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns' };
    expect(report.findings).toEqual([
      {
        ruleId: 'secret-in-main-container',
        messageId: 'secret',
        severity: 'warning',
        message: report.findings[0]!.message,
        hint: report.findings[0]!.hint,
        file: 'pod.yaml',
        line: 11,
        column: 11,
        endLine: 15,
        endColumn: 21,
        object,
        container: 'app',
      },
      {
        ruleId: 'uncoupled-containers',
        messageId: 'uncoupled',
        severity: 'warning',
        message: report.findings[1]!.message,
        hint: report.findings[1]!.hint,
        file: 'pod.yaml',
        line: 16,
        column: 7,
        endLine: 20,
        endColumn: 27,
        object,
        container: 'side',
      },
    ]);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(['ruleId', 'messageId', 'severity', 'message', 'hint', 'file', 'line', 'column', 'endLine', 'endColumn', 'object', 'container']);
      expect(Object.keys(f.object!)).toEqual(['apiVersion', 'kind', 'name', 'namespace']);
      expect(f.hint).toMatch(/\w/);
    }
    expect(report.findings[0]!.message).toContain('"app"');
    expect(report.findings[0]!.message).toContain('"s"');
    expect(report.findings[1]!.message).toContain('"side"');
    expect(report.summary).toEqual({
      files: 1,
      documents: 1,
      objects: 1,
      skippedDocuments: 0,
      findings: 2,
      errors: 0,
      warnings: 2,
      infos: 0,
      suppressed: 0,
    });
  });

  it('gives object null and container null where they do not apply', async () => {
    const d = tempTree({ 'broken.yaml': BROKEN, 'cm.yaml': CONFIGMAP_ERROR });
    const report = parseJson(await runCli(['--format', 'json', '.'], { cwd: d }));
    expect(report.findings).toEqual([
      {
        ruleId: 'parse-error',
        messageId: null,
        severity: 'error',
        message: report.findings[0]!.message,
        hint: null,
        file: 'broken.yaml',
        line: 6,
        column: 6,
        endLine: 6,
        endColumn: 7,
        object: null,
        container: null,
      },
      {
        ruleId: 'configmap-sensitive-data',
        messageId: 'key',
        severity: 'error',
        message: report.findings[1]!.message,
        hint: report.findings[1]!.hint,
        file: 'cm.yaml',
        line: 6,
        column: 3,
        endLine: 6,
        endColumn: 29,
        object: { apiVersion: 'v1', kind: 'ConfigMap', name: 'db', namespace: null },
        container: null,
      },
    ]);
  });

  it('sorts findings by file, line and column across files', async () => {
    const d = tempTree({
      'b.yaml': `${POD_WARNINGS}---\n${CONFIGMAP_FLOW}`,
      'a.yaml': `${CONFIGMAP_FLOW}---\n${CONFIGMAP_ERROR}`,
    });
    const r = await runCli(['--format', 'json', 'b.yaml', 'a.yaml'], { cwd: d });
    const report = parseJson(r);
    expect(where(report)).toEqual([
      'configmap-sensitive-data a.yaml:5:8',
      'configmap-sensitive-data a.yaml:5:30',
      'configmap-sensitive-data a.yaml:12:3',
      'secret-in-main-container b.yaml:11:11',
      'uncoupled-containers b.yaml:16:7',
      'configmap-sensitive-data b.yaml:29:8',
      'configmap-sensitive-data b.yaml:29:30',
    ]);
    const sorted = [...report.findings].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line || x.column - y.column));
    expect(report.findings).toEqual(sorted);
  });
});

describe('parse errors', () => {
  it('reports a parse-error at its line and still lints the other files', async () => {
    const dir = tempTree({
      'a-good.yaml': CONFIGMAP_ERROR,
      'b-broken.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n    - name: a\n     image: x\n`,
      'c-good.yaml': POD_WARNINGS,
      'd-clean.yaml': CLEAN,
    });
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const report = parseJson(r);
    expect(where(report)).toEqual([
      'configmap-sensitive-data a-good.yaml:6:3',
      'parse-error b-broken.yaml:8:1',
      'secret-in-main-container c-good.yaml:11:11',
      'uncoupled-containers c-good.yaml:16:7',
    ]);
    expect(report.findings[1]!.severity).toBe('error');
    expect(report.summary.files).toBe(4);
  });

  it('keeps linting the later documents of a file after a broken one', async () => {
    const dir = tempTree({ 'multi.yaml': `${BROKEN}---\n${CONFIGMAP_ERROR}` });
    const r = await runCli(['--format', 'json', 'multi.yaml'], { cwd: dir });
    expect(where(parseJson(r))).toEqual(['parse-error multi.yaml:6:6', 'configmap-sensitive-data multi.yaml:13:3']);
  });

  it('--fail-on none still exits 0 on a parse error, and no stack trace is printed', async () => {
    const dir = tempTree({ 'broken.yaml': BROKEN });
    const r = await runCli(['--fail-on', 'none', 'broken.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('parse-error');
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(STACK_TRACE);
  });
});

describe('secret values never appear in output', () => {
  it('names keys and Secrets, never their values', async () => {
    const dir = tempTree({
      'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  DB_PASSWORD: Sup3rS3cretValue\n  API_TOKEN: "tok_ABCDEF123456"\n`,
      'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: Sup3rS3cretValue\n  password: Sup3rS3cretValue2\n`,
      'dup.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: d\ndata: {token: dG9rX0FCQ0RFRjEyMzQ1Ng==, token: dG9rX0FCQ0RFRjEyMzQ1Nw==}\n`,
    });
    for (const format of ['json', 'stylish']) {
      const r = await runCli(['--format', format, '.'], { cwd: dir });
      expect(r.code).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out).toContain('DB_PASSWORD');
      expect(out).toContain('duplicate-key');
      for (const value of ['Sup3rS3cretValue', 'tok_ABCDEF123456', 'dG9rX0FCQ0RFRjEyMzQ1']) expect(out).not.toContain(value);
    }
  });
});

describe('--list-rules and --version', () => {
  it('lists every rule and the engine findings with severity and description', async () => {
    const r = await runCli(['--list-rules']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    const ids = rows.map((row) => row.split(/\s+/)[0]);
    const expected = [...builtinRules.map((r) => [r.meta.id, r.meta.defaultSeverity]), ...Object.entries(ENGINE_RULES).map(([id, m]) => [id, m.severity])];
    expect(ids).toEqual(expected.map(([id]) => id).sort());
    expect(ids).toEqual(expect.arrayContaining(['configmap-sensitive-data', 'secret-in-main-container', 'uncoupled-containers', 'parse-error', 'duplicate-key', 'yaml-compat']));
    const severities = Object.fromEntries(rows.map((row) => row.split(/\s+/).slice(0, 2)));
    expect(severities).toEqual(Object.fromEntries(expected));
    expect(severities).toMatchObject({
      'configmap-sensitive-data': 'error',
      'duplicate-key': 'error',
      'parse-error': 'error',
      'secret-in-main-container': 'warning',
      'uncoupled-containers': 'warning',
      'yaml-compat': 'warning',
    });
    for (const row of rows) expect(row.split(/\s{2,}/)[2]?.length ?? 0).toBeGreaterThan(10);
  });

  it('prints the version from package.json', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect((await runCli(['-v'])).stdout).toBe(`${pkg.version}\n`);
  });
});

describe('stylish output', () => {
  const dir = tempTree({ 'pod.yaml': POD_WARNINGS, 'clean.yaml': CLEAN });

  it('is the default, grouped by file, with a summary line', async () => {
    const r = await runCli(['pod.yaml', 'clean.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('pod.yaml');
    expect(lines[1]).toMatch(/^ {2}11:11 +warning +Main container "app" .* secret-in-main-container$/);
    expect(lines[2]).toMatch(/^ {2}16:7 +warning +"side" .* uncoupled-containers$/);
    expect(r.stdout).not.toContain('clean.yaml');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 2 problems (0 errors, 2 warnings) in 1 file; 2 files, 2 objects checked');
  });

  it('has no colour when output is not a terminal', async () => {
    const r = await runCli(['pod.yaml'], { cwd: dir });
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('has colour on a terminal, unless NO_COLOR is set or --no-color is given', async () => {
    expect((await runWithTty(['pod.yaml'], dir, true)).stdout).toMatch(ANSI);
    expect((await runWithTty(['pod.yaml'], dir, true, { NO_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await runWithTty(['--no-color', 'pod.yaml'], dir, true)).stdout).not.toMatch(ANSI);
    expect((await runCli(['pod.yaml'], { cwd: dir, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
  });

  it('has colour with --color even when not a terminal', async () => {
    const r = await runCli(['--color', 'pod.yaml'], { cwd: dir });
    expect(r.stdout).toMatch(ANSI);
  });

  it('never colours JSON', async () => {
    const r = await runWithTty(['--format', 'json', '--color', 'pod.yaml'], dir, true);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('says so when there is nothing to report', async () => {
    const r = await runCli(['clean.yaml'], { cwd: dir });
    expect(r.stdout).toBe('✔ No problems (1 file, 1 object checked)\n');
  });
});

describe('summary and positions', () => {
  /** Ten ConfigMaps of 6 lines joined by `---`; only the tenth has a credential key (line 69). */
  const stream = Array.from({ length: 10 }, (_, i) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  ${i === 9 ? 'API_TOKEN' : 'greeting'}: value-${i}\n`,
  ).join('---\n');
  const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: first
    data:
      ok: fine
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: second
    data:
      PASSWORD: pw-value
`;
  const mixed = `# a comment, then an empty document
---
---
just: data
---
- a
- list
---
apiVersion: v1
kind: Namespace
metadata:
  name: n
`;
  const dir = tempTree({ 'stream.yaml': stream, 'list.yaml': list, 'mixed.yaml': mixed, 'comments.yaml': '# nothing here\n' });

  it('gives absolute line numbers for the tenth document of a stream', async () => {
    const r = await runCli(['--format', 'json', 'stream.yaml'], { cwd: dir });
    const report = parseJson(r);
    expect(where(report)).toEqual(['configmap-sensitive-data stream.yaml:69:3']);
    expect(report.findings[0]).toMatchObject({ endLine: 69, endColumn: 21, object: { name: 'c9', kind: 'ConfigMap' } });
    expect(report.summary).toMatchObject({ documents: 10, objects: 10, skippedDocuments: 0 });
  });

  it('gives absolute line numbers for the items of a kind: List', async () => {
    const r = await runCli(['--format', 'json', 'list.yaml'], { cwd: dir });
    const report = parseJson(r);
    expect(where(report)).toEqual(['configmap-sensitive-data list.yaml:15:7']);
    expect(report.findings[0]).toMatchObject({ endLine: 15, endColumn: 25, object: { apiVersion: 'v1', kind: 'ConfigMap', name: 'second', namespace: null } });
    expect(report.summary).toMatchObject({ documents: 1, objects: 2, skippedDocuments: 0 });
  });

  it('skips empty and non-Kubernetes documents silently and counts them', async () => {
    const r = await runCli(['--format', 'json', 'mixed.yaml', 'comments.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = parseJson(r);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({
      files: 2,
      documents: 4,
      objects: 1,
      skippedDocuments: 3,
      findings: 0,
      errors: 0,
      warnings: 0,
      infos: 0,
      suppressed: 0,
    });
    const stylish = await runCli(['mixed.yaml', 'comments.yaml'], { cwd: dir });
    expect(stylish.stdout).toBe('✔ No problems (2 files, 1 object checked, 3 documents skipped (not Kubernetes objects))\n');
  });

  it('counts documents, objects and skipped documents over several files', async () => {
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(parseJson(r).summary).toEqual({
      files: 4,
      documents: 15,
      objects: 13,
      skippedDocuments: 3,
      findings: 2,
      errors: 2,
      warnings: 0,
      infos: 0,
      suppressed: 0,
    });
    const stylish = await runCli(['.'], { cwd: dir });
    expect(stylish.stdout.trimEnd().split('\n').at(-1)).toBe(
      '✖ 2 problems (2 errors, 0 warnings) in 2 files; 4 files, 13 objects checked, 3 documents skipped (not Kubernetes objects)',
    );
  });
});
