/**
 * Table-driven fixture test. Every file under fixtures/ (`.yaml`, `.yml`, `.json`) is linted with all
 * built-in rules at their default severities, as the whole input set on its own (through
 * `lintInputs`, so cross-resource checks between the objects of one file run), and its findings are
 * compared, exactly, with the expectations it carries (fixtures/README.md):
 *
 *   # expect: <rule-id>@<line>          a finding of that rule on that line (any column)
 *   # expect: <rule-id>@<line>:<column> a finding at that exact line and column
 *   # expect: <rule-id>/<messageId>@…   the same, with that message id
 *   # expect: none                      no finding at all
 *   <content>  # <- <rule-id>[/<messageId>][:<column>]
 *                                       a finding on this line (any column, or that column)
 *   # options: {"<rule-id>": {…}}       rule options for this fixture (over the rule's defaults)
 *   # kube-version: X.Y                 lint for that Kubernetes version (the `kubeVersion` setting)
 *
 * `# expect:`, `# options:` and `# kube-version:` are full comment lines anywhere in a YAML file (an
 * `expect` line holds one or more expectations, separated by spaces or commas); `# <-` ends the line
 * it is about (a YAML comment, so not inside a block scalar). A JSON fixture keeps its header lines
 * in a sibling `<name>.json.expect` file (no `# <-` there). A fixture without any expectation fails,
 * so a forgotten header cannot pass silently, and so does a malformed or misspelt expectation
 * comment (`# expects:`, `#<- x`, an unknown rule or message id, options the rule's schema rejects).
 *
 * A fixture that a `kustomization.yaml` under fixtures/ lists as a patch is linted as one (the CLI
 * finds these files the same way before linting: `listedPatchFiles`).
 *
 * Credential values in fixtures contain the marker `CANARY`; no finding message may contain it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { Parser } from 'yaml';
import { builtinRules } from '../../rules/index.js';
import { SYNTAX_RULES } from '../../src/config/lint-options.js';
import { MAIN_CHOICE_NOTES } from '../../src/model/workloads.js';
import { listedPatchFiles } from '../../src/input/render/plan.js';
import { compareFindings, type Finding } from '../../src/types.js';
import { lintAlone, lintFile, type LintAllOptions } from '../support/lint.js';

const ROOT = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const FIXTURE_EXTENSIONS = ['.yaml', '.yml', '.json'];
const SECRET_MARKER = 'CANARY';
const SERVICE_GUESS = MAIN_CHOICE_NOTES.service.trim();

const RULE_IDS: ReadonlySet<string> = new Set([...builtinRules.map((r) => r.meta.id), ...Object.keys(SYNTAX_RULES)]);
/** Rules with a cross-resource check: their findings come only from the pass over all inputs. */
const CROSS_RULE_IDS: ReadonlySet<string> = new Set(builtinRules.filter((r) => r.crossCheck).map((r) => r.meta.id));
/** Directories of fixtures/ that are not named after a rule. */
const OTHER_DIRS: ReadonlySet<string> = new Set(['examples', 'patches']);

interface Expectation {
  ruleId: string;
  /** Asserted only when given (`rule-id/messageId`). */
  messageId: string | undefined;
  line: number;
  column: number | undefined;
}

interface Fixture {
  /** Path relative to fixtures/, with `/` separators. */
  name: string;
  file: string;
  text: string;
  /** Where the expectations were read from. */
  expectSource: string;
  none: boolean;
  expectations: Expectation[];
  /** Malformed expectation lines. */
  errors: string[];
  /** From a `# kube-version: X.Y` line. */
  kubeVersion?: string;
  /** From a `# options: {...}` line: options per rule id, over the rule's defaults. */
  ruleOptions?: Record<string, Record<string, unknown>>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (FIXTURE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) out.push(full);
  }
  return out;
}

const RULES = new Map(builtinRules.map((r) => [r.meta.id, r]));
const EXPECT_LINE = /^\s*#\s*expect\s*:(.*)$/;
const EXPECT_ITEM = /^([a-z][a-z0-9-]*)(?:\/([A-Za-z][A-Za-z0-9-]*))?@(\d+)(?::(\d+))?$/;
/** `# <- …` after the content of a line (YAML needs a space before a comment's `#`). */
const INLINE = /(^|\s)#\s*<-(.*)$/;
const INLINE_ITEM = /^([a-z][a-z0-9-]*)(?:\/([A-Za-z][A-Za-z0-9-]*))?(?::(\d+))?$/;
const OPTIONS_LINE = /^\s*#\s*options\s*:(.*)$/;
const KUBE_VERSION_LINE = /^\s*#\s*kube-version\s*:\s*(\S+)\s*$/;
/** What looks like a header or an inline expectation but is not one of the forms above. */
const LOOKALIKE = /#\s*(?:<-|-<|<=|(?:expect(?:s|ed|ations?)?|options?|kube-?versions?)\s*[:=])/i;
const ajv = new Ajv({ allErrors: true, strict: false });

/** Offsets of the comments of a YAML text: an inline expectation must be one (not text in a block scalar). */
function commentOffsets(text: string): Set<number> {
  const out = new Set<number>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) visit(n);
    else if (node !== null && typeof node === 'object') {
      const token = node as { type?: unknown; offset?: unknown };
      if (token.type === 'comment' && typeof token.offset === 'number') out.add(token.offset);
      for (const v of Object.values(node)) if (v !== null && typeof v === 'object') visit(v);
    }
  };
  for (const token of new Parser().parse(text)) visit(token);
  return out;
}

/** Checks a rule id and message id of an expectation; returns the problem, if any. */
function unknownIds(ruleId: string, messageId: string | undefined): string | undefined {
  if (!RULE_IDS.has(ruleId)) return `unknown rule id "${ruleId}"`;
  if (messageId === undefined) return undefined;
  const rule = RULES.get(ruleId);
  if (!rule) return `"${ruleId}" is one of the engine's findings, which have no message ids`;
  if (!Object.hasOwn(rule.meta.messages, messageId)) return `"${ruleId}" has no message id "${messageId}" (it has ${Object.keys(rule.meta.messages).join(', ')})`;
  return undefined;
}

function readOptions(json: string, fixture: Fixture, where: string): void {
  if (fixture.ruleOptions !== undefined) return void fixture.errors.push(`${where}: a second "# options:" line`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return void fixture.errors.push(`${where}: "# options:" is not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return void fixture.errors.push(`${where}: "# options:" is not an object of rule ids`);
  fixture.ruleOptions = {};
  for (const [id, options] of Object.entries(value)) {
    const rule = RULES.get(id);
    if (!rule) {
      fixture.errors.push(`${where}: options for "${id}", which is not a rule with options`);
      continue;
    }
    const merged: Record<string, unknown> = { ...(rule.meta.defaultOptions ?? {}), ...(options as Record<string, unknown>) };
    const validate = ajv.compile(rule.meta.options);
    if (options === null || typeof options !== 'object' || Array.isArray(options) || !validate(merged)) {
      fixture.errors.push(`${where}: options for "${id}" do not match its schema: ${ajv.errorsText(validate.errors)}`);
      continue;
    }
    fixture.ruleOptions[id] = merged;
  }
}

/**
 * Reads the expectation comments of `source` into `fixture`. `yaml` is true for a YAML fixture (whose
 * lines may end with `# <- …`), false for a `.json.expect` file.
 */
function readExpectations(source: string, fixture: Fixture, yaml: boolean): void {
  let comments: Set<number> | undefined;
  let offset = 0;
  source.split('\n').forEach((raw, i) => {
    const lineStart = offset;
    offset += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const where = `line ${i + 1}`;
    const version = KUBE_VERSION_LINE.exec(line);
    if (version) {
      if (fixture.kubeVersion !== undefined) fixture.errors.push(`${where}: a second "# kube-version:" line`);
      fixture.kubeVersion = version[1]!;
      return;
    }
    const options = OPTIONS_LINE.exec(line);
    if (options) return readOptions(options[1]!.trim(), fixture, where);
    const inline = INLINE.exec(line);
    if (inline) {
      const hash = inline.index + inline[1]!.length;
      if (!yaml) return void fixture.errors.push(`${where}: "# <-" expectations belong on the fixture's own lines, not in a .expect file`);
      if (line.slice(0, hash).trim() === '') return void fixture.errors.push(`${where}: "# <-" must end the line it is about (this line has nothing else)`);
      comments ??= commentOffsets(source);
      if (!comments.has(lineStart + hash)) return void fixture.errors.push(`${where}: "# <-" is not a YAML comment here (inside a block scalar or a quoted string?)`);
      const items = inline[2]!.trim().split(/[\s,]+/).filter((x) => x !== '');
      if (items.length === 0) fixture.errors.push(`${where}: "# <-" names no rule`);
      for (const item of items) {
        const e = INLINE_ITEM.exec(item);
        if (!e) {
          fixture.errors.push(`${where}: malformed inline expectation "${item}" (write rule-id, rule-id/messageId or rule-id:column)`);
          continue;
        }
        const problem = unknownIds(e[1]!, e[2]);
        if (problem) fixture.errors.push(`${where}: ${problem}`);
        fixture.expectations.push({ ruleId: e[1]!, messageId: e[2], line: i + 1, column: e[3] === undefined ? undefined : Number(e[3]) });
      }
      return;
    }
    const m = EXPECT_LINE.exec(line);
    if (!m) {
      if (/#\s*expect\b/.test(line)) fixture.errors.push(`${where}: "expect" comment is not a whole "# expect: …" line`);
      else if (LOOKALIKE.test(line)) fixture.errors.push(`${where}: looks like an expectation comment but is none of "# expect:", "# <-", "# options:", "# kube-version:"`);
      return;
    }
    const items = m[1]!.trim().split(/[\s,]+/).filter((x) => x !== '');
    if (items.length === 0) fixture.errors.push(`${where}: empty expectation`);
    for (const item of items) {
      if (item === 'none') {
        fixture.none = true;
        continue;
      }
      const e = EXPECT_ITEM.exec(item);
      if (!e) {
        fixture.errors.push(`${where}: malformed expectation "${item}"`);
        continue;
      }
      const problem = unknownIds(e[1]!, e[2]);
      if (problem) fixture.errors.push(`${where}: ${problem}`);
      fixture.expectations.push({ ruleId: e[1]!, messageId: e[2], line: Number(e[3]), column: e[4] === undefined ? undefined : Number(e[4]) });
    }
  });
}

function loadFixture(file: string): Fixture {
  const text = readFileSync(file, 'utf8');
  const name = relative(ROOT, file).split(sep).join('/');
  const fixture: Fixture = { name, file, text, expectSource: name, none: false, expectations: [], errors: [] };
  if (file.endsWith('.json')) {
    const expectFile = `${file}.expect`;
    fixture.expectSource = `${name}.expect`;
    if (existsSync(expectFile)) readExpectations(readFileSync(expectFile, 'utf8'), fixture, false);
    else fixture.errors.push(`missing ${name}.expect (JSON fixtures keep their expectations there)`);
  } else {
    readExpectations(text, fixture, true);
  }
  if (!fixture.none && fixture.expectations.length === 0 && !fixture.errors.some((e) => e.startsWith('missing'))) {
    fixture.errors.push('no expectations: add "# expect: <rule-id>@<line>[:<column>]" lines, "# <- <rule-id>" at the end of a line, or "# expect: none"');
  }
  if (fixture.none && fixture.expectations.length > 0) fixture.errors.push('"expect: none" together with expected findings');
  return fixture;
}

function render(ruleId: string, messageId: string | undefined, line: number, column: number | undefined): string {
  return `${ruleId}${messageId === undefined ? '' : `/${messageId}`}@${line}${column === undefined ? '' : `:${column}`}`;
}

function sortKey(a: string, b: string): number {
  const pa = /@(\d+)(?::(\d+))?$/.exec(a);
  const pb = /@(\d+)(?::(\d+))?$/.exec(b);
  const la = Number(pa?.[1] ?? 0);
  const lb = Number(pb?.[1] ?? 0);
  if (la !== lb) return la - lb;
  const ca = Number(pa?.[2] ?? 0);
  const cb = Number(pb?.[2] ?? 0);
  if (ca !== cb) return ca - cb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The findings rendered the way the expectations are written: a finding matched by an expectation
 * shows what it asserts (the column, the message id, when it gives them), and an unmatched finding
 * shows its full position and message id (so the diff tells where it really is and what to write).
 * The most specific expectations take their findings first.
 */
function renderActual(findings: readonly Finding[], expectations: readonly Expectation[]): string[] {
  const pending = [...findings];
  const out: string[] = [];
  const specificity = (e: Expectation) => (e.column !== undefined ? 2 : 0) + (e.messageId !== undefined ? 1 : 0);
  for (const e of [...expectations].sort((a, b) => specificity(b) - specificity(a))) {
    const i = pending.findIndex(
      (g) => g.ruleId === e.ruleId && g.line === e.line && (e.column === undefined || g.column === e.column) && (e.messageId === undefined || g.messageId === e.messageId),
    );
    if (i < 0) continue;
    const f = pending.splice(i, 1)[0]!;
    out.push(render(f.ruleId, e.messageId === undefined ? undefined : f.messageId, f.line, e.column === undefined ? undefined : f.column));
  }
  for (const f of pending) out.push(render(f.ruleId, f.messageId, f.line, f.column));
  return out.sort(sortKey);
}

function lineCount(text: string): number {
  const lines = text.split('\n');
  return text.endsWith('\n') ? lines.length - 1 : lines.length;
}

const fixtures = walk(ROOT).map(loadFixture);
/** Fixtures (by name) that a kustomization under fixtures/ lists as patches. */
const PATCH_FIXTURES: ReadonlySet<string> = new Set(
  [...listedPatchFiles(fixtures.map((f) => ({ absolute: f.file, display: f.name })))].map((file) => relative(ROOT, file).split(sep).join('/')),
);

/** The expectations and errors a fixture text (or a `.json.expect` text, `yaml` false) yields. */
function parse(text: string, yaml = true): Pick<Fixture, 'expectations' | 'errors' | 'none' | 'ruleOptions'> {
  const fixture: Fixture = { name: 't.yaml', file: 't.yaml', text, expectSource: 't.yaml', none: false, expectations: [], errors: [] };
  readExpectations(text, fixture, yaml);
  return { expectations: fixture.expectations, errors: fixture.errors, none: fixture.none, ruleOptions: fixture.ruleOptions };
}

describe('expectation comments', () => {
  it('read the header and inline forms, with message ids, columns and options', () => {
    const text = [
      '# expect: missing-reference-key/missingObject@4:7 secret-env-var@5',
      '# options: {"missing-reference-key": {"requireObjects": true}}',
      'data:',
      '  A: 1  # <- configmap-sensitive-data',
      '  B: 2 # <- configmap-sensitive-data/key:3, env-literal-secret:9',
    ].join('\n');
    const r = parse(text);
    expect(r.errors).toEqual([]);
    expect(r.expectations.map((e) => render(e.ruleId, e.messageId, e.line, e.column))).toEqual([
      'missing-reference-key/missingObject@4:7',
      'secret-env-var@5',
      'configmap-sensitive-data@4',
      'configmap-sensitive-data/key@5:3',
      'env-literal-secret@5:9',
    ]);
    expect(r.ruleOptions).toEqual({ 'missing-reference-key': { requireObjects: true } });
  });

  it.each([
    ['# expects: configmap-sensitive-data@1', 'looks like an expectation comment'],
    ['# Expect: configmap-sensitive-data@1', 'looks like an expectation comment'],
    ['# option: {}', 'looks like an expectation comment'],
    ['# kubeVersion: 1.29', 'looks like an expectation comment'],
    ['a: 1#<- configmap-sensitive-data', 'looks like an expectation comment'],
    ['a: 1  # <= configmap-sensitive-data', 'looks like an expectation comment'],
    ['data:  # expect: configmap-sensitive-data@1', 'not a whole "# expect: …" line'],
    ['# expect: configmap-sensitive-data@x', 'malformed expectation "configmap-sensitive-data@x"'],
    ['# expect: configmap-sensitive-data:3', 'malformed expectation'],
    ['# expect:', 'empty expectation'],
    ['# expect: no-such-rule@1', 'unknown rule id "no-such-rule"'],
    ['# expect: configmap-sensitive-data/nope@1', '"configmap-sensitive-data" has no message id "nope" (it has key, innerKey, value)'],
    ['# expect: parse-error/bad@1', 'engine\'s findings, which have no message ids'],
    ['# <- configmap-sensitive-data', 'must end the line it is about'],
    ['a: 1  # <-', 'names no rule'],
    ['a: 1  # <- configmap-sensitive-data@3', 'malformed inline expectation "configmap-sensitive-data@3"'],
    ['a: 1  # <- configmap-sensitive-data:x', 'malformed inline expectation'],
    ['a: 1  # <- configmap-sensitive-data (password)', 'malformed inline expectation "(password)"'],
    ['a: 1  # <- no-such-rule', 'unknown rule id "no-such-rule"'],
    ['a: 1  # <- configmap-sensitive-data/Key', 'has no message id "Key"'],
    ['a: |\n  text  # <- configmap-sensitive-data', 'is not a YAML comment here'],
    ["a: 'text  # <- configmap-sensitive-data'", 'is not a YAML comment here'],
    ['# options: {missing-reference-key: {}}', 'is not JSON'],
    ['# options: ["missing-reference-key"]', 'is not an object of rule ids'],
    ['# options: {"missing-reference-key": {"requireObjects": "yes"}}', 'do not match its schema: data/requireObjects must be boolean'],
    ['# options: {"missing-reference-key": {"requireObject": true}}', 'do not match its schema'],
    ['# options: {"parse-error": {}}', 'options for "parse-error", which is not a rule with options'],
    ['# options: {}\n# options: {}', 'a second "# options:" line'],
    ['# kube-version: 1.29\n# kube-version: 1.30', 'a second "# kube-version:" line'],
  ])('refuse %j', (text, error) => {
    const r = parse(`${text}\n# expect: none\n`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(error);
  });

  it('refuse an inline expectation in a .json.expect file (it has no lines of the fixture)', () => {
    expect(parse('{"a": 1}  # <- configmap-sensitive-data\n', false).errors).toEqual([
      'line 1: "# <-" expectations belong on the fixture\'s own lines, not in a .expect file',
    ]);
  });
});

describe('fixtures', () => {
  it('exist', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it('live in a directory named after a rule (or examples/)', () => {
    const misplaced = fixtures.map((f) => f.name).filter((n) => {
      const dir = n.split('/')[0]!;
      return !n.includes('/') || !(RULE_IDS.has(dir) || OTHER_DIRS.has(dir));
    });
    expect(misplaced).toEqual([]);
  });

  it('cover every rule with at least one firing fixture', () => {
    const fired = new Set(fixtures.flatMap((f) => f.expectations.map((e) => e.ruleId)));
    expect([...RULE_IDS].filter((id) => !fired.has(id))).toEqual([]);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    expect(fixture.errors, `expectations of ${fixture.expectSource}`).toEqual([]);
    const options: LintAllOptions = fixture.kubeVersion === undefined ? {} : { settings: { kubeVersion: fixture.kubeVersion } };
    if (fixture.ruleOptions) options.ruleOptions = fixture.ruleOptions;
    if (PATCH_FIXTURES.has(fixture.name)) options.patchFiles = [fixture.name];
    const findings = lintAlone(fixture.text, fixture.name, options);

    const expected = fixture.expectations.map((e) => render(e.ruleId, e.messageId, e.line, e.column)).sort(sortKey);
    expect(renderActual(findings, fixture.expectations)).toEqual(expected);

    // The cross-resource pass adds the findings of cross-resource rules and changes nothing else:
    // the other findings are those of linting the file alone, fast path included. A cross-resource
    // rule may also report what it decides without the other files (secret-in-main-container, job-sidecar-not-native): those
    // findings are found alone too, and kept by the whole pass. (Except where a Service of the set
    // decides a pod's main container: that file is linted again with it.)
    if (!findings.some((f) => `${f.message} ${f.hint ?? ''}`.includes(SERVICE_GUESS))) {
      const alone = lintFile(fixture.text, fixture.name, options).sort(compareFindings);
      const perObject = findings.filter((f) => !CROSS_RULE_IDS.has(f.ruleId));
      expect(perObject, 'findings besides those of cross-resource rules').toEqual(alone.filter((f) => !CROSS_RULE_IDS.has(f.ruleId)));
      const local = alone.filter((f) => CROSS_RULE_IDS.has(f.ruleId));
      expect(findings, 'findings of cross-resource rules decided without the other files').toEqual(expect.arrayContaining(local));
    }

    const lines = lineCount(fixture.text);
    for (const f of findings) {
      const where = `${f.ruleId}@${f.line}:${f.column}`;
      expect(f.line, `${where}: line`).toBeGreaterThanOrEqual(1);
      expect(f.line, `${where}: line`).toBeLessThanOrEqual(lines);
      expect(f.column, `${where}: column`).toBeGreaterThanOrEqual(1);
      expect(f.endLine, `${where}: endLine`).toBeGreaterThanOrEqual(f.line);
      expect(f.endLine, `${where}: endLine`).toBeLessThanOrEqual(lines);
      expect(`${f.message} ${f.hint ?? ''}`, `${where}: message or hint leaks a secret value`).not.toContain(SECRET_MARKER);
    }
  });
});
