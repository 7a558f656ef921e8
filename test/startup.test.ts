/**
 * Start-up: linting one small file must not load what only other paths need (see scripts/build.mjs).
 * Node's built-in modules for worker threads (parallel lint), child processes (Helm and Kustomize
 * renders, the Action's git calls) and crypto (the Action) are loaded only when used. Watched through
 * `process.moduleLoadList`, read in the CLI's own process when it exits. Time itself is measured by
 * `npm run bench`, not here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../bin/sidecar-lint.js');
const BUNDLE = path.resolve(import.meta.dirname, '../dist/sidecar-lint.js');
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

  it('--version loads none of them either', () => {
    const { code, builtins } = builtinsLoaded(['--version']);
    expect(code).toBe(0);
    for (const lazy of ['worker_threads', 'child_process', 'crypto']) expect(builtins, lazy).not.toContain(lazy);
  });

  it('the bundle is pure ASCII and imports at its top level only the built-ins every run needs', () => {
    const text = fs.readFileSync(BUNDLE, 'utf8');
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    // Static imports, where minified code puts them too (after `;` or `}` on a long line).
    const topImports = [...text.matchAll(/(?:^|[;}\n])\s*import\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+)?\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(topImports).toContain('node:fs');
    const eager = new Set(['node:fs', 'node:fs/promises', 'node:path', 'node:url', 'node:os', 'node:module', 'node:process', 'node:util']);
    expect(topImports.filter((m) => !eager.has(m!))).toEqual([]);
  });
});
