/**
 * Nothing silently green (issue 16; issue 14 B16): a run that lints nothing is exit 2 with one line on
 * stderr and nothing on stdout, as ESLint does, unless --allow-empty; a file named on the command line
 * that is ignored gets a one-line warning; several formats cannot share standard output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/lint.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-empty-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n';
const BAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: hunter2\n';
const COMPOSE = 'services:\n  web:\n    image: nginx\n';

let n = 0;
function tree(files: Record<string, string>): string {
  const dir = path.join(tmp, `t${++n}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const ALLOW = ' (pass --allow-empty to accept that)';

describe('a run that lints nothing: exit 2, one line', () => {
  it.each(['', '\n', '  \n\n'])('empty standard input (%j): a failed `helm template … |` does not pass', async (stdin) => {
    const r = await runCli(['--no-config', '-'], { cwd: tmp, stdin });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `sidecar-lint: standard input is empty; nothing was linted${ALLOW}\n` });
  });

  it('a directory with no YAML or JSON files', async () => {
    const dir = tree({ 'k8s/README.md': '# nothing\n' });
    const r = await runCli(['--no-config', 'k8s'], { cwd: dir });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `sidecar-lint: k8s: no *.yaml, *.yml or *.json files found; nothing was linted${ALLOW}\n` });
  });

  it('files with no Kubernetes object (a compose file, a CI workflow)', async () => {
    const dir = tree({ 'docker-compose.yml': COMPOSE, '.github/ci.yaml': 'on: push\n' });
    const r = await runCli(['--no-config', 'docker-compose.yml', '.github/ci.yaml'], { cwd: dir });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `sidecar-lint: no Kubernetes objects found in 2 files; nothing was linted${ALLOW}\n` });
  });

  it('B16: every path ignored by the config (ignore: ["**"]), in every format', async () => {
    const dir = tree({ '.sidecar-lint.yaml': 'ignore: ["**"]\n', 'k8s/bad.yaml': BAD, 'k8s/cm.yaml': CM });
    for (const format of ['stylish', 'compact', 'json', 'sarif']) {
      const r = await runCli(['-f', format, 'k8s'], { cwd: dir });
      expect(r, format).toEqual({ code: 2, stdout: '', stderr: `sidecar-lint: every file is ignored (2 files match an ignore pattern); nothing was linted${ALLOW}\n` });
    }
  });

  it('a single file named on the command line that is ignored: the ESLint warning is the one line', async () => {
    const dir = tree({ 'k8s/bad.yaml': BAD });
    const r = await runCli(['--no-config', '--ignore-pattern', 'k8s/**', 'k8s/bad.yaml'], { cwd: dir });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `sidecar-lint: k8s/bad.yaml: file ignored because of a matching ignore pattern; nothing was linted${ALLOW}\n` });
  });

  it('a parse error is a finding, not an empty run', async () => {
    const dir = tree({ 'broken.yaml': 'a: "unclosed\n' });
    const r = await runCli(['--no-config', '-f', 'compact', 'broken.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^broken\.yaml:1:\d+: error parse-error /);
  });

  it('a path that does not exist stays an error, even with --allow-empty', async () => {
    const r = await runCli(['--no-config', '--allow-empty', 'nope'], { cwd: tmp });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'sidecar-lint: nope: no such file or directory\n' });
  });
});

describe('--allow-empty: exit 0 for scripts that mean it', () => {
  it('empty standard input', async () => {
    const r = await runCli(['--no-config', '--allow-empty', '-'], { cwd: tmp, stdin: '' });
    expect(r).toEqual({ code: 0, stdout: '✔ No problems (1 file, 0 objects checked)\n', stderr: '' });
  });

  it('a directory with no YAML files', async () => {
    const dir = tree({ 'k8s/README.md': '# nothing\n' });
    const r = await runCli(['--no-config', '--allow-empty', 'k8s'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '✔ No problems (0 files, 0 objects checked)\n', stderr: '' });
  });

  it('files with no Kubernetes object (pre-commit with only a compose file staged)', async () => {
    const dir = tree({ 'docker-compose.yml': COMPOSE });
    const r = await runCli(['--no-config', '--allow-empty', 'docker-compose.yml'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '✔ No problems (1 file, 0 objects checked, 1 document skipped (not Kubernetes objects))\n', stderr: '' });
  });

  it('every file ignored', async () => {
    const dir = tree({ '.sidecar-lint.yaml': 'ignore: ["**"]\n', 'k8s/bad.yaml': BAD });
    const r = await runCli(['--allow-empty', '-f', 'compact', 'k8s'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('changes nothing when something is linted', async () => {
    const dir = tree({ 'bad.yaml': BAD });
    const r = await runCli(['--no-config', '--allow-empty', '-f', 'compact', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
  });
});

describe('a file named on the command line that is ignored', () => {
  it('gets a one-line warning on stderr; the other files are linted and decide the exit code', async () => {
    const dir = tree({ 'gen/bad.yaml': BAD, 'k8s/cm.yaml': CM });
    const r = await runCli(['--no-config', '--ignore-pattern', 'gen/', '-f', 'compact', 'gen/bad.yaml', 'k8s/cm.yaml'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'sidecar-lint: warning: gen/bad.yaml: file ignored because of a matching ignore pattern\n' });
  });

  it('a file found by walking a directory is ignored silently', async () => {
    const dir = tree({ 'k8s/gen/bad.yaml': BAD, 'k8s/cm.yaml': CM });
    const r = await runCli(['--no-config', '--ignore-pattern', 'gen/', '-f', 'compact', 'k8s'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('several formats to standard output', () => {
  it('is a usage error, not two documents glued together', async () => {
    const dir = tree({ 'cm.yaml': CM });
    const r = await runCli(['--no-config', '-f', 'json', '-f', 'sarif', 'cm.yaml'], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: "sidecar-lint: 2 formats (json, sarif) would go to standard output; give all but one of them an --output-file. Run 'sidecar-lint --help' for usage.\n",
    });
  });

  it('one to standard output and the others to files is fine', async () => {
    const dir = tree({ 'cm.yaml': CM });
    const r = await runCli(['--no-config', '-f', 'sarif', '-o', 'out.sarif', '-f', 'json', 'cm.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('findings', []);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8'))).toHaveProperty('version', '2.1.0');
  });
});
