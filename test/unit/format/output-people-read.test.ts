/**
 * Issue 16, "Output people read": a short message per finding and its hint apart (JSON's `hint`,
 * stylish with --verbose, SARIF's rule `help`), grammar of the summary line, --quiet, ESLint
 * spellings with a did-you-mean, --explain of custom and plugin rules, SARIF for code scanning.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalMarkdown } from '../../../src/format/terminal-markdown.js';
import { cli, errLines, report, tempTree } from '../../support/config.js';
import { runCli } from '../../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PLUGIN = path.join(ROOT, 'test/plugins/example-plugin.mjs');

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  DB_PASSWORD: x\n';
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: example/app:1
      env:
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: s, key: token}}
    - name: side
      image: example/side:1
`;

/** Width in terminal columns (every character here is one column wide). */
const width = (line: string) => [...line].length;

describe('stylish', () => {
  it('prints the README example one finding per line within 100 columns, hints only with --verbose', async () => {
    const plain = await runCli(['fixtures/examples/'], { cwd: ROOT, env: { NO_COLOR: '1' } });
    expect(plain.code).toBe(1);
    const lines = plain.stdout.trimEnd().split('\n');
    for (const line of lines) expect(width(line), line).toBeLessThanOrEqual(100);
    const findings = lines.filter((l) => /^ {2}\d+:\d+ /.test(l));
    expect(findings.length).toBeGreaterThan(5);
    // Position, severity, message, rule id: nothing else on the line, no how-to-fix sentence.
    for (const l of findings) expect(l).toMatch(/^ {2}\d+:\d+ +(error|warning|info) +\S.*\S {2}[a-z-]+$/);
    expect(plain.stdout).not.toContain('Mount the Secret');

    const verbose = await runCli(['--verbose', 'fixtures/examples/'], { cwd: ROOT, env: { NO_COLOR: '1' } });
    expect(verbose.stdout).toContain('Mount the Secret into a sidecar');
    for (const line of verbose.stdout.trimEnd().split('\n')) expect(width(line), line).toBeLessThanOrEqual(100);
    // The hint lines are indented under the message.
    expect(verbose.stdout).toMatch(/\n {18}\S/);
  });

  it('counts only files with findings in "in N files", and says how many were checked', async () => {
    const dir = tempTree({ 'a.yaml': CM, 'b.yaml': CM.replace('DB_PASSWORD: x', 'color: blue') });
    const r = await cli(dir, 'a.yaml', 'b.yaml');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 1 problem (1 error, 0 warnings) in 1 file; 2 files, 2 objects checked');
    const two = await cli(tempTree({ 'a.yaml': CM, 'pod.yaml': POD }), '--rule', 'uncoupled-containers=off', '.');
    expect(two.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 4 problems (1 error, 1 warning, 2 info) in 2 files; 2 files, 2 objects checked');
  });
});

describe('json', () => {
  it('gives each finding a short message and its hint', async () => {
    const json = report(await cli(tempTree({ 'cm.yaml': CM }), '-f', 'json', 'cm.yaml'));
    expect(json.findings.map((f) => [f.message, f.hint])).toEqual([
      [
        'ConfigMap key "DB_PASSWORD" looks like a credential.',
        'ConfigMap "cm" is for non-sensitive configuration (as every ConfigMap): move the value to a Secret and reference it from there.',
      ],
    ]);
  });
});

describe('--quiet', () => {
  it('reports errors only (ESLint), so warnings neither show nor fail the run', async () => {
    const dir = tempTree({ 'cm.yaml': CM, 'pod.yaml': POD });
    const loud = report(await cli(dir, '-f', 'json', '.'));
    expect(new Set(loud.findings.map((f) => f.severity))).toEqual(new Set(['error', 'warning', 'info']));
    const quiet = await cli(dir, '-f', 'json', '--quiet', '.');
    expect(quiet.code).toBe(1);
    expect(report(quiet).findings.map((f) => f.severity)).toEqual(['error']);
    expect(report(quiet).summary.warnings).toBe(0);
    const onlyWarnings = await cli(tempTree({ 'pod.yaml': POD }), '--quiet', 'pod.yaml');
    expect(onlyWarnings.code).toBe(0);
    expect(onlyWarnings.stdout).toContain('No problems');
  });
});

describe('--quiet with --max-warnings', () => {
  it('counts the warnings --quiet hides, as ESLint does (its exit code comes from the unfiltered results)', async () => {
    const dir = tempTree({ 'pod.yaml': POD });
    const loud = report(await cli(dir, '-f', 'json', '--fail-on', 'error', 'pod.yaml'));
    const warnings = loud.summary.warnings ?? 0;
    expect(warnings).toBeGreaterThan(0);
    expect(loud.findings.some((f) => f.severity === 'error')).toBe(false);
    // Over the limit: exit 1 and one line on stderr, though no warning is shown.
    const over = await cli(dir, '-f', 'json', '--quiet', '--max-warnings', String(warnings - 1), 'pod.yaml');
    expect(over.code).toBe(1);
    expect(report(over).findings).toEqual([]);
    expect(over.stderr).toBe(`sidecar-lint: ${warnings} warning${warnings === 1 ? '' : 's'} (not shown: --quiet reports errors only), more than --max-warnings ${warnings - 1}.\n`);
    // At the limit: fine, and --quiet alone never fails on warnings.
    expect((await cli(dir, '--quiet', '--max-warnings', String(warnings), 'pod.yaml')).code).toBe(0);
    expect((await cli(dir, '--quiet', 'pod.yaml')).code).toBe(0);
  });
});

describe('ESLint spellings', () => {
  it('--rule x=warn (and 0/1/2) get a did-you-mean', async () => {
    const r = await runCli(['--rule', 'secret-env-var=warn', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sidecar-lint: Invalid severity in --rule 'secret-env-var=warn'; did you mean 'secret-env-var=warning'?\n");
    expect((await runCli(['--rule', 'secret-env-var=2', 'x.yaml'])).stderr).toContain("did you mean 'secret-env-var=error'?");
  });

  it('--max-warnings -1 says that no limit is the default', async () => {
    for (const args of [['--max-warnings', '-1'], ['--max-warnings=-1']]) {
      const r = await runCli([...args, 'x.yaml']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Invalid --max-warnings '-1'");
      expect(r.stderr).toContain('leave --max-warnings out');
    }
  });

  it('a misspelt or ESLint-only option gets a did-you-mean ending with "?"', async () => {
    expect((await runCli(['--quite', 'x.yaml'])).stderr).toBe("sidecar-lint: Unknown option '--quite'; did you mean --quiet?\n");
    expect((await runCli(['--no-eslintrc', 'x.yaml'])).stderr).toBe("sidecar-lint: Unknown option '--no-eslintrc'; did you mean --no-config?\n");
  });
});

describe('--explain', () => {
  it('renders a built-in rule doc for a terminal: no fences, no comments, links spelt out', async () => {
    const r = await runCli(['--explain', 'secret-env-var']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('secret-env-var\n==============\n')).toBe(true);
    expect(r.stdout).not.toMatch(/^```/m);
    expect(r.stdout).not.toContain('<!--');
    expect(r.stdout).toContain('    apiVersion: apps/v1');
    expect(r.stdout).toContain('good practices for Secrets (https://kubernetes.io/docs/concepts/security/secrets-good-practices/)');
  });

  it('knows custom rules and plugin rules', async () => {
    const dir = tempTree({
      '.sidecar-lint.yaml': `plugins: [${PLUGIN}]\ncustomRules:\n  - id: team-label\n    description: Every object has a team label.\n    message: No team label\n    target: object\n    schema: {required: [metadata]}\n`,
    });
    const custom = await cli(dir, '--allow-plugins', '--explain', 'team-label');
    expect(custom.code).toBe(0);
    expect(custom.stdout).toContain('team-label\n==========\n\nEvery object has a team label.');
    const plugin = await cli(dir, '--allow-plugins', '--explain', 'acme/require-owner');
    expect(plugin.code).toBe(0);
    expect(plugin.stdout).toContain('Every object names its owning team in an annotation.');
    expect(plugin.stdout).toContain('Add the "<annotation>" annotation with the name of the owning team.');
    const typo = await cli(dir, '--allow-plugins', '--explain', 'team-lable');
    expect(typo.code).toBe(2);
    expect(errLines(typo)).toEqual(['sidecar-lint: no rule "team-lable" (see sidecar-lint --list-rules); did you mean "team-label"?']);
  });

  it('renders Markdown without its marks', () => {
    expect(terminalMarkdown('# T\n\nSee [docs](https://x.example) and `code` **now**.\n\n<!-- example: fail -->\n```yaml\na: 1\n```\n')).toBe(
      'T\n=\n\nSee docs (https://x.example) and code now.\n\n    a: 1\n',
    );
  });
});

describe('sarif', () => {
  type Sarif = {
    runs: {
      tool: { driver: { rules: { id: string; help: { text: string; markdown: string }; properties?: Record<string, unknown> }[] } };
      invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { message: { text: string } }[] }[];
    }[];
  };
  it('gives rules their doc as help and the secret rules a security-severity', async () => {
    const r = await cli(tempTree({ 'cm.yaml': CM }), '-f', 'sarif', 'cm.yaml');
    const run = (JSON.parse(r.stdout) as Sarif).runs[0]!;
    const rule = (id: string) => run.tool.driver.rules.find((x) => x.id === id)!;
    expect(rule('secret-env-var').help.markdown).toContain('# secret-env-var');
    expect(rule('secret-env-var').help.text).toContain('https://github.com/sidecar-lint/sidecar-lint/blob/main/rules/secret-env-var.md');
    expect(rule('secret-committed').properties).toEqual({ tags: ['security'], 'security-severity': '8.0' });
    expect(rule('configmap-sensitive-data').properties?.['security-severity']).toBe('7.0');
    expect(rule('uncoupled-containers').properties).toBeUndefined();
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('records executionSuccessful: false with the reason when the run ends with exit 2', async () => {
    const dir = tempTree({ 'cm.yaml': CM });
    const r = await cli(dir, '-f', 'sarif', '--baseline', 'missing-baseline.json', 'cm.yaml');
    expect(r.code).toBe(2);
    const run = (JSON.parse(r.stdout) as Sarif).runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications![0]!.message.text).toContain('missing-baseline.json');
  });
});

describe('README', () => {
  it('shows the stylish output of fixtures/examples as the CLI prints it', async () => {
    const readme = (await import('node:fs')).readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('$ sidecar-lint fixtures/examples/\n');
    expect(start).toBeGreaterThan(0);
    const shown = readme.slice(start + '$ sidecar-lint fixtures/examples/\n'.length, readme.indexOf('```', start));
    const r = await runCli(['fixtures/examples/'], { cwd: ROOT, env: { NO_COLOR: '1' } });
    expect(shown).toBe(r.stdout);
  });
});
