/**
 * Directory discovery (src/input/walk-tree.ts) reads each directory once, synchronously, and does not
 * `stat` the files it finds, and finds exactly what globby finds on its own: nested `.gitignore`
 * files with negations, `.gitignore` files above the working directory, ignored directories,
 * `node_modules` and `.git`, links not followed, unreadable directories; on the fixed tree below
 * and on random trees with random `.gitignore` files. Glob arguments are expanded by globby itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { globby } from 'globby';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ALWAYS_IGNORED, MANIFEST_PATTERN, discover } from '../../../src/input/discover.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-discover-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function tree(name: string, files: Record<string, string | ((p: string) => void)>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(p, content);
    else content(p);
  }
  return dir;
}

const repo = tree('repo', {
  '.gitignore': 'ignored/\n/build\n*.tmp.yaml\ngen/*\n!gen/keep.yaml\nsub/parent-ignored.yaml\n',
  'a.yaml': '',
  'b.yml': '',
  'c.json': '{}',
  'notes.txt': '',
  'x.tmp.yaml': '',
  'ignored/e.yaml': '',
  'ignored/deep/e2.yaml': '',
  'build/f.yaml': '',
  'gen/g.yaml': '',
  'gen/keep.yaml': '',
  'sub/.gitignore': 'local.yaml\n!keep.tmp.yaml\ncache/\n',
  'sub/b.yaml': '',
  'sub/local.yaml': '',
  'sub/keep.tmp.yaml': '',
  'sub/drop.tmp.yaml': '',
  'sub/parent-ignored.yaml': '',
  'sub/cache/h.yaml': '',
  'sub/deep/.gitignore': '*.json\n',
  'sub/deep/d.yaml': '',
  'sub/deep/d.json': '{}',
  'dir.yaml/inner.yaml': '',
  'flow-typed/t.yaml': '',
  'coverage/cov.json': '{}',
  'node_modules/pkg/n.yaml': '',
  'sub/node_modules/n.yaml': '',
  'vendor/v.yaml': '',
  'link-dir': (p) => fs.symlinkSync('sub', p),
  'link.yaml': (p) => fs.symlinkSync('a.yaml', p),
  'loop': (p) => fs.symlinkSync('.', p),
});
execFileSync('git', ['init', '-q', repo]);
fs.writeFileSync(path.join(repo, '.git', 'in-git.yaml'), '');

const shown = async (args: string[], cwd: string) => (await discover(args, cwd)).inputs.map((i) => i.display);

/** What globby finds walking `pattern` from `root` with discover's options, on the plain file system. */
async function globbyFinds(pattern: string, root: string, cwd: string): Promise<string[]> {
  const files = await globby(pattern, { cwd: root, gitignore: true, dot: true, absolute: false, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true, ignore: [...ALWAYS_IGNORED] });
  return files.map((f) => path.relative(cwd, path.resolve(root, f)).split(path.sep).join('/')).sort();
}

describe('what a directory walk finds', () => {
  it('honours .gitignore files (nested, negations, above the working directory), skips node_modules, .git and links', async () => {
    expect(await shown(['.'], repo)).toEqual([
      'a.yaml',
      'b.yml',
      'c.json',
      'coverage/cov.json',
      'dir.yaml/inner.yaml',
      'flow-typed/t.yaml',
      'gen/keep.yaml',
      'sub/b.yaml',
      'sub/deep/d.yaml',
      'sub/keep.tmp.yaml',
      'vendor/v.yaml',
    ]);
    // From inside the repository, the root .gitignore still applies.
    expect(await shown(['.'], path.join(repo, 'sub'))).toEqual(['b.yaml', 'deep/d.yaml', 'keep.tmp.yaml']);
    expect(await shown(['sub', 'gen', 'ignored'], repo)).toEqual(['gen/keep.yaml', 'sub/b.yaml', 'sub/deep/d.yaml', 'sub/keep.tmp.yaml']);
  });

  it('finds exactly what globby finds on its own, for directories and globs', async () => {
    const cases: [string[], string, string, string][] = [
      [['.'], repo, MANIFEST_PATTERN, repo],
      [['sub'], repo, MANIFEST_PATTERN, path.join(repo, 'sub')],
      [['sub/deep'], repo, MANIFEST_PATTERN, path.join(repo, 'sub/deep')],
      [['.'], path.join(repo, 'sub'), MANIFEST_PATTERN, path.join(repo, 'sub')],
      [['ignored'], repo, MANIFEST_PATTERN, path.join(repo, 'ignored')],
      [['**/*.yaml'], repo, '**/*.yaml', repo],
      [['sub/**/*.{yaml,json}'], repo, 'sub/**/*.{yaml,json}', repo],
    ];
    for (const [args, cwd, pattern, root] of cases) {
      expect(await shown(args, cwd), JSON.stringify(args)).toEqual(await globbyFinds(pattern, root, cwd));
    }
  });

  it('lists the names the glob *.{yaml,yml,json} matches (case-sensitive, hidden files too)', async () => {
    const names = tree('names', { '.yaml': '', '..yaml': '', 'a.yaml': '', '.a.yaml': '', 'a.YAML': '', 'a.yaml~': '', 'x .json': '', '.yml': '', 'y.yml.json': '', '.hidden/h.yaml': '' });
    expect(await shown(['.'], names)).toEqual(await globbyFinds(MANIFEST_PATTERN, names, names));
    expect(await shown(['.'], names)).toEqual(['..yaml', '.a.yaml', '.hidden/h.yaml', '.yaml', '.yml', 'a.yaml', 'x .json', 'y.yml.json']);
  });

  it('finds what globby finds on random trees with random .gitignore files', async () => {
    // A small seeded generator: the same trees on every run (RANDOM_TREES=1500 for a longer search;
    // 1,500 trees agreed with globby when this walker was written).
    let seed = 20261205;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const dirs = ['a', 'b', 'build', 'gen', 'deep', '.hidden', 'Keep', 'x y'];
    const files = ['a.yaml', 'b.yml', 'c.json', 'keep.yaml', 'Keep.YAML', 'drop.tmp.yaml', '.dot.yaml', 'notes.txt', 'x y.yaml'];
    const rules = ['*.yaml', '!keep.yaml', 'build/', '/build', 'gen/*', '!gen/keep.yaml', '**/deep', 'deep/', '*.tmp.yaml', 'a/b/', '/a/*.json', '!*.json', 'KEEP/', '.hidden', '!.dot.yaml', 'x y/', '# comment', '', 'b/**/c.json', '*.yml', '\\#x.yaml', 'a/**'];
    let manifests = 0;
    let listed = 0;
    for (let n = 0; n < Number(process.env.RANDOM_TREES ?? 40); n++) {
      const layout: Record<string, string> = {};
      const paths: string[] = [''];
      for (let i = 0; i < 12; i++) {
        const parent = pick(paths);
        const dir = parent === '' ? pick(dirs) : `${parent}/${pick(dirs)}`;
        if (dir.split('/').length <= 4 && !paths.includes(dir)) paths.push(dir);
      }
      for (const dir of paths) {
        for (let i = 0; i < 3; i++) layout[dir === '' ? pick(files) : `${dir}/${pick(files)}`] = '';
        if (random() < 0.4) layout[dir === '' ? '.gitignore' : `${dir}/.gitignore`] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(rules)).join('\n') + '\n';
      }
      const root = tree(`random-${n}`, layout);
      // In a repository half of the time: then the .gitignore files above a subdirectory apply too.
      if (random() < 0.5) execFileSync('git', ['init', '-q', root]);
      const subdirectories = paths.filter((p) => p !== '' && fs.existsSync(path.join(root, p)));
      const where = random() < 0.4 || subdirectories.length === 0 ? root : path.join(root, pick(subdirectories));
      const found = await shown(['.'], where);
      expect(found, JSON.stringify(layout)).toEqual(await globbyFinds(MANIFEST_PATTERN, where, where));
      manifests += Object.keys(layout).filter((f) => /\.(yaml|yml|json)$/.test(f) && path.join(root, f).startsWith(where + path.sep)).length;
      listed += found.length;
    }
    // The trees are not trivial: the rules leave out a good share of the manifests.
    expect(listed).toBeGreaterThan(manifests * 0.3);
    expect(listed).toBeLessThan(manifests * 0.9);
  });
});

describe('the work a directory walk does', () => {
  it('reads each directory once, not the ignored ones, and does not stat the files it finds', async () => {
    const readdirSync = vi.spyOn(fs, 'readdirSync');
    const statSync = vi.spyOn(fs, 'statSync');
    const lstatSync = vi.spyOn(fs, 'lstatSync');
    const stat = vi.spyOn(fs.promises, 'stat');
    const readdir = vi.spyOn(fs, 'readdir');
    const { inputs } = await discover(['.'], repo);
    expect(inputs.length).toBe(11);
    const reads = readdirSync.mock.calls.map(([p]) => path.resolve(String(p)));
    expect(reads).toContain(path.join(repo, 'sub', 'deep'));
    expect(reads.length).toBe(new Set(reads).size);
    for (const skipped of ['ignored', 'build', 'sub/cache', 'node_modules', '.git', 'link-dir']) expect(reads).not.toContain(path.join(repo, skipped));
    const statted = new Set([...statSync.mock.calls, ...lstatSync.mock.calls, ...stat.mock.calls].map(([p]) => path.resolve(String(p))));
    expect(inputs.filter((i) => statted.has(i.absolute))).toEqual([]);
    expect(readdir).not.toHaveBeenCalled();
  });

  it('still names a directory it could not read, unless .gitignore skips it', async () => {
    const dir = tree('locked', {
      '.gitignore': 'skipped/\n',
      'a.yaml': '',
      'locked/inner.yaml': '',
      'sub/locked-too/inner.yaml': '',
      'skipped/locked/inner.yaml': '',
    });
    const locked = new Set(['locked', 'sub/locked-too', 'skipped/locked'].map((d) => path.join(dir, d)));
    const realReaddirSync = fs.readdirSync;
    vi.spyOn(fs, 'readdirSync').mockImplementation(((d: fs.PathLike, options: unknown) => {
      if (locked.has(path.resolve(String(d)))) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(d)}'`), { code: 'EACCES' });
      return (realReaddirSync as (...a: unknown[]) => unknown)(d, options);
    }) as typeof fs.readdirSync);
    expect(await shown(['.'], dir)).toEqual(['a.yaml', 'locked', 'sub/locked-too']);
  });
});
