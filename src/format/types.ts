/**
 * The types formatters share: the report they are given and the rule information they show.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { Finding, Severity, Summary } from '../types.js';

/** What a formatter knows about a rule (built-in, engine, plugin or custom), without importing rules. */
export interface RuleInfo {
  id: string;
  description: string;
  /** The severity it runs at in this run, or `off` when disabled. */
  severity: Severity | 'off';
  /** Where its documentation is (built-in rules and the engine's syntax findings). */
  helpUri?: string;
  /** Its documentation in Markdown (read when a format asks: SARIF's rule `help`). */
  help?: () => string | undefined;
  /** GitHub code scanning's `security-severity`, for rules about secrets. */
  securitySeverity?: number;
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
  /**
   * Set when the run failed (exit 2) after linting, with the reason (a file that could not be read,
   * a baseline that could not be written): SARIF records `executionSuccessful: false`.
   */
  failure?: string;
  /**
   * The automatic fixes of findings, as replacements of their files' text (SARIF's `fixes`); only
   * where the run computed them (SARIF output), and never a fix that writes a Secret's value.
   */
  fixes?: ReadonlyMap<Finding, readonly TextFix[]>;
}

/** An automatic fix as replacements of a file's text (lines and columns 1-based, columns in UTF-16 code units). */
export interface TextFix {
  description: string;
  /** `unsafe`: it changes how the workload runs (applied by --fix only with --unsafe-fixes). */
  kind: 'safe' | 'unsafe';
  /** The file it edits, as findings name it. */
  file: string;
  /** Non-overlapping, in text order; each `[start, end)` of the original text becomes `text` (empty range: an insertion). */
  replacements: readonly { startLine: number; startColumn: number; endLine: number; endColumn: number; text: string }[];
}

interface FormatOptions {
  color: boolean;
  /** Print each finding's hint (stylish). */
  verbose?: boolean;
  /** The directory file names are relative to (the repository root for SARIF's `%SRCROOT%`). */
  cwd?: string;
}

/** A formatter is a pure function from a report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;

/**
 * A formatter's text in parts, in order (their concatenation is the formatter's text): what a large
 * report is written from, a part at a time, without holding its whole text.
 */
export type PartsFormatter = (report: Report, options: FormatOptions) => Iterable<string>;
