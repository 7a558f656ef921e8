/**
 * The `json` format (see `json` below).
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { Finding } from '../types.js';
import type { Formatter } from './types.js';

function plain(f: Finding) {
  return {
    ruleId: f.ruleId,
    messageId: f.messageId ?? null,
    severity: f.severity,
    message: f.message,
    hint: f.hint ?? null,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    object: f.object,
    container: f.container,
  };
}

/** One finding as the `json` format writes it. */
export type JsonFinding = ReturnType<typeof plain>;

/** The `json` format's document (what `JSON.parse` of its output gives). */
export interface JsonReport {
  findings: JsonFinding[];
  /** Suppressed findings, each with its suppression (always set for these). */
  suppressed: (JsonFinding & { suppression: NonNullable<Finding['suppressed']> })[];
  baselined?: (JsonFinding & { baselined: true })[];
  summary: Parameters<Formatter>[0]['summary'];
}

/**
 * `{ "findings": [...], "suppressed": [...], "summary": {...} }`, in the order given (sorted by the
 * caller); each finding has its rule's `messageId` (which of the rule's messages it is; null for the engine's
 * own findings such as parse-error), a short `message` and a `hint` (how to fix it, or null); each suppressed finding carries `suppression: { kind, justification }`. With a baseline,
 * `baselined` lists the findings it accepts, each marked `baselined: true`.
 */
export const json: Formatter = (report) =>
  `${JSON.stringify(
    {
      findings: report.findings.map(plain),
      suppressed: report.suppressed.map((f) => ({ ...plain(f), suppression: f.suppressed ?? null })),
      ...(report.baselined ? { baselined: report.baselined.map((f) => ({ ...plain(f), baselined: true })) } : {}),
      summary: report.summary,
    },
    null,
    2,
  )}\n`;
