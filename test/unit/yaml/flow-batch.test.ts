/**
 * Flow collections continued on under-indented lines (go-yaml reads them, `yaml` does not): the
 * exact path joins each such line to the one before (src/yaml/parse.ts, parseAsKubernetes). After
 * the first in a document, the rest are found with yaml's lexer and joined together
 * (laterFlowJoins), not one per parse of the document. Here the batched search is compared with one
 * join per parse (FLOW_BATCH off) on hand-written shapes and on generated documents mixing such
 * collections with well-indented ones, comments, quoted values cut the same way, document markers
 * and other errors: same values, same problems, same findings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FLOW_BATCH, parseText } from '../../../src/yaml/parse.js';
import { random } from '../../support/random.js';
import { exactReading } from '../../support/exact-reading.js';

afterEach(() => {
  FLOW_BATCH.enabled = true;
});

/** The exact path's reading of a text, this batch on or off (test/support/exact-reading.ts). */
function reading(text: string, batch: boolean): string {
  return exactReading(text, FLOW_BATCH, batch);
}

function expectSame(text: string): void {
  expect(reading(text, true), JSON.stringify(text)).toBe(reading(text, false));
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n';
const container = (i: number, args: string) => `  - name: c${i}\n    image: nginx\n    args: ${args}\n`;

describe('under-indented flow collections, joined together', () => {
  it.each([
    ['one line each, in a sequence of mappings', `${POD}${container(0, '[\n"a", "b"]')}${container(1, '[\n"c"]')}${container(2, '[\n"d",\n"e"]')}`],
    ['several lines of one collection', `${POD}${container(0, '[\n"a",\n"b",\n  "c",\n"d"]')}${container(1, '[\n"e"]')}`],
    ['nested collections', 'a:\n  b: [x,\n[y,\nz],\n{k: v,\nl: w}]\n  c: {m: [1,\n2]}\n  d: [\n3]\n'],
    ['a comment on the line before', `${POD}${container(0, '[ # c\n"a"]')}${container(1, '["b", # d\n"c"]')}${container(2, '[\n  # e\n"f"]')}`],
    ['a # in a quoted value on the line before', `${POD}${container(0, '[\n"a"]')}${container(1, '["#b",\n"c"]')}${container(2, '["x #y",\n"z"]')}${container(3, '[\n"w"]')}`],
    ['a collection opened on the line after its key', `${POD}${container(0, '[\n"a"]')}    env:\n      [\n{name: x,\nvalue: y}]\n${container(1, '[\n"b"]')}`],
    ['a closing bracket alone', `${POD}${container(0, '[\n"a"\n]')}${container(1, '[\n"b",\n  ]')}${container(2, '[\n"c"]')}`],
    ['quoted values cut the same way between', `${POD}${container(0, '[\n"a"]')}    command: "sh\n  -c"\n${container(1, '[\n"b"]')}    workingDir: "x\n y"\n`],
    ['a syntax error between', `${POD}${container(0, '[\n"a"]')}${container(1, '[\n"b"]')}    x: y: z\n${container(2, '[\n"c"]')}`],
    ['a document marker inside one', `${POD}${container(0, '[\n"a"]')}${container(1, '[\n---\n"b"]')}`],
    ['over several documents', `${POD}${container(0, '[\n"a"]')}${container(1, '[\n"b"]')}---\n${POD}${container(2, '[\n"c"]')}${container(3, '[\n"d"]')}`],
    ['tabs and blank lines', `${POD}${container(0, '[\n\n"a",\t\n"b"]')}${container(1, '[\n\t"c"]')}`],
    ['CR LF line breaks', `${POD}${container(0, '[\n"a"]')}${container(1, '[\n"b",\n"c"]')}`.replace(/\n/g, '\r\n')],
    ['anchors, aliases and tags inside', `${POD}${container(0, '&x [\n"a"]')}${container(1, '!!seq [\n*x,\n"b"]')}`],
    ['many lines of one collection', `${POD}${container(0, `[\n${Array.from({ length: 40 }, (_, i) => `"a${i}",`).join('\n')}\n"z"]`)}${container(1, '[\n"b"]')}`],
    ['a comment after some of many lines', `${POD}${container(0, '[\n"a", # c\n"b",\n"c", # d\n  # e\n"f"]')}${container(1, '[\n"g"]')}`],
    ['a # on a line joined before', `${POD}${container(0, '["x#y",\n"a",\n"b"]')}${container(1, '[\n"c"]')}${container(2, '["x #y",\n"a",\n"b"]')}`],
    ['a plain value going on past a joined line', `${POD}${container(0, '[a\nb,\nc,\nd e\nf]')}${container(1, '[\n"g"]')}`],
    ['a joined line starting with a colon', `${POD}    env: {a\n: b,\nc\n:d,\n"e"\n: f}\n${container(1, '[\n"g"]')}`],
    ['deep collections over many lines', 'a:\n  b: [x,\n[y,\n[z,\nw],\nv],\n{k: [1,\n2],\nl: {m: n,\no: p}}]\n  c: [\n3]\n'],
    ['a collection closed on a joined line, another opened after it', 'a:\n- [x,\ny], [z,\nw]\n- b: [1,\n2]\n'],
    ['a multi-line quoted value inside', `${POD}${container(0, '["a\n  b",\n"c"]')}${container(1, '[\n"d\n e"]')}`],
  ])('%s: what one join per parse gives', (_name, text) => {
    expectSame(text);
  });

  it('finds them far apart and across the ends of the lexer\'s windows (512 characters, then twice as many)', () => {
    const mended = FLOW_BATCH.mended;
    for (let filler = 0; filler < 120; filler += 7) {
      const env = Array.from({ length: filler }, (_, i) => `    - name: e${i}\n      value: v\n`).join('');
      const text = `${POD}${container(0, '[\n"a"]')}    env:\n${env}${container(1, `[\n"b ${'x'.repeat(filler * 3)}",\n"c"]`)}    env:\n${env}${container(2, '{\nk: v}')}`;
      expectSame(text);
      expect(parseText(text).documents[0]!.problems.map((p) => p.ruleId), text).toEqual(['yaml-compat']);
    }
    expect(FLOW_BATCH.mended - mended).toBeGreaterThanOrEqual(3 * 18 * 2);
  });

  it('joins 300 in one document, as go-yaml reads them (one at a time stopped at 200)', () => {
    const mended = FLOW_BATCH.mended;
    const text = `${POD}${Array.from({ length: 300 }, (_, i) => container(i, `[\n"a${i}", "b"]`)).join('')}`;
    const parsed = parseText(text);
    // (yaml-compat reports the first of a document's.)
    expect(parsed.documents.map((d) => d.problems.map((p) => p.ruleId))).toEqual([['yaml-compat']]);
    expect((parsed.documents[0]!.value as { spec: { containers: { args: string[] }[] } }).spec.containers[299]!.args).toEqual(['a299', 'b']);
    expect(FLOW_BATCH.mended - mended).toBe(299);
  });

  it('joins those of the next documents in the same search (one at a time, each document needed its own first parse)', () => {
    const mended = FLOW_BATCH.mended;
    // (60 in each: one at a time stops after 200.)
    const pod = (p: number) => `${POD.replace('name: p', `name: p${p}`)}${Array.from({ length: 60 }, (_, i) => container(i, `[\n"a${i}", "b"]`)).join('')}`;
    const text = [pod(0), pod(1), pod(2)].join('---\n');
    expectSame(text);
    const before = FLOW_BATCH.mended;
    parseText(text);
    // The first is the parser's error; the other 179 found by the lexer, across the documents.
    expect(FLOW_BATCH.mended - before).toBe(179);
    expect(before).toBeGreaterThan(mended);
  });

  it('reads two documents of 2,000 each, where yaml\'s parser runs out of stack on the whole text', () => {
    // Parsing them together overflowed yaml's parser: the run ended with "internal error: Maximum
    // call stack size exceeded" on the exact path (the whole file goes there when it mentions a
    // suppression). The parts are parsed on their own instead.
    const pod = (p: number) => `${POD.replace('name: p', `name: p${p}`)}${Array.from({ length: 2000 }, (_, i) => container(i, `[\n"a${i}", "b"]`)).join('')}`;
    const text = `${pod(0)}---\n${pod(1)}`;
    const parsed = parseText(text);
    expect(parsed.documents.map((d) => d.problems.map((p) => p.ruleId))).toEqual([['yaml-compat'], ['yaml-compat']]);
    expect((parsed.documents[1]!.value as { spec: { containers: { args: string[] }[] } }).spec.containers[1999]!.args).toEqual(['a1999', 'b']);
  });

  it('gives what one join per parse gives on 100 generated texts', () => {
    const rnd = random(4242);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const flows = [
      (k: number) => `[\n"a${k}"]`,
      (k: number) => `["a${k}",\n"b",\n  "c"]`,
      (k: number) => `{\nk${k}: v}`,
      (k: number) => `[x${k},\n[y,\nz]]`,
      (k: number) => `[\n${Array.from({ length: 1 + (k % 7) }, (_, i) => `"a${i}",`).join('\n')}\n"z"]`,
      (k: number) => `[a${k}\nb,\nc]`,
      (k: number) => `["x#${k}",\n"a",\n"b", # c\n"d"]`,
    ];
    const others = [
      (k: number) => `[a${k},\n      b]`,
      (k: number) => `plain ${k}`,
      (k: number) => `"v${k}\n  w"`,
      (k: number) => `[ # c${k}\n"a"]`,
      (k: number) => `["#${k}",\n"a"]`,
      (k: number) => `["x #${k}",\n"a"]`,
      (k: number) => `[\n---\n"a${k}"]`,
      (k: number) => `: bad ${k}`,
      (k: number) => `[\n"a${k}"\n]`,
      (k: number) => `["a${k}\n b",\n"c"]`,
      (k: number) => `&a${k} [\n"a"]`,
    ];
    const failures: string[] = [];
    const mended = FLOW_BATCH.mended;
    for (let n = 0; n < 100; n++) {
      const lines: string[] = [];
      const docs = 1 + Math.floor(rnd() * 2);
      for (let d = 0; d < docs; d++) {
        if (d > 0) lines.push('---');
        lines.push('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:');
        const count = 1 + Math.floor(rnd() * 8);
        for (let k = 0; k < count; k++) {
          const value = rnd() < 0.6 ? pick(flows)(k) : pick(others)(k);
          lines.push(`  - name: c${k}`, '    image: nginx');
          if (rnd() < 0.15) lines.push(`    env:\n    - name: e\n      value: ${value}`);
          else if (rnd() < 0.1) lines.push(`    args:\n      ${value}`);
          else lines.push(`    args: ${value}`);
          if (rnd() < 0.1) lines.push(pick(['    # c', '', '    x: 1', '   y: 2']));
        }
      }
      const text = `${lines.join('\n')}\n`;
      const on = reading(text, true);
      const off = reading(text, false);
      if (on !== off && failures.length < 5) failures.push(`${JSON.stringify(text)}\n  batched: ${on}\n  one by one: ${off}`);
    }
    expect(failures).toEqual([]);
    // (Each text is read twice with batching: once parsed, once linted.)
    expect(FLOW_BATCH.mended - mended).toBeGreaterThan(400);
  });
});
