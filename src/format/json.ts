import type { Finding } from '../types.js';
import type { Formatter } from './types.js';

function plain(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    object: f.object,
    container: f.container,
  };
}

/**
 * `{ "findings": [...], "suppressed": [...], "summary": {...} }`, in the order given (sorted by the
 * caller); each suppressed finding carries `suppression: { kind, justification }`.
 */
export const json: Formatter = (report) =>
  `${JSON.stringify(
    {
      findings: report.findings.map(plain),
      suppressed: report.suppressed.map((f) => ({ ...plain(f), suppression: f.suppressed ?? null })),
      summary: report.summary,
    },
    null,
    2,
  )}\n`;
