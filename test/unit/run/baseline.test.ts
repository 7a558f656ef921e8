/**
 * Baselines (--baseline-create, --baseline, --baseline-prune, `baseline:` in the config): fingerprints
 * that survive edits elsewhere, counts, stale entries, and what each format says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { BASELINE_FILE_NAME, baselineSchema, createBaseline, matchBaseline, serializeBaseline } from '../../../src/run/baseline.js';
import { lint, runCli } from '../../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-baseline-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function repo(files: Record<string, string>): string {
  const dir = path.join(tmp, `repo-${++n}`);
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CM = (name: string, key = 'DB_PASSWORD') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${key}: hunter2-CANARY-value\n`;

interface JsonOut {
  findings: { ruleId: string; line: number }[];
  baselined?: { ruleId: string; baselined: boolean }[];
  summary: { findings: number; baselined?: number };
}

describe('--baseline-create and --baseline', () => {
  it('writes every finding, sorted and value-free, and then accepts them all', async () => {
    const cwd = repo({ 'k8s/b.yaml': CM('b'), 'k8s/a.yaml': CM('a') });
    const created = await runCli(['--baseline-create', BASELINE_FILE_NAME, 'k8s'], { cwd });
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('sidecar-lint: wrote baseline .sidecar-lint-baseline.json with 2 findings\n');
    const text = fs.readFileSync(path.join(cwd, BASELINE_FILE_NAME), 'utf8');
    expect(text).not.toContain('CANARY');
    expect(text).not.toContain('hunter2');
    expect(text).toBe(
      [
        '{',
        '  "$schema": "https://sidecar-lint.dev/schema/baseline.schema.json",',
        '  "version": 1,',
        '  "findings": [',
        '    {"rule":"configmap-sensitive-data","file":"k8s/a.yaml","object":{"apiVersion":"v1","kind":"ConfigMap","namespace":null,"name":"a"},"container":null,"path":["data","DB_PASSWORD"],"count":1},',
        '    {"rule":"configmap-sensitive-data","file":"k8s/b.yaml","object":{"apiVersion":"v1","kind":"ConfigMap","namespace":null,"name":"b"},"container":null,"path":["data","DB_PASSWORD"],"count":1}',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    // The default file is used without naming it.
    const r = await runCli(['-f', 'json', 'k8s'], { cwd });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as JsonOut;
    expect(out.findings).toEqual([]);
    expect(out.summary.baselined).toBe(2);
    expect(out.baselined!.every((f) => f.baselined)).toBe(true);
    // --no-baseline turns it off.
    expect((await runCli(['--no-baseline', 'k8s'], { cwd })).code).toBe(1);
  });

  it('the file validates against the published schema (schema/baseline.schema.json is up to date)', async () => {
    const published = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/baseline.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(baselineSchema)));
    const cwd = repo({ 'a.yaml': CM('a') });
    await runCli(['--baseline-create', 'b.json', 'a.yaml'], { cwd });
    const validate = new Ajv({ strict: false }).compile(published);
    expect(validate(JSON.parse(fs.readFileSync(path.join(cwd, 'b.json'), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('fingerprints survive inserted lines, comments and objects elsewhere; a new finding fails', async () => {
    const cwd = repo({ 'a.yaml': CM('a') });
    await runCli(['--baseline-create', 'base.json', 'a.yaml'], { cwd });
    const before = fs.readFileSync(path.join(cwd, 'base.json'), 'utf8');
    // Lines inserted above, a new document in front, the key moved down: same fingerprint.
    fs.writeFileSync(
      path.join(cwd, 'a.yaml'),
      `# a comment\n# another\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n---\n${CM('a').replace('data:\n', 'data:\n  plain: value\n')}`,
    );
    const same = await runCli(['-f', 'json', '--baseline', 'base.json', 'a.yaml'], { cwd });
    expect(same.code).toBe(0);
    expect((JSON.parse(same.stdout) as JsonOut).summary).toMatchObject({ findings: 0, baselined: 1 });
    expect(same.stderr).toBe('');
    // A new credential in the same object is a new fingerprint.
    fs.appendFileSync(path.join(cwd, 'a.yaml'), '  API_TOKEN: abc-CANARY\n');
    const added = await runCli(['-f', 'json', '--baseline', 'base.json', 'a.yaml'], { cwd });
    expect(added.code).toBe(1);
    const out = JSON.parse(added.stdout) as JsonOut;
    expect(out.findings.map((f) => f.line)).toEqual([17]);
    expect(out.summary).toMatchObject({ findings: 1, baselined: 1 });
    expect(fs.readFileSync(path.join(cwd, 'base.json'), 'utf8')).toBe(before);
  });

  it('counts: a second identical finding is new', () => {
    const two = `${CM('same')}---\n${CM('same')}`;
    const three = `${two}---\n${CM('same')}`;
    const naming = { cwd: '/r', root: '/r' };
    const baseline = createBaseline(lint(two, 'x.yaml'), naming);
    expect(baseline.findings.map((e) => e.count)).toEqual([2]);
    const match = matchBaseline(lint(three, 'x.yaml'), baseline, naming, () => true);
    expect(match.baselined).toHaveLength(2);
    expect(match.fresh.map((f) => f.line)).toEqual([20]);
    const one = matchBaseline(lint(CM('same'), 'x.yaml'), baseline, naming, () => true);
    expect(one.stale.map((s) => [s.entry.count, s.unmatched])).toEqual([[2, 1]]);
    expect(one.pruned.findings.map((e) => e.count)).toEqual([1]);
  });

  it('lists stale entries at the end of the run; --baseline-prune rewrites the file without them', async () => {
    const cwd = repo({ 'a.yaml': CM('a'), 'b.yaml': CM('b'), 'c.yaml': CM('c') });
    await runCli(['--baseline-create', 'base.json', '.'], { cwd });
    fs.writeFileSync(path.join(cwd, 'a.yaml'), CM('a', 'color'));
    fs.rmSync(path.join(cwd, 'c.yaml'));
    const r = await runCli(['--baseline', 'base.json', 'a.yaml'], { cwd });
    // A fixed, baselined finding never fails the run; b.yaml was not linted, so its entry is not stale.
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        'sidecar-lint: 2 baseline entries no longer match (remove with --baseline-prune):',
        'sidecar-lint:   a.yaml: configmap-sensitive-data on ConfigMap a, data.DB_PASSWORD',
        'sidecar-lint:   c.yaml: configmap-sensitive-data on ConfigMap c, data.DB_PASSWORD',
        '',
      ].join('\n'),
    );
    const pruned = await runCli(['--baseline', 'base.json', '--baseline-prune', 'a.yaml'], { cwd });
    expect(pruned.code).toBe(0);
    expect(pruned.stderr).toContain('2 baseline entries no longer match; removed from base.json:');
    const left = JSON.parse(fs.readFileSync(path.join(cwd, 'base.json'), 'utf8')) as { findings: { file: string }[] };
    expect(left.findings.map((e) => e.file)).toEqual(['b.yaml']);
    const quiet = await runCli(['--baseline', 'base.json', '.'], { cwd });
    expect(quiet.stderr).toBe('');
  });

  it('SARIF sets baselineState; stylish and markdown count baselined findings in the summary line', async () => {
    const cwd = repo({ 'a.yaml': CM('a') });
    await runCli(['--baseline-create', 'base.json', 'a.yaml'], { cwd });
    fs.appendFileSync(path.join(cwd, 'a.yaml'), '  API_TOKEN: abc-CANARY\n');
    const sarif = await runCli(['-f', 'sarif', '--baseline', 'base.json', 'a.yaml'], { cwd });
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { baselineState: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }).runs[0]!.results;
    expect(results.map((x) => [x.locations[0]!.physicalLocation.region.startLine, x.baselineState])).toEqual([
      [6, 'unchanged'],
      [7, 'new'],
    ]);
    const plain = await runCli(['-f', 'sarif', '--no-baseline', 'a.yaml'], { cwd });
    expect(plain.stdout).not.toContain('baselineState');
    const stylish = await runCli(['--baseline', 'base.json', 'a.yaml'], { cwd });
    expect(stylish.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\) in 1 file; 1 file, 1 object checked, 1 baselined\n$/);
    const markdown = await runCli(['-f', 'markdown', '--baseline', 'base.json', 'a.yaml'], { cwd });
    expect(markdown.stdout).toContain('in 1 file; 1 file, 1 object checked; 1 baselined.');
  });

  it('the config names a baseline relative to itself', async () => {
    const cwd = repo({ 'ci/.sidecar-lint.yaml': 'baseline: accepted.json\n', 'a.yaml': CM('a') });
    await runCli(['--baseline-create', 'ci/accepted.json', 'a.yaml'], { cwd });
    const r = await runCli(['-c', 'ci/.sidecar-lint.yaml', 'a.yaml'], { cwd });
    expect(r.code).toBe(0);
    const missing = repo({ '.sidecar-lint.yaml': 'baseline: nope.json\n', 'a.yaml': CM('a') });
    const m = await runCli(['a.yaml'], { cwd: missing });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('baseline nope.json: not found');
  });

  it('refuses a malformed baseline and options that do not go together', async () => {
    const cwd = repo({ 'a.yaml': CM('a'), 'bad.json': '{"version":1,"findings":[{"rule":"x"}]}' });
    const r = await runCli(['--baseline', 'bad.json', 'a.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('baseline bad.json: findings[0].file must be a file name');
    expect((await runCli(['--baseline', 'x', '--baseline-create', 'y', 'a.yaml'], { cwd })).code).toBe(2);
    expect((await runCli(['--baseline-prune', 'a.yaml'], { cwd })).stderr).toContain('--baseline-prune: no baseline');
  });

  it('serializes the same baseline to the same bytes whatever the finding order', () => {
    const naming = { cwd: '/r', root: '/r' };
    const findings = lint(`${CM('a')}---\n${CM('b')}`, 'x.yaml');
    expect(serializeBaseline(createBaseline([...findings].reverse(), naming))).toBe(serializeBaseline(createBaseline(findings, naming)));
  });
});
