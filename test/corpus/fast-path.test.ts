/**
 * The fast path must give byte-identical results to the exact path, over the whole corpus: the
 * engine's results file by file and for the whole run, and the CLI's JSON output itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { describe, expect, it } from 'vitest';
import { lintText, lintTextFast } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { lintInputs } from '../../src/run/lint-files.js';
import { lintOptions } from '../support/lint.js';

const corpus = path.resolve(import.meta.dirname, '../../../shared/corpus');
const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');
const present = existsSync(corpus);
if (!present) console.warn(`fast-path differential skipped: ${corpus} not found`);

describe.skipIf(!present)('fast path against exact path over ../shared/corpus', () => {
  it('gives identical findings and stats for every file', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    expect(files.length).toBeGreaterThan(2000);
    const rules = lintOptions().rules;
    const mismatches: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(corpus, file), 'utf8');
      const fast = JSON.stringify(lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: true }));
      const exact = JSON.stringify(lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: false }));
      if (fast !== exact) mismatches.push(file);
    }
    expect(mismatches).toEqual([]);
  });

  it('gives identical findings for every 5th file rewritten with what Kubernetes reads differently from YAML 1.2', () => {
    // YAML 1.1 booleans and numbers, a Unicode line break after a comment, a byte order mark after
    // `---`, a comment right after a quote (issue 14, B12): deterministic rewrites, no randomness.
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    const rules = lintOptions().rules;
    const rewrites: ((t: string) => string)[] = [
      (t) => t.replace(/: true$/gm, ': yes').replace(/: false$/gm, ': Off'),
      (t) => t.replace(/(containerPort|port|targetPort): (\d+)$/gm, (_m, k: string, n: string) => `${k}: 0x${Number(n).toString(16)}`),
      (t) => t.replace(/(containerPort|port|targetPort): (\d+)$/gm, (_m, k: string, n: string) => `${k}: 0${Number(n).toString(8)}`),
      (t) => t.replace(/^(\s*#[^\n]*)$/m, '$1\u2028  injected: yes'),
      (t) => t.replace(/\n---\n/g, '\n---\n\ufeff'),
      (t) => t.replace(/: "([^"\n]*)"$/gm, ': "$1"#c'),
    ];
    const mismatches: string[] = [];
    let changed = 0;
    for (let i = 0; i < files.length; i += 5) {
      const original = readFileSync(path.join(corpus, files[i]!), 'utf8');
      const text = rewrites[(i / 5) % rewrites.length]!(original);
      if (text === original) continue;
      changed++;
      const fast = JSON.stringify(lintText(text, files[i]!, { rules, settings: DEFAULT_SETTINGS, fast: true }));
      const exact = JSON.stringify(lintText(text, files[i]!, { rules, settings: DEFAULT_SETTINGS, fast: false }));
      if (fast !== exact) mismatches.push(files[i]!);
    }
    expect(changed).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  });

  it('gives identical findings with suppression comments and annotations, and keeps such files on the fast path', () => {
    // Each file with findings gets, from its exact findings: a disable-next-line over
    // some, a disable … enable block around another, a directive without a reason, one that matches
    // nothing, and a suppression annotation (with a reason, without, for no rule) in each
    // `annotations:` block. Both paths must give the same results, with and without unused ones reported.
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    const rules = lintOptions().rules;
    const mismatches: string[] = [];
    let rewritten = 0;
    let fastOnes = 0;
    let suppressed = 0;
    let reported = 0;
    let annotated = 0;
    for (const file of files) {
      const original = readFileSync(path.join(corpus, file), 'utf8');
      if (original.includes('\r') || file.endsWith('.json')) continue;
      const found = lintText(original, file, { rules, settings: DEFAULT_SETTINGS, fast: false }).findings.filter((f) => f.ruleId !== 'parse-error');
      if (found.length === 0) continue;
      const lines = original.split('\n');
      const before = new Map<number, string[]>(); // 0-based line -> comment lines to insert before it
      const add = (line: number, comment: string) => {
        const at = Math.max(0, Math.min(line, lines.length - 1));
        const indent = /^\s*/.exec(lines[at]!)![0];
        before.set(at, [...(before.get(at) ?? []), indent + comment]);
      };
      // Without a reason: it suppresses nothing, and comes before the one that does.
      add(found[0]!.line - 1, '# sidecar-lint-disable-next-line all');
      found.forEach((f, k) => {
        if (k % 3 === 0) add(f.line - 1, `# sidecar-lint-disable-next-line ${f.ruleId} -- known`);
        if (k % 5 === 1) {
          add(f.line - 1, `# sidecar-lint-disable ${f.ruleId}, secret-env-var -- a block`);
          add(f.line + 2, `# sidecar-lint-enable ${f.ruleId}`);
        }
      });
      add(lines.length - 1, '# sidecar-lint-disable-next-line no-such-rule -- nothing here');
      let n = 0;
      const text = lines
        .flatMap((l, at) => [...(before.get(at) ?? []), l])
        .join('\n')
        .replace(/^(\s*)annotations:[ \t]*\n(\s+)(?=\S)/gm, (_m, outer: string, inner: string) => {
          const entry = [`ignore.sidecar-lint.io/${found[0]!.ruleId}: "accepted"`, 'ignore.sidecar-lint.io/all: ""', 'ignore.sidecar-lint.io/nothing: "never used"'][n++ % 3]!;
          return `${outer}annotations:\n${inner}${entry}\n${inner}`;
        });
      rewritten++;
      for (const reportUnusedSuppressions of [false, true]) {
        const fast = lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: true, reportUnusedSuppressions });
        const exact = lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: false, reportUnusedSuppressions });
        if (JSON.stringify(fast) !== JSON.stringify(exact)) mismatches.push(`${file} (unused ${reportUnusedSuppressions})`);
        if (lintTextFast(text, file, { rules, settings: DEFAULT_SETTINGS, fast: true, reportUnusedSuppressions })) fastOnes++;
        suppressed += exact.findings.filter((f) => f.suppressed).length;
        reported += exact.findings.filter((f) => f.ruleId === 'unused-suppression' || f.ruleId === 'suppression-without-reason').length;
        annotated += exact.findings.filter((f) => f.suppressed?.kind === 'annotation' || (f.ruleId.includes('suppression') && f.object !== null)).length;
      }
    }
    expect(rewritten).toBeGreaterThan(200);
    expect(suppressed).toBeGreaterThan(400);
    expect(reported).toBeGreaterThan(500);
    expect(annotated).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
    // The files the fast path reads as they were, it reads with suppressions too (most of them).
    expect(fastOnes).toBeGreaterThan(rewritten * 2 * 0.9);
  });

  it('gives identical results with the cross-resource checks, run over the whole corpus at once', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    const inputs = files.map((file) => ({ display: file, absolute: path.join(corpus, file) }));
    const rules = lintOptions().rules;
    const fast = lintInputs(inputs, { rules, settings: DEFAULT_SETTINGS, fast: true });
    const exact = lintInputs(inputs, { rules, settings: DEFAULT_SETTINGS, fast: false });
    expect(exact.findings.filter((f) => f.ruleId === 'missing-reference-key').length).toBeGreaterThan(0);
    expect(JSON.stringify(fast)).toEqual(JSON.stringify(exact));
  });

  it('gives byte-identical JSON output from the CLI: fast path, exact path (SIDECAR_LINT_EXACT=1), two threads', () => {
    const runWith = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, '--no-config', '--no-render', '--format', 'json', corpus], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ...env },
        maxBuffer: 1 << 30,
      });
    const fast = runWith({ SIDECAR_LINT_THREADS: '1' });
    const exact = runWith({ SIDECAR_LINT_THREADS: '1', SIDECAR_LINT_EXACT: '1' });
    const two = runWith({ SIDECAR_LINT_THREADS: '2' });
    expect(fast.status).toBe(1);
    const report = JSON.parse(fast.stdout) as { findings: unknown[]; summary: { files: number; documents: number } };
    expect(report.summary.files).toBeGreaterThan(2000);
    expect(report.findings.length).toBeGreaterThan(100);
    for (const other of [exact, two]) {
      expect(other.status).toBe(fast.status);
      expect(other.stderr).toBe(fast.stderr);
      expect(other.stdout === fast.stdout).toBe(true); // not toBe: a diff of megabytes helps nobody
    }
  });
});
