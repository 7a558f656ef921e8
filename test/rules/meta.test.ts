/**
 * Checks that hold for every rule: metadata, files beside it (source, doc, fixtures), option schemas,
 * and that the examples in each rule's doc do what the doc says.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS, ENGINE_RULES, SYNTAX_RULES, type EngineRuleId } from '../../src/config/lint-options.js';
import { RULE_ID, type AnyRule, type MessageTemplate } from '../../src/rule.js';
import { SEVERITIES } from '../../src/types.js';
import { lint, lintAlone, lintOptions } from '../support/lint.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RULES_DIR = join(ROOT, 'rules');
const FIXTURES_DIR = join(ROOT, 'fixtures');

/** The `## ` sections every rule doc has, in this order. */
const REQUIRED_SECTIONS = ['What it checks', 'Why', 'Failing example', 'Passing example', 'How to fix', 'Options', 'Not flagged'];
const SEVERITY_LINE = /^\*\*Default severity:\*\* `([a-z]+)`$/m;

const syntaxIds = Object.keys(SYNTAX_RULES) as (keyof typeof SYNTAX_RULES)[];
/** Every finding the engine itself makes (syntax and suppression checks): each is documented like a rule. */
const engineIds = Object.keys(ENGINE_RULES) as EngineRuleId[];
const ruleIds = builtinRules.map((r) => r.meta.id);
/** Every documented id with its default severity. */
const documented: { id: string; severity: string; syntax: boolean }[] = [
  ...builtinRules.map((r) => ({ id: r.meta.id, severity: r.meta.defaultSeverity as string, syntax: false })),
  ...engineIds.map((id) => ({ id, severity: ENGINE_RULES[id].severity as string, syntax: true })),
];

interface DocExample {
  kind: 'fail' | 'pass';
  /** The `## ` section it sits in. */
  section: string | undefined;
  /** 1-based line of the marker comment. */
  line: number;
  text: string;
  /** The Kubernetes version the example targets (`<!-- example: fail kube-version=1.28 -->`), else the default. */
  kubeVersion?: string;
}

interface ParsedDoc {
  title: string | undefined;
  sections: string[];
  examples: DocExample[];
  /** Problems with the markup: markers not followed by a yaml fence, unmarked yaml fences, unclosed fences. */
  problems: string[];
}

const MARKER = /^<!--\s*example:\s*(\w+)(?:\s+kube-version=(\S+))?\s*-->$/;

/** A small line-based reader of the doc conventions; fenced blocks are skipped so `# comments` in them are not headings. */
function parseDoc(markdown: string): ParsedDoc {
  const lines = markdown.split(/\r?\n/);
  const doc: ParsedDoc = { title: undefined, sections: [], examples: [], problems: [] };
  let section: string | undefined;
  let pending: { kind: string; line: number; kubeVersion?: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^(`{3,})(.*)$/.exec(line);
    if (fence) {
      const info = fence[2]!.trim();
      const close = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]!) && l.trim() === fence[1]);
      if (close < 0) {
        doc.problems.push(`line ${i + 1}: unclosed code fence`);
        break;
      }
      const body = lines.slice(i + 1, close).join('\n') + '\n';
      if (pending) {
        if (info !== 'yaml') doc.problems.push(`line ${pending.line}: example marker is followed by a \`${info}\` fence, not \`yaml\``);
        else if (pending.kind !== 'fail' && pending.kind !== 'pass') doc.problems.push(`line ${pending.line}: unknown example kind "${pending.kind}"`);
        else doc.examples.push({ kind: pending.kind, section, line: pending.line, text: body, ...(pending.kubeVersion ? { kubeVersion: pending.kubeVersion } : {}) });
        pending = undefined;
      } else if (info === 'yaml') {
        doc.problems.push(`line ${i + 1}: yaml block without an <!-- example: fail|pass --> marker (every yaml block is tested)`);
      }
      i = close;
      continue;
    }
    if (pending) {
      doc.problems.push(`line ${pending.line}: example marker is not directly followed by a code fence`);
      pending = undefined;
    }
    const marker = MARKER.exec(line.trim());
    if (marker) {
      pending = { kind: marker[1]!, line: i + 1, ...(marker[2] ? { kubeVersion: marker[2] } : {}) };
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(line);
    if (heading) {
      if (heading[1] === '#') {
        if (doc.title === undefined && doc.sections.length === 0) doc.title = heading[2];
        else doc.problems.push(`line ${i + 1}: more than one title`);
      } else if (heading[1] === '##') {
        section = heading[2];
        doc.sections.push(heading[2]!);
      }
    }
  }
  if (pending) doc.problems.push(`line ${pending.line}: example marker at the end of the doc`);
  return doc;
}

function docPath(id: string): string {
  return join(RULES_DIR, `${id}.md`);
}

function readDoc(id: string): { text: string; parsed: ParsedDoc } | undefined {
  const path = docPath(id);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  return { text, parsed: parseDoc(text) };
}

function visibleFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...visibleFilesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Examples that carry suppressions (the docs of the engine's suppression findings) are linted the way
 * the CLI lints with --report-unused-suppressions; only the findings left unsuppressed count.
 */
function lintWithSuppressions(text: string, file = 'test.yaml') {
  const rules = lintOptions().rules;
  return lintText(text, file, { rules, settings: DEFAULT_SETTINGS, reportUnusedSuppressions: true }).findings.filter((f) => !f.suppressed);
}

/**
 * Lints a doc example with every rule, at the Kubernetes version it targets; with `cross`, as the
 * whole input set (cross-resource checks between the example's objects included).
 */
function lintExample(example: DocExample, file?: string, cross = false) {
  if (example.text.includes('sidecar-lint')) return lintWithSuppressions(example.text, file);
  if (cross) return lintAlone(example.text, file, example.kubeVersion === undefined ? {} : { settings: { kubeVersion: example.kubeVersion } });
  if (example.kubeVersion === undefined) return lint(example.text, file);
  const rules = lintOptions().rules;
  return lintText(example.text, file ?? 'test.yaml', { rules, settings: { ...DEFAULT_SETTINGS, kubeVersion: example.kubeVersion } }).findings;
}

/** The `{{name}}` placeholders of a template; throws on braces that are not a well-formed placeholder. */
function placeholdersOf(template: string): string[] {
  const names = [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
  const rest = template.replace(/\{\{\s*(\w+)\s*\}\}/g, '');
  if (rest.includes('{{') || rest.includes('}}')) throw new Error(`malformed placeholder in "${template}"`);
  return names;
}

describe('the rule index', () => {
  it('has at least one rule', () => {
    expect(builtinRules.length).toBeGreaterThan(0);
  });

  it('has unique ids', () => {
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
  });

  it('is sorted by id', () => {
    expect(ruleIds).toEqual([...ruleIds].sort());
  });

  it('does not reuse the ids of the engine findings', () => {
    for (const id of ruleIds) expect(engineIds as string[]).not.toContain(id);
  });

  it('registers every rule module in rules/', () => {
    const modules = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -'.ts'.length));
    expect(modules.sort()).toEqual([...ruleIds].sort());
  });

  it('has no doc without a rule', () => {
    const docs = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -'.md'.length));
    const known = new Set(documented.map((d) => d.id));
    expect(docs.filter((d) => !known.has(d))).toEqual([]);
  });
});

describe.each(builtinRules.map((rule) => [rule.meta.id, rule] as [string, AnyRule]))('rule %s', (id, rule) => {
  it('has a kebab-case id', () => {
    expect(id).toMatch(RULE_ID);
  });

  it(`is the default export of rules/${id}.ts`, async () => {
    expect(existsSync(join(RULES_DIR, `${id}.ts`))).toBe(true);
    const module = (await import(`../../rules/${id}.ts`)) as { default: unknown };
    expect(module.default).toBe(rule);
  });

  it('has a valid default severity', () => {
    expect(SEVERITIES).toContain(rule.meta.defaultSeverity);
  });

  it('has a description', () => {
    expect(typeof rule.meta.description).toBe('string');
    expect(rule.meta.description.trim()).not.toBe('');
  });

  it('has non-empty messages with well-formed placeholders, each a short message and a hint', () => {
    const entries = Object.entries(rule.meta.messages);
    expect(entries.length).toBeGreaterThan(0);
    for (const [messageId, template] of entries) {
      expect(messageId, 'message id').toMatch(/^[A-Za-z][A-Za-z0-9-]*$/);
      expect(typeof template, `message ${messageId} is { message, hint }`).toBe('object');
      const { message, hint } = template as MessageTemplate;
      for (const [part, text] of [
        ['message', message],
        ['hint', hint],
      ] as const) {
        expect(typeof text).toBe('string');
        expect(text.trim(), `${part} ${messageId}`).not.toBe('');
        // A placeholder is a data field name; a message that is nothing but a placeholder says nothing.
        for (const name of placeholdersOf(text)) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
        expect(text.replace(/\{\{\s*\w+\s*\}\}/g, '').trim(), `${part} ${messageId} has text besides placeholders`).not.toBe('');
      }
      // One line of stylish in 100 columns: the message with 10-character names stays within 80.
      const filled = message.replace(/\{\{\s*\w+\s*\}\}/g, 'x'.repeat(10));
      expect(filled.length, `message ${messageId}: ${message}`).toBeLessThanOrEqual(80);
      // What to do is the hint's job, not the message's.
      expect(message, `message ${messageId}`).not.toMatch(/\b(Move|Set|Put|Add|Prefer|Mount|Rename|Remove|Encode|Keep|Let|Make|Have)\b/);
    }
  });

  it('has an options schema that ajv compiles in strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(rule.meta.options);
    expect(rule.meta.options.type).toBe('object');
    // The engine passes {} when no options are configured, so {} must be valid…
    expect(validate({}), ajv.errorsText(validate.errors)).toBe(true);
    // …and so must the documented defaults.
    if (rule.meta.defaultOptions !== undefined) {
      expect(validate(rule.meta.defaultOptions), ajv.errorsText(validate.errors)).toBe(true);
    }
  });

  it('has fixtures in fixtures/<id>/', () => {
    const dir = join(FIXTURES_DIR, id);
    expect(existsSync(dir) && statSync(dir).isDirectory(), `fixtures/${id}/ exists`).toBe(true);
    expect(visibleFilesUnder(dir).length, `files in fixtures/${id}/`).toBeGreaterThan(0);
  });
});

describe.each(documented.map((d) => [d.id, d] as [string, (typeof documented)[number]]))('doc rules/%s.md', (id, { severity, syntax }) => {
  const doc = readDoc(id);

  it('exists', () => {
    expect(doc, `rules/${id}.md`).toBeDefined();
  });

  it('is well-formed', () => {
    expect(doc?.parsed.problems).toEqual([]);
  });

  it(`has the title "# ${id}" on its first line`, () => {
    expect(doc?.text.split(/\r?\n/, 1)[0]).toBe(`# ${id}`);
  });

  it('states the default severity of the code', () => {
    const m = doc ? SEVERITY_LINE.exec(doc.text) : null;
    expect(m?.[1], '**Default severity:** `…` line').toBe(severity);
  });

  it('has the required sections in order', () => {
    const sections = doc?.parsed.sections ?? [];
    expect(sections.filter((s) => REQUIRED_SECTIONS.includes(s))).toEqual(REQUIRED_SECTIONS);
  });

  it('has failing examples under "Failing example" and passing ones under "Passing example"', () => {
    const examples = doc?.parsed.examples ?? [];
    expect(examples.filter((e) => e.kind === 'fail').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.kind === 'pass').length).toBeGreaterThan(0);
    for (const e of examples) {
      expect(e.section, `example at line ${e.line}`).toBe(e.kind === 'fail' ? 'Failing example' : 'Passing example');
    }
  });

  it('documents each option in "Options" (or says "None" when the rule has none)', () => {
    const text = doc?.text ?? '';
    const options = text.slice(text.indexOf('\n## Options'), text.indexOf('\n## ', text.indexOf('\n## Options') + 1));
    const names = syntax ? [] : Object.keys((builtinRules.find((r) => r.meta.id === id)!.meta.options.properties as object | undefined) ?? {});
    if (names.length === 0) expect(options).toMatch(/\bNone\b/);
    for (const name of names) expect(options, `option ${name}`).toContain(`\`${name}\``);
  });
});

/** The engine's own findings that have a fix, and its kind. */
const ENGINE_FIXES: Partial<Record<EngineRuleId, 'safe' | 'unsafe'>> = { 'duplicate-key': 'unsafe' };

describe.each(documented.map((d) => [d.id, d] as [string, (typeof documented)[number]]))(
  'doc rules/%s.md: automatic fix',
  (id, { syntax }) => {
    const text = readDoc(id)?.text ?? '';
    const start = text.indexOf('\n## Automatic fix\n');
    const section = start < 0 ? '' : text.slice(start + 1, text.indexOf('\n## ', start + 1));
    const rule = builtinRules.find((r) => r.meta.id === id);
    const kind = syntax ? ENGINE_FIXES[id as EngineRuleId] : rule?.meta.fix;

    it('has an "Automatic fix" section between "How to fix" and "Options"', () => {
      const sections = readDoc(id)?.parsed.sections ?? [];
      expect(sections.indexOf('Automatic fix'), 'section').toBe(sections.indexOf('How to fix') + 1);
      expect(sections.indexOf('Options')).toBe(sections.indexOf('Automatic fix') + 1);
    });

    it(kind ? `says how to apply its ${kind} fix` : 'says why it has no automatic fix', () => {
      const body = section.replace(/^## Automatic fix\n+/, '');
      if (kind === 'unsafe') expect(body).toContain('`--fix --unsafe-fixes`');
      else if (kind === 'safe') expect(body).toMatch(/`--fix` \(safe\)/);
      else {
        expect(body.startsWith('None.'), body).toBe(true);
        expect(body.length, 'a reason after "None."').toBeGreaterThan(40);
      }
    });

    it('mentions the default-container annotation fix exactly when its messages name a guessed main container', () => {
      const guesses = rule ? Object.values(rule.meta.messages).some((m) => JSON.stringify(m).includes('{{guess}}')) : false;
      expect(section.includes('default-container'), section).toBe(guesses);
    });
  },
);

/**
 * Findings made while preparing the inputs, not by linting a text: their examples are kustomizations,
 * run through the CLI by their own test (test/unit/input/render-error.test.ts).
 */
const CLI_EXAMPLES = new Set(['render-error']);

describe('doc examples', () => {
  const cases = documented.filter(({ id }) => !CLI_EXAMPLES.has(id)).flatMap(({ id, syntax }) =>
    (readDoc(id)?.parsed.examples ?? []).map((example) => ({ name: `rules/${id}.md:${example.line} (${example.kind})`, id, syntax, example })),
  );

  it('exist', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  // A passing example shows the recommended design, so no other rule may object to it either.
  // (Per example object, without the cross-resource checks: some older passing examples have sidecars
  // without resources, which sidecar-missing-resources reports.)
  it.each(cases.filter((c) => c.example.kind === 'pass').map((c) => [c.name, c] as const))('%s is clean under every rule', (_, { example }) => {
    expect(lintExample(example).map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, { id, syntax, example }) => {
    const file = `rules/${id}.md`;
    const findings = lintExample(example, file, true);
    const own = findings.filter((f) => f.ruleId === id);
    if (example.kind === 'fail') {
      expect(own.length, `findings of ${id}`).toBeGreaterThan(0);
      for (const f of own) {
        expect(f.message.trim()).not.toBe('');
        expect(f.message, 'every placeholder is filled in').not.toMatch(/\{\{|\}\}/);
      }
    } else {
      expect(own.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
    }

    // Examples of the rules (and passing examples of the engine findings) are complete, valid manifests.
    if (!syntax || example.kind === 'pass') {
      const syntaxFindings = findings.filter((f) => (syntaxIds as string[]).includes(f.ruleId));
      expect(syntaxFindings.map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`)).toEqual([]);
      const docs = parseAllDocuments(example.text);
      expect(Array.isArray(docs) && docs.length > 0).toBe(true);
      for (const d of Array.isArray(docs) ? docs : []) {
        const value = d.toJS() as Record<string, unknown> | null;
        expect(typeof value?.apiVersion, 'apiVersion').toBe('string');
        expect(typeof value?.kind, 'kind').toBe('string');
        expect(typeof (value?.metadata as Record<string, unknown> | undefined)?.name, 'metadata.name').toBe('string');
      }
    }
  });
});
