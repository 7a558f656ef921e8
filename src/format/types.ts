import type { Finding, Summary } from '../types.js';

export interface Report {
  /** Findings that count, sorted by file, line and column. */
  findings: readonly Finding[];
  /** Findings accepted by a suppression (annotation, comment or config exemption), with its reason. */
  suppressed: readonly Finding[];
  summary: Summary;
}

export interface FormatOptions {
  color: boolean;
}

/** A formatter is a pure function from a report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;
