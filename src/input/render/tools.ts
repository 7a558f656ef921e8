/**
 * Finding and running the render tools (helm, kustomize, kubectl). Commands run with an argument
 * list, never through a shell, with a time limit; nothing from the linted files is executed.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The executable's path on PATH, or undefined. */
export function which(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface CommandResult {
  ok: boolean;
  stdout: string;
  /**
   * The command's stderr (its first 64 KB), or why it could not run. It may quote the linted files
   * (values included): never print it as it is (see render-error.ts).
   */
  stderr: string;
}

const RENDER_TIMEOUT_MS = 120_000;

/** How much of a failed command's stderr is kept (only its first error line is used). */
const MAX_STDERR = 64 * 1024;

export async function runCommand(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  // Loaded when a render runs, not at start-up.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { cwd, env, timeout: RENDER_TIMEOUT_MS, maxBuffer: 512 * 1024 * 1024, windowsHide: true, shell: false },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ ok: true, stdout: String(stdout), stderr: '' });
          return;
        }
        const text = String(stderr).slice(0, MAX_STDERR);
        const code = (error as NodeJS.ErrnoException).code;
        const why = text.trim() !== '' ? text : error.killed ? 'timed out' : typeof code === 'string' ? code : 'failed';
        resolve({ ok: false, stdout: String(stdout), stderr: why });
      },
    );
  });
}

/** A command line for messages (arguments quoted when needed). */
export function showCommand(file: string, args: readonly string[]): string {
  return [path.basename(file), ...args].map((a) => (/^[\w./=:@%+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
