/**
 * `sidecar-lint --lsp` driven over stdio by the protocol's own client library
 * (vscode-languageserver-protocol): initialize, didOpen, publishDiagnostics with exact ranges,
 * didChange, cross-file findings kept fresh from didChangeWatchedFiles, config reload, codeAction
 * ("suppress with a reason", applied), hover, shutdown/exit and no process left behind. Spawns the
 * built bin (SLOW in vitest.config.ts). No timing is asserted: waits are hang guards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

const BIN = path.resolve(import.meta.dirname, '../../bin/sidecar-lint.js');

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: registry.example.com/web:1.0.0
          env:
            - name: DB_PASSWORD
              value: hunter2-hunter2
            - name: API_TOKEN
              valueFrom:
                secretKeyRef:
                  name: web-secrets
                  key: api-token
`;
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secrets\ntype: Opaque\nstringData:\n  other: x\n';

/** Resolves once `ok()` holds (polled), or after a minute (a hang guard: the assertions that follow then say what differs). */
function until(ok: () => boolean): Promise<void> {
  const end = Date.now() + 60_000;
  return new Promise((resolve) => {
    const poll = () => (ok() || Date.now() > end ? resolve() : setTimeout(poll, 20));
    poll();
  });
}

/** Applies LSP text edits to a text (edits do not overlap). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('sidecar-lint --lsp with the protocol client library', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-lsp-'));
  const deployUri = pathToFileURL(path.join(dir, 'deploy.yaml')).href;
  const secretFile = path.join(dir, 'secret.yaml');
  const configFile = path.join(dir, '.sidecar-lint.yaml');
  let child: ChildProcess;
  let connection: ProtocolConnection;
  let stderr = '';
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters: (() => void)[] = [];
  const registrations: unknown[] = [];
  const messages: string[] = [];

  /** Waits until the latest diagnostics of `uri` satisfy `ok` (a hang guard, not a time limit). */
  function diagnostics(uri: string, ok: (p: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${what}; last: ${JSON.stringify(latest.get(uri))}; stderr: ${stderr}`)), 60_000);
      const check = () => {
        const p = latest.get(uri);
        if (p && ok(p)) {
          clearTimeout(timer);
          resolve(p);
          return true;
        }
        return false;
      };
      if (!check()) waiters.push(() => void check());
    });
  }
  const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}`).sort();

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, 'deploy.yaml'), DEPLOY);
    fs.writeFileSync(secretFile, SECRET);
    fs.writeFileSync(configFile, 'rules:\n  secret-env-var: info\n');
    child = spawn(process.execPath, [BIN, '--lsp'], { cwd: os.tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      latest.set(p.uri, p);
      for (const w of [...waiters]) w();
    });
    connection.onRequest(RegistrationRequest.type, (p) => {
      registrations.push(...p.registrations);
    });
    connection.onNotification(ShowMessageNotification.type, (m) => {
      messages.push(m.message);
    });
    connection.listen();
  });

  afterAll(() => {
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('initializes with the workspace folder and registers its file watchers', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'ws' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    expect(result.capabilities.hoverProvider).toBe(true);
    expect(result.capabilities.codeActionProvider).toBeTruthy();
    expect(result.serverInfo?.name).toBe('sidecar-lint');
    await connection.sendNotification(InitializedNotification.type, {});
    await until(() => registrations.length > 0);
    expect(JSON.stringify(registrations)).toContain('workspace/didChangeWatchedFiles');
  });

  it('publishes diagnostics on open, with exact ranges, severities, code and codeDescription, cross-file included', async () => {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: deployUri, languageId: 'yaml', version: 1, text: DEPLOY } });
    // missing-reference-key needs the Secret in secret.yaml (not open): the workspace index.
    const p = await diagnostics(deployUri, (d) => d.version === 1 && d.diagnostics.some((x) => x.code === 'missing-reference-key'), 'open');
    expect(codes(p)).toEqual(['env-literal-secret@18', 'missing-reference-key@24', 'secret-env-var@20']);
    const literal = p.diagnostics.find((d) => d.code === 'env-literal-secret')!;
    expect(literal.range).toEqual({ start: { line: 17, character: 14 }, end: { line: 18, character: 36 } });
    expect(literal.severity).toBe(1);
    expect(literal.source).toBe('sidecar-lint');
    expect(literal.codeDescription?.href).toMatch(/\/rules\/env-literal-secret\.md$/);
    expect(literal.message).not.toContain('hunter2');
    const missing = p.diagnostics.find((d) => d.code === 'missing-reference-key')!;
    expect(missing.range).toEqual({ start: { line: 23, character: 18 }, end: { line: 23, character: 32 } });
    expect(p.diagnostics.find((d) => d.code === 'secret-env-var')!.severity).toBe(3); // info, from the config
  });

  it('updates them on change (the finding fixed in the editor goes away)', async () => {
    const text = DEPLOY.replace('              value: hunter2-hunter2\n', '              value: "8080"\n').replace('DB_PASSWORD', 'PORT');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: deployUri, version: 2 }, contentChanges: [{ text }] });
    const p = await diagnostics(deployUri, (d) => d.version === 2, 'change');
    expect(codes(p)).toEqual(['missing-reference-key@24', 'secret-env-var@20']);
    // An incremental change: the literal is back (line 19, the value).
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: deployUri, version: 3 },
      contentChanges: [
        { range: { start: { line: 17, character: 20 }, end: { line: 17, character: 24 } }, text: 'DB_PASSWORD' },
        { range: { start: { line: 18, character: 21 }, end: { line: 18, character: 27 } }, text: 'hunter2-hunter2' },
      ],
    });
    const back = await diagnostics(deployUri, (d) => d.version === 3, 'incremental change');
    expect(codes(back)).toEqual(['env-literal-secret@18', 'missing-reference-key@24', 'secret-env-var@20']);
  });

  it('keeps cross-file findings fresh from watched-file changes', async () => {
    const secretUri = pathToFileURL(secretFile).href;
    // Deleted: no Secret of that name in the workspace, so the reference is not checked.
    fs.rmSync(secretFile);
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: secretUri, type: FileChangeType.Deleted }] });
    let p = await diagnostics(deployUri, (d) => !d.diagnostics.some((x) => x.code === 'missing-reference-key'), 'secret deleted');
    expect(codes(p)).toEqual(['env-literal-secret@18', 'secret-env-var@20']);
    // Created again, still without the key.
    fs.writeFileSync(secretFile, SECRET);
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: secretUri, type: FileChangeType.Created }] });
    await diagnostics(deployUri, (d) => d.diagnostics.some((x) => x.code === 'missing-reference-key'), 'secret created again');
    // Changed: the key added.
    fs.writeFileSync(secretFile, SECRET.replace('  other: x\n', '  other: x\n  api-token: x\n'));
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: secretUri, type: FileChangeType.Changed }] });
    p = await diagnostics(deployUri, (d) => !d.diagnostics.some((x) => x.code === 'missing-reference-key'), 'key added on disk');
    expect(codes(p)).toEqual(['env-literal-secret@18', 'secret-env-var@20']);
    // And removed again, for the tests below.
    fs.writeFileSync(secretFile, SECRET);
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: secretUri, type: FileChangeType.Changed }] });
    await diagnostics(deployUri, (d) => d.diagnostics.some((x) => x.code === 'missing-reference-key'), 'key removed on disk');
  });

  it('reloads the config when it changes', async () => {
    fs.writeFileSync(configFile, 'rules:\n  secret-env-var: off\n  env-literal-secret: warning\n');
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(configFile).href, type: FileChangeType.Changed }] });
    const p = await diagnostics(deployUri, (d) => !d.diagnostics.some((x) => x.code === 'secret-env-var'), 'config reloaded');
    expect(codes(p)).toEqual(['env-literal-secret@18', 'missing-reference-key@24']);
    expect(p.diagnostics.find((d) => d.code === 'env-literal-secret')!.severity).toBe(2);
    // A broken config is shown on the config file; the last good one stays in use.
    fs.writeFileSync(configFile, 'rules:\n  no-such-rule: off\n');
    const configUri = pathToFileURL(configFile).href;
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Changed }] });
    const problems = await diagnostics(configUri, (d) => d.diagnostics.length > 0, 'config problem');
    expect(problems.diagnostics[0]!.message).toMatch(/no-such-rule/);
    expect(problems.diagnostics[0]!.range.start.line).toBe(1);
    await until(() => messages.length > 0);
    expect(messages.join('\n')).toMatch(/the config has a problem .*no-such-rule.*the last good config stays in use/);
    expect(codes(latest.get(deployUri)!)).toEqual(['env-literal-secret@18', 'missing-reference-key@24']);
    fs.writeFileSync(configFile, 'rules:\n  secret-env-var: off\n  env-literal-secret: warning\n');
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Changed }] });
    await diagnostics(configUri, (d) => d.diagnostics.length === 0, 'config problem cleared');
  });

  it('offers "suppress with a reason", whose edit suppresses the finding', async () => {
    const shown = latest.get(deployUri)!;
    const literal = shown.diagnostics.find((d) => d.code === 'env-literal-secret') as Diagnostic;
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: deployUri },
      range: literal.range,
      context: { diagnostics: [literal] },
    })) as CodeAction[];
    const suppress = actions.find((a) => a.title.startsWith('Suppress env-literal-secret'));
    expect(suppress, JSON.stringify(actions)).toBeDefined();
    expect(suppress!.kind).toBe('quickfix');
    const edits = suppress!.edit!.changes![deployUri]!;
    expect(edits).toEqual([
      {
        range: { start: { line: 17, character: 0 }, end: { line: 17, character: 0 } },
        newText: '            # sidecar-lint-disable-next-line env-literal-secret -- TODO: say why this finding is accepted\n',
      },
    ]);
    const text = applyEdits(DEPLOY, edits);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: deployUri, version: 10 }, contentChanges: [{ text }] });
    const p = await diagnostics(deployUri, (d) => d.version === 10, 'suppressed');
    expect(codes(p)).toEqual(['missing-reference-key@25']);
  });

  it("offers a rule's fix, whose edit removes the finding and keeps the rest of the file", async () => {
    const uri = pathToFileURL(path.join(dir, 'plain.yaml')).href;
    const before = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db  # the database\ndata:\n  root_password: password\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: before } });
    const p = await diagnostics(uri, (d) => d.version === 1 && d.diagnostics.some((x) => x.code === 'secret-data-plaintext'), 'plain text in data');
    const plain = p.diagnostics.find((d) => d.code === 'secret-data-plaintext') as Diagnostic;
    const actions = (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: plain.range, context: { diagnostics: [plain] } })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Fix: '));
    expect(fix, JSON.stringify(actions)).toBeDefined();
    expect(fix!.title).toMatch(/stringData.*\(changes how the workload runs\)$/);
    expect(fix!.isPreferred).toBe(false);
    const text = applyEdits(before, fix!.edit!.changes![uri]!);
    expect(text).toBe('apiVersion: v1\nkind: Secret\nmetadata:\n  name: db  # the database\nstringData:\n  root_password: password\n');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    const after = await diagnostics(uri, (d) => d.version === 2, 'fixed');
    expect(codes(after)).not.toContain('secret-data-plaintext@6');
  });

  it('shows the rule explanation on hover over a diagnostic, nothing elsewhere', async () => {
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: deployUri }, position: { line: 24, character: 22 } });
    const value = (hover?.contents as { kind: string; value: string }).value;
    expect((hover?.contents as { kind: string }).kind).toBe('markdown');
    expect(value).toContain('**missing-reference-key** (error)');
    expect(value).toContain(fs.readFileSync(path.resolve(import.meta.dirname, '../../rules/missing-reference-key.md'), 'utf8').trim().split('\n')[0]);
    const none = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: deployUri }, position: { line: 0, character: 0 } });
    expect(none).toBeNull();
  });

  it('clears diagnostics on close, and ends on shutdown and exit with no process left', async () => {
    await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: deployUri } });
    await diagnostics(deployUri, (d) => d.diagnostics.length === 0, 'close');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
    expect(() => process.kill(child.pid!, 0)).toThrow();
    expect(stderr).toBe('');
  });
});

describe('sidecar-lint --lsp agrees with the CLI on a workspace of fixtures', () => {
  const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-lsp-agree-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('publishes, for each open file, the findings the CLI reports for it (cross-file and main containers decided by Services included), before and after a change', async () => {
    fs.mkdirSync(path.join(dir, '.git'));
    // Several rules' fixtures in one workspace: cross-file facts meet across them.
    const files: string[] = [];
    for (const rule of ['missing-reference-key', 'exposed-secret-sidecar', 'secret-in-main-container', 'main-container-token', 'default-container-missing']) {
      for (const f of fs.readdirSync(path.join(FIXTURES, rule))) {
        if (!/\.(ya?ml|json)$/.test(f)) continue;
        fs.mkdirSync(path.join(dir, rule), { recursive: true });
        fs.copyFileSync(path.join(FIXTURES, rule, f), path.join(dir, rule, f));
        files.push(`${rule}/${f}`);
      }
    }
    const open = files.filter((_, i) => i % 2 === 0);
    const cliFindings = () => {
      const r = spawnSync(process.execPath, [BIN, '--no-render', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
      return (JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; line: number; column: number; endLine: number; endColumn: number }[] }).findings;
    };
    const cliKeys = (findings: ReturnType<typeof cliFindings>, file: string) =>
      findings.filter((f) => f.file === file).map((f) => `${f.ruleId}@${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1}`).sort();
    const lspKeys = (p: PublishDiagnosticsParams | undefined) =>
      (p?.diagnostics ?? []).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

    const child = spawn(process.execPath, [BIN, '--lsp'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const latest = new Map<string, PublishDiagnosticsParams>();
    let indexed = 0;
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => void latest.set(p.uri, p));
    connection.onNotification(LogMessageNotification.type, (m) => {
      if (m.message.includes('indexed')) indexed++;
    });
    connection.listen();
    try {
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      const uri = (f: string) => pathToFileURL(path.join(dir, f)).href;
      for (const f of open) {
        await connection.sendNotification(DidOpenTextDocumentNotification.type, {
          textDocument: { uri: uri(f), languageId: f.endsWith('.json') ? 'json' : 'yaml', version: 1, text: fs.readFileSync(path.join(dir, f), 'utf8') },
        });
      }
      const expected = cliFindings();
      expect(expected.some((f) => ['missing-reference-key', 'exposed-secret-sidecar'].includes(f.ruleId) && open.includes(f.file))).toBe(true);
      const agree = () => open.every((f) => JSON.stringify(lspKeys(latest.get(uri(f)))) === JSON.stringify(cliKeys(expected, f)));
      await until(() => indexed > 0 && agree());
      for (const f of open) expect(lspKeys(latest.get(uri(f))), f).toEqual(cliKeys(expected, f));

      // A change that alters the relations between files: the Secret a reference names goes away
      // from an open file, in the editor and on disk alike.
      const target = open.find((f) => /kind: Secret\n/.test(fs.readFileSync(path.join(dir, f), 'utf8')) && cliKeys(expected, f).length > 0) ?? open[0]!;
      const changed = fs.readFileSync(path.join(dir, target), 'utf8').replace(/kind: Secret\n/g, 'kind: Secretless\n');
      fs.writeFileSync(path.join(dir, target), changed);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(target), version: 2 }, contentChanges: [{ text: changed }] });
      const after = cliFindings();
      await until(() => latest.get(uri(target))?.version === 2 && open.every((f) => JSON.stringify(lspKeys(latest.get(uri(f)))) === JSON.stringify(cliKeys(after, f))));
      for (const f of open) expect(lspKeys(latest.get(uri(f))), f).toEqual(cliKeys(after, f));

      // Changes in quick succession (gathered, each document of the file linted again only when it
      // changed): documents added before and after, a value typed in, one document removed.
      const cm = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typed}\ndata:\n  API_TOKEN: ${value}\n`;
      const versions = [
        `${changed}---\n${cm('tok-abcdefgh')}`,
        `${changed}---\n${cm('tok-abcdefgh12345678')}`,
        `${cm('first-doc')}---\n${changed}---\n${cm('tok-abcdefgh12345678')}`,
        `${changed}---\n${cm('tok-abcdefgh12345678')}`,
      ];
      versions.forEach((text, i) => {
        void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(target), version: 3 + i }, contentChanges: [{ text }] });
      });
      const last = 2 + versions.length;
      fs.writeFileSync(path.join(dir, target), versions[versions.length - 1]!);
      const typed = cliFindings();
      expect(cliKeys(typed, target).some((k) => k.startsWith('configmap-sensitive-data@'))).toBe(true);
      await until(() => latest.get(uri(target))?.version === last && open.every((f) => JSON.stringify(lspKeys(latest.get(uri(f)))) === JSON.stringify(cliKeys(typed, f))));
      for (const f of open) expect(lspKeys(latest.get(uri(f))), f).toEqual(cliKeys(typed, f));
    } finally {
      connection.dispose();
      child.kill();
    }
    expect(stderr).toBe('');
  });
});
