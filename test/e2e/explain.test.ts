/**
 * `sidecar-lint --explain <rule-id>` prints the rule's doc (rules/<id>.md) in the terminal: through
 * the built bin (the docs are found beside dist/, as in the npm package) for every documented rule.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { ENGINE_RULES } from '../../src/config/lint-options.js';
import { terminalMarkdown } from '../../src/format/terminal-markdown.js';
import { runCli } from '../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sidecar-lint.js');
const ids = [...builtinRules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)].filter((id) => fs.existsSync(path.join(ROOT, 'rules', `${id}.md`)));

function bin(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('--explain', () => {
  it('has docs to explain for every built-in rule', () => {
    for (const r of builtinRules) expect(ids, `rules/${r.meta.id}.md`).toContain(r.meta.id);
  });

  it.each(ids)('prints rules/%s.md through the bin, rendered for a terminal', (id) => {
    const r = bin(['--explain', id]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(terminalMarkdown(fs.readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8')));
    // No raw Markdown: no code fences, no HTML comments.
    expect(r.stdout).not.toMatch(/^\s*```/m);
    expect(r.stdout).not.toContain('<!--');
  });

  it('suggests the closest rule for a typo, with exit 2', async () => {
    const r = await runCli(['--explain', 'secret-in-main-contianer']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // The did-you-mean ends the line, with a question mark.
    expect(r.stderr).toBe('sidecar-lint: no rule "secret-in-main-contianer" (see sidecar-lint --list-rules); did you mean "secret-in-main-container"?\n');
  });

  it('reads only rule docs: a path is not a rule id', async () => {
    for (const id of ['../README', '../package', 'rules/secret-in-main-container', 'SECRET-IN-MAIN-CONTAINER']) {
      const r = await runCli(['--explain', id]);
      expect(r.code, id).toBe(2);
      expect(r.stdout, id).toBe('');
    }
  });
});
