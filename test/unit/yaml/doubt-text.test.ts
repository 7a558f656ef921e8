/**
 * `kubeDoubt` matches text, not YAML: a `\/` or `.inf` in a shell script written as a block scalar,
 * a `,:` in a CRD's `pattern:`, are text. `doubtOutsideText` (src/yaml/fast-parse.ts) lets such a
 * text take the fast path, and only where the exact path reads the same values and reports nothing:
 * differential cases here, generated around block scalars, plain, quoted and flow scalars, with the
 * doubt where it is text and where it is not (then the exact path reports it and the fast path must
 * refuse the text). test/unit/yaml/fast-checks.test.ts keeps `kubeDoubt` itself equal to the old
 * expression.
 */
import { describe, expect, it } from 'vitest';
import { doubtOutsideText, fastDocuments, kubeDoubt } from '../../../src/yaml/fast-parse.js';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { lintOptions } from '../../support/lint.js';
import { orderProblem } from '../../support/fast-order.js';
import { random, randomLines } from '../../support/random.js';
import { exactValues } from '../../support/exact-values.js';

const tally = { fastWithDoubt: 0, refusedWithDoubt: 0, exactReports: 0 };

/** The fast path, where it reads a text, reads the exact path's values, and the exact path reports nothing. */
function agree(text: string): void {
  expect(orderProblem(text), `the fast path's order for ${JSON.stringify(text)}`).toBeUndefined();
  const doubt = kubeDoubt(text);
  // Texts without a doubt are not this change's (test/corpus/fast-path.test.ts compares them).
  if (!doubt) return;
  const fast = fastDocuments(text);
  const exact = exactValues(text);
  if (exact === undefined) tally.exactReports++;
  if (fast === undefined) {
    if (doubt) tally.refusedWithDoubt++;
    return;
  }
  if (doubt) tally.fastWithDoubt++;
  expect(exact, `the exact path reports something in ${JSON.stringify(text)}`).toBeDefined();
  expect(JSON.stringify(fast), JSON.stringify(text)).toBe(exact);
}

/** What `kubeDoubt` looks for, as text of a line. */
const DOUBTS = [
  "sed -e 's/[\\\\/&]/\\\\\\\\&/g'", 'a\\/b', '.inf', 'x: .NaN', '~: x', ': x', 'null: y', '? k', '- ? k', '"q"#c', "'q'#c", '[a]#c',
  '{a: 1}#c', '{: x}', '[a, : b]', 'a,: b', '{null: 1}', '^[A-Z]([A-Z0-9_,:]*[A-Z])?$', '\t', ' \t# c',
];
/** Other text of a line: plain, quotes and brackets left open, what looks like structure. */
const TEXTS = ['echo hi', 'key: value', '"open', "'open", '[open', '{open', 'key: |', '- >-', '# comment', 'a: "b"', '- x', '...', '--- x', ''];

describe('a doubt inside a block scalar is text', () => {
  it('on generated block scalars (literal and folded, any chomping, under keys and entries), doubts in and after them', () => {
    const next = random(14);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    for (let n = 0; n < 6000; n++) {
      const indent = pick(['', '  ', '    ']);
      // Mostly the headers read here; some that are not (left to the exact path or read as no header).
      const lead = next() < 0.7 ? pick(['key: ', '- ', '- key: ', 'script.sh: ', '- - ']) : pick(['a b: ', 'null: ', '? ', 'key: &a ', 'key: !!str ', '"k": ']);
      const header = next() < 0.7 ? pick(['|', '|-', '|+', '>', '>-', '| # c']) : pick(['|2', '|#c', 'x |', '| x']);
      // The content's indentation: past the parent (key or `-`) or not.
      const parent = indent.length + (lead.startsWith('- - ') ? 2 : lead.startsWith('- ') && lead.includes(':') ? 2 : 0);
      const content = ' '.repeat(Math.max(0, parent + pick([-1, 0, 1, 2, 2, 2, 4])));
      const lines: string[] = [pick(['a: b', 'list:', 'data:', '# top', '---']), `${indent}${lead}${header}`];
      const count = 1 + Math.floor(next() * 5);
      for (let k = 0; k < count; k++) {
        const roll = next();
        if (roll < 0.5) lines.push(`${content}${pick(DOUBTS)}`);
        else if (roll < 0.75) lines.push(`${content}${pick(TEXTS)}`);
        else if (roll < 0.85) lines.push(pick(['', ' ', '   ', '\t', `${content}  ${pick(DOUBTS)}`]));
        else lines.push(`${' '.repeat(Math.floor(next() * (content.length + 1)))}${pick([...DOUBTS, ...TEXTS])}`);
      }
      if (next() < 0.5) lines.push(`${indent}${pick(['other: x', '- y', 'z: "w"', 'k: v', pick(DOUBTS)])}`);
      agree(`${lines.join('\n')}\n`);
    }
    expect(tally.fastWithDoubt).toBeGreaterThan(500);
    expect(tally.refusedWithDoubt).toBeGreaterThan(500);
    expect(tally.exactReports).toBeGreaterThan(500);
  });
});

describe('a doubt outside block scalars is not hidden', () => {
  const cases: [string, boolean][] = [
    // the doubt is text: fast
    ['a: |\n  x \\/ y\nb: c\n', true],
    ['- |\n  ~: x\n  .inf\n- b\n', true],
    ['k:\n  - key: >-\n      "q"#c\n      [a, : b]\n    other: 1\n', true],
    ['pattern: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$\n', true],
    ['a: x, [y,:]\n', true],
    ['a: x\n  y,:]\nb: 1\n', true],
    // in a double-quoted scalar: Kubernetes rejects `\/`
    ['a: "x \\/ y"\n', false],
    ['a: "x\n  b: |\n    \\/ y"\n', false],
    ["a: 'x\n  b: |\n  '\nc: \"\\/\"\n", false],
    // in a flow map: a null key
    ['a: {x: 1, : 2}\n', false],
    ['a: [x,\n  {,: 2}]\n', false],
    // on the header line, or in what is no block scalar
    ['? |\n  x\n: y\n', false],
    ['a: x |\n  ~: y\n', false],
    ['a: x |\n  \\/"\n', true],
    ['# note |\n  ~: y\n', false],
    ['a: |2\n   ~: x\n', true],
    ['a: |\n  x\n ~: y\n', false],
    ['a: &x |\n  ~: y\nb: *x\n', true],
    // the doubt is text (a comment) but the text has what kubeDoubt does not see: found by fuzzing,
    // left to the exact path, which reports it
    ['a: "x\n  "#c {,:}\n', false],
    ['&x ~: y  #,:\n', false],
    ['a: {&x : 1}  # {,:}\n', false],
    ['a: [#\n  ]  # {,:}\n', false],
    ['[a]: b  # {,:}\n', false],
    ['b: &x :y,: \n', false],
    ['b:\n  !!str  # {,:}\n    ~\n', false],
    // a tab line stays a doubt inside a block scalar
    ['a: |\n  x\n\t\n  y\n', false],
    ['a: |\n  x\n  \t\n  y\n', false],
  ];
  it.each(cases)('%j', (text, fast) => {
    expect(kubeDoubt(text)).toBe(true);
    agree(text);
    // Where the case says "text", the exact path agrees and the fast path reads it.
    if (fast) expect(exactValues(text), text).toBeDefined();
    if (!fast) expect(exactValues(text) === undefined || doubtOutsideText(text), text).toBe(true);
  });
});

describe('plain and quoted scalars around doubts', () => {
  it('on generated documents of plain multi-line scalars, quoted scalars, flow collections and block scalars', () => {
    tally.fastWithDoubt = tally.refusedWithDoubt = tally.exactReports = 0;
    const next = random(41);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const values = [
      'x', 'x, [y', 'a,: b', '^[a]([a,:]*)?$', '"q"', '"q \\/ r"', "'q \\/ r'", '[a, b]', '{a: 1, b: 2}', '{a: 1, : 2}', '[a,: b]', '"open', "'it''s", '|', '>-',
      'x |', '&a x', '!!str x', '*a', '.inf', '"x"#c', 'x # c', 'x #c |', '',
    ];
    const continuations = ['y', 'y,: z', '"z', '[z', '{,: z}', 'z: w', 'z #c', '\\/', ']', '  ~: y', '- y', '? y'];
    for (let n = 0; n < 8000; n++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(next() * 6);
      for (let k = 0; k < count; k++) {
        // A map's entry, or a list's entries under a key, mostly well indented; continuation lines after some.
        const list = next() < 0.3;
        if (list) lines.push(`l${k}:`);
        const lead = list ? pick(['- ', '  - ', '- ']) : pick([`k${k}: `, `k${k}: `, `"k${k}": `, `k${k}:`]);
        lines.push(`${lead}${pick(values)}`);
        if (next() < 0.4) lines.push(`${pick(['  ', '    ', ' ', ''])}${pick(continuations)}`);
      }
      agree(`${lines.join('\n')}\n`);
    }
    // Most documents hold a doubt that matters somewhere (a `.inf`, a `\/` in double quotes, a flow null key).
    expect(tally.fastWithDoubt).toBeGreaterThan(100);
    expect(tally.refusedWithDoubt).toBeGreaterThan(1000);
  });
});

describe('the fast path reads the same findings', () => {
  const rules = lintOptions().rules;
  const texts = [
    // argo-cd's HA redis ConfigMap: a sed expression in a shell script
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\ndata:\n  init.sh: |\n    ESCAPED=$(echo "${AUTH}" | sed -e \'s/[\\\\/&]/\\\\\\\\&/g\');\n    REDIS_PASSWORD: hunter2-hunter2-x9\n  API_TOKEN: abcdefgh12345678\n',
    // a CRD's pattern
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x.example.com\nspec:\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        properties:\n          reason:\n            pattern: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$\n            type: string\n',
    // a DaemonSet whose args' closing bracket is indented as its key
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: driver\n          image: ghcr.io/x/driver:0.2.0\n          args: [\n              "-socket", "/run/agent",\n          ]\n          env:\n          - name: DB_PASSWORD\n            value: hunter2-hunter2-x9\n',
  ];
  it.each(texts)('%#', (text) => {
    expect(fastDocuments(text)).toBeDefined();
    const options = { rules, settings: DEFAULT_SETTINGS };
    const exact = lintText(text, 'x.yaml', { ...options, fast: false });
    expect(JSON.stringify(lintText(text, 'x.yaml', { ...options, fast: true }))).toBe(JSON.stringify(exact));
  });
});

describe('random lines of indicators, quotes, brackets, comments and block headers', () => {
  it('where kubeDoubt matches and the fast path reads the text, the exact path reads the same values and reports nothing', () => {
    const next = random(3);
    const pieces = [
      'a', 'b: ', ': ', ':', '- ', '? ', '|', '>-', '|+', '"', "'", '[', ']', '{', '}', ',', ', ', '#', ' #', '\\/', '\\', '.inf', '~', 'null', '&x ',
      '*x', '!!str ', ' ', '  ', 'k: |', 'x', ',:', ',: ', '{,:}', '"#', ']#',
    ];
    tally.fastWithDoubt = tally.refusedWithDoubt = tally.exactReports = 0;
    for (let n = 0; n < 30000; n++) {
      agree(`${randomLines(next, pieces)}\n`);
    }
    // (Fewer since shapeDoubt also refuses texts with properties and differently indented entries.)
    expect(tally.fastWithDoubt).toBeGreaterThan(50);
  });
});
