/**
 * Hostile input: whatever a pull request puts in a file, linting it gives findings or one clear
 * parse-error naming the line, never an exception, and the same answer on the fast and the exact
 * parser paths; where work could grow faster than the input, the growth is checked (an input 4 times
 * larger, see support/growth.ts), never a duration: `npm run bench` prints the times and peak memory
 * of these inputs through the CLI. Big inputs are generated here, never committed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { fastDocuments, shapeDoubt } from '../../src/yaml/fast-parse.js';
import { decode, decodeChecked, lintInputs, readInput } from '../../src/run/lint-files.js';
import { MAX_DEPTH, MAX_INPUT_SIZE, parseText, shapeProblem, treeDeeperThan } from '../../src/yaml/parse.js';
import { expectLinear } from '../support/growth.js';
import { lintAll, lintBoth, OPTIONS, outsideText, where } from '../support/hostile.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-hostile-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A ConfigMap whose PASSWORD key fires configmap-sensitive-data on line 6, column 3. */
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  PASSWORD: hunter2-CANARY\n';

const rules = (findings: readonly { ruleId: string }[]) => findings.map((f) => f.ruleId);

function expectNoCanary(findings: readonly { message: string }[]): void {
  for (const f of findings) expect(f.message).not.toMatch(/CANARY/i);
}

describe('YAML bombs', () => {
  const laughs = (levels: number, width: number) => {
    const rows = [`l0: &l0 [${Array(width).fill('"lol"').join(',')}]`];
    for (let i = 1; i < levels; i++) rows.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
    return `${rows.join('\n')}\n`;
  };

  it.each([
    ['9 levels of 9 (387 million strings)', laughs(9, 9), 'parse-error@5:10'],
    // The limit counts nodes reached through aliases, each anchor's size computed once (B19: a
    // linear chain is no bomb); these positions moved when it replaced the `yaml` package's count.
    ['30 levels of 2 (a billion strings)', laughs(30, 2), 'parse-error@12:12'],
    ['4 levels of 100', laughs(4, 100), 'parse-error@2:406'],
  ])('stops %s with one parse-error at the alias where expansion passes the limit', (_name, text, at) => {
    const result = lintBoth(text);
    expect(result.map(where)).toEqual([at]);
    expect(result[0]!.message).toMatch(/alias/i);
  });

  it('stops a bomb inside a Pod’s containers and still lints the next document', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'x-env: &e0 [{name: A, value: "1"}, {name: B, value: "2"}, {name: C, value: "3"}, {name: D, value: "4"}]',
      ...Array.from({ length: 12 }, (_, i) => `x-env${i + 1}: &e${i + 1} [*e${i}, *e${i}, *e${i}, *e${i}]`),
      'spec:',
      '  containers:',
      '  - name: app',
      '    env: *e12',
      '---',
      CM,
    ].join('\n');
    const found = lintBoth(text);
    expect(found.map(where)).toEqual(['parse-error@9:14', 'configmap-sensitive-data@27:3']);
    expect(found[0]!.message).toBe('Too many alias expansions (a possible YAML bomb); the document was not linted.');
  });

  it('stops a chain of merge keys (each mapping merging the one before) as the exact path does, in linear time', () => {
    // The block reader materialised each merge: 4,000 links took 5 s and 590 MB, and the fast path
    // saw no bomb where the exact path reports one.
    const chain = (n: number) => `x:\n  l0: &l0\n    k0: v\n${Array.from({ length: n - 1 }, (_, i) => `  l${i + 1}: &l${i + 1}\n    <<: *l${i}\n    k${i + 1}: v\n`).join('')}`;
    const result = lintBoth(chain(4000));
    expect(result.map((f) => f.ruleId)).toEqual(['parse-error']);
    expect(result[0]!.message).toMatch(/alias/i);
    expectLinear(chain, (text) => lintBoth(text), 500);
  });

  it('reports an alias inside its own anchor (a cycle) instead of handing rules a cyclic value', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: &s\n  containers:\n  - name: a\n    image: *s\n';
    const found = lintBoth(text);
    expect(found.map(where)).toEqual(['parse-error@8:12']);
    expect(found[0]!.message).toBe('This alias (*) is inside the node its anchor names (a cycle), which Kubernetes rejects; the document was not linted.');
    expect(lintBoth('a: &a [*a]\n').map(where)).toEqual(['parse-error@1:8']);
  });
});

describe('deep nesting', () => {
  const tooDeep = `Nesting is deeper than ${MAX_DEPTH} levels of maps and lists; the document was not linted.`;

  it.each([
    ['10,000 flow sequences', `${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'parse-error@1:257'],
    ['10,000 flow mappings', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`, 'parse-error@1:1025'],
    ['10,000 compact block sequences', `${'- '.repeat(10_000)}x\n`, 'parse-error@1:513'],
    ['3,000 indented block mappings', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'), 'parse-error@257:257'],
    ['10,000 JSON arrays inside a ConfigMap', `${CM}  deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'parse-error@7:263'],
  ])('%s: one parse-error where the nesting crosses the limit', (_name, text, at) => {
    const result = lintBoth(text);
    expect(result.map(where)).toEqual([at]);
    expect(result[0]!.message).toBe(tooDeep);
    expect(result[0]!.message).not.toMatch(/stack/i);
  });

  it(`accepts exactly ${MAX_DEPTH} levels and refuses ${MAX_DEPTH + 1}, on both paths`, () => {
    // The root mapping is level 1, `deep:` holds level 2, and so on.
    const nested = (levels: number) => `${CM}  deep: ${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}\n`;
    expect(rules(lintBoth(nested(MAX_DEPTH)))).toEqual(['configmap-sensitive-data']);
    expect(rules(lintBoth(nested(MAX_DEPTH + 1)))).toEqual(['parse-error']);
  });

  it('counts nesting through aliases, pointing at the alias', () => {
    const inner = `${'['.repeat(200)}${']'.repeat(200)}`;
    const text = `a: &a ${inner}\nb: ${'['.repeat(100)}*a${']'.repeat(100)}\n`;
    expect(lintBoth(text).map(where)).toEqual(['parse-error@2:104']);
    expect(lintBoth(`a: &a ${'['.repeat(100)}${']'.repeat(100)}\nb: [[*a]]\n`)).toEqual([]);
  });

  it('keeps linting the documents before and after a too-deep one', () => {
    const text = `${CM}---\n${'['.repeat(5000)}${']'.repeat(5000)}\n---\n${CM}`;
    expect(lintBoth(text).map(where)).toEqual(['configmap-sensitive-data@6:3', 'parse-error@8:257', 'configmap-sensitive-data@15:3']);
  });

  it('shapeProblem is iterative and linear in distinct values', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(shapeProblem(deep)?.kind).toBe('too-deep');
    // 60 levels of a value shared twice per level: 2^60 paths, 60 distinct values. Work counted as
    // property reads: twice the levels, about twice the reads (not 2^60 times as many).
    const sharedLevels = (levels: number, onRead: () => void = () => {}) => {
      const counting = (value: object) => new Proxy(value, { get: (target, key, receiver) => (onRead(), Reflect.get(target, key, receiver)) });
      let value: object = counting({ leaf: true });
      for (let i = 0; i < levels; i++) value = counting({ a: value, b: value });
      return value;
    };
    const reads = (levels: number) => {
      let n = 0;
      expect(shapeProblem(sharedLevels(levels, () => n++))).toBeUndefined();
      return n;
    };
    expect(reads(120) / reads(60)).toBeLessThan(4);
    const shared = sharedLevels(60);
    const cyclic: Record<string, unknown> = { spec: { containers: [] } };
    (cyclic.spec as { containers: unknown[] }).containers.push(cyclic);
    expect(shapeProblem(cyclic)).toEqual({ kind: 'cycle', path: ['spec', 'containers', 0] });
    // The cheap check for trees: exact on trees, and it gives up (true) past its budget on shared values.
    expect(treeDeeperThan(deep)).toBe(true);
    expect(treeDeeperThan({ a: [[{ b: 1 }]] }, 4)).toBe(false);
    expect(treeDeeperThan({ a: [[{ b: {} }]] }, 4)).toBe(true);
    expect(treeDeeperThan(shared, MAX_DEPTH, 10_000)).toBe(true);
    expect(treeDeeperThan(cyclic, MAX_DEPTH, 10_000)).toBe(true);
  });
});

describe('size limits', () => {
  it(`refuses a 100 MB file with one parse-error at 1:1, without reading it`, () => {
    const big = path.join(tmp, 'big.yaml');
    const fd = fs.openSync(big, 'w');
    const block = Buffer.from(CM.repeat(Math.ceil((1024 * 1024) / CM.length)));
    for (let written = 0; written < 100 * 1024 * 1024; written += block.length) fs.writeSync(fd, block);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(tmp, 'small.yaml'), CM);

    // The size comes from the open file (a message naming 100 MB), not from reading it, which would
    // stop at the limit. (`npm run bench` shows the time and peak memory of this through the CLI.)
    const result = lintAll([
      { display: 'big.yaml', absolute: big },
      { display: 'small.yaml', absolute: path.join(tmp, 'small.yaml') },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.findings.map((f) => `${f.file} ${where(f)}`)).toEqual(['big.yaml parse-error@1:1', 'small.yaml configmap-sensitive-data@6:3']);
    expect(result.findings[0]!.message).toMatch(/^The file is too large to lint: 100\.\d MB, the limit is 10\.0 MB\. It was not parsed; split it into smaller files\.$/);
    expect(result.findings[0]!.severity).toBe('error');
    expect(result.stats.files).toBe(2);

    const read = readInput({ display: 'big.yaml', absolute: big });
    expect(read).toEqual({ problem: expect.stringMatching(/^big\.yaml: The file is too large to lint/) });
    fs.rmSync(big);
  });

  it('refuses standard input (a text) over the limit, counted in characters', () => {
    const text = `# ${'x'.repeat(MAX_INPUT_SIZE)}\n`;
    const result = lintAll([{ display: '<stdin>', text }]);
    expect(result.findings.map(where)).toEqual(['parse-error@1:1']);
    expect(result.findings[0]!.message).toMatch(/too large to lint: 10\.0 MB \(10485763 characters\)/);
    expect(parseText(text).documents).toHaveLength(1);
  });

  it('refuses raw bytes over the limit, and passes bytes under it through the same checks as a file', () => {
    const result = lintAll([
      { display: 'big-bytes', bytes: new Uint8Array(MAX_INPUT_SIZE + 1) },
      { display: 'bom-bytes', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CM)]) },
    ]);
    expect(result.findings.map((f) => `${f.file} ${where(f)}`)).toEqual(['big-bytes parse-error@1:1', 'bom-bytes configmap-sensitive-data@6:3']);
  });

  it('reads a file whose size the file system does not know (/proc)', () => {
    if (!fs.existsSync('/proc/self/status')) return;
    const read = readInput({ display: 'status', absolute: '/proc/self/status' });
    expect('text' in read && read.text.length > 0).toBe(true);
  });

  it('reads files of every size right, one after another (the read buffer is reused)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-sizes-'));
    try {
      const sizes = [0, 1, 65_535, 65_536, 65_537, 3 * 1024 * 1024 + 7, 10, MAX_INPUT_SIZE, 5, MAX_INPUT_SIZE + 1, 2];
      const texts = sizes.map((size, i) => (size < 2 ? '\n'.repeat(size) : `#${String.fromCharCode(97 + i).repeat(size - 2)}\n`));
      texts.forEach((t, i) => fs.writeFileSync(path.join(dir, `f${i}.yaml`), t));
      const read = texts.map((_, i) => readInput({ display: `f${i}.yaml`, absolute: path.join(dir, `f${i}.yaml`) }));
      read.forEach((r, i) => {
        if (sizes[i]! > MAX_INPUT_SIZE) expect(r).toEqual({ problem: expect.stringMatching(/too large to lint/) });
        else expect('text' in r && r.text === texts[i], `file ${i} of ${sizes[i]} bytes`).toBe(true);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lints a 1 MB single line: a long value, a minified JSON manifest, a long key', () => {
    const longValue = `${CM.replace('hunter2-CANARY', `${'a'.repeat(1024 * 1024)}CANARY`)}`;
    const keys = Array.from({ length: 60_000 }, (_, i) => `"key${i}":"v${i}"`).join(',');
    const json = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wide"},"data":{${keys},"API_TOKEN":"tok-CANARY"}}`;
    expect(json.length).toBeGreaterThan(1024 * 1024);
    const longKey = `apiVersion: v1\nkind: ConfigMap\ndata:\n  ${'k'.repeat(1024 * 1024)}: v\n`;
    const garbage = `${'{['.repeat(300_000)}\n`;
    for (const [text, expected] of [
      [longValue, ['configmap-sensitive-data@6:3']],
      [json, [`configmap-sensitive-data@1:${json.indexOf('"API_TOKEN"') + 1}`]],
      [longKey, ['parse-error@4:3']],
      [garbage, ['parse-error@1:257']],
    ] as const) {
      const result = lintBoth(text);
      expect(result.map(where)).toEqual(expected);
      expectNoCanary(result);
      expect(outsideText(result, text)).toEqual([]);
    }
  });

  it('finds duplicate keys in a mapping of 100,000 keys, in linear time', () => {
    const wide = (n: number) => {
      const keys = Array.from({ length: n }, (_, i) => `  k${i}: v`).join('\n');
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n${keys}\n  k5: again\n  SECRET_KEY: abc-CANARY\n`;
    };
    const exact = (text: string) => lintText(text, 'wide.yaml', { ...OPTIONS, fast: false }).findings;
    expect(exact(wide(100_000)).map(where)).toEqual(['duplicate-key@100006:3', 'configmap-sensitive-data@100007:3']);
    // The parser's own check compared every key with every earlier one: minutes for 100,000 keys.
    expectLinear(wide, exact, 5_000);
  });

  it.each([
    ['a:]', 'flow-colon needles in one long token'],
    ['fe80::,', 'an address full of ::,'],
    ['x ! a:b ', 'non-specific tags before colons on one line'],
    ['a &b :c ', 'anchors before colons on one line'],
  ])('reads a quoted value full of %j in linear time (%s)', (unit) => {
    // The fast path's shape checks once looked from each match to its line's start or end: a 180 KB
    // quoted value took 14 s.
    const long = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  x: "${unit.repeat(n)}"\n`;
    expect(fastDocuments(long(10))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'long' }, data: { x: unit.repeat(10) } }]);
    expectLinear(long, (text) => fastDocuments(text), 2_000);
  });

  it('looks at a run of lines of only blanks once, in linear time (a block scalar\'s leading empty lines)', () => {
    // shapeDoubt walked back over the run from each of its lines: 16,000 such lines took 9 s.
    const blanks = (n: number) => `a: !t x\n${'   \n'.repeat(n)}b: 1\n`;
    expect(shapeDoubt(blanks(10))).toBe(false);
    // After a block scalar's header, with a first line indented less than them: a doubt.
    expect(shapeDoubt(`a: !t x\nb: |\n${'   \n'.repeat(10)}  c\n`)).toBe(true);
    expectLinear(blanks, (text) => shapeDoubt(text), 2_000);
  });

  it('re-parses a broken stream of 2,000 documents part by part, in linear time', () => {
    const stream = (n: number) => {
      const parts = Array.from({ length: n }, (_, i) => CM.replace('name: cm', `name: cm${i}`));
      parts[3] = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unterminated\n';
      return parts.join('---\n');
    };
    const result = lintBoth(stream(2000));
    expect(result.filter((f) => f.ruleId === 'parse-error').map(where)).toEqual(['parse-error@25:18']);
    expect(result.filter((f) => f.ruleId === 'configmap-sensitive-data')).toHaveLength(1999);
    expectLinear(stream, (text) => lintBoth(text), 250);
  });
});

describe('empty and almost empty input', () => {
  it.each([
    ['an empty file', ''],
    ['a blank line', '\n'],
    ['blank lines and spaces', '\n  \n  \n'],
    ['a comment', '# nothing here\n'],
    ['comments only, no final line break', '# one\n# two'],
    ['a lone ---', '---'],
    ['a lone --- and a line break', '---\n'],
    ['--- and ...', '---\n...\n'],
    ['three empty documents', '---\n---\n---\n'],
    ['a byte order mark', '\ufeff'],
    ['a byte order mark and a comment', '\ufeff# c\n'],
    ['CRLF blank lines', '\r\n\r\n'],
    ['a document end marker only', '...\n'],
  ])('%s: no finding, no error', (_name, text) => {
    expect(lintBoth(text)).toEqual([]);
    expect(lintAll([{ display: 'x.yaml', text }]).findings).toEqual([]);
  });

  it('blank lines with a tab: kubectl refuses the file ("found character that cannot start any token"), a parse-error at the tab (B18)', () => {
    expect(lintBoth('\n  \n\t\n').map((f) => `${f.ruleId}@${f.line}:${f.column}`)).toEqual(['parse-error@3:1']);
    expect(lintBoth('# c\n  \t\n').map((f) => `${f.ruleId}@${f.line}:${f.column}`)).toEqual(['parse-error@2:3']);
  });

  it('counts an empty file as a file with no objects', () => {
    const r = lintAll([{ display: 'empty.yaml', text: '' }, { display: 'dashes.yaml', text: '---\n' }]);
    expect(r.stats).toMatchObject({ files: 2, objects: 0 });
  });
});

describe('bytes that are not YAML text', () => {
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, bytes);
    return { display: name, absolute: file };
  };
  const lintFile = (name: string, bytes: Uint8Array) => lintAll([write(name, bytes)]);

  it('reports a binary file (a PNG) named .yaml as one parse-error, not as an empty pass', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x01]);
    const r = lintFile('image.yaml', png);
    expect(r.problems).toEqual([]);
    expect(r.findings.map(where)).toEqual(['parse-error@1:1']);
    expect(r.findings[0]!.message).toMatch(/^The file is not valid UTF-8/);
  });

  it('reports a NUL byte at its line and column, naming the character and never the text around it', () => {
    const r = lintFile('nul.yaml', Buffer.from(`${CM}other: "a\u0000CANARY"\n`));
    expect(r.findings.map(where)).toEqual(['parse-error@7:10']);
    expect(r.findings[0]!.message).toBe(
      'The file contains a NUL character (U+0000): it is binary, or UTF-16 text without a byte order mark. It was not linted.',
    );
  });

  it('reports other control characters YAML does not allow', () => {
    for (const c of ['\u0007', '\u001b', '\u007f', '\u0080', '\u009b', '\ufffe']) {
      const found = lintBoth(`${CM}x: a${c}b\n`);
      expect(found.map(where), JSON.stringify(c)).toEqual(['parse-error@7:5']);
      expect(found[0]!.message).toContain(`U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
    }
    // Allowed: tab and escapes of control characters in double quotes.
    expect(rules(lintBoth(`${CM}x: "a\tb c\\u0007 \\0"\n`))).toEqual(['configmap-sensitive-data']);
    // NEL is a line break for Kubernetes (B1): read as one, and reported as yaml-compat.
    expect(rules(lintBoth(`${CM}x: "a\tb\u0085c\\u0007 \\0"\n`))).not.toContain('parse-error');
  });

  it('reports an unpaired surrogate in a text input', () => {
    expect(lintBoth(`${CM}x: \ud800\n`).map(where)).toEqual(['parse-error@7:4']);
  });

  it.each([
    ['a lone continuation byte', [0x80], 9],
    ['a truncated sequence at the end', [0xe2, 0x82], 9],
    ['an overlong encoding', [0xc0, 0xaf], 9],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 9],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 9],
    ['Latin-1 text', [0x63, 0x61, 0x66, 0xe9, 0x0a], 12],
  ])('reports invalid UTF-8 (%s) at its line and column', (_name, bad, column) => {
    const bytes = Buffer.concat([Buffer.from(`${CM}note: é `), Buffer.from(bad), Buffer.from('\nmore: x\n')]);
    const r = lintFile('latin.yaml', bytes);
    expect(r.findings.map(where)).toEqual([`parse-error@7:${column}`]);
    expect(r.findings[0]!.message).toBe('The file is not valid UTF-8 (an invalid byte sequence starts here). It was not linted; save it as UTF-8.');
    expect(decodeChecked(bytes).problem?.offset).toBe(CM.length + column - 1);
  });

  it('decodes UTF-8 and UTF-16 byte order marks, with the same findings and positions as plain UTF-8', () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CM, 'utf16le')]);
    const utf16be = Buffer.from(utf16le.map((_, i) => utf16le[i % 2 === 0 ? i + 1 : i - 1]!));
    const inputs = [
      write('plain.yaml', Buffer.from(CM)),
      write('bom8.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CM)])),
      write('bom16le.yaml', utf16le),
      write('bom16be.yaml', utf16be),
    ];
    expect(decode(utf16be)).toBe(CM);
    const r = lintAll(inputs);
    expect(r.findings.map((f) => `${f.file} ${where(f)}-${f.endLine}:${f.endColumn}`)).toEqual([
      'bom16be.yaml configmap-sensitive-data@6:3-6:27',
      'bom16le.yaml configmap-sensitive-data@6:3-6:27',
      'bom8.yaml configmap-sensitive-data@6:3-6:27',
      'plain.yaml configmap-sensitive-data@6:3-6:27',
    ]);
  });

  it('counts lines of an invalid file the way the parser would (a lone CR ends a line)', () => {
    const r = lintFile('cr-latin1.yaml', Buffer.concat([Buffer.from('a: 1\rb: 2\rc: '), Buffer.from([0xe9]), Buffer.from('\r')]));
    expect(r.findings.map(where)).toEqual(['parse-error@3:4']);
  });

  it('reports broken UTF-16 (an odd number of bytes, an unpaired surrogate) and UTF-16 without a byte order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CM, 'utf16le')]);
    const odd = lintFile('odd16.yaml', Buffer.concat([le, Buffer.from([0x41])]));
    expect(odd.findings.map(where)).toEqual(['parse-error@7:1']);
    expect(odd.findings[0]!.message).toMatch(/not valid UTF-16LE .*ends in the middle of a character/);
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: b\nc: ', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('\n', 'utf16le')]);
    const surrogate = lintFile('lone16.yaml', lone);
    expect(surrogate.findings.map(where)).toEqual(['parse-error@2:4']);
    expect(surrogate.findings[0]!.message).toMatch(/unpaired surrogate/);
    const noBom = lintFile('nobom16.yaml', Buffer.from(CM, 'utf16le'));
    expect(noBom.findings.map(where)).toEqual(['parse-error@1:2']);
    expect(noBom.findings[0]!.message).toMatch(/UTF-16 text without a byte order mark/);
  });

  it('keeps positions right with CRLF line endings', () => {
    const lf = `${CM}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    env:\n    - name: DB_PASSWORD\n      value: "s3cret-CANARY"\n  - name: side\n    image: x\n`;
    const crlf = lf.replace(/\n/g, '\r\n');
    const strip = (fs_: readonly { ruleId: string; line: number; column: number; endLine: number; endColumn: number; message: string }[]) =>
      fs_.map((f) => `${f.ruleId}@${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`);
    const a = lintBoth(lf);
    expect(a.length).toBeGreaterThan(1);
    expect(strip(lintBoth(crlf))).toEqual(strip(a));
    expect(outsideText(lintBoth(crlf), crlf)).toEqual([]);
  });

  it('reads old Mac line endings (a lone CR) as line breaks, as YAML and Kubernetes do, with positions right', () => {
    const cr = CM.replace(/\n/g, '\r');
    expect(lintBoth(cr).map((f) => `${where(f)}-${f.endLine}:${f.endColumn}`)).toEqual(['configmap-sensitive-data@6:3-6:27']);
    const mixed = `${CM.slice(0, 30)}\r${CM.slice(30).replace(/\n/g, '\r\n')}`;
    expect(outsideText(lintBoth(mixed), mixed)).toEqual([]);
  });

  it('gives the same answer on both parser paths where js-yaml is more lenient than yaml and Kubernetes', () => {
    // A quoted scalar whose continuation line is less indented than its key: kubectl accepts it
    // (B10): read as Kubernetes reads it, with a yaml-compat warning, on both paths.
    expect(rules(lintBoth('apiVersion: v1\nkind: Pod\nspec:\n  volumes:\n  - name: v\n    flexVolume:\n      driver: "PASSWORD: x\nk8s/nfs"\n      fsType: nfs\n'))).toEqual(['yaml-compat']);
    // A flow mapping inside a block mapping, continued at column 0: kubectl accepts it too.
    expect(rules(lintBoth('  "data": {\n  "apiVersion": "v1",\n"kind": "ConfigMap"}\n'))).toEqual(['yaml-compat']);
    const cases = [
      // An implicit key over 1024 characters, plain or quoted.
      `${'k'.repeat(1030)}: v\n`,
      `"${'k'.repeat(1030)}": v\n`,
      `a: [${'k'.repeat(1030)}: v]\n`,
    ];
    for (const text of cases) expect(rules(lintBoth(text))).toEqual(['parse-error']);
    // Well-indented multi-line quoted scalars and flow collections stay on the fast path and are fine.
    expect(rules(lintBoth(`${CM}  NOTE: "a long\n    note"\n  LIST: [a,\n    b]\n`))).toEqual(['configmap-sensitive-data']);
    // A long quoted value full of colons (a dashboard's JSON in a ConfigMap) is text, not a key:
    // valid, and read on the fast path.
    const dashboard = `${CM}  dash.json: "${'{\\"panel\\": 1, \\"x\\": \\"a: b\\"},'.repeat(100)}\n    continued on the next line"\n`;
    expect(rules(lintBoth(dashboard))).toEqual(['configmap-sensitive-data']);
    expect(fastDocuments(dashboard)).toHaveLength(1);
  });

  it('reports tabs used as indentation at their line; tabs elsewhere are fine', () => {
    expect(lintBoth(CM.replace('  PASSWORD', '\tPASSWORD')).map(where)).toEqual(['parse-error@6:1']);
    expect(lintBoth(CM.replace('  name: cm', '\t name: cm')).map(where)).toEqual(['parse-error@4:1']);
    expect(rules(lintBoth(CM.replace('PASSWORD: ', 'PASSWORD:\t')))).toEqual(['configmap-sensitive-data']);
    expect(rules(lintBoth(`${CM}  note: "a\tb"   \t# comment\n`))).toEqual(['configmap-sensitive-data']);
  });
});

describe('documents that are not what the rules expect', () => {
  const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}\n`;

  /** Every built-in rule runs over these; none may throw, and positions stay inside the text. */
  const cases: [string, string][] = [
    ['a list', '- a\n- b\n'],
    ['a scalar', 'just a string\n'],
    ['a number', '42\n'],
    ['null', '~\n'],
    ['kind missing', 'apiVersion: v1\nmetadata: {name: x}\ndata: {PASSWORD: x}\n'],
    ['kind a number', 'apiVersion: v1\nkind: 5\n'],
    ['kind a list', 'apiVersion: v1\nkind: [Pod]\nspec: {containers: [{name: a}]}\n'],
    ['kind a map', 'apiVersion: v1\nkind: {Pod: true}\n'],
    ['kind empty', 'apiVersion: v1\nkind: ""\n'],
    ['apiVersion a number', 'apiVersion: 1\nkind: Pod\nspec: {containers: [{name: a}, {name: b}]}\n'],
    ['metadata a string', 'apiVersion: v1\nkind: Pod\nmetadata: x\nspec: {containers: [{name: a}, {name: b}]}\n'],
    ['metadata.name a map', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {a: 1}, namespace: [x]}\ndata: {PASSWORD: x1}\n'],
    ['annotations a list', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: [a, b]}\nspec: {containers: [{name: a}, {name: b}]}\n'],
    ['annotation values not strings', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {kubectl.kubernetes.io/default-container: 5, sidecar-lint/ignore: [1]}}\nspec: {containers: [{name: a}, {name: b}]}\n'],
    ['spec a string', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: x\n'],
    ['spec a list', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: [1, 2]\n'],
    ['template null', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: null}\n'],
    ['containers a string', pod('  containers: "x"')],
    ['containers a number', pod('  containers: 5')],
    ['containers a map', pod('  containers: {name: a}')],
    ['containers of odd items', pod('  containers: [1, "a", null, [], {}, true]')],
    ['a container without a name', pod('  containers:\n  - image: a\n  - image: b\n    env: [{name: PASSWORD, value: x}]')],
    ['numbers where names belong', pod('  containers:\n  - name: 1\n    image: 2\n    env: [{name: 3, value: 4}]\n    volumeMounts: [{name: 5, mountPath: 6}]\n  - name: 1\n    ports: [{containerPort: "x", name: 7, protocol: 8}]\n  volumes: [{name: 5, secret: {secretName: 9}}]')],
    ['env a map', pod('  containers:\n  - name: a\n    env: {}\n  - name: b\n    env: {PASSWORD: x}')],
    ['env a string', pod('  containers:\n  - name: a\n    env: "PASSWORD=x"\n  - name: b')],
    ['env entries of odd shapes', pod('  containers:\n  - name: a\n    env: [null, 1, "x", [], {name: null}, {name: TOKEN, value: {a: 1}}, {name: API_KEY, value: [1]}, {name: X, valueFrom: "y"}, {name: Y, valueFrom: {secretKeyRef: "z"}}, {name: Z, valueFrom: {secretKeyRef: {name: 1, key: []}}}]\n  - name: b')],
    ['envFrom of odd shapes', pod('  containers:\n  - name: a\n    envFrom: [null, {secretRef: "x"}, {secretRef: {name: 5}}, {configMapRef: []}]\n  - name: b\n    envFrom: {secretRef: {name: s}}')],
    ['ports null', pod('  containers:\n  - name: a\n    ports: null\n  - name: b\n    ports: [null, 1, {containerPort: null}, {containerPort: -1}, {containerPort: 99999999}, {containerPort: 1.5}, {containerPort: "80"}]')],
    ['ports a map', pod('  containers:\n  - name: a\n    ports: {containerPort: 80}\n  - name: b\n    ports: {containerPort: 80}')],
    ['a volumeMount naming no volume', pod('  containers:\n  - name: a\n    volumeMounts: [{name: ghost, mountPath: /x}]\n  - name: b\n    volumeMounts: [{name: ghost}, {}, null, {name: [1]}]')],
    ['volumes of odd shapes', pod('  containers:\n  - name: a\n    volumeMounts: [{name: v}]\n  - name: b\n  volumes: [null, 1, {name: v, secret: null}, {name: w, secret: "x"}, {name: p, projected: {sources: "x"}}, {name: q, projected: {sources: [null, {secret: 1}]}}, {name: c, csi: {driver: 5}}]')],
    ['volumes a map', pod('  containers: [{name: a}, {name: b}]\n  volumes: {name: v}')],
    ['initContainers and ephemeralContainers of odd shapes', pod('  containers: [{name: a}]\n  initContainers: [null, {name: n, restartPolicy: [Always]}, {restartPolicy: Always}, "x"]\n  ephemeralContainers: {a: 1}')],
    ['restartPolicy not a string', pod('  containers: [{name: a}]\n  initContainers: [{name: s, restartPolicy: {Always: true}}]')],
    ['resources of odd shapes', pod('  containers:\n  - name: a\n    resources: "lots"\n  - name: b\n    resources: {limits: [1], requests: {cpu: {}, memory: []}}')],
    ['securityContext of odd shapes', pod('  shareProcessNamespace: "true"\n  securityContext: [1]\n  containers:\n  - name: a\n    securityContext: "root"\n    env: [{name: S, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n  - name: b\n    securityContext: {runAsUser: "0", runAsNonRoot: "yes"}')],
    ['ConfigMap data a list', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: [PASSWORD, x]\n'],
    ['ConfigMap data values of every type', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {PASSWORD: 5, TOKEN: null, SECRET: [x], API_KEY: {a: b}, PWD: true, "": x, config.json: "{not json", app.properties: "=\\n==\\npassword"}\nbinaryData: "x"\n'],
    ['Secret data of every type', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: [x]\ndata: {a: 5, b: null, c: [x], d: {e: f}, e: "!!!not base64", f: ""}\nstringData: [1]\n'],
    ['Secret data a string', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: "x"\nstringData: "y"\n'],
    ['a List with items a map', 'apiVersion: v1\nkind: List\nitems: {a: 1}\n'],
    ['a List of odd items', 'apiVersion: v1\nkind: List\nitems: [null, 1, "x", [], {kind: Pod}, {apiVersion: v1, kind: Pod, spec: {containers: "x"}}]\n'],
    ['a CronJob with odd nesting', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a}, {name: b}], initContainers: {}}}}}}\n'],
    ['selectors and labels of odd shapes', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: [1]}\nspec: {selector: "app=x", ports: [{port: "x", targetPort: {}}]}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: [1]}, template: {metadata: {labels: "x"}, spec: {containers: [{name: a}]}}}\n'],
    ['merge keys and anchors for containers', `apiVersion: v1
kind: Pod
metadata:
  name: merged
x-base: &base
  image: app:1
  env: &env
  - name: DB_PASSWORD
    valueFrom: {secretKeyRef: {name: db, key: password}}
spec:
  containers:
  - &app
    <<: *base
    name: app
  - <<: [*base, {name: ignored}]
    name: side
    env: *env
  - *app
  volumes: &vols []
`],
    ['custom and unusual tags', `--- !Pod
apiVersion: !!str v1
kind: !custom Pod
metadata: !!map {name: !secret p}
spec:
  containers: !!seq
  - name: !!binary YQ==
    env: !!omap [{name: x}]
  - name: b
    ports: !!set {? 80}
    command: !!python/object/apply:os.system ["touch pwned"]
    args: !!js/function "function () { return 1 }"
  extra: !!timestamp 2001-12-14
  other: !Ref Something
`],
    ['complex keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ? [PASSWORD]\n  : x\n  ? {TOKEN: 1}\n  : y\n'],
    ['huge numbers and odd scalars', 'apiVersion: v1\nkind: Pod\nmetadata: {name: 1e400}\nspec:\n  containers: [{name: .nan, ports: [{containerPort: .inf}]}, {name: -.inf, ports: [{containerPort: 0x7fffffffffffffffff}]}]\n'],
  ];

  it.each(cases)('%s: every rule runs without throwing, positions inside the file', (name, text) => {
    const found = lintBoth(text, `${name}.yaml`);
    expect(outsideText(found, text)).toEqual([]);
    const all = lintAll([{ display: `${name}.yaml`, text }]);
    expect(all.problems).toEqual([]);
    expect(outsideText(all.findings, text)).toEqual([]);
  });

  it('all of them in one run, with cross-resource checks, throw nothing', () => {
    const r = lintAll(cases.map(([name, text]) => ({ display: `${name}.yaml`, text })));
    expect(r.problems).toEqual([]);
    expect(r.stats.files).toBe(cases.length);
  });

  it('lints containers built from anchors and merge keys like written-out ones', () => {
    const merged = cases.find(([n]) => n.startsWith('merge keys'))![1];
    const found = lintBoth(merged);
    const secretInMain = found.filter((f) => f.ruleId === 'secret-in-main-container');
    expect(secretInMain.map((f) => f.container)).toEqual(['app']);
    expect(found.filter((f) => f.ruleId === 'duplicate-container-name').map((f) => f.container)).toEqual(['app']);
  });

  it('never executes language-specific tags', () => {
    const before = fs.readdirSync(process.cwd());
    lintBoth(cases.find(([n]) => n.startsWith('custom'))![1]);
    expect(fs.existsSync('pwned')).toBe(false);
    expect(fs.readdirSync(process.cwd())).toEqual(before);
  });
});

describe('lintInputs keeps going', () => {
  it('lints the other files when one is broken, unreadable or too large, and reports each once', () => {
    const r = lintInputs(
      [
        { display: 'a.yaml', text: CM },
        { display: 'broken.yaml', text: 'a: "x\n' },
        { display: 'deep.yaml', text: '['.repeat(20_000) },
        { display: 'missing.yaml', absolute: path.join(tmp, 'does-not-exist.yaml') },
        { display: 'dir', absolute: tmp },
        { display: 'z.yaml', text: CM },
      ],
      { ...OPTIONS, settings: DEFAULT_SETTINGS },
    );
    expect(r.findings.map((f) => `${f.file} ${f.ruleId}`).sort()).toEqual([
      'a.yaml configmap-sensitive-data',
      'broken.yaml parse-error',
      'deep.yaml parse-error',
      'z.yaml configmap-sensitive-data',
    ]);
    expect(r.problems).toEqual(['missing.yaml: cannot be read (no such file or directory, ENOENT)', 'dir: is a directory']);
  });

  it('honours parse-error turned off for file-level problems', () => {
    const off = lintInputs([{ display: 'bin', bytes: Buffer.from([0xff, 0x00, 0xc3]) }], { ...OPTIONS, syntaxSeverity: { 'parse-error': 'off' } });
    expect(off.findings).toEqual([]);
    expect(off.stats.files).toBe(1);
    const warn = lintInputs([{ display: 'bin', bytes: Buffer.from([0xc3]) }], { ...OPTIONS, syntaxSeverity: { 'parse-error': 'warning' } });
    expect(warn.findings.map((f) => f.severity)).toEqual(['warning']);
  });

  it('lintText itself never throws on the inputs above', () => {
    for (const text of ['['.repeat(50_000), '\u0000', `${'a: &a [*a]\n'}`, '- '.repeat(50_000)]) {
      expect(() => lintText(text, 'x.yaml', OPTIONS)).not.toThrow();
    }
  });
});
