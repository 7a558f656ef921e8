/**
 * Helpers for the hostile-input, property and leak suites: every built-in rule at its default
 * severity, linting through both parser paths, through `lintInputs`, and checks that positions lie
 * inside the text.
 */
import { expect } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import type { LintOptions } from '../../src/config/lint-options.js';
import { lintInputs, type LintInput, type LintRunResult } from '../../src/run/lint-files.js';
import { lintOptions } from './lint.js';
import { compareFindings, type Finding } from '../../src/types.js';

export const OPTIONS: LintOptions = lintOptions();

/**
 * Lints a text on the fast path and on the exact path and requires both to give the same result,
 * byte for byte; returns the findings.
 */
export function lintBoth(text: string, file = 'hostile.yaml'): Finding[] {
  const fast = lintText(text, file, { ...OPTIONS, fast: true });
  const exact = lintText(text, file, { ...OPTIONS, fast: false });
  expect(JSON.stringify(fast), `${file}: fast and exact paths differ`).toBe(JSON.stringify(exact));
  return exact.findings;
}

/** Lints inputs like the CLI does (cross-resource checks included); findings sorted. */
export function lintAll(inputs: readonly LintInput[], options: LintOptions = OPTIONS): LintRunResult {
  const result = lintInputs(inputs, options);
  result.findings.sort(compareFindings);
  return result;
}

/** `ruleId@line:column`. */
export function where(f: Finding): string {
  return `${f.ruleId}@${f.line}:${f.column}`;
}

/** The lines of a text as an editor shows them (LF, CRLF or a lone CR; a final line break does not start a line). */
function linesOf(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Every finding lies inside the text: 1 ≤ line ≤ number of lines, 1 ≤ column ≤ line length + 1,
 * and the end is not before the start. Returns the offending findings (empty when all are fine).
 */
export function outsideText(findings: readonly Finding[], text: string): string[] {
  const lines = linesOf(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const bad: string[] = [];
  for (const f of findings) {
    const line = lines[f.line - 1];
    const endLine = lines[f.endLine - 1];
    const ok =
      line !== undefined &&
      endLine !== undefined &&
      f.column >= 1 &&
      f.column <= line.length + 1 &&
      f.endColumn >= 1 &&
      f.endColumn <= endLine.length + 1 &&
      (f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column));
    if (!ok) bad.push(`${f.ruleId} ${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} (${lines.length} lines)`);
  }
  return bad;
}
