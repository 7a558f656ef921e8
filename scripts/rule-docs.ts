/**
 * The parts of the docs that are generated from metadata: the README's rules table and the newest
 * Kubernetes version it knows (`NEWEST_KUBE_VERSION`, the `--kube-version` default) and, in each
 * rule's doc (rules/<id>.md), the first part of its `## Options` section (its options schema as a
 * table, or that it has none). Each generated part sits between two markers:
 * `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` (on lines of their own, or inline within a
 * line, as in a table cell); what is outside them is written by hand.
 *
 * `npm run build:docs` (scripts/build-docs.mjs) rewrites them; test/unit/generated-docs.test.ts fails when
 * a committed file differs from what this module generates.
 */
import { builtinRules } from '../rules/index.js';
import { DEFAULT_KUBE_VERSION, ENGINE_RULES, type EngineRuleId } from '../src/config/lint-options.js';
import type { JsonSchema } from '../src/rule.js';

/** What the docs say about one rule (a built-in rule or a finding of the engine's own). */
interface DocRule {
  id: string;
  severity: string;
  description: string;
  options: JsonSchema | undefined;
  defaultOptions: Record<string, unknown> | undefined;
  fix: string | undefined;
}

const docRules: readonly DocRule[] = [
  ...builtinRules.map((r) => ({
    id: r.meta.id,
    severity: r.meta.defaultSeverity,
    description: r.meta.description,
    options: r.meta.options,
    defaultOptions: r.meta.defaultOptions,
    fix: r.meta.fix,
  })),
  ...(Object.keys(ENGINE_RULES) as EngineRuleId[]).map((id) => ({
    id,
    severity: ENGINE_RULES[id].severity,
    description: ENGINE_RULES[id].description,
    options: undefined,
    defaultOptions: undefined,
    fix: undefined,
  })),
];

/** Every documented rule id (built-in rules, then the engine's findings). */
export const DOCUMENTED_RULE_IDS: readonly string[] = docRules.map((r) => r.id);

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function optionProperties(schema: JsonSchema | undefined): [string, JsonSchema][] {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties);
}

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  if (schema.type === 'array') {
    const items = (schema.items ?? {}) as JsonSchema;
    return `array of ${typeof items.type === 'string' ? items.type : 'values'}`;
  }
  return typeof schema.type === 'string' ? schema.type : Array.isArray(schema.type) ? schema.type.join(' or ') : 'any';
}

/** The README's rules table. */
export function rulesTable(): string {
  const lines = ['| rule | default | options | fix | what it catches |', '|---|---|---|---|---|'];
  for (const r of docRules) {
    const options = optionProperties(r.options).map(([name]) => `\`${name}\``);
    lines.push(`| [\`${r.id}\`](rules/${r.id}.md) | ${r.severity} | ${options.join(', ') || ''} | ${r.fix ?? ''} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}

/** The generated part of a rule doc's `## Options` section. */
export function optionsSection(id: string): string {
  const r = docRules.find((d) => d.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  const properties = optionProperties(r.options);
  if (properties.length === 0) return 'None: the rule takes no options (its options schema allows no properties).';
  const lines = ['| option | type | default | meaning |', '|---|---|---|---|'];
  for (const [name, schema] of properties) {
    const fallback = r.defaultOptions?.[name] ?? schema.default;
    const shown = fallback === undefined ? '' : `\`${JSON.stringify(fallback)}\``;
    const meaning = typeof schema.description === 'string' ? schema.description : '';
    lines.push(`| \`${name}\` | ${typeOf(schema)} | ${shown} | ${cell(meaning)} |`);
  }
  return lines.join('\n');
}

/**
 * Replaces the text between the markers of `name` (which must be there once): on lines of their own
 * around it, or `inline` (the content right between them, in a line).
 */
export function replaceGenerated(text: string, name: string, content: string, { inline = false } = {}): string {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start || text.indexOf(open, start + 1) >= 0) {
    throw new Error(`expected one "${open}" … "${close}" pair`);
  }
  const around = inline ? '' : '\n';
  return `${text.slice(0, start + open.length)}${around}${content}${around}${text.slice(end)}`;
}

/** README.md with its rules table and the newest Kubernetes version generated. */
export function generateReadme(readme: string): string {
  const table = replaceGenerated(readme, 'rules-table', rulesTable());
  return replaceGenerated(table, 'newest-kube-version', DEFAULT_KUBE_VERSION, { inline: true });
}

/** rules/<id>.md with its options generated. */
export function generateRuleDoc(id: string, doc: string): string {
  return replaceGenerated(doc, 'options', optionsSection(id));
}
