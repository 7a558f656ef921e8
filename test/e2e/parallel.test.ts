/**
 * With enough files (and SIDECAR_LINT_THREADS=2, or 4+ CPUs) the CLI lints on two threads (the
 * bundle runs itself in a worker); the output must be byte-identical to one thread's
 * (SIDECAR_LINT_THREADS=1), cross-resource findings included.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_FILES } from '../../src/run/lint-worker.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-parallel-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pod = (i: number) => `apiVersion: v1
kind: Pod
metadata:
  name: p${i}
spec:
  containers:
    - name: app
      image: app
      env:
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: s${i % 7}, key: missing-${i % 3}}}
    - name: side
      image: side
`;
const secret = (i: number) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}\ntype: Opaque\nstringData:\n  missing-0: \${VALUE}\n`;
const configMap = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  API_TOKEN: tok-${i}-value\n`;

describe('two threads', () => {
  it('give the same output as one, byte for byte', () => {
    const n = PARALLEL_MIN_FILES + 50;
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(4, '0')}.yaml`), i % 3 === 0 ? pod(i) : i % 3 === 1 ? configMap(i) : secret(i % 7));
    const runWith = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, '--no-config', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
    const two = runWith({ SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_TRACE_WORKER: '1' });
    const one = runWith({ SIDECAR_LINT_THREADS: '1', SIDECAR_LINT_TRACE_WORKER: '1' });
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stderr).toBe(`sidecar-lint: worker thread linted ${Math.floor(n / 2)} files\n`);
    expect(one.stderr).toBe('');
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(two.stdout) as { findings: { ruleId: string }[]; summary: { files: number } };
    expect(report.summary.files).toBe(n);
    const ids = new Set(report.findings.map((f) => f.ruleId));
    expect([...ids]).toEqual(expect.arrayContaining(['configmap-sensitive-data', 'sidecar-missing-resources', 'secret-in-main-container']));
  });

  it('give the same output as the exact path (SIDECAR_LINT_EXACT=1), on one thread and on two', () => {
    const runWith = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, '--no-config', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
    const fast = runWith({ SIDECAR_LINT_THREADS: '1' });
    const exact = runWith({ SIDECAR_LINT_THREADS: '1', SIDECAR_LINT_EXACT: '1' });
    const exactTwo = runWith({ SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_EXACT: '1', SIDECAR_LINT_TRACE_WORKER: '1' });
    expect(fast.status).toBe(1);
    expect(exact.status).toBe(1);
    expect(exactTwo.status).toBe(1);
    expect(exactTwo.stderr).toMatch(/^sidecar-lint: worker thread linted \d+ files\n$/);
    expect(JSON.parse(fast.stdout).findings.length).toBeGreaterThan(100);
    expect(exact.stdout).toBe(fast.stdout);
    expect(exactTwo.stdout).toBe(fast.stdout);
  });

  it('load the bundle in the worker with the compiled code the CLI keeps, as on the main thread', () => {
    const runWith = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, '--no-config', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
    // The first run may write the cache; then both threads load the bundle with it.
    runWith({ SIDECAR_LINT_THREADS: '1' });
    const two = runWith({ SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_TRACE_CACHE: '1', SIDECAR_LINT_TRACE_WORKER: '1' });
    const one = runWith({ SIDECAR_LINT_THREADS: '1' });
    expect(two.status).toBe(1);
    const lines = two.stderr.split('\n').filter((l) => l !== '');
    // Unless the cache cannot be read here (Node 22's own compile cache, a read-only checkout): the same line from each thread.
    const cacheLines = lines.filter((l) => l.startsWith('sidecar-lint: cache: '));
    if (cacheLines.length > 0) expect(cacheLines).toEqual(['sidecar-lint: cache: accepted', 'sidecar-lint: cache: accepted']);
    expect(lines).toContain(`sidecar-lint: worker thread linted ${Math.floor((PARALLEL_MIN_FILES + 50) / 2)} files`);
    expect(two.stdout).toBe(one.stdout);
  });

  it('takes SIDECAR_LINT_EXACT as 1 or 0, and says what is wrong otherwise', () => {
    for (const bad of ['yes', 'true', '2']) {
      const r = spawnSync(process.execPath, [BIN, '--no-config', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SIDECAR_LINT_EXACT: bad } });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`sidecar-lint: SIDECAR_LINT_EXACT must be 1 or 0, not ${JSON.stringify(bad)}\n`);
    }
  });

  it('takes SIDECAR_LINT_THREADS as a whole number, and says what is wrong otherwise', () => {
    for (const bad of ['two', '0', '-1', '1.5']) {
      const r = spawnSync(process.execPath, [BIN, '--no-config', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SIDECAR_LINT_THREADS: bad } });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`sidecar-lint: SIDECAR_LINT_THREADS must be a whole number of threads (1 or 2), not ${JSON.stringify(bad)}\n`);
    }
  });
});
