/**
 * The `sarif` format: valid against the SARIF 2.1.0 JSON Schema (test/schemas, checked with ajv and
 * its formats), every rule of the run in `tool.driver.rules`, results with regions and file names
 * relative to `%SRCROOT%`, suppressed findings with their justification.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../../../rules/index.js';
import { ENGINE_RULES } from '../../../src/config/lint-options.js';
import { sarif, sarifParts } from '../../../src/format/sarif.js';
import type { Report } from '../../../src/format/index.js';
import { VERSION } from '../../../src/version.js';
import { runCli } from '../../support/lint.js';
import { fixture, reportOf } from '../../support/report.js';

const schema = JSON.parse(fs.readFileSync(new URL('../../schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// Both packages are CommonJS: their default export is `module.exports`, whose `.default` is the value.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that the u flag rejects.
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function valid(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; shortDescription: { text: string }; helpUri?: string; defaultConfiguration: { level?: string; enabled?: boolean } }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    columnKind: string;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> }; logicalLocations?: unknown[] }[];
      suppressions?: { kind: string; status: string; justification: string }[];
    }[];
  }[];
}

const WRONG = fixture('test/format-fixtures/flask-redis-wrong.yaml');
const CWD = '/home/runner/work/repo';

function sarifOf(report: Report, cwd: string | null = CWD): SarifLog {
  return JSON.parse(sarif(report, { color: false, cwd: cwd ?? undefined })) as SarifLog;
}

describe('sarif', () => {
  it('compiles the vendored schema (a sanity check of the validator)', () => {
    expect(valid({ version: '2.1.0', runs: [] })).toEqual([]);
    expect(valid({ version: '2.0.0', runs: [] }).length).toBeGreaterThan(0);
    expect(valid({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b' } } }] }] }] }).length).toBeGreaterThan(0);
  });

  it('is valid SARIF 2.1.0 for a report with findings', () => {
    const log = sarifOf(reportOf([WRONG]));
    expect(valid(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  });

  it('lists every rule with a description, a doc link and its level', () => {
    const run = sarifOf(reportOf([WRONG])).runs[0]!;
    expect(run.tool.driver.name).toBe('sidecar-lint');
    expect(run.tool.driver.version).toBe(VERSION);
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([...builtinRules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)].sort());
    const secret = run.tool.driver.rules.find((r) => r.id === 'secret-in-main-container')!;
    expect(secret.shortDescription.text).toBe(builtinRules.find((r) => r.meta.id === 'secret-in-main-container')!.meta.description);
    expect(secret.helpUri).toBe('https://github.com/sidecar-lint/sidecar-lint/blob/main/rules/secret-in-main-container.md');
    expect(secret.defaultConfiguration).toEqual({ level: 'warning' });
    expect(run.tool.driver.rules.find((r) => r.id === 'parse-error')!.helpUri).toBe('https://github.com/sidecar-lint/sidecar-lint/blob/main/rules/parse-error.md');
    // Rules that did not run are listed as disabled (reportOf runs only the three core rules).
    const off = builtinRules.map((r) => r.meta.id).find((id) => !['configmap-sensitive-data', 'secret-in-main-container', 'uncoupled-containers'].includes(id));
    if (off) expect(run.tool.driver.rules.find((r) => r.id === off)!.defaultConfiguration).toEqual({ enabled: false });
  });

  it('gives each result its rule, level, message and region, relative to %SRCROOT%', () => {
    const run = sarifOf(reportOf([WRONG])).runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/runner/work/repo/' } });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region])).toEqual([
      ['configmap-sensitive-data', 'error', { startLine: 17, startColumn: 3, endLine: 17, endColumn: 36 }],
      ['secret-in-main-container', 'warning', { startLine: 42, startColumn: 11, endLine: 46, endColumn: 34 }],
      ['secret-in-main-container', 'warning', { startLine: 50, startColumn: 11, endLine: 52, endColumn: 25 }],
      ['uncoupled-containers', 'warning', { startLine: 62, startColumn: 7, endLine: 64, endColumn: 42 }],
    ]);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'test/format-fixtures/flask-redis-wrong.yaml', uriBaseId: '%SRCROOT%' });
      expect(r.message.text).not.toContain('CANARY');
    }
    expect(run.results[1]!.locations[0]!.logicalLocations).toEqual([{ name: 'flask-app', fullyQualifiedName: 'Pod/flask-sidecar/flask-app', kind: 'member' }]);
  });

  it('maps info to note, and encodes odd file names as URI references', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: hunter2-CANARY\n';
    const report = reportOf([{ display: 'dir with space/ü#1%.yaml', text }]);
    const findings = report.findings.map((f) => ({ ...f, severity: 'info' as const }));
    const log = sarifOf({ ...report, findings });
    expect(valid(log)).toEqual([]);
    const result = log.runs[0]!.results[0]!;
    expect(result.level).toBe('note');
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/%C3%BC%231%25.yaml');
  });

  it('uses absolute file URIs for files outside the working directory and for absolute names', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: hunter2-CANARY\n';
    const log = sarifOf(reportOf([{ display: '../other/cm.yaml', text }, { display: '/abs/cm.yaml', text }]));
    expect(valid(log)).toEqual([]);
    expect(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation)).toEqual([
      { uri: pathToFileURL('/home/runner/work/other/cm.yaml').href },
      { uri: 'file:///abs/cm.yaml' },
    ]);
  });

  it('reports suppressed findings with their justification: inSource for annotations and comments, external for config', () => {
    const text = WRONG.text
      .replace('  labels:\n    app: flask-app\n', '  annotations:\n    ignore.sidecar-lint.io/uncoupled-containers: the shipper reads node logs\n  labels:\n    app: flask-app\n')
      .replace('  REDIS_PASSWORD: r3d1s-CANARY-pass\n', '  # sidecar-lint-disable-next-line configmap-sensitive-data -- a demo value\n  REDIS_PASSWORD: r3d1s-CANARY-pass\n');
    const report = reportOf([{ display: 'w.yaml', text }]);
    const exempted = { ...report.findings[0]!, suppressed: { kind: 'config' as const, justification: 'legacy app, ticket OPS-1' } };
    const log = sarifOf({ ...report, findings: report.findings.slice(1), suppressed: [...report.suppressed, exempted] });
    expect(valid(log)).toEqual([]);
    const suppressions = log.runs[0]!.results.filter((r) => r.suppressions).map((r) => [r.ruleId, r.suppressions]);
    expect(suppressions).toEqual([
      ['configmap-sensitive-data', [{ kind: 'inSource', status: 'accepted', justification: 'a demo value', properties: { via: 'comment' } }]],
      ['secret-in-main-container', [{ kind: 'external', status: 'accepted', justification: 'legacy app, ticket OPS-1', properties: { via: 'config' } }]],
      ['uncoupled-containers', [{ kind: 'inSource', status: 'accepted', justification: 'the shipper reads node logs', properties: { via: 'annotation' } }]],
    ]);
    expect(log.runs[0]!.results.length).toBe(4);
  });

  it('is written in parts that make exactly JSON.stringify(log, null, 2): many results, suppressed and baselined ones, none', () => {
    // sarifParts builds the log around its results once and writes the results a few dozen at a
    // time (200,000 findings took 1.45 GB as one tree and one string).
    const base = reportOf([WRONG]);
    const many = Array.from({ length: 60 }, (_, i) => base.findings.map((f) => ({ ...f, line: f.line + i, message: `${f.message} "${i}"\n` }))).flat();
    const reports: Report[] = [
      { ...base, findings: many, suppressed: [{ ...base.findings[0]!, suppressed: { kind: 'config', justification: 'x' } }], baselined: [{ ...base.findings[1]!, baselined: true }] },
      { ...base, findings: [], suppressed: [] },
      base,
    ];
    for (const report of reports) {
      const parts = [...sarifParts(report, { color: false, cwd: CWD })];
      const text = parts.join('');
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(valid(JSON.parse(text))).toEqual([]);
      expect(text).toBe(sarif(report, { color: false, cwd: CWD }));
      if (report.findings.length > 100) expect(parts.length).toBeGreaterThan(3);
      expect((JSON.parse(text) as SarifLog).runs[0]!.results).toHaveLength(report.findings.length + report.suppressed.length + (report.baselined?.length ?? 0));
    }
  });

  it('is valid for a clean run and without a working directory', () => {
    const log = sarifOf(reportOf([fixture('test/format-fixtures/flask-redis-sidecar.yaml')]), null);
    expect(valid(log)).toEqual([]);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.originalUriBaseIds).toBeUndefined();
  });

  describe('from the CLI', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-sarif-')));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is valid with every built-in rule, a config exemption and a parse error', async () => {
      fs.mkdirSync(path.join(dir, 'k8s'));
      fs.writeFileSync(path.join(dir, 'k8s/wrong.yaml'), WRONG.text);
      fs.writeFileSync(path.join(dir, 'k8s/broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b: c\n');
      fs.writeFileSync(
        path.join(dir, '.sidecar-lint.yaml'),
        'exemptions:\n  - objects: [flask-sidecar]\n    rules: [uncoupled-containers]\n    reason: the shipper reads node logs\n',
      );
      const r = await runCli(['--format', 'sarif', 'k8s/'], { cwd: dir });
      expect(r.stderr).toBe('');
      const log = JSON.parse(r.stdout) as SarifLog;
      expect(valid(log)).toEqual([]);
      const run = log.runs[0]!;
      expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`${pathToFileURL(dir).href}/`);
      expect(run.results.find((x) => x.ruleId === 'parse-error')!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('k8s/broken.yaml');
      expect(run.results.find((x) => x.ruleId === 'uncoupled-containers')!.suppressions).toEqual([
        { kind: 'external', status: 'accepted', justification: 'the shipper reads node logs', properties: { via: 'config' } },
      ]);
    });

    it('carries each fix as replacements that give what --fix writes, and never a fix that writes a Secret value', async () => {
      const fixes = path.join(dir, 'fixes');
      fs.mkdirSync(fixes);
      const job = [
        '\uFEFFapiVersion: batch/v1',
        'kind: Job',
        'metadata: {name: migrate}  # é',
        'spec:',
        '  template:',
        '    spec:',
        '      restartPolicy: Never',
        '      containers:',
        '      - name: migrate',
        '        image: example/migrate:1',
        '      - name: cloud-sql-proxy',
        '        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0',
        '        resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}',
        '',
      ].join('\r\n');
      const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\n  password: "correct horse battery"\n  user: YWRtaW4=\ntype: Opaque\n';
      fs.writeFileSync(path.join(fixes, 'job.yaml'), job);
      fs.writeFileSync(path.join(fixes, 'secret.yaml'), secret);
      const r = await runCli(['--format', 'sarif', '--no-config', 'fixes/'], { cwd: dir });
      expect(r.stdout).not.toContain('correct horse battery');
      const log = JSON.parse(r.stdout) as SarifLog;
      expect(valid(log)).toEqual([]);
      type Fix = { description: { text: string }; properties: { safety: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Record<string, number>; insertedContent?: { text: string } }[] }[] };
      const results = log.runs[0]!.results as (SarifLog['runs'][0]['results'][0] & { fixes?: Fix[] })[];
      const fixesOf = (rule: string) => results.filter((x) => x.ruleId === rule).flatMap((x) => x.fixes ?? []);
      // The Secret's plain-text value would move to stringData: that fix is left out of the report.
      expect(fixesOf('secret-invalid-base64').length + fixesOf('secret-data-plaintext').length).toBe(0);
      expect(results.some((x) => x.ruleId === 'secret-invalid-base64' || x.ruleId === 'secret-data-plaintext')).toBe(true);
      // duplicate-key only deletes: it is kept, with no inserted text.
      const [dup] = fixesOf('duplicate-key');
      expect(dup!.properties.safety).toBe('unsafe');
      expect(dup!.artifactChanges[0]!.replacements.every((x) => x.insertedContent === undefined)).toBe(true);
      const [native] = fixesOf('job-sidecar-not-native');
      expect(native!.properties.safety).toBe('unsafe');
      expect(native!.artifactChanges[0]!.artifactLocation.uri).toBe('fixes/job.yaml');

      /** The text with SARIF replacements applied (lines split at \n, columns in UTF-16 units from 1; a BOM is not a column). */
      const apply = (text: string, fix: Fix): string => {
        const bom = text.startsWith('\uFEFF') ? 1 : 0;
        const starts = [bom];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
        const at = (line: number, column: number) => starts[line - 1]! + column - 1;
        const edits = fix.artifactChanges[0]!.replacements.map((x) => ({
          start: at(x.deletedRegion.startLine!, x.deletedRegion.startColumn!),
          end: at(x.deletedRegion.endLine!, x.deletedRegion.endColumn!),
          text: x.insertedContent?.text ?? '',
        }));
        let out = text;
        for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
        return out;
      };
      const fixed = await runCli(['--fix', '--unsafe-fixes', '--no-config', '-'], { cwd: dir, stdin: job });
      expect(fixed.stderr).toBe('sidecar-lint: fixed 1 finding in 1 file\n');
      expect(apply(job, native!)).toBe(fixed.stdout);
      expect(apply(job, native!)).toContain('initContainers:\r\n      - name: cloud-sql-proxy');
      const annotation = results.flatMap((x) => x.fixes ?? []).find((x) => x.properties.safety === 'safe')!;
      expect(apply(job, annotation)).toContain('kubectl.kubernetes.io/default-container: migrate');
      expect(apply(secret, dup!)).toBe(secret.replace('  user: YWRtaW4=\n', ''));

      // Without SARIF the files are not read again for fixes, and other formats carry none.
      const json = await runCli(['--format', 'json', '--no-config', 'fixes/'], { cwd: dir });
      expect(json.stdout).not.toContain('replacements');
    });
  });
});
