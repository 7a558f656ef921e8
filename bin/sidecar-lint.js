#!/usr/bin/env node
// A small shim over the bundled CLI (dist/sidecar-lint.cjs, built by `npm run build`), loaded with
// V8's compiled code kept between runs (see load-bundle.js).
import module from 'node:module';
import v8 from 'node:v8';

// Node 22.1 and later keep compiled code themselves (NODE_DISABLE_COMPILE_CACHE=1 turns it off).
module.enableCompileCache?.();

// V8 optimises a function after it has run through its interrupt budget a few times (3 "ticks"). A
// lint is a short run over documents of many shapes: that soon, V8 optimises functions whose type
// feedback is still changing, then drops the code and compiles them again (a third of a corpus
// run's CPU went to V8's compiler threads). Waiting 24 ticks costs a fifth less CPU on the corpus
// and nothing at start-up (README, Performance). Set before the bundle is compiled, so the code
// kept between runs is compiled under the same flags; a setting of the user's own is kept.
const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
if (!own.some((a) => a.includes('ticks-before-optimization'))) {
  v8.setFlagsFromString('--ticks-before-optimization=24');
}
// Less inlining per optimised function (V8's default budget is 920 bytes of bytecode): a run of a
// few seconds spends much of its CPU in V8's optimising compiler, and smaller optimised functions
// cost less to compile (and to throw away on a deoptimisation). Measured on the bench inputs: 6-12%
// less CPU on each (corpus 1x/4x, 9 MB stream, 5,000 ConfigMaps, 200,000 findings, Services x pods),
// the same wall time. A setting of the user's own is kept.
if (!own.some((a) => a.includes('max-inlined-bytecode-size-cumulative'))) {
  v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');
}

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
