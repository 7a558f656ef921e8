/**
 * `sidecar-lint --lsp`: a language server over standard input and output, built on
 * `vscode-languageserver` (bundled; loaded only with --lsp, see cli.ts).
 *
 * - Diagnostics for every open YAML or JSON document, on open and on change (changes in quick
 *   succession gathered, see `changed`), with the findings' exact ranges, their severities, the
 *   rule id as `code` and the rule's doc as `codeDescription`. Suppressed findings are not shown.
 * - The config is found as the CLI finds it, from the workspace root (the first workspace folder,
 *   else the server's working directory), or named with --config; it is read again when a watched
 *   config file changes or an open one is saved. Its problems are shown on the config file.
 * - Cross-file rules see the workspace: every manifest under the root (discovered as the CLI does,
 *   without rendering; Helm charts skipped) is linted once into an index of its deferred facts,
 *   kept fresh from `workspace/didChangeWatchedFiles` (and from saves, for clients that do not
 *   watch). An open document's own text replaces its file's. `lintEach` lints, and the full pass
 *   takes the CLI's cross-file steps (`crossFile`, lint-files.ts) with every lint cached (see lintOpenDocuments).
 * - Two passes after a change: a quick one lints only the changed document, with the cross-file
 *   context (main containers decided by Services, cross-file reports) of the last full pass, and
 *   publishes; the full pass (up to three lints of a document with cross-file findings) follows
 *   once typing pauses and publishes again only where it differs, which happens only when the
 *   change altered the relations between files. Every lint of an open document goes through its
 *   LintMemo (lint-chunks.ts): only the documents (`---` parts) of the file that changed are
 *   linted again, so a keystroke in a 2,000-line file costs the lint of one document.
 * - Code actions: "suppress with a reason" (a `sidecar-lint-disable-next-line` comment with a
 *   placeholder reason) and the rule's fix through the hook in lsp-actions.ts. Hover on a diagnostic
 *   shows the rule's explanation (rules/<id>.md, as --explain prints it).
 *
 * Room app: must not import .
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type TextEdit,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { builtinRules } from '../../rules/index.js';
import { lintOptionsFor, ruleDoc, setup, type CliIO, type CliOptions, type RunContext, type Setup } from './cli.js';
import { CONFIG_FILE_NAMES, formatConfigProblem, repositoryRootOf, type ConfigProblem } from '../config/load.js';
import { discover, displayPath } from '../input/discover.js';
import { lintText, type LateReport } from '../run/engine.js';
import { ENGINE_RULES, lintOptionsCopy, type LintOptions } from '../config/lint-options.js';
import { ignoreRules, isIgnored, type IgnoreRule } from '../input/glob.js';
import { crossFile, lintEach, type FileOutcome, type LintInput, type OwnMains } from '../run/lint-files.js';
import { LintMemo } from '../run/lint-chunks.js';
import { contains, fixAction, hoverMarkdown, setFixProvider, SOURCE, suppressAction, toDiagnostic } from './lsp-actions.js';
import { applyFixEdits, checkFix, fixOf } from '../run/fix.js';
import { prepareInputs } from '../input/render/index.js';
import { emptyStats, type FileResult, type Finding } from '../types.js';

/**
 * Changes are gathered (ms; `initializationOptions.debounceMs` sets it): the first change after a
 * quiet spell is linted at once, and changes that follow are linted together, at most this long
 * after the previous lint started.
 */
const DEFAULT_DEBOUNCE_MS = 30;
/** How long the full pass (cross-file relations) waits for a pause in typing after a quick pass (ms). */
const FULL_PASS_DELAY_MS = 250;
/** At most this many workspace files are indexed for cross-file rules (a bigger root is likely not one repository). */
const MAX_INDEX_FILES = 20_000;

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const KUSTOMIZATION_FILE = /^(kustomization\.ya?ml|Kustomization)$/;

interface IndexEntry {
  input: LintInput;
  outcome: FileOutcome;
  /** When the file was linted: reused by a rescan when its size and time are the same. */
  stamp: string;
  /** Its outcome with the main containers that Services decide for it (`key`: that decision). */
  decided?: { key: string; outcome: FileOutcome };
}

/** The cross-file context a document was linted with, as a key. */
function contextKey(own: OwnMains, late: readonly LateReport[]): string {
  return JSON.stringify([own, late]);
}

interface OpenLint {
  version: number;
  outcome: FileOutcome;
}

function stampOf(absolute: string): string {
  try {
    const s = statSync(absolute);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Whether a file is inside a Helm chart (a directory with Chart.yaml at or above it, up to `top`): templates are not plain YAML. */
function inHelmChart(absolute: string, top: string | undefined): boolean {
  for (let dir = path.dirname(absolute); ; ) {
    if (existsSync(path.join(dir, 'Chart.yaml'))) return true;
    if (dir === top) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** A file that could not be read: no findings and no facts (the CLI reports it; the editor shows nothing for it). */
const EMPTY_RESULT: FileResult = { file: '', findings: [], stats: emptyStats() };

function resultOf(outcome: FileOutcome): FileResult {
  return 'result' in outcome ? outcome.result : EMPTY_RESULT;
}

/** An outcome as `crossFile` takes a lint: its result, or why the file could not be read. */
function resultOr(outcome: FileOutcome): FileResult | string {
  return 'result' in outcome ? outcome.result : outcome.problem;
}

/** The outcome without its findings: a closed file's findings are never shown, only its facts matter. */
function factsOnly(outcome: FileOutcome): FileOutcome {
  return 'result' in outcome ? { result: { ...outcome.result, findings: [] } } : outcome;
}

class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private root: string;
  private setupResult: Setup | undefined;
  private lintOptions: LintOptions | undefined;
  private ignores: IgnoreRule[] = [];
  private patchFiles = new Set<string>();
  private readonly index = new Map<string, IndexEntry>();
  private indexGeneration = 0;
  private readonly openLints = new Map<string, OpenLint>();
  /** What was last published per document URI: its findings (for hover) and the diagnostics' JSON (to skip repeats). */
  private readonly published = new Map<string, { findings: Finding[]; key: string }>();
  private configProblemUris = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private fullPass: NodeJS.Timeout | undefined;
  /** The cross-file context of each open document at the last full pass (by URI), for the quick pass. */
  private readonly contexts = new Map<string, { version: number; overrides: ReadonlyMap<string, string>; own: OwnMains; late: readonly LateReport[] }>();
  /** The quick pass's result per open document (URI), with the context it had, for the full pass to reuse. */
  private readonly quickResults = new Map<string, { version: number; key: string; findings: Finding[] }>();
  /** Open documents' lints with the main containers that Services decide (URI → version, decision, outcome). */
  private readonly openDecided = new Map<string, { version: number; key: string; outcome: FileOutcome }>();
  /** Each open document's last lint by parts (URI → memo), so that a change lints only the documents it touched. */
  private readonly memos = new Map<string, LintMemo>();
  private debounceMs = DEFAULT_DEBOUNCE_MS;
  private documented = new Set<string>([...builtinRules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)]);

  constructor(
    private readonly connection: Connection,
    private readonly options: CliOptions,
    private readonly io: CliIO,
    private readonly context: RunContext,
  ) {
    this.root = io.cwd;
    setFixProvider({ fix: (request) => this.ruleFix(request.uri, request.text, request.diagnostic) });
  }

  /**
   * A rule's fix for a published diagnostic, as one edit of the whole document: the finding's fix
   * (safe or unsafe: the editor's user picks it), applied byte-preserving and checked by linting the
   * fixed text again, as `--fix` does.
   */
  private ruleFix(uri: string, text: string, diagnostic: Diagnostic): { title: string; edits: TextEdit[]; safe: boolean } | undefined {
    const options = this.lintOptions;
    const shown = this.published.get(uri);
    if (!options || !shown) return undefined;
    const line = diagnostic.range.start.line + 1;
    const finding = shown.findings.find((f) => f.ruleId === diagnostic.code && f.line === line && f.message === diagnostic.message);
    const fix = finding && fixOf(finding, { unsafe: true });
    if (!finding || !fix) return undefined;
    const edited = applyFixEdits(text, fix);
    if ('problem' in edited) return undefined;
    const display = this.displayOf(uri);
    if (checkFix(lintText(text, display, options).findings, lintText(edited.text, display, options).findings, finding, fix) !== undefined) return undefined;
    const breaks = text.split(/\r\n|\r|\n/);
    const end = { line: breaks.length - 1, character: breaks[breaks.length - 1]!.length };
    const title = `Fix: ${fix.title}${fix.kind === 'unsafe' ? ' (changes how the workload runs)' : ''}`;
    return { title, edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: edited.text }], safe: fix.kind === 'safe' };
  }

  start(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.initialized());
    this.documents.onDidOpen((e) => {
      this.openLints.delete(e.document.uri);
      this.schedule(0);
    });
    this.documents.onDidChangeContent((e) => {
      this.openLints.delete(e.document.uri);
      this.changed();
    });
    this.documents.onDidClose((e) => {
      this.openLints.delete(e.document.uri);
      this.contexts.delete(e.document.uri);
      this.quickResults.delete(e.document.uri);
      this.openDecided.delete(e.document.uri);
      this.memos.delete(e.document.uri);
      this.published.delete(e.document.uri);
      if (!this.configProblemUris.has(e.document.uri)) void c.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      this.schedule(this.debounceMs); // cross-file findings in other documents may change (the file's text on disk counts again)
    });
    this.documents.onDidSave((e) => void this.filesChanged([{ uri: e.document.uri, type: FileChangeType.Changed }]));
    c.onDidChangeWatchedFiles((params) => void this.filesChanged(params.changes));
    c.onCodeAction((params) => {
      const doc = this.documents.get(params.textDocument.uri);
      if (!doc) return [];
      const text = doc.getText();
      const isJson = this.isJson(doc);
      const actions: CodeAction[] = [];
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const fix = fixAction(doc.uri, text, d);
        if (fix) actions.push(fix);
        const suppress = suppressAction(doc.uri, text, d, isJson);
        if (suppress) actions.push(suppress);
      }
      return actions;
    });
    c.onHover((params) => {
      const shown = this.published.get(params.textDocument.uri);
      const doc = this.documents.get(params.textDocument.uri);
      if (!shown || !doc) return null;
      const bom = doc.getText().startsWith('\uFEFF');
      const under = shown.findings.filter((f) => contains(toDiagnostic(f, () => false, bom).range, params.position));
      if (under.length === 0) return null;
      return { contents: { kind: 'markdown', value: hoverMarkdown(under, (id) => this.explain(id)) } };
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const rootPath = (folder && filePath(folder)) ?? params.rootPath ?? undefined;
    if (rootPath && existsSync(rootPath)) this.root = path.resolve(rootPath);
    const init = params.initializationOptions as { debounceMs?: unknown } | undefined;
    if (typeof init?.debounceMs === 'number' && init.debounceMs >= 0 && init.debounceMs <= 10_000) this.debounceMs = init.debounceMs;
    this.watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
      },
      serverInfo: { name: 'sidecar-lint' },
    };
  }

  private watchRegistration = false;

  private async initialized(): Promise<void> {
    if (this.watchRegistration) {
      await this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/.sidecar-lint.{yaml,yml,json}' }, { globPattern: '**/Kustomization' }],
        })
        .catch(() => undefined);
    }
    await this.loadConfig();
    this.schedule(0);
    await this.rebuildIndex();
  }

  /** Finds and reads the config as the CLI does (from the workspace root); on a problem, keeps the last good one (or none). */
  private async loadConfig(): Promise<void> {
    const io = { ...this.io, cwd: this.root };
    let s = await setup(this.options, io, this.context);
    const previous = this.configProblemUris;
    this.configProblemUris = new Set();
    if (Array.isArray(s)) {
      const problems = s;
      this.publishConfigProblems(problems);
      const first = problems[0]!;
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Error,
        message: `sidecar-lint: the config has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} (${formatConfigProblem(first)}); ${
          this.setupResult ? 'the last good config stays in use' : 'linting without a config'
        }.`,
      });
      if (this.setupResult) s = this.setupResult;
      else {
        const fallback = await setup({ ...this.options, config: undefined, noConfig: true }, io, this.context);
        if (Array.isArray(fallback)) return; // only --rule problems, reported above
        s = fallback;
      }
    }
    for (const uri of previous) if (!this.configProblemUris.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.setupResult = s;
    const configDir = s.config.file ? path.dirname(s.config.file) : this.root;
    this.ignores = [...ignoreRules(configDir, s.config.ignore), ...ignoreRules(this.root, this.options.ignorePatterns)];
    this.updateLintOptions();
  }

  private publishConfigProblems(problems: readonly ConfigProblem[]): void {
    const byUri = new Map<string, Diagnostic[]>();
    for (const p of problems) {
      if (p.file === '--rule') continue;
      const uri = pathToFileURL(path.resolve(this.root, p.file)).href;
      const line = Math.max(0, p.line - 1);
      const character = Math.max(0, p.column - 1);
      const list = byUri.get(uri) ?? [];
      list.push({ range: { start: { line, character }, end: { line, character: character + 1 } }, severity: 1, source: SOURCE, message: p.message, ...(p.setting ? { code: 'config' } : {}) });
      byUri.set(uri, list);
    }
    for (const [uri, diagnostics] of byUri) {
      this.configProblemUris.add(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
  }

  private updateLintOptions(): void {
    if (!this.setupResult) return;
    this.lintOptions = lintOptionsFor(this.setupResult, this.options, false, this.patchFiles);
    this.openLints.clear();
    this.contexts.clear();
    this.quickResults.clear();
    this.openDecided.clear();
    for (const entry of this.index.values()) delete entry.decided;
  }

  private explain(id: string): string | undefined {
    const doc = ruleDoc(id);
    if (doc !== undefined) return doc;
    const rule = this.setupResult?.rules.find((r) => r.meta.id === id);
    return rule?.meta.description;
  }

  private isJson(doc: TextDocument): boolean {
    return doc.languageId === 'json' || doc.languageId === 'jsonc' || /\.json$/i.test(doc.uri);
  }

  /** Whether a document gets diagnostics: YAML or JSON, not a Helm chart's file, not ignored by the config. */
  private lintable(doc: TextDocument): boolean {
    const byLanguage = ['yaml', 'json', 'jsonc'].includes(doc.languageId);
    const file = filePath(doc.uri);
    if (!byLanguage && !(file && MANIFEST_FILE.test(file))) return false;
    if (!file) return true;
    if ((CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(file))) return false;
    if (inHelmChart(file, repositoryRootOf(path.dirname(file)) ?? (file.startsWith(this.root + path.sep) ? this.root : undefined))) return false;
    return !(this.ignores.length > 0 && isIgnored(file, this.ignores));
  }

  private displayOf(uri: string): string {
    const file = filePath(uri);
    return file ? displayPath(file, this.root) : uri;
  }

  /** Lints every workspace manifest (reusing what has not changed since) into the index. */
  private async rebuildIndex(): Promise<void> {
    const generation = ++this.indexGeneration;
    const options = this.lintOptions;
    if (!options) return;
    const { inputs } = await discover([this.root], this.root);
    if (generation !== this.indexGeneration) return;
    if (inputs.length > MAX_INDEX_FILES) {
      this.connection.console.warn(`sidecar-lint: ${inputs.length} manifests under ${this.root}; cross-file rules see only the open documents`);
      this.index.clear();
      this.schedule(0);
      return;
    }
    const prepared = await prepareInputs({
      inputs,
      explicit: new Set(),
      render: false,
      helm: { valuesFiles: [], set: [] },
      env: process.env,
      cwd: this.root,
      isIgnored: (absolute) => this.ignores.length > 0 && isIgnored(absolute, this.ignores),
    });
    if (generation !== this.indexGeneration) return;
    const patchesChanged = [...prepared.patchFiles].sort().join('\n') !== [...this.patchFiles].sort().join('\n');
    if (patchesChanged) {
      this.patchFiles = prepared.patchFiles;
      this.updateLintOptions();
    }
    const lintOptions = this.lintOptions!;
    const reusable = !patchesChanged && options === lintOptions;
    const previous = new Map(this.index);
    const next = new Map<string, IndexEntry>();
    let sliceStart = Date.now();
    for (const input of prepared.inputs) {
      if (input.absolute === undefined) continue;
      const stamp = stampOf(input.absolute);
      const old = previous.get(input.display);
      next.set(input.display, reusable && old && old.stamp === stamp ? old : { input, outcome: factsOnly(lintEach([input], lintOptions)[0]!), stamp });
      // Stay responsive: let requests and changes in between every few tens of milliseconds.
      if (Date.now() - sliceStart > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        if (generation !== this.indexGeneration || this.lintOptions !== lintOptions) return;
        sliceStart = Date.now();
      }
    }
    this.index.clear();
    for (const [k, v] of next) this.index.set(k, v);
    this.connection.console.info(`sidecar-lint: indexed ${next.size} manifests under ${this.root} for cross-file rules`);
    this.schedule(0);
  }

  private async filesChanged(changes: readonly { uri: string; type: number }[]): Promise<void> {
    let config = false;
    let rescan = false;
    const options = this.lintOptions;
    for (const change of changes) {
      const file = filePath(change.uri);
      if (!file) continue;
      const base = path.basename(file);
      if ((CONFIG_FILE_NAMES as readonly string[]).includes(base) || (this.options.config !== undefined && path.resolve(this.root, this.options.config) === file)) {
        config = true;
        continue;
      }
      if (!MANIFEST_FILE.test(base) && !KUSTOMIZATION_FILE.test(base) && base !== 'Chart.yaml') continue;
      const display = displayPath(file, this.root);
      const entry = this.index.get(display);
      if (change.type !== FileChangeType.Changed || KUSTOMIZATION_FILE.test(base) || base === 'Chart.yaml' || !entry) {
        if (file.startsWith(this.root + path.sep)) rescan = true;
        continue;
      }
      if (!options) continue;
      entry.outcome = factsOnly(lintEach([entry.input], options)[0]!);
      entry.stamp = stampOf(file);
      delete entry.decided;
    }
    if (config) {
      await this.loadConfig();
      rescan = true;
    }
    if (rescan) await this.rebuildIndex();
    else this.schedule(this.debounceMs);
  }

  /**
   * A document changed. Its diagnostics come at once when the server has not linted in the last
   * `debounceMs` (a keystroke after a pause: the lint of a change takes a few milliseconds, see
   * LintMemo, so waiting would only add to what the user waits for); otherwise changes are gathered
   * and linted together `debounceMs` after the previous lint started (fast typing, a paste arriving
   * as many changes). A pass already due lints the latest text: it is not put off.
   */
  private changed(): void {
    if (this.fullPass) clearTimeout(this.fullPass);
    this.fullPass = undefined;
    if (this.timer) return;
    this.schedule(Math.max(0, this.lastPass + this.debounceMs - performance.now()));
  }

  /** When the last pass started (`performance.now()`). */
  private lastPass = -Infinity;

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.fullPass) clearTimeout(this.fullPass);
    this.fullPass = undefined;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastPass = performance.now();
      const quick = this.quickPass();
      // After quick results, the full pass waits for a pause in typing (a change cancels it);
      // otherwise (a document just opened, a file or the config changed) it runs now.
      const run = () => {
        this.fullPass = undefined;
        this.lintOpenDocuments();
      };
      if (quick) this.fullPass = setTimeout(run, FULL_PASS_DELAY_MS);
      else this.fullPass = setTimeout(run, 0);
    }, delay);
  }

  /**
   * Lints each changed open document alone, with the cross-file context of the last full pass, and
   * publishes. True when it did so for every lintable document that changed (and for one at least):
   * false when a document has no context yet (just opened), or when nothing changed in the
   * documents (the trigger was a file or the config).
   */
  private quickPass(): boolean {
    const options = this.lintOptions;
    if (!options) return false;
    let linted = 0;
    for (const doc of this.documents.all()) {
      const context = this.contexts.get(doc.uri);
      if (context?.version === doc.version || !this.lintable(doc)) continue;
      if (!context) return false;
      linted++;
      const display = this.displayOf(doc.uri);
      const own = context.own;
      const withContext = own.length > 0 ? lintOptionsCopy(options, { mainOverrides: context.overrides }) : options;
      // The document's memo, not lintEach: the text is the editor's (nothing to read or decode), the
      // cross-file reports go with it, and only the documents (`---` parts) that changed are linted.
      const outcome: FileOutcome = { result: this.lintOpen(doc, display, withContext, context.late.length > 0 ? context.late : undefined) };
      // Without cross-file context this is the document's own lint, which the full pass needs too.
      if (own.length === 0 && context.late.length === 0) this.openLints.set(doc.uri, { version: doc.version, outcome });
      this.quickResults.set(doc.uri, { version: doc.version, key: contextKey(own, context.late), findings: outcome.result.findings });
      this.publish(doc, outcome.result.findings.filter((f) => !f.suppressed));
    }
    return linted > 0;
  }

  /**
   * The full pass: the cross-file steps the CLI takes (`crossFile` in lint-files.ts, which `finish`
   * calls), for the open documents only, with every lint cached. Phase one (each file alone) is cached per file and document version; the
   * main containers that Services decide (service-main.ts) are found over all files' facts, and the
   * files they concern are linted again with them (cached per file, version and decision); the
   * rules' cross-file checks run over the facts; an open document with cross-file reports is linted
   * with them (or its quick-pass result is used, when it had the same context). `finish` itself
   * would lint again every closed file that has a cross-file finding, on every change.
   */
  private lintOpenDocuments(): void {
    const options = this.lintOptions;
    if (!options) return;
    const open = this.documents.all().filter((d) => this.lintable(d));
    const openDisplays = new Map<string, TextDocument>();
    for (const d of open) openDisplays.set(this.displayOf(d.uri), d);
    interface Item {
      display: string;
      input: LintInput;
      phase1: FileOutcome;
      entry?: IndexEntry;
      doc?: TextDocument;
    }
    const items: Item[] = [];
    for (const [display, entry] of this.index) {
      if (!openDisplays.has(display)) items.push({ display, input: entry.input, phase1: entry.outcome, entry });
    }
    for (const [display, doc] of openDisplays) {
      const input: LintInput = { display, text: doc.getText() };
      let cached = this.openLints.get(doc.uri);
      if (!cached || cached.version !== doc.version) {
        cached = { version: doc.version, outcome: { result: this.lintOpen(doc, display, options) } };
        this.openLints.set(doc.uri, cached);
      }
      items.push({ display, input, phase1: cached.outcome, doc });
    }

    // The steps of `finish` (lint-files.ts), with every lint cached and cross-file reports kept for the open documents only.
    const cross = crossFile(
      items.map((item) => ({ display: item.display, result: resultOf(item.phase1) })),
      options,
      {
        wanted: (display) => openDisplays.has(display),
        withMains: (i, withMains, own) => {
          const item = items[i]!;
          const key = JSON.stringify(own);
          if (item.entry) {
            if (item.entry.decided?.key !== key) item.entry.decided = { key, outcome: factsOnly(lintEach([item.input], withMains)[0]!) };
            return resultOr(item.entry.decided.outcome);
          }
          const uri = item.doc!.uri;
          let cached = this.openDecided.get(uri);
          if (!cached || cached.version !== item.doc!.version || cached.key !== key) {
            cached = { version: item.doc!.version, key, outcome: { result: this.lintOpen(item.doc!, item.display, withMains) } };
            this.openDecided.set(uri, cached);
          }
          return resultOr(cached.outcome);
        },
        withReports: (i, withReports, reports, own) => {
          const doc = items[i]!.doc!;
          const key = contextKey(own, reports);
          const quick = this.quickResults.get(doc.uri);
          if (quick && quick.version === doc.version && quick.key === key) return { ...EMPTY_RESULT, file: items[i]!.display, findings: quick.findings };
          const findings = this.lintOpen(doc, items[i]!.display, withReports, reports).findings;
          this.quickResults.set(doc.uri, { version: doc.version, key, findings });
          return { ...EMPTY_RESULT, file: items[i]!.display, findings };
        },
      },
    );
    items.forEach((item, i) => {
      const doc = item.doc;
      if (!doc) return;
      this.contexts.set(doc.uri, { version: doc.version, overrides: cross.overrides, own: cross.own.get(item.display) ?? [], late: cross.late.get(item.display) ?? [] });
      this.publish(doc, cross.results[i]!.findings.filter((f) => !f.suppressed));
    });
    // Documents that stopped being lintable (ignored now, say) lose their diagnostics.
    for (const doc of this.documents.all()) if (!open.includes(doc) && this.published.has(doc.uri)) this.publish(doc, []);
  }

  /**
   * Lints an open document's text (as `lintEach` would, the text being the editor's) through the
   * document's memo: only its documents (`---` parts) that changed since the last lint, or whose
   * cross-file context changed, are linted again (see LintMemo in lint-chunks.ts).
   */
  private lintOpen(doc: TextDocument, display: string, options: LintOptions, late?: readonly LateReport[]): FileResult {
    let memo = this.memos.get(doc.uri);
    if (!memo) this.memos.set(doc.uri, (memo = new LintMemo()));
    return memo.lint(doc.getText(), display, options, late);
  }

  private publish(doc: TextDocument, findings: Finding[]): void {
    const bom = doc.getText().startsWith('\uFEFF');
    const diagnostics = findings.map((f) => toDiagnostic(f, (id) => this.documented.has(id), bom));
    const key = `${doc.version}\u0000${JSON.stringify(diagnostics)}`;
    if (this.published.get(doc.uri)?.key === key) return;
    this.published.set(doc.uri, { findings, key });
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }
}

/**
 * Runs the language server on standard input and output until the client ends it (`exit`, or the
 * input closes: the protocol library then ends the process, with status 0 after `shutdown`).
 */
export function runLanguageServer(options: CliOptions, io: CliIO, context: RunContext): Promise<number> {
  // Standard output carries the protocol: anything a plugin logs goes to standard error.
  const toStderr = (...args: unknown[]) => void process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  // A failed send (the client went away mid-request) is not worth ending the server for.
  process.on('unhandledRejection', (e) => toStderr(`sidecar-lint: ${e instanceof Error ? e.message.split('\n', 1)[0] : String(e)}`));
  const connection = createConnection(process.stdin, process.stdout);
  new Server(connection, options, io, context).start();
  return new Promise<number>(() => {
    // Never resolves: the protocol library ends the process on `exit`.
  });
}
