/**
 * JUnit XML for CI test reports: one `<testsuite>` per file, one `<testcase>` per file and rule (every
 * rule that ran, so clean files show as passing), and a `<failure>` listing the rule's findings in the
 * file with their positions. Suppressed findings are left out.
 */
import { SEVERITY_RANK, type Finding, type Severity } from '../types.js';
import { noWorkflowCommand } from '../safe-text.js';
import type { Formatter } from './types.js';

/** Characters XML 1.0 does not allow, and lone surrogates: replaced by U+FFFD. */
 
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function worst(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'info');
}

export const junit: Formatter = (report) => {
  const byFile = new Map<string, Map<string, Finding[]>>();
  const fileOf = (file: string) => {
    let rules = byFile.get(file);
    if (!rules) byFile.set(file, (rules = new Map()));
    return rules;
  };
  for (const file of report.files ?? []) fileOf(file);
  for (const f of report.findings) {
    const rules = fileOf(f.file);
    const list = rules.get(f.ruleId);
    if (list) list.push(f);
    else rules.set(f.ruleId, [f]);
  }
  const ran = (report.rules ?? []).filter((r) => r.severity !== 'off').map((r) => r.id);
  const files = [...byFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  let tests = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const file of files) {
    const findingsByRule = byFile.get(file)!;
    const ids = [...new Set([...ran, ...findingsByRule.keys()])].sort();
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const id of ids.length > 0 ? ids : ['sidecar-lint']) {
      const findings = findingsByRule.get(id) ?? [];
      const open = `    <testcase classname="${xmlAttribute(file)}" name="${xmlAttribute(id)}" file="${xmlAttribute(file)}"`;
      if (findings.length === 0) {
        cases.push(`${open}/>`);
        continue;
      }
      suiteFailures++;
      const first = findings[0]!;
      const message =
        findings.length === 1
          ? `${first.line}:${first.column} ${first.message}`
          : `${plural(findings.length, 'problem')}, the first at ${first.line}:${first.column}: ${first.message}`;
      // Each finding starts a line of the body (printed as is by CI tools): never a workflow command.
      const body = findings.map((f) => noWorkflowCommand(`${file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.message}`)).join('\n');
      cases.push(
        `${open} line="${first.line}">`,
        `      <failure type="${worst(findings)}" message="${xmlAttribute(message)}">${xmlText(body)}</failure>`,
        '    </testcase>',
      );
    }
    const count = Math.max(ids.length, 1);
    tests += count;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${xmlAttribute(file)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="0">`,
      ...cases,
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sidecar-lint" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};
