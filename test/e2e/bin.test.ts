/**
 * The real executable: `node bin/sidecar-lint.js` over the bundle that the global setup builds.
 * Checks what only a real process shows: the exit status, piped standard input, and that stderr
 * never carries a stack trace.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');
const STACK_TRACE = /\n\s+at .*:\d+:\d+/;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app
      envFrom:
        - secretRef:
            name: app-secrets
    - name: side
      image: side
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: db
data:
  DB_PASSWORD: hunter2-value
`;

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-bin-')));
fs.writeFileSync(path.join(dir, 'pod.yaml'), POD);
fs.writeFileSync(path.join(dir, 'cm.yaml'), CONFIGMAP);
fs.writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b: c\n');
fs.writeFileSync(path.join(dir, 'binary.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x7b, 0x5b, 0x3a, 0x0a, 0x09, 0x2d]));
fs.writeFileSync(path.join(dir, 'deep.yaml'), `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
fs.writeFileSync(
  path.join(dir, 'bomb.yaml'),
  [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    '',
  ].join('\n'),
);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_DEBUG: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/sidecar-lint.js', () => {
  it('exits 1 with the findings in JSON', () => {
    const r = cli(['--format', 'json', 'pod.yaml', 'cm.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; line: number; column: number }[]; summary: { files: number } };
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'configmap-sensitive-data cm.yaml:6:3',
      'secret-env-var pod.yaml:10:11',
      'secret-in-main-container pod.yaml:10:11',
      'sidecar-missing-resources pod.yaml:12:7',
      'uncoupled-containers pod.yaml:12:7',
    ]);
    expect(report.summary.files).toBe(2);
  });

  it('exits 0 when nothing reaches --fail-on', () => {
    expect(cli(['--fail-on', 'error', 'pod.yaml']).code).toBe(0);
  });

  it('prints the version', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('reads standard input through -', () => {
    const r = cli(['--format', 'json', '--stdin-filename', 'piped.yaml', '-'], CONFIGMAP);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { file: string; line: number }[] };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ file: 'piped.yaml', line: 6 });
    const plain = cli(['-'], CONFIGMAP);
    expect(plain.stdout.split('\n')[0]).toBe('<stdin>');
  });

  it('treats empty standard input as nothing linted: exit 2 with one line (a failed `helm template … |` must not pass); --allow-empty accepts it', () => {
    const r = cli(['--format', 'json', '-'], '');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sidecar-lint: standard input is empty; nothing was linted (pass --allow-empty to accept that)\n');
    const allowed = cli(['--format', 'json', '--allow-empty', '-'], '');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('');
  });

  it.each([
    ['an unknown option', ['--frobnicate'], 2],
    ['no arguments', [], 2],
    ['a missing path', ['nope/missing.yaml'], 2],
    ['a glob matching nothing', ['**/*.nothing.yaml'], 2],
    ['a bad --format', ['--format', 'xml', 'pod.yaml'], 2],
    ['a YAML syntax error', ['broken.yaml'], 1],
    ['binary garbage', ['binary.yaml'], undefined],
    ['deep nesting', ['deep.yaml'], undefined],
    ['an alias bomb', ['bomb.yaml'], undefined],
  ] as const)('prints no stack trace for %s', (_what, args, expected) => {
    const r = cli([...args]);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stdout).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toContain('internal error');
    if (expected !== undefined) expect(r.code).toBe(expected);
    else expect([0, 1]).toContain(r.code);
    if (r.code === 2) {
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^sidecar-lint: /);
    }
  });

  it('prints no library warnings on stderr (they may quote the input)', () => {
    // A complex key makes the yaml package warn through process.emitWarning, quoting the key.
    const text = `${CONFIGMAP}  ? [alpha-key-text, beta]\n  : c\n`;
    fs.writeFileSync(path.join(dir, 'complex-key.yaml'), text);
    const r = cli(['--format', 'json', 'complex-key.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('prints no stack trace when its reader goes away early', () => {
    const many = Array.from({ length: 2000 }, (_, i) => CONFIGMAP.replace('name: db', `name: db${i}`)).join('---\n');
    fs.writeFileSync(path.join(dir, 'many.yaml'), many);
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --format json many.yaml | head -c 10 >/dev/null; exit "\${PIPESTATUS[0]}"`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
  });

  it('writes every byte to a reader that starts late, as to a file (it waits for the reader)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => CONFIGMAP.replace('name: db', `name: db${i}`)).join('---\n');
    fs.writeFileSync(path.join(dir, 'many-late.yaml'), many);
    for (const format of ['json', 'sarif', 'stylish']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --format ${format} many-late.yaml | (sleep 0.3; cat > late.out); exit "\${PIPESTATUS[0]}"`], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 120_000,
      });
      expect(r.stderr, format).toBe('');
      expect(r.status, format).toBe(1);
      const direct = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --format ${format} many-late.yaml > direct.out`], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
      expect(direct.status, format).toBe(1);
      const late = fs.readFileSync(path.join(dir, 'late.out'), 'utf8');
      expect(late.length, format).toBeGreaterThan(100_000);
      expect(late, format).toBe(fs.readFileSync(path.join(dir, 'direct.out'), 'utf8'));
    }
  });
});
