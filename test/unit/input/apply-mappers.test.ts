/** Findings mapped back to sources and their duplicate places dropped (src/input/render/index.ts `applyMappers`). */
import { describe, expect, it } from 'vitest';
import { applyMappers } from '../../../src/input/render/index.js';
import type { Finding } from '../../../src/types.js';

/** The reference: one string key per finding, as the places were once compared. */
function reference(findings: readonly Finding[], mappers: ReadonlyMap<string, (list: Finding[]) => Finding[]>): Finding[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const [file, list] of byFile) {
    const mapper = mappers.get(file);
    for (const f of mapper ? mapper(list) : list) {
      const key = `${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.ruleId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

describe('applyMappers', () => {
  it('keeps the first finding of each place (file, line, column, rule), in the order of the reference', () => {
    let seed = 5;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const pick = <T,>(values: readonly T[]) => values[next(values.length)]!;
    const findings = Array.from({ length: 5000 }, (_, i): Finding => ({
      ruleId: pick(['a', 'b', 'c']),
      severity: 'error',
      message: `m${i}`,
      file: pick(['x.yaml', 'y.yaml', 'rendered/z.yaml']),
      line: pick([1, 2, 3, 63, 64, 2 ** 24 - 1, 2 ** 24, 2 ** 40, 0.5, -1, Number.NaN]),
      column: pick([0, 1, 63, 64, 65, 1e6, 0.5, -1, Number.NaN]),
      endLine: 1,
      endColumn: 1,
      object: null,
      container: null,
    }));
    // A mapper that moves some of its findings into another file (as a rendered chart's go to its sources).
    const mappers = new Map([['rendered/z.yaml', (list: Finding[]) => list.map((f, i) => (i % 2 === 0 ? { ...f, file: 'x.yaml' } : f))]]);
    for (const m of [new Map(), mappers]) {
      const got = applyMappers(findings, m);
      expect(got.map((f) => f.message)).toEqual(reference(findings, m).map((f) => f.message));
      expect(got.length).toBeLessThan(findings.length);
    }
  });
});
