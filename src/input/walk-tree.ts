/**
 * Walking a directory for manifests (`**\/*.{yaml,yml,json}`), as git sees the tree: one synchronous
 * pass that reads each directory once, never `stat`s a file it found, and applies `.gitignore` files
 * on the way down instead of matching every result afterwards.
 *
 * - `.gitignore` files in the tree and in the directories above it up to the repository root (the
 *   nearest directory with a `.git`) apply, each relative to its own directory; a deeper file's rules
 *   override a shallower one's, and within a file the last matching rule wins (negations included).
 *   A directory that is ignored is not entered: nothing inside it can be re-included, as in git.
 *   Patterns are matched case-insensitively, as globby (and so sidecar-lint before this walker) did;
 *   plain rules are looked up rather than tested one by one (src/input/ignore-file.ts).
 * - `node_modules` and `.git` directories are skipped at any depth; hidden files and directories are
 *   walked.
 * - Symbolic links are not followed (a link loop cannot hang the walk, a link cannot pull in files
 *   from outside the tree); only regular files are listed (no FIFOs, devices or sockets).
 * - A directory that cannot be read is returned in `unreadable` (unless ignored) so that the caller
 *   can report it; one that vanished during the walk is skipped.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { IgnoreFile } from './ignore-file.js';
import { readFixedFile } from './read-fixed.js';

/** The extensions of the manifests a directory walk lists. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['yaml', 'yml', 'json'];

/** The manifest file names a directory walk lists (case-sensitive, as the glob `*.{yaml,yml,json}`). */
const MANIFEST_NAME = new RegExp(`\\.(?:${MANIFEST_EXTENSIONS.join('|')})$`);

/** Directories never entered. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

/** The rules of one `.gitignore` file and the directory they are relative to. */
interface IgnoreLevel {
  /** The directory, with a trailing separator. */
  prefix: string;
  rules: IgnoreFile;
}

export interface TreeWalk {
  /** Absolute paths of the manifests found, sorted. */
  files: string[];
  /** Absolute paths of directories that could not be read, sorted. */
  unreadable: string[];
}

/** A `.gitignore` line as git reads it: no byte order mark, trailing whitespace dropped unless escaped. */
function ignoreFileLine(raw: string): string {
  let line = raw.replace(/^\uFEFF/, '');
  let end = line.length;
  while (end > 0 && /\s/.test(line[end - 1]!)) end--;
  if (end === line.length) return line;
  let backslashes = 0;
  for (let i = end - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  line = backslashes % 2 === 1 ? `${line.slice(0, end)} ` : line.slice(0, end);
  return line;
}

/** The level for a `.gitignore` file, or undefined when it cannot be read or has no rules. */
function readIgnoreFile(directory: string): IgnoreLevel | undefined {
  // Not a link, FIFO or device (a parent's `.gitignore -> /dev/zero` would never end), and bounded:
  // such a file, like an unreadable or vanished one, is as if absent (globby did the same).
  const read = readFixedFile(path.join(directory, '.gitignore'));
  if (!read.ok) return undefined;
  const content = read.text;
  const lines = content
    .split(/\r?\n/)
    .map(ignoreFileLine)
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) return undefined;
  // Plain rules are looked up, not tested one by one (src/input/ignore-file.ts).
  return { prefix: directory.endsWith(path.sep) ? directory : directory + path.sep, rules: new IgnoreFile(lines) };
}

/** Whether the rules in force ignore a path (a directory is matched with a trailing `/`). */
function isIgnored(levels: readonly IgnoreLevel[], absolute: string, directory: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    if (!absolute.startsWith(level.prefix) || absolute.length === level.prefix.length) continue;
    let relative = absolute.slice(level.prefix.length);
    if (path.sep !== '/') relative = relative.split(path.sep).join('/');
    const verdict = level.rules.test(relative, directory);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** The repository root above (or at) a directory: the nearest one holding a `.git` directory or file. */
function repositoryRoot(directory: string): string | undefined {
  for (let dir = directory; ; ) {
    const git = fs.statSync(path.join(dir, '.git'), { throwIfNoEntry: false });
    if (git && (git.isDirectory() || git.isFile())) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The `.gitignore` files above `root`, from the repository root down to `root`'s parent, and whether
 * they exclude `root` itself or a directory on the way down to it (then nothing in it is listed).
 */
function levelsAbove(root: string): { levels: IgnoreLevel[]; excluded: boolean } {
  let top: string | undefined;
  try {
    top = repositoryRoot(root);
  } catch {
    return { levels: [], excluded: false };
  }
  if (top === undefined || top === root) return { levels: [], excluded: false };
  const chain: string[] = [];
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    chain.push(dir);
    if (dir === top || path.dirname(dir) === dir) break;
  }
  chain.reverse();
  const levels: IgnoreLevel[] = [];
  for (let i = 0; i < chain.length; i++) {
    const own = readIgnoreFile(chain[i]!);
    if (own) levels.push(own);
    if (levels.length > 0 && isIgnored(levels, chain[i + 1] ?? root, true)) return { levels, excluded: true };
  }
  return { levels, excluded: false };
}

/** Walks `root` (an absolute path to a directory) for manifests. */
export function walkManifests(root: string): TreeWalk {
  const files: string[] = [];
  const unreadable: string[] = [];
  const above = levelsAbove(root);
  if (above.excluded) return { files, unreadable };
  // Depth first with a stack of its own: a tree nested thousands deep cannot overflow the call stack.
  const pending: { directory: string; levels: readonly IgnoreLevel[] }[] = [{ directory: root, levels: above.levels }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { directory, levels: inherited } = next;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Reported unless what it holds would be ignored anyway; a directory that vanished is skipped.
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && !isIgnored(inherited, path.join(directory, 'x.yaml'), false)) unreadable.push(directory);
      continue;
    }
    let levels = inherited;
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      const own = readIgnoreFile(directory);
      if (own) levels = [...inherited, own];
    }
    const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRECTORIES.has(name)) continue;
        const full = prefix + name;
        if (levels.length > 0 && isIgnored(levels, full, true)) continue;
        pending.push({ directory: full, levels });
      } else if (entry.isFile() && MANIFEST_NAME.test(name)) {
        const full = prefix + name;
        if (levels.length > 0 && isIgnored(levels, full, false)) continue;
        files.push(full);
      }
    }
  }
  return { files: files.sort(), unreadable: unreadable.sort() };
}
