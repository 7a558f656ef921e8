/**
 * Command-line paths → the files to lint. Directories are walked recursively for `*.yaml`, `*.yml`
 * and `*.json`, honouring `.gitignore` and skipping `node_modules` and `.git` (src/input/walk-tree.ts);
 * globs are expanded with globby, with the same rules; files named explicitly are always linted.
 * Knows nothing of YAML.
 *
 * Symbolic links met while walking a directory or expanding a glob are not followed: a link loop
 * cannot hang the walk and a link cannot pull in files from outside the tree. A link named on the
 * command line is followed. Only regular files are linted: FIFOs, devices and sockets inside a tree
 * are skipped, and one named on the command line is an error (reading it could block forever).
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import fs from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as Globby from 'globby';
import { MANIFEST_EXTENSIONS, SKIPPED_DIRECTORIES, walkManifests } from './walk-tree.js';

let globbyModule: typeof Globby | undefined;
/** globby is loaded only to walk a directory or expand a glob: naming files needs none of it (start-up time). */
async function loadGlobby(): Promise<typeof Globby> {
  return (globbyModule ??= await import('globby'));
}

/** Whether an argument is a glob (the characters globby treats as special). */
function isGlobPattern(arg: string): boolean {
  return /[*?[\]{}()!]|^!/.test(arg);
}

/** The directory walk's rules as globby options (glob arguments are expanded with the same). */
export const MANIFEST_PATTERN = `**/*.{${MANIFEST_EXTENSIONS.join(',')}}`;
export const ALWAYS_IGNORED = [...SKIPPED_DIRECTORIES].map((name) => `**/${name}/**`);

export interface DiscoveredInput {
  /** Absolute path on disk. */
  absolute: string;
  /** Path shown in output: relative to the working directory, with `/` separators. */
  display: string;
}

export interface Discovery {
  /**
   * The files to lint, sorted by display path. A directory inside a walked tree that could not be
   * read is listed too, so that reading it reports why (and the other files are still linted).
   */
  inputs: DiscoveredInput[];
  /** One line per path argument that could not be used. */
  errors: string[];
}

export { safeName } from '../safe-text.js';
import { safeName } from '../safe-text.js';

export function displayPath(absolute: string, cwd: string): string {
  const rel = relativePath(absolute, cwd);
  const shown = rel === '' ? path.basename(absolute) : path.isAbsolute(rel) ? absolute : rel;
  return safeName(shown.split(path.sep).join('/'));
}

/** `path.relative(cwd, absolute)`, without its work where the path is plainly inside the working directory. */
function relativePath(absolute: string, cwd: string): string {
  // Most paths are plainly inside the working directory (a walk joins names onto a resolved root).
  const inside = absolute.startsWith(cwd + path.sep) && !absolute.includes(`${path.sep}.`) ? absolute.slice(cwd.length + 1) : undefined;
  return inside ?? path.relative(cwd, absolute);
}

/**
 * `displayPath` for many files, most of them in few directories (a walk's): a file's display path is
 * its directory's and its name, and a directory's is its parent's and its name, each worked out once.
 * A path the shortcut does not cover (at the root, the working directory or above it, in the working
 * directory or in a directory shown absolute) takes `displayPath`.
 */
export function displayPaths(cwd: string): (absolute: string) => string {
  /** A directory's display path with a trailing `/`, or undefined where the shortcut does not apply. */
  const directories = new Map<string, string | undefined>();
  const aboveCwd = (absolute: string): boolean => `${cwd}${path.sep}`.startsWith(`${absolute}${path.sep}`);
  const directoryShown = (directory: string, depth: number): string | undefined => {
    if (directories.has(directory)) return directories.get(directory);
    let shown: string | undefined;
    const cut = directory.lastIndexOf(path.sep);
    const name = directory.slice(cut + 1);
    if (cut > 0 && !aboveCwd(directory)) {
      // path.relative(cwd, dir + sep + name) is path.relative(cwd, dir) + sep + name for a normalised
      // directory that is not the working directory or above it.
      const parent = depth < MAX_PARENT_DEPTH ? directoryShown(directory.slice(0, cut), depth + 1) : undefined;
      if (parent !== undefined && name !== '' && name !== '.' && name !== '..') {
        shown = `${parent}${safeName(name)}/`;
      } else if (directory === path.resolve(directory)) {
        const rel = relativePath(directory, cwd);
        if (rel !== '' && !path.isAbsolute(rel)) shown = `${safeName(rel.split(path.sep).join('/'))}/`;
      }
    }
    directories.set(directory, shown);
    return shown;
  };
  return (absolute) => {
    const cut = absolute.lastIndexOf(path.sep);
    const name = absolute.slice(cut + 1);
    const plain = cut > 0 && name !== '' && name !== '.' && name !== '..' && !aboveCwd(absolute);
    const shown = plain ? directoryShown(absolute.slice(0, cut), 0) : undefined;
    return shown === undefined ? displayPath(absolute, cwd) : shown + safeName(name);
  };
}

/** How far up `displayPaths` looks for a directory whose display path it knows (deeper, it works one out). */
const MAX_PARENT_DEPTH = 32;

/**
 * The file system globby walks with (for glob arguments; directories are walked by walk-tree.ts).
 * It notes the directories it could not read, and saves work:
 * - globby walks a tree twice, once for the `.gitignore` files and once for the manifests. Each
 *   directory is read once per walk and the listing is replayed to the second reader.
 * - globby's gitignore filter `stat`s every result to ask whether it is a directory. A result that
 *   the listing showed as a regular file is answered from its directory entry (a `Dirent` has the
 *   same `isFile()`, `isDirectory()`, ... as a `Stats`), without a system call.
 * Both only skip asking the disk again what it has just said; anything else goes to `node:fs`.
 */
function walkFs(unreadable: Set<string>): typeof fs {
  type ReaddirCallback = (err: NodeJS.ErrnoException | null, entries: unknown) => void;
  const listings = new Map<string, fs.Dirent[]>();
  const regularFiles = new Map<string, Map<string, fs.Dirent>>();
  const realReaddir = fs.readdir as unknown as (d: fs.PathLike, o: unknown, cb: ReaddirCallback) => void;
  const readdir = ((dir: fs.PathLike, options: unknown, callback: ReaddirCallback) => {
    // Only the call fast-glob makes (`{ withFileTypes: true }`, the default encoding) is replayed.
    const replayable = typeof dir === 'string' && isWithFileTypesOnly(options);
    const key = replayable ? path.resolve(dir) : '';
    const listed = replayable ? listings.get(key) : undefined;
    if (listed) {
      process.nextTick(callback, null, listed.slice());
      return;
    }
    realReaddir(dir, options, (err, entries) => {
      if (err && err.code !== 'ENOENT' && err.code !== 'ENOTDIR') unreadable.add(path.resolve(String(dir)));
      if (!err && replayable) listings.set(key, (entries as fs.Dirent[]).slice());
      callback(err, entries);
    });
  }) as unknown as typeof fs.readdir;
  const listedRegularFile = (file: string): fs.Dirent | undefined => {
    const dir = path.dirname(file);
    let files = regularFiles.get(dir);
    if (!files) {
      const listed = listings.get(dir);
      if (!listed) return undefined;
      files = new Map(listed.filter((d) => d.isFile()).map((d) => [d.name, d]));
      regularFiles.set(dir, files);
    }
    return files.get(path.basename(file));
  };
  const realStat = fs.promises.stat;
  const stat = ((file: fs.PathLike, options?: fs.StatOptions) => {
    // Only a plain absolute path, as globby passes: `a.yaml/` must still fail as stat would (ENOTDIR).
    const entry = typeof file === 'string' && options === undefined && file === path.resolve(file) ? listedRegularFile(file) : undefined;
    return entry ? Promise.resolve(entry) : realStat(file, options);
  }) as typeof fs.promises.stat;
  return { ...fs, readdir, promises: { ...fs.promises, stat } };
}

function isWithFileTypesOnly(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return false;
  const keys = Object.keys(options);
  return keys.length === 1 && (options as { withFileTypes?: unknown }).withFileTypes === true;
}

const globOptions = (cwd: string, unreadable: Set<string>) => ({
  cwd,
  gitignore: true,
  dot: true,
  // Relative results, resolved here: with absolute: true, fast-glob turns a `\` in a file name into `/`.
  absolute: false,
  onlyFiles: true,
  followSymbolicLinks: false,
  suppressErrors: true,
  ignore: [...ALWAYS_IGNORED],
  fs: walkFs(unreadable),
});

/** What a non-regular file is, for messages. */
function typeName(info: fs.Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a path argument cannot be used, from the error of `stat`. */
async function statProblem(arg: string, absolute: string, e: unknown): Promise<string | undefined> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    const link = await lstat(absolute).catch(() => undefined);
    return link?.isSymbolicLink() ? `${safeName(arg)}: is a symbolic link to a file that does not exist` : undefined;
  }
  if (code === 'ELOOP') return `${safeName(arg)}: cannot be read (too many levels of symbolic links, a link loop?; ELOOP)`;
  if (code === 'EACCES' || code === 'EPERM') return `${safeName(arg)}: cannot be read (permission denied, ${code})`;
  return `${safeName(arg)}: cannot be read (${code ?? 'unknown error'})`;
}

export async function discover(args: readonly string[], cwd: string): Promise<Discovery> {
  const found = new Map<string, DiscoveredInput>();
  const errors: string[] = [];
  const display = displayPaths(cwd);
  const add = (absolute: string) => {
    if (!found.has(absolute)) found.set(absolute, { absolute, display: display(absolute) });
  };
  /** Expands a glob with globby; directories it could not read are added too, unless .gitignore skips them. */
  const expand = async (pattern: string, root: string) => {
    const unreadable = new Set<string>();
    const { globby, isGitIgnored } = await loadGlobby();
    const files = (await globby(pattern, globOptions(root, unreadable))).map((f) => path.resolve(root, f));
    files.sort().forEach((f) => add(f));
    if (unreadable.size === 0) return files.length;
    const ignored = await isGitIgnored({ cwd: root }).catch(() => () => false);
    for (const dir of [...unreadable].sort()) if (!ignored(dir) && !ignored(path.join(dir, 'x.yaml'))) add(dir);
    return files.length + unreadable.size;
  };
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    let info: fs.Stats | undefined;
    try {
      info = await stat(absolute);
    } catch (e) {
      const problem = await statProblem(arg, absolute, e);
      if (problem) {
        errors.push(problem);
        continue;
      }
    }
    if (info?.isDirectory()) {
      const tree = walkManifests(absolute);
      for (const file of tree.files) add(file);
      for (const dir of tree.unreadable) add(dir);
    } else if (info?.isFile()) {
      add(absolute);
    } else if (info) {
      errors.push(`${safeName(arg)}: is ${typeName(info)}, not a regular file; to lint a stream, pipe it to standard input and pass -`);
    } else if (isGlobPattern(arg) && (await loadGlobby()).isDynamicPattern(arg)) {
      const count = await expand(arg.split(path.sep).join('/'), cwd);
      if (count === 0) errors.push(`${safeName(arg)}: no files match this pattern`);
    } else {
      errors.push(`${safeName(arg)}: no such file or directory`);
    }
  }
  const inputs = [...found.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { inputs, errors };
}
