/**
 * The light reader gives `yaml`'s ranges without a parse (src/yaml/light-locate.ts): hand-written shapes
 * where comments and empty values make ranges subtle, documents it must give up on, and a few
 * thousand generated block-YAML documents with comments at random indentation, each compared with
 * `yaml` on every path. The corpus-wide comparison is test/corpus/light-locate.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fastDocuments } from '../../../src/yaml/fast-parse.js';
import { LightDocument } from '../../../src/yaml/light-locate.js';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { compareDocument } from '../../support/light-oracle.js';
import { expectLinear } from '../../support/growth.js';
import { lintOptions } from '../../support/lint.js';
import { random } from '../../support/random.js';

function check(text: string) {
  const values = fastDocuments(text);
  expect(values).toHaveLength(1);
  const result = compareDocument(text, values![0]);
  expect(result.mismatches).toEqual([]);
  return result;
}

describe('light reader: same ranges as yaml', () => {
  const shapes: [string, string][] = [
    ['comments after a nested collection, one at column 0', 'a:\n  b: 1 # c1\n  # c2\n  c:\n  - x # c3\n  - y\n  # c4\n# c5\nd: |\n  text\n\n  more\n\n# c6\ne: "q" # c7\n'],
    ['empty values, keep and strip chomping, flow, nested sequences', 'a:\n  b:\n  c: # cm\n  d: x\ne:\n- \n- y\nf: |+\n  t\n\n\ng: >-\n  u\n    v\nh: [1, "two", {k: v}]   # c\ni:\n  - a: 1\n    b: 2\n  - - n1\n    - n2\nj: "multi\n  line"\nl:\n'],
    ['comments indented past a scalar extend it', 'a:\n  b: 1\n      # deeper\n\n      # deeper still\n  # same\n    # deeper after same\nc: 2\n'],
    ['comments between containers and the next key', 'spec:\n  containers:\n  - name: a\n    image: x\n  # comment\n  volumes: []\n'],
    ['comments at the end of an item map', 'spec:\n  containers:\n  - name: a\n    image: x\n    # ports:\n    # - 80\n  - name: b\n    image: y\n    # trailing\n'],
    ['a sequence at its key\'s indentation with comments', 'a:\n- x\n# c0\n  # c2\nb:\n  c:\n  - y\n  # c2\n  d: 1\n'],
    ['block scalars: indicators, trailing comments, empty', 'a: |2\n    two extra\n  b\nc: >+\n  folded\n\n# after\nd: |\ne: |-\n  x\n # less indented comment\nf: 1\n'],
    ['quoted keys and values over lines, flow over lines', '"quoted key": 1\n\'it\'\'s\': 2\nk: "a \\" b\n  c"\nl: [a,\n  "b, c",\n  {d: e}]\nm: \'x\n  y\'\n'],
    ['CRLF line ends', 'a:\r\n  b: 1 # c\r\n  # c2\r\n  c:\r\n  - x\r\nd: |\r\n  t\r\n'],
    ['document start marker and leading comments', '# head\n--- # start\n# more\napiVersion: v1\nkind: ConfigMap\ndata:\n  K: v\n'],
    ['the last line without a line break', 'a:\n  b: [1, 2]'],
    // Flow collections (issue 18): their nodes are located too.
    ['Helm\'s empty flow values on the next line, comments after', 'spec:\n  nodeSelector:\n    {}\n  tolerations:\n    []\n    # after\n  affinity:\n    {}\n# end\nx: 1\n'],
    ['flow maps and sequences, nested, on one line', 'a: {b: c d , "e": [1, 2 ,], f: {}, \'g h\': [[x], {y: z}]}  # t\nb: [http://h:1/p, a:b, -1, "q, r", \'s\']\n'],
    ['flow collections over several lines', 'a: {b: 1,\n  c: [x,\n    y],\n  "d":\n    "e"\n  }\nb:\n  - [1,\n     2]\n  - {k: v}\n  # c\n'],
    ['a flow collection as a sequence item and as the value of an item key', 'items:\n- {name: a, value: "1"}\n- [x, y]\n- name: b\n  args: ["--flag=1", "--other"]\n'],
    ['JSON, one line', '{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","spec":{"containers":[{"name":"a","env":[{"name":"K","value":"v"}]}]}},{"kind":"X","a":[],"b":{}}]}'],
    ['JSON, pretty', '{\n  "apiVersion": "v1",\n  "data": {\n    "k\\"q": "v",\n    "\\u00e9": "x\\ny",\n    "n": -1.5,\n    "t": true\n  },\n  "list": [\n    1,\n    null\n  ]\n}\n'],
    ['a JSON-like key with the value right after its colon', 'a: {"k":v, "l":[1]}\n'],
    // Nested deep enough that collections are indexed all the way down once a few times the text was indexed.
    // Read since the corpus asked (issue 18): plain scalars over several lines, comments in flow
    // collections, a `...` line ending the document.
    ['plain scalars over several lines', 'a: plain\n  continued\n\n  after a blank line\nb:\n- /bin/cp x y && ln -s\n  /var/run/z\n- one\n    two\n  # c2\nc: d\n  e\n    # deeper\nf: 1\n'],
    ['a multi-line plain scalar as the last value, comments after', 'spec:\n  args:\n  - run\n    --flag=1 -x:y\n  # after\n# end\n'],
    ['comments in flow collections', '---\n{\n  apiVersion: "v1",\n  metadata: {\n    name: "x", # c\n  },\n  data: {\n    # the data\n    k: "v", # c\n    m: [a, # c\n      b],\n  },\n}\n'],
    ['a comment line inside a flow sequence of a block map', 'spec:\n  command: ["/proxy", "-i=x",\n    # if private:\n    # more\n    "-ip"]\n  b: 1\n'],
    ['a `...` line ending the document', '--- # s\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n  c:\n  - d\n...\n'],
    ['a `...` line after comments, comments after it', 'a:\n  b:\n  - c\n  # c1\n# c2\n...\n# after\n\n'],
    ['anchors on values and aliases as values (shared labels)', 'metadata:\n  labels: &labels # c\n    app: x\n    tier: web\nspec:\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels: *labels # c\n    s: &s "v"\n    t: *s\n    f: &f {a: 1, b: [2]}\n    g:\n    - *f\n    - *labels\n'],
    ['an anchor set again: an alias names the last one before it', 'a: &x\n  k: 1\nb: *x\nc: &x\n  l: 2\nd: *x\n'],
    ['the string tag before scalars (its range left out, as `yaml` leaves it out)', 'a: !!str 8080 # c\nb:\n- !!str x\n- !!str  "y"\n- k: !!str \'z\'\nc: !!str z\n  w\nd: 1\n'],
    ['JSON nested deep', '{"a": {"b": {"c": {"d": {"e": {"f": [1, {"g": "h", "i": [[], {}]}], "j": "k"}}}}}, "l": [{"m": {"n": {"o": ["p"]}}}]}\n'],
  ];
  for (const [name, text] of shapes) {
    it(name, () => {
      const r = check(text);
      expect(r.read).toBe(true);
      expect(r.located).toBeGreaterThan(3);
    });
  }

  it('gives up on what it does not read, rather than guess', () => {
    const unread = [
      'a: &x\nb: *x\n', // an anchored empty value
      'a: *x\n', // an alias without its anchor
      'a: &x 1\nb: *y\n', // an alias of another anchor
      '- &x 1\n- *x\n', // an anchor on a sequence item
      'a: &x [1]\nb: [*x]\n', // an alias in a flow collection
      'a: !!int 1\n', // a tag other than the string tag
      'a: !!str\n  1\n', // the string tag before a scalar on the next line
      'a: !!str |\n  x\n', // the string tag before a block scalar
      'a: !!str [1]\n', // the string tag before a flow collection
      '- !!str &x 1\n', // the string tag before an anchor
      '? a\n: 1\n', // an explicit key
      'a: plain\n  b: c\n', // a key on a continuation line
      'a: plain\n  - c\n', // a continuation line starting with an indicator
      'a: plain\n  c # d\n', // a comment on a continuation line
      'plain\ncontinued\n', // a plain scalar at the top
      'a:\n  value on the next line\n',
      'a:\n  # a comment after an empty value\nb: 1\n',
      'a: 1\n... # end\n', // a document end marker with more on its line
      'a: 1\n...\nb: 2\n', // content after a document end marker
      'a: 1\n---\nb: 2\n', // a document start marker in the part
      'a:\n\t- 1\n', // a tab in the indentation
      // Flow collections: what this reader does not read in them.
      'a: {b: , c: 1}\n', // an empty value
      'a: {b, c: 1}\n', // a key without a value
      'a: [b: 1]\n', // a pair in a sequence
      'a: [b,# c\n  d]\n', // a `#` right after a comma
      'a: {b # c\n  : d}\n', // a comment between a key and its colon
      'a: {? b : 1}\n', // an explicit key
      'a: [&x b, *x]\n', // an anchor and an alias
      'a: {[b]: 1}\n', // a collection as a key
      'a: [b\n  c]\n', // a plain scalar over two lines
      'a: {b: !!str 1}\n', // a tag
      'a: [b,\tc]\n', // a tab
      'a: [b, c] d\n', // content after the collection
      'a: [b, c\n', // not closed
    ];
    for (const text of unread) {
      expect(LightDocument.read(text), text).toBeUndefined();
    }
    // A flow document (JSON) is read node by node.
    expect(LightDocument.read('{"a": {"b": 1}}\n')!.locate({ a: { b: 1 } }, ['a', 'b'])).toEqual([7, 13]);
  });

  it('locates inside flow collections; is not sure in maps with non-string keys, and says so', () => {
    const light = LightDocument.read('a: [1, 2]\nb:\n  1: x\n  c: y\nd:\n- 1\n- 2\n')!;
    const value = { a: [1, 2], b: { '1': 'x', c: 'y' }, d: [1, 2] };
    expect(light.locate(value, ['a'])).toEqual([0, 9]);
    expect(light.locate(value, ['a', 0])).toEqual([4, 5]);
    expect(light.locate({ ...value, a: [1, 2, 3] }, ['a', 0])).toBeUndefined();
    expect(light.locate(value, ['b', 'c'])).toBeUndefined();
    expect(light.locate(value, ['d', 1])).toEqual([36, 37]);
    // A shape that differs from the value read: not sure.
    expect(light.locate({ ...value, d: [1, 2, 3] }, ['d', 1])).toBeUndefined();
    expect(light.locate({ ...value, e: 1 }, ['d', 1])).toBeUndefined();
  });

  it('is not sure in a map with any key whose string form may differ from its text, and sure with the others', () => {
    // Keys whose string form may differ from their text (looked at only when their first character can start one), either case.
    for (const key of ['-1', '-a', '+1', '.5', '0', '9x', '~', '~x', '<<', 'true', 'False', 'NULL', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'TRUE', 'oN', 'fALSE']) {
      const light = LightDocument.read(`${key}: 1\nk: v\n`)!;
      expect(light.locate({ [key]: 1, k: 'v' }, ['k']), key).toBeUndefined();
    }
    // Keys that start like one but are strings, and keys starting with other characters.
    for (const key of ['nope', 'yess', 'ok', 'n1', 'truth', '<x', '<<<', 'name', 'data', 'DB_PASSWORD', 'é', '_x', 'nulls', 'offset', 'Off1', 'types', 'falsey']) {
      const light = LightDocument.read(`${key}: 1\nk: v\n`)!;
      expect(light.locate({ [key]: 1, k: 'v' }, ['k']), key).toEqual([key.length + 4, key.length + 8]);
    }
    // A scalar or key starting with an indicator is not read (here: a tag, a directive-like or flow key).
    for (const text of ['a: !t 1\n', '!t a: 1\n', '@a: 1\n', '`a: 1\n', 'a: %x\n', '[a]: 1\n']) {
      expect(LightDocument.read(text), text).toBeUndefined();
    }
  });
});

/** A small deterministic generator of block YAML with comments at random places. */
/** A generator of block YAML with comments at random places; `tags`: `!!str` before some scalars. */
function generator(seed: number, tags = false) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const keys = ['name', 'image', 'env', 'value', 'ports', 'data', 'spec', 'containers', 'args', 'x-y', 'a.b/c'];
  const scalars = ['v', 'two words', '"quoted: yes"', "'single'", '[a, b]', '{k: v}', '8080', 'http://h:1/p', '""', '{}', '[]', '{"a": [1, {"b": "c"}], d: e}', '[x, [y, z], {}, ]'];
  // Flow collections on the lines below their key (Helm writes `nodeSelector:` then `{}`), over one or several lines.
  const flows = ['{}', '[]', '{a: 1, b: [x, y]}', '[1,\n%  2]', '{"k":\n%  "v", l: {}}'];
  const lines: string[] = [];
  const comment = (indent: number) => {
    while (rnd() < 0.25) lines.push(rnd() < 0.3 ? '' : `${' '.repeat(Math.floor(rnd() * (indent + 6)))}# c${lines.length}`);
  };
  const trailing = () => (rnd() < 0.2 ? ' # t' : '');
  const value = (indent: number, depth: number, prefix: string): void => {
    const r = rnd();
    if (depth > 3 || r < 0.45) {
      if (rnd() < 0.12) {
        lines.push(`${prefix} ${pick(['|', '|-', '|+', '>', '>-'])}${trailing()}`);
        const n = 1 + Math.floor(rnd() * 3);
        for (let i = 0; i < n; i++) lines.push(rnd() < 0.2 ? '' : `${' '.repeat(indent + 2)}line ${i}${rnd() < 0.2 ? '  extra' : ''}`);
      } else if (rnd() < 0.1) {
        lines.push(`${prefix}${trailing()}`); // empty
      } else if (rnd() < 0.15) {
        lines.push(prefix);
        comment(indent);
        const flow = pick(flows).replace(/%/g, ' '.repeat(indent + 2));
        lines.push(`${' '.repeat(indent + 2)}${flow}${trailing()}`);
      } else {
        const scalar = pick(scalars);
        const tag = tags && !/^[[{]/.test(scalar) && rnd() < 0.5 ? '!!str ' : '';
        lines.push(`${prefix} ${tag}${scalar}${trailing()}`);
      }
    } else if (r < 0.75) {
      lines.push(`${prefix}${trailing()}`);
      comment(indent);
      map(indent + 2, depth + 1);
    } else {
      lines.push(`${prefix}${trailing()}`);
      comment(indent);
      seq(rnd() < 0.5 ? indent : indent + 2, depth + 1);
    }
  };
  const map = (indent: number, depth: number) => {
    const n = 1 + Math.floor(rnd() * 4);
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      let k = pick(keys);
      while (used.has(k)) k += 'x';
      used.add(k);
      value(indent, depth, `${' '.repeat(indent)}${k}:`);
      comment(indent);
    }
  };
  const seq = (indent: number, depth: number) => {
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      if (rnd() < 0.5) {
        // A compact map in the item: its first key on the `-` line.
        const start = lines.length;
        map(indent + 2, depth + 1);
        const first = lines.findIndex((l, j) => j >= start && l.trim() !== '' && !l.trim().startsWith('#'));
        lines[first] = `${' '.repeat(indent)}- ${lines[first]!.slice(indent + 2)}`;
      } else {
        value(indent + 2, depth, `${' '.repeat(indent)}-`);
      }
      comment(indent);
    }
  };
  return () => {
    lines.length = 0;
    comment(0);
    map(0, 0);
    return `${lines.join('\n')}\n`;
  };
}

describe('light reader on generated block YAML with comments everywhere', () => {
  it.each([
    ['', false],
    [', `!!str` before some scalars', true],
  ])('gives yaml\'s range on every path it answers, and reads most documents%s', (_name, tags) => {
    const next = generator(0x5eed, tags);
    let read = 0;
    let valid = 0;
    const mismatches: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const text = next();
      const values = fastDocuments(text);
      if (!values || values.length !== 1 || values[0] === null || typeof values[0] !== 'object') continue;
      let r;
      try {
        r = compareDocument(text, values[0]);
      } catch {
        continue; // yaml finds a problem the fast parser does not: not this test's business
      }
      valid++;
      if (r.read) read++;
      for (const m of r.mismatches) if (mismatches.length < 5) mismatches.push(`${m}\n${text}`);
    }
    expect(mismatches).toEqual([]);
    expect(valid).toBeGreaterThan(2000);
    expect(read / valid).toBeGreaterThan(0.6);
  });

  it('lints to the same findings with the light reader as with yaml alone', () => {
    const rules = lintOptions().rules;
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # the pod\nspec:\n  containers:\n  - name: app\n    image: app\n    env:\n    - name: DB_PASSWORD\n      value: hunter2 # oops\n      # more\n    # after env\n  - name: side\n    image: side\n    # trailing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  app.properties: |\n    a=1\n    db.password=s3cret\n  # end\n';
    const fast = lintText(text, 'f.yaml', { rules, settings: DEFAULT_SETTINGS });
    const exact = lintText(text, 'f.yaml', { rules, settings: DEFAULT_SETTINGS, fast: false });
    expect(fast.findings.length).toBeGreaterThan(2);
    expect(JSON.stringify(fast)).toEqual(JSON.stringify(exact));
  });
});

describe('light reader: time linear in the findings located', () => {
  it('locates every key of a wide map without counting the map again for each', () => {
    // A ConfigMap of n sensitive keys has n findings, each located under `data`: counting the keys
    // of `data` once per finding made 200,000 findings take many minutes.
    const make = (n: number) => {
      const keys = Array.from({ length: n }, (_, i) => `  K${i}: v${i}`).join('\n');
      const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n${keys}\n`;
      return { text, value: fastDocuments(text)![0], n };
    };
    expectLinear(
      make,
      ({ text, value, n }) => {
        const light = LightDocument.read(text)!;
        for (let i = 0; i < n; i++) light.locate(value, ['data', `K${i}`]);
      },
      2_500,
    );
  });
});

describe('light reader: time linear in the lines read', () => {
  it('reads a long sequence whose lines hold no `:` (or no comment) before the last one', () => {
    // Each item's key search and comment search look on past its line, to the next `:` or `#`: the
    // reader keeps where they were found, so that the searches of the document cost one pass over it.
    for (const comment of ['', ' # c']) {
      const make = (n: number) => ({
        text: `a:\n${Array.from({ length: n }, (_, i) => `- item-${i}${i % 2 === 0 ? comment : ''}`).join('\n')}\nz: 1\n`,
      });
      expectLinear(make, ({ text }) => {
        expect(LightDocument.read(text)).toBeDefined();
      }, 4_000);
    }
  });
});

describe('light reader: a JSON document located path by path', () => {
  it('locates a finding in every 10th item of a JSON List in time linear in the items', () => {
    // Collections are indexed only on the paths located (the List's items one by one), each once.
    const make = (n: number) => {
      const items = Array.from({ length: n }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { K: `v${i}`, L: [1, { m: 'n' }] } }));
      const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
      return { text, value: JSON.parse(text) as unknown, n };
    };
    expectLinear(
      make,
      ({ text, value, n }) => {
        const light = LightDocument.read(text)!;
        for (let i = 0; i < n; i += 10) light.locate(value, ['items', i, 'data', 'K']);
      },
      1_000,
    );
  });

  it('gives the same range indexing lazily as all at once', () => {
    const text = JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => ({ a: { b: [i, { c: `d${i}` }] } })) }, null, 1);
    const value = JSON.parse(text) as unknown;
    const paths = Array.from({ length: 30 }, (_, i) => ['items', 29 - i, 'a', 'b', 1, 'c']);
    const lazy = LightDocument.read(text)!;
    const one = paths.map((p) => LightDocument.read(text)!.locate(value, p));
    expect(paths.map((p) => lazy.locate(value, p))).toEqual(one);
    expect(one.every((at) => at !== undefined)).toBe(true);
  });
});
