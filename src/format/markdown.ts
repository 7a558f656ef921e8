/**
 * Markdown for people (a pull request comment, the GitHub Action's job summary): a headline, the
 * findings by file and rule as tables with links to the rule docs, and for every pod with a finding
 * that carries a picture of it (a rule attaches one to a report, `ReportDescriptor.pod`: today
 * `secret-in-main-container` and `uncoupled-containers`) a Mermaid diagram of its containers, the
 * Secrets that reach them and what couples them. Names only, never values.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import type { PodGraph } from '../model/pod-graph.js';
import { safeName } from '../safe-text.js';
import { SEVERITY_RANK, type Finding, type ObjectRef } from '../types.js';
import type { Formatter, Report, RuleInfo } from './types.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A zero-width space, written as an entity: it breaks what GitHub would turn into a link or mention. */
const BREAK = '&#8203;';

/**
 * Text that Markdown shows as written, on one line: HTML and the characters that make emphasis,
 * links, code or table cells are escaped (an underscore inside a word, as in REDIS_PASSWORD, is not),
 * and so is what GitHub links or renders on its own: URLs (`https://…`, `www.…`), e-mail addresses
 * and @mentions (which notify people when the report is a comment), `#123` references, `$…$` math
 * and `:emoji:` codes.
 */
export function escapeMarkdown(text: string): string {
  return safeName(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~$]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`)
    .replace(/#(?=\d)/g, `#${BREAK}`) // first: the entities added here hold `#8`
    .replace(/@/g, `@${BREAK}`)
    .replace(/:(?=\/\/)/g, `${BREAK}:`)
    .replace(/\b(www)\./gi, `$1${BREAK}.`)
    .replace(/:(?=[\w+-]+:)/g, `:${BREAK}`);
}

/** An inline code span that holds any text (the fence is longer than any run of backticks in it). */
export function codeSpan(text: string): string {
  const one = safeName(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(/\|/g, '\\|');
  let longest = 0;
  for (const run of one.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || one === '' ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

function ruleLink(id: string, rules: ReadonlyMap<string, RuleInfo>): string {
  const uri = rules.get(id)?.helpUri;
  return uri ? `[${codeSpan(id)}](${uri})` : codeSpan(id);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function objectTitle(ref: ObjectRef | null): string {
  if (!ref) return 'Pod';
  const ns = ref.namespace ? ` in namespace ${ref.namespace}` : '';
  return `${ref.kind ?? 'Object'} ${ref.name ?? '(unnamed)'}${ns}`;
}

/** Text inside a quoted Mermaid label: entity codes for what Mermaid or HTML would read. */
export function mermaidText(text: string): string {
  return safeName(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '))
    .replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

const ROLE_LABEL = { main: 'main', sidecar: 'sidecar', 'native-sidecar': 'native sidecar', init: 'init', ephemeral: 'ephemeral' } as const;

/** The Mermaid flowchart of one pod. `flagged` are the containers with a finding. */
function podDiagram(ref: ObjectRef | null, pod: PodGraph, flagged: ReadonlySet<string>): string {
  const lines = ['flowchart LR'];
  const title = `${objectTitle(ref)}${pod.shareProcessNamespace ? ' (shared process namespace)' : ''}`;
  lines.push(`  subgraph pod["${mermaidText(title)}"]`);
  pod.containers.forEach((c, i) => {
    const parts = [`${mermaidText(c.name)} (${ROLE_LABEL[c.role]})`];
    if (c.ports.length > 0) parts.push(`${c.ports.length === 1 ? 'port' : 'ports'} ${c.ports.join(', ')}`);
    for (const l of pod.localhost) {
      if (l.container === i && l.target === null) parts.push(`calls ${mermaidText(l.address)}`);
    }
    lines.push(`    c${i}["${parts.join('<br/>')}"]`);
  });
  lines.push('  end');

  const secretIds = new Map<string, string>();
  for (const s of pod.secrets) {
    const key = `${s.kind}\u0000${s.name}`;
    if (!secretIds.has(key)) {
      const id = `s${secretIds.size}`;
      secretIds.set(key, id);
      lines.push(`  ${id}[("${s.kind} ${mermaidText(s.name)}")]`);
    }
  }
  const edges = new Map<string, { from: string; to: number; via: string; entries: string[] }>();
  for (const s of pod.secrets) {
    const from = secretIds.get(`${s.kind}\u0000${s.name}`)!;
    const key = `${from}\u0000${s.container}\u0000${s.via}`;
    const edge = edges.get(key) ?? { from, to: s.container, via: s.via, entries: [] };
    if (s.via !== 'envFrom' && !edge.entries.includes(s.entry)) edge.entries.push(s.entry);
    edges.set(key, edge);
  }
  for (const e of edges.values()) {
    const label = e.entries.length > 0 ? `${e.via} ${e.entries.map(mermaidText).join(', ')}` : e.via;
    lines.push(`  ${e.from} -- "${label}" --> c${e.to}`);
  }
  pod.volumes.forEach((v, i) => {
    lines.push(`  v${i}{{"volume ${mermaidText(v.name)}"}}`);
    for (const c of v.containers) lines.push(`  c${c} --- v${i}`);
  });
  for (const l of pod.localhost) {
    if (l.target !== null) lines.push(`  c${l.container} -. "${mermaidText(l.address)}" .-> c${l.target}`);
  }

  lines.push('  classDef secret fill:#fff5f5,stroke:#cf222e');
  lines.push('  classDef flagged stroke:#bf8700,stroke-width:3px');
  if (secretIds.size > 0) lines.push(`  class ${[...secretIds.values()].join(',')} secret`);
  const marked = pod.containers.flatMap((c, i) => (flagged.has(c.name) ? [`c${i}`] : []));
  if (marked.length > 0) lines.push(`  class ${marked.join(',')} flagged`);
  return lines.join('\n');
}

interface PodEntry {
  ref: ObjectRef | null;
  pod: PodGraph;
  flagged: Set<string>;
}

/** Pods to draw for a file's findings, in the order of their first finding, without repeats. */
function podsOf(findings: readonly Finding[]): PodEntry[] {
  const pods = new Map<string, PodEntry>();
  for (const f of findings) {
    if (!f.pod) continue;
    const key = JSON.stringify([f.object, f.pod]);
    let entry = pods.get(key);
    if (!entry) pods.set(key, (entry = { ref: f.object, pod: f.pod, flagged: new Set() }));
    if (f.container !== null) entry.flagged.add(f.container);
  }
  return [...pods.values()];
}

function headline(report: Report): string {
  const s = report.summary;
  const scope = `${plural(s.files, 'file')}, ${plural(s.objects, 'object')} checked`;
  const withFindings = new Set(report.findings.map((f) => f.file)).size;
  const kinds = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), ...(s.infos > 0 ? [`${s.infos} info`] : [])];
  const baselined = s.baselined ? `; ${s.baselined} baselined` : '';
  const suppressed = `${report.suppressed.length > 0 ? `; ${report.suppressed.length} suppressed` : ''}${baselined}`;
  if (s.findings === 0) return `✅ **No problems** in ${scope}${suppressed}.`;
  return `❌ **${plural(s.findings, 'problem')}** (${kinds.join(', ')}) in ${plural(withFindings, 'file')}; ${scope}${suppressed}.`;
}

export const markdown: Formatter = (report) => {
  const rules = new Map((report.rules ?? []).map((r) => [r.id, r]));
  const out: string[] = ['## sidecar-lint', '', headline(report), ''];

  if (report.findings.length > 0) {
    const counts = new Map<string, Finding[]>();
    for (const f of report.findings) {
      const list = counts.get(f.ruleId);
      if (list) list.push(f);
      else counts.set(f.ruleId, [f]);
    }
    out.push('| Rule | Severity | Findings |', '|---|---|---:|');
    for (const id of [...counts.keys()].sort(byText)) {
      const list = counts.get(id)!;
      const severity = list.reduce((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), list[0]!.severity);
      out.push(`| ${ruleLink(id, rules)} | ${severity} | ${list.length} |`);
    }
    out.push('');
  }

  const byFile = new Map<string, Finding[]>();
  // (Each group grows in place: a copy for each finding took minutes for 200,000 findings.)
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, findings] of [...byFile].sort((a, b) => byText(a[0], b[0]))) {
    out.push(`### ${codeSpan(file)}`, '', '| Rule | Line | Severity | Message |', '|---|---:|---|---|');
    const rows = [...findings].sort((a, b) => byText(a.ruleId, b.ruleId) || a.line - b.line || a.column - b.column);
    for (const f of rows) {
      out.push(`| ${ruleLink(f.ruleId, rules)} | ${f.line}:${f.column} | ${f.severity} | ${escapeMarkdown(f.message)} |`);
    }
    out.push('');
    for (const entry of podsOf(findings)) {
      out.push(`#### ${escapeMarkdown(objectTitle(entry.ref))}`, '');
      out.push('```mermaid', podDiagram(entry.ref, entry.pod, entry.flagged), '```', '');
      out.push(
        'Containers with a finding are outlined; arrows show how Secrets reach containers (env, envFrom, volume), plain lines the volumes containers share, dotted arrows localhost addresses.',
        '',
      );
    }
  }

  if (report.suppressed.length > 0) {
    out.push(`<details><summary>${plural(report.suppressed.length, 'suppressed finding')}</summary>`, '');
    out.push('| File | Line | Rule | Suppressed by | Reason |', '|---|---:|---|---|---|');
    for (const f of report.suppressed) {
      out.push(
        `| ${codeSpan(f.file)} | ${f.line}:${f.column} | ${ruleLink(f.ruleId, rules)} | ${f.suppressed?.kind ?? ''} | ${escapeMarkdown(f.suppressed?.justification ?? '')} |`,
      );
    }
    out.push('', '</details>', '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
};
