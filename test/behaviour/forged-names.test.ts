/**
 * Names come from the linted files, and a CI log reads every output line: a name holding a line
 * break must not start a line of its own (a forged `::error` workflow command), and no control
 * character (a terminal escape) may reach any output format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/format/index.js';
import { runCli } from '../support/lint.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-forged-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FORGED = 'x\\n::error file=forged.yaml,line=1::FORGED\\u001b[2J\\u202e';
fs.writeFileSync(
  path.join(dir, 'cm.yaml'),
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: "${FORGED}"`,
    'data:',
    '  PASSWORD: hunter2-value',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: "${FORGED}"`,
    'spec:',
    '  containers:',
    `    - name: "${FORGED}"`,
    '      image: app',
    '      env:',
    '        - name: TOKEN',
    '          valueFrom: {secretKeyRef: {name: "s", key: "k"}}',
    `    - name: "side${FORGED}"`,
    '      image: side',
    '',
  ].join('\n'),
);

describe('names from the linted files in every output format', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format}: no forged line, no control character`, async () => {
      const r = await runCli(['--format', format, 'cm.yaml'], { cwd: dir });
      expect(r.code).toBe(1);
      const out = r.stdout;
      // JSON and SARIF carry names as data: JSON escapes control characters (a bidirectional
      // override stays, as data); every other format must show none of them.
      if (format === 'json' || format === 'sarif') expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      else expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
      // No line of any output is a workflow command the name forged.
      expect(out.split('\n').filter((l) => /^\s*::\w+ file=forged\.yaml/.test(l))).toEqual([]);
    });
  }
});

/**
 * B7 (reliability campaign 2026-12): a file name that starts with `::` was printed at the start of a
 * line in stylish (without colour), compact and junit, so a CI log ran it as a workflow command.
 */
describe('a file name that starts like a workflow command', () => {
  const forged = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-forged-cmd-'));
  afterAll(() => fs.rmSync(forged, { recursive: true, force: true }));
  const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  PASSWORD: x\n';
  const ERROR = '::error file=README.md,line=1,title=Security::Your token leaked, rotate it at evil.example.yaml';
  for (const name of [ERROR, '::stop-commands::pause.yaml', '##[error]old.yaml']) fs.writeFileSync(path.join(forged, name), CM);
  const MESSAGE = 'ConfigMap key "PASSWORD" looks like a credential.';
  const HINT = 'ConfigMap "cm" is for non-sensitive configuration (as every ConfigMap): move the value to a Secret and reference it from there.';
  /** The runner reads a line as a command when it starts with `::` or `##[` after blanks. */
  const commands = (out: string) => out.split('\n').filter((l) => /^\s*(::|##\[)/.test(l));

  it('compact: every line starts with the escaped name', async () => {
    const r = await runCli(['--no-config', '-f', 'compact', '.'], { cwd: forged });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `\\x23#[error]old.yaml:6:3: error configmap-sensitive-data ${MESSAGE}`,
        `\\x3a${ERROR.slice(1)}:6:3: error configmap-sensitive-data ${MESSAGE}`,
        `\\x3a:stop-commands::pause.yaml:6:3: error configmap-sensitive-data ${MESSAGE}`,
        '',
      ].join('\n'),
    );
  });

  it('stylish without colour: the header lines', async () => {
    const r = await runCli(['--no-config', '.'], { cwd: forged, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('  ') && !l.startsWith('✖'))).toEqual([
      '\\x23#[error]old.yaml',
      `\\x3a${ERROR.slice(1)}`,
      '\\x3a:stop-commands::pause.yaml',
    ]);
    expect(commands(r.stdout)).toEqual([]);
  });

  it('junit: the continuation lines of a failure', async () => {
    const r = await runCli(['--no-config', '-f', 'junit', '.'], { cwd: forged });
    expect(commands(r.stdout)).toEqual([]);
    expect(r.stdout).toContain(`>line 6, col 3, Error - ${MESSAGE} (configmap-sensitive-data)\n${HINT}</failure>`);
  });

  it('--stdin-filename, after blanks, and every format', async () => {
    for (const format of FORMAT_NAMES) {
      const r = await runCli(['--no-config', '-f', format, '--stdin-filename', '  ::warning::x', '-'], { cwd: forged, stdin: CM });
      // The github format is made of commands, one per finding, with the name escaped as a property.
      expect(commands(r.stdout).filter((l) => !/^::error file=\s*%3A%3Awarning%3A%3Ax,line=6,/.test(l)), format).toEqual([]);
    }
    for (const format of FORMAT_NAMES) {
      const r = await runCli(['--no-config', '-f', format, '.'], { cwd: forged });
      expect(commands(r.stdout).filter((l) => !/^::error file=(%3A%3A|##\[)/.test(l)), format).toEqual([]);
    }
  });

  it('JSON and SARIF keep the name as data', async () => {
    const r = await runCli(['--no-config', '-f', 'json', '.'], { cwd: forged });
    expect((JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file)).toEqual(['##[error]old.yaml', ERROR, '::stop-commands::pause.yaml']);
  });
});

/** B23 (reliability campaign 2026-12): invisible and bidi marks reached stylish and compact verbatim. */
describe('invisible and bidirectional marks in names', () => {
  const MARKS = ['\u200e', '\u200f', '\u061c', '\u200b', '\u200c', '\u200d', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\ufffe', '\uffff', '\u00ad', '\u180e', '\u206a', '\u206f', '\ufff9'];
  const escaped = (c: string) => (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16)}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

  it.each(MARKS.map((m) => [escaped(m), m]))('%s in a container name is shown escaped in every text format', async (shown, mark) => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: "app\\u${mark.charCodeAt(0).toString(16).padStart(4, '0')}x"\n      image: app\n      args: [--password=Sup3rS3cretPassw0rd]\n`;
    // (env-literal-secret's message for a command-line credential names the container.)
    for (const format of FORMAT_NAMES.filter((f) => f !== 'json' && f !== 'sarif')) {
      const r = await runCli(['--no-config', '-f', format, '-'], { stdin: text });
      expect(r.code).toBe(1);
      expect(r.stdout.includes(mark), format).toBe(false);
      // (Markdown escapes the backslash of the escape.)
      if (format !== 'github') expect(r.stdout.replace(/\\\\/g, '\\'), format).toContain(`app${shown}x`);
    }
  });
});

/**
 * B22 (reliability campaign 2026-12): Markdown in names reached the job summary as autolinks,
 * mentions, math and emoji codes.
 */
describe('Markdown in names', () => {
  it('an object name cannot make a link, a mention, math, an issue reference or an emoji', async () => {
    const name = 'web https://evil.example/rotate-token www.evil.example @security-team a@b.example $\\\\color{red}{\\\\text{PWNED}}$ :warning: #123';
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${name}"\nspec:\n  containers:\n    - name: app\n      image: app\n    - name: side\n      image: side\n`;
    const r = await runCli(['--no-config', '-f', 'markdown', '-'], { stdin: text });
    const heading = r.stdout.split('\n').find((l) => l.startsWith('#### '));
    expect(heading).toBe(
      '#### Pod web https&#8203;://evil.example/rotate-token www&#8203;.evil.example @&#8203;security-team a@&#8203;b.example \\$\\\\color{red}{\\\\text{PWNED}}\\$ :&#8203;warning: #&#8203;123',
    );
    // Outside the Mermaid diagrams (whose labels are plain text with entity codes, safe already).
    const prose = r.stdout.replace(/```mermaid\n[\s\S]*?```/g, '');
    expect(prose).toContain('#### Pod web');
    expect(prose).not.toMatch(/https:\/\/evil|@security|\$\\color|:warning:|www\.evil|#123/);
  });
});
