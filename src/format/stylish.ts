import type { Finding, Severity } from '../types.js';
import { noWorkflowCommand } from '../safe-text.js';
import type { Formatter } from './types.js';

const CODES = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, underline: 4, green: 32 } as const;
type Style = keyof typeof CODES;

function paint(enabled: boolean) {
  return (style: Style, text: string) => (enabled ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Grouped by file, one line per finding, then a summary line (like ESLint's stylish). */
export const stylish: Formatter = (report, { color }) => {
  const c = paint(color);
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    // The file name starts its header line: never a workflow command (`::error …`) in a CI log.
    lines.push(c('underline', noWorkflowCommand(file)));
    const rows = findings.map((f) => [`${f.line}:${f.column}`, f.severity, f.message, f.ruleId] as const);
    const posWidth = Math.max(...rows.map((r) => r[0].length));
    const sevWidth = Math.max(...rows.map((r) => r[1].length));
    for (const [pos, severity, message, ruleId] of rows) {
      lines.push(
        `  ${c('dim', pos.padEnd(posWidth))}  ${c(SEVERITY_STYLE[severity], severity.padEnd(sevWidth))}  ${message}  ${c('dim', ruleId)}`,
      );
    }
    lines.push('');
  }
  const s = report.summary;
  const scope = `${plural(s.files, 'file')}, ${plural(s.objects, 'object')} checked${
    s.skippedDocuments > 0 ? `, ${plural(s.skippedDocuments, 'document')} skipped (not Kubernetes objects)` : ''
  }${s.baselined ? `, ${s.baselined} baselined` : ''}`;
  if (s.findings === 0) {
    lines.push(`${c('green', '✔')} No problems (${scope})`);
  } else {
    const mark = s.errors > 0 ? c('red', '✖') : s.warnings > 0 ? c('yellow', '✖') : c('blue', '✖');
    lines.push(
      `${mark} ${plural(s.findings, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info) in ${scope}`,
    );
  }
  return `${lines.join('\n')}\n`;
};
