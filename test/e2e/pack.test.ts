/**
 * The package as users get it: `npm pack`, then the tarball installed into an empty project and
 * globally (offline: the package has no runtime dependencies, everything is bundled into dist/), and
 * its bin run on a manifest, through its shebang and through `npm exec`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { builtinRules } from '../../rules/index.js';
import { ENGINE_RULES } from '../../src/config/lint-options.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-pack-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** npm with a private cache and no network: nothing may be fetched. */
const npmEnv = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  npm_config_cache: path.join(tmp, 'npm-cache'),
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
  NO_COLOR: '1',
};

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: hunter2-CANARY-value\n';

let tarball = '';
let files: string[] = [];
const project = path.join(tmp, 'project');

beforeAll(() => {
  // The package has no lifecycle scripts: it ships the committed bundle (see scripts/build.mjs).
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], ROOT)) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, out[0]!.filename);
  files = out[0]!.files.map((f) => f.path).sort();
  fs.mkdirSync(path.join(project, 'k8s'), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  fs.writeFileSync(path.join(project, 'k8s/db.yaml'), CONFIGMAP);
  npm(['install', tarball], project);
}, 180_000);

describe('npm pack', () => {
  it('ships the bin, the bundle, the rule API, the rule docs, the config schema and the README, and nothing else', () => {
    expect(files).toContain('bin/sidecar-lint.js');
    expect(files).toContain('bin/load-bundle.js');
    expect(files).toContain('dist/sidecar-lint.cjs');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.some((f) => f.startsWith('schema/'))).toBe(true);
    for (const id of [...builtinRules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)]) {
      if (fs.existsSync(path.join(ROOT, 'rules', `${id}.md`))) expect(files).toContain(`rules/${id}.md`);
    }
    expect(files).toContain('api/rule.js');
    expect(files).toContain('api/rule.d.ts');
    const unexpected = files.filter((f) => !/^(bin\/|api\/|dist\/sidecar-lint\.cjs$|rules\/[^/]+\.md$|schema\/|README\.md$|package\.json$|LICENSE)/.test(f));
    expect(unexpected).toEqual([]);
  });

  it('has a bin with a shebang and no runtime dependencies', () => {
    expect(fs.readFileSync(path.join(ROOT, 'bin/sidecar-lint.js'), 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    expect((pkg as { dependencies?: unknown }).dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ 'sidecar-lint': 'bin/sidecar-lint.js' });
  });
});

describe('installed from the tarball', () => {
  const installed = () => path.join(project, 'node_modules/sidecar-lint');

  it('installs offline without building or pulling dev dependencies', () => {
    expect(fs.existsSync(path.join(installed(), 'dist/sidecar-lint.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'node_modules/esbuild'))).toBe(false);
    expect(fs.readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['sidecar-lint']);
  });

  it('runs its bin through the shebang on a manifest', () => {
    const r = spawnSync(path.join(project, 'node_modules/.bin/sidecar-lint'), ['--format', 'compact', 'k8s/'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('k8s/db.yaml:6:3: error configmap-sensitive-data ConfigMap key "DB_PASSWORD" looks like a credential.');
    expect(r.stdout).not.toContain('CANARY');
  });

  it('runs with npm exec (what npx does) and prints its version', () => {
    expect(npm(['exec', '--', 'sidecar-lint', '--version'], project).trim()).toBe(pkg.version);
  });

  it('explains a rule from the docs it ships', () => {
    const r = spawnSync(path.join(project, 'node_modules/.bin/sidecar-lint'), ['--explain', 'secret-in-main-container'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('secret-in-main-container\n========================');
    expect(r.stdout).not.toContain('```');
  });

  it('writes SARIF and the other formats from the bundle', () => {
    const r = spawnSync(path.join(project, 'node_modules/.bin/sidecar-lint'), ['--format', 'sarif', 'k8s/db.yaml'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    const log = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('k8s/db.yaml');
  });

  it('publishes the rule API: a plugin written against sidecar-lint/rule compiles (strict, no @types/node) and runs', () => {
    const dir = path.join(project, 'plugin');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of ['typed-plugin.ts', 'misspelt-plugin.ts']) fs.copyFileSync(path.join(ROOT, 'test/plugin-api', name), path.join(dir, name));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const compilerOptions = { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out', types: [], skipLibCheck: false };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['typed-plugin.ts', 'misspelt-plugin.ts'] }));
    const tsc = (cwd: string) => spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd, encoding: 'utf8' });
    // Every @ts-expect-error in misspelt-plugin.ts meets its error, and the typed plugin has none.
    const built = tsc(dir);
    expect(built.stdout + built.stderr).toBe('');
    expect(built.status).toBe(0);

    // Without the directives, the misspellings are errors that say what is wrong.
    const bare = path.join(project, 'plugin-bare');
    fs.mkdirSync(bare, { recursive: true });
    fs.writeFileSync(path.join(bare, 'misspelt-plugin.ts'), fs.readFileSync(path.join(dir, 'misspelt-plugin.ts'), 'utf8').replace(/^\s*\/\/ @ts-expect-error.*\n/gm, ''));
    fs.writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    fs.writeFileSync(path.join(bare, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ['misspelt-plugin.ts'] }));
    const refused = tsc(bare);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain(`Type '"mising"' is not assignable to type '"missing"'`);
    expect(refused.stdout).toContain(`Type '"lonley"' is not assignable to type '"lonely"'`);
    expect(refused.stdout).toContain(`parameter of type 'never'`);
    expect(refused.stdout).toContain(`Property 'maximum' does not exist on type '{ max: number; }'`);
    expect(refused.stdout).toContain(`Property 'b' is missing`);

    // The compiled plugin imports defineRule from the installed package and runs in the bin; its
    // findings carry their message ids.
    fs.writeFileSync(path.join(project, 'k8s/pods.yaml'), [1, 2].map((n) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${n}\nspec:\n  containers:\n    - name: a\n      image: a\n    - name: b\n      image: b\n`).join('---\n'));
    fs.writeFileSync(path.join(project, 'plugins.yaml'), 'plugins: [./plugin/out/typed-plugin.js]\n');
    const r = spawnSync(path.join(project, 'node_modules/.bin/sidecar-lint'), ['--config', 'plugins.yaml', '-f', 'json', 'k8s/pods.yaml'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const typed = (JSON.parse(r.stdout) as { findings: { ruleId: string; messageId: string | null; line: number }[] }).findings.filter((f) => f.ruleId.startsWith('typed/'));
    expect(typed.map((f) => `${f.ruleId}/${f.messageId}@${f.line}`)).toEqual(['typed/require-owner/missing@3', 'typed/require-owner/missing@14', 'typed/crowded-pods/crowded@16']);
    fs.rmSync(path.join(project, 'k8s/pods.yaml'));
  });

  it('installs globally', () => {
    const prefix = path.join(tmp, 'global');
    npm(['install', '--global', '--prefix', prefix, tarball], tmp);
    const r = spawnSync(path.join(prefix, 'bin/sidecar-lint'), ['--version'], { cwd: tmp, env: npmEnv, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
