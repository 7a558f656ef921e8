/**
 * The pre-commit hook (.pre-commit-hooks.yaml).
 *
 * - Always: the hook's definition, and its entry run exactly as pre-commit runs a `language: script`
 *   hook: the script at its path in the hook repository, with the staged file names appended, no
 *   shell.
 * - With the `pre-commit` tool installed (Debian's package; .ci/run installs it when it can): for real,
 *   offline (no npm registry: npm_config_offline and a registry that does not answer), in a temporary
 *   git repository whose .pre-commit-config.yaml points at a copy of this working tree. The hook
 *   installs nothing (no node_modules under PRE_COMMIT_HOME), a bad manifest blocks `git commit` and
 *   a good one passes. Without the tool this part is skipped, and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-pre-commit-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: hunter2-CANARY-value\n';
const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n';
const NOT_KUBERNETES = 'services:\n  web:\n    image: nginx\n';

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  types_or?: string[];
  args?: string[];
  pass_filenames?: boolean;
  require_serial?: boolean;
}
const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'sidecar-lint')!;

const GIT = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync('git', [...GIT, ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
}

describe('.pre-commit-hooks.yaml', () => {
  it('defines the sidecar-lint hook for YAML and JSON files, passed as arguments, installing nothing', () => {
    expect(hooks.map((h) => h.id)).toEqual(['sidecar-lint']);
    // A script in the hook repository: pre-commit creates no environment (language: node would
    // npm-install every devDependency).
    expect(hook.language).toBe('script');
    expect(hook.types_or).toEqual(['yaml', 'json']);
    expect(hook.pass_filenames ?? true).toBe(true);
    // The entry is the package's bin, committed executable.
    expect(hook.entry.split(' ')[0]).toBe(pkg.bin['sidecar-lint']);
    const mode = execFileSync('git', ['ls-files', '-s', '--', pkg.bin['sidecar-lint']], { cwd: ROOT, encoding: 'utf8' }).split(' ')[0];
    expect(mode).toBe('100755');
    expect(fs.readFileSync(path.join(ROOT, pkg.bin['sidecar-lint']), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('keeps npm pack quiet: no lifecycle script prints before the tarball name pre-commit reads', () => {
    const scripts = (pkg as { scripts: Record<string, string> }).scripts;
    for (const name of ['prepare', 'prepack', 'postpack']) expect(scripts[name], name).toBeUndefined();
    // The bundle is committed, so a checkout runs without a build.
    const tracked = execFileSync('git', ['ls-files', '--', 'dist/sidecar-lint.cjs'], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(tracked).toBe('dist/sidecar-lint.cjs');
  });
});

describe('the hook entry, run as pre-commit runs it', () => {
  // pre-commit runs `<hook repository>/<entry> args... files` (the script's shebang finds node on PATH).
  const repo = path.join(tmp, 'entry-repo');
  fs.mkdirSync(path.join(repo, 'k8s'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'k8s/bad.yaml'), BAD);
  fs.writeFileSync(path.join(repo, 'k8s/good.yaml'), GOOD);
  fs.writeFileSync(path.join(repo, 'docker-compose.yml'), NOT_KUBERNETES);
  fs.writeFileSync(path.join(repo, 'package.json'), '{"name": "x"}\n');

  function entry(files: string[]) {
    const [command, ...entryArgs] = hook.entry.split(' ');
    return spawnSync(path.join(ROOT, command!), [...entryArgs, ...(hook.args ?? []), ...files], {
      cwd: repo,
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' },
      encoding: 'utf8',
    });
  }

  it('fails on a bad staged manifest', () => {
    const r = entry(['k8s/bad.yaml', 'k8s/good.yaml', 'docker-compose.yml', 'package.json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('k8s/bad.yaml');
    expect(r.stdout).toContain('configmap-sensitive-data');
    expect(r.stdout).not.toContain('CANARY');
  });

  it('passes good manifests and files that are not Kubernetes objects', () => {
    const r = entry(['k8s/good.yaml', 'docker-compose.yml', 'package.json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('passes a commit that stages only YAML and JSON that are not Kubernetes objects (the entry has --allow-empty)', () => {
    expect(hook.entry).toBe('bin/sidecar-lint.js --allow-empty');
    const r = entry(['docker-compose.yml', 'package.json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('✔ No problems (2 files, 0 objects checked, 2 documents skipped (not Kubernetes objects))\n');
    expect(r.status).toBe(0);
    // Without it, a run that lints no object is exit 2 with one line.
    const bare = spawnSync(path.join(ROOT, pkg.bin['sidecar-lint']), ['docker-compose.yml', 'package.json'], {
      cwd: repo,
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(bare.stderr).toBe('sidecar-lint: no Kubernetes objects found in 2 files; nothing was linted (pass --allow-empty to accept that)\n');
    expect(bare.status).toBe(2);
  });
});

const hasPreCommit = !spawnSync('pre-commit', ['--version']).error;
if (!hasPreCommit) console.warn('pre-commit is not installed: skipping the real pre-commit test (apt-get install pre-commit).');

describe.skipIf(!hasPreCommit)('with the pre-commit tool', () => {
  it(
    'works offline on first use, installing nothing: blocks a commit with a bad manifest and lets a good one through',
    () => {
      // The hook repository: this working tree as it is (tracked and new files), committed.
      const hookRepo = path.join(tmp, 'hook-repo');
      const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
        .split('\0')
        .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
      for (const f of listed) {
        fs.mkdirSync(path.dirname(path.join(hookRepo, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(hookRepo, f));
      }
      expect(git(hookRepo, ['init', '-q']).status).toBe(0);
      expect(git(hookRepo, ['add', '-A']).status).toBe(0);
      expect(git(hookRepo, ['commit', '-q', '-m', 'hook']).status).toBe(0);
      const rev = git(hookRepo, ['rev-parse', 'HEAD']).stdout.trim();

      const user = path.join(tmp, 'user-repo');
      fs.mkdirSync(user);
      const home = path.join(tmp, 'pre-commit-home');
      const env = {
        ...process.env,
        PRE_COMMIT_HOME: home,
        // No network: npm may not reach a registry (a hook that npm-installs would fail here), and
        // an empty npm cache.
        npm_config_offline: 'true',
        npm_config_registry: 'http://127.0.0.1:9/',
        npm_config_cache: path.join(tmp, 'empty-npm-cache'),
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
        NO_COLOR: '1',
      };
      expect(git(user, ['init', '-q'], env).status).toBe(0);
      fs.writeFileSync(
        path.join(user, '.pre-commit-config.yaml'),
        `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: sidecar-lint\n`,
      );
      const install = spawnSync('pre-commit', ['install'], { cwd: user, env, encoding: 'utf8' });
      expect(install.status, install.stderr).toBe(0);

      fs.writeFileSync(path.join(user, 'bad.yaml'), BAD);
      fs.writeFileSync(path.join(user, 'compose.yml'), NOT_KUBERNETES);
      git(user, ['add', '.'], env);
      const blocked = git(user, ['commit', '-m', 'bad'], env);
      const log = `${blocked.stdout}\n${blocked.stderr}`;
      expect(blocked.status, log).not.toBe(0);
      expect(log).toMatch(/sidecar-lint\.+Failed/);
      expect(log).toContain('configmap-sensitive-data');
      expect(log).not.toContain('CANARY');
      expect(git(user, ['rev-parse', '--verify', '-q', 'HEAD'], env).status, 'no commit was made').not.toBe(0);
      // Nothing was installed for the hook: no node environment, no node_modules, no npm cache.
      const installed = fs.readdirSync(home, { recursive: true, encoding: 'utf8' });
      expect(installed.filter((f) => /(^|\/)(node_modules|node_env-[^/]*)$/.test(f))).toEqual([]);
      expect(fs.existsSync(path.join(tmp, 'empty-npm-cache'))).toBe(false);

      git(user, ['rm', '-q', '--cached', 'bad.yaml'], env);
      fs.rmSync(path.join(user, 'bad.yaml'));
      fs.writeFileSync(path.join(user, 'good.yaml'), GOOD);
      git(user, ['add', '.'], env);
      const passed = git(user, ['commit', '-m', 'good'], env);
      expect(passed.status, `${passed.stdout}\n${passed.stderr}`).toBe(0);
      expect(`${passed.stdout}\n${passed.stderr}`).toMatch(/sidecar-lint\.+Passed/);

      // Only YAML that is not Kubernetes staged: the hook lints no object and passes.
      fs.writeFileSync(path.join(user, 'compose.yml'), `${NOT_KUBERNETES}# changed\n`);
      git(user, ['add', '.'], env);
      const compose = git(user, ['commit', '-m', 'compose only'], env);
      expect(compose.status, `${compose.stdout}\n${compose.stderr}`).toBe(0);
      expect(`${compose.stdout}\n${compose.stderr}`).toMatch(/sidecar-lint\.+Passed/);
    },
    300_000,
  );
});
