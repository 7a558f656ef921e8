/** Helpers for tests: lint a text with every built-in rule at its default severity, or run the CLI in-process. */
import { builtinRules } from '../../rules/index.js';
import { run, type CliIO } from '../../src/cli.js';
import { DEFAULT_SETTINGS, lintText } from '../../src/engine.js';
import type { Finding } from '../../src/types.js';

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
