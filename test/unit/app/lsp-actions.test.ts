/**
 * The language server's pure parts (src/app/lsp-actions.ts): findings as diagnostics, the "suppress
 * with a reason" edit (checked by linting the edited text: the finding is then suppressed), hover
 * text and the rule-fix hook. The server itself is tested through the built bin in test/e2e/lsp.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import { contains, findingRange, fixAction, hoverMarkdown, REASON_PLACEHOLDER, setFixProvider, suppressAction, suppressEdit, toDiagnostic } from '../../../src/app/lsp-actions.js';
import type { Finding } from '../../../src/types.js';
import { lintOptions } from '../../support/lint.js';

const options: LintOptions = {
  rules: lintOptions().rules,
  settings: DEFAULT_SETTINGS,
};

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: DB_PASSWORD
          value: hunter2-hunter2
`;

function apply(text: string, edit: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
}

const finding: Finding = {
  ruleId: 'env-literal-secret',
  severity: 'error',
  message: 'm',
  file: 'f.yaml',
  line: 10,
  column: 11,
  endLine: 11,
  endColumn: 34,
  object: null,
  container: 'app',
  path: ['spec', 'containers', 0, 'env', 0],
};

describe('findings as diagnostics', () => {
  it('converts 1-based, end-exclusive ranges to LSP ranges, with severity, code, codeDescription and data', () => {
    const d = toDiagnostic(finding, () => true);
    expect(d.range).toEqual({ start: { line: 9, character: 10 }, end: { line: 10, character: 33 } });
    expect(d.severity).toBe(1);
    expect(d.code).toBe('env-literal-secret');
    expect(d.codeDescription?.href).toMatch(/\/rules\/env-literal-secret\.md$/);
    expect(d.source).toBe('sidecar-lint');
    expect(d.data).toEqual({ ruleId: 'env-literal-secret', path: ['spec', 'containers', 0, 'env', 0], container: 'app' });
    expect(toDiagnostic({ ...finding, severity: 'warning' }, () => false).severity).toBe(2);
    expect(toDiagnostic({ ...finding, severity: 'info' }, () => false).codeDescription).toBeUndefined();
    expect(toDiagnostic({ ...finding, severity: 'info' }, () => false).severity).toBe(3);
  });

  it('moves first-line columns by one when the editor text starts with a byte order mark', () => {
    expect(findingRange({ line: 1, column: 1, endLine: 1, endColumn: 5 }, true)).toEqual({ start: { line: 0, character: 1 }, end: { line: 0, character: 5 } });
    expect(findingRange({ line: 2, column: 1, endLine: 2, endColumn: 5 }, true)).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
  });

  it('contains: inside, at both ends, outside', () => {
    const r = { start: { line: 1, character: 4 }, end: { line: 2, character: 3 } };
    expect(contains(r, { line: 1, character: 4 })).toBe(true);
    expect(contains(r, { line: 2, character: 3 })).toBe(true);
    expect(contains(r, { line: 1, character: 99 })).toBe(true);
    expect(contains(r, { line: 1, character: 3 })).toBe(false);
    expect(contains(r, { line: 2, character: 4 })).toBe(false);
  });
});

describe('suppress with a reason', () => {
  it('inserts a disable-next-line comment with the placeholder reason, indented like the line, and the finding is then suppressed', () => {
    const before = lintText(POD, 'p.yaml', options).findings.filter((f) => f.ruleId === 'env-literal-secret');
    expect(before).toHaveLength(1);
    expect(before[0]!.suppressed).toBeUndefined();
    const edit = suppressEdit(POD, before[0]!.line - 1, 'env-literal-secret', false)!;
    expect(edit.newText).toBe(`        # sidecar-lint-disable-next-line env-literal-secret -- ${REASON_PLACEHOLDER}\n`);
    const after = lintText(apply(POD, edit), 'p.yaml', options).findings.filter((f) => f.ruleId === 'env-literal-secret');
    expect(after).toHaveLength(1);
    expect(after[0]!.suppressed).toEqual({ kind: 'comment', justification: REASON_PLACEHOLDER });
    expect(lintText(apply(POD, edit), 'p.yaml', options).findings.filter((f) => !f.suppressed).map((f) => f.ruleId)).not.toContain('suppression-without-reason');
  });

  it('adds the rule to a disable-next-line comment already on the line before, keeping its reason', () => {
    const text = 'a: 1\n  # sidecar-lint-disable-next-line secret-env-var -- reviewed\n  b: 2\n';
    expect(suppressEdit(text, 2, 'env-literal-secret', false)).toEqual({
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 61 } },
      newText: '  # sidecar-lint-disable-next-line secret-env-var, env-literal-secret -- reviewed',
    });
    expect(suppressEdit(text, 2, 'secret-env-var', false)).toBeUndefined(); // already covered
  });

  it('keeps CRLF line ends and a byte order mark first', () => {
    expect(suppressEdit('a: 1\r\nb: 2\r\n', 1, 'x-rule', false)!.newText).toMatch(/\r\n$/);
    expect(suppressEdit('\uFEFFa: 1\n', 0, 'x-rule', false)!.range.start).toEqual({ line: 0, character: 1 });
  });

  it('is not offered for JSON, parse errors and the suppression checks themselves', () => {
    expect(suppressEdit(POD, 9, 'env-literal-secret', true)).toBeUndefined();
    for (const id of ['parse-error', 'suppression-without-reason', 'unused-suppression']) expect(suppressEdit(POD, 9, id, false)).toBeUndefined();
    const d = toDiagnostic(finding, () => true);
    expect(suppressAction('file:///p.json', POD, d, true)).toBeUndefined();
    const action = suppressAction('file:///p.yaml', POD, d, false)!;
    expect(action.kind).toBe('quickfix');
    expect(action.diagnostics).toEqual([d]);
    expect(Object.keys(action.edit!.changes!)).toEqual(['file:///p.yaml']);
  });
});

describe('the rule-fix hook', () => {
  afterEach(() => setFixProvider(undefined));

  it('offers nothing without a provider, and the provider\'s edits with one', () => {
    const d = toDiagnostic(finding, () => true);
    expect(fixAction('file:///p.yaml', POD, d)).toBeUndefined();
    setFixProvider({
      fix: ({ data }) => (data.ruleId === 'env-literal-secret' ? { title: 'Fix it', safe: true, edits: [{ range: d.range, newText: 'x' }] } : undefined),
    });
    expect(fixAction('file:///p.yaml', POD, d)).toEqual({ title: 'Fix it', kind: 'quickfix', diagnostics: [d], isPreferred: true, edit: { changes: { 'file:///p.yaml': [{ range: d.range, newText: 'x' }] } } });
    expect(fixAction('file:///p.yaml', POD, toDiagnostic({ ...finding, ruleId: 'secret-env-var' }, () => true))).toBeUndefined();
  });
});

describe('hover', () => {
  it('lists each finding under the cursor, then each rule\'s explanation once', () => {
    const text = hoverMarkdown(
      [
        { ruleId: 'a-rule', severity: 'error', message: 'first' },
        { ruleId: 'a-rule', severity: 'error', message: 'second' },
      ],
      (id) => `# ${id}\n\nWhy.\n`,
    );
    expect(text).toBe('**a-rule** (error): first\n\n**a-rule** (error): second\n\n---\n\n# a-rule\n\nWhy.');
  });
});
