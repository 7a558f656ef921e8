/**
 * Lints a set of inputs: each file on its own (parse, lint, drop), then the rules' cross-resource
 * checks over the small facts they deferred, and a second, exact pass only for the files those
 * checks report in.
 */
import { readFileSync, statSync } from 'node:fs';
import { lintText, type LateReport, type LintOptions } from './engine.js';
import type { DeferredFact } from './rule.js';
import { addStats, emptyStats, type Finding, type FileResult, type LintStats } from './types.js';

export interface LintInput {
  /** The name shown in output. */
  display: string;
  /** Absolute path to read, when the input is a file. */
  absolute?: string;
  /** The text, when it does not come from a file (standard input). */
  text?: string;
}

export interface LintRunResult {
  findings: Finding[];
  stats: LintStats;
  /** One line per input that could not be read. */
  problems: string[];
}

/** Decodes a file's bytes: UTF-8, or UTF-16 when it starts with a UTF-16 byte order mark. */
export function decode(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Reads an input's text, or returns why it cannot be read. */
export function readInput(input: LintInput): { text: string } | { problem: string } {
  if (input.text !== undefined) return { text: input.text };
  const file = input.absolute ?? input.display;
  try {
    const info = statSync(file);
    if (info.isDirectory()) return { problem: `${input.display}: is a directory` };
    if (!info.isFile()) return { problem: `${input.display}: is not a regular file` };
    return { text: decode(readFileSync(file)) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    return { problem: `${input.display}: cannot be read (${code})` };
  }
}

export function lintInputs(inputs: readonly LintInput[], options: LintOptions): LintRunResult {
  const results = new Map<string, FileResult>();
  const problems: string[] = [];
  const byDisplay = new Map<string, LintInput>();
  const facts = new Map<string, DeferredFact[]>();
  for (const input of inputs) {
    const read = readInput(input);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const result = lintText(read.text, input.display, options);
    byDisplay.set(input.display, input);
    for (const f of result.facts ?? []) {
      const list = facts.get(f.ruleId) ?? [];
      list.push({ fact: f.fact, origin: { file: input.display, documentIndex: f.documentIndex, objectPath: f.objectPath } });
      facts.set(f.ruleId, list);
    }
    delete result.facts;
    results.set(input.display, result);
  }

  // Cross-resource checks: findings land in the file of the object they belong to.
  const late = new Map<string, LateReport[]>();
  for (const enabled of options.rules) {
    const { rule } = enabled;
    if (!rule.crossCheck) continue;
    rule.crossCheck(facts.get(rule.meta.id) ?? [], {
      options: enabled.options,
      settings: options.settings,
      report({ origin, ...descriptor }) {
        const list = late.get(origin.file) ?? [];
        list.push({ ruleId: rule.meta.id, origin, descriptor });
        late.set(origin.file, list);
      },
    });
  }
  for (const [file, reports] of late) {
    const input = byDisplay.get(file);
    if (!input) continue;
    const read = readInput(input);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const result = lintText(read.text, file, options, reports);
    delete result.facts;
    results.set(file, result);
  }

  const findings: Finding[] = [];
  const stats = emptyStats();
  for (const r of results.values()) {
    findings.push(...r.findings);
    addStats(stats, r.stats);
  }
  return { findings, stats, problems };
}
