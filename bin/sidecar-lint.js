#!/usr/bin/env node
// A small shim over the bundled CLI (dist/sidecar-lint.js, built by `npm run build`).
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code between runs (in a cache directory Node manages), so
// the bundle is not parsed and compiled again on every run. Node 20 has no such cache: nothing
// happens there. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

let cli;
try {
  cli = await import('../dist/sidecar-lint.js');
} catch (e) {
  const message = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
  process.stderr.write(`sidecar-lint: cannot load the built CLI (run 'npm run build'): ${message}\n`);
  process.exit(2);
}
await cli.main();
