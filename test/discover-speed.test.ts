/**
 * Directory discovery reads each directory once and does not `stat` the files it finds (see
 * `walkFs` in src/discover.ts), and finds exactly what globby finds on its own: nested `.gitignore`
 * files with negations, `.gitignore` files above the working directory, ignored directories,
 * `ignore` patterns, `node_modules` and `.git`, links not followed, unreadable directories.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { globby } from 'globby';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ALWAYS_IGNORED, MANIFEST_PATTERN, discover } from '../src/discover.js';

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

const shown = async (args: string[], cwd: string, ignore: string[] = []) => (await discover(args, cwd, ignore)).inputs.map((i) => i.display);

/** What globby finds walking `pattern` from `root` with discover's options, on the plain file system. */
async function globbyFinds(pattern: string, root: string, cwd: string, ignore: string[] = []): Promise<string[]> {
  const files = await globby(pattern, { cwd: root, gitignore: true, dot: true, absolute: false, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true, ignore: [...ALWAYS_IGNORED, ...ignore] });
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

  it('finds exactly what globby finds on its own, for directories, globs and ignore patterns', async () => {
    const cases: [string[], string, string, string, string[]][] = [
      [['.'], repo, MANIFEST_PATTERN, repo, []],
      [['.'], repo, MANIFEST_PATTERN, repo, ['vendor', '**/deep/**']],
      [['sub'], repo, MANIFEST_PATTERN, path.join(repo, 'sub'), []],
      [['.'], path.join(repo, 'sub'), MANIFEST_PATTERN, path.join(repo, 'sub'), []],
      [['**/*.yaml'], repo, '**/*.yaml', repo, []],
      [['sub/**/*.{yaml,json}'], repo, 'sub/**/*.{yaml,json}', repo, ['sub/deep']],
    ];
    for (const [args, cwd, pattern, root, ignore] of cases) {
      expect(await shown(args, cwd, ignore), JSON.stringify(args)).toEqual(await globbyFinds(pattern, root, cwd, ignore));
    }
  });
});

describe('the work a directory walk does', () => {
  it('reads each directory once and does not stat the files it finds', async () => {
    const reads: string[] = [];
    const realReaddir = fs.readdir;
    vi.spyOn(fs, 'readdir').mockImplementation(((dir: fs.PathLike, ...rest: unknown[]) => {
      reads.push(path.resolve(String(dir)));
      return (realReaddir as (...a: unknown[]) => void)(dir, ...rest);
    }) as typeof fs.readdir);
    const stat = vi.spyOn(fs.promises, 'stat');
    const { inputs } = await discover(['.'], repo);
    expect(inputs.length).toBeGreaterThan(10);
    // globby walks twice (.gitignore files, then manifests); the disk is read once.
    expect(reads).toContain(path.join(repo, 'sub', 'deep'));
    expect(reads.length).toBe(new Set(reads).size);
    const statted = new Set(stat.mock.calls.map(([p]) => path.resolve(String(p))));
    expect(inputs.filter((i) => statted.has(i.absolute))).toEqual([]);
  });

  it('still names a directory it could not read, in either walk, unless .gitignore skips it', async () => {
    const dir = tree('locked', {
      '.gitignore': 'skipped/\n',
      'a.yaml': '',
      'locked/inner.yaml': '',
      'sub/locked-too/inner.yaml': '',
      'skipped/locked/inner.yaml': '',
    });
    const locked = new Set(['locked', 'sub/locked-too', 'skipped/locked'].map((d) => path.join(dir, d)));
    const realReaddir = fs.readdir;
    vi.spyOn(fs, 'readdir').mockImplementation(((d: fs.PathLike, options: unknown, callback: (err: NodeJS.ErrnoException | null, e?: unknown) => void) => {
      if (locked.has(path.resolve(String(d)))) {
        process.nextTick(callback, Object.assign(new Error(`EACCES: permission denied, scandir '${String(d)}'`), { code: 'EACCES' }));
        return;
      }
      (realReaddir as (...a: unknown[]) => void)(d, options, callback);
    }) as typeof fs.readdir);
    expect(await shown(['.'], dir)).toEqual(['a.yaml', 'locked', 'sub/locked-too']);
  });
});
