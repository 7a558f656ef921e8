/**
 * The block reader (src/yaml/block-values.ts) against js-yaml: whenever it gives values they are
 * js-yaml's (deep, key order, scalar types, -0, NaN), never where js-yaml throws; it gives up on
 * what is outside its subset. Explicit cases for each construct and each give-up, then a few
 * thousand texts from a seeded generator and mutations of them.
 */
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { blockRead, blockReadOrRejected, blockValues, coreScalar, type DuplicateKeyRead } from '../../../src/yaml/block-values.js';
import { KUBE_JS_YAML_SCHEMA } from '../../../src/yaml/kube-scalars.js';
import { fastDocuments } from '../../../src/yaml/fast-parse.js';
import { sharingDifference, valueDifference } from '../../support/same-value.js';
import { generate, mutate, withAnchors, withMerges, withTags } from '../../support/yaml-generator.js';
import { exactValues } from '../../support/exact-values.js';
import { random } from '../../support/random.js';
import { orderProblem } from '../../support/fast-order.js';

function jsYamlValues(text: string, schema: jsyaml.Schema = KUBE_JS_YAML_SCHEMA): unknown[] | undefined {
  try {
    return jsyaml.loadAll(text, undefined, { schema, json: false }) as unknown[];
  } catch {
    return undefined;
  }
}

/**
 * undefined when the reader is right about `text` (gave up, or gave js-yaml's values), as Kubernetes
 * reads scalars (KUBE_JS_YAML_SCHEMA) and as js-yaml's CORE_SCHEMA does; else what is wrong.
 */
function wrong(text: string): string | undefined {
  for (const [schema, reference] of [['kube', KUBE_JS_YAML_SCHEMA], ['core', jsyaml.CORE_SCHEMA]] as const) {
    const result = blockReadOrRejected(text, false, schema);
    if (result === 'rejected') {
      if (jsYamlValues(text, reference) !== undefined) return `${schema}: rejected, but js-yaml reads it`;
      continue;
    }
    const mine = result?.values;
    if (mine === undefined) continue;
    const expected = jsYamlValues(text, reference);
    if (expected === undefined) return `${schema}: read, but js-yaml throws`;
    const difference = valueDifference(mine, expected) ?? sharingDifference(mine, expected);
    if (difference !== undefined) return `${schema}: ${difference}`;
  }
  return undefined;
}

/** undefined when the reader shares nodes exactly where js-yaml does (an alias is the node its anchor names). */
function sharing(text: string): string | undefined {
  const mine = blockValues(text);
  const reference = mine && jsYamlValues(text);
  return mine && reference ? sharingDifference(mine, reference) : undefined;
}

/** Read (not given up on) and equal to js-yaml. */
function expectRead(text: string): void {
  expect(blockValues(text), text).toBeDefined();
  expect(wrong(text), text).toBeUndefined();
}

function expectGivenUp(text: string): void {
  expect(blockValues(text), text).toBeUndefined();
}

describe('blockValues: the subset, read as js-yaml reads it', () => {
  it.each([
    ['mapping', 'a: 1\nb: two\n'],
    ['nested mapping', 'a:\n  b:\n    c: d\n  e: f\ng: h\n'],
    ['sequence', '- a\n- b\n'],
    ['document end markers', 'a: 1\n...\n---\nb: |\n  x\n... # c\n# d\n\n---\nc\nd\n...\n'],
    ['a document end marker alone', '...\n'],
    ['an empty document ended', '---\n...\n---\n...\n'],
    ['comments and a document end marker', '# c\n...\n# d\n'],
    ['a marker before an end marker and spaces', '--- # c\na: |+\n  x\n\n...  \n  \n'],
    ['CR LF line breaks, in scalars too', 'a: 1\r\nb: |\r\n  x\r\n\r\n  y\r\nc: "p\r\n  q\\\r\n  r"\r\nd: >-\r\n  s\r\n  t\r\n---\r\ne: u\r\n  v\r\n'],
    ['sequence at its key’s indentation', 'a:\n- x\n- y\nb: 1\n'],
    ['compact mappings in a sequence', 'items:\n  - name: a\n    value: 1\n  -   name: b\n      value: 2\n'],
    ['nested compact sequence', '- - a\n  - b\n- c\n'],
    ['empty entries', 'a:\nb:\n- \n-\nc: ~\n'],
    ['empty entry before a less indented entry', 'a:\n  -\nb: 1\n'],
    ['scalars resolved as Kubernetes', 'a: yes\nb: off\nc: 0x1F\nd: 0644\ne: 1_000\nf: -0\ng: .5\nh: 1e3\ni: ~\nj: 1e400\nk: 1:20\nl: 2024-01-01\nm: .inf\nn1: -.Inf\no: .nan\np: +12\nq: 0b101\nr: y\ns: 08\nt:\n'],
    ['plain scalars with indicators inside', 'a: http://x:80/p#frag\nb: a#b\nc: -x\nd: ?y\ne: :z\nf: a,b[c]{d}\ng: <<\n'],
    ['comments', '# head\na: 1 # after\n  # indented\nb:   # on the key\n  c: 2\n# tail\n'],
    ['single-quoted', "a: 'it''s'\nb: ''\nc: ' x '\n'd e': f\n"],
    ['double-quoted escapes', 'a: "t\\tn\\n\\\\ \\" \\/ \\x41 \\u00e9 \\U0001F600 \\0 \\a \\b \\v \\f \\r \\e \\N \\_ \\L \\P \\ "\nb: ""\n"k": "v"\n'],
    ['literal block scalars', 'a: |\n  one\n   two\n\n  three\nb: |-\n  x\n\nc: |+\n  y\n\n\nd: |\ne: 1\n'],
    ['folded block scalars', 'a: >\n  one\n  two\n\n  three\n    more\n  back\nb: >-\n  x\n  y\nc: >+\n  z\n\n'],
    ['block scalar in a sequence and at the end', '- |\n  a\n- >\n  b\n  c\n- x: |\n    d\n  z: 1\n- last: |\n    end'],
    ['block scalar header comment', 'a: |- # note\n  x\n'],
    ['block scalar with leading blank lines', 'a: |\n\n  x\n  \nb: 1\n'],
    ['empty flow collections', 'a: {}\nb: []\nc: { }\nd:\n- {}\n'],
    ['flow collections', 'a: [x, "y", \'z\', 1, yes, [n], {k: v}]\nb: {k: v, "q": 1, e: , f}\nc: [a, b,]\nd: [a:b]\n'],
    ['multi-line flow collection', 'a: [\n  x,\n  y # c\n]\nb: {\n  k: v,\n  l: [1,\n2]\n}\n'],
    ['documents', '---\na: 1\n---\n---\nb: 2\n--- # c\n- x\n---\n'],
    ['leading comments and no trailing newline', '# c\n\n---\na: 1'],
    ['root indented', '  a: 1\n  b: 2\n'],
    ['a scalar on the line below its key or dash', 'a:\n  b\nc:\n  - \n    "d"\n'],
    ['multi-line plain scalars', 'a: one\n  two\n\n   three # c\nb:\n- x\n  y\n  - z\n  *w &v !u\n- k: p\n   q\n  # c\n  l: s\n---\n  r\n  s\n---\nt\nu\n\nv\n--- \n'],
    ['multi-line quoted scalars', 'a: "one  \n  two\n\n\n three \\t \n"\nb: \'x \n\n y\'\'\n z\'\nc: "p\\\n\n   q\\ \n r"\nd:\n- "s\nt"\n- \'u\nv\'\n'],
    ['root scalars', 'x\n---\n"q"\n---\n[a]\n'],
    ['only comments', '# c\n'],
    ['only spaces', '   '],
    ['empty', ''],
    ['integer-like keys keep JavaScript order', '"2": a\nb: c\n"1": d\n'],
    ['values with tabs inside quotes and block content', 'a: "x\ty"\nb: |\n  \tz\n'],
  ])('%s', (_name, text) => {
    expectRead(text);
  });

  it('gives fresh objects for each call', () => {
    const a = blockValues('a: {b: [1]}\n')!;
    const b = blockValues('a: {b: [1]}\n')!;
    expect(a[0]).not.toBe(b[0]);
  });
});

describe('blockValues: gives up outside the subset and on what js-yaml rejects', () => {
  it.each([
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['a tab in a plain scalar', 'a: x\ty\n'],
    ['a tab before a comment', 'a: x\t# c\n'],
    ['a carriage return not before a line feed', 'a: 1\rb: 2\r\n'],
    ['a carriage return at the end', 'a: 1\r'],
    ['a NUL', 'a: "\0"\n'],
    ['a non-printable character', 'a: \x07\n'],
    ['a byte order mark', '\uFEFFa: 1\n'],
    ['an alias with no anchor', 'b: *x\n'],
    ['a tag other than the string tag', 'a: !!int 1\n'],
    ['leading empty lines indented past the first line, a comment', 'a:\n  k: |\n      \n    # c\n'],
    ['leading empty lines indented past the first line', 'a:\n  k: |-\n      \n    x\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a quoted merge key', 'a: {x: 1}\n"<<": {y: 2}\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['a quoted __proto__ key', '"__proto__": 1\n'],
    ['an integer key', '1: a\n'],
    ['a boolean key', 'true: a\n'],
    ['a null key', 'null: a\n'],
    ['an empty key', ': a\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow mapping', 'a: {x: 1, x: 2}\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document after a document end marker with no ---', 'a: 1\n...\nb: 2\n'],
    ['two document end markers', 'a: 1\n...\n...\n'],
    ['a document end marker with content after it', 'a: 1\n... b\n'],
    ['a document end marker inside a quoted scalar', 'a: "b\n...\n"\n'],
    ['content after ---', '--- a: 1\n'],
    ['--- glued to a key at a document start', '---x: 1\n'],
    ['a key below a plain scalar', 'a: one\n  b: two\n'],
    ['a tab in a continuation line', 'a: one\n \ttwo\n'],
    ['a multi-line quoted key', '"a\n b": c\n'],
    ['a multi-line quoted scalar in a flow collection', 'a: ["x\n y"]\n'],
    ['an unterminated quoted scalar', 'a: "x\n'],
    ['a document marker in a quoted scalar', 'a: "x\n---\ny"\n'],
    ['a tab in a quoted scalar’s continuation line', 'a: "x\n\ty"\n'],
    ['an unknown escape', 'a: "\\q"\n'],
    ['a bad hexadecimal escape', 'a: "\\x4g"\n'],
    ['a block scalar indentation indicator', 'a: |2\n   x\n'],
    ['two chomping indicators', 'a: |+-\n  x\n'],
    ['text after a block scalar header', 'a: | x\n  y\n'],
    ['a mapping entry indented too much', 'a: 1\n  b: 2\n'],
    ['a mapping entry indented too little', 'a:\n    b: 1\n  c: 2\n'],
    ['a sequence entry indented too much', '- "a"\n  - b\n'],
    ['a sequence after a mapping entry on its line', 'a: - b\n'],
    ['a key and value separated without a blank', 'a:b\nc: d\n'],
    ['a colon in a value', 'a: b: c\n'],
    ['a value after a quoted scalar', 'a: "x" y\n'],
    ['a comment glued to a quoted scalar', 'a: "x"#c\n'],
    ['a block scalar on the line below its key', 'a:\n  |\n  x\n'],
    ['a null entry followed by a less indented entry', 'a:\n  -\n- b\n'],
    ['a pair in a flow sequence', 'a: [x: 1]\n'],
    ['an empty flow entry', 'a: [x, , y]\n'],
    ['a missing comma', 'a: [x y\n z]\n'],
    ['a multi-line plain scalar in a flow collection', 'a: [one\n  two]\n'],
    ['a document marker inside a flow collection', 'a: [x,\n---\n]\n'],
    ['a non-string key in a flow mapping', 'a: {1: x}\n'],
    ['a scalar where a key is expected', 'a: 1\nb\n'],
    ['a sequence entry where a key is expected', 'a: 1\n- b\n'],
    ['nesting deeper than the reader goes', `${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i * 2)}k:`).join('\n')} 1\n`],
  ])('%s', (_name, text) => {
    expectGivenUp(text);
  });
});

describe('blockRead with the core schema: scalars and keys as js-yaml’s CORE_SCHEMA reads them', () => {
  it.each([
    ['YAML 1.1 booleans are strings', 'a: yes\nb: On\nc: n\nd: [off, Y]\n', [{ a: 'yes', b: 'On', c: 'n', d: ['off', 'Y'] }]],
    ['core booleans and nulls', 'a: true\nb: FALSE\nc: ~\nd: Null\ne:\n', [{ a: true, b: false, c: null, d: null, e: null }]],
    ['numbers', 'a: 0644\nb: 0o17\nc: 0x1F\nd: 1e3\ne: .5\nf: -.inf\n', [{ a: 644, b: 15, c: 31, d: 1000, e: 0.5, f: -Infinity }]],
    ['a YAML 1.1 word as a key', 'on: 1\nyes: 2\n', [{ on: 1, yes: 2 }]],
  ])('%s', (_name, text, values) => {
    expect(blockRead(text, false, 'core')?.values).toEqual(values);
    expect(wrong(text)).toBeUndefined();
  });

  it.each([['a null key', 'null: 1\n'], ['a boolean key', 'true: 1\n'], ['a number key', '0x1F: 1\n']])('%s: given up on', (_name, text) => {
    expect(blockRead(text, false, 'core')).toBeUndefined();
  });

  it('a key cached by one reading is checked again by the other', () => {
    // The reader keeps keys it has seen (for the whole process): `on` read as a core key must not
    // become a cached key a Kubernetes reading takes for a string, nor the reverse.
    expect(blockRead('on: 1\n', false, 'core')?.values).toEqual([{ on: 1 }]);
    expect(blockRead('on: 1\n', false, 'kube')).toBeUndefined();
    expect(blockRead('name: 1\n', false, 'kube')?.values).toEqual([{ name: 1 }]);
    expect(blockRead('name: 1\n', false, 'core')?.values).toEqual([{ name: 1 }]);
    for (const word of ['null', 'true', '1', '0x1F', '.inf']) expect(coreScalar(word)[0]).not.toBe('str');
    for (const word of ['yes', 'on', 'n', 'name', '1:20']) expect(coreScalar(word)[0]).toBe('str');
  });

  it('coreScalar gives what js-yaml’s CORE_SCHEMA gives for any scalar (the first-character shortcut included)', () => {
    const rnd = random(77);
    const pieces = ['~', 'null', 'Null', 'NULL', 'true', 'True', 'FALSE', 'yes', '0', '1', '9', '_', '.', 'e', 'E', '+', '-', 'x', 'o', 'b', 'inf', 'Inf', 'nan', 'NaN', 'a', 'é'];
    const failures: string[] = [];
    let compared = 0;
    for (let i = 0; i < 20000; i++) {
      let word = '';
      for (let k = Math.floor(rnd() * 5); k >= 0; k--) word += pieces[Math.floor(rnd() * pieces.length)];
      let expected: unknown;
      try {
        expected = (jsyaml.load(`- ${word}\n`, { schema: jsyaml.CORE_SCHEMA }) as unknown[])[0];
      } catch {
        continue;
      }
      if (typeof expected === 'object' && expected !== null) continue; // `- -`: a sequence, not a scalar
      compared++;
      const difference = valueDifference([coreScalar(word)[1]], [expected]);
      if (difference !== undefined && failures.length < 10) failures.push(`${JSON.stringify(word)}: ${difference}`);
    }
    expect(compared).toBeGreaterThan(15000);
    expect(failures).toEqual([]);
  });
});

describe('blockValues: generated and mutated texts', () => {
  it('gives js-yaml’s values or gives up, on 3,000 generated texts and 6,000 mutations', () => {
    const rnd = random(18);
    const failures: string[] = [];
    let read = 0;
    let total = 0;
    const check = (text: string) => {
      total++;
      if (blockValues(text) !== undefined) read++;
      const problem = wrong(text) ?? orderProblem(text);
      if (problem !== undefined && failures.length < 10) failures.push(`${JSON.stringify(text)}: ${problem}`);
    };
    for (let i = 0; i < 3000; i++) {
      const text = generate(rnd);
      check(text);
      check(text.replace(/\n/g, '\r\n'));
      check(mutate(rnd, text));
      check(mutate(rnd, mutate(rnd, text)));
    }
    expect(failures).toEqual([]);
    // The comparison is not only of give-ups.
    expect(read / total).toBeGreaterThan(0.1);
  });
});

describe('blockReadOrRejected: what js-yaml is sure to reject', () => {
  it.each([
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n'],
    ['a duplicate key in a nested mapping', 'a:\n  b: 1\n  b: 2\n'],
    ['a duplicate key in a flow mapping', 'a: {b: 1, b: 2}\n'],
    ['a duplicate quoted key', '"a": 1\na: 2\n'],
    ['an unknown escape', 'a: "\\q"\n'],
    ['a bad hexadecimal escape', 'a: "\\x4g"\n'],
  ])('%s: rejected, and js-yaml throws', (_name, text) => {
    expect(blockReadOrRejected(text, false)).toBe('rejected');
    expect(blockReadOrRejected(text, false, 'core')).toBe('rejected');
    expect(blockRead(text, false)).toBeUndefined();
    expect(jsYamlValues(text)).toBeUndefined();
    expect(jsYamlValues(text, jsyaml.CORE_SCHEMA)).toBeUndefined();
    expect(fastDocuments(text)).toBeUndefined();
  });

  it('a text outside the subset before its duplicate key is given up on, not rejected', () => {
    expect(blockReadOrRejected('a: !t 1\na: 2\n', false)).toBeUndefined();
  });
});

describe('blockValues: anchors and aliases', () => {
  it.each([
    ['a scalar', 'a: &x 1\nb: *x\n'],
    ['a mapping below', 'a: &x\n  k: v\nb: *x\n'],
    ['a sequence at the key’s indentation', 'a: &x\n- 1\n- 2\nb: *x\n'],
    ['a sequence entry', '- &x foo\n- *x\n'],
    ['a mapping in a sequence entry', '- &x\n  k: v\n- *x\n'],
    ['a quoted scalar, an alias before a comment', 'a: &x "q"\nb: *x # c\n'],
  ])('%s: read, the aliased node shared as js-yaml shares it', (_name, text) => {
    expectRead(text);
    const [doc] = blockValues(text)! as [Record<string, unknown> | unknown[]];
    const values = Object.values(doc);
    if (typeof values[0] === 'object') expect(values[1]).toBe(values[0]);
  });

  it.each([
    ['an anchor on a key', 'a: &x k: v\n'],
    ['an unknown alias', 'a: *x\n'],
    ['an anchor on nothing', 'a: &x\nb: 1\n'],
    ['anchors in a flow collection', 'a: [&x 1, *x]\n'],
    ['an alias to another document', 'a: &x 1\n---\nb: *x\n'],
    ['a name set twice', 'a: &x 1\nb: &x 2\n'],
    ['an alias inside the node it names', 'a: &x\n  b: *x\n'],
    ['an entry’s anchor on nothing', '- &x\n- y\n'],
    ['a scalar below its anchor', 'a: &x\n  1\n'],
    ['an alias with more after it', 'a: &x 1\nb: *x y\n'],
    ['an anchor and a tag', 'a: &x !t 1\n'],
    ['an anchor before a block scalar', 'a: &x |\n  t\n'],
    ['an anchor at the root', '&x\na: 1\n'],
    ['an alias as a key', 'a: &x k\n*x : 1\n'],
  ])('%s: given up on', (_name, text) => {
    expectGivenUp(text);
  });

  it('gives js-yaml’s values (and sharing) or gives up, on 8,000 generated texts with anchors and their mutations', () => {
    const rnd = random(2024);
    const failures: string[] = [];
    let read = 0;
    for (let i = 0; i < 8000; i++) {
      const text = withAnchors(rnd, generate(rnd));
      for (const t of [text, mutate(rnd, text)]) {
        const mine = blockValues(t);
        if (mine !== undefined && /[&*]a\d/.test(t)) read++;
        const problem = wrong(t) ?? sharing(t) ?? orderProblem(t);
        if (problem !== undefined && failures.length < 10) failures.push(`${JSON.stringify(t)}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(600);
  });
});

describe('blockValues: merge keys (`<<`)', () => {
  it.each([
    ['an alias', 'd: &d\n  a: 1\n  b: 2\nm:\n  <<: *d\n  c: 3\n', { a: 1, b: 2, c: 3 }],
    ['a later key replaces a merged one, in its place', 'd: &d\n  a: 1\n  b: 2\nm:\n  <<: *d\n  a: 3\n', { a: 3, b: 2 }],
    ['an earlier key is kept', 'd: &d\n  a: 1\n  b: 2\nm:\n  c: 0\n  a: 9\n  <<: *d\n', { c: 0, a: 9, b: 2 }],
    ['a sequence of aliases, the first to set a key wins', 'd: &d\n  a: 1\ne: &e\n  a: 5\n  q: 6\nm:\n  <<:\n  - *d\n  - *e\n', { a: 1, q: 6 }],
    ['a mapping below', 'm:\n  <<:\n    a: 1\n  b: 2\n', { a: 1, b: 2 }],
    ['a flow mapping', 'm:\n  <<: {a: 1}\n  b: 2\n', { a: 1, b: 2 }],
    ['two merge keys', 'd: &d\n  a: 1\ne: &e\n  a: 2\n  b: 3\nm:\n  <<: *d\n  c: 4\n  <<: *e\n', { a: 1, c: 4, b: 3 }],
    ['the first key of an entry', 'd: &d\n  a: 1\nm:\n- <<: *d\n  b: 2\n', [{ a: 1, b: 2 }]],
  ])('%s: read as js-yaml and `yaml` read it', (_name, text, merged) => {
    expectRead(text);
    expect(blockValues(text)![0]).toHaveProperty('m', merged);
    expect(JSON.stringify(fastDocuments(text))).toBe(exactValues(text));
  });

  it.each([
    ['a scalar', 'd: &d 1\nm:\n  <<: *d\n'],
    ['nothing', 'm:\n  <<:\n  b: 1\n'],
    ['a sequence holding a scalar', 'd: &d\n  a: 1\nm:\n  <<:\n  - *d\n  - 1\n'],
    ['a sequence holding a sequence', 'm:\n  <<:\n  - [a]\n'],
    ['a key written twice after it', 'd: &d\n  a: 1\nm:\n  <<: *d\n  a: 2\n  a: 3\n'],
    ['a quoted merge key', 'd: &d\n  a: 1\nm:\n  "<<": *d\n'],
    ['a merge key in a flow mapping', 'd: &d\n  a: 1\nm: {<<: *d}\n'],
  ])('%s: given up on', (_name, text) => {
    expectGivenUp(text);
  });

  it('gives up where the exact path may count a YAML bomb: a chain of merges, merges past their budget, merges beside aliases of collections', () => {
    const chain = `l0: &l0\n  k0: v\n${Array.from({ length: 30 }, (_, i) => `l${i + 1}: &l${i + 1}\n  <<: *l${i}\n  k${i + 1}: v\n`).join('')}`;
    expectGivenUp(chain);
    const big = `d: &d\n${Array.from({ length: 100 }, (_, i) => `  k${i}: v\n`).join('')}`;
    expectRead(`${big}${Array.from({ length: 5 }, (_, i) => `m${i}:\n  <<: *d\n`).join('')}`);
    expectGivenUp(`${big}${Array.from({ length: 20 }, (_, i) => `m${i}:\n  <<: *d\n`).join('')}`);
    expectGivenUp('d: &d\n  a: 1\nl: &l\n  x: 1\nm:\n  <<: *d\n  labels: *l\n');
    expectRead('d: &d\n  a: 1\ns: &s 1\nm:\n  <<: *d\n  num: *s\n');
    // Aliases of a mapping merged from several sources: the exact path counts each source.
    const sources = Array.from({ length: 5 }, (_, i) => `b${i}: &b${i}\n${Array.from({ length: 100 }, (_, k) => `  k${k}: v\n`).join('')}`).join('');
    const t = `${sources}t: &t\n  <<: [${Array.from({ length: 5 }, (_, i) => `*b${i}`).join(', ')}]\n${Array.from({ length: 20 }, (_, i) => `u${i}: *t\n`).join('')}`;
    expect(exactValues(t)).toBeUndefined();
    expect(fastDocuments(t)).toBeUndefined();
  });

  it('a key written twice after a merge is a duplicate (once), a merged key replaced once is not', () => {
    const text = 'd: &d\n  a: 1\nm:\n  <<: *d\n  a: 2\n  a: 3\n';
    expect(blockReadOrRejected(text, false, 'kube')).toBe('rejected');
    const duplicates: DuplicateKeyRead[] = [];
    expect(blockReadOrRejected(text, false, 'kube', duplicates)).toMatchObject({ values: [{ d: { a: 1 }, m: { a: 3 } }] });
    expect(duplicates.map((d) => [d.key, d.offset])).toEqual([['a', text.lastIndexOf('a: 3')]]);
  });

  it('gives js-yaml’s and the exact path’s values (and js-yaml’s sharing) or gives up, on 8,000 generated texts with merge keys and their mutations', () => {
    const rnd = random(1955);
    const failures: string[] = [];
    let read = 0;
    let fast = 0;
    for (let i = 0; i < 8000; i++) {
      const text = withMerges(rnd, generate(rnd));
      for (const t of [text, mutate(rnd, text)]) {
        const merges = /^[ -]*<<:/m.test(t);
        if (merges && blockValues(t) !== undefined) read++;
        let problem = wrong(t) ?? sharing(t) ?? orderProblem(t);
        const values = fastDocuments(t);
        if (values !== undefined && merges) {
          fast++;
          const exact = exactValues(t);
          if (JSON.stringify(values) !== exact) problem ??= `fast ${JSON.stringify(values)}, exact ${exact}`;
        }
        if (problem !== undefined && failures.length < 10) failures.push(`${JSON.stringify(t)}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(80);
    expect(fast).toBeGreaterThan(60);
  });
});

describe('blockValues: the string tag (`!!str`)', () => {
  it.each([
    ['a plain scalar that would resolve', 'a: !!str 8080\nb: !!str true\nc: !!str ~\nd: !!str 0x1F # c\n', { a: '8080', b: 'true', c: '~', d: '0x1F' }],
    ['quoted scalars, blanks after the tag', 'a: !!str "x"\nb: !!str   \'y\'\n', { a: 'x', b: 'y' }],
    ['sequence entries, a continuation line', 's:\n- !!str 1\n- !!str  two\n  three\n', { s: ['1', 'two three'] }],
  ])('%s: read, as strings', (_name, text, value) => {
    expectRead(text);
    expect(blockValues(text)).toEqual([value]);
  });

  it.each([
    ['no blank after it', 'a: !!str\n'],
    ['nothing after it', 'a: !!str \nb: 1\n'],
    ['a comment after it', 'a: !!str # c\n'],
    ['a node below it', 'a: !!str\n  x\n'],
    ['a key after it', 'a: !!str k: v\n'],
    ['a key after it in an entry', '- !!str k: v\n'],
    ['a quoted key after it', 'a: !!str "k": v\n'],
    ['a block scalar after it', 'a: !!str |\n  x\n'],
    ['a flow collection after it', 'a: !!str [x]\n'],
    ['an anchor after it', 'a: !!str &x 1\n'],
    ['another tag', 'a: !!int 5\n'],
    ['a local tag', 'a: !t x\n'],
    ['the non-specific tag', 'a: ! x\n'],
    ['a tag on a key', '!!str a: 1\n'],
    ['a tag at the root', '!!str x\n'],
    ['a tag in a flow collection', 'a: [!!str x]\n'],
  ])('%s: given up on', (_name, text) => {
    expectGivenUp(text);
  });

  it('gives js-yaml’s values or gives up, on 8,000 generated texts with tags and their mutations', () => {
    const rnd = random(4711);
    const failures: string[] = [];
    let read = 0;
    for (let i = 0; i < 8000; i++) {
      const text = withTags(rnd, generate(rnd));
      for (const t of [text, mutate(rnd, text)]) {
        if (blockValues(t) !== undefined && t.includes('!!str ')) read++;
        const problem = wrong(t) ?? orderProblem(t);
        if (problem !== undefined && failures.length < 10) failures.push(`${JSON.stringify(t)}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(400);
  });
});

describe('blockValues: document end markers (`...`) at random line starts', () => {
  it('gives js-yaml’s values or gives up', () => {
    const ends = ['...', '... # c', '...\n# c\n', '...\n---', '...  ', '...\n...', '...x', '...\n  x', '---\n...'];
    const rnd = random(1819);
    const failures: string[] = [];
    let read = 0;
    for (let i = 0; i < 3000; i++) {
      const lines = generate(rnd).split('\n');
      for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) lines.splice(Math.floor(rnd() * (lines.length + 1)), 0, ends[Math.floor(rnd() * ends.length)]!);
      const text = lines.join('\n');
      if (blockValues(text) !== undefined && /^\.\.\.(?:[ \n]|$)/m.test(text)) read++;
      const problem = wrong(text);
      if (problem !== undefined && failures.length < 10) failures.push(`${JSON.stringify(text)}: ${problem}`);
    }
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(200);
  });
});
