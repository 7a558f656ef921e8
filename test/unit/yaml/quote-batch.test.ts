/**
 * Quoted values continued on under-indented lines (go-yaml reads them, `yaml` does not): the exact
 * path mends them (src/yaml/parse.ts, parseAsKubernetes). After the first in a document, the rest
 * are found with yaml's lexer and mended together (laterQuoteFixes), not one per parse of the
 * document. Here the batched search is compared with one fix per parse (QUOTE_BATCH off) on
 * hand-written shapes and on generated documents mixing such values with well-indented ones, flow
 * collections, sequences, comments, escapes, document markers and other errors: same values,
 * same problems, same findings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseText, QUOTE_BATCH } from '../../../src/yaml/parse.js';
import { random } from '../../support/random.js';
import { exactReading } from '../../support/exact-reading.js';

afterEach(() => {
  QUOTE_BATCH.enabled = true;
});

/** The exact path's reading of a text, this batch on or off (test/support/exact-reading.ts). */
function reading(text: string, batch: boolean): string {
  return exactReading(text, QUOTE_BATCH, batch);
}

function expectSame(text: string): void {
  expect(reading(text, true), JSON.stringify(text)).toBe(reading(text, false));
}

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';

describe('under-indented quoted values, mended together', () => {
  it.each([
    ['two in a mapping', `${HEAD}  a: "one\n  two"\n  b: "three\n  four"\n  c: x\n`],
    ['single quotes, an escaped quote at a line end', `${HEAD}  a: 'it''s\n  here'\n  b: "say \\"\n  hi\\""\n  c: "x\n  y"\n`],
    ['in sequence entries and compact mappings', 'a:\n- "one\n two"\n- k: "three\n  four"\n  l: "five\n six"\nb: 1\n'],
    ['a well-indented one between', `${HEAD}  a: "one\n  two"\n  b: "fine\n    here"\n  c: "three\n  four"\n`],
    ['one alone on its line below its key', `${HEAD}  a: "one\n  two"\n  b:\n    "three\n    four"\n  c: "five\n  six"\n`],
    ['one in a flow collection', `${HEAD}  a: "one\n  two"\n  b: ["three\n  four"]\n  c: "five\n  six"\n`],
    ['a flow collection under-indented between', 'a:\n  b: "one\n  two"\n  c: [x,\n  y]\n  d: "three\n  four"\n'],
    ['a syntax error after the first', `${HEAD}  a: "one\n  two"\n  b: c: d\n  e: "three\n  four"\n`],
    ['a syntax error between them', `${HEAD}  a: "one\n  two"\n  b: "three\n  four"\n  x: [\n  e: "five\n  six"\n`],
    ['over several documents', `${HEAD}  a: "one\n  two"\n  b: "x\n  y"\n---\n${HEAD}  c: "three\n  four"\n  d: "x\n  y"\n`],
    ['a document marker inside one', `${HEAD}  a: "one\n  two"\n  b: "three\n---\n  four"\n`],
    ['a line separator inside one', `${HEAD}  a: "one\n  two"\n  b: "three\u2028four\n  five"\n  c: "six\n  seven"\n`],
    ['comments and blank lines between', `${HEAD}  a: "one\n\n  two" # c\n  # c\n  b: "three\n  four"   \n\n  c: 'x\n  y'\n`],
    ['an anchor and a tag before them', `${HEAD}  a: &x "one\n  two"\n  b: !!str "three\n  four"\n  c: *x\n`],
    ['CR LF line breaks', `${HEAD}  a: "one\r\n  two"\r\n  b: "three\r\n  four"\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r')],
  ])('%s: what one fix per parse gives', (_name, text) => {
    expectSame(text);
  });

  it('finds them far apart and across the ends of the lexer\'s windows (512 characters, then twice as many)', () => {
    const mended = QUOTE_BATCH.mended;
    for (let filler = 0; filler < 120; filler += 7) {
      const keys = (k: string) => Array.from({ length: filler }, (_, i) => `  ${k}${i}: v\n`).join('');
      const text = `${HEAD}  a: "one\n  two"\n${keys('p')}  b: "three\n  four"\n${keys('q')}  c: 'five\n  six'\n${keys('r')}  d: "a long one ${'x'.repeat(filler * 3)}\n  seven"\n`;
      expectSame(text);
      expect(parseText(text).documents[0]!.problems.map((p) => p.ruleId), text).toEqual(['yaml-compat']);
    }
    expect(QUOTE_BATCH.mended - mended).toBeGreaterThanOrEqual(3 * 18 * 2);
  });

  it('mends 300 in one document, as go-yaml reads them (one at a time stopped at 200)', () => {
    const mended = QUOTE_BATCH.mended;
    const text = `${HEAD}${Array.from({ length: 300 }, (_, i) => `  k${i}: "v${i}\n  w${i}"\n`).join('')}`;
    const parsed = parseText(text);
    // (yaml-compat reports the first of a document's.)
    expect(parsed.documents.map((d) => d.problems.map((p) => p.ruleId))).toEqual([['yaml-compat']]);
    expect((parsed.documents[0]!.value as { data: Record<string, string> }).data.k299).toBe('v299 w299');
    expect(QUOTE_BATCH.mended - mended).toBe(299);
  });

  it('gives what one fix per parse gives on 600 generated texts', () => {
    const rnd = random(31337);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const values = [
      (k: number) => `"v${k}\n  w${k}"`,
      (k: number) => `'v${k}\n  it''s'`,
      (k: number) => `"v${k} \\"\n  w\\""`,
      (k: number) => `"v${k}\n      well indented"`,
      (k: number) => `[a${k},\n  b]`,
      (k: number) => `plain ${k}`,
      (k: number) => `"one line ${k}"`,
      (k: number) => `"v${k}\n\n  # not a comment\n  w"`,
      (k: number) => `{a: "x${k}\n  y"}`,
      (k: number) => `"v${k}\n---\n  w"`,
      (k: number) => `"v${k}\u2028w\n  x"`,
      (k: number) => `: bad ${k}`,
      (k: number) => `"v${k}\n w`,
    ];
    const failures: string[] = [];
    const mended = QUOTE_BATCH.mended;
    for (let n = 0; n < 600; n++) {
      const lines: string[] = [];
      const docs = 1 + Math.floor(rnd() * 2);
      for (let d = 0; d < docs; d++) {
        if (d > 0) lines.push('---');
        lines.push('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', 'data:');
        const count = 1 + Math.floor(rnd() * 8);
        for (let k = 0; k < count; k++) {
          const r = rnd();
          const value = r < 0.55 ? values[Math.floor(rnd() * 3)]!(k) : pick(values)(k);
          if (rnd() < 0.15) lines.push(`  - k${k}: ${value}`);
          else lines.push(`  k${k}: ${value}`);
          if (rnd() < 0.1) lines.push(pick(['  # c', '', '  x: 1', ' y: 2']));
        }
      }
      const text = `${lines.join('\n')}\n`;
      const on = reading(text, true);
      const off = reading(text, false);
      if (on !== off && failures.length < 5) failures.push(`${JSON.stringify(text)}\n  batched: ${on}\n  one by one: ${off}`);
    }
    expect(failures).toEqual([]);
    // (Each text is read twice with batching: once parsed, once linted.)
    expect(QUOTE_BATCH.mended - mended).toBeGreaterThan(500);
  });
});
