/**
 * The block reader (src/yaml/block-values.ts) against js-yaml over every file of ../shared/corpus,
 * whole and a document at a time (split where Kubernetes splits a stream): whenever the reader gives
 * values they are js-yaml's (deep, key order, scalar types), and never where js-yaml throws. It must
 * also accept most documents, or the fast path gains nothing. With the core schema (YAML read inside
 * ConfigMap values, kustomization files): js-yaml's CORE_SCHEMA values, on every file and on every
 * ConfigMap value.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { blockRead, blockReadOrRejected, blockValues } from '../../src/yaml/block-values.js';
import { KUBE_JS_YAML_SCHEMA } from '../../src/yaml/kube-scalars.js';
import { stripBom } from '../../src/yaml/parse.js';
import { kubeLineBreaks, separatorOffsets } from '../../src/yaml/kube-stream.js';
import { sharingDifference, valueDifference } from '../support/same-value.js';
import { orderProblem } from '../support/fast-order.js';

const corpus = path.resolve(import.meta.dirname, '../../../shared/corpus');
const present = existsSync(corpus);
if (!present) console.warn(`block reader differential skipped: ${corpus} not found`);

function jsYamlValues(text: string): unknown[] | undefined {
  try {
    return jsyaml.loadAll(text, undefined, { schema: KUBE_JS_YAML_SCHEMA, json: false }) as unknown[];
  } catch {
    return undefined;
  }
}

describe.skipIf(!present)('block reader against js-yaml over ../shared/corpus', () => {
  it('reads every file and every document as js-yaml does, when it reads it', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    expect(files.length).toBeGreaterThan(2000);
    const mismatches: string[] = [];
    const count = { files: 0, filesRead: 0, documents: 0, documentsRead: 0 };
    for (const file of files) {
      // As the fast path gives it texts: without a byte order mark, line breaks as Kubernetes reads them.
      const text = kubeLineBreaks(stripBom(readFileSync(path.join(corpus, file), 'utf8')));
      const starts = separatorOffsets(text);
      const parts = [text, ...starts.map((at, i) => text.slice(at, starts[i + 1] ?? text.length))];
      parts.forEach((part, i) => {
        const order = orderProblem(part);
        if (order !== undefined) mismatches.push(`${i === 0 ? file : `${file} document ${i}`}: ${order}`);
        if (blockReadOrRejected(part, false) === 'rejected' && jsYamlValues(part) !== undefined) mismatches.push(`${i === 0 ? file : `${file} document ${i}`}: rejected, but js-yaml reads it`);
        const mine = blockValues(part);
        if (i === 0) {
          count.files++;
          if (mine) count.filesRead++;
        } else {
          count.documents++;
          if (mine) count.documentsRead++;
        }
        if (mine === undefined) return;
        const where = i === 0 ? file : `${file} document ${i}`;
        const reference = jsYamlValues(part);
        if (reference === undefined) {
          mismatches.push(`${where}: read, but js-yaml throws`);
          return;
        }
        const difference = valueDifference(mine, reference);
        if (difference !== undefined) mismatches.push(`${where}: ${difference}`);
        else {
          const sharing = sharingDifference(mine, reference);
          if (sharing !== undefined) mismatches.push(`${where}: ${sharing}`);
        }
      });
    }
    console.log(
      `block reader: ${count.filesRead} of ${count.files} files, ${count.documentsRead} of ${count.documents} documents ` +
        `(${((100 * count.documentsRead) / count.documents).toFixed(1)}%) read; the rest left to js-yaml`,
    );
    expect(mismatches).toEqual([]);
    expect(count.documentsRead / count.documents).toBeGreaterThan(0.9);
  });

  it('reads every file and every ConfigMap value as js-yaml with CORE_SCHEMA does, with the core schema', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true }).sort();
    const mismatches: string[] = [];
    const count = { texts: 0, read: 0, values: 0, valuesRead: 0 };
    const compare = (where: string, text: string): boolean => {
      const mine = blockRead(text, false, 'core')?.values;
      if (mine === undefined) return false;
      let reference: unknown[];
      try {
        reference = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA }) as unknown[];
      } catch {
        mismatches.push(`${where}: read, but js-yaml throws`);
        return true;
      }
      const difference = valueDifference(mine, reference);
      if (difference !== undefined) mismatches.push(`${where}: ${difference}`);
      return true;
    };
    for (const file of files) {
      const text = stripBom(readFileSync(path.join(corpus, file), 'utf8'));
      count.texts++;
      if (compare(file, text)) count.read++;
      for (const doc of blockValues(text) ?? []) {
        const data = (doc as { kind?: unknown; data?: unknown } | null)?.kind === 'ConfigMap' ? (doc as { data?: unknown }).data : undefined;
        if (typeof data !== 'object' || data === null) continue;
        for (const [key, value] of Object.entries(data)) {
          if (typeof value !== 'string') continue;
          count.values++;
          if (compare(`${file} data.${key}`, value)) count.valuesRead++;
        }
      }
    }
    console.log(`block reader, core schema: ${count.read} of ${count.texts} files, ${count.valuesRead} of ${count.values} ConfigMap values read`);
    expect(mismatches).toEqual([]);
    expect(count.read / count.texts).toBeGreaterThan(0.9);
    expect(count.valuesRead).toBeGreaterThan(100);
  });
});
