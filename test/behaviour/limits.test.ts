/** Inputs past the engine's ordinary sizes: many findings in one file, an output path that cannot be made. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { finish } from '../../src/run/lint-files.js';
import { emptyStats, type Finding } from '../../src/types.js';
import { lintOptions } from '../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('limits', () => {
  it('collects 300,000 findings of one file (no argument-count limit on the way)', () => {
    const finding: Finding = {
      ruleId: 'configmap-sensitive-data',
      severity: 'error',
      message: 'm',
      file: 'big.yaml',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      object: null,
      container: null,
    };
    const findings = Array.from({ length: 300_000 }, () => finding);
    const rules = lintOptions().rules;
    const result = finish([{ display: 'big.yaml', text: '' }], [{ result: { file: 'big.yaml', findings, stats: emptyStats() } }], { rules, settings: DEFAULT_SETTINGS });
    expect(result.findings).toHaveLength(300_000);
  });

  it('an output file under /proc is one line on stderr and exit 2, not a hang', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/sidecar-lint.js'), '-f', 'json', '-o', '/proc/nope/x.json', 'fixtures/examples/'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('sidecar-lint: /proc/nope/x.json: cannot be written (ENOENT)\n');
  });
});
