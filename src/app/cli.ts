/**
 * The command line: arguments → config → inputs → findings → formatted text. `run()` returns the exit
 * code (0 clean, 1 findings at or above --fail-on, 2 the tool could not do its job); it never exits.
 *
 * Room app: must not import .
 */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { effectiveConfig, lintOptionsOf, syntaxSeverities, normalizeKubeVersion, type EffectiveConfig } from '../config/effective.js';
import {
  checkConfig,
  CONFIG_FILE_NAMES,
  didYouMean,
  findConfigFile,
  formatConfigProblem,
  loadAjv,
  readConfigFile,
  repositoryRootOf,
  type ConfigProblem,
  type RawConfig,
} from '../config/load.js';
import { STARTER_CONFIG } from '../config/starter.js';
import { customRulesOf, ruleSet } from '../config/rule-set.js';
import { discover, displayPath } from '../input/discover.js';
import { DEFAULT_KUBE_VERSION, ENGINE_RULES, type LintOptions } from '../config/lint-options.js';
import { FORMAT_NAMES } from '../format/index.js';
import { ignoreRules, isIgnored } from '../input/glob.js';
import { decode, type LintInput, type LintRunResult } from '../run/lint-files.js';
import { runFixes, textFixes } from './fix-run.js';
import { getWorkerEntry, lintInputsParallel, PARALLEL_MIN_CPUS, type Parallel } from '../run/lint-worker.js';
import { MAX_INPUT_SIZE } from '../yaml/parse.js';
import { terminalMarkdown } from '../format/terminal-markdown.js';
import { hintsDoc, outputSpecs, ruleCatalog, ruleDoc, writeOutputs, writeTextFile, type OutputSpec } from '../format/output.js';

export { ruleDoc };
import {
  BASELINE_FILE_NAME,
  baselineFileName,
  createBaseline,
  describeStale,
  entryFileExists,
  matchBaseline,
  readBaseline,
  serializeBaseline,
  type FileNaming,
} from '../run/baseline.js';
import { safeName } from '../safe-text.js';
import { applyMappers, prepareInputs, type PrepareOptions } from '../input/render/index.js';
import { loadPlugins } from '../config/plugins.js';
import type { AnyRule } from '../rule.js';
import { compareFindings, SEVERITIES, SEVERITY_RANK, SEVERITY_SETTINGS, summarize, type Finding, type Severity, type SeveritySetting } from '../types.js';
import { VERSION } from '../version.js';
import { blockingWriter } from './blocking-write.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output is a terminal (for colour). */
  isTTY: boolean;
}

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

type FailOn = Severity | 'none';
const FAIL_ON: readonly FailOn[] = [...SEVERITIES, 'none'];

const HELP = `Usage: sidecar-lint [options] <file|dir|glob|->...

Lints Kubernetes manifests for the sidecar pattern and secret hygiene.

Arguments:
  file, dir, glob        Files, directories (searched for *.yaml, *.yml, *.json; .gitignore,
                         node_modules and .git are skipped) and glob patterns
  -                      Read a manifest from standard input

Output:
  -f, --format <name>    Output format (default: stylish), one of
                         ${FORMAT_NAMES.join(', ')};
                         repeat with --output-file for several outputs at once (one
                         format at most goes to standard output)
  -o, --output-file <path>
                         Write the preceding --format to a file instead of standard output
      --color, --no-color
                         Force or disable colour (default: on for a terminal; NO_COLOR disables)
      --stdin-filename <name>
                         File name to show for standard input (default: <stdin>)
      --quiet            Report errors only (warnings and info findings are left out;
                         --max-warnings still counts warnings, as in ESLint)
      --verbose          Print each finding's hint (how to fix it) under it (stylish)

Exit status:
      --fail-on <level>  Exit 1 when a finding is at or above: error, warning, info, none
                         (default: warning)
      --max-warnings <n> Also exit 1 when there are more than n warnings
      --allow-empty      Exit 0 when nothing is linted (no files, every file ignored, no
                         Kubernetes objects, empty standard input) instead of 2

Configuration:
  -c, --config <path>    Use this config file (default: the first .sidecar-lint.yaml, .yml or
                         .json found walking up from the working directory to the repository root)
      --no-config        Ignore config files
      --allow-plugins    Load the plugins (code) a discovered config names; a config given with
                         --config may load them without it
      --rule <id=severity>
                         Set a rule's severity (off, info, warning, error); repeatable
      --ignore-pattern <glob>
                         Do not lint files matching this pattern; repeatable
      --namespace <name> Namespace of objects that do not name one (default: default)
      --kube-version <X.Y>
                         Kubernetes version the manifests target (default: ${DEFAULT_KUBE_VERSION})
      --no-inline-suppressions
                         Ignore suppression annotations and comments (config exemptions still apply)
      --report-unused-suppressions
                         Report suppressions that matched no finding
      --print-config <file>
                         Print the effective configuration for a file and exit
      --init             Write a commented starter .sidecar-lint.yaml and exit

Automatic fixes:
      --fix              Apply the safe fixes to the files (standard input: print the fixed text)
      --fix-dry-run      Print the fixes as a unified diff and change nothing (exit 1 when there
                         is something to fix)
      --unsafe-fixes     Also apply fixes that change how the workload runs

Baseline:
      --baseline <file>  Accept the findings this file lists; fail only on new ones (default:
                         .sidecar-lint-baseline.json beside the config, or at the repository root,
                         when it exists)
      --baseline-create <file>
                         Write every current finding (not suppressed) to this baseline file
      --baseline-prune   Rewrite the baseline without the entries that no longer match
      --no-baseline      Use no baseline, not even the default file

Helm and Kustomize:
      --no-render        Lint Kustomize directories as plain files and skip Helm charts
      --helm-values <file>
                         Extra values file for helm template; repeatable
      --helm-set <key=value>
                         Extra --set for helm template; repeatable

Information:
      --list-rules       List the rules with their default severity and exit
      --explain <rule>   Print a rule's documentation and exit

Editors:
      --lsp              Run as a language server (LSP over standard input and output): findings
                         of the open YAML and JSON files as diagnostics (see the README)
  -h, --help             Show this help and exit
  -v, --version          Show the version and exit

Environment: NO_COLOR turns colour off; SIDECAR_LINT_THREADS=1 or 2 sets the lint threads
(default: 2 with 400+ files and 4+ CPUs, else 1); SIDECAR_LINT_EXACT=1 turns the fast path off
(same output, slower; for checking); SIDECAR_LINT_NO_CACHE=1 keeps no compiled code between runs.

Exit codes: 0 no finding reaches --fail-on, 1 at least one does (a Helm chart or Kustomize
directory that cannot be rendered is a render-error finding), 2 the tool could not do its job or
linted nothing (see --allow-empty).
`;

class UsageError extends Error {
  /** Whether the message ends with a did-you-mean (then no pointer to --help follows it). */
  constructor(
    message: string,
    readonly question = false,
  ) {
    super(message);
  }
}

export interface CliOptions {
  outputs: OutputSpec[];
  failOn: FailOn;
  maxWarnings: number | undefined;
  allowEmpty: boolean;
  quiet: boolean;
  verbose: boolean;
  stdinFilename: string;
  color: boolean | undefined;
  config: string | undefined;
  noConfig: boolean;
  allowPlugins: boolean;
  ruleOverrides: Record<string, SeveritySetting>;
  ignorePatterns: string[];
  namespace: string | undefined;
  kubeVersion: string | undefined;
  inlineSuppressions: boolean;
  reportUnusedSuppressions: boolean;
  printConfig: string | undefined;
  render: boolean;
  helmValues: string[];
  helmSet: string[];
  init: boolean;
  fix: boolean;
  fixDryRun: boolean;
  unsafeFixes: boolean;
  baseline: string | undefined;
  baselineCreate: string | undefined;
  baselinePrune: boolean;
  noBaseline: boolean;
  explain: string | undefined;
  listRules: boolean;
  lsp: boolean;
  help: boolean;
  version: boolean;
  paths: string[];
}

const OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  'output-file': { type: 'string', short: 'o', multiple: true },
  'fail-on': { type: 'string' },
  'max-warnings': { type: 'string' },
  'allow-empty': { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'stdin-filename': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  'allow-plugins': { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  'ignore-pattern': { type: 'string', multiple: true },
  namespace: { type: 'string' },
  'kube-version': { type: 'string' },
  'no-inline-suppressions': { type: 'boolean' },
  'report-unused-suppressions': { type: 'boolean' },
  'print-config': { type: 'string' },
  'no-render': { type: 'boolean' },
  'helm-values': { type: 'string', multiple: true },
  'helm-set': { type: 'string', multiple: true },
  init: { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  baseline: { type: 'string' },
  'baseline-create': { type: 'string' },
  'baseline-prune': { type: 'boolean' },
  'no-baseline': { type: 'boolean' },
  explain: { type: 'string' },
  'list-rules': { type: 'boolean' },
  lsp: { type: 'boolean' },
  // Accepted with --lsp: some editors' clients add it to the command they run.
  stdio: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** ESLint's numeric severities, for a did-you-mean. */
const ESLINT_SEVERITY: Readonly<Record<string, string>> = { warn: 'warning', '0': 'off', '1': 'warning', '2': 'error' };

/** What ESLint's spellings of an option are here, for a did-you-mean. */
const ESLINT_OPTIONS: Readonly<Record<string, string>> = {
  '--no-eslintrc': '--no-config',
  '--ignore-path': '--ignore-pattern (or a .sidecar-lintignore file)',
  '--ext': 'a directory or a glob (*.yaml, *.yml and *.json are linted)',
};

/** `--max-warnings -1` (ESLint's "no limit"), written either way. */
function maxWarningsMinusOne(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--max-warnings=-1' || (a === '--max-warnings' && argv[i + 1] === '-1'));
}

function parseCli(argv: readonly string[]): CliOptions {
  if (maxWarningsMinusOne(argv)) {
    throw new UsageError("Invalid --max-warnings '-1'; expected a whole number (ESLint's -1, no limit, is the default here: leave --max-warnings out)");
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, tokens: true, options: OPTIONS });
  } catch (e) {
    const message = (e instanceof Error ? e.message.split('\n', 1)[0]! : String(e))
      .replace(/\. To specify a positional argument.*$/, '')
      .replace(/^Option '(--[\w-]+)' argument is ambiguous\.?$/, "Option '$1' needs a value (for a value starting with a dash, write $1=value)")
      .replace(/\.+$/, '');
    const unknown = /^Unknown option '(--[^'=]+)'/.exec(message);
    if (unknown) {
      const name = unknown[1]!;
      const eslint = ESLINT_OPTIONS[name];
      const hint = eslint ?? didYouMean(name.replace(/^-+/, ''), Object.keys(OPTIONS).filter((o) => o !== 'stdio'));
      if (hint) throw new UsageError(`${message}; did you mean ${eslint ? eslint : `--${hint}`}?`, true);
    }
    throw new UsageError(message);
  }
  const v = parsed.values;
  const order = (parsed.tokens ?? []).flatMap((t) =>
    t.kind === 'option' && (t.name === 'format' || t.name === 'output-file') && t.value !== undefined
      ? [{ name: t.name as 'format' | 'output-file', value: t.value }]
      : [],
  );
  const outputs = outputSpecs(order);
  if (typeof outputs === 'string') throw new UsageError(outputs);
  const toStdout = outputs.filter((o) => o.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(
      `${toStdout.length} formats (${toStdout.map((o) => o.format).join(', ')}) would go to standard output; give all but one of them an --output-file`,
    );
  }
  const failOn = (v['fail-on'] ?? 'warning') as FailOn;
  if (!FAIL_ON.includes(failOn)) {
    const mean = ESLINT_SEVERITY[failOn];
    if (mean && mean !== 'off') throw new UsageError(`Invalid --fail-on '${failOn}'; did you mean '${mean}'?`, true);
    throw new UsageError(`Invalid --fail-on '${String(v['fail-on'])}'; expected one of ${FAIL_ON.join(', ')}`);
  }
  let maxWarnings: number | undefined;
  if (v['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(v['max-warnings'])) throw new UsageError(`Invalid --max-warnings '${v['max-warnings']}'; expected a whole number`);
    maxWarnings = Number(v['max-warnings']);
  }
  // No prototype: `--rule __proto__=off` is a key like any other (an unknown rule), not a prototype.
  const ruleOverrides: Record<string, SeveritySetting> = Object.create(null) as Record<string, SeveritySetting>;
  for (const r of v.rule ?? []) {
    const m = /^([^=\s]+)=(\S+)$/.exec(r);
    if (!m) throw new UsageError(`Invalid --rule '${r}'; expected id=severity, e.g. --rule uncoupled-containers=off`);
    if (!(SEVERITY_SETTINGS as readonly string[]).includes(m[2]!)) {
      const mean = ESLINT_SEVERITY[m[2]!];
      if (mean) throw new UsageError(`Invalid severity in --rule '${r}'; did you mean '${m[1]}=${mean}'?`, true);
      throw new UsageError(`Invalid severity in --rule '${r}'; expected one of ${SEVERITY_SETTINGS.join(', ')}`);
    }
    ruleOverrides[m[1]!] = m[2] as SeveritySetting;
  }
  let kubeVersion: string | undefined;
  if (v['kube-version'] !== undefined) {
    kubeVersion = normalizeKubeVersion(v['kube-version']);
    if (!kubeVersion) throw new UsageError(`Invalid --kube-version '${v['kube-version']}'; expected X.Y, e.g. 1.29`);
  }
  if (v.config !== undefined && v['no-config']) throw new UsageError('--config and --no-config cannot be used together');
  baselineUsage(v);
  fixUsage(v);
  return {
    outputs,
    failOn,
    maxWarnings,
    allowEmpty: v['allow-empty'] ?? false,
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
    stdinFilename: v['stdin-filename'] ?? '<stdin>',
    color: v['no-color'] ? false : v.color ? true : undefined,
    config: v.config,
    noConfig: v['no-config'] ?? false,
    allowPlugins: v['allow-plugins'] ?? false,
    ruleOverrides,
    ignorePatterns: v['ignore-pattern'] ?? [],
    namespace: v.namespace,
    kubeVersion,
    inlineSuppressions: !v['no-inline-suppressions'],
    reportUnusedSuppressions: v['report-unused-suppressions'] ?? false,
    printConfig: v['print-config'],
    render: !v['no-render'],
    helmValues: v['helm-values'] ?? [],
    helmSet: v['helm-set'] ?? [],
    init: v.init ?? false,
    fix: v.fix ?? false,
    fixDryRun: v['fix-dry-run'] ?? false,
    unsafeFixes: v['unsafe-fixes'] ?? false,
    baseline: v.baseline,
    baselineCreate: v['baseline-create'],
    baselinePrune: v['baseline-prune'] ?? false,
    noBaseline: v['no-baseline'] ?? false,
    explain: v.explain,
    listRules: v['list-rules'] ?? false,
    lsp: v.lsp ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
    paths: parsed.positionals,
  };
}

/** Fix options that do not go together. */
function fixUsage(v: { fix?: boolean; 'fix-dry-run'?: boolean; 'unsafe-fixes'?: boolean; 'baseline-create'?: string }): void {
  if (v.fix && v['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  if (v['unsafe-fixes'] && !v.fix && !v['fix-dry-run']) throw new UsageError('--unsafe-fixes needs --fix or --fix-dry-run');
  if ((v.fix || v['fix-dry-run']) && v['baseline-create'] !== undefined) throw new UsageError('--baseline-create cannot be used with --fix or --fix-dry-run');
}

/**
 * --fix and --fix-dry-run after the first lint. A dry run prints the diff and ends the run (exit 1
 * when something would change); --fix on standard input prints the fixed text and ends the run (exit
 * code from what is left); --fix on files writes them and returns, so that the run lints them again
 * and reports what is left.
 */
function fixStep(
  lintList: readonly LintInput[],
  rendered: ReadonlySet<string>,
  literal: WeakMap<Finding, string>,
  result: LintRunResult,
  lintOptions: LintOptions,
  options: CliOptions,
  wantsStdin: boolean,
  io: CliIO,
): { exit: number } | { problems: string[]; rerender: boolean } {
  const lint = { ...lintOptions, ...(result.mainOverrides ? { mainOverrides: result.mainOverrides } : {}) };
  const r = runFixes(lintList, rendered, result.findings, lint, { write: options.fix, unsafe: options.unsafeFixes }, io.cwd, (f) => literal.get(f));
  const problems = [...result.problems, ...r.problems];
  const finish = (code: number) => {
    for (const note of r.notes) io.stderr(`sidecar-lint: ${note}\n`);
    for (const p of problems) io.stderr(`sidecar-lint: ${p}\n`);
    return { exit: problems.length > 0 ? EXIT_FAILURE : code };
  };
  if (!options.fix) {
    io.stdout(r.stdout);
    return finish(r.changed ? EXIT_FINDINGS : EXIT_OK);
  }
  if (wantsStdin) {
    io.stdout(r.stdout);
    const left = (r.stdinFindings ?? []).filter((f) => !f.suppressed);
    return finish(left.some((f) => reaches(f.severity, options.failOn)) ? EXIT_FINDINGS : EXIT_OK);
  }
  for (const note of r.notes) io.stderr(`sidecar-lint: ${note}\n`);
  return { problems: r.problems, rerender: r.sourcesWritten === true };
}

/** Baseline options that do not go together. */
function baselineUsage(v: { baseline?: string; 'baseline-create'?: string; 'baseline-prune'?: boolean; 'no-baseline'?: boolean }): void {
  if (v['baseline-create'] !== undefined && v.baseline !== undefined) throw new UsageError('--baseline-create and --baseline cannot be used together');
  if (v['baseline-create'] !== undefined && v['baseline-prune']) throw new UsageError('--baseline-create and --baseline-prune cannot be used together');
  if (v['no-baseline'] && (v.baseline !== undefined || v['baseline-prune'])) throw new UsageError('--no-baseline cannot be used with --baseline or --baseline-prune');
}

/** The baseline of this run: the file to read (or to create), or why there is none. */
type BaselineChoice = { mode: 'create' | 'use'; file: string; display: string } | { mode: 'none' } | { problem: string };

function chooseBaseline(options: CliOptions, config: EffectiveConfig, io: CliIO): BaselineChoice {
  if (options.baselineCreate !== undefined) {
    return { mode: 'create', file: path.resolve(io.cwd, options.baselineCreate), display: options.baselineCreate };
  }
  if (options.noBaseline) return { mode: 'none' };
  let file: string | undefined;
  if (options.baseline !== undefined) file = path.resolve(io.cwd, options.baseline);
  else if (config.baseline) file = config.baseline;
  if (file !== undefined) {
    if (!existsSync(file)) return { problem: `baseline ${displayPath(file, io.cwd)}: not found (create it with --baseline-create)` };
    return { mode: 'use', file, display: displayPath(file, io.cwd) };
  }
  const dir = config.file ? path.dirname(config.file) : repositoryRootOf(io.cwd) ?? io.cwd;
  const fallback = path.join(dir, BASELINE_FILE_NAME);
  if (existsSync(fallback)) return { mode: 'use', file: fallback, display: displayPath(fallback, io.cwd) };
  if (options.baselinePrune) return { problem: `--baseline-prune: no baseline (give one with --baseline, or create ${BASELINE_FILE_NAME} with --baseline-create)` };
  return { mode: 'none' };
}

/** What the baseline did to this run's findings. */
interface BaselineOutcome {
  active: Finding[];
  baselined?: Finding[];
  /** Lines for stderr at the end of the run (stale entries, what was written). */
  notes: string[];
  problems: string[];
}

/**
 * Applies the run's baseline to its findings (sorted, not suppressed): --baseline-create writes them
 * all and accepts them; a baseline in use accepts what it lists, lists its stale entries and, with
 * --baseline-prune, rewrites itself without them.
 */
function applyBaselineChoice(choice: BaselineChoice, active: Finding[], files: readonly string[], options: CliOptions, io: CliIO): BaselineOutcome {
  if ('problem' in choice) return { active, notes: [], problems: [choice.problem] };
  if (choice.mode === 'none') return { active, notes: [], problems: [] };
  const naming: FileNaming = { cwd: io.cwd, root: repositoryRootOf(io.cwd) ?? io.cwd };
  if (choice.mode === 'create') {
    const problem = writeTextFile(choice.file, serializeBaseline(createBaseline(active, naming)), io.cwd);
    if (problem) return { active, notes: [], problems: [`baseline ${problem}`] };
    return {
      active: [],
      baselined: active.map((f) => ({ ...f, baselined: true })),
      notes: [`wrote baseline ${safeName(choice.display)} with ${active.length} finding${active.length === 1 ? '' : 's'}`],
      problems: [],
    };
  }
  const read = readBaseline(choice.file, safeName(choice.display));
  if ('problem' in read) return { active, notes: [], problems: [read.problem] };
  const linted = new Set([...files, ...active.map((f) => f.file)].map((f) => baselineFileName(f, naming)));
  const match = matchBaseline(active, read, naming, (file) => linted.has(file) || !entryFileExists(file, naming));
  const notes: string[] = [];
  const problems: string[] = [];
  if (match.stale.length > 0) {
    const n = match.stale.length;
    notes.push(
      options.baselinePrune
        ? `${n} baseline entr${n === 1 ? 'y' : 'ies'} no longer match${n === 1 ? 'es' : ''}; removed from ${safeName(choice.display)}:`
        : `${n} baseline entr${n === 1 ? 'y' : 'ies'} no longer match${n === 1 ? 'es' : ''} (remove with --baseline-prune):`,
    );
    for (const s of match.stale) notes.push(`  ${safeName(describeStale(s))}`);
    if (options.baselinePrune) {
      const problem = writeTextFile(choice.file, serializeBaseline(match.pruned), io.cwd);
      if (problem) problems.push(`baseline ${problem}`);
    }
  }
  return { active: match.fresh, baselined: match.baselined, notes, problems };
}

function listRules(rules: readonly AnyRule[]): string {
  const rows: [string, string, string][] = rules.map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.description]);
  for (const [id, meta] of Object.entries(ENGINE_RULES)) rows.push([id, meta.severity, meta.description]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  let w0 = 0;
  let w1 = 0;
  for (const r of rows) {
    w0 = Math.max(w0, r[0].length);
    w1 = Math.max(w1, r[1].length);
  }
  return `${rows.map(([id, sev, desc]) => `${id.padEnd(w0)}  ${sev.padEnd(w1)}  ${desc}`).join('\n')}\n`;
}

/** --explain of a rule without a doc in rules/ (a plugin's, a custom rule), or a did-you-mean. */
function explain(id: string, s: Setup, options: CliOptions, io: CliIO): number {
  const rule = s.rules.find((r) => r.meta.id === id);
  if (rule) {
    io.stdout(terminalMarkdown(hintsDoc(rule), useColor(options.color, io)));
    return EXIT_OK;
  }
  const ids = [...s.rules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)];
  const hint = didYouMean(id, ids);
  io.stderr(`sidecar-lint: no rule "${safeName(id)}" (see sidecar-lint --list-rules)${hint ? `; did you mean "${hint}"?` : ''}\n`);
  return EXIT_FAILURE;
}

function useColor(option: boolean | undefined, io: CliIO): boolean {
  if (option !== undefined) return option;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

function reaches(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/** How run() is called: by the command line (the default) or by the GitHub Action. */
export interface RunContext {
  /**
   * Whether a config named with --config may load plugins without --allow-plugins (the command line:
   * yes, its user named the file; the Action: no, its `config` input may name a file of the pull request).
   */
  explicitConfigAllowsPlugins?: boolean;
  /** How to allow plugins, in the words of the caller (default: the command line's). */
  allowPluginsHint?: string;
}

function pluginsRefused(explicit: boolean, context: RunContext): string {
  const how = context.allowPluginsHint ?? 'pass --allow-plugins, or name a config you trust with --config';
  const which = explicit ? 'this config' : 'a config found by walking up from the working directory';
  return `plugins are code and are not loaded from ${which} without permission; to run them, ${how}`;
}

export interface Setup {
  config: EffectiveConfig;
  rules: AnyRule[];
}

/** Finds, reads and validates the config; loads plugins and custom rules. Problems are exit-2 errors. */
export async function setup(options: CliOptions, io: CliIO, context: RunContext): Promise<Setup | ConfigProblem[]> {
  let file: string | null = null;
  const explicit = options.config !== undefined;
  const pluginsAllowed = options.allowPlugins || (explicit && context.explicitConfigAllowsPlugins !== false);
  if (options.config !== undefined) {
    file = path.resolve(io.cwd, options.config);
    if (!existsSync(file)) {
      return [{ file: options.config, line: 1, column: 1, setting: '', message: 'config file not found' }];
    }
  } else if (!options.noConfig) {
    file = findConfigFile(io.cwd);
  }
  let raw: RawConfig = {};
  let pluginRules: AnyRule[] = [];
  let custom: AnyRule[] = [];
  if (file) {
    const display = displayPath(file, io.cwd);
    const read = readConfigFile(file, display);
    if (!read.ok) return read.problems;
    const value = read.read.value as { plugins?: unknown; customRules?: unknown } | null;
    // Plugins add rules that the rest of the config may configure. They are code: a config found by
    // walking up (the linted repository's own, on a pull request) may load them only when allowed.
    if (value && Array.isArray(value.plugins) && value.plugins.length > 0 && value.plugins.every((p) => typeof p === 'string')) {
      if (!pluginsAllowed) {
        return [{ file: display, ...read.read.locate(['plugins']), setting: 'plugins', message: pluginsRefused(explicit, context) }];
      }
      const loaded = await loadPlugins(value.plugins as string[], path.dirname(file));
      if (loaded.problems.length > 0) {
        return loaded.problems.map((p) => ({ file: display, ...read.read.locate(['plugins', p.index]), setting: `plugins[${p.index}]`, message: p.message }));
      }
      pluginRules = loaded.rules;
    }
    const checked = await checkConfig(read.read, { rules: new Map(ruleSet(pluginRules).map((r) => [r.meta.id, r])) });
    if (!checked.ok) return checked.problems;
    raw = checked.loaded.config;
    if (raw.customRules && raw.customRules.length > 0) {
      // checkConfig has already refused an id that is taken (a rule's, an engine rule's, an earlier custom rule's).
      const made = customRulesOf(raw.customRules, await loadAjv());
      if (made.problems.length > 0) {
        return made.problems.map((p) => ({ file: display, ...read.read.locate(['customRules', p.index, 'schema']), setting: `customRules[${p.index}].schema`, message: p.message }));
      }
      custom = made.rules;
    }
  }
  const rules = ruleSet(pluginRules, custom);
  const known = [...rules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)];
  const problems: ConfigProblem[] = [];
  for (const id of Object.keys(options.ruleOverrides)) {
    if (!known.includes(id)) {
      const hint = didYouMean(id, known);
      problems.push({ file: '--rule', line: 0, column: 0, setting: id, message: `unknown rule "${id}"${hint ? `; did you mean "${hint}"?` : ''}` });
    }
  }
  if (problems.length > 0) return problems;
  const config = effectiveConfig(file, raw, rules, options.ruleOverrides);
  if (options.namespace) config.settings = { ...config.settings, namespace: options.namespace };
  if (options.kubeVersion) config.settings = { ...config.settings, kubeVersion: options.kubeVersion };
  return { config, rules };
}

export function lintOptionsFor(s: Setup, options: CliOptions, exact: boolean, patchFiles: ReadonlySet<string>): LintOptions {
  return lintOptionsOf(s.config, s.rules, {
    exact,
    patchFiles,
    inlineSuppressions: options.inlineSuppressions,
    reportUnusedSuppressions: options.reportUnusedSuppressions,
  });
}

/** How a worker thread rebuilds this run's rules, when the CLI runs from its bundle. */
/** SIDECAR_LINT_THREADS: a whole number of threads (1 or 2), or undefined when unset or not one. */
function threadsSetting(env: CliIO['env']): { threads?: number; problem?: string } {
  const value = env.SIDECAR_LINT_THREADS;
  if (value === undefined || value === '') return {};
  if (!/^\s*[1-9]\d{0,5}\s*$/.test(value)) return { problem: `SIDECAR_LINT_THREADS must be a whole number of threads (1 or 2), not ${JSON.stringify(value.slice(0, 40))}` };
  return { threads: Number(value) };
}

/**
 * SIDECAR_LINT_EXACT=1: lint on the straightforward path only (every file parsed with positions),
 * for checking the fast path against it; 0 or unset: the fast path.
 */
function exactSetting(env: CliIO['env']): { exact: boolean; problem?: string } {
  const value = env.SIDECAR_LINT_EXACT;
  if (value === undefined || value.trim() === '' || value.trim() === '0') return { exact: false };
  if (value.trim() === '1') return { exact: true };
  return { exact: false, problem: `SIDECAR_LINT_EXACT must be 1 or 0, not ${JSON.stringify(value.slice(0, 40))}` };
}

function parallelFor(s: Setup, options: CliOptions, io: CliIO, exact: boolean, patchFiles: ReadonlySet<string>): Parallel | undefined {
  const entry = getWorkerEntry();
  const { threads } = threadsSetting(io.env);
  if (!entry || threads === 1) return undefined;
  if (threads === undefined && os.availableParallelism() < PARALLEL_MIN_CPUS) return undefined;
  return {
    entry,
    spec: {
      rules: s.config.rules,
      settings: s.config.settings,
      exemptions: s.config.exemptions,
      inlineSuppressions: options.inlineSuppressions,
      reportUnusedSuppressions: options.reportUnusedSuppressions,
      customRules: s.config.customRules,
      plugins: s.config.plugins,
      configDir: s.config.file ? path.dirname(s.config.file) : io.cwd,
      exact,
      patchFiles: [...patchFiles],
    },
  };
}

function printConfig(s: Setup, target: string, options: CliOptions, io: CliIO): string {
  const absolute = path.resolve(io.cwd, target);
  const ignores = [
    ...ignoreRules(s.config.file ? path.dirname(s.config.file) : io.cwd, s.config.ignore),
    ...ignoreRules(io.cwd, options.ignorePatterns),
  ];
  const shown = {
    file: displayPath(absolute, io.cwd),
    configFile: s.config.file ? displayPath(s.config.file, io.cwd) : null,
    ignored: isIgnored(absolute, ignores),
    rules: s.config.rules,
    settings: s.config.settings,
    ignore: s.config.ignore,
    ignorePatterns: options.ignorePatterns,
    exemptions: s.config.exemptions,
    customRules: s.config.customRules.map((c) => c.id),
    plugins: s.config.plugins,
    inlineSuppressions: options.inlineSuppressions,
  };
  return `${JSON.stringify(shown, null, 2)}\n`;
}

export async function run(argv: readonly string[], io: CliIO, context: RunContext = {}): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(e.question ? `sidecar-lint: ${e.message}\n` : `sidecar-lint: ${e.message}. Run 'sidecar-lint --help' for usage.\n`);
      return EXIT_FAILURE;
    }
    throw e;
  }
  if (options.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (options.lsp) {
    // Loaded only here: the protocol library and what it needs stay out of a plain lint's start-up.
    const { runLanguageServer } = await import('./lsp.js');
    return runLanguageServer(options, io, context);
  }
  if (options.init) {
    const target = path.join(io.cwd, '.sidecar-lint.yaml');
    // A .yml or .json config here would be shadowed by the new .yaml one: refuse as well.
    const existing = CONFIG_FILE_NAMES.find((name) => existsSync(path.join(io.cwd, name)));
    if (existing) {
      io.stderr(`sidecar-lint: ${existing} already exists; not overwriting it.\n`);
      return EXIT_FAILURE;
    }
    try {
      writeFileSync(target, STARTER_CONFIG, { flag: 'wx' });
    } catch (e) {
      io.stderr(`sidecar-lint: .sidecar-lint.yaml cannot be written (${(e as NodeJS.ErrnoException).code ?? 'unknown error'}).\n`);
      return EXIT_FAILURE;
    }
    io.stdout('Wrote .sidecar-lint.yaml\n');
    return EXIT_OK;
  }
  if (options.explain !== undefined) {
    const doc = ruleDoc(options.explain);
    if (doc !== undefined) {
      io.stdout(terminalMarkdown(doc, useColor(options.color, io)));
      return EXIT_OK;
    }
  }
  const s = await setup(options, io, context);
  if (Array.isArray(s)) {
    for (const p of s) io.stderr(`sidecar-lint: ${p.file === '--rule' ? `--rule: ${p.message}` : formatConfigProblem(p)}\n`);
    return EXIT_FAILURE;
  }
  if (options.explain !== undefined) return explain(options.explain, s, options, io);
  if (options.listRules) {
    io.stdout(listRules(s.rules));
    return EXIT_OK;
  }
  if (options.printConfig !== undefined) {
    io.stdout(printConfig(s, options.printConfig, options, io));
    return EXIT_OK;
  }
  if (options.paths.length === 0) {
    io.stderr(`sidecar-lint: no input; give files, directories, globs, or - for standard input. Run 'sidecar-lint --help' for usage.\n`);
    return EXIT_FAILURE;
  }

  const threads = threadsSetting(io.env);
  const exact = exactSetting(io.env);
  for (const problem of [threads.problem, exact.problem]) {
    if (problem === undefined) continue;
    io.stderr(`sidecar-lint: ${problem}\n`);
    return EXIT_FAILURE;
  }
  const fileArgs = options.paths.filter((p) => p !== '-');
  const wantsStdin = fileArgs.length !== options.paths.length;
  const { inputs, errors } = await discover(fileArgs, io.cwd);
  if (errors.length > 0) {
    // Nothing is linted when a path argument is wrong: a partial report would look like a pass.
    for (const e of errors) io.stderr(`sidecar-lint: ${e}\n`);
    return EXIT_FAILURE;
  }
  // A run that lints nothing is not a pass (as ESLint): one line and exit 2, unless --allow-empty.
  const nothing = (why: string): number | undefined => {
    if (options.allowEmpty) return undefined;
    io.stderr(`sidecar-lint: ${why}; nothing was linted (pass --allow-empty to accept that)\n`);
    return EXIT_FAILURE;
  };
  if (!wantsStdin && inputs.length === 0) {
    const code = nothing(`${fileArgs.map(safeName).join(', ')}: no *.yaml, *.yml or *.json files found`);
    if (code !== undefined) return code;
  }
  const stdinText = wantsStdin ? await io.readStdin() : undefined;
  if (stdinText !== undefined && stdinText.trim() === '') {
    const code = nothing('standard input is empty');
    if (code !== undefined) return code;
  }
  const ignores = [
    ...ignoreRules(s.config.file ? path.dirname(s.config.file) : io.cwd, s.config.ignore),
    ...ignoreRules(io.cwd, options.ignorePatterns),
  ];
  const prepareOptions: PrepareOptions = {
    inputs,
    explicit: new Set(fileArgs.map((a) => path.resolve(io.cwd, a))),
    stdin: stdinText !== undefined ? { display: options.stdinFilename, text: stdinText } : undefined,
    render: options.render && s.config.render.enabled,
    helm: { valuesFiles: [...s.config.render.helmValues, ...options.helmValues], set: [...s.config.render.helmSet, ...options.helmSet] },
    env: io.env as NodeJS.ProcessEnv,
    cwd: io.cwd,
    isIgnored: (absolute) => ignores.length > 0 && isIgnored(absolute, ignores),
    renderErrorSeverity: syntaxSeverities(s.config)['render-error'] ?? ENGINE_RULES['render-error'].severity,
  };
  let prepared = await prepareInputs(prepareOptions);
  for (const note of prepared.notes) io.stderr(`sidecar-lint: ${note}\n`);
  let lintList: LintInput[] = prepared.inputs;
  const ignoredWarning = (name: string) => `${name}: file ignored because of a matching ignore pattern`;
  if (lintList.length === 0 && prepared.findings.length === 0 && inputs.length > 0) {
    const allIgnored = ignores.length > 0 && inputs.every((i) => isIgnored(i.absolute, ignores));
    const code = nothing(
      !allIgnored
        ? 'no file to lint'
        : inputs.length === 1 && prepared.ignoredExplicit.length === 1
          ? ignoredWarning(prepared.ignoredExplicit[0]!)
          : `every file is ignored (${inputs.length} ${inputs.length === 1 ? 'file matches' : 'files match'} an ignore pattern)`,
    );
    if (code !== undefined) return code;
  }
  // As ESLint: a file named on the command line that is ignored is said so, once, on stderr.
  for (const name of prepared.ignoredExplicit) io.stderr(`sidecar-lint: warning: ${ignoredWarning(name)}\n`);

  const lintOptions = lintOptionsFor(s, options, exact.exact, prepared.patchFiles);
  const lintAll = async () => {
    const r = await lintInputsParallel(lintList, lintOptions, parallelFor(s, options, io, exact.exact, prepared.patchFiles));
    r.findings = applyMappers(r.findings, prepared.mappers);
    for (const f of prepared.findings) r.findings.push(f);
    return r;
  };
  let result = await lintAll();
  if (options.fix || options.fixDryRun) {
    if (options.fix && wantsStdin && fileArgs.length > 0) {
      io.stderr('sidecar-lint: --fix with standard input (-) takes no other inputs: the fixed text goes to standard output.\n');
      return EXIT_FAILURE;
    }
    const step = fixStep(lintList, new Set(prepared.mappers.keys()), prepared.literal, result, lintOptions, options, wantsStdin, io);
    if ('exit' in step) return step.exit;
    // A file a kustomization builds from was fixed: render again (its notes were said the first time).
    if (step.rerender) {
      prepared = await prepareInputs(prepareOptions);
      lintList = prepared.inputs;
    }
    // The files changed: lint them again and report what is left.
    result = await lintAll();
    for (const p of step.problems) result.problems.push(p);
  }
  result.findings.sort(compareFindings);
  if (result.stats.objects === 0 && result.findings.length === 0 && result.problems.length === 0) {
    const files = result.stats.files;
    const code = nothing(`no Kubernetes objects found in ${files === 1 ? '1 file' : `${files} files`}`);
    if (code !== undefined) return code;
  }
  const suppressed = result.findings.filter((f) => f.suppressed);
  const files = lintList.map((i) => i.display);
  const baseline = applyBaselineChoice(chooseBaseline(options, s.config, io), result.findings.filter((f) => !f.suppressed), files, options, io);
  // --quiet: errors only (ESLint's meaning); warnings and info findings are neither shown nor fail the
  // run by --fail-on, but --max-warnings counts them still, as ESLint counts them (its exit code comes
  // from the unfiltered results).
  const active = options.quiet ? baseline.active.filter((f) => f.severity === 'error') : baseline.active;
  const warnings = options.quiet ? baseline.active.filter((f) => f.severity === 'warning').length : undefined;
  const summary = summarize(active, result.stats, suppressed.length);
  if (baseline.baselined) summary.baselined = baseline.baselined.length;
  const report = {
    findings: active,
    suppressed,
    ...(baseline.baselined ? { baselined: baseline.baselined } : {}),
    summary,
    rules: ruleCatalog(s.rules, lintOptions),
    files,
    // SARIF carries each finding's fix as replacements of its file's text (read again here, only for SARIF).
    ...(options.outputs.some((o) => o.format === 'sarif')
      ? { fixes: textFixes(lintList, new Set(prepared.mappers.keys()), [...active, ...suppressed, ...(baseline.baselined ?? [])], { ...lintOptions, ...(result.mainOverrides ? { mainOverrides: result.mainOverrides } : {}) }) }
      : {}),
    // A run that ends with exit 2 says so in the report (SARIF's executionSuccessful).
    ...(result.problems.length + baseline.problems.length > 0 ? { failure: [...result.problems, ...baseline.problems].join('; ') } : {}),
  };
  const writeProblems = writeOutputs(report, options.outputs, { cwd: io.cwd, color: useColor(options.color, io), verbose: options.verbose, stdout: io.stdout });
  for (const note of baseline.notes) io.stderr(`sidecar-lint: ${note}\n`);
  const problems = [...result.problems, ...baseline.problems, ...writeProblems];
  for (const p of problems) io.stderr(`sidecar-lint: ${p}\n`);
  if (problems.length > 0) return EXIT_FAILURE;
  if (active.some((f) => reaches(f.severity, options.failOn))) return EXIT_FINDINGS;
  const warningCount = warnings ?? report.summary.warnings;
  if (options.maxWarnings !== undefined && warningCount > options.maxWarnings) {
    const hidden = warnings !== undefined ? ' (not shown: --quiet reports errors only)' : '';
    io.stderr(`sidecar-lint: ${warningCount} warning${warningCount === 1 ? '' : 's'}${hidden}, more than --max-warnings ${options.maxWarnings}.\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** Standard process I/O for `run()`. */
export function processIO(): CliIO {
  // A reader that goes away (`sidecar-lint … | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') process.exitCode = EXIT_FAILURE;
    });
  }
  return {
    stdout: blockingWriter(1, process.stdout),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      // Read at most one byte past the input limit: the engine then reports the stream as too
      // large (one parse-error) instead of holding an endless pipe (`cat /dev/zero | sidecar-lint -`).
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        const c = chunk as Buffer;
        chunks.push(c.subarray(0, Math.max(0, MAX_INPUT_SIZE + 1 - size)));
        size += c.length;
        if (size > MAX_INPUT_SIZE) {
          process.stdin.destroy();
          break;
        }
      }
      return decode(Buffer.concat(chunks));
    },
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}
