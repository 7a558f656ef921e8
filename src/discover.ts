/**
 * Command-line paths → the files to lint. Directories are walked recursively for `*.yaml`, `*.yml`
 * and `*.json`, honouring `.gitignore` and skipping `node_modules` and `.git`; globs are expanded;
 * files named explicitly are always linted. Knows nothing of YAML.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { globby, isDynamicPattern } from 'globby';

export const MANIFEST_PATTERN = '**/*.{yaml,yml,json}';
export const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

export interface DiscoveredInput {
  /** Absolute path on disk. */
  absolute: string;
  /** Path shown in output: relative to the working directory, with `/` separators. */
  display: string;
}

export interface Discovery {
  inputs: DiscoveredInput[];
  /** One line per path argument that could not be used. */
  errors: string[];
}

export function displayPath(absolute: string, cwd: string): string {
  const rel = path.relative(cwd, absolute);
  const shown = rel === '' ? path.basename(absolute) : path.isAbsolute(rel) ? absolute : rel;
  return shown.split(path.sep).join('/');
}

const globOptions = (cwd: string, ignore: readonly string[]) => ({
  cwd,
  gitignore: true,
  dot: true,
  absolute: true,
  onlyFiles: true,
  followSymbolicLinks: false,
  suppressErrors: true,
  ignore: [...ALWAYS_IGNORED, ...ignore],
});

export async function discover(args: readonly string[], cwd: string, ignore: readonly string[] = []): Promise<Discovery> {
  const found = new Map<string, DiscoveredInput>();
  const errors: string[] = [];
  const add = (absolute: string) => {
    if (!found.has(absolute)) found.set(absolute, { absolute, display: displayPath(absolute, cwd) });
  };
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    let info: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      info = await stat(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        errors.push(`${arg}: cannot be read (${code ?? 'unknown error'})`);
        continue;
      }
    }
    if (info?.isDirectory()) {
      const files = await globby(MANIFEST_PATTERN, globOptions(absolute, ignore));
      files.sort().forEach((f) => add(path.normalize(f)));
    } else if (info) {
      add(absolute);
    } else if (isDynamicPattern(arg)) {
      const files = await globby(arg.split(path.sep).join('/'), globOptions(cwd, ignore));
      if (files.length === 0) errors.push(`${arg}: no files match this pattern`);
      files.sort().forEach((f) => add(path.normalize(f)));
    } else {
      errors.push(`${arg}: no such file or directory`);
    }
  }
  const inputs = [...found.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { inputs, errors };
}
