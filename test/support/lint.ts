/**
 * Helpers for tests: lint options as a run builds them, lint a text with every built-in rule at its
 * default severity, or run the CLI in-process.
 */
import { builtinRules } from '../../rules/index.js';
import { run, type CliIO } from '../../src/app/cli.js';
import { lintText } from '../../src/run/engine.js';
import { effectiveConfig, lintOptionsOf, type RunSwitches } from '../../src/config/effective.js';
import type { RawConfig } from '../../src/config/load.js';
import type { LintOptions } from '../../src/config/lint-options.js';
import type { AnyRule } from '../../src/rule.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { lintInputs } from '../../src/run/lint-files.js';
import { compareFindings, type Finding } from '../../src/types.js';

export interface OptionsSpec extends RunSwitches {
  /** The rules the run has (default: the built-in rules). */
  rules?: readonly AnyRule[];
  /** Only these rules (ids, or a test on the rule). */
  only?: readonly string[] | ((rule: AnyRule) => boolean);
  /** A config file's content, as read (rule severities and options, settings, exemptions). */
  config?: RawConfig;
}

/**
 * Lint options as a run with the given config builds them, through the production code
 * (`effectiveConfig`, `lintOptionsOf`): every rule at its default severity with its default options
 * unless the config says otherwise. The one options builder of the test suites.
 */
export function lintOptions(spec: OptionsSpec = {}): LintOptions {
  const { rules = builtinRules, only, config = {}, ...switches } = spec;
  if (Array.isArray(only)) {
    const unknown = only.filter((id) => !rules.some((r) => r.meta.id === id));
    if (unknown.length > 0) throw new Error(`unknown rule ${unknown.join(', ')}`);
  }
  const chosen = only === undefined ? rules : rules.filter(typeof only === 'function' ? only : (r) => (only as readonly string[]).includes(r.meta.id));
  return lintOptionsOf(effectiveConfig(null, config, chosen), chosen, switches);
}

export function lint(text: string, file = 'test.yaml'): Finding[] {
  return lintText(text, file, lintOptions()).findings;
}

/** `ruleId@line:column` for each finding, in order. */
export function positions(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => options.stdin ?? '',
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: false,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

export interface LintAllOptions {
  /** Options per rule id (default: each rule's defaults). */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Shared settings to override (e.g. `namespace`). */
  settings?: Partial<typeof DEFAULT_SETTINGS>;
  /** Files (by name) that a kustomization lists as patches (LintOptions.patchFiles). */
  patchFiles?: readonly string[];
}

function optionsOf(options: LintAllOptions): LintOptions {
  const base = lintOptions({
    config: { rules: Object.fromEntries(Object.entries(options.ruleOptions ?? {}).map(([id, o]) => [id, { options: o }])) },
    patchFiles: new Set(options.patchFiles),
  });
  return { ...base, settings: { ...base.settings, ...options.settings } };
}

/**
 * Lints several files together, cross-resource checks included (the way the CLI lints its inputs):
 * `files` maps each file name to its text. Findings of every file, sorted by file, line and column.
 */
export function lintAll(files: Record<string, string>, options: LintAllOptions = {}): Finding[] {
  const inputs = Object.entries(files).map(([display, text]) => ({ display, text }));
  const result = lintInputs(inputs, optionsOf(options));
  return result.findings.sort(compareFindings);
}

/** Lints one file's text with `lintText` alone (no cross-resource checks), with options as `lintAll` takes them. */
export function lintFile(text: string, file = 'test.yaml', options: LintAllOptions = {}): Finding[] {
  return lintText(text, file, optionsOf(options)).findings;
}

/** Lints one text on its own, cross-resource checks within it included. */
export function lintAlone(text: string, file = 'test.yaml', options: LintAllOptions = {}): Finding[] {
  return lintAll({ [file]: text }, options);
}
