/**
 * SIDECAR_LINT_EXACT=1 really takes the straightforward path: the fast reader is never called, and
 * the output is the same as the fast path's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../support/lint.js';

const calls = vi.hoisted(() => ({ fast: 0 }));
vi.mock('../../../src/yaml/fast-parse.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/yaml/fast-parse.js')>();
  return {
    ...real,
    fastDocuments: (...args: Parameters<typeof real.fastDocuments>) => {
      calls.fast++;
      return real.fastDocuments(...args);
    },
  };
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-exact-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: hunter2-hunter2\n');
fs.writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  LOG_LEVEL: info\n');

describe('SIDECAR_LINT_EXACT', () => {
  it('unset: the fast reader reads every file', async () => {
    calls.fast = 0;
    const r = await runCli(['--no-config', '--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(calls.fast).toBe(2);
  });

  it('=1: the fast reader is never called, and the output is the same', async () => {
    calls.fast = 0;
    const fast = await runCli(['--no-config', '--format', 'json', '.'], { cwd: dir });
    calls.fast = 0;
    const exact = await runCli(['--no-config', '--format', 'json', '.'], { cwd: dir, env: { SIDECAR_LINT_EXACT: '1' } });
    expect(calls.fast).toBe(0);
    expect(exact.code).toBe(1);
    expect(exact.stdout).toBe(fast.stdout);
    expect(JSON.parse(exact.stdout).findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`)).toEqual(['configmap-sensitive-data@6']);
  });

  it('=0: the fast path, as when unset', async () => {
    calls.fast = 0;
    await runCli(['--no-config', '--format', 'json', '.'], { cwd: dir, env: { SIDECAR_LINT_EXACT: '0' } });
    expect(calls.fast).toBe(2);
  });
});

// B12: numbers the two YAML libraries read differently (8080 for Kubernetes: 0b…, +0x…), YAML 1.1
// booleans, and a suppression comment that sends the file to the exact path: the same findings.
const dir12 = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-exact-b12-'));
afterAll(() => fs.rmSync(dir12, { recursive: true, force: true }));
const ports =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  shareProcessNamespace: yes\n  containers:\n  - name: app\n    image: app:1\n    ports: [{containerPort: 8080}]\n  - name: proxy\n    image: proxy:1\n    ports: [{containerPort: 0b1111110010000}, {containerPort: +0x1F90}]\n';
fs.writeFileSync(path.join(dir12, 'ports.yaml'), ports);
fs.writeFileSync(path.join(dir12, 'suppressed.yaml'), `# sidecar-lint-disable-next-line env-literal-secret -- unrelated\n${ports.replace('name: web', 'name: web2')}`);

describe('SIDECAR_LINT_EXACT on what the two YAML libraries read differently (B12)', () => {
  it('the same findings, a port conflict in both files, with and without the exact path', async () => {
    const fast = await runCli(['--no-config', '--format', 'json', '.'], { cwd: dir12 });
    const exact = await runCli(['--no-config', '--format', 'json', '.'], { cwd: dir12, env: { SIDECAR_LINT_EXACT: '1' } });
    expect(exact.stdout).toBe(fast.stdout);
    expect(exact.code).toBe(fast.code);
    const conflicts = JSON.parse(fast.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'container-port-conflict');
    expect(conflicts.map((f: { file: string }) => f.file).sort()).toEqual(['ports.yaml', 'suppressed.yaml']);
  });
});
