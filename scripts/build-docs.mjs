// Writes the generated parts of the docs from rule metadata (scripts/rule-docs.ts): the README's
// rules table and the options part of each rule doc's `## Options` section. `--check` writes
// nothing and exits 1 when a file is stale (test/unit/generated-docs.test.ts checks the same in `npm test`).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const check = process.argv.includes('--check');
// Beside the sources (not in a temporary directory) so that the packages it leaves out resolve.
const out = path.join('scripts', `.rule-docs-${process.pid}.mjs`);
await build({ entryPoints: ['scripts/rule-docs.ts'], outfile: out, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
let gen;
try {
  gen = await import(pathToFileURL(out).href);
} finally {
  rmSync(out, { force: true });
}

const files = [['README.md', (text) => gen.generateReadme(text)], ...gen.DOCUMENTED_RULE_IDS.map((id) => [`rules/${id}.md`, (text) => gen.generateRuleDoc(id, text)])];
const stale = [];
for (const [file, generate] of files) {
  const text = readFileSync(file, 'utf8');
  const next = generate(text);
  if (next === text) continue;
  stale.push(file);
  if (!check) writeFileSync(file, next);
}
if (check && stale.length > 0) {
  console.error(`generated docs are stale (run npm run build:docs): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(check ? 'generated docs are up to date' : `wrote ${stale.length} file(s)${stale.length ? `: ${stale.join(', ')}` : ''}`);
