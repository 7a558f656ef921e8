/** Helpers shared by the config, suppression, custom-rule and plugin suites: temp trees and the CLI. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { JsonFinding, JsonReport } from '../../src/format/json.js';
import { runCli, type CliResult } from './lint.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory (real path) holding `files` (relative path → content). */
export function tempTree(files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-config-')));
  dirs.push(dir);
  writeTree(dir, files);
  return dir;
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Runs the CLI in-process in `cwd`. */
export function cli(cwd: string, ...args: string[]): Promise<CliResult> {
  return runCli(args, { cwd });
}

export type { JsonFinding, JsonReport } from '../../src/format/json.js';

/** The JSON report of a run with `--format json`. */
export function report(result: CliResult): JsonReport {
  try {
    return JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** `ruleId@line:column` of each finding (optionally only of the given rules). */
export function at(findings: readonly JsonFinding[], only?: readonly string[]): string[] {
  return findings.filter((f) => !only || only.includes(f.ruleId)).map((f) => `${f.ruleId}@${f.line}:${f.column}`);
}

/** The non-empty lines of standard error. */
export function errLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l !== '');
}

/** 1-based line of the first line of `text` that contains `needle` (after line `after`). */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}

/** 1-based column of `needle` on its line. */
export function columnOf(text: string, needle: string, after = 0): number {
  const line = text.split('\n')[lineOf(text, needle, after) - 1]!;
  return line.indexOf(needle) + 1;
}
