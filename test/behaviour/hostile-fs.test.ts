/**
 * Hostile file systems: link loops, links out of the tree, unreadable files and directories, FIFOs
 * and devices, odd file names (spaces, non-ASCII, control characters, shell syntax), a missing path,
 * 50,000 files in one directory and a 100 MB file. The CLI never hangs, never executes anything,
 * lints what it can and names what it cannot; exit 2 only when it could not do its job.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover, displayPath, safeName } from '../../src/input/discover.js';
import { readInput } from '../../src/run/lint-files.js';
import { readFixedFile } from '../../src/input/read-fixed.js';
import { lintAll } from '../support/hostile.js';
import { runCli } from '../support/lint.js';
import type { JsonReport } from '../../src/format/json.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sidecar-lint.js');
const STACK_TRACE = /\n\s+at .*:\d+:\d+/;

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-hostile-fs-')));
fs.chmodSync(tmp, 0o755);
afterAll(() => {
  // Undo chmod 000 first, or the clean-up cannot enter the directories.
  for (const d of fs.readdirSync(tmp, { recursive: true, withFileTypes: true })) {
    const p = path.join(d.parentPath, d.name);
    if (d.isDirectory()) fs.chmodSync(p, 0o755);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  PASSWORD: hunter2-CANARY\n`;
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\ndata:\n  LOG_LEVEL: info\n';

/** A fresh directory under the suite's temp dir, with the given files (text, or a function that makes the entry). */
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

const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const filesWithFindings = (stdout: string) => [...new Set(json(stdout).findings.map((f) => f.file))].sort();

describe('symbolic links', () => {
  const dir = tree('links', {
    'tree/a.yaml': CM('a'),
    'outside/o.yaml': CM('outside'),
    'tree/link-out': (p) => fs.symlinkSync('../outside', p),
    'tree/file-out.yaml': (p) => fs.symlinkSync('../outside/o.yaml', p),
    'tree/loop1': (p) => fs.symlinkSync('loop2', p),
    'tree/loop2': (p) => fs.symlinkSync('loop1', p),
    'tree/sub/self': (p) => fs.symlinkSync('.', p),
    'tree/sub/up': (p) => fs.symlinkSync('../..', p),
    'tree/dangling.yaml': (p) => fs.symlinkSync('nowhere.yaml', p),
  });

  it('walks a tree with link loops and links out of it without following them', async () => {
    const r = await runCli(['--format', 'json', 'tree'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(filesWithFindings(r.stdout)).toEqual(['tree/a.yaml']);
    expect(json(r.stdout).summary.files).toBe(1);
  });

  it('follows a link named on the command line', async () => {
    const r = await runCli(['--format', 'json', 'tree/file-out.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(filesWithFindings(r.stdout)).toEqual(['tree/file-out.yaml']);
  });

  it('names a link loop and a dangling link given as arguments, and lints nothing (exit 2)', async () => {
    const r = await runCli(['tree/a.yaml', 'tree/loop1', 'tree/dangling.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'sidecar-lint: tree/loop1: cannot be read (too many levels of symbolic links, a link loop?; ELOOP)',
      'sidecar-lint: tree/dangling.yaml: is a symbolic link to a file that does not exist',
    ]);
  });

  it('does not follow links when expanding a glob', async () => {
    const r = await runCli(['--format', 'json', 'tree/**/*.yaml'], { cwd: dir });
    expect(filesWithFindings(r.stdout)).toEqual(['tree/a.yaml']);
  });
});

/** B14 (reliability campaign 2026-12): -o and the Action's sarif-file wrote through a link planted in the repository. */
describe('output files are never written through a symbolic link', () => {
  const REFUSED = 'sidecar-lint: sidecar-lint.sarif: is a symbolic link; not writing through it (remove the link, or write to another path)\n';

  it('refuses an output file that is a link (exit 2, one line), and leaves its target alone', async () => {
    const dir = tree('out-link/repo', { 'cm.yaml': CLEAN, 'sidecar-lint.sarif': (p) => fs.symlinkSync('../victim.txt', p) });
    fs.writeFileSync(path.join(tmp, 'out-link/victim.txt'), 'victim\n');
    const r = await runCli(['--no-config', '-f', 'sarif', '-o', 'sidecar-lint.sarif', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(REFUSED);
    expect(fs.readFileSync(path.join(tmp, 'out-link/victim.txt'), 'utf8')).toBe('victim\n');
    // A dangling link too (it would create the file it points at).
    fs.rmSync(path.join(tmp, 'out-link/victim.txt'));
    const dangling = await runCli(['--no-config', '-f', 'sarif', '-o', 'sidecar-lint.sarif', '.'], { cwd: dir });
    expect(dangling.stderr).toBe(REFUSED);
    expect(fs.existsSync(path.join(tmp, 'out-link/victim.txt'))).toBe(false);
  });

  it('refuses a path through a linked directory of the tree, and writes other outputs', async () => {
    fs.mkdirSync(path.join(tmp, 'out-dir-link/elsewhere'), { recursive: true });
    const dir = tree('out-dir-link/repo', { 'cm.yaml': CLEAN, reports: (p) => fs.symlinkSync('../elsewhere', p) });
    const r = await runCli(['--no-config', '-f', 'junit', '-o', 'reports/x.xml', '-f', 'json', '-o', 'ok/x.json', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sidecar-lint: reports/x.xml: goes through a symbolic link (reports); not writing through it (remove the link, or write to another path)\n');
    expect(fs.readdirSync(path.join(tmp, 'out-dir-link/elsewhere'))).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'ok/x.json'), 'utf8')).summary.files).toBe(1);
  });

  it('does not wait on a FIFO planted as the output file', async () => {
    const dir = tree('out-fifo', { 'cm.yaml': CLEAN, 'out.sarif': (p) => execFileSync('mkfifo', [p]) });
    const r = await runCli(['--no-config', '-f', 'sarif', '-o', 'out.sarif', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sidecar-lint: out.sarif: cannot be written (ENXIO)\n');
  });

  it('still writes a regular file, replacing what was there', async () => {
    const dir = tree('out-regular', { 'cm.yaml': CLEAN, 'out.txt': 'old' });
    const r = await runCli(['--no-config', '-f', 'json', '-o', 'out.txt', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).summary.files).toBe(1);
  });
});

/**
 * B5 (reliability campaign 2026-12): files opened by a fixed name followed links to devices and
 * blocked on FIFOs: a committed `Kustomization -> /dev/zero` hung the run even with --no-render.
 */
describe('files opened by a fixed name: never a device, never a blocking FIFO, bounded', () => {
  const run = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  const NO_PROBLEMS = '✔ No problems (1 file, 1 object checked)\n';

  it.each([
    ['Kustomization -> /dev/zero, --no-render', { Kustomization: (p: string) => fs.symlinkSync('/dev/zero', p) }, ['--no-render']],
    ['Kustomization -> /dev/zero, rendering on', { Kustomization: (p: string) => fs.symlinkSync('/dev/zero', p) }, []],
    ['a FIFO Kustomization', { Kustomization: (p: string) => execFileSync('mkfifo', [p]) }, []],
    ['kustomization.yaml -> /dev/zero', { 'kustomization.yaml': (p: string) => fs.symlinkSync('/dev/zero', p) }, []],
  ] as const)('%s: the manifests are linted raw, exit 0', (_what, entries, args) => {
    const dir = tree(`fixed-${_what.replace(/\W+/g, '-')}`, { 'cm.yaml': CLEAN, ...entries });
    const r = run(dir, '--no-config', ...args, '.');
    expect(r.signal).toBe(null);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(NO_PROBLEMS);
  });

  it('a FIFO kustomization.yaml beside a regular kustomization.yml: not rendered (kustomize would wait on it)', () => {
    const dir = tree('fixed-fifo-beside', { 'cm.yaml': CLEAN, 'kustomization.yml': 'resources: [cm.yaml]\n', 'kustomization.yaml': (p) => execFileSync('mkfifo', [p]) });
    const r = run(dir, '--no-config', '.');
    expect(r.signal).toBe(null);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('✔ No problems (2 files, 1 object checked, 1 document skipped (not Kubernetes objects))\n');
  });

  it.each([
    ['-> /dev/zero', (p: string) => fs.symlinkSync('/dev/zero', p)],
    ['a FIFO', (p: string) => execFileSync('mkfifo', [p])],
  ] as const)('a .gitignore %s at the repository root, linting a subdirectory: as if absent', (what, make) => {
    const dir = tree(`fixed-gitignore-${what.replace(/\W+/g, '-')}`, { 'k8s/cm.yaml': CLEAN, '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': make });
    const r = run(dir, '--no-config', 'k8s/');
    expect(r.signal).toBe(null);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(NO_PROBLEMS);
  });

  it.each([
    ['.sidecar-lint.yml', (p: string) => fs.symlinkSync('/dev/zero', p), 'is a character device, not a regular file'],
    ['.sidecar-lint.yaml', (p: string) => execFileSync('mkfifo', [p]), 'is a FIFO (named pipe), not a regular file'],
  ] as const)('a config file %s that is not a regular file: exit 2, one line', (name, make, why) => {
    const dir = tree(`fixed-config-${name.slice(1).replace(/\W+/g, '-')}`, { 'cm.yaml': CLEAN, [name]: make });
    for (const args of [['.'], ['--config', name, '.']]) {
      const r = run(dir, ...args);
      expect(r.signal).toBe(null);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`sidecar-lint: ${name}:1:1: ${why}\n`);
    }
  });

  it('a config file over 1 MB is not read; one linked to a regular file is', () => {
    const dir = tree('fixed-config-size', { 'cm.yaml': CLEAN, '.sidecar-lint.yaml': `# ${'x'.repeat(1024 * 1024)}\n`, 'shared/config.yaml': 'rules:\n  parse-error: error\n' });
    const big = run(dir, '.');
    expect(big.status).toBe(2);
    expect(big.stderr).toBe('sidecar-lint: .sidecar-lint.yaml:1:1: is too large (over 1 MB)\n');
    fs.rmSync(path.join(dir, '.sidecar-lint.yaml'));
    fs.symlinkSync('shared/config.yaml', path.join(dir, '.sidecar-lint.yaml'));
    expect(run(dir, '.').status).toBe(0);
  });

  it('readFixedFile: lstat first, no link unless allowed, never blocks, bounded', () => {
    const dir = tree('fixed-unit', { 'a.txt': 'hello', 'big.txt': 'x'.repeat(5000), fifo: (p) => execFileSync('mkfifo', [p]), zero: (p) => fs.symlinkSync('/dev/zero', p), link: (p) => fs.symlinkSync('a.txt', p) });
    const at = (name: string) => path.join(dir, name);
    expect(readFixedFile(at('a.txt'))).toEqual({ ok: true, text: 'hello' });
    expect(readFixedFile(at('missing'))).toMatchObject({ ok: false, reason: 'missing' });
    expect(readFixedFile(at('fifo'))).toEqual({ ok: false, reason: 'special', detail: 'a FIFO (named pipe)' });
    expect(readFixedFile(at('fifo'), { followLinks: true })).toEqual({ ok: false, reason: 'special', detail: 'a FIFO (named pipe)' });
    expect(readFixedFile(at('zero'))).toEqual({ ok: false, reason: 'link', detail: 'a symbolic link' });
    expect(readFixedFile(at('zero'), { followLinks: true })).toEqual({ ok: false, reason: 'special', detail: 'a character device' });
    expect(readFixedFile(at('link'))).toMatchObject({ ok: false, reason: 'link' });
    expect(readFixedFile(at('link'), { followLinks: true })).toEqual({ ok: true, text: 'hello' });
    expect(readFixedFile(at('big.txt'), { maxBytes: 4096 })).toMatchObject({ ok: false, reason: 'large' });
    expect(readFixedFile(at('big.txt'), { maxBytes: 5000 })).toEqual({ ok: true, text: 'x'.repeat(5000) });
  });
});

describe('FIFOs and devices', () => {
  const dir = tree('fifo', {
    'a.yaml': CM('a'),
    'pipe.yaml': (p) => execFileSync('mkfifo', [p]),
    'null.yaml': (p) => fs.symlinkSync('/dev/null', p),
  });

  it('skips a FIFO and a link to a device inside a walked tree, without blocking', async () => {
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(filesWithFindings(r.stdout)).toEqual(['a.yaml']);
  });

  it('refuses a FIFO or a device named on the command line, without blocking (exit 2)', async () => {
    const r = await runCli(['a.yaml', 'pipe.yaml', 'null.yaml', '/dev/zero'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'sidecar-lint: pipe.yaml: is a FIFO (named pipe), not a regular file; to lint a stream, pipe it to standard input and pass -',
      'sidecar-lint: null.yaml: is a character device, not a regular file; to lint a stream, pipe it to standard input and pass -',
      'sidecar-lint: /dev/zero: is a character device, not a regular file; to lint a stream, pipe it to standard input and pass -',
    ]);
  });

  it('readInput never opens a FIFO for a blocking read', () => {
    expect(readInput({ display: 'pipe.yaml', absolute: path.join(dir, 'pipe.yaml') })).toEqual({
      problem: 'pipe.yaml: is a FIFO (named pipe), not a regular file; to lint a stream, pipe it to standard input and pass -',
    });
    expect(readInput({ display: 'zero', absolute: '/dev/zero' })).toEqual({
      problem: 'zero: is a character device, not a regular file; to lint a stream, pipe it to standard input and pass -',
    });
  });
});

describe('unreadable files and directories', () => {
  const dir = tree('unreadable', {
    'a.yaml': CM('a'),
    'secret.yaml': CM('locked-file'),
    'locked/inner.yaml': CM('locked-dir'),
    'z.yaml': CLEAN,
  });
  fs.chmodSync(path.join(dir, 'secret.yaml'), 0o000);
  fs.chmodSync(path.join(dir, 'locked'), 0o000);
  const isRoot = process.getuid?.() === 0;
  // As root, chmod 000 does not stop reads: run the real CLI as an unprivileged user instead.
  const nobody = isRoot && spawnSync(process.execPath, ['-e', ''], { uid: 65534, gid: 65534 }).status === 0;
  const canTest = !isRoot || nobody;
  if (!canTest) console.warn('unreadable-file tests skipped: running as root and cannot run as an unprivileged user (uid 65534)');
  if (isRoot && nobody) console.warn('unreadable-file tests: running as root, so the CLI runs as uid 65534 for them');

  function cli(args: string[]) {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_DEBUG: '' },
      timeout: 60_000,
      ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it.skipIf(!canTest)('lints the readable files, names each unreadable file and directory once, and exits 2', () => {
    const r = cli(['--format', 'json', '.']);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual([
      'sidecar-lint: locked: directory cannot be read (permission denied, EACCES)',
      'sidecar-lint: secret.yaml: cannot be read (permission denied, EACCES)',
    ]);
    expect(r.code).toBe(2);
    expect(filesWithFindings(r.stdout)).toEqual(['a.yaml']);
  });

  it.skipIf(!canTest)('names an unreadable file or directory given as an argument (exit 2)', () => {
    const r = cli(['secret.yaml', 'locked', 'a.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toContain('secret.yaml: cannot be read (permission denied, EACCES)');
    expect(r.stderr).toContain('locked: directory cannot be read (permission denied, EACCES)');
  });

  it('discover() passes an unreadable directory on as an input, so that it is reported (tested with a fake when running as root)', async () => {
    const d = await discover(['.'], dir);
    if (isRoot) {
      // Root reads everything: the directory's file is found instead.
      expect(d.inputs.map((i) => i.display)).toContain('locked/inner.yaml');
    } else {
      expect(d.inputs.map((i) => i.display)).toContain('locked');
    }
  });
});

describe('file names', () => {
  const names = ['with space.yaml', 'ünïcødé 日本語.yaml', 'emoji 🚀.yml', '-dash.yaml', '--format.yaml', "quote'\"s.yaml", 'back\\slash.yaml'];
  const dir = tree('names', Object.fromEntries(names.map((n, i) => [`d/${n}`, CM(`n${i}`)])));

  it('lints files whose names have spaces, non-ASCII characters, quotes and leading dashes', async () => {
    const r = await runCli(['--format', 'json', 'd'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(filesWithFindings(r.stdout)).toEqual(names.map((n) => `d/${n}`).sort());
    for (const f of json(r.stdout).findings) expect(`${f.line}:${f.column}`).toBe('6:3');
    const explicit = await runCli(['--format', 'json', '--', ...names.map((n) => `d/${n}`)], { cwd: dir });
    expect(filesWithFindings(explicit.stdout)).toEqual(names.map((n) => `d/${n}`).sort());
  });

  it('shows control and bidirectional characters in file names escaped, in every format', async () => {
    const evil = ['line\nbreak.yaml', 'esc\u001b[31mred.yaml', 'bell\u0007.yaml', 'rlo\u202egnp.yaml', 'nl::error file=x::forged.yaml'];
    const edir = tree('evil-names', Object.fromEntries(evil.map((n, i) => [n, CM(`e${i}`)])));
    expect(safeName('line\nbreak')).toBe('line\\x0abreak');
    expect(displayPath(path.join(edir, 'esc\u001b[31mred.yaml'), edir)).toBe('esc\\x1b[31mred.yaml');
    const formats = ['stylish', 'compact', 'github', 'json'];
    for (const format of formats) {
      const r = await runCli(['--format', format, '.'], { cwd: edir });
      expect(r.code, format).toBe(1);
       
      expect(r.stdout, format).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      if (format === 'json') expect(filesWithFindings(r.stdout)).toContain('line\\x0abreak.yaml');
      else expect(r.stdout, format).toContain('line\\x0abreak.yaml');
      if (format === 'github') {
        // One workflow command per line, and no line starts a command the file name forged.
        for (const line of r.stdout.split('\n').filter((l) => l.startsWith('::'))) expect(line).toMatch(/^::(error|warning|notice) file=/);
      }
    }
  });
});

describe('nothing from the linted files is ever executed', () => {
  const evil = ['$(touch pwned-1).yaml', '`touch pwned-2`.yaml', ';touch pwned-3;.yaml', 'a|touch pwned-4.yaml', 'x && touch pwned-5 #.yaml', ';rm -rf keep;.yaml', '$HOME.yaml', '*.yaml'];
  const dir = tree('shell', {
    ...Object.fromEntries(evil.map((n, i) => [n, CM(`s${i}`)])),
    'keep/important.txt': 'do not delete',
    'content.yaml': `${CM('content')}  run: "$(touch pwned-6)"\n  tagged: !!python/object/apply:os.system ["touch pwned-7"]\n`,
  });
  const listing = () => fs.readdirSync(dir).sort();

  it('lints files named like shell commands through the real executable, with the names shown literally', () => {
    const before = listing();
    for (const args of [['.'], evil, ['--format', 'github', '--', ...evil], ['--format', 'json', '*.yaml']]) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect([1, 2]).toContain(r.status);
    }
    const r = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(filesWithFindings(r.stdout)).toEqual([...evil, 'content.yaml'].sort());
    expect(listing()).toEqual(before);
    expect(listing().some((f) => f.startsWith('pwned'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'keep/important.txt'), 'utf8')).toBe('do not delete');
  });

  it('src/ runs no child process through a shell', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.[cm]?[jt]s$/.test(e.name)) {
          const text = fs.readFileSync(p, 'utf8');
          const rel = path.relative(ROOT, p);
          if (/shell\s*:\s*(true|['"`])/.test(text)) offenders.push(`${rel}: shell: true`);
          // exec() and execSync() always run a shell; execFile/spawn without `shell` do not.
          for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?child_process['"]/g)) {
            for (const name of m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!)) {
              if (name !== '' && !['execFile', 'execFileSync', 'spawn', 'spawnSync', 'type'].includes(name)) offenders.push(`${rel}: imports ${name} from child_process`);
            }
          }
          if (/require\(\s*['"](?:node:)?child_process['"]\s*\)|import\s+\*\s+as\s+\w+\s+from\s+['"](?:node:)?child_process['"]/.test(text)) offenders.push(`${rel}: child_process imported whole`);
          if (/(?<![.\w])eval\s*\(|new\s+Function\s*\(/.test(text)) offenders.push(`${rel}: eval/new Function`);
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'rules'));
    expect(offenders).toEqual([]);
  });
});

describe('a path argument that does not exist', () => {
  it('is named, nothing is linted, exit 2', async () => {
    const dir = tree('missing', { 'a.yaml': CM('a') });
    const r = await runCli(['a.yaml', 'nope.yaml', 'no/such/dir/'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'sidecar-lint: nope.yaml: no such file or directory',
      'sidecar-lint: no/such/dir/: no such file or directory',
    ]);
  });
});

// Linted for what they give, not timed: `npm run bench` prints the time and peak memory of both.
describe('big inputs through the CLI', () => {
  it('lints 50,000 small files in one directory', { timeout: 300_000 }, async () => {
    const dir = path.join(tmp, 'many');
    fs.mkdirSync(dir);
    for (let i = 0; i < 50_000; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(5, '0')}.yaml`), i === 31_337 ? CM('needle') : i === 42 ? 'a: "broken\n' : CLEAN);
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.summary.files).toBe(50_000);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['f00042.yaml parse-error', 'f31337.yaml configmap-sensitive-data']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports a 100 MB file as one parse-error and lints the file beside it', { timeout: 60_000 }, async () => {
    const dir = tree('huge', { 'small.yaml': CM('small') });
    const fd = fs.openSync(path.join(dir, 'huge.yaml'), 'w');
    const block = Buffer.from(CLEAN.repeat(16_384));
    for (let n = 0; n < 100 * 1024 * 1024; n += block.length) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(json(r.stdout).findings.map((f) => `${f.file} ${f.ruleId}@${f.line}:${f.column}`)).toEqual([
      'huge.yaml parse-error@1:1',
      'small.yaml configmap-sensitive-data@6:3',
    ]);
    fs.rmSync(path.join(dir, 'huge.yaml'));
  });

  it('the other files are still linted when one is binary, invalid UTF-8, too deep or a bomb', async () => {
    const dir = tree('mixed', {
      'a.yaml': CM('a'),
      'b-binary.yaml': (p) => fs.writeFileSync(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00])),
      'c-latin1.yaml': (p) => fs.writeFileSync(p, Buffer.from('apiVersion: v1\nkind: ConfigMap\ndata:\n  caf\u00e9: x\n', 'latin1')),
      'd-deep.yaml': `${'['.repeat(30_000)}\n`,
      'e-bomb.yaml': ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...Array.from({ length: 8 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(',')}]`)].join('\n'),
      'f-empty.yaml': '',
      'g-nul.yaml': 'apiVersion: v1\u0000\n',
      'z.yaml': CM('z'),
    });
    const r = await runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings.map((f) => `${f.file} ${f.ruleId}@${f.line}:${f.column}`)).toEqual([
      'a.yaml configmap-sensitive-data@6:3',
      'b-binary.yaml parse-error@1:1',
      'c-latin1.yaml parse-error@4:6',
      'd-deep.yaml parse-error@1:257',
      'e-bomb.yaml parse-error@4:29',
      'g-nul.yaml parse-error@1:15',
      'z.yaml configmap-sensitive-data@6:3',
    ]);
    expect(json(r.stdout).summary.files).toBe(8);
  });

  it('lintAll agrees with the CLI on a tree (readInput through lintInputs)', () => {
    const dir = tree('agree', { 'a.yaml': CM('a') });
    const r = lintAll([{ display: 'a.yaml', absolute: path.join(dir, 'a.yaml') }]);
    expect(r.findings.map((f) => `${f.file} ${f.ruleId}@${f.line}:${f.column}`)).toEqual(['a.yaml configmap-sensitive-data@6:3']);
  });
});
