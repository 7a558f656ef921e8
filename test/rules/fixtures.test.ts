/**
 * Table-driven fixture test. Every file under fixtures/ (`.yaml`, `.yml`, `.json`) is linted with all
 * built-in rules at their default severities, as the whole input set on its own (through
 * `lintInputs`, so cross-resource checks between the objects of one file run), and its findings are
 * compared, exactly, with the expectations it carries:
 *
 *   # expect: <rule-id>@<line>          a finding of that rule on that line (any column)
 *   # expect: <rule-id>@<line>:<column> a finding at that exact line and column
 *   # expect: none                      no finding at all
 *
 * Expectations are full comment lines anywhere in a YAML file (one or more per line, separated by
 * spaces or commas); a JSON fixture keeps them in a sibling `<name>.json.expect` file. A fixture
 * without any expectation fails, so a forgotten header cannot pass silently. A comment line
 * `# kube-version: X.Y` lints the fixture for that Kubernetes version (the `kubeVersion` setting).
 *
 * A fixture that a `kustomization.yaml` under fixtures/ lists as a patch is linted as one (the CLI
 * finds these files the same way before linting: `listedPatchFiles`).
 *
 * Credential values in fixtures contain the marker `CANARY`; no finding message may contain it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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

const EXPECT_LINE = /^\s*#\s*expect\s*:(.*)$/;
const EXPECT_ITEM = /^([a-z][a-z0-9-]*)@(\d+)(?::(\d+))?$/;
const KUBE_VERSION_LINE = /^\s*#\s*kube-version\s*:\s*(\S+)\s*$/;

function readExpectations(source: string, fixture: Fixture): void {
  source.split(/\r?\n/).forEach((line, i) => {
    const version = KUBE_VERSION_LINE.exec(line);
    if (version) {
      if (fixture.kubeVersion !== undefined) fixture.errors.push(`line ${i + 1}: a second "# kube-version:" line`);
      fixture.kubeVersion = version[1]!;
      return;
    }
    const m = EXPECT_LINE.exec(line);
    if (!m) {
      if (/#\s*expect\b/.test(line)) fixture.errors.push(`line ${i + 1}: "expect" comment is not a whole "# expect: …" line`);
      return;
    }
    const items = m[1]!.trim().split(/[\s,]+/).filter((s) => s !== '');
    if (items.length === 0) fixture.errors.push(`line ${i + 1}: empty expectation`);
    for (const item of items) {
      if (item === 'none') {
        fixture.none = true;
        continue;
      }
      const e = EXPECT_ITEM.exec(item);
      if (!e) {
        fixture.errors.push(`line ${i + 1}: malformed expectation "${item}"`);
        continue;
      }
      if (!RULE_IDS.has(e[1]!)) fixture.errors.push(`line ${i + 1}: unknown rule id "${e[1]}"`);
      fixture.expectations.push({ ruleId: e[1]!, line: Number(e[2]), column: e[3] === undefined ? undefined : Number(e[3]) });
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
    if (existsSync(expectFile)) readExpectations(readFileSync(expectFile, 'utf8'), fixture);
    else fixture.errors.push(`missing ${name}.expect (JSON fixtures keep their expectations there)`);
  } else {
    readExpectations(text, fixture);
  }
  if (!fixture.none && fixture.expectations.length === 0 && !fixture.errors.some((e) => e.startsWith('missing'))) {
    fixture.errors.push('no expectations: add "# expect: <rule-id>@<line>[:<column>]" lines or "# expect: none"');
  }
  if (fixture.none && fixture.expectations.length > 0) fixture.errors.push('"expect: none" together with expected findings');
  return fixture;
}

function render(ruleId: string, line: number, column: number | undefined): string {
  return column === undefined ? `${ruleId}@${line}` : `${ruleId}@${line}:${column}`;
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
 * with a column shows its column, one matched by a line-only expectation shows only its line, and an
 * unmatched finding shows its full position (so the diff tells where it really is).
 */
function renderActual(findings: readonly Finding[], expectations: readonly Expectation[]): string[] {
  const pending = [...findings];
  const out: string[] = [];
  const take = (match: (f: Finding) => boolean): Finding | undefined => {
    const i = pending.findIndex(match);
    return i < 0 ? undefined : pending.splice(i, 1)[0];
  };
  for (const e of expectations.filter((x) => x.column !== undefined)) {
    const f = take((g) => g.ruleId === e.ruleId && g.line === e.line && g.column === e.column);
    if (f) out.push(render(f.ruleId, f.line, f.column));
  }
  for (const e of expectations.filter((x) => x.column === undefined)) {
    const f = take((g) => g.ruleId === e.ruleId && g.line === e.line);
    if (f) out.push(render(f.ruleId, f.line, undefined));
  }
  for (const f of pending) out.push(render(f.ruleId, f.line, f.column));
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
    if (PATCH_FIXTURES.has(fixture.name)) options.patchFiles = [fixture.name];
    const findings = lintAlone(fixture.text, fixture.name, options);

    const expected = fixture.expectations.map((e) => render(e.ruleId, e.line, e.column)).sort(sortKey);
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
