#!/usr/bin/env node
// npm run bench: builds a corpus of at least 20,000 real documents from ../shared/corpus in a
// temporary directory, then measures in the same run
//   1. the baseline: read every file and parseAllDocuments it with `yaml`, nothing else;
//   2. sidecar-lint with every rule on, JSON output;
//   3. cold start: `sidecar-lint --version` and linting one small file, against a bare `node -e 0`
//      (timed without the RSS hook), with the compile cache in place and without it.
// Also, for the record: the full lint on two threads (SIDECAR_LINT_THREADS=2; the default is one
// thread below 4 CPUs), the full lint of one copy only, to show how peak RSS grows with files, and
// the full lint with V8's old space capped, to show what the run really keeps (it must finish with
// the same output).
// Prints wall time, documents/s, MB/s and peak RSS for each, and the ratios. Not a test: it judges
// nothing, it prints figures. (`npm run bench` then runs scripts/bench-hostile.mjs: big and hostile
// inputs, which the tests check for their outcome and growth, not for time.)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { globbySync } from 'globby';
import { measurer } from './bench-measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, process.env.BENCH_CORPUS ?? '../shared/corpus');
const minDocuments = Number(process.env.BENCH_MIN_DOCUMENTS ?? 20_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
// Start-up runs take a tenth of a second and vary by tens of milliseconds: more rounds of them.
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 21);
const bin = path.join(root, 'bin/sidecar-lint.js');

if (!existsSync(corpus)) {
  console.log(`bench: ${corpus} not found; nothing to measure.`);
  process.exit(0);
}
if (!existsSync(path.join(root, 'dist/sidecar-lint.cjs'))) {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}

// 1. Build the corpus: real manifests, copied until there are enough documents.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-bench-'));
const lintRoot = path.join(tmp, 'corpus'); // only the copies: the bench's own files are not linted
const sources = globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true })
  .filter((f) => !f.startsWith('PEER_LABELS') && !f.includes('/PEER_LABELS'))
  .sort();
const docsPerFile = new Map();
let perCopy = 0;
let bytesPerCopy = 0;
for (const f of sources) {
  const text = readFileSync(path.join(corpus, f), 'utf8');
  const n = parseAllDocuments(text).filter((d) => d.contents !== null).length;
  docsPerFile.set(f, n);
  perCopy += n;
  bytesPerCopy += statSync(path.join(corpus, f)).size;
}
const copies = Math.max(1, Math.ceil(minDocuments / perCopy));
for (let c = 0; c < copies; c++) {
  for (const f of sources) {
    const to = path.join(lintRoot, `copy-${c}`, f);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(corpus, f), to);
  }
}
const files = sources.length * copies;
const documents = perCopy * copies;
const megabytes = (bytesPerCopy * copies) / 1e6;
const small = path.join(tmp, 'small.yaml');
writeFileSync(small, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n');
/**
 * A script that reads every file of the list given as its argument and hands each text to `read`
 * (an expression over `text` that returns how many documents it read), importing `name` from `module`.
 */
function readerScript(file, name, module, read) {
  const script = path.join(tmp, file);
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import { ${name} } from ${JSON.stringify(path.join(root, 'node_modules', module))};
const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let n = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  n += ${read};
}
if (n === 0) process.exit(3);
`,
  );
  return script;
}
const baselineScript = readerScript('baseline.mjs', 'parseAllDocuments', 'yaml/dist/index.js', 'parseAllDocuments(text).length');
// The floor the issue names: the same files read and loaded with js-yaml (values, no positions); a
// file js-yaml cannot read still counts as read.
const floorScript = readerScript(
  'floor.mjs',
  'loadAll',
  'js-yaml/dist/js-yaml.mjs',
  '(() => { try { let k = 0; loadAll(text, () => k++); return k; } catch { return 1; } })()',
);
const fileList = path.join(tmp, 'files.json');
writeFileSync(
  fileList,
  JSON.stringify(Array.from({ length: copies }, (_, c) => sources.map((f) => path.join(lintRoot, `copy-${c}`, f))).flat()),
);
const { measureAll, outputs } = measurer(tmp, runs);

// --no-render: the corpus holds kustomizations, and rendering runs kubectl, which is not our code.
const lintArgs = [bin, '--format', 'json', '--no-render', '--no-config'];
const heapCap = 64;
const [baseline, floor, lint, lintTwo, lintOneCopy, lintCapped] = measureAll([
  { name: 'baseline', args: [baselineScript, fileList] },
  { name: 'floor', args: [floorScript, fileList] },
  { name: 'lint', args: [...lintArgs, lintRoot], key: 'lint' },
  { name: 'two', args: [...lintArgs, lintRoot], env: { SIDECAR_LINT_THREADS: '2' }, key: 'two' },
  { name: 'one copy', args: [...lintArgs, path.join(lintRoot, 'copy-0')] },
  { name: 'capped', args: [...lintArgs, lintRoot], key: 'capped', nodeFlags: [`--max-old-space-size=${heapCap}`] },
]);
// The warm-up run leaves the compile cache in place (bin/load-bundle.js), as any earlier run would;
// the last command shows a start without it.
const [nodeBare, version, one, oneUncached] = measureAll([
  { name: 'node', args: ['-e', '0'] },
  { name: 'version', args: [bin, '--version'] },
  { name: 'small', args: [bin, '--no-config', small] },
  { name: 'small-uncached', args: [bin, '--no-config', small], env: { SIDECAR_LINT_NO_CACHE: '1' } },
], coldRuns, true);

const f = (x, d = 2) => x.toFixed(d);
const row = (name, m, docs, mb = megabytes) =>
  `${name.padEnd(28)} ${f(m.wall, 3).padStart(8)} s  ${docs ? f(docs / m.wall, 0).padStart(8) : '       -'} docs/s  ${
    docs ? f(mb / m.wall, 1).padStart(6) : '     -'
  } MB/s  ${f(m.rss, 0).padStart(5)} MB peak RSS`;

console.log(`corpus: ${files} files, ${documents} documents, ${f(megabytes, 1)} MB (${copies} copies of ${corpus})`);
console.log(`node ${process.version}, ${os.cpus().length} CPUs, median of ${runs} rounds (start-up: ${coldRuns}) after a warm-up; the commands of a group take turns\n`);
console.log(row('baseline (yaml parse only)', baseline, documents));
console.log(row('floor (js-yaml load only)', floor, documents));
console.log(row('sidecar-lint --format json', lint, documents));
console.log(row('  the same on two threads', lintTwo, documents));
console.log(row('  the same on one copy only', lintOneCopy, perCopy, bytesPerCopy / 1e6));
console.log(row(`  the same, heap <= ${heapCap} MB`, lintCapped, documents));
console.log(row('node -e 0', nodeBare));
console.log(row('sidecar-lint --version', version));
console.log(row('sidecar-lint one small file', one));
console.log(row('  the same, no compile cache', oneUncached));
console.log('');
const perRound = (a, b) => a.walls.map((w, i) => f(w / b.walls[i])).join(', ');
console.log(`full lint / baseline:          ${f(lint.wall / baseline.wall)}x  (target <= 1.0x; round by round: ${perRound(lint, baseline)})`);
console.log(`full lint / js-yaml floor:     ${f(lint.wall / floor.wall)}x`);
console.log(`--version / node -e 0:         ${f(version.wall / nodeBare.wall)}x`);
const spread = (a, b) => {
  const r = a.walls.map((w, i) => w / b.walls[i]).sort((x, y) => x - y);
  return `${f(r[0])}-${f(r[r.length - 1])}`;
};
console.log(`one small file / node -e 0:    ${f(one.wall / nodeBare.wall)}x  (target <= 2x; round by round from ${spread(one, nodeBare)})`);
console.log(`  without the compile cache:   ${f(oneUncached.wall / nodeBare.wall)}x`);
console.log(`peak RSS of the full lint:     ${f(lint.rss, 0)} MB  (target <= 300 MB; ${f(lintOneCopy.rss, 0)} MB for one copy)`);
console.log(`two threads / one thread:      ${f(lintTwo.wall / lint.wall)}x  (${os.availableParallelism()} CPUs; default: ${os.availableParallelism() >= 4 ? 'two' : 'one'})`);
const same = (key) => (outputs.get(key).equals(outputs.get('lint')) ? 'identical' : 'DIFFERENT');
console.log(`output, two threads:           ${same('two')} to one thread's`);
console.log(`output, old space <= ${heapCap} MB:   ${same('capped')} to the uncapped run's (what the run keeps fits; the rest of its RSS is V8 collecting lazily)`);

rmSync(tmp, { recursive: true, force: true });
