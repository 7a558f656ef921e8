/** The process entry: the one place that sets the process's exit status. */
import { processIO, run } from './app/cli.js';
import { setWorkerEntry } from './run/lint-worker.js';
import { OutOfMemoryError } from './memory.js';

export { workerMain } from './run/lint-worker.js';
export { setModuleImporter } from './config/module-import.js';

// Linting on both cores runs this same bundle in a worker thread.
setWorkerEntry(import.meta.url);

/**
 * Library warnings go through `process.emitWarning`, and some quote the input (the `yaml` package
 * prints a stringified complex key, which may hold a secret). They are not findings and must not
 * reach stderr; with SIDECAR_LINT_DEBUG set they are shown as one line each.
 */
function silenceProcessWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (process.env.SIDECAR_LINT_DEBUG) process.stderr.write(`sidecar-lint: debug: ${warning.name}: ${warning.message.split('\n', 1)[0]}\n`);
  });
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  silenceProcessWarnings();
  try {
    process.exitCode = await run(argv, processIO());
  } catch (e) {
    if (e instanceof OutOfMemoryError) {
      process.stderr.write(`sidecar-lint: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    // A bug, not a user error: one line, no stack trace unless asked for.
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`sidecar-lint: internal error: ${message.split('\n', 1)[0]}\n`);
    if (process.env.SIDECAR_LINT_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    process.exitCode = 2;
  }
}
