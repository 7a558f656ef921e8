/**
 * No leaks: canary secret values in ConfigMaps, env literals, command lines, Secrets (plain and
 * base64), embedded config files and broken YAML must never appear in any output format the CLI
 * offers (the list is read from the CLI itself, so new formats are covered as they are added), in
 * files written with --output-file, in error messages on stderr, in --print-config, nor in what the
 * GitHub Action prints, writes to the job summary or sets as outputs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/format/index.js';
import { runCli } from '../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sidecar-lint.js');

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-leaks-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Values that must never be printed: every one contains CANARY, or is the base64 of one that does. */
const SECRET_B64 = b64('s3cr3t-CANARY-b64');
const files: Record<string, string | Buffer> = {
  'configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  DB_PASSWORD: hunter2-CANARY-cm-plain
  API_TOKEN: "tok-CANARY-cm-quoted"
  SECRET_KEY: 'key-CANARY-cm-single'
  PRIVATE_KEY: |
    -----BEGIN PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-CANARY-cm-block
    -----END PRIVATE KEY-----
  CLIENT_SECRET: >
    folded-CANARY-cm-folded
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=props-CANARY-embedded
  config.json: '{"auth": {"password": "json-CANARY-embedded", "apiKey": "json2-CANARY-embedded"}}'
  settings.yaml: |
    auth:
      token: yaml-CANARY-embedded
      password: "yaml2-CANARY-embedded"
  .env: |
    SECRET_KEY=dotenv-CANARY-embedded
    export AWS_SECRET_ACCESS_KEY=aws-CANARY-embedded
  app.ini: |
    [database]
    password = ini-CANARY-embedded
  connection: postgres://admin:url-CANARY-password@db:5432/app
`,
  'pod.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        kubectl.kubernetes.io/default-container: app
    spec:
      containers:
      - name: app
        image: app:1
        command: ["app", "--db-password=cmd-CANARY-arg", "--token", "cmd2-CANARY-arg"]
        args: ["-p", "args-CANARY-arg"]
        env:
        - name: DB_PASSWORD
          value: env-CANARY-literal
        - name: API_KEY
          value: "env2-CANARY-literal"
        - name: AUTH_HEADER
          value: Bearer env3-CANARY-bearer
        - name: FROM_SECRET
          valueFrom:
            secretKeyRef: {name: db, key: password}
        envFrom:
        - secretRef: {name: app-secrets}
        volumeMounts:
        - {name: creds, mountPath: /creds}
      - name: shipper
        image: shipper:1
        env:
        - name: SHIPPER_TOKEN
          value: side-CANARY-literal
      volumes:
      - name: creds
        secret: {secretName: creds}
`,
  'secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  password: string-CANARY-data
  config.yaml: |
    password: string2-CANARY-embedded
data:
  token: ${SECRET_B64}
  broken: "not base64 CANARY-bad-b64 !!"
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: listed}
  stringData: {password: list-CANARY-item}
`,
  'broken-quote.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b1}\nstringData:\n  password: "unterminated-CANARY-broken-1\n',
  'broken-block-header.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b2}\nstringData:\n  password: |header-CANARY-broken-2\n',
  'broken-mapping.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b3}\nstringData:\n  password: map-CANARY-broken-3: x\n',
  'broken-flow.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b4}\nstringData: {password: [flow-CANARY-broken-4}\n',
  'broken-tab.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b5}\nstringData:\n\tpassword: tab-CANARY-broken-5\n',
  'broken-indent.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: b6\nstringData:\n  password: indent-CANARY-broken-6\n   extra: more-CANARY-broken-6\n',
  'broken-duplicate.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b7}\ndata:\n  password: dup-CANARY-broken-7a\n  password: dup-CANARY-broken-7b\n',
  'odd-complex-key.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b8}\ndata:\n  ? {password: complex-CANARY-broken-8}\n  : x\n  ? [complex2-CANARY-broken-8]\n  : y\n',
  'broken-escape.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b9}\nstringData:\n  password: "escape-CANARY-broken-9\\\'"\n',
  'broken-long-key.yaml': `apiVersion: v1\nkind: ConfigMap\ndata:\n  long-CANARY-broken-10${'x'.repeat(1100)}: v\n`,
  'broken-alias.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b11}\nstringData:\n  a: &anchor alias-CANARY-broken-11\n  b: *missing\n',
  'broken-tag.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b12}\nstringData:\n  password: !tag-CANARY-broken-12 value-CANARY-broken-12\n',
  'broken-nul.yaml': Buffer.from('apiVersion: v1\nkind: Secret\nmetadata: {name: b13}\nstringData:\n  password: nul-CANARY-broken-13\u0000tail-CANARY-broken-13\n'),
  'broken-utf8.yaml': Buffer.concat([
    Buffer.from('apiVersion: v1\nkind: Secret\nmetadata: {name: b14}\nstringData:\n  password: utf8-CANARY-broken-14'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('tail-CANARY-broken-14\n'),
  ]),
  'broken-deep.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: b15}\nstringData:\n  password: ${'['.repeat(400)}deep-CANARY-broken-15${']'.repeat(400)}\n`,
  'broken-json.json': '{"apiVersion": "v1", "kind": "Secret", "stringData": {"password": "json-CANARY-broken-16"\n',
  'broken-directive.yaml': '%YAML 9.9 directive-CANARY-broken-17\n---\napiVersion: v1\nkind: Secret\nstringData: {password: x}\n',
  'broken-document.yaml': 'apiVersion: v1\nkind: Secret\nstringData: {password: doc-CANARY-broken-18}\n--- junk-CANARY-broken-18 ] [\n',
  'broken-bomb.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: b19}',
    'x: &a ["bomb-CANARY-broken-19","bomb-CANARY-broken-19","bomb-CANARY-broken-19","bomb-CANARY-broken-19"]',
    ...Array.from({ length: 8 }, (_, i) => `x${i}: &a${i} [${Array(8).fill(i === 0 ? '*a' : `*a${i - 1}`).join(',')}]`),
    '',
  ].join('\n'),
  // B4 (reliability campaign 2026-12): parse-error messages quoted these values.
  'broken-alias-value.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s1}\nstringData:\n  DB_PASSWORD: *Xk9-CANARY-alias\n',
  'broken-alias-cycle.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s2}\nstringData:\n  DB_PASSWORD: &pw-CANARY [*pw-CANARY]\n',
  'broken-tag-handle.yaml': '%TAG !s3cr3t-CANARY! tag:example.com,2000:\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s3}\nstringData:\n  DB_PASSWORD: !s3cr3t-CANARY! y\n',
  'broken-at-start.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s4}\nstringData:\n  DB_PASSWORD: @CANARY-at\n',
  'broken-backtick-start.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s5}\nstringData:\n  DB_PASSWORD: `CANARY-backtick\n',
  'broken-percent-start.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s6}\nstringData:\n  DB_PASSWORD: %CANARY-percent\n',
  // Names are printed by design (keys, containers, objects): these carry no canary.
  '.sidecar-lint.yaml': 'rules:\n  uncoupled-containers: warning\n',
};

/** Every canary token and every base64 form of one: none may appear anywhere in any output. */
const needles = [/CANARY/i, new RegExp(SECRET_B64.replace(/[+/=]/g, '\\$&')), /s3cr3t/];

function leaksIn(label: string, text: string): string[] {
  const out: string[] = [];
  for (const n of needles) {
    const m = n.exec(text);
    if (m) out.push(`${label}: …${text.slice(Math.max(0, m.index - 60), m.index + 40)}…`);
  }
  return out;
}

/** The formats the CLI offers: its --help, and the formatter table (so a new format is covered automatically). */
async function offeredFormats(): Promise<string[]> {
  const help = (await runCli(['--help'])).stdout;
  const line = /Output format:\s*([^(\n]+)/.exec(help)?.[1] ?? '';
  const fromHelp = line.split(',').map((s) => s.trim()).filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
  return [...new Set([...FORMAT_NAMES, ...fromHelp])];
}

const dir = path.join(tmp, 'repo');
beforeAll(() => {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
});

describe('canary secrets never leave the process', () => {
  it('every file carries a canary (the check is not vacuous)', () => {
    for (const [name, content] of Object.entries(files)) {
      if (name === '.sidecar-lint.yaml') continue;
      expect(Buffer.from(content).toString('latin1'), name).toMatch(/CANARY|s3cr3t/);
    }
  });

  it('the rules do fire on the canary files, and each broken file is one parse-error', async () => {
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
    const fired = (file: string) => new Set(findings.filter((f) => f.file === file).map((f) => f.ruleId));
    expect(fired('configmap.yaml').has('configmap-sensitive-data')).toBe(true);
    expect(fired('secret.yaml').size).toBeGreaterThan(0);
    expect(fired('pod.yaml').size).toBeGreaterThan(0);
    for (const name of Object.keys(files).filter((n) => n.startsWith('broken-'))) {
      expect([...fired(name)].length, name).toBeGreaterThan(0);
    }
  });

  it('is offered at least the formats of the issue', async () => {
    expect(await offeredFormats()).toEqual(expect.arrayContaining(['stylish', 'json']));
  });

  it('appears in no output format, on stdout or stderr, in process and from the real executable', async () => {
    const leaks: string[] = [];
    for (const format of await offeredFormats()) {
      for (const extra of [[], ['--color'], ['--fail-on', 'none']]) {
        const r = await runCli(['--format', format, ...extra, '.'], { cwd: dir });
        expect([0, 1], `${format}: ${r.stderr}`).toContain(r.code);
        expect(r.stdout.length, format).toBeGreaterThan(0);
        leaks.push(...leaksIn(`${format} ${extra.join(' ')} stdout`, r.stdout), ...leaksIn(`${format} stderr`, r.stderr));
      }
      const bin = spawnSync(process.execPath, [BIN, '--format', format, '.'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_DEBUG: '' },
        timeout: 60_000,
      });
      leaks.push(...leaksIn(`${format} (bin) stdout`, bin.stdout), ...leaksIn(`${format} (bin) stderr`, bin.stderr));
    }
    expect(leaks).toEqual([]);
  });

  it('appears in no file written with --output-file, for every format at once', async () => {
    const formats = await offeredFormats();
    const args = formats.flatMap((f) => ['--format', f, '--output-file', path.join(tmp, `out.${f}`)]);
    const r = await runCli([...args, '.'], { cwd: dir });
    expect([0, 1]).toContain(r.code);
    const leaks = [...leaksIn('stdout', r.stdout), ...leaksIn('stderr', r.stderr)];
    for (const f of formats) leaks.push(...leaksIn(`out.${f}`, fs.readFileSync(path.join(tmp, `out.${f}`), 'utf8')));
    expect(leaks).toEqual([]);
  });

  it('appears nowhere with debugging on (SIDECAR_LINT_DEBUG), nor in library warnings', () => {
    const r = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_DEBUG: '1' },
      timeout: 60_000,
    });
    expect([...leaksIn('stdout', r.stdout), ...leaksIn('stderr', r.stderr)]).toEqual([]);
  });

  it('appears in no message for a file read from standard input', async () => {
    const leaks: string[] = [];
    for (const [name, content] of Object.entries(files)) {
      const r = await runCli(['--format', 'json', '--stdin-filename', name, '-'], { cwd: tmp, stdin: Buffer.from(content).toString('utf8') });
      leaks.push(...leaksIn(`${name} stdout`, r.stdout), ...leaksIn(`${name} stderr`, r.stderr));
    }
    expect(leaks).toEqual([]);
  });

  it('appears nowhere in --print-config for any of the files', async () => {
    const leaks: string[] = [];
    for (const name of Object.keys(files)) {
      const r = await runCli(['--print-config', name], { cwd: dir });
      leaks.push(...leaksIn(`${name} stdout`, r.stdout), ...leaksIn(`${name} stderr`, r.stderr));
    }
    expect(leaks).toEqual([]);
  });

  const action = path.join(ROOT, 'action/index.js');
  it.skipIf(!fs.existsSync(action))('appears nowhere the GitHub Action writes: log, annotations, job summary, outputs', () => {
    const home = path.join(tmp, 'action-home');
    fs.mkdirSync(path.join(home, 'action'), { recursive: true });
    fs.mkdirSync(path.join(home, 'dist'), { recursive: true });
    for (const f of ['action.yml', 'package.json', 'action/index.js', 'dist/sidecar-lint.cjs']) {
      if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(home, f));
    }
    const summary = path.join(tmp, 'summary.md');
    const outputs = path.join(tmp, 'outputs.txt');
    fs.writeFileSync(summary, '');
    fs.writeFileSync(outputs, '');
    const r = spawnSync(process.execPath, [path.join(home, 'action/index.js')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmp,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: outputs,
        RUNNER_TEMP: tmp,
        GITHUB_EVENT_NAME: 'push',
        INPUT_PATHS: '.',
        INPUT_ANNOTATIONS: 'all',
        'INPUT_FAIL-ON': 'none',
        'INPUT_SARIF-FILE': 'report.sarif',
      },
    });
    const written = [summary, outputs, path.join(dir, 'report.sarif')].filter((f) => fs.existsSync(f));
    expect(fs.readFileSync(summary, 'utf8').length, r.stderr).toBeGreaterThan(0);
    const leaks = [...leaksIn('log', r.stdout), ...leaksIn('stderr', r.stderr)];
    for (const f of written) leaks.push(...leaksIn(path.basename(f), fs.readFileSync(f, 'utf8')));
    expect(leaks).toEqual([]);
  });
});

/**
 * B4 (reliability campaign 2026-12): an unquoted value starting with `*` was printed in the alias
 * error, and likewise a cycle's alias, a %TAG handle and the first character of a value starting
 * with @, ` or %. The messages now name the position only (the files above also run through every
 * format and both paths in the tests above).
 */
describe('parse-error messages name the position, never the text', () => {
  const CASES: [string, string][] = [
    ['broken-alias-value.yaml', 'broken-alias-value.yaml:5:16: error parse-error This alias (*) names no anchor defined before it; the document was not linted.'],
    ['broken-alias-cycle.yaml', 'broken-alias-cycle.yaml:5:28: error parse-error This alias (*) is inside the node its anchor names (a cycle), which Kubernetes rejects; the document was not linted.'],
    [
      'broken-tag-handle.yaml',
      // The directive itself is reported too: kubectl rejects any directive (B18).
      'broken-tag-handle.yaml:1:1: error parse-error A directive (a line starting with %): kubectl splits the stream at --- lines, which leaves the directive without its document, and rejects the file. Remove the directive.\nbroken-tag-handle.yaml:7:16: error parse-error A tag with a %TAG handle has no suffix.',
    ],
    ['broken-at-start.yaml', 'broken-at-start.yaml:5:16: error parse-error A plain (unquoted) value cannot start with @, ` or %; quote the value.'],
    ['broken-backtick-start.yaml', 'broken-backtick-start.yaml:5:16: error parse-error A plain (unquoted) value cannot start with @, ` or %; quote the value.'],
    ['broken-percent-start.yaml', 'broken-percent-start.yaml:5:16: error parse-error A plain (unquoted) value cannot start with @, ` or %; quote the value.'],
  ];
  it.each(CASES)('%s', async (file, line) => {
    for (const env of [{}, { SIDECAR_LINT_EXACT: '1' }] as Record<string, string>[]) {
      const r = await runCli(['--no-config', '-f', 'compact', file], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${line}\n`);
    }
  });
});
