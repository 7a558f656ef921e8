/**
 * fixText fixes many items of a List (one document, as `kubectl get … -o yaml` writes it) a batch at
 * a time: the first fix of each item applied together, checked by one lint (issue 18: one lint per
 * fix took 44 s for 400 Deployments). The outcome must be what fixing one at a time gives: the same
 * text, the same fixes skipped (and their findings' positions), the same findings left, the same
 * fixes applied (in finding order rather than one after the other). Generated Lists of Deployments
 * whose main container is guessed (a safe fix), some decided by a Service of the List, Pods with a
 * key written twice and two containers (two fixes in one item), Secrets with plain text (unsafe
 * fixes), a fix that cannot be made (flow style), ConfigMaps with no fix; each fixed both ways.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import { FIX_IN_BATCHES, fixText, type FixOutcome } from '../../../src/run/fix.js';
import { lintInputs } from '../../../src/run/lint-files.js';
import { lintOptions } from '../../support/lint.js';
import { defineRule, NO_OPTIONS } from '../../../src/rule.js';
import { asMap } from '../../../src/model/objects.js';
import { random } from '../../support/random.js';
import { fixableDocuments } from '../../support/fixable-documents.js';

const base: LintOptions = { rules: lintOptions().rules, settings: DEFAULT_SETTINGS };

afterEach(() => {
  FIX_IN_BATCHES.enabled = true;
});

/**
 * The outcome as JSON, the fixes applied sorted (a batch applies them together). `edits: false`
 * compares a fix applied by its title, not its edits: a fix that names list items by index (a
 * sidecar moved) names them as they were when it was made, before or after the others of its list.
 */
function comparable(outcome: FixOutcome, edits = true): string {
  const applied = outcome.applied.map((a) => JSON.stringify([a.finding.ruleId, a.finding.object, a.finding.container, edits ? a.fix : a.fix.title])).sort();
  return JSON.stringify({ text: outcome.text, skipped: outcome.skipped, findings: outcome.findings, applied });
}

function bothWays(text: string, options: LintOptions, unsafe: boolean, edits = true): { batched: string; oneByOne: string; outcome: FixOutcome } {
  FIX_IN_BATCHES.enabled = true;
  const outcome = fixText(text, 'x.yaml', options, { unsafe });
  FIX_IN_BATCHES.enabled = false;
  const oneByOne = comparable(fixText(text, 'x.yaml', options, { unsafe }), edits);
  FIX_IN_BATCHES.enabled = true;
  return { batched: comparable(outcome, edits), oneByOne, outcome };
}

/** A manifest as an item of a List. */
function item(doc: string): string {
  return doc
    .trimEnd()
    .split('\n')
    .map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`))
    .join('\n');
}

describe('fixText a batch of fixes at a time gives the one-at-a-time outcome', () => {
  it('generated Lists with safe, unsafe and impossible fixes, two in an item, and main containers Services decide', () => {
    const next = random(77);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    let applied = 0;
    let skipped = 0;
    let decided = 0;
    const batched = FIX_IN_BATCHES.batched;
    for (let n = 0; n < 50; n++) {
      const docs = fixableDocuments(next, { helperInPods: true });
      const text = `apiVersion: v1\nkind: List\n${pick(['', 'metadata:\n  resourceVersion: ""\n'])}items:\n${docs.map(item).join('\n')}\n`;
      const run = lintInputs([{ display: 'x.yaml', text }], base);
      const options = run.mainOverrides ? { ...base, mainOverrides: run.mainOverrides } : base;
      if (run.mainOverrides) decided++;
      for (const unsafe of [false, true]) {
        const result = bothWays(text, options, unsafe);
        expect(result.batched, JSON.stringify(text)).toBe(result.oneByOne);
        applied += result.outcome.applied.length;
        skipped += result.outcome.skipped.length;
      }
    }
    // The comparison means something: fixes made in batches and one at a time, and given up;
    // main containers decided by Services.
    expect(FIX_IN_BATCHES.batched - batched).toBeGreaterThan(100);
    expect(applied).toBeGreaterThan(200);
    expect(skipped).toBeGreaterThan(5);
    expect(decided).toBeGreaterThan(5);
  });

  it('generated streams, and documents with many fixes: keys written twice (apart, side by side, interleaved), Secrets with plain text', () => {
    const next = random(78);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const twice = (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const shape = pick(['apart', 'side', 'interleaved', 'once']);
        if (shape === 'apart') lines.push(`  k${i}: a`, `  x${i}: 1`, `  k${i}: b`);
        else if (shape === 'side') lines.push(`  k${i}: a`, `  k${i}: b`);
        else if (shape === 'interleaved') lines.push(`  k${i}: a`, `  j${i}: a`, `  k${i}: b`, `  j${i}: b`);
        else lines.push(`  k${i}: a`);
      }
      return lines.join('\n');
    };
    const many = [
      () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${twice(2 + Math.floor(next() * 12))}\n`,
      () => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${pick(['', 'stringData:\n  x: y\n'])}data:\n${Array.from({ length: 2 + Math.floor(next() * 6) }, (_, i) => `  password${i}: 'hunter two ${i}'`).join('\n')}\n`,
      () => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\n  labels:\n    a: b\n    a: c\nspec:\n  containers:\n  - name: app\n    image: nginx\n    image: nginx\n  - name: helper\n    image: example/helper:1\n`,
    ];
    let applied = 0;
    const batched = FIX_IN_BATCHES.batched;
    for (let n = 0; n < 40; n++) {
      const docs = [...fixableDocuments(next, { helperInPods: true }), ...Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(many)())];
      for (let i = docs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [docs[i], docs[j]] = [docs[j]!, docs[i]!];
      }
      const text = docs.join('---\n');
      const run = lintInputs([{ display: 'x.yaml', text }], base);
      const options = run.mainOverrides ? { ...base, mainOverrides: run.mainOverrides } : base;
      for (const unsafe of [false, true]) {
        const result = bothWays(text, options, unsafe);
        expect(result.batched, JSON.stringify(text)).toBe(result.oneByOne);
        applied += result.outcome.applied.length;
      }
    }
    expect(FIX_IN_BATCHES.batched - batched).toBeGreaterThan(150);
    expect(applied).toBeGreaterThan(300);
  });

  it('makes fixes that insert at the same place one after the other (which goes first decides the text)', () => {
    // Two fixes each adding a label at the end of the same mapping: one at a time, the second goes
    // after the first; made together from the same text, they would land in the other order.
    const label = defineRule({
      meta: { id: 'test-two-labels', description: 'test', defaultSeverity: 'warning', scope: 'content', messages: { missing: 'no label {{ k }}' }, options: NO_OPTIONS, fix: 'safe' },
      check(ctx) {
        for (const k of ['first', 'second', 'third']) {
          if (asMap(asMap(ctx.object.value.metadata)?.labels)?.[k] !== undefined) continue;
          ctx.report({ messageId: 'missing', path: ['metadata'], data: { k }, fix: { title: `label ${k}`, edits: [{ op: 'set', path: ['metadata', 'labels', k], value: 'yes' }] } });
        }
      },
    });
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    app: x\ndata:\n  a: b\n';
    const result = bothWays(text, lintOptions({ rules: [label] }), false);
    expect(result.batched).toBe(result.oneByOne);
    expect(result.outcome.text).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    app: x\n    first: yes\n    second: yes\n    third: yes\ndata:\n  a: b\n');
  });

  it('makes appends to one block map together, in the order one at a time makes them: Secrets with many plain-text values', () => {
    // Each plain-text value under `data` moves to the end of `stringData` (the same place for all):
    // one at a time, each goes after the one before; together, their texts one after the other.
    // The last entry of `data` deletes `data:` itself when moved alone, so one waits for a later
    // round. 400 such keys took 11 s one at a time (a lint and two parses per fix).
    const next = random(79);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const batched = FIX_IN_BATCHES.batched;
    let applied = 0;
    for (let n = 0; n < 60; n++) {
      const entries = Array.from({ length: 2 + Math.floor(next() * 14) }, (_, i) =>
        pick([
          `  password${i}: hunter two${i}`,
          `  password${i}: 'hunter two${i}'`,
          `  # about ${i}\n  password${i}: hunter two${i}`,
          `  token${i}: c2VjcmV0`,
          `  note${i}: |\n    first line ${i}\n    second line`,
        ]),
      );
      const stringData = pick(['', 'stringData:\n  x: y\n', 'stringData:\n  x: y\n  # trailing\n', 'stringData: {x: y}\n', 'stringData:\n    x: y\n']);
      const secret = pick([
        () => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${n}\n${stringData}data:\n${entries.join('\n')}\n`,
        () => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${n}\ndata:\n${entries.join('\n')}\n${stringData}type: Opaque\n`,
      ])();
      let text = pick([secret, `${secret}---\n${secret.replace(`name: s${n}`, `name: t${n}`)}`, `apiVersion: v1\nkind: List\nitems:\n${item(secret)}\n${item(secret.replace(`name: s${n}`, `name: t${n}`))}\n`]);
      if (next() < 0.2) text = text.replace(/\n$/, '');
      if (next() < 0.2) text = text.replace(/\n/g, '\r\n');
      const result = bothWays(text, base, true);
      expect(result.batched, JSON.stringify(text)).toBe(result.oneByOne);
      applied += result.outcome.applied.length;
    }
    expect(applied).toBeGreaterThan(300);
    expect(FIX_IN_BATCHES.batched - batched).toBeGreaterThan(200);
  });

  it('the same for list items: Jobs whose sidecars move to initContainers, in the order one at a time makes them', () => {
    // Each sidecar moves to the end of initContainers (or before an init container that calls it on
    // localhost): 400 sidecars of one Job took 22 s one at a time.
    const next = random(80);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const batched = FIX_IN_BATCHES.batched;
    let applied = 0;
    for (let n = 0; n < 40; n++) {
      const sidecars = Array.from({ length: 2 + Math.floor(next() * 8) }, (_, i) =>
        pick([
          `      - name: log${i}\n        image: fluent/fluent-bit:2.1`,
          `      - name: proxy${i}\n        image: envoyproxy/envoy:v1.30\n        ports:\n        - containerPort: ${9000 + i}`,
          `      # a helper\n      - name: agent${i}\n        image: fluent/fluent-bit:2.1\n        resources: {limits: {memory: 64Mi}}`,
        ]),
      );
      const inits = pick(['', '      initContainers:\n      - name: init\n        image: busybox\n', '      initContainers:\n      - name: wait\n        image: busybox\n        command: [sh, -c, "curl localhost:9000"]\n']);
      const job = (name: string) =>
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n${inits}      containers:\n      - name: main\n        image: example/app:1\n${sidecars.join('\n')}\n`;
      let text = pick([job(`j${n}`), `${job(`j${n}`)}---\n${job(`k${n}`)}`, `apiVersion: v1\nkind: List\nitems:\n${item(job(`j${n}`))}\n${item(job(`k${n}`))}\n`]);
      if (next() < 0.2) text = text.replace(/\n/g, '\r\n');
      const result = bothWays(text, base, true, false);
      expect(result.batched, JSON.stringify(text)).toBe(result.oneByOne);
      applied += result.outcome.applied.length;
    }
    expect(applied).toBeGreaterThan(150);
    expect(FIX_IN_BATCHES.batched - batched).toBeGreaterThan(50);
  });

  it('moves 200 sidecars of one Job in batches (one at a time, 400 took 22 s)', () => {
    // A growth test cannot tell here (the rounds' fixed costs hide the square up to hundreds of
    // sidecars): the fixes are counted instead. The main container's guess is named by another
    // rule's fix, which comes after the moves and whose finding they make go, as one at a time.
    const text = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n      - name: init\n        image: busybox\n      containers:\n      - name: main\n        image: example/app:1\n${Array.from({ length: 200 }, (_, i) => `      - name: side${i}\n        image: fluent/fluent-bit:2.1\n`).join('')}`;
    const batched = FIX_IN_BATCHES.batched;
    const outcome = fixText(text, 'x.yaml', base, { unsafe: true });
    expect(outcome.skipped).toEqual([]);
    expect(outcome.applied.map((a) => a.finding.ruleId)).toEqual(Array.from({ length: 200 }, () => 'job-sidecar-not-native'));
    expect(FIX_IN_BATCHES.batched - batched).toBe(200);
    expect(outcome.text).toContain('        image: busybox\n      - name: side0\n        image: fluent/fluent-bit:2.1\n        restartPolicy: Always\n      - name: side1\n');
  });

  it('falls back to one at a time when a fix of the batch adds a finding (sequentially: skipped)', () => {
    // A fix that adds a label, and a rule that reports the label on every other Deployment: fixing
    // those adds a finding, so one at a time they are skipped, and a batch holding one is not kept.
    const labelOf = (value: unknown) => asMap(asMap(asMap(value)?.metadata)?.labels)?.fixed;
    const missing = defineRule({
      meta: { id: 'test-label-missing', description: 'test', defaultSeverity: 'warning', scope: 'content', messages: { missing: 'no label' }, options: NO_OPTIONS, fix: 'safe' },
      check(ctx) {
        if (ctx.object.value.kind !== 'Deployment' || labelOf(ctx.object.value) !== undefined) return;
        ctx.report({ messageId: 'missing', path: ['metadata'], fix: { title: 'label it', edits: [{ op: 'set', path: ['metadata', 'labels', 'fixed'], value: 'yes' }] } });
      },
    });
    const odd = defineRule({
      meta: { id: 'test-label-odd', description: 'test', defaultSeverity: 'warning', scope: 'content', messages: { odd: 'odd and labelled' }, options: NO_OPTIONS },
      check(ctx) {
        if (labelOf(ctx.object.value) !== undefined && /[13579]$/.test(ctx.object.ref.name ?? '')) ctx.report({ messageId: 'odd', path: ['metadata'] });
      },
    });
    const options = lintOptions({ rules: [missing, odd] });
    const docs = Array.from({ length: 12 }, (_, d) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${d}\nspec:\n  replicas: 1\n`);
    const text = `apiVersion: v1\nkind: List\nitems:\n${docs.map(item).join('\n')}\n`;
    const result = bothWays(text, options, false);
    expect(result.batched).toBe(result.oneByOne);
    expect(result.outcome.applied).toHaveLength(6);
    expect(result.outcome.skipped.map((x) => x.reason)).toEqual(Array.from({ length: 6 }, () => 'fixing it would add a finding (test-label-odd on Deployment "d' ).map((r, i) => `${r}${2 * i + 1}")`));
  });
});
