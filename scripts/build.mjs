// Bundles the CLI and the GitHub Action into one ES module file, dist/sidecar-lint.js, that needs no
// dependencies at run time. It exports `main` (the CLI, started by bin/sidecar-lint.js) and
// `actionMain` (the Action, started by action/index.js).
//
// The bundle is committed: a JavaScript Action and a pre-commit hook run from a checkout of the
// repository without building it, and the npm package ships it as it is (the package has no
// lifecycle scripts: pre-commit reads `npm pack`'s standard output as the tarball's name, which a
// `prepare` script's banner would spoil). CI rebuilds it and fails when it differs from the commit:
// after changing src/ or rules/, run `npm run build` and commit dist/sidecar-lint.js.
//
// The file is written to a temporary name and renamed, so a process that starts the CLI while a
// build runs (tests run in parallel) never reads half a file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const result = await build({
  absWorkingDir: root,
  stdin: {
    contents: "export { main } from './src/main.ts';\nexport { actionMain } from './src/action.ts';\n",
    resolveDir: root,
    sourcefile: 'entry.ts',
    loader: 'ts',
  },
  outfile: 'dist/sidecar-lint.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  banner: {
    js: [
      '// Built by `npm run build` (scripts/build.mjs) from src/ and rules/; do not edit. CI checks that it matches a fresh build.',
      // Some bundled CommonJS dependencies call require().
      "import { createRequire as __slCreateRequire } from 'node:module'; const require = __slCreateRequire(import.meta.url);",
    ].join('\n'),
  },
});

for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
