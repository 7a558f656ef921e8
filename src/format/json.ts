/**
 * The `json` format (see `json` below).
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { Finding } from '../types.js';
import type { Formatter, PartsFormatter, Report } from './types.js';

/** One finding as the `json` format writes it (tests build their reference document with it). */
export function plain(f: Finding) {
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

/** Findings joined into one part of the text (a few hundred KB). */
const PART_ITEMS = 512;

/** `JSON.stringify(value, null, 2)` as it appears nested `indent` deep (its line breaks indented). */
function nested(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  return text === undefined || !text.includes('\n') ? text : text.replace(/\n/g, `\n${indent}`);
}

/** A number as JSON.stringify writes it. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

const isNumber = (n: unknown): n is number => typeof n === 'number';
const isText = (s: unknown): s is string => typeof s === 'string';
const isTextOrAbsent = (s: unknown) => s === undefined || s === null || typeof s === 'string';

/**
 * Writes findings (at the depth of the report's arrays) as `JSON.stringify(report, null, 2)` does,
 * without building one object per finding; repeated strings (file, rule id, hint, the object) are
 * encoded once while they repeat. A finding of another shape is written by JSON.stringify itself.
 */
class FindingWriter {
  private lastText: string[] = [];
  private lastJson: string[] = [];
  private lastObject: Finding['object'] | undefined;
  private lastObjectJson = '';

  /** `JSON.stringify(s)`, remembered for the field `slot` while the field's value repeats. */
  private text(slot: number, s: string): string {
    if (this.lastText[slot] === s) return this.lastJson[slot]!;
    const json = JSON.stringify(s);
    this.lastText[slot] = s;
    this.lastJson[slot] = json;
    return json;
  }

  private object(o: Finding['object']): string {
    if (o === this.lastObject) return this.lastObjectJson;
    const json = o === null ? 'null' : nested(o, '      ')!;
    this.lastObject = o;
    this.lastObjectJson = json;
    return json;
  }

  /** The finding's text, `tail` (`,\n      "key": value` lines) before its closing brace. */
  write(f: Finding, tail: string, whole: () => unknown): string {
    if (
      !isText(f.ruleId) ||
      !isTextOrAbsent(f.messageId) ||
      !isText(f.severity) ||
      !isText(f.message) ||
      !isTextOrAbsent(f.hint) ||
      !isText(f.file) ||
      !isNumber(f.line) ||
      !isNumber(f.column) ||
      !isNumber(f.endLine) ||
      !isNumber(f.endColumn) ||
      !(f.object === null || (typeof f.object === 'object' && Object.getPrototypeOf(f.object) === Object.prototype)) ||
      !(f.container === null || isText(f.container))
    ) {
      return `    ${nested(whole(), '    ')!}`;
    }
    return (
      `    {\n      "ruleId": ${this.text(0, f.ruleId)},\n      "messageId": ${f.messageId == null ? 'null' : this.text(1, f.messageId)},\n` +
      `      "severity": ${this.text(2, f.severity)},\n      "message": ${JSON.stringify(f.message)},\n` +
      `      "hint": ${f.hint == null ? 'null' : this.text(3, f.hint)},\n      "file": ${this.text(4, f.file)},\n` +
      `      "line": ${num(f.line)},\n      "column": ${num(f.column)},\n      "endLine": ${num(f.endLine)},\n      "endColumn": ${num(f.endColumn)},\n` +
      `      "object": ${this.object(f.object)},\n      "container": ${f.container === null ? 'null' : this.text(5, f.container)}${tail}\n    }`
    );
  }
}

/** The parts of one array of the report (`"key": [...]`), a few hundred findings a part. */
function* arrayParts(key: string, findings: readonly Finding[], item: (w: FindingWriter, f: Finding) => string): Generator<string> {
  if (findings.length === 0) {
    yield `  "${key}": []`;
    return;
  }
  const writer = new FindingWriter();
  let part: string[] = [`  "${key}": [\n`];
  for (let i = 0; i < findings.length; i++) {
    part.push(i === 0 ? item(writer, findings[i]!) : `,\n${item(writer, findings[i]!)}`);
    if (part.length >= PART_ITEMS) {
      yield part.join('');
      part = [];
    }
  }
  part.push('\n  ]');
  yield part.join('');
}

/**
 * The `json` format's text in parts (their concatenation is `json`'s text), so that a large report is
 * written without ever being one string: byte for byte `JSON.stringify(document, null, 2)` plus a
 * line break.
 */
export const jsonParts: PartsFormatter = function* (report: Report) {
  const members: (() => Iterable<string>)[] = [
    () => arrayParts('findings', report.findings, (w, f) => w.write(f, '', () => plain(f))),
    () =>
      arrayParts('suppressed', report.suppressed, (w, f) =>
        w.write(f, `,\n      "suppression": ${nested(f.suppressed ?? null, '      ')!}`, () => ({ ...plain(f), suppression: f.suppressed ?? null })),
      ),
  ];
  if (report.baselined) {
    const baselined = report.baselined;
    members.push(() => arrayParts('baselined', baselined, (w, f) => w.write(f, `,\n      "baselined": true`, () => ({ ...plain(f), baselined: true }))));
  }
  const summary = nested(report.summary, '  ');
  if (summary !== undefined) members.push(() => [`  "summary": ${summary}`]);
  yield '{\n';
  for (let m = 0; m < members.length; m++) {
    if (m > 0) yield ',\n';
    yield* members[m]!();
  }
  yield '\n}\n';
};

/**
 * `{ "findings": [...], "suppressed": [...], "summary": {...} }`, in the order given (sorted by the
 * caller); each finding has its rule's `messageId` (which of the rule's messages it is; null for the engine's
 * own findings such as parse-error), a short `message` and a `hint` (how to fix it, or null); each suppressed finding carries `suppression: { kind, justification }`. With a baseline,
 * `baselined` lists the findings it accepts, each marked `baselined: true`. The text is `jsonParts`' parts joined.
 */
export const json: Formatter = (report, options) => [...jsonParts(report, options)].join('');
