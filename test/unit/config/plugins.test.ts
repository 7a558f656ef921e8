/**
 * Code rules from plugins (test/plugins/*.mjs, and a package in a temp node_modules), configured
 * through the config file; plugin problems are exit-2 config errors that name the line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, errLines, report, tempTree, writeTree } from '../../support/config.js';

const PLUGINS = path.resolve(import.meta.dirname, '../../plugins');
const plugin = (name: string) => path.join(PLUGINS, name);

/** A pod with three long-running containers (app, sidecar, native sidecar) and no owner annotation. */
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: true
  initContainers:
    - name: proxy
      image: example/proxy:1
      restartPolicy: Always
  containers:
    - name: app
      image: example/app:1
    - name: logger
      image: example/logger:1
`;

async function lint(config: string, ...args: string[]) {
  const dir = tempTree({ 'pod.yaml': POD, '.sidecar-lint.yaml': config });
  return { dir, result: await cli(dir, '--allow-plugins', '-f', 'json', ...args, 'pod.yaml') };
}

function plugged(json: ReturnType<typeof report>, prefix: string): string[] {
  return json.findings.filter((f) => f.ruleId.startsWith(prefix)).map((f) => `${f.ruleId}@${f.line}:${f.column} ${f.severity} ${f.message}`);
}

describe('a plugin loaded from a module', () => {
  it('runs its rules at their default severity and options', async () => {
    const { result } = await lint(`plugins:\n  - ${plugin('example-plugin.mjs')}\n`);
    expect(result.stderr).toBe('');
    expect(plugged(report(result), 'acme/')).toEqual([
      'acme/require-owner@3:1 warning Pod "web" has no "acme.example/owner" annotation naming its owner.',
      'acme/max-containers@8:7 error Container "proxy" is long-running container number 3; at most 2 are allowed.',
    ]);
    expect(report(result).findings.find((f) => f.ruleId === 'acme/max-containers')?.container).toBe('proxy');
    expect(result.code).toBe(1);
  });

  it('is configured through `rules:` (severity and options) and --rule', async () => {
    const config = [
      'plugins: [./plugins/example-plugin.mjs]',
      'rules:',
      '  acme/require-owner:',
      '    severity: error',
      '    options: {annotation: example.com/team}',
      '  acme/max-containers: {options: {max: 3}}',
      '',
    ].join('\n');
    const dir = tempTree({ 'pod.yaml': POD, '.sidecar-lint.yaml': config });
    fs.mkdirSync(path.join(dir, 'plugins'));
    fs.copyFileSync(plugin('example-plugin.mjs'), path.join(dir, 'plugins', 'example-plugin.mjs'));
    const r = await cli(dir, '--allow-plugins', '-f', 'json', 'pod.yaml');
    expect(r.stderr).toBe('');
    expect(plugged(report(r), 'acme/')).toEqual(['acme/require-owner@3:1 error Pod "web" has no "example.com/team" annotation naming its owner.']);
    const off = await cli(dir, '--allow-plugins', '-f', 'json', '--rule', 'acme/require-owner=off', 'pod.yaml');
    expect(plugged(report(off), 'acme/')).toEqual([]);
    const shown = JSON.parse((await cli(dir, '--allow-plugins', '--print-config', 'pod.yaml')).stdout) as { rules: Record<string, unknown>; plugins: string[] };
    expect(shown.rules['acme/max-containers']).toEqual({ severity: 'error', options: { max: 3 } });
    expect(shown.plugins).toEqual(['./plugins/example-plugin.mjs']);
  });

  it('its rules are suppressed like built-in ones', async () => {
    const annotated = POD.replace('  name: web\n', '  name: web\n  annotations:\n    ignore.sidecar-lint.io/acme/require-owner: "Owned by the platform team"\n');
    const dir = tempTree({ 'pod.yaml': annotated, '.sidecar-lint.yaml': `plugins: [${plugin('example-plugin.mjs')}]\n` });
    const r = report(await cli(dir, '--allow-plugins', '-f', 'json', 'pod.yaml'));
    expect(plugged(r, 'acme/require-owner')).toEqual([]);
    expect(r.suppressed.map((f) => `${f.ruleId} ${f.suppression.justification}`)).toEqual(['acme/require-owner Owned by the platform team']);
  });

  it('options that break the rule options schema are config errors with their line', async () => {
    const config = `plugins: [${plugin('example-plugin.mjs')}]\nrules:\n  acme/require-owner:\n    options:\n      annotation: 42\n      color: blue\n  acme/max-containers: {options: {max: 0}}\n`;
    const { result } = await lint(config);
    expect(result.code).toBe(2);
    expect(errLines(result)).toEqual([
      'sidecar-lint: .sidecar-lint.yaml:5:7: `rules.acme/require-owner.options.annotation`: must be a string',
      'sidecar-lint: .sidecar-lint.yaml:6:7: `rules.acme/require-owner.options.color`: unknown setting "color"; allowed: annotation',
      'sidecar-lint: .sidecar-lint.yaml:7:35: `rules.acme/max-containers.options.max`: must be >= 1',
    ]);
  });

  it('its rule ids are unknown without the plugin (with a hint when close)', async () => {
    const { result } = await lint('rules:\n  acme/require-owner: off\n');
    expect(result.code).toBe(2);
    expect(errLines(result)).toEqual(['sidecar-lint: .sidecar-lint.yaml:2:3: `rules.acme/require-owner`: unknown rule "acme/require-owner"']);
  });

  it('`export default { rules }` works too, and several plugins load together', async () => {
    const { result } = await lint(`plugins:\n  - ${plugin('example-plugin.mjs')}\n  - ${plugin('default-export-plugin.mjs')}\n`);
    expect(plugged(report(result), 'other/')).toEqual(['other/no-host-network@6:3 error Pod uses the host network.']);
    expect(plugged(report(result), 'acme/')).toHaveLength(2);
  });

  it('a package name is resolved from the config file directory (an ESM-only package too)', async () => {
    const dir = tempTree({
      'pod.yaml': POD,
      '.sidecar-lint.yaml': 'plugins: [acme-sidecar-lint-plugin, "@acme/sidecar-lint-plugin"]\n',
      'node_modules/acme-sidecar-lint-plugin/package.json': JSON.stringify({ name: 'acme-sidecar-lint-plugin', type: 'module', main: 'index.js' }),
      'node_modules/@acme/sidecar-lint-plugin/package.json': JSON.stringify({ name: '@acme/sidecar-lint-plugin', type: 'module', exports: { '.': { import: './lib/index.js' } } }),
    });
    const source = fs.readFileSync(plugin('example-plugin.mjs'), 'utf8');
    writeTree(dir, {
      'node_modules/acme-sidecar-lint-plugin/index.js': source,
      'node_modules/@acme/sidecar-lint-plugin/lib/index.js': fs.readFileSync(plugin('default-export-plugin.mjs'), 'utf8'),
    });
    const r = await cli(path.join(dir), '--allow-plugins', '-f', 'json', 'pod.yaml');
    expect(r.stderr).toBe('');
    expect(report(r).findings.map((f) => f.ruleId).filter((id) => id.includes('/'))).toEqual([
      'acme/require-owner',
      'other/no-host-network',
      'acme/max-containers',
    ]);
  });

  it('is not loaded without a config that names it (--no-config)', async () => {
    const { dir } = await lint(`plugins: [${plugin('example-plugin.mjs')}]\n`);
    const r = await cli(dir, '-f', 'json', '--no-config', 'pod.yaml');
    expect(plugged(report(r), 'acme/')).toEqual([]);
  });
});

describe('plugin problems are exit-2 config errors naming the line', () => {
  const CASES: [string, (dir: string) => string, (dir: string) => string[]][] = [
    [
      'a missing module',
      () => 'plugins:\n  - ./nope.mjs\n',
      (dir) => [`sidecar-lint: .sidecar-lint.yaml:2:5: \`plugins[0]\`: plugin "./nope.mjs" not found (no file ${path.join(dir, 'nope.mjs')})`],
    ],
    [
      'a package that is not installed',
      () => '# plugins\nplugins: [sidecar-lint-plugin-that-does-not-exist]\n',
      (dir) => [
        `sidecar-lint: .sidecar-lint.yaml:2:11: \`plugins[0]\`: plugin "sidecar-lint-plugin-that-does-not-exist" not found: no such package in node_modules from ${dir}`,
      ],
    ],
    [
      'a module that exports no rules',
      () => `plugins:\n  - ${plugin('example-plugin.mjs')}\n  - ${plugin('no-rules-plugin.mjs')}\n`,
      () => [`sidecar-lint: .sidecar-lint.yaml:3:5: \`plugins[1]\`: plugin "${plugin('no-rules-plugin.mjs')}" exports no rules (expected \`export const rules = [...]\`)`],
    ],
    [
      'a rule without a check',
      () => `plugins: [${plugin('bad-rule-plugin.mjs')}]\n`,
      () => [
        `sidecar-lint: .sidecar-lint.yaml:1:11: \`plugins[0]\`: plugin "${plugin('bad-rule-plugin.mjs')}": rule 1 has no check function; a rule is { meta: { id, description, defaultSeverity, messages, options }, check }`,
      ],
    ],
    [
      'a rule id that is already a built-in rule',
      () => `plugins: [${plugin('clashing-plugin.mjs')}]\n`,
      () => [`sidecar-lint: .sidecar-lint.yaml:1:11: \`plugins[0]\`: plugin "${plugin('clashing-plugin.mjs')}": rule id "uncoupled-containers" is already a built-in rule`],
    ],
    [
      'the same plugin twice',
      () => `plugins:\n  - ${plugin('default-export-plugin.mjs')}\n  - ${plugin('default-export-plugin.mjs')}\n`,
      () => [
        `sidecar-lint: .sidecar-lint.yaml:3:5: \`plugins[1]\`: plugin "${plugin('default-export-plugin.mjs')}": rule id "other/no-host-network" is already a rule of plugin "${plugin('default-export-plugin.mjs')}"`,
      ],
    ],
    [
      'an options schema that does not compile',
      () => `plugins: [${plugin('bad-options-plugin.mjs')}]\n`,
      () => [
        `sidecar-lint: .sidecar-lint.yaml:1:11: \`plugins[0]\`: plugin "${plugin('bad-options-plugin.mjs')}": rule "bad/options" has an options schema that does not compile: schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf`,
      ],
    ],
  ];

  it.each(CASES)('%s', async (_what, config, expected) => {
    const { dir, result } = await lint(config(''));
    expect(errLines(result)).toEqual(expected(dir));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a module that does not parse', async () => {
    const { result } = await lint(`plugins: [${plugin('broken-plugin.mjs')}]\n`);
    expect(result.code).toBe(2);
    const lines = errLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^sidecar-lint: \\.sidecar-lint\\.yaml:1:11: \`plugins\\[0\\]\`: plugin ".*broken-plugin\\.mjs" cannot be loaded: `));
  });

  it('a rule that defers a fact that is not plain data stops the run with an error naming the rule and the plugin', async () => {
    const dir = tempTree({ 'pod.yaml': POD, '.sidecar-lint.yaml': `plugins: [${plugin('function-fact-plugin.mjs')}]\n` });
    await expect(cli(dir, '--allow-plugins', 'pod.yaml')).rejects.toThrow(
      `rule "bad/function-fact" of plugin "${plugin('function-fact-plugin.mjs')}" failed: a deferred fact must be plain data (JSON-serialisable): `,
    );
  });

  it('a rule that throws stops the run with an error naming the rule and the plugin', async () => {
    const dir = tempTree({ 'pod.yaml': POD, '.sidecar-lint.yaml': `plugins: [${plugin('throwing-plugin.mjs')}]\n` });
    await expect(cli(dir, '--allow-plugins', 'pod.yaml')).rejects.toThrow(`rule "bad/throws" of plugin "${plugin('throwing-plugin.mjs')}" failed: boom`);
  });

  it('a message id the rule does not define stops the run naming the rule, the id and the ids it has (not printed as the message)', async () => {
    const dir = tempTree({ 'pod.yaml': POD, '.sidecar-lint.yaml': `plugins: [${plugin('misspelt-message-plugin.mjs')}]\n` });
    await expect(cli(dir, '--allow-plugins', '--rule', 'typo/in-cross-check=off', 'pod.yaml')).rejects.toThrow(
      `rule "typo/in-check" of plugin "${plugin('misspelt-message-plugin.mjs')}" failed: it reported messageId "mising", which is not in its meta.messages ("missing")`,
    );
    await expect(cli(dir, '--allow-plugins', '--rule', 'typo/in-check=off', 'pod.yaml')).rejects.toThrow(
      `rule "typo/in-cross-check" of plugin "${plugin('misspelt-message-plugin.mjs')}" failed: it reported messageId "lonley", which is not in its meta.messages ("lonely")`,
    );
  });
});

/**
 * B3 (reliability campaign 2026-12): a config in the linted repository ran its plugins (code) on a
 * lint, --print-config, --list-rules, in the worker thread and in the Action. Plugins now load only
 * with permission: --allow-plugins, or a config named with --config.
 */
describe('plugins are code: a discovered config loads them only with permission', () => {
  const EVIL = "import fs from 'node:fs';\nfs.appendFileSync(new URL('./PWNED', import.meta.url), 'ran\\n');\nexport const rules = [];\n";
  const REFUSED =
    'sidecar-lint: .sidecar-lint.yaml:1:1: `plugins`: plugins are code and are not loaded from a config found by walking up from the working directory without permission; to run them, pass --allow-plugins, or name a config you trust with --config';
  const repo = () => tempTree({ '.sidecar-lint.yaml': 'plugins: [./tools/evil.mjs]\n', 'tools/evil.mjs': EVIL, 'x.yaml': POD });
  const ran = (dir: string) => (fs.existsSync(path.join(dir, 'tools/PWNED')) ? fs.readFileSync(path.join(dir, 'tools/PWNED'), 'utf8') : '');

  it.each([
    ['a lint', ['.']],
    ['--print-config', ['--print-config', 'x.yaml']],
    ['--list-rules', ['--list-rules']],
  ])('%s: exit 2, one line saying how to allow them, and the plugin does not run', async (_what, args) => {
    const dir = repo();
    const r = await cli(dir, ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(errLines(r)).toEqual([REFUSED]);
    expect(ran(dir)).toBe('');
  });

  it('a config found in a parent directory is refused the same way', async () => {
    const dir = repo();
    fs.mkdirSync(path.join(dir, 'k8s'));
    const r = await cli(path.join(dir, 'k8s'), '--list-rules');
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual([REFUSED.replace(' .sidecar-lint.yaml:', ' ../.sidecar-lint.yaml:')]);
    expect(ran(dir)).toBe('');
  });

  it('--allow-plugins loads them', async () => {
    const dir = repo();
    const r = await cli(dir, '--allow-plugins', '--list-rules');
    expect(r.code).toBe(0);
    expect(ran(dir)).toBe('ran\n');
  });

  it('a config named with --config loads them (its user chose the file)', async () => {
    const dir = repo();
    const r = await cli(dir, '--config', '.sidecar-lint.yaml', '--list-rules');
    expect(r.code).toBe(0);
    expect(ran(dir)).toBe('ran\n');
  });

  it('an empty plugins list needs no permission', async () => {
    const dir = tempTree({ '.sidecar-lint.yaml': 'plugins: []\n', 'x.yaml': POD });
    expect((await cli(dir, '--list-rules')).code).toBe(0);
  });

  it('with two threads (bundle), the worker does not load them either', () => {
    const dir = repo();
    for (let i = 0; i < 450; i++) fs.writeFileSync(path.join(dir, `f${i}.yaml`), POD.replace('name: web', `name: web${i}`));
    const bin = path.resolve(import.meta.dirname, '../../../bin/sidecar-lint.js');
    const r = spawnSync(process.execPath, [bin, '-f', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SIDECAR_LINT_THREADS: '2' }, maxBuffer: 1 << 26 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${REFUSED}\n`);
    expect(ran(dir)).toBe('');
    const allowed = spawnSync(process.execPath, [bin, '--allow-plugins', '-f', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SIDECAR_LINT_THREADS: '2', SIDECAR_LINT_TRACE_WORKER: '1' }, maxBuffer: 1 << 26 });
    expect(allowed.stderr).toContain('worker thread linted');
    expect(ran(dir)).toBe('ran\nran\n');
  });
});
