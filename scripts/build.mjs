// Bundles the CLI and the GitHub Action into one CommonJS file, dist/sidecar-lint.cjs, that needs no
// dependencies at run time. It exports `main` (the CLI, started by bin/sidecar-lint.js), `actionMain`
// (the Action, started by action/index.js), `workerMain` (a second lint thread) and
// `setModuleImporter` (see src/config/module-import.ts).
//
// CommonJS, not an ES module, so that bin/sidecar-lint.js can compile it with node:vm and keep V8's
// compiled code between runs (Node 20 has no compile cache for ES modules): see bin/load-bundle.js.
//
// The bundle is committed: a JavaScript Action and a pre-commit hook run from a checkout of the
// repository without building it, and the npm package ships it as it is (the package has no
// lifecycle scripts: pre-commit reads `npm pack`'s standard output as the tarball's name, which a
// `prepare` script's banner would spoil). CI rebuilds it and fails when it differs from the commit:
// after changing src/ or rules/, run `npm run build` and commit dist/sidecar-lint.cjs.
//
// The file is written to a temporary name and renamed, so a process that starts the CLI while a
// build runs (tests run in parallel) never reads half a file.
//
// Start-up time (every run of the CLI loads the whole file, `npm run bench` measures it):
// - Node's built-in modules that a plain lint does not need are required where a module is first
//   initialised, not imported at the top of the file: a dependency that is loaded only when used
//   (globby, ajv) then loads its built-ins (streams, events) only when used too.
// - The Action is initialised only when `actionMain` runs.
// - Whitespace and comments are left out (names are kept, so stack traces still name functions),
//   and the text is pure ASCII (other characters written as \u escapes): Node decodes and V8 parses
//   a one-byte source faster.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Built-ins every run loads anyway: imported once at the top of the file, as esbuild does by default. */
const EAGER_BUILTINS = new Set(['fs', 'fs/promises', 'path', 'url', 'os', 'module', 'process', 'util']);
const LAZY_BUILTINS = new Set(builtinModules.filter((name) => !EAGER_BUILTINS.has(name)).flatMap((name) => [name, `node:${name}`]));

/**
 * Every import of another Node built-in becomes a CommonJS `require` at the importing module's
 * initialisation, so that it is loaded only with the module that needs it. (Not for the eager ones:
 * a `require` per importing module costs more than one import at the top.)
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      LAZY_BUILTINS.has(args.path) && args.namespace !== 'lazy-builtin' ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

/**
 * esbuild's `__toESM` wraps a CommonJS module (Node's built-ins among them) for each module that
 * imports it, copying every property each time: `path` and `fs` alone are imported by a dozen
 * modules. The wrapper is a view with getters, so one per module serves all importers.
 */
const TO_ESM = 'var __toESM=(mod,isNodeMode,target)=>(';
const SHARED_TO_ESM =
  'var __slToESM=new WeakMap;var __toESM=(mod,isNodeMode)=>{if(mod==null||typeof mod!=="object"&&typeof mod!=="function")return __slWrapESM(mod,isNodeMode);' +
  'let views=__slToESM.get(mod);if(!views)__slToESM.set(mod,views=[]);const i=isNodeMode?1:0;return views[i]??=__slWrapESM(mod,isNodeMode)};' +
  'var __slWrapESM=(mod,isNodeMode,target)=>(';

function sharedToESM(text) {
  const at = text.indexOf(TO_ESM);
  if (at < 0 || text.indexOf(TO_ESM, at + 1) >= 0) throw new Error('build: esbuild\'s __toESM helper has changed; update SHARED_TO_ESM in scripts/build.mjs');
  return text.slice(0, at) + SHARED_TO_ESM + text.slice(at + TO_ESM.length);
}

/** The bundle's text with every character outside ASCII written as a \u escape (strings, regular expressions and comments alike). */
function asciiOnly(bytes) {
  return Buffer.from(Buffer.from(bytes).toString('utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const result = await build({
  absWorkingDir: root,
  stdin: {
    contents: [
      "export { main, setModuleImporter, workerMain } from './src/main.ts';",
      'export async function actionMain() {',
      "  return (await import('./src/app/action.ts')).actionMain();",
      '}',
      '',
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'entry.ts',
    loader: 'ts',
  },
  outfile: 'dist/sidecar-lint.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The bundle's own URL (for --explain's rule docs and the worker), from the file it is loaded from.
  define: { 'import.meta.url': '__sidecarLintUrl' },
  target: 'node20',
  legalComments: 'none',
  // PROFILE=1: whitespace and module comments kept (a CPU profile then names lines of src/ and
  // rules/ modules); never committed that way (CI compares the bundle with a fresh default build).
  minifyWhitespace: !process.env.PROFILE,
  plugins: [lazyBuiltins],
  logLevel: 'warning',
  write: false,
  banner: {
    js: [
      '// Built by `npm run build` (scripts/build.mjs) from src/ and rules/; do not edit. CI checks that it matches a fresh build.',
      'var __sidecarLintUrl = require("node:url").pathToFileURL(__filename).href;',
    ].join('\n'),
  },
});

for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const ascii = asciiOnly(file.contents).toString('latin1');
  const text = Buffer.from(process.env.PROFILE ? ascii : sharedToESM(ascii), 'latin1');
  // The first line is the content's hash: bin/load-bundle.js keys its compile cache by it.
  const hashed = Buffer.concat([Buffer.from(`// sha256:${createHash('sha256').update(text).digest('hex')}\n`), text]);
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, hashed);
  renameSync(temporary, file.path);
}
