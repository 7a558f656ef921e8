/**
 * Parse, lint and drop: what a run keeps of a file (its findings and the facts rules defer) must not
 * keep the file's text alive. Strings cut from a text are V8 slices that hold the whole text, so a
 * name in a finding could otherwise keep a megabyte file in memory until the end of the run.
 * Measured as heap still in use after a full collection, and as growth, not against a budget: the
 * same files with twice the text must not keep more (kept texts would add the whole difference).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { lintEach } from '../../src/run/lint-files.js';
import { lintOptions } from '../support/lint.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-retention-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FILES = 30;
const rules = lintOptions().rules;

/**
 * Writes FILES files, each a ConfigMap with a flagged key (a finding naming the object and key) and
 * a harmless value of `padding` characters, and a Pod that refers to it (cross-resource facts); lints
 * them and returns the heap the outcomes keep, with the numbers of findings and facts.
 */
function lintFiles(padding: number): { kept: number; findings: number; facts: number } {
  const sub = fs.mkdtempSync(path.join(dir, `p${padding}-`));
  for (let i = 0; i < FILES; i++) {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: payments-backend-config-${i}
data:
  DATABASE_ADMIN_PASSWORD_${i}: correct-horse-battery-staple-${i}
  RELEASE_NOTES_${i}: "${'x'.repeat(padding)}"
---
apiVersion: v1
kind: Pod
metadata:
  name: payments-backend-pod-${i}
spec:
  containers:
    - name: application-container-${i}
      image: registry.example.com/app:1.0
      envFrom:
        - configMapRef:
            name: payments-backend-config-${i}
`;
    fs.writeFileSync(path.join(sub, `f${i}.yaml`), text);
  }
  const inputs = Array.from({ length: FILES }, (_, i) => ({ display: `f${i}.yaml`, absolute: path.join(sub, `f${i}.yaml`) }));
  gc();
  const before = process.memoryUsage().heapUsed;
  const outcomes = lintEach(inputs, { rules, settings: DEFAULT_SETTINGS });
  gc();
  const kept = process.memoryUsage().heapUsed - before;

  let findings = 0;
  let facts = 0;
  for (const o of outcomes) {
    if (!('result' in o)) continue;
    findings += o.result.findings.length;
    facts += o.result.facts?.length ?? 0;
  }
  return { kept, findings, facts };
}

describe('memory kept across files', () => {
  it('does not hold on to the text of files with findings and facts', () => {
    const PADDING = 1_000_000;
    lintFiles(1000); // warm-up: what the first run sets up once (tables, caches) is not counted
    const once = lintFiles(PADDING);
    const twice = lintFiles(2 * PADDING);
    for (const run of [once, twice]) {
      expect(run.findings).toBeGreaterThanOrEqual(FILES);
      expect(run.facts).toBeGreaterThanOrEqual(FILES);
    }
    // The texts grow by 30 MB together; kept texts would keep all of it, and findings and facts
    // (the same in both runs) none of it.
    const added = FILES * PADDING;
    expect((twice.kept - once.kept) / added, `kept ${once.kept} bytes, then ${twice.kept} with twice the text`).toBeLessThan(0.1);
  });
});
