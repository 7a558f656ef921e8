/**
 * Issue 16, "Editor schema": the `$schema` line `--init` writes names the schema at a stable raw URL
 * of the repository (no local install needed), and yaml-language-server (the YAML language server
 * of VS Code, Neovim and others, from npm) reports a misspelt rule id and a custom rule schema that
 * is not a JSON Schema. Offline: the schema request service serves the repository's file for its
 * raw URL, as GitHub does, and the draft-07 meta-schema from ajv; any other URL is an error.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { KNOWN_RULE_IDS, SCHEMA_URL } from '../../../src/config/schema.js';
import { STARTER_CONFIG } from '../../../src/config/starter.js';
import { PLUGIN_RULE_ID, PREFIXED_PLUGIN_RULE_ID_PATTERN } from '../../../src/rule.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const { getLanguageService } = require('yaml-language-server/lib/umd/languageservice/yamlLanguageService.js') as typeof import('yaml-language-server/lib/umd/languageservice/yamlLanguageService.js');

/** What https://raw.githubusercontent.com/<owner>/<repo>/main/<path> serves, for this repository. */
const RAW_PREFIX = 'https://raw.githubusercontent.com/sidecar-lint/sidecar-lint/main/';
const requested: string[] = [];
async function schemaRequest(uri: string): Promise<string> {
  requested.push(uri);
  if (uri.startsWith(RAW_PREFIX)) return fs.readFileSync(path.join(ROOT, uri.slice(RAW_PREFIX.length)), 'utf8');
  if (uri.replace(/#$/, '') === 'http://json-schema.org/draft-07/schema') return fs.readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8');
  throw new Error(`no network in this test: ${uri}`);
}

function service() {
  const ls = getLanguageService({
    schemaRequestService: schemaRequest,
    workspaceContext: { resolveRelativePath: (relative: string, resource: string) => new URL(relative, resource).toString() },
  });
  ls.configure({ validate: true, completion: true, hover: true, schemas: [] });
  return ls;
}

let documents = 0;
async function diagnostics(text: string): Promise<{ message: string; line: number }[]> {
  // A new document each time: the language server caches parsed documents by URI and version.
  const doc = TextDocument.create(`file:///project-${++documents}/.sidecar-lint.yaml`, 'yaml', 1, text);
  const found = await service().doValidation(doc, false);
  return found.map((d) => ({ message: d.message, line: d.range.start.line + 1 }));
}

describe('the $schema line --init writes', () => {
  it('names the schema at a stable raw URL of the repository, the schema $id, shaped for SchemaStore', () => {
    expect(SCHEMA_URL).toBe('https://raw.githubusercontent.com/sidecar-lint/sidecar-lint/main/schema/sidecar-lint.schema.json');
    expect(STARTER_CONFIG).toContain(`# yaml-language-server: $schema=${SCHEMA_URL}\n`);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/sidecar-lint.schema.json'), 'utf8')) as Record<string, unknown>;
    // A SchemaStore entry needs a self-contained draft-07 (or later) schema with a title and a
    // description, at a URL that stays put.
    expect(schema.$id).toBe(SCHEMA_URL);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(typeof schema.title).toBe('string');
    expect(typeof schema.description).toBe('string');
    expect(JSON.stringify(schema)).not.toMatch(/"\$ref":"(?!http:\/\/json-schema\.org\/draft-07\/schema#)/);
  });
});

describe('yaml-language-server with the schema', () => {
  it('finds nothing wrong in the starter config, and fetched the schema from its raw URL', async () => {
    expect(await diagnostics(STARTER_CONFIG)).toEqual([]);
    expect(requested).toContain(SCHEMA_URL);
  });

  it('reports a misspelt rule id', async () => {
    const text = STARTER_CONFIG.replace('  uncoupled-containers: warning\n', '  uncoupled-container: warning\n');
    expect(text).not.toBe(STARTER_CONFIG);
    const found = await diagnostics(text);
    const line = text.split('\n').indexOf('  uncoupled-container: warning') + 1;
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((d) => d.line)).toContain(line);
  });

  it('accepts every built-in rule id and plugin ids (plugin/rule)', async () => {
    const header = `# yaml-language-server: $schema=${SCHEMA_URL}\n`;
    const rules = [...KNOWN_RULE_IDS, 'acme/require-owner', 'k8s-2/no-latest'].map((id) => `  ${id}: warning\n`).join('');
    expect(await diagnostics(`${header}rules:\n${rules}`)).toEqual([]);
  });

  it('flags a plugin rule key that no plugin rule can have (PLUGIN_RULE_ID: kebab-case plugin/rule)', async () => {
    const header = `# yaml-language-server: $schema=${SCHEMA_URL}\n`;
    for (const id of ['"@acme/k8s/no-latest"', 'Acme/require-owner', 'acme/require_owner', 'acme/']) {
      expect(await diagnostics(`${header}rules:\n  ${id}: warning\n`), id).not.toEqual([]);
    }
  });

  it("checks a custom rule's schema against the JSON Schema meta-schema", async () => {
    const header = `# yaml-language-server: $schema=${SCHEMA_URL}\n`;
    const custom = (schema: string) => `${header}customRules:\n  - id: team-label\n    message: No team label\n    target: object\n    schema: ${schema}\n`;
    expect(await diagnostics(custom('{required: [metadata]}'))).toEqual([]);
    const bad = await diagnostics(custom('{type: thing, required: metadata}'));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((d) => d.line === 6)).toBe(true);
  });
});

describe("the schema's plugin rule key pattern", () => {
  it('is PLUGIN_RULE_ID with the plugin name required', () => {
    const prefixed = new RegExp(PREFIXED_PLUGIN_RULE_ID_PATTERN);
    for (const id of ['acme/require-owner', 'k8s-2/no-latest', 'require-owner', 'acme/', '@acme/k8s/x', 'Acme/x', 'a/b/c', 'a--b/c', 'acme/x ']) {
      expect(prefixed.test(id), id).toBe(PLUGIN_RULE_ID.test(id) && id.includes('/'));
    }
  });
});
