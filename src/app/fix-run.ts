/**
 * `--fix`, `--fix-dry-run` and `--unsafe-fixes` on the command line: which inputs may be edited, the
 * fixes (src/run/fix.ts), and writing the files back (or a diff). Only files the user wrote are edited:
 * plain files and standard input, never the rendered output of a Helm chart or a kustomization.
 *
 * Room app: must not import .
 */
import { readFileSync } from 'node:fs';
import type { LintOptions } from '../config/lint-options.js';
import { fixOf, fixText, unifiedDiff, type FixOutcome } from '../run/fix.js';
import type { LintInput } from '../run/lint-files.js';
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
 * Fixes the inputs that may be edited. `rendered` are the display names of rendered inputs (Helm,
 * Kustomize): their findings are not fixed. `findings` are the run's findings (to count what was
 * left unfixed there).
 */
export function runFixes(
  inputs: readonly LintInput[],
  rendered: ReadonlySet<string>,
  findings: readonly Finding[],
  lint: LintOptions,
  o: FixRunOptions,
  cwd: string,
): FixRunResult {
  const out: FixRunResult = { stdout: '', notes: [], problems: [], changed: false };
  let fixedCount = 0;
  let fixedFiles = 0;
  let unsafeLeft = 0;
  const renderedFixable = findings.filter((f) => !f.suppressed && f.fixes && rendered.has(f.file)).length;
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
    const outcome: FixOutcome = fixText(text, input.display, lint, { unsafe: o.unsafe });
    for (const s of outcome.skipped) {
      out.notes.push(`${s.finding.file}:${s.finding.line}:${s.finding.column}: ${s.finding.ruleId} not fixed (${s.fix.title}): ${s.reason}`);
    }
    if (!o.unsafe) unsafeLeft += outcome.findings.filter((f) => !f.suppressed && f.fixes?.some((x) => x.kind === 'unsafe') && !fixOf(f)).length;
    if (fromStdin) out.stdinFindings = outcome.findings;
    if (outcome.text === text) {
      if (fromStdin && o.write) out.stdout += text;
      continue;
    }
    out.changed = true;
    fixedCount += outcome.applied.length;
    fixedFiles++;
    if (!o.write) {
      out.stdout += unifiedDiff(text, outcome.text, input.display.split('\\').join('/'));
      continue;
    }
    if (fromStdin) {
      out.stdout += outcome.text;
      continue;
    }
    const problem = writeTextFile(input.absolute!, outcome.text, cwd);
    if (problem) out.problems.push(problem);
  }
  const verb = o.write ? 'fixed' : 'would fix';
  if (fixedCount > 0) out.notes.push(`${verb} ${plural(fixedCount, 'finding')} in ${plural(fixedFiles, 'file')}`);
  if (unsafeLeft > 0) out.notes.push(`${plural(unsafeLeft, 'finding')} ${unsafeLeft === 1 ? 'has an unsafe fix' : 'have unsafe fixes'} (they change how the workload runs); apply with --unsafe-fixes`);
  if (renderedFixable > 0) {
    out.notes.push(
      `${plural(renderedFixable, 'finding')} with a fix ${renderedFixable === 1 ? 'is' : 'are'} in rendered Helm or Kustomize output, which is not edited; fix the source files (for a kustomization's own files, run with --no-render)`,
    );
  }
  out.notes = out.notes.map((n) => safeName(n));
  return out;
}
