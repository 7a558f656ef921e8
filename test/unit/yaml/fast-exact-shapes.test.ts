/**
 * Texts js-yaml reads where `yaml` (the exact path, as Kubernetes reads it) rejects them or reads
 * other values, that `kubeDoubt` and `needsExactPath` did not see (issue 18; `shapeDoubt` and the
 * additions to needsExactPath in src/yaml/fast-parse.ts): each case explicitly (the fast path refuses
 * it, or lints it with the exact path's findings), then random lines of indicators, properties,
 * quotes, brackets, comments and block headers, on which the fast path, wherever it reads a text,
 * reads the exact path's values and the exact path reports nothing.
 */
import { describe, expect, it } from 'vitest';
import { fastDocuments, shapeDoubt } from '../../../src/yaml/fast-parse.js';
import { blockRead } from '../../../src/yaml/block-values.js';
import { parseText } from '../../../src/yaml/parse.js';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { lintOptions } from '../../support/lint.js';
import { valueDifference } from '../../support/same-value.js';
import { random, randomLines } from '../../support/random.js';
import { exactValues } from '../../support/exact-values.js';

const rules = lintOptions().rules;
const options = { rules, settings: DEFAULT_SETTINGS };

function sameFindings(text: string): void {
  const exact = lintText(text, 'x.yaml', { ...options, fast: false });
  expect(JSON.stringify(lintText(text, 'x.yaml', { ...options, fast: true })), JSON.stringify(text)).toBe(JSON.stringify(exact));
}

describe('shapes the fast path read otherwise than the exact path', () => {
  const cases = [
    // block sequence entries indented differently after an empty entry
    '   - \n  - x\n',
    '  -\n - x\n',
    'a:\n  - \n - x\n',
    'a:\n - - \n - x\n',
    'a:\n - - # c\n - x\n',
    'x:\n  - - \n   - x:\n',
    'x:\n  - \n - y\n  - z\n',
    // a comment right after a quoted scalar closed after a blank or on a continuation line
    'a: "x\n  "#c\n',
    'a: "x "#c\n',
    'a: "x\n  y  "#c\n',
    // a null key after an anchor or a tag
    '&x : 1\n',
    '- &x : 1\n',
    '&x\t: 1\n',
    'a: {&x : 1}\n',
    'a: [&x : 1]\n',
    '&x ~:\n',
    'a: &x k: v\n',
    '[x, \n  null:]\n',
    // a comment right after `[`, `{` or a flow `,`
    'a: [#\n  ]\n',
    'a: {#c\n  b: 1}\n',
    'a: [a,#c\n  ]\n',
    // a collection as a key
    '[a]: b\n',
    'a: {[a] : b}\n',
    // a tag, then its scalar on the next line
    'b:\n   !!str #c\n      ~\n',
    'b: !!str\n  ~\n',
    'a: !\n  ~\n',
    'a: ! #c\n  1\n',
    // properties on an alias, two anchors
    '  &x \n  *x\n',
    '&x \n&x \n',
    // a tag on an empty node before a document marker (js-yaml reads null, `yaml` wants a blank after `!`)
    '!"\n--- # doc\na: 1\n',
    "!'\n---\na: 1\n",
    '!x\n---\na: 1\n',
    'a: !x\n---\nb: 1\n',
    // the non-specific tag on an empty node in a flow collection
    'a: [! ]\n',
    '&a [! ]\n',
    'a: {b: ! }\n',
    'a: [! , x]\n',
    // the non-specific tag before an anchor or a key on its line
    '! &x \n',
    '   ! &x #? \n',
    '  b: ! b: \n',
    '  b:   ! :: \n',
    // an empty key in a flow sequence
    '- - \n    [: \n      ]\n',
    'a: [: x]\n',
    // a collection as a key of a flow map (first or later); a last line of only blanks without a line break
    'a: {[x]}\n',
    'a: {x: 1, [y]}\n',
    'a: {x: 1,\n  [y]: z}\n',
    'a: {x: 1, {y: 2}: z}\n',
    'a: {x: [1, [2]], y: {z: [3, {w: 4}]}}\n',
    'a: {x: 1, &y [y]}\n',
    'a: {x: "}", [y]}\n',
    "a: {x: '[', [y]}\n",
    'a: {x: 1, # c\n  [y]}\n',
    'a: [{x: 1}, {y: 2}]\n',
    'a: |+\n  x\n ',
    'a: |+\n  x\n  \t',
    // a tab in a line's indentation, an alias as a flow key, an explicit key in a flow collection,
    // content after a `...` that starts the text
    '\t-0\n',
    '\t~\n',
    '- \t&x \n        |+\n#0x1F\n',
    '   \t&x \n',
    '\t---\n',
    '  &x {*x}\n',
    '    [\n   \\,? \n]',
    '...   1e3 \n',
    '... a:\n',
    // a separator right before a comment, a lone carriage return
    '---#\n',
    '---#a\nb: 1\n',
    ' \r---- - \n',
    'a: 1\rb: 2\n',
    // an indentation indicator, and a root block scalar
    'script.sh: |2\n  \nb: 1\n',
    'a: |2\n   \n',
    '|2\n    a\n',
    '    |+\n   #\n',
    // leading empty lines of a block scalar with more spaces than its first line (a comment too)
    "e:\n  'single': |-\n          \n\n       #not a comment\n  name: \"t\" # c\n",
    'a:\n  k: |\n     \n   x\n',
    'a:\n  k: >-\n    \t\n   x\n',
    'a: |\n   \nb: 1\n',
    'a:\n  k: |\n     \n  b: 1\n',
  ];
  it.each(cases)('%j', (text) => {
    const fast = fastDocuments(text);
    if (fast !== undefined) expect(JSON.stringify(fast)).toBe(exactValues(text));
    sameFindings(text);
  });

  it('merge keys and the string tag, read by the fast path, with findings through them: the exact path\'s findings', () => {
    const texts = [
      // A finding in a merged container's env, one in a key that replaces a merged one, one after a tag.
      'x-app: &app\n  image: app:1.2\n  env:\n  - name: DB_PASSWORD\n    value: hunter2-hunter2-x9\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    tier: !!str 3\nspec:\n  template:\n    spec:\n      containers:\n      - <<: *app\n        name: app\n      - <<: *app\n        name: side\n        image: !!str side:2\n        env:\n        - name: API_TOKEN\n          value: !!str tok-0a9f8e7d6c5b4a39\n',
      // A ConfigMap whose data merges shared keys, one sensitive.
      'x-common: &common\n  LOG_LEVEL: info\n  DB_PASSWORD: hunter2-hunter2-x9\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  <<: *common\n  LOG_LEVEL: !!str debug\n  PORT: !!str 8080\n',
    ];
    for (const text of texts) {
      expect(fastDocuments(text), text).toBeDefined();
      const fast = lintText(text, 'x.yaml', { ...options, fast: true });
      expect(fast.findings.length, text).toBeGreaterThan(0);
      sameFindings(text);
    }
  });

  it('with findings in the document', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    env:\n    - name: DB_PASSWORD\n      value: hunter2-hunter2-x9\n';
    for (const extra of ['    args:\n     - \n    - x\n', '    args: ["x "#c\n      ]\n', '    args: {&x : 1}\n', 'x: !!str\n  ~\n', 'x: |2\n   \n']) sameFindings(pod + extra);
  });
});

describe('a collection as a later key of a flow map', () => {
  it.each([
    ['a: {x: 1, [y]}\n', true],
    ['a: {x: 1,\n  {y: 2}: z}\n', true],
    ['a: {x: 1, &y [y]}\n', true],
    ['a: {x: 1, # c\n  [y]}\n', true],
    // a bracket inside a quoted scalar: not sure what it closes
    ['a: {x: "}", [y]}\n', true],
    ['a: {k: [x, "]", [y]]}\n', true],
    // a collection after a comma in a sequence, or in a quoted scalar or comment outside brackets
    ['a: [{x: 1}, {y: 2}]\n', false],
    ['a: {x: [1, [2]], y: {z: [3, {w: 4}]}}\n', false],
    ['a: {x: ["q, r", \'s, t\'], y: [[1], {z: 2}]}\n', false],
    ['a: "x, [y]"\nb: {c: 1}\n', false],
    ['a: x # b, [c]\nd: {e: 1}\n', false],
  ])('%j: %s', (text, doubt) => {
    expect(shapeDoubt(text)).toBe(doubt);
  });
});

describe('random lines of indicators, properties, quotes, brackets, comments and block headers', () => {
  it('where the fast path reads a text, the exact path reads the same values and reports nothing', () => {
    const next = random(3);
    const pieces = [
      'a', 'b: ', ': ', ':', '- ', '? ', '|', '>-', '|+', '"', "'", '[', ']', '{', '}', ',', ', ', '#', ' #', '\\/', '\\', '.inf', '~', 'null', '&x ',
      '*x', '!!str ', ' ', '  ', 'k: |', 'x', ',:', ',: ', '{,:}', '"#', ']#', '|2', '! ', '- - ', '...', '---', '\r',
      '-0', '0x1F', '1e3', '-.5', '\t', '!x', '!"', ', [', ', {',
    ];
    let fast = 0;
    let readDespiteShape = 0;
    for (let n = 0; n < 30000; n++) {
      // Most texts end in a line break, some do not.
      const text = randomLines(next, pieces) + (next() < 0.8 ? '\n' : '');
      const values = fastDocuments(text);
      if (values === undefined) continue;
      fast++;
      // Taken though shapeDoubt looks twice at it: the block reader read it, so fastDocuments asked
      // only shapeDoubtBesideRead.
      if (shapeDoubt(text) && blockRead(text, false) !== undefined) readDespiteShape++;
      const exact = parseText(text);
      expect(exact.documents.some((d) => d.problems.length > 0 || !d.usable), `the exact path reports something in ${JSON.stringify(text)}`).toBe(false);
      // -0 against 0, NaN, key order and prototypes told apart (JSON.stringify would not).
      expect(valueDifference(values, exact.documents.map((d) => d.value)), JSON.stringify(text)).toBeUndefined();
    }
    expect(fast).toBeGreaterThan(500);
    expect(readDespiteShape).toBeGreaterThan(10);
  });
});

describe('random lines with pieces over 1024 characters (long keys, values, comments, quotes)', () => {
  it('where the fast path reads a text, the exact path reads the same values and reports nothing', () => {
    const next = random(31);
    const pieces = [
      'x'.repeat(1020), `${'k'.repeat(1030)}: `, ` # ${'c'.repeat(1030)}`, `"${'q'.repeat(1030)}`, 'a', 'b: ', ': ', ':', '- ', '"', "'", '[', ']', '{', '}', ',', ', ', '#', ' #', ' ', '  ', 'k: |', 'x',
    ];
    let fast = 0;
    for (let n = 0; n < 6000; n++) {
      const text = randomLines(next, pieces) + '\n';
      const values = fastDocuments(text);
      if (values === undefined) continue;
      fast++;
      const exact = parseText(text);
      expect(exact.documents.some((d) => d.problems.length > 0 || !d.usable), `the exact path reports something in ${JSON.stringify(text)}`).toBe(false);
      expect(valueDifference(values, exact.documents.map((d) => d.value)), JSON.stringify(text)).toBeUndefined();
    }
    expect(fast).toBeGreaterThan(200);
  });
});
