/**
 * `--fix`, `--fix-dry-run` and `--unsafe-fixes` on the command line: which inputs may be edited, the
 * fixes (src/run/fix.ts), and writing the files back (or a diff). Only files the user wrote are edited:
 * plain files and standard input, and a Kustomize resource file where a finding of the rendered output
 * maps to its own node and the file alone has that finding; never the rendered output of a Helm chart
 * or a kustomization, a Helm template or a Kustomize patch.
 *
 * Room app: must not import .
 */
import { lstatSync, readFileSync } from 'node:fs';
import { lintText } from '../run/engine.js';
import { type LintOptions as EngineLintOptions } from '../config/lint-options.js';
import { checkFix, fixOf, fixText, maskSecretValues, secretValueRanges, unifiedDiff, type FixOutcome } from '../run/fix.js';
import { fixSplices, withSplices } from '../yaml/fix-edits.js';
import type { TextFix } from '../format/types.js';
import type { LintInput } from '../run/lint-files.js';
import { LineIndex } from '../yaml/locate.js';
import { writeTextFile } from '../format/output.js';
import { safeName } from '../safe-text.js';
import type { Finding } from '../types.js';

export interface FixRunOptions {
  /** Write the fixes (false: --fix-dry-run, print a diff). */
  write: boolean;
  unsafe: boolean;
}

export interface FixRunResult {
  /** What goes to standard output: the diff (dry run), or the fixed text of standard input. */
  stdout: string;
  /** Lines for stderr: what was fixed, what was not and why. */
  notes: string[];
  /** Files that could not be read or written (exit 2). */
  problems: string[];
  /** Whether a file changed (or, in a dry run, would change). */
  changed: boolean;
  /** The findings left in standard input after fixing, when it was fixed. */
  stdinFindings?: Finding[];
  /** Whether a file that rendered output is built from was written (the render is out of date). */
  sourcesWritten?: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A file's text for fixing: UTF-8 (with or without a byte order mark) only, so that it is written back as it was. */
function readForFix(absolute: string): { text: string } | { skip: string } | { problem: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return { skip: 'UTF-16 files are not fixed' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { skip: 'the file is not valid UTF-8' };
  }
}

/**
 * A finding's identity in its file that edits elsewhere in the file do not change (not its line):
 * rule, object, container, path in the object and message.
 */
function identity(f: Finding): string {
  return JSON.stringify([f.ruleId, f.object, f.container, f.path ?? null, f.message]);
}

/** Whether a path is a regular file itself (not a link, FIFO or device). */
function regularFile(absolute: string): boolean {
  try {
    return lstatSync(absolute).isFile();
  } catch {
    return false;
  }
}

/**
 * Fixes the inputs that may be edited. `rendered` are the display names of rendered inputs (Helm,
 * Kustomize): their findings are not fixed, except where `literal` names the Kustomize resource
 * file (absolute path) whose own node a finding was mapped to: there it is fixed when linting that
 * file on its own gives the same finding with a fix. `findings` are the run's findings (to count
 * what was left unfixed there).
 */
export function runFixes(
  inputs: readonly LintInput[],
  rendered: ReadonlySet<string>,
  findings: readonly Finding[],
  lint: EngineLintOptions,
  o: FixRunOptions,
  cwd: string,
  literal?: (finding: Finding) => string | undefined,
): FixRunResult {
  const out: FixRunResult = { stdout: '', notes: [], problems: [], changed: false };
  let fixedCount = 0;
  let fixedFiles = 0;
  let unsafeLeft = 0;
  // Findings with a fix in no file that may be edited: rendered output (Helm, Kustomize), whether
  // still named by the rendered input or mapped back to a template, patch or resource file. Those
  // mapped to the node itself in a Kustomize resource file (`literal`) may be fixed there (below).
  const editable = new Set(inputs.filter((i) => !rendered.has(i.display)).map((i) => i.display));
  const notEditable: Finding[] = [];
  const sources = new Map<string, { absolute: string; findings: Finding[] }>();
  for (const f of findings) {
    if (f.suppressed || !fixOf(f, { unsafe: o.unsafe }) || editable.has(f.file)) continue;
    const absolute = literal?.(f);
    if (absolute === undefined) {
      notEditable.push(f);
      continue;
    }
    const group = sources.get(f.file) ?? { absolute, findings: [] };
    group.findings.push(f);
    sources.set(f.file, group);
  }
  /** Fixes one text (of `display`; `absolute` undefined for standard input) and writes it or its diff. */
  const fixOne = (display: string, absolute: string | undefined, text: string, accept?: (f: Finding) => boolean): void => {
    const fromStdin = absolute === undefined;
    const outcome: FixOutcome = fixText(text, display, lint, { unsafe: o.unsafe, ...(accept ? { accept } : {}) });
    for (const s of outcome.skipped) {
      out.notes.push(`${s.finding.file}:${s.finding.line}:${s.finding.column}: ${s.finding.ruleId} not fixed (${s.fix.title}): ${s.reason}`);
    }
    if (!o.unsafe && !accept) unsafeLeft += outcome.findings.filter((f) => !f.suppressed && f.fixes?.some((x) => x.kind === 'unsafe') && !fixOf(f)).length;
    if (fromStdin) out.stdinFindings = outcome.findings;
    if (outcome.text === text) {
      if (fromStdin && o.write) out.stdout += text;
      return;
    }
    out.changed = true;
    fixedCount += outcome.applied.length;
    fixedFiles++;
    if (!o.write) {
      // No credential reaches the terminal (a Secret's values, and every value a credential rule
      // reports, before and after the fix): the diff shows their lengths (see maskSecretValues).
      const initial = lintText(text, display, lint).findings;
      const shown = { before: maskSecretValues(text, initial), after: maskSecretValues(outcome.text, outcome.findings) };
      out.stdout += unifiedDiff(text, outcome.text, display.split('\\').join('/'), 3, shown);
      return;
    }
    if (fromStdin) {
      out.stdout += outcome.text;
      return;
    }
    const problem = writeTextFile(absolute, outcome.text, cwd);
    if (problem) out.problems.push(problem);
    else if (accept) out.sourcesWritten = true;
  };
  for (const input of inputs) {
    if (rendered.has(input.display)) {
      // A rendered stream on standard input (`helm template … | sidecar-lint --fix -`) goes back as it came.
      if (input.absolute === undefined && o.write && input.text !== undefined) out.stdout += input.text;
      continue;
    }
    const fromStdin = input.absolute === undefined;
    let text: string;
    if (fromStdin) {
      if (input.text === undefined) continue;
      text = input.text;
    } else {
      const read = readForFix(input.absolute!);
      if ('problem' in read) {
        out.problems.push(`${input.display}: ${read.problem}`);
        continue;
      }
      if ('skip' in read) {
        // Only worth saying when there was something to fix.
        if (findings.some((f) => f.file === input.display && f.fixes)) out.notes.push(`${input.display}: not fixed: ${read.skip}`);
        continue;
      }
      text = read.text;
    }
    // A fast look first: most files have nothing to fix.
    if (!findings.some((f) => f.file === input.display && f.fixes)) {
      if (fromStdin && o.write) {
        out.stdout += text;
        out.stdinFindings = findings.filter((f) => f.file === input.display);
      }
      continue;
    }
    fixOne(input.display, input.absolute, text, undefined);
  }
  // A Kustomize resource file: only the findings of the rendered output that linting the file on its
  // own gives too (same rule, line, column and message, with a fix) are fixed there, through the same
  // path (each fix checked by linting the file again); the file's other findings are left alone.
  for (const [display, group] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const read = regularFile(group.absolute) ? readForFix(group.absolute) : { skip: 'not a regular file' };
    if (!('text' in read)) {
      for (const f of group.findings) notEditable.push(f);
      continue;
    }
    const own = lintText(read.text, display, lint).findings.filter((f) => !f.suppressed && fixOf(f, { unsafe: o.unsafe }));
    const wanted = new Set<string>();
    for (const f of group.findings) {
      const same = own.find((x) => x.ruleId === f.ruleId && x.line === f.line && x.column === f.column && x.message === f.message);
      if (same) wanted.add(identity(same));
      else notEditable.push(f);
    }
    if (wanted.size > 0) fixOne(display, group.absolute, read.text, (f) => !f.suppressed && wanted.has(identity(f)));
  }
  notEditable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const verb = o.write ? 'fixed' : 'would fix';
  if (fixedCount > 0) out.notes.push(`${verb} ${plural(fixedCount, 'finding')} in ${plural(fixedFiles, 'file')}`);
  if (unsafeLeft > 0) out.notes.push(`${plural(unsafeLeft, 'finding')} ${unsafeLeft === 1 ? 'has an unsafe fix' : 'have unsafe fixes'} (they change how the workload runs); apply with --unsafe-fixes`);
  for (const f of notEditable) {
    const fix = fixOf(f, { unsafe: o.unsafe })!;
    out.notes.push(`${f.file}:${f.line}:${f.column}: ${f.ruleId} not fixed (${fix.title}): it was found in rendered Helm or Kustomize output, which --fix does not edit; fix the source by hand (for a kustomization's own files, --no-render lints and fixes them as they are)`);
  }
  if (notEditable.length > 1) out.notes.push(`${plural(notEditable.length, 'finding')} with a fix are in rendered Helm or Kustomize output and ${o.write ? 'were not' : 'would not be'} fixed`);
  out.notes = out.notes.map((n) => safeName(n));
  return out;
}

/**
 * The fixes of the findings as replacements of the text of their files, for SARIF's `fixes`: every
 * fix of a finding in a file that may be edited (not rendered output), built from the same edits
 * `--fix` applies (each alone, on the file as it is) and checked as `--fix` checks them (the file
 * linted again: the finding is gone or no longer names a guess, and nothing new appeared). A fix that
 * would write a Secret's value (`data` to `stringData`) is left out: a report must not hold one.
 * The findings are matched to the file's own lint by rule, range and message, so a finding mapped
 * from rendered output never gets the edits of another.
 */
export function textFixes(inputs: readonly LintInput[], rendered: ReadonlySet<string>, findings: readonly Finding[], lint: EngineLintOptions): Map<Finding, TextFix[]> {
  const out = new Map<Finding, TextFix[]>();
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.fixes?.length) continue;
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const where = (f: Finding) => JSON.stringify([f.ruleId, f.line, f.column, f.endLine, f.endColumn, f.message]);
  for (const input of inputs) {
    const wanted = byFile.get(input.display);
    if (!wanted || rendered.has(input.display)) continue;
    let text: string;
    if (input.absolute === undefined) {
      if (input.text === undefined) continue;
      text = input.text;
    } else {
      const read = readForFix(input.absolute);
      if (!('text' in read)) continue;
      text = read.text;
    }
    const before = lintText(text, input.display, lint).findings;
    const own = new Map<string, Finding>();
    for (const f of before) if (f.fixes?.length) own.set(where(f), f);
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const lines = new LineIndex(bom ? text.slice(1) : text);
    const position = (offset: number) => lines.position(offset - bom);
    for (const finding of wanted) {
      const mine = own.get(where(finding));
      if (!mine) continue;
      const fixes: TextFix[] = [];
      for (const fix of mine.fixes!) {
        const found = fixSplices(text, fix);
        if ('problem' in found) continue;
        const after = withSplices(text, found.splices)!;
        const fixed = lintText(after, input.display, lint).findings;
        if (checkFix(before, fixed, mine, fix) !== undefined) continue;
        if (insertsSecretValue(found.splices, after, fixed)) continue;
        fixes.push({
          description: fix.title,
          kind: fix.kind,
          file: input.display,
          replacements: [...found.splices].reverse().map((sp) => {
            const a = position(sp.start);
            const b = position(sp.end);
            return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column, text: sp.text };
          }),
        });
      }
      if (fixes.length > 0) out.set(finding, fixes);
    }
  }
  return out;
}

/**
 * Whether text a fix inserts holds (part of) a Secret's value or a credential value a rule reports
 * (`findings`: those of the fixed text) in the fixed text `after` (splices sorted from the end).
 */
function insertsSecretValue(splices: readonly { start: number; end: number; text: string }[], after: string, findings: readonly Finding[]): boolean {
  const secrets = secretValueRanges(after, findings);
  if (secrets.length === 0) return false;
  let delta = 0;
  for (let i = splices.length - 1; i >= 0; i--) {
    const sp = splices[i]!;
    const start = sp.start + delta;
    const end = start + sp.text.length;
    delta += sp.text.length - (sp.end - sp.start);
    if (end > start && secrets.some((r) => r.start < end && start < r.end)) return true;
  }
  return false;
}
