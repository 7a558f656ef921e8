import type { Finding, Summary } from '../types.js';

export interface Report {
  findings: readonly Finding[];
  summary: Summary;
}

export interface FormatOptions {
  color: boolean;
}

/** A formatter is a pure function from a report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;
