/**
 * Finding and running the render tools (helm, kustomize, kubectl). Commands run with an argument
 * list, never through a shell, with a time limit; nothing from the linted files is executed.
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
  /** The first lines of stderr, or why the command could not run. */
  error: string;
}

export const RENDER_TIMEOUT_MS = 120_000;

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
          resolve({ ok: true, stdout: String(stdout), error: '' });
          return;
        }
        const text = String(stderr)
          .trim()
          .split('\n')
          // klog's prefix (E1125 04:03:50.161316  8030 run.go:72] "command failed" err=…) says nothing useful.
          .map((l) => l.replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ \S+\] (?:"command failed" err=)?/, '').trim())
          .filter((l) => l !== '')
          .slice(0, 5)
          .join(' | ');
        const why = text || (error as NodeJS.ErrnoException).code || error.message.split('\n', 1)[0] || 'failed';
        resolve({ ok: false, stdout: String(stdout), error: why });
      },
    );
  });
}

/** A command line for messages (arguments quoted when needed). */
export function showCommand(file: string, args: readonly string[]): string {
  return [path.basename(file), ...args].map((a) => (/^[\w./=:@%+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
