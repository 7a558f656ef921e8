// Writes schema/sidecar-lint.schema.json from src/config/schema.ts (via the esbuild-compiled source), and the config's
// TypeScript types generated from it (src/config/types.generated.ts).
// CI runs it and fails when a committed file changes (`git diff --exit-code schema/ src/config/types.generated.ts`).
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// CommonJS: the schema lists the rule ids, so the bundle holds the rules and what they import.
const out = path.join(tmpdir(), `sidecar-lint-schema-${process.pid}.cjs`);
await build({ entryPoints: ['src/config/schema.ts'], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { configSchema } = createRequire(import.meta.url)(out);
mkdirSync('schema', { recursive: true });
writeFileSync('schema/sidecar-lint.schema.json', `${JSON.stringify(configSchema, null, 2)}\n`);
console.log('wrote schema/sidecar-lint.schema.json');

// The baseline file's schema (src/run/baseline.ts).
const baselineOut = path.join(tmpdir(), `sidecar-lint-baseline-schema-${process.pid}.mjs`);
await build({ entryPoints: ['src/run/baseline.ts'], outfile: baselineOut, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { baselineSchema } = await import(pathToFileURL(baselineOut).href);
writeFileSync('schema/baseline.schema.json', `${JSON.stringify(baselineSchema, null, 2)}\n`);
console.log('wrote schema/baseline.schema.json');

// The config's TypeScript types, from the same schema (scripts/schema-types.ts).
const typesOut = path.join(tmpdir(), `sidecar-lint-schema-types-${process.pid}.cjs`);
await build({ entryPoints: ['scripts/schema-types.ts'], outfile: typesOut, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { configTypesSource } = createRequire(import.meta.url)(typesOut);
writeFileSync('src/config/types.generated.ts', configTypesSource());
console.log('wrote src/config/types.generated.ts');
