/**
 * fastDocuments runs the block reader before needsExactPath and skips it for a `simple` text with no
 * line over 1024 characters, and lets the reader trust the non-printable check it made
 * (test/support/fast-order.ts says what must hold; the generated texts of block-values.test.ts,
 * fast-checks.test.ts and doubt-text.test.ts and every corpus file are checked too). Here: texts built
 * around what needsExactPath looks for (long lines and keys, multi-line quoted scalars and flow
 * collections, quotes and brackets inside plain scalars, where its tokenizer may see a quote open)
 * and characters around the non-printable check.
 */
import { describe, expect, it } from 'vitest';
import { blockRead } from '../../../src/yaml/block-values.js';
import { fastDocuments, kubeDoubt, needsExactPath } from '../../../src/yaml/fast-parse.js';
import { orderProblem, orderTally } from '../../support/fast-order.js';
import { parseText } from '../../../src/yaml/parse.js';
import { generate, mutate } from '../../support/yaml-generator.js';
import { random } from '../../support/random.js';

const LONG = 'x'.repeat(1030);

describe('the fast path reads the block reader before needsExactPath', () => {
  it.each([
    ['a plain scalar with a quote after a comma', 'a: b, "c\nd: 1\n'],
    ['a plain scalar with a quote after a dash', 'a: b - "c\nd: 1\n'],
    ['a plain scalar with a bracket after a comma', 'a: b, [c\nd: 1\n'],
    ['a plain continuation line opening a quote', 'a: b\n  "c\nd: 1\n'],
    ['a plain scalar with a quote after a property', 'a: b &x "c\nd: 1\n'],
    ['a plain scalar with a quote after a tag and a comma', 'a: b,!x "c\nd: 1\n'],
    ['a plain scalar with a bracket after a `?`', 'a: b ? [c\nd: 1\n'],
    ['a plain scalar with a quote right after a comma', 'a: b,"c\nd: 1\n'],
    ['a plain scalar with a quote after a dash after a bracket', 'a: b]- "c\nd: 1\n'],
    ['a continuation line with a quote after a dash', 'a: b\n  - "c\nd: 1\n'],
    ['a quote after a Unicode space at a line’s start', '\u3000"a\n'],
    ['a bracket right after a tag', 'a: b !t{c\nd: 1\n'],
    ['a quote after a property after a Unicode space', 'a: b\n  \u3000&x "c\nd: 1\n'],
    ['a multi-line quoted scalar at its key’s indentation', 'a:\n  b: "c\n  d"\n'],
    ['a multi-line flow sequence at its key’s indentation', 'a:\n  b: [c,\n  d]\n'],
    ['a quoted value alone on its line, continued left of it', 'a:\n    "b\n   c"\n'],
    ['a quoted entry continued at its dash', '- "b\n- c"\n'],
    ['a quoted value in a compact mapping continued at its key', '- k: "b\n  c"\n'],
  ])('%s: not simple, needsExactPath decides', (_name, text) => {
    const read = blockRead(text, true);
    if (read) expect(read.simple).toBe(false);
    expect(orderProblem(text)).toBeUndefined();
  });

  it.each([
    ['a long key', `${LONG}: 1\n`],
    ['a long key below a short one', `a: 1\n${LONG}: 1\n`],
    ['a long key in a sequence entry', `- ${LONG}: 1\n`],
    ['a long line in a flow collection', `a: [${LONG}:x]\n`],
  ])('%s: the long line keeps needsExactPath', (_name, text) => {
    expect(needsExactPath(text)).toBe(true);
    expect(fastDocuments(text)).toBeUndefined();
    expect(orderProblem(text)).toBeUndefined();
  });

  it.each([
    ['after a quote inside a plain scalar', `b:\n  x, "${LONG}:\n`],
    ['after a quote inside a long plain key', `${'x'.repeat(1020)}-.5- - "${'q'.repeat(1030)}k: |\n`],
  ])('a long key %s (needsExactPath takes the quote for an open quoted scalar): the exact path decides', (_name, text) => {
    expect(blockRead(text, true)?.longKey).toBe(true);
    expect(needsExactPath(text)).toBe(false);
    expect(fastDocuments(text)).toBeUndefined();
    expect(parseText(text).documents.some((d) => d.problems.length > 0)).toBe(true);
  });

  it.each([
    ['a colon far into a plain value', `a: ${LONG}:x\n`],
    ['a colon far into a comment', `a: b # ${LONG}: c\n`],
    ['a colon far into a comment line', `# ${LONG}: c\na: 1\n`],
    ['a colon far into a quoted value', `a: "${LONG}: c"\n`],
  ])('%s: no key that long, the reader vouches (the exact path reads it alike and reports nothing)', (_name, text) => {
    const read = blockRead(text, true);
    expect(read?.longKey).toBe(false);
    expect(fastDocuments(text)).toBeDefined();
    expect(orderProblem(text)).toBeUndefined();
  });

  it('quoted values continued on lines indented past their key or `-`: simple, needsExactPath finds nothing', () => {
    for (const text of ['a: "b\n  c"\n', "a: 'b\n   c'\n", '- "b\n  c"\n', '- k: "b\n     c"\n', 'a:\n    "b\n     c"\n', 'a: "b\\\n  c"\n']) {
      expect(blockRead(text, true)?.simple, text).toBe(true);
      expect(needsExactPath(text), text).toBe(false);
      expect(orderProblem(text), text).toBeUndefined();
    }
  });

  it('simple texts: what needsExactPath looks for is absent', () => {
    for (const text of ['a: b\n', 'a: "b" # c\n', 'command: echo "hello" [x] {y}\n', 'a: b "c\nd: 1\n', 'a: x&y "z\n', 'a: b[ "c\n', 'a: b-"c\n', 'a: b :"c\n', "a:\n- 'x'\n- [1, 2]\n- {k: v}\n", 'a: |\n  "open\n  [open\nb: 1\n', `a: "${LONG}: x"\n`]) {
      expect(blockRead(text, true)?.simple, text).toBe(true);
      expect(orderProblem(text), text).toBeUndefined();
    }
  });

  it.each([
    ['a null key in a block scalar', 'a: |\n  : x\nb: 1\n'],
    ['a `?` key in a block scalar', 'a: |\n  - ? x\n'],
    ['a null word key in a block scalar', 'a: >\n  null : x\n'],
    ['a tab line in a block scalar', 'a: |\n  x\n  \t# c\n'],
    ['a more indented tab line in a block scalar', 'a: |\n  x\n    \t\n'],
    ['a `?` continuing a plain scalar', 'a: b\n  ? c\n'],
    ['a `- ?` continuing a plain scalar', 'a: b\n  - ?\n'],
    ['a null key continuing a quoted scalar', 'a: "b\n  ~: c"\n'],
    ['a `?` continuing a single-quoted scalar', "a: 'b\n  ? c'\n"],
  ])('%s: a line doubt, kubeDoubt decides', (_name, text) => {
    const read = blockRead(text, true);
    expect(read?.lineDoubt).toBe(true);
    expect(kubeDoubt(text)).toBe(true);
    expect(orderProblem(text)).toBeUndefined();
  });

  it.each([
    ['in a block scalar (a JSON dashboard)', 'data:\n  d.json: |\n    {"url": "http:\\/\\/x"}\n'],
    ['in a plain scalar', 'a: http:\\/\\/x\n'],
    ['in a single-quoted scalar', "a: 'x\\/y'\n"],
    ['in a comment', 'a: 1 # x\\/y\n'],
    ['after an escaped backslash', 'a: "x\\\\/y"\n'],
  ])('a `\\/` %s: no slash escape, the fast path reads it', (_name, text) => {
    expect(blockRead(text, true)?.slashEscape).toBe(false);
    expect(kubeDoubt(text)).toBe(true);
    expect(kubeDoubt(text, { slashEscape: false, infNan: true, flowContent: true })).toBe(false);
    expect(fastDocuments(text)).toBeDefined();
    expect(orderProblem(text)).toBeUndefined();
  });

  it.each([
    ['a value', 'a: "http:\\/\\/x"\n'],
    ['a key', '"x\\/y": 1\n'],
    ['a flow item', 'a: [b, "x\\/y"]\n'],
    ['a multi-line value', 'a: "x\n  y\\/z"\n'],
    ['an odd run of backslashes', 'a: "x\\\\\\/y"\n'],
  ])('the `\\/` escape in %s: a slash escape, the exact path reports it', (_name, text) => {
    expect(blockRead(text, true)?.slashEscape).toBe(true);
    expect(fastDocuments(text)).toBeUndefined();
    expect(orderProblem(text)).toBeUndefined();
  });

  it.each([
    ['`.inf` in a block scalar', 'a: |\n  x .inf\n', false, false],
    ['`.inf` in a quoted scalar and a comment', 'a: ".inf" # .nan\n', false, false],
    ['`.inf` inside a plain scalar', 'a: x.inf\n', false, false],
    ['`.inf` as a value', 'a: .inf\n', true, false],
    ['`.NaN` in a flow sequence', 'a: [.NaN]\n', true, true],
    ['a flow null key', 'a: {b: 1, : 2}\n', undefined, undefined],
    ['brackets in a comment and a string', 'a: "[x, : y]" # {: z}\n', false, false],
    ['an empty flow map', 'a: {}\n', false, false],
  ])('%s: the reader tells (infNan, flowContent); kubeDoubt skips what it vouches for', (_name, text, infNan, flowContent) => {
    const read = blockRead(text, true);
    expect(read?.infNan).toBe(infNan);
    expect(read?.flowContent).toBe(flowContent);
    if (read && !read.infNan && !read.flowContent) expect(fastDocuments(text)).toBeDefined();
    if (read?.infNan) expect(fastDocuments(text)).toBeUndefined();
    expect(orderProblem(text)).toBeUndefined();
  });

  it('the reader’s deepest and densest values pass treeDeeperThan', () => {
    const deep = `${Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;
    const dense = `${'- []\n'.repeat(500)}- [[[[{}]]]]\n`;
    const flows = `a: ${'['.repeat(59)}${']'.repeat(59)}\n`;
    for (const text of [deep, dense, flows]) {
      expect(blockRead(text, true), text.slice(0, 40)).toBeDefined();
      expect(orderProblem(text)).toBeUndefined();
    }
  });

  it.each([
    ['a key starting with ---', 'a: 1\n---x: 2\n'],
    ['a root plain scalar continued by ---x', 'a\n---x\n'],
    ['a root plain scalar continued by a directive-like line', 'a\n%x\n'],
    ['a quoted scalar continued by ---x', '"a\n---x"\n'],
    ['a quoted scalar continued by %', '"a\n%x"\n'],
    ['a flow mapping first', '{a: 1}\n'],
    ['a non-ASCII character first', '\u00a0{a: 1}\n'],
  ])('%s: a stream doubt, hasStreamProblems decides', (_name, text) => {
    expect(blockRead(text, true)?.streamDoubt).toBe(true);
    expect(orderProblem(text)).toBeUndefined();
  });

  it('a stream the reader vouches for: separators, document ends', () => {
    for (const text of ['a: 1\n---\nb: 2\n--- # c\n', 'a: 1\n...\n# c\n---\nb\n...\n', '# c\n{a: 1}\n'.replace('{a: 1}', 'a: {b: 1}')]) {
      expect(blockRead(text, true)?.streamDoubt, text).toBe(false);
      expect(orderProblem(text), text).toBeUndefined();
    }
  });

  it('holds on generated texts with long lines, quotes and control characters', () => {
    const rnd = random(1818);
    const pieces = ['\n---x', '\n%x', '\n...\n', '\n... x\n', '{', '\n---\n', '\n\u3000"', '\n\u3000&a [', ' "', ' [', ' &a "', ',"', ' - \'', '-"', ']- [', LONG, ` # ${LONG}: x`, '\n? ', '\n  : ', '\n  - ? x', '\n \t ', '\n\t#', ' ~: ', '\n  null : ', '\n  |\n   ', LONG, `${LONG}:`, ': ', ', "', '- "', " '", '[', '{', '"', '\x00', '\x07', '\x85', '\u2028', '\uD800', '\uDC00', '\uD83D\uDE00', '\uFFFE', '\x7F', '\x9F', '\t', '\r', '\\/', ' "x\\/', ' \'x\\/', ' # \\/', '\\\\/', ' "a\\/b"', ': "\\/"', ' # .inf', ' ".inf"', " '.NaN'", ' x.inf', '\n  |\n   .inf', ' .nan', ' # [a', ' "{a: 1}"', ' [a]', ' {}'];
    const failures: string[] = [];
    for (const key of Object.keys(orderTally) as (keyof typeof orderTally)[]) orderTally[key] = 0;
    for (let i = 0; i < 8000; i++) {
      let text = generate(rnd);
      for (let k = Math.floor(rnd() * 3); k > 0; k--) {
        // At a line's end (long plain values, keys, comments) or anywhere.
        const lineEnd = text.indexOf('\n', Math.floor(rnd() * text.length));
        const at = rnd() < 0.5 && lineEnd >= 0 ? lineEnd : Math.floor(rnd() * (text.length + 1));
        text = text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)]! + text.slice(at);
      }
      if (rnd() < 0.2) text = mutate(rnd, text);
      const problem = orderProblem(text);
      if (problem !== undefined && failures.length < 10) failures.push(`${JSON.stringify(text)}: ${problem}`);
    }
    expect(failures).toEqual([]);
    expect(orderTally.simple).toBeGreaterThan(500);
    expect(orderTally.simpleLong).toBeGreaterThan(50);
    expect(orderTally.lineChecked).toBeGreaterThan(500);
    expect(orderTally.lineDoubt).toBeGreaterThan(10);
    expect(orderTally.streamChecked).toBeGreaterThan(500);
    expect(orderTally.streamDoubt).toBeGreaterThan(10);
    expect(orderTally.slashChecked).toBeGreaterThan(50);
    expect(orderTally.slashEscape).toBeGreaterThan(5);
    expect(orderTally.infNanChecked).toBeGreaterThan(50);
    expect(orderTally.infNan).toBeGreaterThan(50);
    expect(orderTally.flowChecked).toBeGreaterThan(50);
    expect(orderTally.flowContent).toBeGreaterThan(50);
    expect(orderTally.longChecked).toBeGreaterThan(5);
  });
});
