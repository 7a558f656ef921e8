/**
 * Start-up: linting one small file must not load what only other paths need (see scripts/build.mjs).
 * Node's built-in modules for worker threads (parallel lint), child processes (Helm and Kustomize
 * renders, the Action's git calls) and crypto (the Action) are loaded only when used. Watched through
 * `process.moduleLoadList`, read in the CLI's own process when it exits. Time itself is measured by
 * `npm run bench`, not here.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');
const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist/sidecar-lint.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-startup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const hook = path.join(dir, 'modules.mjs');
fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write('MODULES ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n");
const small = path.join(dir, 'small.yaml');
fs.writeFileSync(small, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n');

/** The built-in modules a run loaded, and its exit code. */
function builtinsLoaded(args: string[]): { code: number | null; builtins: string[] } {
  const r = spawnSync(process.execPath, ['--import', hook, BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('MODULES '));
  if (!line) throw new Error(`no module list: ${r.stderr}`);
  const list = JSON.parse(line.slice('MODULES '.length)) as string[];
  return { code: r.status, builtins: list.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)) };
}

describe('start-up', () => {
  it('lints one small file without loading worker threads, child processes or crypto', () => {
    const { code, builtins } = builtinsLoaded(['--no-config', 'small.yaml']);
    expect(code).toBe(0);
    expect(builtins).toContain('fs'); // the list is real
    for (const lazy of ['worker_threads', 'child_process', 'crypto']) expect(builtins, lazy).not.toContain(lazy);
  });

  it('a plain lint does not initialise the language server (--lsp loads its protocol library lazily)', () => {
    // The protocol library's transport loads child_process and dgram as it initialises: --lsp does,
    // with its input closed at once (the server then ends).
    const lsp = spawnSync(process.execPath, ['--import', hook, BIN, '--lsp'], { cwd: dir, encoding: 'utf8', input: '' });
    const line = lsp.stderr.split('\n').find((l) => l.startsWith('MODULES '));
    const loaded = (JSON.parse(line!.slice('MODULES '.length)) as string[]).map((m) => m.replace(/^NativeModule /, ''));
    expect(loaded).toContain('child_process');
    expect(loaded).toContain('dgram');
    const { builtins } = builtinsLoaded(['--no-config', 'small.yaml']);
    for (const lazy of ['child_process', 'dgram']) expect(builtins, lazy).not.toContain(lazy);
  });

  it('--version loads none of them either', () => {
    const { code, builtins } = builtinsLoaded(['--version']);
    expect(code).toBe(0);
    for (const lazy of ['worker_threads', 'child_process', 'crypto']) expect(builtins, lazy).not.toContain(lazy);
  });

  it('the bundle is pure ASCII and starts with the hash of the rest (the compile cache key)', () => {
    const text = fs.readFileSync(BUNDLE, 'latin1');
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    const first = text.indexOf('\n');
    const hash = /^\/\/ sha256:([0-9a-f]{64})$/.exec(text.slice(0, first))?.[1];
    expect(hash).toBe(createHash('sha256').update(text.slice(first + 1), 'latin1').digest('hex'));
  });
});

describe('the compile cache (bin/load-bundle.js)', () => {
  // A copy of the package's runnable files, so that this test owns its cache file.
  const home = path.join(dir, 'package');
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(home, 'dist'), { recursive: true });
  for (const f of ['package.json', 'bin/sidecar-lint.js', 'bin/load-bundle.js', 'dist/sidecar-lint.cjs']) fs.copyFileSync(path.join(ROOT, f), path.join(home, f));
  const cache = path.join(home, 'dist/sidecar-lint.cjs.v8-cache');
  const cm = path.join(dir, 'cm.yaml');
  fs.writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: hunter2-hunter2\n');

  const lint = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(home, 'bin/sidecar-lint.js'), '--no-config', '--format', 'json', cm], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_TRACE_CACHE: '1', ...env },
    });
    const trace = r.stderr.split('\n').filter((l) => l.startsWith('sidecar-lint: cache: ')).map((l) => l.slice('sidecar-lint: cache: '.length));
    return { code: r.status, stdout: r.stdout, trace };
  };

  it('is written by the first run and used by the next, with the same output', () => {
    fs.rmSync(cache, { force: true });
    const first = lint();
    expect(first.trace).toEqual(['none', 'written']);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout).findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`)).toEqual(['configmap-sensitive-data@6']);
    expect(fs.statSync(cache).size).toBeGreaterThan(100_000);
    const second = lint();
    expect(second.trace).toEqual(['accepted']);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(1);
  });

  it('is replaced when V8 rejects it or when it belongs to another build', () => {
    lint();
    const bytes = fs.readFileSync(cache);
    const header = bytes.subarray(0, bytes.indexOf(10) + 1);
    // Same key, damaged code: V8 rejects it, the run goes on and writes a good one.
    fs.writeFileSync(cache, Buffer.concat([header, Buffer.alloc(5000, 7)]));
    const damaged = lint();
    expect(damaged.trace).toEqual(['rejected', 'written']);
    expect(damaged.code).toBe(1);
    expect(lint().trace).toEqual(['accepted']);
    // Another bundle's key: not even offered to V8.
    fs.writeFileSync(cache, Buffer.concat([Buffer.from(header.toString('latin1').replace(/[0-9a-f]{64}/, '0'.repeat(64)), 'latin1'), bytes.subarray(header.length)]));
    expect(lint().trace).toEqual(['none', 'written']);
  });

  it('is only a saving: without it, or where it cannot be written, the CLI runs the same', () => {
    const expected = lint().stdout;
    fs.rmSync(cache, { force: true });
    const off = lint({ SIDECAR_LINT_NO_CACHE: '1' });
    expect(off.trace).toEqual([]);
    expect(off.stdout).toBe(expected);
    expect(fs.existsSync(cache)).toBe(false);
    // Where the cache cannot be written (a directory in its place stops root too).
    fs.mkdirSync(cache);
    fs.writeFileSync(path.join(cache, 'x'), '');
    try {
      const blocked = lint();
      expect(blocked.trace).toEqual(['none', 'not written']);
      expect(blocked.stdout).toBe(expected);
      expect(fs.readdirSync(path.join(home, 'dist')).sort()).toEqual(['sidecar-lint.cjs', 'sidecar-lint.cjs.v8-cache']);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('says in one line that the bundle is missing, when it is (exit 2)', () => {
    const bare = path.join(dir, 'no-bundle');
    fs.mkdirSync(path.join(bare, 'bin'), { recursive: true });
    for (const f of ['package.json', 'bin/sidecar-lint.js', 'bin/load-bundle.js']) fs.copyFileSync(path.join(ROOT, f), path.join(bare, f));
    const r = spawnSync(process.execPath, [path.join(bare, 'bin/sidecar-lint.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^sidecar-lint: cannot load the built CLI \(run 'npm run build'\): ENOENT[^\n]*sidecar-lint\.cjs'\n$/);
  });
});
