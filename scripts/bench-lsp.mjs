#!/usr/bin/env node
// Part of `npm run bench`: the language server (`sidecar-lint --lsp`, the built bin) driven over
// stdio by the protocol's client library. Row: diagnostics for a 2,000-line manifest after a
// change (typing in a value in the middle), the time from sending `didChange` to receiving `publishDiagnostics` for that version
// (median and slowest of BENCH_LSP_CHANGES changes after a warm-up), with the server's default
// debounce and with none (the lint and the round trip alone). The workspace also holds the
// corpus's first manifests, so the cross-file pass has an index to go through. Not a test: it
// prints figures (the target: within 50 ms of a change).
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

async function measure(debounceMs) {
  const child = spawn(process.execPath, [bin, '--lsp'], { cwd: tmp, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  let findings = 0;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri !== uri) return;
    findings = p.diagnostics.length;
    waiting.get(p.version)?.(process.hrtime.bigint());
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
  for (let i = 0; i < changes + 3; i++) {
    const version = i + 2;
    // Typing: a value in the middle of the file changes.
    const at = text.indexOf('value: info', text.length / 2);
    const changed = `${text.slice(0, at)}value: info-${i}${text.slice(at + 'value: info'.length)}`;
    const done = published(version);
    const start = process.hrtime.bigint();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: changed }] });
    const end = await done;
    if (i >= 3) times.push(Number(end - start) / 1e6);
  }
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1], findings };
}

const lines = text.split('\n').length;
const withDebounce = await measure(undefined);
const without = await measure(0);
const f = (x) => x.toFixed(1).padStart(6);
console.log(`\nlanguage server (--lsp), ${changes} changes of a ${lines}-line manifest (${withDebounce.findings} diagnostics), workspace with ${existsSync(corpus) ? 'the corpus' : 'no other files'}:`);
console.log(`diagnostics after a change:    ${f(withDebounce.median)} ms median, ${f(withDebounce.max)} ms slowest  (default debounce; target <= 50 ms)`);
console.log(`  the same without debounce:   ${f(without.median)} ms median, ${f(without.max)} ms slowest`);
rmSync(tmp, { recursive: true, force: true });
