/**
 * `sidecar-lint --lsp` with a real editor's client: Neovim's built-in LSP client, headless, opens a
 * fixture, attaches the server (the built bin) and writes out the diagnostics it received; they must
 * be the CLI's findings for the same file, at the same positions, with the rule ids as codes. Then a
 * change made in the buffer must reach the server and come back as new diagnostics. Skipped, with a
 * message, where `nvim` is not installed (Debian package `neovim`; .ci/run installs it when it can).
 * Uses only what Neovim 0.7 has (vim.lsp.start_client, vim.diagnostic), so Debian's package is enough.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sidecar-lint.js');
const FIXTURE = path.join(ROOT, 'fixtures/env-literal-secret/literal-credentials.yaml');

const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasNvim) console.warn('nvim is not installed: skipping the Neovim LSP client test (apt-get install neovim).');

/** The Lua run by Neovim: attach the server, wait for diagnostics, change the buffer, wait again, write both lists as JSON. */
const SCRIPT = String.raw`
local node, bin, root, out = os.getenv('SL_NODE'), os.getenv('SL_BIN'), os.getenv('SL_ROOT'), os.getenv('SL_OUT')
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({ name = 'sidecar-lint', cmd = { node, bin, '--lsp' }, root_dir = root })
vim.lsp.buf_attach_client(buf, client)
local function dump()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(list, { line = d.lnum, col = d.col, end_line = d.end_lnum, end_col = d.end_col, severity = d.severity,
      code = d.code or lsp.code, source = d.source, href = (d.codeDescription or lsp.codeDescription or {}).href })
  end
  return list
end
local result = { attached = client ~= nil }
result.first_ok = vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
result.first = dump()
local before = #result.first
-- An edit in the buffer: delete the first line that the first diagnostic is on (a change the server must see).
vim.api.nvim_buf_set_lines(buf, result.first[1].line, result.first[1].line + 1, false, {})
result.second_ok = vim.wait(60000, function() return #vim.diagnostic.get(buf) ~= before end, 20)
result.second = dump()
vim.lsp.stop_client(client)
result.stopped = vim.wait(30000, function() return vim.lsp.get_client_by_id(client) == nil end, 20)
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd('qa!')
`;

interface Seen {
  line: number;
  col: number;
  end_line: number;
  end_col: number;
  severity: number;
  code: string;
  source: string;
  href?: string;
}

describe.skipIf(!hasNvim)("Neovim's built-in LSP client", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-nvim-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('receives the CLI findings of a fixture as diagnostics, and new ones after an edit', () => {
    fs.mkdirSync(path.join(dir, '.git'));
    const file = path.join(dir, 'manifest.yaml');
    fs.copyFileSync(FIXTURE, file);
    const script = path.join(dir, 'attach.lua');
    fs.writeFileSync(script, SCRIPT);
    const out = path.join(dir, 'out.json');
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', file, '-c', `luafile ${script}`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SL_NODE: process.execPath, SL_BIN: BIN, SL_ROOT: dir, SL_OUT: out },
      timeout: 150_000,
    });
    expect(fs.existsSync(out), `nvim wrote nothing: status ${r.status}, ${r.stderr}${r.stdout}`).toBe(true);
    const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as { attached: boolean; first_ok: boolean; first: Seen[]; second_ok: boolean; second: Seen[]; stopped: boolean };
    expect(seen.attached).toBe(true);
    expect(seen.first_ok).toBe(true);

    // The CLI's findings for the same file (no config: the directory has none either).
    const cli = spawnSync(process.execPath, [BIN, '--no-config', '--format', 'json', 'manifest.yaml'], { cwd: dir, encoding: 'utf8' });
    const findings = (JSON.parse(cli.stdout) as { findings: { ruleId: string; severity: string; line: number; column: number; endLine: number; endColumn: number }[] }).findings;
    expect(findings.length).toBeGreaterThanOrEqual(3);
    const key = (code: string, line: number, col: number, endLine: number, endCol: number) => `${code}@${line}:${col}-${endLine}:${endCol}`;
    const expected = findings.map((f) => key(f.ruleId, f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1)).sort();
    expect(seen.first.map((d) => key(d.code, d.line, d.col, d.end_line, d.end_col)).sort()).toEqual(expected);
    const severity: Record<string, number> = { error: 1, warning: 2, info: 3 };
    for (const d of seen.first) {
      expect(d.source).toBe('sidecar-lint');
      expect(d.severity).toBe(severity[findings.find((f) => f.ruleId === d.code && f.line - 1 === d.line)!.severity]);
      if (d.href !== undefined) expect(d.href).toMatch(new RegExp(`/rules/${d.code}\\.md$`));
    }

    // After deleting the first diagnostic's line in the buffer, the server's new diagnostics arrived.
    expect(seen.second_ok).toBe(true);
    expect(seen.second.length).not.toBe(seen.first.length);
    expect(seen.stopped).toBe(true);
  });
});
