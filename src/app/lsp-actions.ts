/**
 * The language server's pure parts: findings → LSP diagnostics, the "suppress with a reason" edit,
 * hover text, and the hook for rule fixes. Nothing here does I/O or imports the protocol library at
 * run time (only its types), so it is tested in process (test/unit/app/lsp-actions.test.ts).
 *
 * Room app: must not import .
 */
import type { CodeAction, Diagnostic, Position, Range, TextEdit } from 'vscode-languageserver';
import { ruleDocUrl } from '../format/rule-docs.js';
import type { Finding, Severity } from '../types.js';

/** LSP's DiagnosticSeverity values (written out: this module loads nothing of the protocol library). */
const LSP_SEVERITY: Record<Severity, 1 | 2 | 3> = { error: 1, warning: 2, info: 3 };

/** The `source` of every diagnostic this server publishes. */
export const SOURCE = 'sidecar-lint';

/** What a diagnostic carries in `data`, for code actions and hover (no value from the manifest). */
interface DiagnosticData {
  ruleId: string;
  /** The reported node's path from the object's root (for a rule's fix). */
  path?: readonly (string | number)[];
  container?: string | null;
}

/**
 * The LSP range of a finding. Findings are 1-based with an exclusive end column, in UTF-16 units of
 * the text the engine read; that text has no byte order mark, so a mark at the start of the
 * editor's text moves the first line's columns by one.
 */
export function findingRange(f: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>, hasBom = false): Range {
  const shift = (line: number) => (hasBom && line === 1 ? 1 : 0);
  const start = { line: f.line - 1, character: f.column - 1 + shift(f.line) };
  let end = { line: f.endLine - 1, character: f.endColumn - 1 + shift(f.endLine) };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = { ...start };
  return { start, end };
}

/** A finding as a diagnostic: exact range, severity, the rule id as `code`, its doc as `codeDescription` when documented. */
export function toDiagnostic(f: Finding, documented: (ruleId: string) => boolean, hasBom = false): Diagnostic {
  const data: DiagnosticData = { ruleId: f.ruleId, ...(f.path ? { path: f.path } : {}), container: f.container };
  return {
    range: findingRange(f, hasBom),
    severity: LSP_SEVERITY[f.severity],
    code: f.ruleId,
    ...(documented(f.ruleId) ? { codeDescription: { href: ruleDocUrl(f.ruleId) } } : {}),
    source: SOURCE,
    message: f.message,
    data,
  };
}

/** Whether `position` is inside `range` (its end included, so a hover at the last character counts). */
export function contains(range: Range, position: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, position) && before(position, range.end);
}

/** The reason written by "suppress with a reason": a placeholder the user replaces (it suppresses as it is). */
export const REASON_PLACEHOLDER = 'TODO: say why this finding is accepted';

/** Findings of these ids cannot be suppressed by a comment (or suppressing them makes no sense). */
const NOT_SUPPRESSIBLE = new Set(['parse-error', 'suppression-without-reason', 'unused-suppression']);

const NEXT_LINE_DIRECTIVE = /^([ \t]*)#\s*sidecar-lint-disable-next-line(?=\s|$)([^\n\r]*)$/;

/**
 * The edit that suppresses `ruleId` on `line` (0-based) of `text`: a
 * `# sidecar-lint-disable-next-line <rule-id> -- <reason>` comment on the line before, indented like
 * the line (so it stays inside a block scalar holding an inline patch), or the rule added to such a
 * comment that is already there. Undefined for findings a comment cannot suppress, and for JSON
 * (which has no comments).
 */
export function suppressEdit(text: string, line: number, ruleId: string, isJson: boolean): TextEdit | undefined {
  if (isJson || NOT_SUPPRESSIBLE.has(ruleId) || !/^[A-Za-z0-9_./-]+$/.test(ruleId)) return undefined;
  const lines = text.split('\n');
  if (line < 0 || line >= lines.length) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const strip = (l: string) => l.replace(/\r$/, '');
  const target = strip(lines[line]!).replace(/^\uFEFF/, '');
  const indent = /^[ \t]*/.exec(target)![0];
  const previous = line > 0 ? NEXT_LINE_DIRECTIVE.exec(strip(lines[line - 1]!)) : null;
  if (previous) {
    const rest = previous[2]!;
    const sep = rest.indexOf('--');
    const list = (sep >= 0 ? rest.slice(0, sep) : rest).trim();
    const reason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
    const rules = list === '' ? [] : list.split(/[\s,]+/).filter((r) => r.length > 0);
    if (rules.length === 0 || rules.includes('all') || rules.includes(ruleId)) return undefined; // already covers it
    const comment = `${previous[1]}# sidecar-lint-disable-next-line ${[...rules, ruleId].join(', ')} -- ${reason || REASON_PLACEHOLDER}`;
    return { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: strip(lines[line - 1]!).length } }, newText: comment };
  }
  const at = { line, character: 0 };
  // A byte order mark stays first.
  if (line === 0 && lines[0]!.startsWith('\uFEFF')) at.character = 1;
  return { range: { start: at, end: at }, newText: `${indent}# sidecar-lint-disable-next-line ${ruleId} -- ${REASON_PLACEHOLDER}${eol}` };
}

/** The "suppress with a reason" code action for one diagnostic, if the finding can be suppressed there. */
export function suppressAction(uri: string, text: string, diagnostic: Diagnostic, isJson: boolean): CodeAction | undefined {
  const ruleId = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
  if (!ruleId) return undefined;
  const edit = suppressEdit(text, diagnostic.range.start.line, ruleId, isJson);
  if (!edit) return undefined;
  return {
    title: `Suppress ${ruleId} on this line (with a reason to fill in)`,
    kind: 'quickfix',
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: [edit] } },
  };
}

/**
 * The hook for rule fixes: the server registers a provider (src/app/lsp.ts, built on src/run/fix.ts) and then
 * offers, for each diagnostic whose finding has a fix, one code action titled by the provider,
 * applying the text edits it returns.
 */
export interface FixProvider {
  /**
   * Edits that fix the finding behind `diagnostic` in `text` (the whole document), or undefined when
   * the rule has no fix for it. `data.path` is the reported node's path inside its object.
   */
  fix(request: { uri: string; text: string; diagnostic: Diagnostic; data: DiagnosticData }): { title: string; edits: TextEdit[]; safe: boolean } | undefined;
}

let fixProvider: FixProvider | undefined;

/** Installs (or with undefined removes) the provider of rule fixes. */
export function setFixProvider(provider: FixProvider | undefined): void {
  fixProvider = provider;
}

/** The rule-fix code action for one diagnostic, when a provider is installed and has a fix. */
export function fixAction(uri: string, text: string, diagnostic: Diagnostic): CodeAction | undefined {
  const data = diagnostic.data as DiagnosticData | undefined;
  if (!fixProvider || !data || typeof data.ruleId !== 'string') return undefined;
  const fix = fixProvider.fix({ uri, text, diagnostic, data });
  if (!fix || fix.edits.length === 0) return undefined;
  return { title: fix.title, kind: 'quickfix', diagnostics: [diagnostic], isPreferred: fix.safe, edit: { changes: { [uri]: fix.edits } } };
}

/** Hover text for the findings under the cursor: each rule's message, then its explanation (rules/<id>.md). */
export function hoverMarkdown(findings: readonly { ruleId: string; severity: Severity; message: string; hint?: string }[], explain: (ruleId: string) => string | undefined): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const f of findings) parts.push(`**${f.ruleId}** (${f.severity}): ${f.message}${f.hint ? ` ${f.hint}` : ''}`);
  for (const f of findings) {
    if (seen.has(f.ruleId)) continue;
    seen.add(f.ruleId);
    const doc = explain(f.ruleId);
    if (doc) parts.push(`---\n\n${doc.trim()}`);
  }
  return parts.join('\n\n');
}
