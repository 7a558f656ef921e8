/**
 * The `compact` format: one finding per line (see `compact` below).
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import { noWorkflowCommand } from '../safe-text.js';
import type { Formatter } from './types.js';

/** Line breaks inside a message would break the one-finding-per-line contract. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

/**
 * `file:line:col: severity rule-id message`, one finding per line (for editors and grep). A line
 * starts with the file name, so it can never start a workflow command (`::error …`) in a CI log.
 */
export const compact: Formatter = (report) =>
  report.findings.map((f) => `${noWorkflowCommand(`${oneLine(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${oneLine(f.message)}`)}\n`).join('');
