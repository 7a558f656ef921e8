import type { Finding, Severity, Summary } from '../types.js';

/** What a formatter knows about a rule (built-in, engine, plugin or custom), without importing rules. */
export interface RuleInfo {
  id: string;
  description: string;
  /** The severity it runs at in this run, or `off` when disabled. */
  severity: Severity | 'off';
  /** Where its documentation is (built-in rules and the engine's syntax findings). */
  helpUri?: string;
}

export interface Report {
  /** Findings that count, sorted by file, line and column. */
  findings: readonly Finding[];
  /** Findings accepted by a suppression (annotation, comment or config exemption), with its reason. */
  suppressed: readonly Finding[];
  summary: Summary;
  /**
   * Findings the baseline accepts (not counted in the summary's findings), when a baseline is in use;
   * undefined without one.
   */
  baselined?: readonly Finding[];
  /** Every rule known to this run, sorted by id (for SARIF's rule list and doc links). */
  rules?: readonly RuleInfo[];
  /** The files linted, as shown in findings (for formats that list clean files too). */
  files?: readonly string[];
}

export interface FormatOptions {
  color: boolean;
  /** The directory file names are relative to (the repository root for SARIF's `%SRCROOT%`). */
  cwd?: string;
}

/** A formatter is a pure function from a report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;
