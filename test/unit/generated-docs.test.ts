/**
 * Files generated from one source and committed: the README's rules table and each rule doc's
 * options, from rule metadata (scripts/rule-docs.ts; fix with `npm run build:docs`), and the config's
 * TypeScript types, from its JSON Schema (scripts/schema-types.ts; fix with `npm run build:schema`).
 * A committed file that differs from a fresh generation fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTypesSource } from '../../scripts/schema-types.js';
import { DOCUMENTED_RULE_IDS, generateReadme, generateRuleDoc, optionsSection, replaceGenerated } from '../../scripts/rule-docs.js';
import { NEWEST_KUBE_VERSION } from '../../src/model/kube-version.js';

const read = (relative: string) => readFileSync(new URL(`../../${relative}`, import.meta.url), 'utf8');

describe('generated docs', () => {
  it('README.md has the rules table generated from rule metadata (npm run build:docs)', () => {
    const text = read('README.md');
    expect(generateReadme(text) === text, 'README.md is stale: run npm run build:docs').toBe(true);
  });

  it.each(DOCUMENTED_RULE_IDS.map((id) => [id]))('rules/%s.md has its options generated from its schema (npm run build:docs)', (id) => {
    const text = read(`rules/${id}.md`);
    expect(generateRuleDoc(id, text) === text, `rules/${id}.md is stale: run npm run build:docs`).toBe(true);
  });

  it('an option is listed with its type, default and description', () => {
    expect(optionsSection('missing-reference-key')).toContain('| `requireObjects` | boolean | `false` | Also report');
    expect(optionsSection('secret-env-var')).toMatch(/^None/);
  });

  it('refuses a file without exactly one pair of markers', () => {
    expect(() => replaceGenerated('no markers', 'x', 'y')).toThrow(/generated:x/);
    expect(() => replaceGenerated('<!-- generated:x -->\n<!-- /generated:x -->\n<!-- generated:x -->', 'x', 'y')).toThrow();
    expect(replaceGenerated('a\n<!-- generated:x -->\nold\n<!-- /generated:x -->\nb', 'x', 'new')).toBe('a\n<!-- generated:x -->\nnew\n<!-- /generated:x -->\nb');
    expect(replaceGenerated('| a, <!-- generated:x -->old<!-- /generated:x --> |', 'x', 'new', { inline: true })).toBe('| a, <!-- generated:x -->new<!-- /generated:x --> |');
  });

  it("the README's --kube-version default is the newest Kubernetes version (NEWEST_KUBE_VERSION)", () => {
    const { major, minor } = NEWEST_KUBE_VERSION;
    expect(read('README.md')).toContain(`knows, <!-- generated:newest-kube-version -->${major}.${minor}<!-- /generated:newest-kube-version -->)`);
    expect(generateReadme(read('README.md').replace(`-->${major}.${minor}<!--`, '-->1.0<!--'))).toBe(read('README.md'));
  });
});

describe('generated config types', () => {
  it('src/config/types.generated.ts is generated from the config schema (npm run build:schema)', () => {
    expect(configTypesSource() === read('src/config/types.generated.ts'), 'src/config/types.generated.ts is stale: run npm run build:schema').toBe(true);
  });
});
