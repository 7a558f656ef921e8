/**
 * The `github` format: GitHub Actions workflow commands (see `github` below).
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { Finding, Severity } from '../types.js';
import type { Formatter } from './types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a workflow command's message (what GitHub's toolkit calls `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (`escapeProperty`): also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. */
export function annotation(f: Finding): string {
  const properties: [string, string | number][] = [
    ['file', f.file],
    ['line', f.line],
    ['col', f.column],
    ['endLine', f.endLine],
    ['endColumn', f.endColumn],
    ['title', f.ruleId],
  ];
  const list = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  // The hint (how to fix it) on the annotation's next line.
  return `::${COMMAND[f.severity]} ${list}::${escapeData(f.hint ? `${f.message}\n${f.hint}` : f.message)}`;
}

/**
 * GitHub Actions workflow commands: one annotation per finding (error, warning, or notice for info).
 * Suppressed findings are left out.
 */
export const github: Formatter = (report) => report.findings.map((f) => `${annotation(f)}\n`).join('');
