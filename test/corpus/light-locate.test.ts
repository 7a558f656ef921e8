/**
 * The light reader (src/yaml/light-locate.ts) against `yaml` over every document of ../shared/corpus:
 * every path to every node located both ways, the same range wherever the light reader answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { describe, expect, it } from 'vitest';
import { fastDocuments } from '../../src/yaml/fast-parse.js';
import { normalizeText, parseText } from '../../src/yaml/parse.js';
import { documentStarts } from '../../src/yaml/kube-stream.js';
import { compareDocument } from '../support/light-oracle.js';

const corpus = path.resolve(import.meta.dirname, '../../../shared/corpus');
const present = existsSync(corpus);
if (!present) console.warn(`light reader differential skipped: ${corpus} not found`);

describe.skipIf(!present)('light reader against yaml over ../shared/corpus', () => {
  it('gives the same range for every node it locates, and reads nearly every document', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    let documents = 0;
    let read = 0;
    let located = 0;
    let unsure = 0;
    // Paths into flow collections (`{}`, `[a, b]`, JSON): located since issue 18.
    let inFlow = 0;
    const mismatches: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(corpus, file), 'utf8');
      const values = fastDocuments(text);
      if (!values) continue;
      // The documents as the engine cuts them (src/run/engine.ts, lintParts).
      const whole = normalizeText(text);
      const starts = documentStarts(whole);
      if (starts.length !== values.length) continue;
      values.forEach((value, index) => {
        if (value === null || typeof value !== 'object') return;
        const part = whole.slice(starts[index]!, starts[index + 1] ?? whole.length);
        const parsed = parseText(part);
        if (parsed.documents.length !== 1 || !parsed.documents[0]!.usable || parsed.documents[0]!.problems.length > 0) return;
        documents++;
        const r = compareDocument(part, value);
        if (r.read) read++;
        located += r.located;
        unsure += r.unsure;
        inFlow += r.inFlow;
        for (const m of r.mismatches) mismatches.push(`${file} document ${index}: ${m}`);
      });
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(documents).toBeGreaterThan(3500);
    expect(read / documents).toBeGreaterThan(0.95);
    expect(located).toBeGreaterThan(150_000);
    console.log(`light reader over the corpus: ${read} of ${documents} documents read, ${located} paths located (${inFlow} in flow collections), ${unsure} unsure`);
    expect(inFlow).toBeGreaterThan(1000);
    expect(unsure / (located + unsure)).toBeLessThan(0.05);
  });
});
