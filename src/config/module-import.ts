/**
 * Importing an ES module that is not part of the bundle (a user's plugin). The bundle is a script
 * compiled by bin/sidecar-lint.js with V8's code cache (node:vm), where a plain `import()` has no
 * module loader to call: the bin hands over its own `import()` through setModuleImporter. Elsewhere
 * (tests running the sources, a plain `require` of the bundle) Node's own `import()` is used.
 *
 * Room config: must not import run, format, app.
 */
type Importer = (url: string) => Promise<unknown>;

let importer: Importer = (url) => import(url);

export function setModuleImporter(f: Importer): void {
  importer = f;
}

export function importModule(url: string): Promise<unknown> {
  return importer(url);
}
