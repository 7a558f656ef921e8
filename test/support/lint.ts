/** Helpers for tests: lint a text with every built-in rule at its default severity, or run the CLI in-process. */
import { builtinRules } from '../../rules/index.js';
import { run, type CliIO } from '../../src/app/cli.js';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { lintInputs } from '../../src/run/lint-files.js';
import { compareFindings, type Finding } from '../../src/types.js';

export function lint(text: string, file = 'test.yaml'): Finding[] {
  const rules = builtinRules.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: {} }));
  return lintText(text, file, { rules, settings: DEFAULT_SETTINGS }).findings;
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
  /** Options per rule id (default: none, as the engine passes `{}`). */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Shared settings to override (e.g. `namespace`). */
  settings?: Partial<typeof DEFAULT_SETTINGS>;
  /** Files (by name) that a kustomization lists as patches (LintOptions.patchFiles). */
  patchFiles?: readonly string[];
}

/**
 * Lints several files together, cross-resource checks included (the way the CLI lints its inputs):
 * `files` maps each file name to its text. Findings of every file, sorted by file, line and column.
 */
export function lintAll(files: Record<string, string>, options: LintAllOptions = {}): Finding[] {
  const rules = builtinRules.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: options.ruleOptions?.[rule.meta.id] ?? {} }));
  const inputs = Object.entries(files).map(([display, text]) => ({ display, text }));
  const result = lintInputs(inputs, { rules, settings: { ...DEFAULT_SETTINGS, ...options.settings }, patchFiles: new Set(options.patchFiles) });
  return result.findings.sort(compareFindings);
}

/** Lints one file's text with `lintText` alone (no cross-resource checks), with options as `lintAll` takes them. */
export function lintFile(text: string, file = 'test.yaml', options: LintAllOptions = {}): Finding[] {
  const rules = builtinRules.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: options.ruleOptions?.[rule.meta.id] ?? {} }));
  return lintText(text, file, { rules, settings: { ...DEFAULT_SETTINGS, ...options.settings }, patchFiles: new Set(options.patchFiles) }).findings;
}

/** Lints one text on its own, cross-resource checks within it included. */
export function lintAlone(text: string, file = 'test.yaml', options: LintAllOptions = {}): Finding[] {
  return lintAll({ [file]: text }, options);
}
