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

/**
 * Findings joined into one part of the text: about 100 KB for findings of a few hundred bytes. A part
 * (and the buffer it is written from) of more than 128 KB is mapped fresh from the system and given
 * back, each time (V8's large objects, malloc's threshold): with 512 findings a part, page faults
 * were a third of the CPU the writing took.
 */
const PART_ITEMS = 128;

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

/** Pieces joined once into one flat string (a concatenation is a tree of pieces that every join walks again). */
const flat = (...pieces: string[]) => pieces.join('');

/**
 * Writes findings (at the depth of the report's arrays) as `JSON.stringify(report, null, 2)` does,
 * without building one object or one string per finding: a finding's text is pushed as pieces onto
 * its part's list (joined once per part), and the pieces made of fields that repeat from one finding
 * to the next (rule, message id and severity; hint and file; object, container and the tail) are
 * made once while they repeat. A finding of another shape is written by JSON.stringify itself.
 */
class FindingWriter {
  // `    {` up to `"message": `, for the last rule id, message id and severity.
  private headKey: [unknown, unknown, unknown] = [undefined, undefined, undefined];
  private head = '';
  private nextHead = '';
  // `,` + `"hint"` + `"file"` up to `"line": `, for the last hint and file.
  private middleKey: [unknown, unknown] = [undefined, undefined];
  private middle = '';
  // `,` + `"column"` up to `"endLine": `, for the last column.
  private columnKey: unknown = undefined;
  private columnText = '';
  // `,` + `"object"`, `"container"`, the tail and the closing brace, for the last object, container and tail.
  private endKey: [unknown, unknown, unknown] = [undefined, undefined, undefined];
  private end = '';

  /**
   * Pushes the finding's text onto `out` (after `,\n` unless it is the `first` of its array), `tail`
   * (`,\n      "key": value` lines) before its closing brace.
   */
  write(out: string[], first: boolean, f: Finding, tail: string, whole: () => unknown): void {
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
      out.push(`${first ? '' : ',\n'}    ${nested(whole(), '    ')!}`);
      return;
    }
    const h = this.headKey;
    if (h[0] !== f.ruleId || h[1] !== f.messageId || h[2] !== f.severity) {
      h[0] = f.ruleId;
      h[1] = f.messageId;
      h[2] = f.severity;
      const head = flat(
        '    {\n      "ruleId": ',
        JSON.stringify(f.ruleId),
        ',\n      "messageId": ',
        f.messageId == null ? 'null' : JSON.stringify(f.messageId),
        ',\n      "severity": ',
        JSON.stringify(f.severity),
        ',\n      "message": ',
      );
      this.head = head;
      this.nextHead = flat(',\n', head);
    }
    const m = this.middleKey;
    if (m[0] !== f.hint || m[1] !== f.file) {
      m[0] = f.hint;
      m[1] = f.file;
      this.middle = flat(',\n      "hint": ', f.hint == null ? 'null' : JSON.stringify(f.hint), ',\n      "file": ', JSON.stringify(f.file), ',\n      "line": ');
    }
    if (f.column !== this.columnKey) {
      this.columnKey = f.column;
      this.columnText = flat(',\n      "column": ', num(f.column), ',\n      "endLine": ');
    }
    const e = this.endKey;
    if (e[0] !== f.object || e[1] !== f.container || e[2] !== tail) {
      e[0] = f.object;
      e[1] = f.container;
      e[2] = tail;
      this.end = flat(
        ',\n      "object": ',
        f.object === null ? 'null' : nested(f.object, '      ')!,
        ',\n      "container": ',
        f.container === null ? 'null' : JSON.stringify(f.container),
        tail,
        '\n    }',
      );
    }
    out.push(
      first ? this.head : this.nextHead,
      JSON.stringify(f.message),
      this.middle,
      num(f.line),
      this.columnText,
      num(f.endLine),
      ',\n      "endColumn": ',
      num(f.endColumn),
      this.end,
    );
  }
}

/** The parts of one array of the report (`"key": [...]`), a few hundred findings a part. */
function* arrayParts(key: string, findings: readonly Finding[], item: (w: FindingWriter, out: string[], first: boolean, f: Finding) => void): Generator<string> {
  if (findings.length === 0) {
    yield `  "${key}": []`;
    return;
  }
  const writer = new FindingWriter();
  let part: string[] = [`  "${key}": [\n`];
  for (let i = 0; i < findings.length; i++) {
    item(writer, part, i === 0, findings[i]!);
    if (i % PART_ITEMS === PART_ITEMS - 1) {
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
    () => arrayParts('findings', report.findings, (w, out, first, f) => w.write(out, first, f, '', () => plain(f))),
    () =>
      arrayParts('suppressed', report.suppressed, (w, out, first, f) =>
        w.write(out, first, f, `,\n      "suppression": ${nested(f.suppressed ?? null, '      ')!}`, () => ({ ...plain(f), suppression: f.suppressed ?? null })),
      ),
  ];
  if (report.baselined) {
    const baselined = report.baselined;
    members.push(() => arrayParts('baselined', baselined, (w, out, first, f) => w.write(out, first, f, `,\n      "baselined": true`, () => ({ ...plain(f), baselined: true }))));
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
