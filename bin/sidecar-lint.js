#!/usr/bin/env node
// A small shim over the bundled CLI (dist/sidecar-lint.cjs, built by `npm run build`), loaded with
// V8's compiled code kept between runs (see load-bundle.js).
import module from 'node:module';

// Node 22.1 and later keep compiled code themselves (NODE_DISABLE_COMPILE_CACHE=1 turns it off).
module.enableCompileCache?.();

let loaded;
try {
  const { loadBundle } = await import('./load-bundle.js');
  loaded = loadBundle();
} catch (e) {
  const message = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
  process.stderr.write(`sidecar-lint: cannot load the built CLI (run 'npm run build'): ${message}\n`);
  process.exit(2);
}
// A plugin is an ES module: the bundle imports it through this module's import().
loaded.bundle.setModuleImporter((url) => import(url));
await loaded.bundle.main();
loaded.done();
