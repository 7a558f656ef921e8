/**
 * JUnit XML for CI test reports, after ESLint's JUnit formatter: one `<testsuite>` per linted file,
 * one `<testcase>` per finding (named after its rule) with a `<failure>` for errors and warnings
 * (`line 3, col 5, Warning - message (rule-id)` and the hint); info findings are test cases that pass,
 * their text in `<system-out>`. A file without findings is one passing test case, so clean files show
 * too. Suppressed findings are left out.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { Finding, Severity } from '../types.js';
import { noWorkflowCommand } from '../safe-text.js';
import type { Formatter } from './types.js';

/** Characters XML 1.0 does not allow, and lone surrogates: replaced by U+FFFD. */
 
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlText(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** The test case's text: position, severity, message and rule, then the hint (each line safe in a CI log). */
function body(f: Finding): string {
  const lines = [`line ${f.line}, col ${f.column}, ${LABEL[f.severity]} - ${f.message} (${f.ruleId})`, ...(f.hint ? [f.hint] : [])];
  // Each line is printed as is by CI tools: never a workflow command.
  return lines.map((l) => noWorkflowCommand(l)).join('\n');
}

/** The class name ESLint gives a file's test cases: the file name without its extension. */
function className(file: string): string {
  return file.replace(/\.(ya?ml|json)$/i, '');
}

export const junit: Formatter = (report) => {
  const byFile = new Map<string, Finding[]>();
  for (const file of report.files ?? []) if (!byFile.has(file)) byFile.set(file, []);
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const files = [...byFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  let tests = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const file of files) {
    const findings = byFile.get(file)!;
    const cases: string[] = [];
    const classname = xmlAttribute(className(file));
    let suiteFailures = 0;
    if (findings.length === 0) cases.push(`    <testcase time="0" name="${xmlAttribute(file)}" classname="${classname}" file="${xmlAttribute(file)}"/>`);
    for (const f of findings) {
      const open = `    <testcase time="0" name="sidecar-lint.${xmlAttribute(f.ruleId)}" classname="${classname}" file="${xmlAttribute(file)}" line="${f.line}">`;
      if (f.severity === 'info') {
        cases.push(open, `      <system-out>${xmlText(body(f))}</system-out>`, '    </testcase>');
        continue;
      }
      suiteFailures++;
      cases.push(open, `      <failure type="${f.severity}" message="${xmlAttribute(f.message)}">${xmlText(body(f))}</failure>`, '    </testcase>');
    }
    const count = Math.max(findings.length, 1);
    tests += count;
    failures += suiteFailures;
    suites.push(`  <testsuite package="sidecar-lint" time="0" name="${xmlAttribute(file)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="0">`);
    for (const testCase of cases) suites.push(testCase);
    suites.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sidecar-lint" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};
