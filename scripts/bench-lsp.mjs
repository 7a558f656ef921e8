#!/usr/bin/env node
// Part of `npm run bench`: the language server (`sidecar-lint --lsp`, the built bin) driven over
// stdio by the protocol's client library. Rows: diagnostics for a 2,000-line manifest after a
// change (typing in a value in the middle): the time from sending `didChange` to receiving
// `publishDiagnostics` for that version or a later one (median, 95th percentile and slowest of
// BENCH_LSP_CHANGES changes after a warm-up), for
// - typing: a change every 100 ms whatever the server does, with a pause of 400 ms (the full,
//   cross-file pass runs) every tenth change; the server's default debounce;
// - back to back: the next change as soon as the diagnostics of the last one arrive, with the
//   default debounce (changes closer than it are gathered) and with none (the lint and the round
//   trip alone).
// The workspace also holds the corpus, so the cross-file pass has an index to go through. Not a
// test: it prints figures (the target: within 50 ms of a change).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/sidecar-lint.js');
const changes = Number(process.env.BENCH_LSP_CHANGES ?? 30);
const corpus = path.resolve(root, process.env.BENCH_CORPUS ?? '../shared/corpus');
if (!existsSync(path.join(root, 'dist/sidecar-lint.cjs'))) spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

/** A multi-document manifest of about `lines` lines: Deployments with sidecars, env vars, Services, Secrets. */
function manifest(lines) {
  const docs = [];
  let n = 0;
  let count = 0;
  while (count < lines) {
    const doc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${n}
  labels: {app: app-${n}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${n}}
  template:
    metadata:
      labels: {app: app-${n}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${n}:1.${n}.0
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: app-${n}-db, key: password}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
        - name: proxy
          image: envoyproxy/envoy:v1.30.1
          ports:
            - containerPort: 9901
---
apiVersion: v1
kind: Service
metadata:
  name: app-${n}
spec:
  selector: {app: app-${n}}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: Secret
metadata:
  name: app-${n}-db
type: Opaque
data:
  username: YWRtaW4=
`;
    docs.push(doc);
    count += doc.split('\n').length;
    n++;
  }
  return docs.join('---\n');
}

const text = manifest(2000);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-bench-lsp-'));
mkdirSync(path.join(tmp, '.git'));
if (existsSync(corpus)) cpSync(corpus, path.join(tmp, 'corpus'), { recursive: true, filter: (f) => !f.includes('PEER_LABELS') });
const file = path.join(tmp, 'big.yaml');
writeFileSync(file, text);
const uri = pathToFileURL(file).href;

/** The figures of one row: `mode` is 'typing' or 'back-to-back'. */
async function measure(debounceMs, mode) {
  const child = spawn(process.execPath, [bin, '--lsp'], { cwd: tmp, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // Versions sent and not yet answered: a publish answers every version up to its own (a change
  // gathered with later ones is answered by their diagnostics).
  const waiting = new Map();
  let findings = 0;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri !== uri) return;
    findings = p.diagnostics.length;
    const now = process.hrtime.bigint();
    for (const [version, resolve] of waiting) {
      if (version > p.version) continue;
      waiting.delete(version);
      resolve(now);
    }
  });
  let indexed;
  const index = new Promise((resolve) => (indexed = resolve));
  connection.onNotification(LogMessageNotification.type, (m) => {
    if (m.message.includes('indexed')) indexed();
  });
  connection.listen();
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(tmp).href,
    capabilities: {},
    ...(debounceMs === undefined ? {} : { initializationOptions: { debounceMs } }),
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const opened = published(1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await opened;
  // The workspace index is built in the background: measure once it is.
  await index;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const times = [];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const at = text.indexOf('value: info', text.length / 2);
  const pending = [];
  let next = performance.now();
  for (let i = 0; i < changes + 3; i++) {
    const version = i + 2;
    // Typing: a value in the middle of the file changes.
    const changed = `${text.slice(0, at)}value: info-${i}${text.slice(at + 'value: info'.length)}`;
    const done = published(version);
    const start = process.hrtime.bigint();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: changed }] });
    const timed = done.then((end) => {
      if (i >= 3) times.push(Number(end - start) / 1e6);
    });
    if (mode === 'back-to-back') await timed;
    else {
      pending.push(timed);
      next += i % 10 === 9 ? 400 : 100;
      await sleep(Math.max(0, next - performance.now()));
    }
  }
  await Promise.all(pending);
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
  times.sort((a, b) => a - b);
  const at_ = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { median: at_(0.5), p95: at_(0.95), max: times[times.length - 1], findings };
}

const lines = text.split('\n').length;
const typing = await measure(undefined, 'typing');
const backToBack = await measure(undefined, 'back-to-back');
const without = await measure(0, 'back-to-back');
const f = (x) => x.toFixed(1).padStart(6);
const row = (label, r) => console.log(`${label.padEnd(44)}${f(r.median)} ms median, ${f(r.p95)} ms p95, ${f(r.max)} ms slowest`);
console.log(`\nlanguage server (--lsp), ${changes} changes of a ${lines}-line manifest (${typing.findings} diagnostics), workspace with ${existsSync(corpus) ? 'the corpus' : 'no other files'}:`);
row('diagnostics after a change, typing:', typing);
console.log('  (a change every 100 ms, a 400 ms pause every tenth; default debounce; target <= 50 ms)');
row('  back to back, default debounce:', backToBack);
row('  back to back, no debounce:', without);
rmSync(tmp, { recursive: true, force: true });
