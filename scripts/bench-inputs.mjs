#!/usr/bin/env node
// npm run bench, inputs one by one (issue 18): each input linted by sidecar-lint (every rule, JSON
// output) beside the two parse floors on the same bytes in the same rounds: `yaml`
// (parseAllDocuments, positions) and `js-yaml` (loadAll, values only). Wall time, CPU time (user +
// system of the process, which a busy machine inflates far less than wall time) and peak RSS, medians
// of BENCH_RUNS rounds (5) after a warm-up, the commands taking turns. Inputs, generated in a
// temporary directory:
//   - a 9 MB file of real manifests (the corpus's documents, one stream, under the 10 MB limit);
//   - 5,000 ConfigMaps in 5,000 files, each with a finding;
//   - one ConfigMap with 200,000 findings;
//   - 16,000 Services and 16,000 Deployments (16 files), each Service selecting one pod;
//   - a 2 MB JSON List on one line;
//   - the corpus at 1x, 2x and 4x its size (time, CPU and RSS per document: the scaling line).
// Not a test: it judges nothing, it prints figures.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globbySync } from 'globby';
import { parseAllDocuments } from 'yaml';
import { measurer } from './bench-measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, process.env.BENCH_CORPUS ?? '../shared/corpus');
// Five rounds by default (BENCH_RUNS sets it): a ratio's median moves less from run to run than with
// three on a shared machine, where the corpus rows' lint/yaml ratio varied by a tenth between runs.
const runs = Number(process.env.BENCH_RUNS ?? 5);
// BENCH_BIN: another build to measure (an older one, for a before/after); BENCH_KEEP=1 keeps the inputs;
// BENCH_ONLY: a regular expression: only the inputs whose name it matches are made and measured.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
const wanted = (name) => !only || only.test(name);
// Inputs measured only when BENCH_ONLY names them (not in the default run).
const optIn = (name) => only !== undefined && only.test(name);
const bin = process.env.BENCH_BIN ?? path.join(root, 'bin/sidecar-lint.js');
if (!existsSync(path.join(root, 'dist/sidecar-lint.cjs'))) spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-bench-inputs-'));
const { measureAll } = measurer(tmp, runs);

/** A script that reads the files of a list (JSON, its argument) and parses each with `read`. */
function readerScript(file, name, module, read) {
  const script = path.join(tmp, file);
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import { ${name} } from ${JSON.stringify(path.join(root, 'node_modules', module))};
let n = 0;
for (const f of JSON.parse(readFileSync(process.argv[2], 'utf8'))) { const text = readFileSync(f, 'utf8'); n += ${read}; }
if (n === 0) process.exit(3);
`,
  );
  return script;
}
const yamlFloor = readerScript('yaml.mjs', 'parseAllDocuments', 'yaml/dist/index.js', 'parseAllDocuments(text).length');
// yaml checks a map's keys for duplicates pairwise (200,000 keys: minutes): for that input the floor
// parses without the check (marked * in the table).
const yamlFloorNoUnique = readerScript('yaml-nounique.mjs', 'parseAllDocuments', 'yaml/dist/index.js', 'parseAllDocuments(text, { uniqueKeys: false }).length');
const jsyamlFloor = readerScript('js-yaml.mjs', 'loadAll', 'js-yaml/dist/js-yaml.mjs', '(() => { try { let k = 0; loadAll(text, () => k++); return k; } catch { return 1; } })()');

/** Every file under a directory (or the file itself). */
function filesOf(target) {
  return statSync(target).isDirectory() ? globbySync('**/*', { cwd: target, absolute: true, dot: true }).sort() : [target];
}

const inputs = [];
/** Registers an input: a file or a directory, with how many documents it holds. */
function input(name, target, documents, { noUnique = false, config } = {}) {
  const files = filesOf(target);
  const list = path.join(tmp, `list-${inputs.length}.json`);
  writeFileSync(list, JSON.stringify(files));
  const bytes = files.reduce((t, f) => t + statSync(f).size, 0);
  inputs.push({ name, target, list, documents, bytes, files: files.length, noUnique, config });
}

const sources = existsSync(corpus)
  ? globbySync('**/*.{yaml,yml,json}', { cwd: corpus, dot: true })
      .filter((f) => !f.includes('PEER_LABELS'))
      .sort()
  : [];

// The 9 MB stream: the corpus's YAML files that parse cleanly, one after another.
const TAGGED = '9 MB stream, a tag in every document';
const MERGED = '9 MB stream, a merge key in every document';
const COMMENTED = '9 MB stream, one suppression comment';
if (sources.length > 0 && (wanted('9 MB stream of real manifests') || optIn(TAGGED) || optIn(MERGED) || optIn(COMMENTED))) {
  const parts = [];
  let size = 0;
  let docs = 0;
  for (let pass = 0; size < 9e6 && pass < 10; pass++) {
    for (const f of sources) {
      if (!/\.ya?ml$/.test(f)) continue;
      const text = readFileSync(path.join(corpus, f), 'utf8');
      const parsed = parseAllDocuments(text);
      if (parsed.some((d) => d.errors.length > 0) || /^%/m.test(text)) continue;
      const body = text.endsWith('\n') ? text : `${text}\n`;
      if (size + body.length + 4 > 9.4e6) break;
      parts.push(body.startsWith('---') ? body : `---\n${body}`);
      size += body.length + 4;
      docs += parsed.filter((d) => d.contents !== null).length;
      if (size >= 9e6) break;
    }
  }
  const file = path.join(tmp, 'stream-9mb.yaml');
  writeFileSync(file, parts.join(''));
  if (wanted('9 MB stream of real manifests')) input('9 MB stream of real manifests', file, docs);
  // Opt-in (BENCH_ONLY=tag): the same stream with a `!!str` tag in every document (no corpus file
  // has a tag), which only the exact path read until the block reader learnt this tag.
  if (optIn(TAGGED)) {
    const tagged = path.join(tmp, 'stream-9mb-tagged.yaml');
    writeFileSync(tagged, parts.join('').replace(/^kind: (.*)$/gm, 'kind: !!str $1'));
    input(TAGGED, tagged, docs);
  }
  // Opt-in (BENCH_ONLY=merge): the same stream with a merge key of an anchored mapping in every
  // document (none in the corpus), which only the exact path read until the block reader learnt them.
  if (optIn(MERGED)) {
    const merged = path.join(tmp, 'stream-9mb-merged.yaml');
    writeFileSync(merged, parts.join('').replace(/^kind: (.*)$/gm, 'kind: $1\nx-defaults: &d\n  a: 1\nx-merged:\n  <<: *d\n  b: 2'));
    input(MERGED, merged, docs);
  }
  // Opt-in (BENCH_ONLY=suppression): the same stream with one suppression comment half-way, which
  // sent the whole file to the exact path, uncut (14.6 s CPU and 846 MB) until suppressions were
  // applied on the fast path.
  if (optIn(COMMENTED)) {
    const text = parts.join('');
    const at = text.indexOf('\n---\n', text.length >> 1) + 5;
    const commented = path.join(tmp, 'stream-9mb-commented.yaml');
    writeFileSync(commented, `${text.slice(0, at)}# sidecar-lint-disable-next-line configmap-sensitive-data -- test fixture\n${text.slice(at)}`);
    input(COMMENTED, commented, docs);
  }
}

// 5,000 ConfigMaps, each in its own file with a finding.
if (wanted('5,000 ConfigMaps, all with findings')) {
  const dir = path.join(tmp, 'configmaps');
  mkdirSync(dir);
  for (let i = 0; i < 5000; i++) writeFileSync(path.join(dir, `cm-${i}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  DB_PASSWORD: hunter2-${i}\n  LOG_LEVEL: info\n`);
  input('5,000 ConfigMaps, all with findings', dir, 5000);
}

// One ConfigMap with 200,000 findings.
if (wanted('one file, 200,000 findings (*)')) {
  const keys = Array.from({ length: 200_000 }, (_, i) => `  PASSWORD_${i}: hunter2-x${i}`).join('\n');
  const file = path.join(tmp, 'findings-200k.yaml');
  writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n${keys}\n`);
  input('one file, 200,000 findings (*)', file, 1, { noUnique: true });
}

// 16,000 Services and 16,000 Deployments whose sidecar serves Secret files: 16 files of 1,000 of each.
if (wanted('16,000 Services x 16,000 pods')) {
  const dir = path.join(tmp, 'services');
  mkdirSync(dir);
  const app = (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
      - name: main
        image: example/app:1
        ports:
        - containerPort: 8080
      - name: tls
        image: example/tls:1
        ports:
        - containerPort: 8443
          name: https
        volumeMounts:
        - name: certs
          mountPath: /certs
      volumes:
      - name: certs
        secret:
          secretName: certs-${i}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app: app-${i}
  ports:
  - port: ${i % 7 === 0 ? 443 : 80}
    targetPort: ${i % 7 === 0 ? 'https' : 8080}
`;
  for (let f = 0; f < 16; f++) writeFileSync(path.join(dir, `apps-${f}.yaml`), Array.from({ length: 1000 }, (_, k) => app(f * 1000 + k)).join('---\n'));
  input('16,000 Services x 16,000 pods', dir, 32_000);
}

// A 2 MB JSON List on one line.
if (wanted('2 MB JSON List, one line')) {
  const items = [];
  let size = 0;
  for (let i = 0; size < 2e6; i++) {
    const item = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, labels: { app: `app-${i}` } },
      spec: {
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}` } },
          spec: {
            containers: [
              { name: 'main', image: 'example/app:1', env: [{ name: 'LOG_LEVEL', value: 'info' }], resources: { limits: { cpu: '1', memory: '1Gi' } } },
              { name: 'proxy', image: 'envoyproxy/envoy:v1.30', resources: { limits: { cpu: '100m', memory: '128Mi' } } },
            ],
          },
        },
      },
    };
    if (i % 50 === 0) item.spec.template.spec.containers[0].env.push({ name: 'API_TOKEN', value: `tok-${i}-abcdefgh12345678` });
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  const file = path.join(tmp, 'list-2mb.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  input('2 MB JSON List, one line', file, 1);
}

// Opt-in rows for shapes inside one file that were quadratic or costly (issue 18, eighth round):
// BENCH_ONLY=flow: 16 Pods of 2,000 containers each with a flow collection continued on a line at
// its key's column (Kubernetes reads it; each was joined after a parse of the document, and past 200
// in a document the rest was a parse-error);
// BENCH_ONLY=comment: 16,000 ConfigMap keys each under its own disable-next-line comment (each
// finding looked at every directive before it); BENCH_ONLY=exemption: 100,000 findings and a config
// of 20 exemptions (each finding tried each exemption, its globs made again).
const FLOWS = '32,000 flows on under-indented lines';
if (optIn(FLOWS)) {
  const file = path.join(tmp, 'flows.yaml');
  const pod = (p) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${p}\nspec:\n  containers:\n${Array.from({ length: 2000 }, (_, i) => `  - name: c${i}\n    image: nginx\n    args: [\n"a${i}", "b"]\n`).join('')}`;
  writeFileSync(file, Array.from({ length: 16 }, (_, p) => pod(p)).join('---\n'));
  input(FLOWS, file, 16);
}
const COMMENTS = '16,000 findings under suppression comments';
if (optIn(COMMENTS)) {
  const file = path.join(tmp, 'comments.yaml');
  writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${Array.from({ length: 16_000 }, (_, i) => `  # sidecar-lint-disable-next-line configmap-sensitive-data -- known\n  PASSWORD_${i}: hunter2-hunter2-${i}\n`).join('')}`);
  input(COMMENTS, file, 1, { noUnique: true });
}
const EXEMPTIONS = '100,000 findings, 20 exemptions';
if (optIn(EXEMPTIONS)) {
  const file = path.join(tmp, 'exempted.yaml');
  writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 100_000 }, (_, i) => `  PASSWORD_${i}: hunter${i}`).join('\n')}\n`);
  const config = path.join(tmp, 'exemptions.yaml');
  writeFileSync(config, `exemptions:\n${Array.from({ length: 20 }, (_, i) => `  - objects: ["app-${i}-*", "svc-${i}?"]\n    containers: ["side-${i}*"]\n    reason: known ${i}`).join('\n')}\n`);
  input(EXEMPTIONS, file, 1, { noUnique: true, config });
}

// The corpus at 1x, 2x and 4x.
if (sources.length > 0 && [1, 2, 4].some((copies) => wanted(`corpus ${copies}x`))) {
  let perCopy = 0;
  for (const f of sources) perCopy += parseAllDocuments(readFileSync(path.join(corpus, f), 'utf8')).filter((d) => d.contents !== null).length;
  for (const copies of [1, 2, 4]) {
    if (!wanted(`corpus ${copies}x`)) continue;
    const dir = path.join(tmp, `corpus-${copies}x`);
    for (let c = 0; c < copies; c++) {
      for (const f of sources) {
        const to = path.join(dir, `copy-${c}`, f);
        mkdirSync(path.dirname(to), { recursive: true });
        copyFileSync(path.join(corpus, f), to);
      }
    }
    input(`corpus ${copies}x`, dir, perCopy * copies);
  }
}

const lint = (target, config) => [bin, '--format', 'json', '--no-render', ...(config ? ['--config', config] : ['--no-config']), target];
const specs = inputs.flatMap((inp) => [
  { name: `${inp.name}: yaml`, args: [inp.noUnique ? yamlFloorNoUnique : yamlFloor, inp.list] },
  { name: `${inp.name}: js-yaml`, args: [jsyamlFloor, inp.list] },
  { name: `${inp.name}: lint`, args: lint(inp.target, inp.config) },
]);
const results = measureAll(specs);

const f = (x, d = 2) => x.toFixed(d);
console.log(`\ninputs one by one: median of ${runs} rounds after a warm-up; CPU = user + system time of the process; lint/yaml = the ratio to the yaml floor\n`);
console.log(`${'input'.padEnd(38)} ${'MB'.padStart(5)}  ${'yaml cpu'.padStart(8)} ${'js-yaml'.padStart(8)} ${'lint cpu'.padStart(8)} ${'lint/yaml'.padStart(9)}  ${'yaml wall'.padStart(9)} ${'lint wall'.padStart(9)} ${'ratio'.padStart(6)}  ${'RSS yaml/js-yaml/lint'.padStart(22)}`);
inputs.forEach((inp, i) => {
  const [y, j, l] = results.slice(i * 3, i * 3 + 3);
  console.log(
    `${inp.name.padEnd(38)} ${f(inp.bytes / 1e6, 1).padStart(5)}  ${f(y.cpu).padStart(8)} ${f(j.cpu).padStart(8)} ${f(l.cpu).padStart(8)} ${f(l.cpu / y.cpu).padStart(8)}x  ${f(y.wall).padStart(9)} ${f(l.wall).padStart(9)} ${f(l.wall / y.wall).padStart(5)}x  ${`${f(y.rss, 0)}/${f(j.rss, 0)}/${f(l.rss, 0)} MB`.padStart(22)}`,
  );
});
console.log('(*) yaml floor without its duplicate-key check (uniqueKeys: false), which is quadratic in a map\'s keys');
// Each round's ratio of the corpus rows (lint and floor run one after the other in a round, so a
// machine that gets busier or quieter between rounds moves both): how far one run's median can be trusted.
const corpusRows = inputs.map((inp, i) => ({ inp, y: results[i * 3], l: results[i * 3 + 2] })).filter(({ inp }) => inp.name.startsWith('corpus '));
if (corpusRows.length > 0) {
  console.log('lint/yaml CPU round by round:');
  for (const { inp, y, l } of corpusRows) console.log(`  ${inp.name.padEnd(10)} ${l.cpuRounds.map((c, r) => f(c / y.cpuRounds[r])).join(', ')}`);
}
const scaling = inputs.map((inp, i) => ({ inp, l: results[i * 3 + 2], y: results[i * 3] })).filter(({ inp }) => inp.name.startsWith('corpus '));
if (scaling.length > 0) {
  console.log('\nscaling (lint, per 1,000 documents):');
  for (const { inp, l, y } of scaling) {
    console.log(`${inp.name.padEnd(12)} ${String(inp.documents).padStart(7)} docs  ${f((l.cpu / inp.documents) * 1000, 3)} s CPU  ${f((l.wall / inp.documents) * 1000, 3)} s wall  ${f(l.rss, 0)} MB RSS (yaml floor ${f(y.rss, 0)} MB)`);
  }
}

if (process.env.BENCH_KEEP === '1') console.log(`\ninputs kept in ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
