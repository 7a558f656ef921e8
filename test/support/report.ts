/**
 * Builds a formatter `Report` the way the CLI does, from texts and a chosen set of built-in rules, so
 * that output tests do not change when a new rule is added.
 */
import { readFileSync } from 'node:fs';
import { builtinRules } from '../../rules/index.js';
import { type LintOptions } from '../../src/config/lint-options.js';
import type { Report } from '../../src/format/index.js';
import { lintInputs } from '../../src/run/lint-files.js';
import { lintOptions } from './lint.js';
import { ruleCatalog } from '../../src/format/output.js';
import { compareFindings, summarize } from '../../src/types.js';

const CORE_RULES = ['configmap-sensitive-data', 'secret-in-main-container', 'uncoupled-containers'];

function lintOptionsWith(ruleIds: readonly string[]): LintOptions {
  return lintOptions({ only: ruleIds });
}

export function reportOf(files: readonly { display: string; text: string }[], ruleIds: readonly string[] = CORE_RULES): Report {
  const options = lintOptionsWith(ruleIds);
  const result = lintInputs(files, options);
  result.findings.sort(compareFindings);
  const findings = result.findings.filter((f) => !f.suppressed);
  const suppressed = result.findings.filter((f) => f.suppressed);
  return {
    findings,
    suppressed,
    summary: summarize(findings, result.stats, suppressed.length),
    // Only the chosen rules ran: the catalog lists every built-in rule, the others as off.
    rules: ruleCatalog(builtinRules, options),
    files: files.map((f) => f.display),
  };
}

export function fixture(relative: string): { display: string; text: string } {
  return { display: relative, text: readFileSync(new URL(`../../${relative}`, import.meta.url), 'utf8') };
}
