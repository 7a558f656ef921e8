// Bundles the CLI into one ES module file (dist/sidecar-lint.js) so it starts fast and needs no
// dependencies at run time, and the GitHub Action into action/index.js (committed: a JavaScript
// action runs from the repository as it is, without `npm install`).
//
//   node scripts/build.mjs           both
//   node scripts/build.mjs cli       dist/sidecar-lint.js only
//   node scripts/build.mjs action    action/index.js only
//
// Files are written to a temporary name and renamed, so a process that starts the CLI while a build
// runs (tests run in parallel) never reads half a file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const which = process.argv[2] ?? 'all';
if (!['all', 'cli', 'action'].includes(which)) {
  console.error(`usage: node scripts/build.mjs [all|cli|action]`);
  process.exit(2);
}

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  banner: {
    // Some bundled CommonJS dependencies call require().
    js: "import { createRequire as __slCreateRequire } from 'node:module'; const require = __slCreateRequire(import.meta.url);",
  },
};

function writeAtomically(result) {
  for (const file of result.outputFiles) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

if (which === 'all' || which === 'cli') {
  writeAtomically(await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/sidecar-lint.js' }));
}

if (which === 'all' || which === 'action') {
  writeAtomically(
    await build({
      ...common,
      stdin: {
        contents: "import { actionMain } from './src/action.ts';\nawait actionMain();\n",
        resolveDir: root,
        sourcefile: 'action-entry.ts',
        loader: 'ts',
      },
      outfile: 'action/index.js',
      banner: {
        js: `// Built by \`npm run build:action\` from src/action.ts; do not edit. CI checks that it matches a fresh build.\n${common.banner.js}`,
      },
    }),
  );
}
