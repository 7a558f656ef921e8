/**
 * Differential test against Kubernetes' own reading (issue 14): a seeded, generated set of mutated
 * manifests (YAML 1.1 scalars and keys, tags, Unicode line breaks in comments, byte order marks,
 * multi-line quoted strings, comments without a space, flow collections continued after a comment,
 * blank lines holding a tab, `...` lines, separators and directives
 * kubectl refuses, `.inf`, null keys, `\/` escapes, anchor chains, CRLF) is written to files; each
 * is read by `kubectl label --local -f FILE zz- -o json` (no cluster needed: it reads the stream
 * exactly like `kubectl apply`) and linted by sidecar-lint on both parser paths. Where kubectl reads
 * the file, sidecar-lint reports no parse-error and reads the same objects; where kubectl refuses
 * it, sidecar-lint reports a parse-error (or a duplicate key). Skipped, with a message, where
 * kubectl is not installed. Deterministic (fixed seed), no timing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastDocuments } from '../../src/yaml/fast-parse.js';
import { parseText } from '../../src/yaml/parse.js';
import { lintBoth } from '../support/hostile.js';
import { random } from '../support/random.js';

const SEED = 0x14c0de;
const FILES = 200;

function kubectlVersion(): string | undefined {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return undefined;
  try {
    return (JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown';
  } catch {
    return undefined;
  }
}

const KUBECTL = kubectlVersion();
if (!KUBECTL) console.warn('kubectl differential test: kubectl is not installed (or does not run); the test is SKIPPED.');

const LS = '\u2028';
const PS = '\u2029';
const NEL = '\u0085';
const BOM = '\ufeff';

/** Value spellings Kubernetes (YAML 1.1) and YAML 1.2 read differently, or that one side refuses. */
const VALUES = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'YES', 'Off', 'True', 'tRUE', '~', 'null', 'Null', '',
  '0644', '010', '08', '0b1010', '0B11', '0o17', '0O17', '0x1F', '0X1F', '0x_1F', '+0x10', '-0x10', '8_080', '1_000.5',
  '1:20', '190:20:30', '+.5', '.5', '1.', '1e3', '1e400', '-0', '2001-12-14', '2001-12-14T21:59:43.10-05:00',
  '!!binary aGVsbG8=', '!!float 5', '!!int "7"', '!!str 5', '!!bool yes', '!!set {a, b}', '!!omap [{a: 1}, {b: 2}]',
  '!!timestamp 2001-12-14', '!custom text', '"x"#c', "'x'#c", '[ "x" ]#c', '{a: b}#c', '"a\\\'b"',
  '"https:\\/\\/example.com"', '.inf', '-.Inf', '.NaN', '"plain"', "'it''s'",
];

/** Key spellings (each used alone in its mapping, so that no two read as the same key). */
const KEYS = ['y', 'yes', 'on', 'No', '1', '010', '0x10', '1.5', '"quoted"', '~', 'true', 'TRUE', 'key_1'];

type Gen = () => number;
const pick = <T,>(r: Gen, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function configMap(r: Gen, name: string): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:'];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) lines.push(`  k${i}: ${pick(r, VALUES)}`);
  if (r() < 0.4) lines.push(`  ${pick(r, KEYS)}: v`);
  return `${lines.join('\n')}\n`;
}

function pod(r: Gen, name: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  shareProcessNamespace: ${pick(r, ['yes', 'on', 'y', 'true', 'off', 'No'])}`,
    '  containers:',
    '  - name: app',
    '    image: app:1',
    `    ports: [{containerPort: ${pick(r, ['8080', '0b1111110010000', '+0x1F90', '017620', '8_080', '010'])}}]`,
    '    env:',
    '    - name: FLAG',
    '      valueFrom:',
    `        configMapKeyRef: {name: flags, key: beta, optional: ${pick(r, ['yes', 'no', 'on', 'off', 'true'])}}`,
    '',
  ].join('\n');
}

/** Structural mutations of one document's text. */
const MUTATORS: readonly ((r: Gen, doc: string) => string)[] = [
  // A Unicode line break in a comment, with a line after it that only Kubernetes sees.
  (r, doc) => doc.replace(/\n(?=[^\n]*\n?$)/, ` # note${pick(r, [LS, PS, NEL])}  hidden-${Math.floor(r() * 100)}: x\n`),
  // A multi-line quoted string, its continuation at the key's column, at 1 space or at 0.
  (r, doc) => {
    const q = pick(r, ['"', "'"]);
    return `${doc}  motd: ${q}Welcome to the\n${pick(r, ['  ', ' ', ''])}cluster${q}\n`;
  },
  // A `...` line, with content after it in the same part.
  (_r, doc) => `${doc}...\n  ignored: true\n`,
  // A flow collection continued at the key's column or at 0.
  (r, doc) => `${doc}  list: [a,\n${pick(r, ['  ', ''])}b, {c: d,\n${pick(r, [' ', ''])}e: f}]\n`,
  // A flow collection continued after a comment line or a trailing comment, at the key's column or at 0.
  (r, doc) => `${doc}  list: [a, ${pick(r, ['# c\n', '\n# c\n', '\n  # c\n'])}${pick(r, ['  ', ''])}b, {c: d,\n# c\n${pick(r, [' ', ''])}e: f}]\n`,
  // Comments without a space after a quoted value or a flow collection.
  (r, doc) => `${doc}  c1: ${pick(r, ['"v"#c', "'v'#c", '[a, b]#c', '{a: b}#c'])}\n`,
  // U+2028, U+2029 or NEL inside a quoted, plain, literal or folded value.
  (r, doc) => {
    const b = () => pick(r, [LS, PS, NEL]);
    return `${doc}  u: ${pick(r, [`"x${b()}y"`, `"x ${b()}  y"`, `'x${b()}${b()}y'`, `"x${b()}\n  y"`, `"a\\t${b()} b"`, `x${b()}   y`, `|\n    x${b()}    y`, `${pick(r, ['>', '>-', '>+'])}\n    x${b()}    y\n    z${b()}${b()}    w${b()}`])}\n`;
  },
  // A blank (or comment) line holding a tab, after a plain or a quoted value (B18).
  (r, doc) => `${doc}  last: ${pick(r, ['x', '"x"', 'x # c'])}\n${pick(r, ['\t', '  \t', '   \t', ' \t  ', '\t# c', '    \t# c'])}\n  tail: z\n`,
  // An anchor chain (each alias used once), linear: no bomb.
  (r, doc) => {
    const depth = 5 + Math.floor(r() * 20);
    const rows = ['  a0: &a0 {k: v}'];
    for (let i = 1; i <= depth; i++) rows.push(`  a${i}: &a${i} [*a${i - 1}]`);
    return doc.replace(/\ndata:\n/, '\nx:\n' + rows.join('\n') + '\ndata:\n');
  },
  // Merge keys: a map (fine), a list of scalars (refused).
  (r, doc) => doc.replace(/\ndata:\n/, `\nbase: &b {m: 1}\ndata:\n  <<: ${pick(r, ['*b', '[*b]', '[1, 2]'])}\n`),
  // Nothing.
  (_r, doc) => doc,
];

/** Mutations of the whole stream. */
const STREAM_MUTATORS: readonly ((r: Gen, text: string) => string)[] = [
  (_r, t) => t.replace(/\n---\n/, `\n---\n${BOM}`), // a byte order mark at the start of a later document
  (_r, t) => t.replace(/\n---\n/, '\n--- # next\n'),
  (r, t) => t.replace(/\n---\n/, `\n${pick(r, ['--- !Pod', '----', '--- |', '--- {}'])}\n`), // refused separators
  (r, t) => `${pick(r, ['%YAML 1.1', '%TAG !e! tag:example.com,2000:'])}\n---\n${t}`, // directives
  (_r, t) => t.replace(/\n/g, '\r\n'), // CRLF
  (_r, t) => t.replace(/\n/g, '\r'), // lone CR: one part for apimachinery
  (r, t) => t.replace(/\n---\n/, `\n${pick(r, [LS, NEL])}---${pick(r, [LS, PS, '\n'])}`), // a --- only go-yaml sees
  (_r, t) => t,
  (_r, t) => t,
];

interface Case {
  file: string;
  text: string;
}

function generate(): Case[] {
  const r = random(SEED);
  const out: Case[] = [];
  for (let i = 0; i < FILES; i++) {
    const docs: string[] = [];
    const n = 1 + Math.floor(r() * 2);
    for (let d = 0; d < n; d++) {
      let doc = r() < 0.7 ? configMap(r, `c${i}-${d}`) : pod(r, `p${i}-${d}`);
      if (doc.includes('\ndata:\n')) doc = pick(r, MUTATORS)(r, doc);
      docs.push(doc);
    }
    let text = docs.join('---\n');
    text = pick(r, STREAM_MUTATORS)(r, text);
    out.push({ file: `case-${String(i).padStart(3, '0')}.yaml`, text });
  }
  return out;
}

/** The JSON values in kubectl's output: one object, or several one after the other, or a List. */
function jsonValues(out: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) values.push(JSON.parse(out.slice(start, i + 1)));
  }
  return values.flatMap((v) => ((v as { kind?: string }).kind === 'List' ? ((v as { items?: unknown[] }).items ?? []) : [v]));
}

/** Keys sorted, `metadata.labels: {}` (added by `kubectl label`) dropped, numbers as JSON writes them. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, sort(o[k])]),
      );
    }
    return v;
  };
  const copy = JSON.parse(JSON.stringify(value)) as { metadata?: { labels?: unknown } };
  const labels = copy.metadata?.labels;
  if (labels && typeof labels === 'object' && Object.keys(labels).length === 0) delete copy.metadata!.labels;
  return JSON.stringify(sort(copy));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-kubectl-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!KUBECTL)(`sidecar-lint reads what kubectl ${KUBECTL ?? ''} reads (${FILES} generated files, seed ${SEED})`, () => {
  const cases = generate();

  it('the generated set is the same on every run and has every kind of mutation', () => {
    expect(cases).toHaveLength(FILES);
    expect(generate().map((c) => c.text)).toEqual(cases.map((c) => c.text));
    const having = (re: RegExp) => cases.filter((c) => re.test(c.text)).length;
    for (const re of [/[\u2028\u2029\u0085]/, /\ufeff/, /^\.\.\./m, /^--- !Pod|^----|^--- \||^--- \{\}/m, /^%/m, /\r(?!\n)/, /: (?:yes|on|y)$/m, /0b1|0x|0o/, /!!binary/, /&a\d+/, /"Welcome/, /"#c/, /\[a,\n/, /\[a, \s*# c/, /^ *\t/m, /^ {2}u: .*[\u2028\u2029\u0085]/m, /^ {2}u: >[+-]?\n {4}x[\u2028\u2029]/m])
      expect(having(re), String(re)).toBeGreaterThan(0);
  });

  it('objects read alike where kubectl reads the file; a parse-error where it refuses it', () => {
    const disagreements: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const c of cases) {
      const file = path.join(dir, c.file);
      fs.writeFileSync(file, c.text);
      const k = spawnSync('kubectl', ['label', '--local', '-f', file, 'zz-', '-o', 'json'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, KUBECONFIG: path.join(dir, 'none') } });
      const findings = lintBoth(c.text, c.file);
      const reported = findings.some((f) => f.ruleId === 'parse-error' || f.ruleId === 'duplicate-key');
      if (k.status === 0) {
        accepted++;
        const theirs = jsonValues(k.stdout).map(canonical);
        const parsed = parseText(c.text).documents;
        const ours = parsed.filter((d) => d.usable && d.value !== null && d.value !== undefined).map((d) => canonical(d.value));
        const fast = fastDocuments(c.text);
        if (reported) disagreements.push(`${c.file}: kubectl reads it, sidecar-lint reports ${findings.filter((f) => f.ruleId === 'parse-error' || f.ruleId === 'duplicate-key').map((f) => `${f.ruleId}@${f.line}:${f.column} ${f.message}`).join('; ')}`);
        else if (JSON.stringify(ours) !== JSON.stringify(theirs)) disagreements.push(`${c.file}: objects differ\n  kubectl: ${theirs.join('\n           ')}\n  ours:    ${ours.join('\n           ')}`);
        else if (fast !== undefined && JSON.stringify(fast.filter((v) => v != null).map(canonical)) !== JSON.stringify(ours)) disagreements.push(`${c.file}: the fast path reads other objects`);
      } else {
        refused++;
        if (!reported) disagreements.push(`${c.file}: kubectl refuses it (${k.stderr.trim().split('\n')[0]}), sidecar-lint reports no parse-error`);
      }
    }
    expect(disagreements, disagreements.map((d, i) => `${i}: ${d}\n--- ${cases.find((c) => d.startsWith(c.file))?.file}: ${JSON.stringify(cases.find((c) => d.startsWith(c.file))?.text)}`).join('\n')).toEqual([]);
    expect(accepted).toBeGreaterThan(FILES / 4);
    expect(refused).toBeGreaterThan(5);
    // A hang guard, not a speed limit: one kubectl run per file on a busy 2-CPU machine.
  }, 1_200_000);

  it('kubectl itself reads a plain manifest (the oracle works)', () => {
    const file = path.join(dir, 'plain.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n');
    const out = execFileSync('kubectl', ['label', '--local', '-f', file, 'zz-', '-o', 'json'], { encoding: 'utf8' });
    expect(jsonValues(out).map(canonical)).toEqual([canonical({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } })]);
  });
});
