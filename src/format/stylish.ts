/**
 * The `stylish` format, the default: findings grouped by file and a summary line.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { Finding, Severity, Summary } from '../types.js';
import { noWorkflowCommand } from '../safe-text.js';
import type { Formatter } from './types.js';

const CODES = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, underline: 4, green: 32 } as const;
type Style = keyof typeof CODES;

function paint(enabled: boolean) {
  return (style: Style, text: string) => (enabled ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue' };

/** The width stylish writes hints to (a terminal of 100 columns). */
const STYLISH_WIDTH = 100;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Line breaks inside a message would break the one-finding-per-line contract. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

/** Words of `text` in lines of at most `width` characters after `indent` (a longer word gets a line of its own). */
function wrap(text: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(/ +/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

/**
 * The summary line's counts: `3 problems (1 error, 2 warnings) in 2 files`, then what was checked
 * (`5 files, 12 objects checked`). Info findings are counted only when there are some.
 */
function summaryCounts(s: Summary, filesWithFindings: number): { problems: string; scope: string } {
  const kinds = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), ...(s.infos > 0 ? [`${s.infos} info`] : [])];
  const scope = `${plural(s.files, 'file')}, ${plural(s.objects, 'object')} checked${
    s.skippedDocuments > 0 ? `, ${plural(s.skippedDocuments, 'document')} skipped (not Kubernetes objects)` : ''
  }${s.baselined ? `, ${s.baselined} baselined` : ''}`;
  return { problems: `${plural(s.findings, 'problem')} (${kinds.join(', ')}) in ${plural(filesWithFindings, 'file')}`, scope };
}

/**
 * Grouped by file, one line per finding (position, severity, a short message, the rule id), then a
 * summary line, like ESLint's stylish. With `verbose`, each finding's hint (how to fix it) follows
 * on indented lines.
 */
export const stylish: Formatter = (report, { color, verbose }) => {
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
    const rows = findings.map((f) => [`${f.line}:${f.column}`, f.severity, oneLine(f.message), f.ruleId, f.hint] as const);
    // (A loop, not Math.max(...): a file may have more findings than a call may have arguments.)
    let posWidth = 0;
    let sevWidth = 0;
    for (const r of rows) {
      posWidth = Math.max(posWidth, r[0].length);
      sevWidth = Math.max(sevWidth, r[1].length);
    }
    for (const [pos, severity, message, ruleId, hint] of rows) {
      lines.push(
        `  ${c('dim', pos.padEnd(posWidth))}  ${c(SEVERITY_STYLE[severity], severity.padEnd(sevWidth))}  ${message}  ${c('dim', ruleId)}`,
      );
      if (verbose && hint) {
        const indent = ' '.repeat(2 + posWidth + 2 + sevWidth + 2);
        for (const l of wrap(hint, indent, STYLISH_WIDTH)) lines.push(c('dim', l));
      }
    }
    lines.push('');
  }
  const s = report.summary;
  const { problems, scope } = summaryCounts(s, byFile.size);
  if (s.findings === 0) {
    lines.push(`${c('green', '✔')} No problems (${scope})`);
  } else {
    const mark = s.errors > 0 ? c('red', '✖') : s.warnings > 0 ? c('yellow', '✖') : c('blue', '✖');
    lines.push(`${mark} ${problems}; ${scope}`);
  }
  return `${lines.join('\n')}\n`;
};
