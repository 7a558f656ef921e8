/**
 * SIDECAR_LINT_EXACT=1 really takes the straightforward path: the fast reader is never called, and
 * the output is the same as the fast path's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './support/lint.js';

const calls = vi.hoisted(() => ({ fast: 0 }));
vi.mock('../src/fast-parse.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/fast-parse.js')>();
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
