/**
 * Names come from the linted files, and a CI log reads every output line: a name holding a line
 * break must not start a line of its own (a forged `::error` workflow command), and no control
 * character (a terminal escape) may reach any output format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../src/format/index.js';
import { runCli } from './support/lint.js';

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
