/**
 * The credential rules report where a credential is, never what it is. The fixtures' credential
 * values all contain `CANARY`; the CLI's output over them, in JSON and in every other format, must
 * not contain it (nor any fixture Secret's decoded value), while it does report the findings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FORMAT_NAMES } from '../../src/format/index.js';
import { runCli } from '../support/lint.js';
import type { JsonReport } from '../../src/format/json.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RULE_DIRS = ['configmap-sensitive-data', 'env-literal-secret', 'secret-env-var', 'secret-committed', 'secret-invalid-base64'];
const MARKER = 'CANARY';

/** Every value of a `data` / `stringData` entry of a Secret in the fixtures, decoded when base64. */
function secretValues(): Set<string> {
  const out = new Set<string>();
  for (const dir of RULE_DIRS) {
    for (const name of readdirSync(path.join(ROOT, 'fixtures', dir))) {
      if (!/\.(ya?ml|json)$/.test(name)) continue;
      for (const doc of parseAllDocuments(readFileSync(path.join(ROOT, 'fixtures', dir, name), 'utf8'))) {
        const value = doc.toJS() as Record<string, unknown> | null;
        const objects = value?.kind === 'List' && Array.isArray(value.items) ? (value.items as Record<string, unknown>[]) : [value];
        for (const o of objects) {
          if (o?.kind !== 'Secret') continue;
          for (const field of ['data', 'stringData']) {
            const map = o[field];
            if (map === null || typeof map !== 'object') continue;
            for (const v of Object.values(map as Record<string, unknown>)) {
              if (typeof v !== 'string' || v.trim().length < 6) continue;
              out.add(v.trim());
              if (field === 'data') out.add(Buffer.from(v, 'base64').toString('utf8').trim());
            }
          }
        }
      }
    }
  }
  return out;
}

describe('no credential value in the output', () => {
  const args = RULE_DIRS.map((d) => `fixtures/${d}`);

  it('JSON: the findings are there, and no message contains a CANARY value or a Secret value', async () => {
    const r = await runCli(['--format', 'json', ...args], { cwd: ROOT });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const rules = new Set(report.findings.map((f) => f.ruleId));
    for (const id of RULE_DIRS) expect(rules, id).toContain(id);
    // The fixtures do carry CANARY values, so the check is not vacuous.
    const canaries = args.flatMap((a) => readdirSync(path.join(ROOT, a)).map((n) => readFileSync(path.join(ROOT, a, n), 'utf8'))).join('\n');
    expect(canaries.split(MARKER).length).toBeGreaterThan(50);
    const values = [...secretValues()].filter((v) => v.includes(MARKER));
    expect(values.length).toBeGreaterThan(3);
    for (const f of report.findings) {
      expect(`${f.message} ${f.hint ?? ''}`, `${f.file}:${f.line}`).not.toContain(MARKER);
      for (const v of values) expect(`${f.message} ${f.hint ?? ''}`).not.toContain(v);
    }
    expect(r.stdout).not.toContain(MARKER);
  });

  it.each(FORMAT_NAMES.map((f) => [f]))('%s: the whole output is free of CANARY values', async (format) => {
    const r = await runCli(['--format', format, '--no-color', ...args], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain(MARKER);
    expect(r.stderr).not.toContain(MARKER);
  });
});
