#!/usr/bin/env node
// A small shim over the bundled CLI (dist/sidecar-lint.js, built by `npm run build`).
let cli;
try {
  cli = await import('../dist/sidecar-lint.js');
} catch (e) {
  const message = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
  process.stderr.write(`sidecar-lint: cannot load the built CLI (run 'npm run build'): ${message}\n`);
  process.exit(2);
}
await cli.main();
