/**
 * The fast path's cheaper pre-checks (`kubeDoubt`, `needsExactPath`, `ignoredAfterDocumentEnd`) give the answers of the old ones
 * (test/support/fast-checks-reference.ts) on every file of ../shared/corpus, as read and as the fast
 * path gives it to them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { describe, expect, it } from 'vitest';
import { fastDocuments, kubeDoubt, needsExactPath } from '../../src/yaml/fast-parse.js';
import { normalizeText, parseText, stripBom } from '../../src/yaml/parse.js';
import { ignoredAfterDocumentEndReference, KUBE_DOUBT, needsExactPathReference } from '../support/fast-checks-reference.js';
import { ignoredAfterDocumentEnd, kubeLineBreaks, separatorOffsets } from '../../src/yaml/kube-stream.js';

const corpus = path.resolve(import.meta.dirname, '../../../shared/corpus');
const present = existsSync(corpus);
if (!present) console.warn(`fast-path pre-check differential skipped: ${corpus} not found`);

describe.skipIf(!present)('fast path pre-checks over ../shared/corpus', () => {
  it('agree with the old ones on every file', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    expect(files.length).toBeGreaterThan(2000);
    const mismatches: string[] = [];
    const answers = { doubt: 0, exact: 0 };
    for (const file of files) {
      const raw = readFileSync(path.join(corpus, file), 'utf8');
      const original = stripBom(raw);
      const lines = kubeLineBreaks(original);
      if (JSON.stringify(ignoredAfterDocumentEnd(original, lines)) !== JSON.stringify(ignoredAfterDocumentEndReference(original, lines))) mismatches.push(`ignoredAfterDocumentEnd ${file}`);
      for (const text of [stripBom(raw), normalizeText(raw)]) {
        const doubt = KUBE_DOUBT.test(text);
        const exact = needsExactPathReference(text);
        if (kubeDoubt(text) !== doubt) mismatches.push(`kubeDoubt ${file}`);
        if (needsExactPath(text) !== exact) mismatches.push(`needsExactPath ${file}`);
        answers.doubt += Number(doubt);
        answers.exact += Number(exact);
      }
    }
    expect(mismatches).toEqual([]);
    // Both checks say yes on some files (the comparison is not only of "no"s).
    expect(answers.doubt, "kubeDoubt").toBeGreaterThan(0);
    expect(answers.exact, "needsExactPath").toBeGreaterThan(0);
  });

  it('where kubeDoubt matches only text (doubtOutsideText), the fast path reads the exact path\'s values and the exact path reports nothing, file by file and document by document', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    const mismatches: string[] = [];
    let read = 0;
    for (const file of files) {
      const raw = readFileSync(path.join(corpus, file), 'utf8');
      if (!kubeDoubt(stripBom(raw))) continue;
      const starts = separatorOffsets(raw);
      const parts = [raw, ...starts.map((start, i) => raw.slice(start, starts[i + 1] ?? raw.length))];
      for (const text of parts) {
        if (!kubeDoubt(stripBom(text))) continue;
        const fast = fastDocuments(text);
        if (fast === undefined) continue;
        read++;
        const exact = parseText(text).documents;
        if (exact.some((d) => d.problems.length > 0) || JSON.stringify(exact.map((d) => d.value)) !== JSON.stringify(fast)) mismatches.push(file);
      }
    }
    expect(mismatches).toEqual([]);
    // The argo-cd HA redis ConfigMaps, the infw-gw CRDs, a kube-linter config: read fast.
    expect(read).toBeGreaterThan(5);
  });
});
