/**
 * Reading files that sidecar-lint opens by a fixed name (config files, `.gitignore` files,
 * kustomization files) rather than finding them in the walk. A repository can commit any of these
 * names as a symbolic link to a device (`Kustomization -> /dev/zero`) or as a FIFO, so they are read
 * the way the walk reads manifests: `lstat` first (a link is not followed unless the caller allows
 * it), opened non-blocking (a FIFO never waits for a writer), checked to be a regular file on the open
 * descriptor (no race with a rename), and read up to a size limit (a file's size may be wrong, as in
 * /proc, or grow while it is read).
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Larger fixed-name files are not read (the limit of a linted file, 10 MB). */
const MAX_FIXED_FILE_SIZE = 10 * 1024 * 1024;

export type FixedRead =
  | { ok: true; text: string }
  | {
      ok: false;
      /** missing: no such file; link: a symbolic link (not followed); special: not a regular file; large: over the limit; unreadable: another error. */
      reason: 'missing' | 'link' | 'special' | 'large' | 'unreadable';
      /** What it is or why it failed, for messages: "a FIFO (named pipe)", "EACCES", "over 10 MB". */
      detail: string;
    };

/** What a file that is not a regular file is, for messages (the one wording every reader uses). */
export function fileTypeName(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a file opened by a fixed name as UTF-8 text (a byte order mark is kept). `followLinks`: a
 * symbolic link is followed when its target is a regular file (for files named by the user or shared
 * on purpose, such as a config); otherwise a link is reported as `link` and not opened.
 */
export function readFixedFile(file: string, options: { followLinks?: boolean; maxBytes?: number } = {}): FixedRead {
  const max = options.maxBytes ?? MAX_FIXED_FILE_SIZE;
  let info: Stats;
  try {
    info = lstatSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', detail: code };
  }
  if (info.isSymbolicLink()) {
    if (!options.followLinks) return { ok: false, reason: 'link', detail: 'a symbolic link' };
  } else if (!info.isFile()) {
    return { ok: false, reason: 'special', detail: fileTypeName(info) };
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.followLinks ? 0 : (constants.O_NOFOLLOW ?? 0)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ELOOP') return { ok: false, reason: 'link', detail: 'a symbolic link' };
    return { ok: false, reason: code === 'ENOENT' ? 'missing' : 'unreadable', detail: code };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { ok: false, reason: 'special', detail: fileTypeName(opened) };
    const tooLarge = { ok: false, reason: 'large', detail: `over ${Math.round(max / (1024 * 1024))} MB` } as const;
    if (opened.size > max) return tooLarge;
    const buffer = Buffer.allocUnsafe(Math.min(max + 1, Math.max(opened.size + 1, 4096)));
    let total = 0;
    let chunk = buffer;
    for (;;) {
      if (total === chunk.length) {
        if (total > max) return tooLarge;
        const bigger = Buffer.allocUnsafe(Math.min(total * 2, max + 1));
        chunk.copy(bigger, 0, 0, total);
        chunk = bigger;
      }
      const n = readSync(fd, chunk, total, chunk.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > max) return tooLarge;
    return { ok: true, text: chunk.toString('utf8', 0, total) };
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? 'unknown error' };
  } finally {
    closeSync(fd);
  }
}

/** Whether a regular file (not a FIFO or device; not a link either, unless `followLinks`) has this name. */
export function isRegularFile(file: string, options: { followLinks?: boolean } = {}): boolean {
  try {
    return (options.followLinks ? statSync(file) : lstatSync(file)).isFile();
  } catch {
    return false;
  }
}

/** Whether anything (a file, a link, even a dangling one, a FIFO) has this name. */
export function existsNoFollow(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
