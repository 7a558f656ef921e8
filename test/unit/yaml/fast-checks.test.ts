/**
 * The fast path's pre-checks (`kubeDoubt`, `needsExactPath` in src/yaml/fast-parse.ts) were made
 * cheaper for issue 18: they must give the answers of the old ones (test/support/fast-checks-reference.ts)
 * on every text. Structured cases for each part of the old expression, then many random texts built
 * from the characters and pieces that matter (line breaks of every kind, blanks, indicators, null
 * words, quotes, brackets, comments). The corpus files: test/corpus/fast-checks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fastDocuments, kubeDoubt, needsExactPath } from '../../../src/yaml/fast-parse.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { ignoredAfterDocumentEndReference, KUBE_DOUBT, KUBE_DOUBT_OLD, needsExactPathReference } from '../../support/fast-checks-reference.js';
import { lintText } from '../../../src/run/engine.js';
import { normalizeText, parseText, stripBom } from '../../../src/yaml/parse.js';
import { hasStreamProblems, ignoredAfterDocumentEnd, kubeLineBreaks, markerCandidates, streamProblems } from '../../../src/yaml/kube-stream.js';
import { lintOptions } from '../../support/lint.js';
import { orderProblem } from '../../support/fast-order.js';
import { random } from '../../support/random.js';

/** How often each check said yes and no: the cases must give both answers often. */
const answers = { doubt: [0, 0], exact: [0, 0] };

function agree(text: string): void {
  const doubt = KUBE_DOUBT.test(text);
  const exact = needsExactPathReference(text);
  expect(kubeDoubt(text), `kubeDoubt(${JSON.stringify(text)})`).toBe(doubt);
  // Narrower than the old expression only for an escaped quote before a `#`.
  if (doubt !== KUBE_DOUBT_OLD.test(text)) expect(!doubt && text.includes('\\"#'), `old KUBE_DOUBT(${JSON.stringify(text)})`).toBe(true);
  expect(needsExactPath(text), `needsExactPath(${JSON.stringify(text)})`).toBe(exact);
  expect(orderProblem(text), `the fast path's order for ${JSON.stringify(text)}`).toBeUndefined();
  answers.doubt[Number(doubt)]!++;
  answers.exact[Number(exact)]!++;
}

function bothAnswersOften(): void {
  for (const counts of [answers.doubt, answers.exact]) {
    expect(Math.min(...counts)).toBeGreaterThan(500);
    counts.fill(0);
  }
}

const PIECES = [
  '\n', '\n', '\n', '\r\n', '\r', '\u2028', '\u2029', ' ', ' ', '  ', '\t', '-', '- ', '-\t', ':', ': ', ':\t', '?', '? ', '~', 'null', 'Null',
  'NULL', 'nul', 'nullx', '#', ' #', '"', "'", "''", '\\', '\\"', '\\/', '[', ']', '{', '}', ',', '.inf', '.NaN', '.Inf', '.nanx', 'a', 'key',
  'value', '|', '>', '|-', '>+', '|2', '---', '...', '%', '&a', '*a', '!t', '\u00a0', '\ufeff', '\u3000', 'x'.repeat(1030),
];

describe('the fast path pre-checks agree with the old ones', () => {
  it('on structured cases', () => {
    const cases = [
      '', 'a: b', ': x', '  : x', '- : x', '- - null: x', '-null: x', 'null : x', 'nullable: x', '~: x', '~x: y', ':\r\n', ':\r', ':', '? x',
      '- ? x', '?x', ' \t# c', ' \t', '\t', ' \t\r\n', '\t x', 'a: [x, : y]', '{: x}', '{null: x}', 'a: {b: 1, ~ :}', 'a: "x"#c', "a: 'x'#c",
      'a: ["x"#c]', 'a: [x]#c', 'a: {x: 1}#c', 'a: "x" #c', 'a: "\\/"', 'a: .inf', 'a: .infinity', 'a: x.nan', 'a: .NaN', 'a\r: x\r: y',
      'a\u2028: x', 'a\u2029\t', 'a: b\r\n- c\r\n  ? d', 'key: "a\n  b"', 'key: "a\nb"', 'key: [a,\nb]', 'key: [a,\n  b]', '[a,\nb]',
      '---\n[a,\nb]', 'a: |\n  "x\n  [y\nb: "z"', 'a: >-\n x\n"b": [\n c]', `a: ${'x'.repeat(1100)}: b`, `a: "${'x'.repeat(1100)}: b"`,
      `- ${'x'.repeat(1100)}\n- y: z`, "a: 'it''s\n  x'", 'a: "x\\\n  y"', '- "a": b\n  c: "d\n e"', '  \u00a0a: "b\n  c"', '%YAML 1.2\n---\na: "b"',
      'a: "b\n---\nc"', 'a: "b\n\tc"', 'a: &x [b,\n c]', 'a: !t {b: c,\n d: e}', 'a: "x\\"#c"', 'a: "x\\\\"#c', 'a: "x\\\\\\"#c"',
      '\\"#"#', 'a: x\\"#', "a: 'x\\'#c",
    ];
    for (const text of cases) agree(text);
    answers.doubt.fill(0);
    answers.exact.fill(0);
  });

  it('on random texts', () => {
    const next = random(18);
    for (let n = 0; n < 20000; n++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(next() * 30);
      for (let k = 0; k < length; k++) parts.push(PIECES[Math.floor(next() * PIECES.length)]!);
      agree(parts.join(''));
    }
    bothAnswersOften();
  });

  it('on random lines of block YAML with flow values, quotes and block scalars', () => {
    const next = random(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const values = ['x', '"q"', "'s'", '"a\\"b"', '[a, b]', '{a: 1}', '[', '{', '"open', "'open", '|', '>-', 'null', '~', '', '# c', '"x"#c', 'a#b'];
    const lineEnds = ['\n', '\n', '\n', '\r\n', '\r', '\t\n', ' \n'];
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const lines = 1 + Math.floor(next() * 12);
      for (let k = 0; k < lines; k++) {
        const indent = ' '.repeat(Math.floor(next() * 6)) + (next() < 0.1 ? '\t' : '');
        const lead = pick(['', '- ', '- - ', '? ', '']);
        const key = pick(['key', 'null', '~', '', '"k"', '---', '...', '%d', '#']);
        text += `${indent}${lead}${key}${pick([': ', ':', ' : ', ''])}${pick(values)}${pick(lineEnds)}`;
      }
      agree(text);
    }
    bothAnswersOften();
  });
});

describe('the null key in a flow collection, alone', () => {
  it('on random lines that nothing else in KUBE_DOUBT matches (each starts with a letter)', () => {
    const next = random(5);
    const pieces = ['{', ',', ' ', '\t', ':', ':', '~', 'null', 'Null', 'NULL', 'nul', 'x', ']', '}', '[', '"', '#'];
    const ends = ['\n', '\r\n', '\r', '\u2028', '\u2029'];
    const answers = [0, 0];
    for (let n = 0; n < 20000; n++) {
      let text = '';
      const lines = 1 + Math.floor(next() * 3);
      for (let k = 0; k < lines; k++) {
        if (k > 0) text += ends[Math.floor(next() * ends.length)]!;
        text += 'k';
        const length = Math.floor(next() * 8);
        for (let j = 0; j < length; j++) text += pieces[Math.floor(next() * pieces.length)]!;
      }
      const doubt = KUBE_DOUBT.test(text);
      expect(kubeDoubt(text), JSON.stringify(text)).toBe(doubt);
      answers[Number(doubt)]!++;
    }
    expect(Math.min(...answers)).toBeGreaterThan(1000);
  });
});

describe('an escaped quote before a # (`\\"#`) leaves the text on the fast path', () => {
  const rules = lintOptions().rules;
  const texts = [
    // A Grafana dashboard's JSON as a double-quoted YAML string (the corpus has one).
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dash\ndata:\n  d.json: "{\\"colors\\":[\\"#299c46\\",\\"#d44a3a\\"],\n    \\"token\\": \\"#x\\"}"\n',
    'a: "x\\"#y"\nb: "\\\\\\"#z"\n',
    '- "a\\"#b"\n- x\\"#c\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    env:\n    - name: DB_PASSWORD\n      value: "s3cr\\"#t-Pa55word-9f8a7b"\n',
  ];
  it('the fast path reads them, with the exact path\'s values and findings', () => {
    let findings = 0;
    for (const text of texts) {
      expect(kubeDoubt(text), text).toBe(false);
      expect(KUBE_DOUBT_OLD.test(text), text).toBe(true);
      const fast = fastDocuments(text);
      expect(fast, text).toBeDefined();
      expect(JSON.stringify(fast)).toBe(JSON.stringify(parseText(text).documents.map((d) => d.value)));
      const options = { rules, settings: DEFAULT_SETTINGS };
      const exact = lintText(text, 'x.yaml', { ...options, fast: false });
      expect(JSON.stringify(lintText(text, 'x.yaml', { ...options, fast: true }))).toBe(JSON.stringify(exact));
      findings += exact.findings.length;
    }
    expect(findings).toBeGreaterThan(0);
  });

  it('a closing quote after an escaped backslash (`\\\\"#`) is still left to the exact path, which reports it', () => {
    const text = 'a: "x\\\\"#c\n';
    expect(kubeDoubt(text)).toBe(true);
    expect(fastDocuments(text)).toBeUndefined();
    expect(lintText(text, 'x.yaml', { rules, settings: DEFAULT_SETTINGS, fast: false }).findings.map((f) => f.ruleId)).toContain('yaml-compat');
  });
});

describe('the stream checks of the fast path agree with streamProblems', () => {
  const pieces = ['\n', '\n', '\r\n', '\r', '\u2028', '\u0085', '---', '---', '--- ', '---x', '...', '... #c', '..', '-', '.', '%', '%YAML 1.2', '\ufeff', 'a: b', 'a', ' ', '#', '{', '{"a": 1}', '}', '[1]', 'x'];
  it('on random streams', () => {
    const next = random(11);
    const answers = [0, 0];
    let ignoredSome = 0;
    for (let n = 0; n < 20000; n++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(next() * 16);
      for (let k = 0; k < length; k++) parts.push(pieces[Math.floor(next() * pieces.length)]!);
      const raw = parts.join('');
      const original = stripBom(raw);
      const text = kubeLineBreaks(original);
      const expected = streamProblems(original, text).length > 0;
      expect(hasStreamProblems(original, text), JSON.stringify(original)).toBe(expected);
      answers[Number(expected)]!++;
      const regex = [...text.matchAll(/^(?:---|\.\.\.)/gm)].map((m) => m.index);
      expect(markerCandidates(text), JSON.stringify(text)).toEqual(regex);
      const ignored = ignoredAfterDocumentEndReference(original, text);
      expect(ignoredAfterDocumentEnd(original, text), JSON.stringify(original)).toEqual(ignored);
      ignoredSome += Number(ignored.length > 0);
      // What fastDocuments reads when there is no stream problem is normalizeText's text.
      if (!expected) expect(text).toBe(normalizeText(raw));
    }
    expect(Math.min(...answers)).toBeGreaterThan(1000);
    expect(ignoredSome).toBeGreaterThan(500);
  });
});
