/**
 * The document Kubernetes reads (issue 14, reliability campaign 2026-12): every reproducer of B1, B9,
 * B10, B11, B12, B13, B18, B19, B20 and B27, on both parser paths (which must agree: B12). The values
 * expected here are what `kubectl label --local -f FILE zz- -o json` printed for the same text
 * (test/behaviour/kubectl-differential.test.ts checks generated cases against kubectl itself).
 */
import { describe, expect, it } from 'vitest';
import { fastDocuments } from '../../../src/yaml/fast-parse.js';
import { parseText } from '../../../src/yaml/parse.js';
import type { Finding } from '../../../src/types.js';
import { lintAll, lintBoth, where } from '../../support/hostile.js';
import { documentMarkerAt, documentStarts, isMarkerLine, isSeparatorLine, onlyComments, SEPARATOR_LINES } from '../../../src/yaml/kube-stream.js';
import { kubeScalar, kubeScalarKind, kubeScalarValue } from '../../../src/yaml/kube-scalars.js';
import { random } from '../../support/random.js';
import { blockRead } from '../../../src/yaml/block-values.js';
import { valueDifference } from '../../support/same-value.js';

/** The documents' values on the exact path; the fast path reads the same or defers to the exact one. */
function values(text: string): unknown[] {
  const exact = parseText(text).documents.map((d) => d.value);
  const fast = fastDocuments(text);
  if (fast !== undefined) expect(JSON.stringify(fast), 'fast and exact values differ').toBe(JSON.stringify(exact));
  return exact;
}

function data(text: string): unknown {
  return (values(text)[0] as { data?: unknown }).data;
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';
const ids = (found: readonly Finding[]) => found.map(where);
const rules = (found: readonly Finding[]) => found.map((f) => f.ruleId);
const lintOne = (text: string) => lintAll([{ display: 'm.yaml', text }]).findings;

describe('B1: U+2028, U+2029 and NEL are line breaks, as for Kubernetes', () => {
  const hidden =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27 # pinned\u2028  - name: helper\u2028    image: attacker/miner:latest\u2028    securityContext: {privileged: true}\u2028    env: [{name: AWS_SECRET_ACCESS_KEY, value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}]\n';

  it('a container hidden after a "comment" is linted, and the line is reported', () => {
    const found = lintBoth(hidden);
    expect(rules(found)).toContain('yaml-compat');
    expect(rules(found)).toContain('env-literal-secret');
    const pod = values(hidden)[0] as { spec: { containers: { name: string }[] } };
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['app', 'helper']);
    for (const f of found) expect(f.message).not.toContain('wJalrXUtnFEMI');
  });

  it('a ConfigMap key after U+2028 or NEL in a comment is read and linted', () => {
    for (const mark of ['\u2028', '\u2029', '\u0085']) {
      const text = `${CM}  LOG_LEVEL: info # note${mark}  DB_PASSWORD: hunter2\n`;
      expect(data(text)).toEqual({ LOG_LEVEL: 'info', DB_PASSWORD: 'hunter2' });
      const found = lintBoth(text);
      expect(rules(found).sort()).toEqual(['configmap-sensitive-data', 'yaml-compat']);
    }
  });

  it('inside a value, a break Kubernetes accepts is no parse error', () => {
    const text = `${CM}  a: app\u2028  b: x\n`;
    expect(data(text)).toEqual({ a: 'app', b: 'x' });
    expect(rules(lintBoth(text))).toEqual(['yaml-compat']);
  });
});

describe('U+2028, U+2029 and NEL inside values: read as go-yaml reads them', () => {
  // Each expected value is what kubectl label --local -f FILE zz- -o json printed for the same text:
  // go-yaml reads the three as line breaks, folds NEL like a line feed, and keeps U+2028 and U+2029
  // in the value where a line feed would fold to a space (blanks around them are dropped).
  it.each([
    ['double-quoted', `  a: "x\u2028y"\n`, 'x\u2028y'],
    ['double-quoted, blanks around', `  a: "x \u2028  y"\n`, 'x\u2028y'],
    ['single-quoted U+2029', `  a: 'x\u2029y'\n`, 'x\u2029y'],
    ['double-quoted NEL (folds like a line feed)', `  a: "x\u0085y"\n`, 'x y'],
    ['two in a row', `  a: "x\u2028\u2028y"\n`, 'x\u2028\u2028y'],
    ['then a line feed', `  a: "x\u2028\n  y"\n`, 'x\u2028\ny'],
    ['after a line feed (a second break is kept)', `  a: "x\n  \u2028  y"\n`, 'x\u2028y'],
    ['escaped (an escaped line break)', `  a: "x\\\u2028y"\n`, 'xy'],
    ['with escapes around', `  a: "x\\ty\u2028 \\u0041"\n`, 'x\ty\u2028A'],
    ["single-quoted with ''", `  a: 'it''s\u2028 ok'\n`, "it's\u2028ok"],
    ['a plain value continued', `  a: x\u2028   y\n`, 'x\u2028y'],
    ['a literal block', `  a: |\n    x\u2028    y\n`, 'x\u2028y\n'],
    // Folded blocks: a line feed between two lines folds to a space; U+2028 and U+2029 never fold.
    ['a folded block', `  a: >\n    x\u2028    y\n    z\n`, 'x\u2028y z\n'],
    ['a folded block, U+2029', `  a: >\n    x\u2029    y\n    z\n`, 'x\u2029y z\n'],
    ['a folded block, two in a row', `  a: >\n    x\u2028\u2028    y\n    z\n`, 'x\u2028\u2028y z\n'],
    ['a folded block, after a line feed (kept, the line feed dropped)', `  a: >\n    x\n\u2028    y\n    z\n`, 'x\u2028y z\n'],
    ['a folded block, then a line feed', `  a: >\n    x\u2028\n    y\n    z\n`, 'x\u2028\ny z\n'],
    ['a folded block, a more-indented line', `  a: >\n    x\u2028      y\n    z\n`, 'x\u2028  y\nz\n'],
    ['a folded block, stripped', `  a: >-\n    x\u2028    y\n    z\u2028\n`, 'x\u2028y z'],
    ['a folded block, clipped at a U+2028', `  a: >\n    x\u2028    y\n    z\u2028\u2028\n`, 'x\u2028y z\u2028'],
    ['a folded block, kept', `  a: >+\n    x\u2028    y\n    z\u2028\n\u2028\n`, 'x\u2028y z\u2028\n\u2028\n'],
    ['a folded block, an indentation indicator', `  a: >1\n     x\u2028    y\n`, '  x\u2028 y\n'],
    ['a folded block, NEL (folds like a line feed)', `  a: >\n    x\u0085    y\n`, 'x y\n'],
  ])('%s', (_name, body, expected) => {
    const text = `${CM}${body}`;
    expect((data(text) as { a: unknown }).a).toBe(expected);
    const found = rules(lintBoth(text));
    expect(found).not.toContain('parse-error');
    expect(found).toContain('yaml-compat');
  });

  it('a quoted value under-indented only after U+2028, U+2029 or NEL gets no under-indented-string warning', () => {
    const unindented = (found: readonly Finding[]) => found.filter((f) => f.ruleId === 'yaml-compat' && f.message.startsWith('A quoted value continues'));
    const lineWarnings = (found: readonly Finding[]) => found.filter((f) => f.ruleId === 'yaml-compat' && f.message.startsWith('This line contains'));
    for (const body of [`  a: "x\u2028y"\n`, `  a: 'x\u2029y'\n`, `  a: "x\u0085y"\n`, `  a: "x \u2028 y"\n`, `  a: "x\u2028y\n    z"\n`]) {
      const found = lintBoth(`${CM}${body}`);
      expect(unindented(found), JSON.stringify(body)).toEqual([]);
      expect(lineWarnings(found), JSON.stringify(body)).toHaveLength(1);
    }
    // Under-indented after a line feed as well: the warning stays (YAML 1.2 tools reject it too).
    for (const body of [`  a: "x\u2028y\n  z"\n`, `  a: "x\n\u2028y"\n`, `  a: "x\u2028  y\nz"\n`]) {
      const found = lintBoth(`${CM}${body}`);
      expect(unindented(found), JSON.stringify(body)).toHaveLength(1);
      expect(ids(unindented(found))).toEqual(['yaml-compat@6:6']);
    }
  });

  it('a secret split by U+2028 in a quoted value is still checked whole', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: app:1\n    env:\n    - name: AWS_SECRET_ACCESS_KEY\n      value: "wJalrXUtnFEMI/K7MDENG\u2028bPxRfiCYEXAMPLEKEY"\n`;
    expect(rules(lintBoth(text))).toContain('env-literal-secret');
    const pod = values(text)[0] as { spec: { containers: { env: { value: string }[] }[] } };
    expect(pod.spec.containers[0]!.env[0]!.value).toBe('wJalrXUtnFEMI/K7MDENG\u2028bPxRfiCYEXAMPLEKEY');
  });
});

describe('B9: YAML 1.1 booleans', () => {
  const pod = (share: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  shareProcessNamespace: ${share}\n  containers:\n  - name: app\n    image: app:1\n    resources: {requests: {cpu: 1, memory: 1Gi}, limits: {memory: 1Gi}}\n    volumeMounts: [{name: creds, mountPath: /creds}]\n  - name: debug\n    image: busybox\n    resources: {requests: {cpu: 1, memory: 1Gi}, limits: {memory: 1Gi}}\n  volumes: [{name: creds, secret: {secretName: db}}]\n`;

  it('shareProcessNamespace: yes, on, y, Y, YES read as true', () => {
    const expected = rules(lintOne(pod('true')));
    expect(expected).toContain('shared-process-namespace-secret');
    for (const spelling of ['yes', 'on', 'y', 'Y', 'YES', 'On']) {
      expect(rules(lintOne(pod(spelling))), spelling).toEqual(expected);
      lintBoth(pod(spelling));
    }
  });

  it('optional: yes on a configMapKeyRef is optional (no missing-reference-key error)', () => {
    const text = `${CM.replace('name: c', 'name: flags')}  alpha: "1"\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1\n    env:\n    - name: BETA\n      valueFrom:\n        configMapKeyRef: {name: flags, key: beta, optional: yes}\n`;
    expect(rules(lintOne(text))).not.toContain('missing-reference-key');
    expect(rules(lintOne(text.replace('optional: yes', 'optional: no')))).toContain('missing-reference-key');
  });

  it('keys and values: y, n, off, No are booleans; tRUE stays text', () => {
    expect(data(`${CM}  y: 1\n  flag: off\n  other: No\n  odd: tRUE\n`)).toEqual({ true: 1, flag: false, other: false, odd: 'tRUE' });
  });
});

describe('B27: YAML 1.1 numbers', () => {
  it('octal, binary, hex, underscores, signs, floats as Go reads them; sexagesimal stays text', () => {
    const text = `${CM}  a: 0644\n  b: 010\n  c: 8_080\n  d: 0X1F\n  e: 0x_1F\n  f: 0o17\n  g: 0b1010\n  h: 08\n  i: 1:20\n  j: +0x1F90\n  k: -0x10\n  l: +.5\n  m: 1e400\n  nn: 1_000.5\n  o: -0b101\n  p: 2001-12-14\n`;
    expect(data(text)).toEqual({ a: 420, b: 8, c: 8080, d: 31, e: 31, f: 15, g: 10, h: 8, i: '1:20', j: 8080, k: -16, l: 0.5, m: '1e400', nn: 1000.5, o: -5, p: '2001-12-14' });
  });

  it('"a\\\'b" is a\'b, as for Kubernetes (a yaml-compat warning: other tools reject the escape)', () => {
    expect(data(`${CM}  a: "a\\'b"\n  b: "c\\\\'"\n`)).toEqual({ a: "a'b", b: "c\\'" });
    expect(rules(lintBoth(`${CM}  a: "a\\'b"\n`))).toEqual(['yaml-compat']);
  });

  it('containerPort: 010 next to containerPort: 8 is a conflict', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: app:1\n    ports: [{containerPort: 8}]\n  - name: proxy\n    image: proxy:1\n    ports: [{containerPort: 010}]\n';
    expect(rules(lintBoth(text))).toContain('container-port-conflict');
  });
});

describe('B12: the fast and exact paths agree', () => {
  it('containerPort: 0b1111110010000 and +0x1F90 are 8080 on both paths, with or without a suppression comment', () => {
    for (const port of ['0b1111110010000', '+0x1F90', '0x1F90', '017620']) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: app:1\n    ports: [{containerPort: 8080}]\n  - name: proxy\n    image: proxy:1\n    ports: [{containerPort: ${port}}]\n`;
      expect(rules(lintBoth(text)), port).toContain('container-port-conflict');
      expect(rules(lintBoth(`# sidecar-lint-disable-next-line env-literal-secret -- unrelated\n${text}`)), port).toContain('container-port-conflict');
    }
  });

  it('scalars the two libraries read differently read the same', () => {
    expect(data(`${CM}  a: 0b101\n  b: +.5\n  c: +0x10\n  d: -0x10\n  e: 1e400\n  f: !!float 5\n`)).toEqual({ a: 5, b: 0.5, c: 16, d: -16, e: '1e400', f: 5 });
  });

  it('a comment right after a quote or a bracket, a ... line, a trailing tab document: same findings', () => {
    for (const text of [
      `${CM}  DB_PASSWORD: "hunter2"#c\n`,
      `${CM}  PASSWORD: [ "x" ]#c\n`,
      `${CM}  a: x\n...  resources:\n`,
      `${CM}  a: x\n---\n\t  \n`,
      `${CM}  ~: x\n`,
    ]) {
      lintBoth(text);
    }
  });
});

describe('B13: !!binary, !!set, !!omap, !!timestamp', () => {
  it('a !!binary env value is decoded and checked for secrets', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: app:1\n    env:\n    - name: AWS_SECRET_ACCESS_KEY\n      value: !!binary d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQ==\n';
    const found = lintBoth(text);
    expect(rules(found)).toContain('env-literal-secret');
    for (const f of found) expect(f.message).not.toContain('wJalrXUtnFEMI');
  });

  it('!!set is a map, !!omap a list, !!timestamp text; invalid base64 is a parse error', () => {
    expect(data(`${CM}  s: !!set {a, b}\n  o: !!omap [{a: 1}]\n  t: !!timestamp 2001-12-14\n  b: !!binary |\n    aGVs\n    bG8=\n`)).toEqual({
      s: { a: null, b: null },
      o: [{ a: 1 }],
      t: '2001-12-14',
      b: 'hello',
    });
    expect(rules(lintBoth(`${CM}  b: !!binary "%%%"\n`))).toEqual(['parse-error']);
  });
});

describe('B10: multi-line quoted strings Kubernetes accepts', () => {
  it('the continuation at the key’s column: read, linted, a yaml-compat warning', () => {
    const text = `${CM}  motd: "Welcome to the\n  cluster"\n  DB_PASSWORD: hunter2\n`;
    expect(data(text)).toEqual({ motd: 'Welcome to the cluster', DB_PASSWORD: 'hunter2' });
    expect(ids(lintBoth(text))).toEqual(['yaml-compat@6:9', 'configmap-sensitive-data@8:3']);
  });

  it('at 1 space, at column 0, single-quoted, with blank lines and escapes', () => {
    expect(data(`${CM}  a: "x\n y"\n  b: 'p\nq''r'\n  c: "x\n\n  y\\\n  z"\n  d: x\n`)).toEqual({ a: 'x y', b: "p q'r", c: 'x\nyz', d: 'x' });
    expect(rules(lintBoth(`${CM}  a: "x\n y"\n`))).toEqual(['yaml-compat']);
  });
});

describe('B11: a byte order mark at the start of a later document', () => {
  it('the document is read and linted', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n\ufeffapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  API_TOKEN: hunter3\n';
    expect((values(text)[1] as { metadata: unknown }).metadata).toEqual({ name: 'd' });
    expect(ids(lintBoth(text))).toEqual(['configmap-sensitive-data@11:3']);
  });

  it('also when the document starts with a comment, and with CRLF line ends', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n\ufeff# saved on Windows\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  API_TOKEN: hunter3\n';
    expect(ids(lintBoth(text))).toEqual(['configmap-sensitive-data@12:3']);
    expect(ids(lintBoth(text.replace(/\n/g, '\r\n')))).toEqual(['configmap-sensitive-data@12:3']);
  });
});

describe('B19: a linear chain of anchors is no YAML bomb', () => {
  it('10 and 30 levels, each alias used once: linted', () => {
    for (const depth of [10, 30]) {
      const rows = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: m}', 'x:', '  a0: &a0 {k: v}'];
      for (let i = 1; i <= depth; i++) rows.push(`  a${i}: &a${i} [*a${i - 1}]`);
      const found = lintBoth(`${rows.join('\n')}\n`);
      expect(found.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    }
  });

  it('a merge chain too', () => {
    const rows = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: m}', 'x:', '  a0: &a0 {k: v}'];
    for (let i = 1; i <= 20; i++) rows.push(`  a${i}: &a${i}\n    <<: *a${i - 1}\n    k${i}: v`);
    expect(rules(lintBoth(`${rows.join('\n')}\n`))).toEqual([]);
  });

  it('in block style (read by the block reader, which shares aliased nodes as js-yaml does): a chain is linted, a billion laughs stopped', () => {
    const chain = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: m', 'x:', '  a0: &a0', '    k: v'];
    for (let i = 1; i <= 30; i++) chain.push(`  a${i}: &a${i}`, `    - *a${i - 1}`);
    expect(blockRead(`${chain.join('\n')}\n`, false)).toBeDefined();
    expect(fastDocuments(`${chain.join('\n')}\n`)).toBeDefined();
    expect(rules(lintBoth(`${chain.join('\n')}\n`))).toEqual([]);
    const laughs = ['l0: &l0', '  - lol', '  - lol'];
    for (let i = 1; i < 40; i++) laughs.push(`l${i}: &l${i}`, `  - *l${i - 1}`, `  - *l${i - 1}`);
    const text = `${laughs.join('\n')}\n`;
    expect(blockRead(text, false)).toBeDefined();
    expect(fastDocuments(text)).toBeUndefined();
    expect(lintBoth(text)[0]!.message).toMatch(/bomb/);
  });

  it('a billion laughs is still stopped', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) rows.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(lintBoth(`${rows.join('\n')}\n`)[0]!.message).toMatch(/bomb/);
  });
});

describe('B20: other input Kubernetes accepts is no parse error', () => {
  it('a comment without a space after a quoted value or a flow collection: linted, a yaml-compat warning', () => {
    const text = `${CM}  DB_PASSWORD: "hunter2"#c\n  PASSWORD: [ "x" ]#c\n`;
    expect(data(text)).toEqual({ DB_PASSWORD: 'hunter2', PASSWORD: ['x'] });
    const found = lintBoth(text);
    expect(rules(found)).toContain('configmap-sensitive-data');
    expect(rules(found)).toContain('yaml-compat');
    expect(rules(found)).not.toContain('parse-error');
  });

  it('a flow collection continued on a line indented no more than its key: read, a yaml-compat warning', () => {
    const text = `${CM}  k: [a,\nb, {c: d,\n  e: f}]\n  DB_PASSWORD: hunter2\n`;
    expect(data(text)).toEqual({ k: ['a', 'b', { c: 'd', e: 'f' }], DB_PASSWORD: 'hunter2' });
    expect(ids(lintBoth(text))).toEqual(['yaml-compat@7:1', 'configmap-sensitive-data@9:3']);
    expect(data('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {\n  "a": "v1",\n"b": "x"}\n')).toEqual({ a: 'v1', b: 'x' });
  });

  it('a flow collection continued after a comment line or a trailing comment: read as kubectl reads it', () => {
    // kubectl label --local -f FILE zz- -o json reads each of these; a comment is nothing in a flow collection.
    const cases: [string, unknown][] = [
      [`${CM}  a: [x,\n  # c\n  y]\n  PASSWORD: hunter2\n`, { a: ['x', true], PASSWORD: 'hunter2' }],
      [`${CM}  a: [x, # c\n  y]\n  PASSWORD: hunter2\n`, { a: ['x', true], PASSWORD: 'hunter2' }],
      [`${CM}  a: {k: x,\n# c\n y: z}\n  PASSWORD: hunter2\n`, { a: { k: 'x', true: 'z' }, PASSWORD: 'hunter2' }],
      [`${CM}  a: [\n# c1\n# c2\n  x]\n  PASSWORD: hunter2\n`, { a: ['x'], PASSWORD: 'hunter2' }],
      [`${CM}  a: ["#x", # c\n  "y # z"]\n  PASSWORD: hunter2\n`, { a: ['#x', 'y # z'], PASSWORD: 'hunter2' }],
      [`${CM}  a: [x#y,\n  z]\n`, { a: ['x#y', 'z'] }],
    ];
    for (const [text, expected] of cases) {
      expect(data(text), text).toEqual(expected);
      const found = rules(lintBoth(text));
      expect(found, text).not.toContain('parse-error');
      expect(found, text).toContain('yaml-compat');
    }
    expect(ids(lintBoth(`${CM}  a: [x,\n  # c\n  y]\n  PASSWORD: hunter2\n`))).toEqual(['yaml-compat@8:1', 'configmap-sensitive-data@9:3']);
  });

  it('a ... line in the middle of a document: read up to it, the rest reported as ignored', () => {
    const text = `${CM}  a: x\n...\n  API_TOKEN: hunter3\n`;
    expect(data(text)).toEqual({ a: 'x' });
    expect(ids(lintBoth(text))).toEqual(['yaml-compat@7:1']);
    expect(ids(lintBoth(`${CM}  a: x\n...  resources:\n`))).toEqual(['yaml-compat@7:1']);
  });
});

describe('B18: what Kubernetes rejects is reported', () => {
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n';
  it.each([
    ['--- !Pod separator', `${CM}  a: x\n--- !Pod\n${doc}`, 'parse-error@7:1'],
    ['--- {} separator', `${CM}  a: x\n--- {}\n`, 'parse-error@7:1'],
    ['--- | separator', `${CM}  a: x\n--- |\n  text\n`, 'parse-error@7:1'],
    ['---- line', `${CM}  a: x\n----\n${doc}`, 'parse-error@7:1'],
    ['%YAML directive', `%YAML 1.1\n---\n${CM}  a: x\n`, 'parse-error@1:1'],
    ['%TAG directive', `%TAG !e! tag:example.com,2000:\n---\n${CM}  a: x\n`, 'parse-error@1:1'],
    ['\\/ escape', `${CM}  url: "https:\\/\\/example.com"\n`, 'parse-error@6:8'],
    ['flow-style document', '{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n', 'parse-error@1:1'],
    ['.inf value', `${CM}  a: .inf\n`, 'parse-error@6:6'],
    ['.nan value', `${CM}  a: .NaN\n`, 'parse-error@6:6'],
    ['~ key', `${CM}  ~: x\n`, 'parse-error@6:3'],
  ])('%s', (_name, text, expected) => {
    expect(ids(lintBoth(text))).toContain(expected);
  });

  // B18: a blank (or comment-only) line with a tab in its indentation. go-yaml skips only spaces at
  // the start of a line, except in the blank lines after a plain value, where a tab past the column
  // of the value's collection is read. Each verdict is kubectl's (label --local -f FILE zz- -o json).
  const tab = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${body}`;
  it.each([
    ['after a plain value, at column 0', tab('data:\n  a: x\n\t\n  b: y\n'), 'parse-error@7:1'],
    ['after a plain value, at the map\'s column', tab('data:\n  a: x\n  \t  \n  b: y\n'), 'parse-error@7:3'],
    ['after a quoted value, however deep', tab('data:\n  a: "x"\n      \t\n  b: y\n'), 'parse-error@7:7'],
    ['after a comment', tab('data:\n  a: x # c\n      \t\n  b: y\n'), 'parse-error@7:7'],
    ['before a comment, at column 0', tab('data:\n  a: x\n\t# c\n  b: y\n'), 'parse-error@7:1'],
    ['after a key with its value below', tab('data:\n  a:\n    \t\n    x\n'), 'parse-error@7:5'],
    ['after an alias', tab('data:\n  a: &x x\n  b: *x\n    \t\n'), 'parse-error@8:5'],
    ['at the end of the file, no line break', tab('data:\n  a: x\n\t'), 'parse-error@7:1'],
    ['in a sequence, at the dash\'s column', tab('x:\n  - a\n  \t\n  - b\n'), 'parse-error@7:3'],
    ['a document of only a tab line', tab('data:\n  a: x\n---\n\t  \n'), 'parse-error@8:1'],
    ['before the first key', '\t\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n', 'parse-error@1:1'],
    ['with CRLF line ends', 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\n\t\r\n', 'parse-error@5:1'],
  ])('a tab on a blank line Kubernetes rejects: %s', (_name, text, expected) => {
    const found = lintBoth(text);
    expect(ids(found).filter((id) => id.startsWith('parse-error'))).toEqual([expected]);
    expect(found.find((f) => f.ruleId === 'parse-error')!.message).toMatch(/tab/);
    // Still linted: the rest of the document is read.
    expect(values(text)[0]).toMatchObject({ kind: 'ConfigMap' });
  });

  it.each([
    ['after a plain value, past the map\'s column', tab('data:\n  a: x\n   \t\n  b: y\n'), { a: 'x', b: true }],
    ['after a plain value and blank lines', tab('data:\n  a: x\n  \n    \t\n  b: y\n'), { a: 'x', b: true }],
    ['before a comment, past the map\'s column', tab('data:\n  a: x\n   \t# c\n  b: y\n'), { a: 'x', b: true }],
    ['in a block scalar, at its indentation', tab('data:\n  a: |\n    x\n    \t\n  b: y\n'), { a: 'x\n\t\n', b: true }],
    ['in a flow collection', tab('data:\n  a: [x,\n\t\n   y]\n'), { a: ['x', true] }],
    ['in a quoted value', tab('data:\n  a: "x\n\t\n   y"\n'), { a: 'x\ny' }],
  ])('a tab on a blank line Kubernetes reads: %s', (_name, text, expected) => {
    expect(rules(lintBoth(text))).not.toContain('parse-error');
    expect(data(text)).toEqual(expected);
  });
  it('a tab on a blank line in a sequence of plain values: past the dash\'s column is read', () => {
    expect(rules(lintBoth(tab('x:\n  - a\n   \t\n  - b\n')))).toEqual([]);
    expect(rules(lintBoth(tab('x:\n- a\n \t\n- b\n')))).toEqual([]);
    expect(ids(lintBoth(tab('x:\n- a\n\t\n- b\n')))).toEqual(['parse-error@7:1']);
    expect(ids(lintBoth(tab('x:\n- k: a\n  \t\n- b\n')))).toEqual(['parse-error@7:3']);
    expect(rules(lintBoth(tab('x:\n- k: a\n   \t\n- b\n')))).toEqual([]);
  });

  it('a merge key naming a list of scalars', () => {
    expect(ids(lintBoth(`${CM}  <<: [1, 2]\n`))).toEqual(['parse-error@6:3']);
  });

  it('documents Kubernetes never reads: after a --- that follows a lone CR or U+2028 (reported, not linted)', () => {
    const cr = 'apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: c\r---\rapiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: d\rdata:\r  API_TOKEN: x\r';
    expect(ids(lintBoth(cr))).toEqual(['yaml-compat@5:1']);
    expect(values(cr).filter((v) => v != null)).toHaveLength(1);
    const ls = `${CM}  a: x\n\u2028---\u2028apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  API_TOKEN: x\n`;
    expect(rules(lintBoth(ls))).toEqual(['yaml-compat', 'yaml-compat']);
  });

  it('JSON, --- #comment separators and quoted .inf are fine', () => {
    expect(lintBoth('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}\n')).toEqual([]);
    expect(lintBoth(`${CM}  a: x\n--- # next\n${doc}`)).toEqual([]);
    expect(lintBoth(`${CM}  a: ".inf"\n`)).toEqual([]);
  });
});

describe('where a document starts (one definition in kube-stream.ts)', () => {
  it.each([
    ['---', true],
    ['---\r', true],
    ['---  \t', true],
    ['--- # comment', true],
    ['---# comment', true],
    ['--- !Pod', false],
    ['--- a: 1', false],
    ['----', false],
    [' ---', false],
    ['...', false],
  ])('separator line %j: %s', (line, expected) => {
    expect(isSeparatorLine(line)).toBe(expected);
    expect([...`${line}\n`.matchAll(SEPARATOR_LINES)].length).toBe(expected ? 1 : 0);
  });

  it.each([
    ['---', '---'],
    ['...', '...'],
    ['--- !Pod', '---'],
    ['---\tx', '---'],
    ['---\r\n', '---'],
    ['...\n', '...'],
    ['----', undefined],
    ['---x', undefined],
    ['..', undefined],
    ['-.-', undefined],
  ])('document marker %j: %s', (text, expected) => {
    expect(documentMarkerAt(text)).toBe(expected);
    expect(documentMarkerAt(`a: 1\n${text}`, 5)).toBe(expected);
  });

  it('a marker line is a separator or an end marker with only blanks and a comment after it', () => {
    expect(isMarkerLine('... # end')).toBe(true);
    expect(isMarkerLine('---')).toBe(true);
    expect(isMarkerLine('... x')).toBe(false);
  });

  it.each([
    ['', true],
    ['\n', true],
    ['# a\n', true],
    ['  # a\n\t# b\n\n', true],
    ['# a', true],
    ['# a\r\n\r\n  \r\n', true],
    ['# a\r\n', true],
    ['a: 1\n', false],
    ['# a\nb\n', false],
    ['---\n', false],
    ['%YAML 1.2\n', false],
    [' \r x\n', false],
  ])('only blank lines and comments %j: %s', (text, expected) => {
    expect(onlyComments(text)).toBe(expected);
  });

  it('is linear on many CRLF comment lines followed by content (no regular expression backtracking)', () => {
    expect(onlyComments(`${'# c\r\n'.repeat(100_000)}a: 1\r\n`)).toBe(false);
  });

  it.each([
    ['a: 1\n---\nb: 2\n', [0, 5]],
    ['---\na: 1\n---\nb: 2\n', [0, 9]],
    // Comments (and blank lines, LF or CRLF) before the first `---` belong to the document after it.
    ['# header\n\n---\na: 1\n---\nb: 2\n', [10, 19]],
    ['# header\r\n\r\n---\r\na: 1\r\n', [12]],
    ['# header\n---\n', [9]],
    ['a: 1\n# c\n---\nb: 2\n', [0, 9]],
    ['a: 1\n', [0]],
  ])('documents of %j start at %j', (text, expected) => {
    expect(documentStarts(text)).toEqual(expected);
  });
});

describe('kubeScalarValue and kubeScalarKind: kubeScalar without its pair', () => {
  it('give kubeScalar’s value and kind for any plain scalar (the first-character shortcuts included)', () => {
    const rnd = random(2812);
    const pieces = ['~', 'null', 'Null', 'NULL', 'true', 'True', 'yes', 'Y', 'n', 'No', 'on', 'OFF', 'o', '0', '1', '8', '_', '.', 'e', 'x', 'b', '+', '-', 'inf', 'NaN', 'a', 'name', 'é', ':', ' '];
    const failures: string[] = [];
    for (let i = 0; i < 20000; i++) {
      let word = '';
      for (let k = Math.floor(rnd() * 4); k >= 0; k--) word += pieces[Math.floor(rnd() * pieces.length)];
      const [kind, value] = kubeScalar(word);
      if (kubeScalarKind(word) !== kind || valueDifference([kubeScalarValue(word)], [value]) !== undefined) {
        if (failures.length < 10) failures.push(JSON.stringify(word));
      }
    }
    expect(failures).toEqual([]);
    expect(kubeScalarValue('')).toBeNull();
    expect(kubeScalarKind('Yes')).toBe('bool');
    expect(kubeScalarValue('nginx')).toBe('nginx');
    expect(kubeScalarValue('0644')).toBe(420);
  });
});
