// Loads the bundled CLI, dist/sidecar-lint.cjs, keeping V8's compiled code between runs.
//
// Parsing and compiling the ~850 kB bundle is most of what the CLI costs before it does any work.
// Node 20 has no compile cache, so the bundle (a CommonJS script) is compiled here with node:vm,
// and the code V8 compiled during the run is saved next to it (dist/sidecar-lint.cjs.v8-cache) for
// the next run. The cache is keyed by the bundle's content hash (its first line, written by
// scripts/build.mjs), the Node version and the architecture; V8 also rejects a cache from another
// V8 version or flags. A cache that cannot be read or written (a read-only install) only costs
// time: the bundle is then compiled as usual. Whoever can write next to the bundle can change the
// bundle itself, so the cache adds no way in. On Node 22.1+, Node's own compile cache does this job
// and the bundle is simply required. SIDECAR_LINT_NO_CACHE=1 turns the cache off.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('../dist/sidecar-lint.cjs', import.meta.url));
const CACHE = `${BUNDLE}.v8-cache`;
const PARAMETERS = '(function (exports, require, module, __filename, __dirname) { ';

function trace(message) {
  if (process.env.SIDECAR_LINT_TRACE_CACHE) process.stderr.write(`sidecar-lint: cache: ${message}\n`);
}

/** The cached code for `key`, if the cache file holds it. */
function readCache(key) {
  let bytes;
  try {
    bytes = fs.readFileSync(CACHE);
  } catch {
    return undefined;
  }
  const header = `${key}\n`;
  if (bytes.length <= header.length || bytes.toString('latin1', 0, header.length) !== header) return undefined;
  return bytes.subarray(header.length);
}

/** Writes the cache whole or not at all (another run may be writing it too). */
function writeCache(key, data) {
  const temporary = `${CACHE}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), data]));
    fs.renameSync(temporary, CACHE);
    trace('written');
  } catch {
    fs.rmSync(temporary, { force: true });
    trace('not written');
  }
}

/**
 * The bundle's exports, and `done()`, to call when the run has finished: it saves the code compiled
 * during the run when there was no usable cache.
 */
export function loadBundle() {
  const requireBundle = module.createRequire(BUNDLE);
  const plain = () => ({ bundle: requireBundle(BUNDLE), done() {} });
  if (typeof module.enableCompileCache === 'function' || process.env.SIDECAR_LINT_NO_CACHE === '1') return plain();
  const source = fs.readFileSync(BUNDLE, 'latin1'); // pure ASCII (scripts/build.mjs)
  const hash = /^\/\/ sha256:([0-9a-f]{64})\n/.exec(source)?.[1];
  if (!hash) return plain();
  const key = `sidecar-lint ${hash} node ${process.version} ${process.arch}`;
  const cachedData = readCache(key);
  // One line, as Node's own wrapper: positions in stack traces stay right past the first line.
  const script = new vm.Script(`${PARAMETERS}${source}\n})`, { filename: BUNDLE, cachedData });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  trace(cachedData === undefined ? 'none' : accepted ? 'accepted' : 'rejected');
  const exports = {};
  const bundleModule = { exports };
  script.runInThisContext()(exports, requireBundle, bundleModule, BUNDLE, path.dirname(BUNDLE));
  return {
    bundle: bundleModule.exports,
    done() {
      if (accepted) return;
      // Serialising the code takes a few milliseconds: not where it cannot be saved anyway.
      try {
        fs.accessSync(path.dirname(CACHE), fs.constants.W_OK);
      } catch {
        trace('not written (read-only)');
        return;
      }
      writeCache(key, script.createCachedData());
    },
  };
}
