/**
 * fixText fixes a file of several documents a document at a time (issue 18: a fix then costs a lint
 * of its document, not of the whole file). The outcome must be the whole file's, to the byte: the
 * fixed text, the fixes applied and skipped (with their findings' positions in the whole text), the
 * findings left. Generated streams of Deployments whose main container is guessed (a safe fix), some
 * decided by a Service of the stream (the run's main-container overrides), Pods with a key written
 * twice and Secrets with plain text (unsafe fixes), a fix that cannot be made (flow style), comments
 * before the first `---`, a byte order mark; each fixed both ways.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import { FIX_BY_DOCUMENT, FIX_IN_BATCHES, fixText } from '../../../src/run/fix.js';
import { lintInputs } from '../../../src/run/lint-files.js';
import { lintOptions } from '../../support/lint.js';
import { random } from '../../support/random.js';
import { fixableDocuments } from '../../support/fixable-documents.js';

const base: LintOptions = { rules: lintOptions().rules, settings: DEFAULT_SETTINGS };

afterEach(() => {
  FIX_BY_DOCUMENT.enabled = true;
});

/**
 * Both ways one fix at a time: in batches (fix-in-batches.test.ts compares them with this), a fix's
 * finding is where it was before its batch, which differs when the batch spans documents.
 */
function bothWays(text: string, options: LintOptions, unsafe: boolean): { byDocument: string; whole: string } {
  FIX_IN_BATCHES.enabled = false;
  try {
    FIX_BY_DOCUMENT.enabled = true;
    const byDocument = JSON.stringify(fixText(text, 'x.yaml', options, { unsafe }));
    FIX_BY_DOCUMENT.enabled = false;
    const whole = JSON.stringify(fixText(text, 'x.yaml', options, { unsafe }));
    return { byDocument, whole };
  } finally {
    FIX_BY_DOCUMENT.enabled = true;
    FIX_IN_BATCHES.enabled = true;
  }
}

describe('fixText a document at a time gives the whole file\'s outcome', () => {
  it('generated streams with safe, unsafe and impossible fixes, and main containers Services decide', () => {
    const next = random(31);
    let applied = 0;
    let skipped = 0;
    let decided = 0;
    for (let n = 0; n < 60; n++) {
      const docs = fixableDocuments(next, { configMapComment: true });
      let text = docs.map((doc, i) => (i === 0 && next() < 0.5 ? doc : `---\n${doc}`)).join('');
      if (next() < 0.3) text = `# a stream\n${text.startsWith('---') ? text : `---\n${text}`}`;
      if (next() < 0.1) text = `\ufeff${text}`;
      // The run's main containers, as the command line passes them to the fixes.
      const run = lintInputs([{ display: 'x.yaml', text }], base);
      const options = run.mainOverrides ? { ...base, mainOverrides: run.mainOverrides } : base;
      if (run.mainOverrides) decided++;
      for (const unsafe of [false, true]) {
        const { byDocument, whole } = bothWays(text, options, unsafe);
        expect(byDocument, JSON.stringify(text)).toBe(whole);
        const outcome = JSON.parse(whole) as { applied: unknown[]; skipped: unknown[] };
        applied += outcome.applied.length;
        skipped += outcome.skipped.length;
      }
    }
    // The comparison means something: fixes made and given up, main containers decided by Services.
    expect(applied).toBeGreaterThan(100);
    expect(skipped).toBeGreaterThan(5);
    expect(decided).toBeGreaterThan(5);
  });

  it('a stream with a syntax error, CR LF line ends or suppression comments is fixed whole, as before', () => {
    const deployment = (i: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n      - name: worker\n        image: example/worker:1\n`;
    for (const text of [
      `${deployment(0)}---\n${deployment(1)}---\na: [\n`,
      `${deployment(0)}---\n${deployment(1)}`.replace(/\n/g, '\r\n'),
      `${deployment(0)}---\n# sidecar-lint-disable-next-line uncoupled-containers -- known\n${deployment(1)}`,
    ]) {
      const { byDocument, whole } = bothWays(text, base, true);
      expect(byDocument).toBe(whole);
    }
  });
});
