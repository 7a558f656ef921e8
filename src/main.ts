/** The process entry: the one place that sets the process's exit status. */
import { processIO, run } from './cli.js';

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await run(argv, processIO());
  } catch (e) {
    // A bug, not a user error: one line, no stack trace unless asked for.
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`sidecar-lint: internal error: ${message.split('\n', 1)[0]}\n`);
    if (process.env.SIDECAR_LINT_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    process.exitCode = 2;
  }
}
