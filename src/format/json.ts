import type { Formatter } from './types.js';

/** `{ "findings": [...], "summary": {...} }`, findings in the order given (sorted by the caller). */
export const json: Formatter = (report) =>
  `${JSON.stringify(
    {
      findings: report.findings.map((f) => ({
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
      })),
      summary: report.summary,
    },
    null,
    2,
  )}\n`;
