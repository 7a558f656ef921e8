#!/usr/bin/env node
// npm run bench, second part: big and hostile inputs through the CLI (the bundle, every rule on, JSON
// output), generated in a temporary directory. The tests (test/behaviour/hostile-input.test.ts,
// test/behaviour/hostile-fs.test.ts, test/rules/credential-values.test.ts) check what these give and that the work
// grows linearly with the input; how long they take and how much memory is printed here, and only
// here: YAML bombs, deep nesting, a 100 MB file, 10 MB on standard input, 1 MB lines, a mapping of
// 100,000 keys, a broken stream of 2,000 documents, 50,000 files in one directory, adversarial
// credential-shaped values. Prints the median wall time and peak RSS of each. Not a test: it judges
// nothing, it prints figures.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measurer } from './bench-measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_HOSTILE_RUNS ?? process.env.BENCH_RUNS ?? 3);
const bin = path.join(root, 'bin/sidecar-lint.js');
/** The size limit of one input, as src/yaml/parse.ts has it. */
const MAX_INPUT_SIZE = 10 * 1024 * 1024;

if (!existsSync(path.join(root, 'dist/sidecar-lint.cjs'))) {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-bench-hostile-'));
const { measureAll } = measurer(tmp, runs);

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  PASSWORD: hunter2-CANARY\n';
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\ndata:\n  LOG_LEVEL: info\n';

/** Writes `text` to a file of the temporary directory and returns its path. */
function file(name, text) {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const laughs = (levels, width) => {
  const rows = [`l0: &l0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++) rows.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
  return `${rows.join('\n')}\n`;
};

// A 100 MB file beside a small one: refused from its size, without being read.
const huge = path.join(tmp, 'huge');
mkdirSync(huge);
writeFileSync(path.join(huge, 'small.yaml'), CM);
{
  const fd = openSync(path.join(huge, 'huge.yaml'), 'w');
  const block = Buffer.from(CLEAN.repeat(16_384));
  for (let n = 0; n < 100 * 1024 * 1024; n += block.length) writeSync(fd, block);
  closeSync(fd);
}

// 50,000 small files in one directory, one with a finding and one broken.
const many = path.join(tmp, 'many');
mkdirSync(many);
for (let i = 0; i < 50_000; i++) writeFileSync(path.join(many, `f${String(i).padStart(5, '0')}.yaml`), i === 31_337 ? CM : i === 42 ? 'a: "broken\n' : CLEAN);

const wideKeys = Array.from({ length: 100_000 }, (_, i) => `  k${i}: v`).join('\n');
const wide = file('wide.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n${wideKeys}\n  k5: again\n  SECRET_KEY: abc-CANARY\n`);
const streamParts = Array.from({ length: 2000 }, (_, i) => CM.replace('name: cm', `name: cm${i}`));
streamParts[3] = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unterminated\n';
const stream = file('stream.yaml', streamParts.join('---\n'));
// A key written twice in each of 20,000 mappings (each finding's fix names its mapping).
const twice = file('twice.yaml', `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 20_000 }, (_, i) => `- a: ${i}\n  a: b\n`).join('')}`);
// 100 double-quoted values continued on lines indented no more than their keys (Kubernetes reads them,
// `yaml` does not): the exact path mends the first, then finds the rest with yaml's lexer (it parsed
// the document again after each, 2.7 s here).
const underIndented = file(
  'under-indented.yaml',
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: quotes\ndata:\n${Array.from({ length: 100 }, (_, i) => `  k${i}: "abc\n  def"\n${`  p${i}: v\n`.repeat(20)}`).join('')}`,
);
// One pod of 2,000 containers, each a sidecar with findings (companions, the pod picture of its findings).
const manyContainers = file(
  'containers.yaml',
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: crowded\nspec:\n  containers:\n${Array.from({ length: 2000 }, (_, i) => `  - name: c${i}\n    image: img${i % 7}:1\n    ports:\n    - containerPort: ${1000 + i}\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: s, key: k${i}}\n`).join('')}`,
);
// An embedded properties file of 40,000 lines, each with a finding located inside the block.
const embeddedLines = file(
  'embedded-lines.yaml',
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: props\ndata:\n  app.properties: |\n${Array.from({ length: 20_000 }, (_, i) => `    key${i}=value${i}\n    password${i}=s3cr3t-${i}\n`).join('')}`,
);
const jsonKeys = Array.from({ length: 60_000 }, (_, i) => `"key${i}":"v${i}"`).join(',');
const adversarial = {
  DASHES: '-'.repeat(50_000) + 'BEGIN ' + 'A '.repeat(20_000),
  COLONS: 'a://' + ':'.repeat(50_000) + '@',
  DOTS: 'eyJ' + 'a'.repeat(50_000) + '.eyJ' + 'b'.repeat(50_000),
};

const lint = (target) => [bin, '--format', 'json', '--no-render', '--no-config', target];
const specs = [
  ['bomb: 9 levels of 9 aliases', file('bomb-9x9.yaml', laughs(9, 9))],
  ['bomb: 30 levels of 2 aliases', file('bomb-30x2.yaml', laughs(30, 2))],
  ['bomb: 4 levels of 100 aliases', file('bomb-4x100.yaml', laughs(4, 100))],
  ['10,000 nested flow sequences', file('deep-flow.yaml', `${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)],
  ['10,000 nested flow mappings', file('deep-map.yaml', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`)],
  ['10,000 nested block sequences', file('deep-block.yaml', `${'- '.repeat(10_000)}x\n`)],
  ['a 100 MB file beside a small one', huge],
  ['10 MB on standard input (refused)', '-', `# ${'x'.repeat(MAX_INPUT_SIZE)}\n`],
  ['a 1 MB value on one line', file('long-value.yaml', CM.replace('hunter2-CANARY', `${'a'.repeat(1024 * 1024)}CANARY`))],
  ['1 MB of minified JSON, 60,000 keys', file('minified.json', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wide"},"data":{${jsonKeys},"API_TOKEN":"tok-CANARY"}}`)],
  ['a 1 MB key', file('long-key.yaml', `apiVersion: v1\nkind: ConfigMap\ndata:\n  ${'k'.repeat(1024 * 1024)}: v\n`)],
  ['600,000 characters of {[', file('garbage.yaml', `${'{['.repeat(300_000)}\n`)],
  ['a mapping of 100,000 keys', wide],
  ['  the same, exact path', wide, undefined, { SIDECAR_LINT_EXACT: '1' }],
  ['20,000 maps with a key written twice', twice],
  ['  the same, exact path', twice, undefined, { SIDECAR_LINT_EXACT: '1' }],
  ['100 quoted values under-indented', underIndented],
  ['a pod of 2,000 containers', manyContainers],
  ['20,000 findings in an embedded file', embeddedLines],
  ['a broken stream of 2,000 documents', stream],
  ['  the same, exact path', stream, undefined, { SIDECAR_LINT_EXACT: '1' }],
  ['50,000 files in one directory', many],
  [
    'adversarial credential-like values',
    file('adversarial.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\ndata:\n${Object.entries(adversarial).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`),
  ],
].map(([name, target, input, env]) => ({ name, args: lint(target), input, env, target }));

/** Bytes of a file, of every file of a directory (not recursive), or of the standard input. */
function size(spec) {
  if (spec.input !== undefined) return Buffer.byteLength(spec.input);
  const info = statSync(spec.target);
  if (!info.isDirectory()) return info.size;
  return readdirSync(spec.target).reduce((total, f) => total + statSync(path.join(spec.target, f)).size, 0);
}

const results = measureAll(specs);
const f = (x, d = 2) => x.toFixed(d);
console.log(`\nbig and hostile inputs, one CLI run each (every rule, --format json): median of ${runs} rounds after a warm-up\n`);
specs.forEach((spec, i) => {
  const m = results[i];
  console.log(`${spec.name.padEnd(36)} ${f(m.wall, 3).padStart(8)} s  ${f(size(spec) / 1e6, 1).padStart(6)} MB in  ${f(m.rss, 0).padStart(5)} MB peak RSS`);
});

rmSync(tmp, { recursive: true, force: true });
