/**
 * Work within one file that grows with what the file holds (issue 18), timed at n and 8n
 * (test/support/growth.ts; listed in the slow project):
 * - duplicate keys, on both paths: the fix of each `duplicate-key` finding names the mapping of its
 *   key, found in one walk of the document, not one walk per key;
 * - a pod of n containers: companions are found by their leading word, not by comparing every pair
 *   of containers, and the pod picture the findings on a pod share is copied once, not once per
 *   finding;
 * - an embedded file of n lines with a finding on each: the lines of its block scalar are found once,
 *   not walked from the block's start for each finding (both paths locate through literalInnerOffsets);
 * - fixing a stream of n documents with a fix each: each fix is checked by linting its document, not
 *   the whole stream;
 * - n quoted values continued on under-indented lines in one document: mended after one search with
 *   yaml's lexer, not one parse of the document each; the same for n flow collections continued
 *   so, and for n such lines of one flow collection (each search starts at the last line joined);
 * - the diff (`--fix-dry-run`) of a long stream with a change in each of its n documents: a document
 *   at a time, not Myers' diff of the whole texts (its time grows with the lines changed squared);
 * - fixing a List of n items with a fix each, n keys written twice in one ConfigMap, or n plain-text
 *   values of a Secret moved to the end of its stringData: the fixes in batches, each checked by one
 *   lint, not one lint per fix;
 * - n findings under n suppression comments: each matched in the directives indexed once, not by
 *   looking at every directive and document start before it.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import { lintInputs } from '../../src/run/lint-files.js';
import { couple, type CouplingMember } from '../../src/model/coupling.js';
import { literalInnerOffsets } from '../../src/yaml/locate.js';
import { fixText, unifiedDiff } from '../../src/run/fix.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { lintOptions } from '../support/lint.js';
import { expectLinear } from '../support/growth.js';

const options = { rules: lintOptions().rules, settings: DEFAULT_SETTINGS };

describe('duplicate keys: time linear in their number, on both paths', () => {
  // Naming each later key's mapping walked the document once per key: 20,000 mappings with a key
  // written twice took 75 s on the exact path (and 5 s on the fast path before it walked once).
  const inItems = (n: number) => ({ text: `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: n }, (_, i) => `- a: ${i}\n  a: b\n`).join('')}` });
  const inOneMap = (n: number) => ({ text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i}: a\n  k${i}: b\n`).join('')}` });
  it.each([
    ['fast', true],
    ['exact', false],
  ])('%s path: a key written twice in each of n mappings, and n keys written twice in one', (_name, fast) => {
    for (const make of [inItems, inOneMap]) {
      expectLinear(
        make,
        ({ text }) => {
          const result = lintText(text, 'x.yaml', { ...options, fast });
          expect(result.findings[0]?.fixes).toBeDefined();
        },
        250,
      );
    }
  });
});

describe('a pod of n containers: time linear in n', () => {
  it('finds companions and copies the pod picture of its findings without going over every pair', () => {
    // Each container a sidecar with a finding (no resources, a Secret in env, linked to nothing):
    // 2,000 containers took 5.9 s (the pod picture copied for each of 6,000 findings), and 0.8 s of
    // it comparing every container with every other for a companion name.
    const make = (n: number) => {
      let text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n';
      for (let i = 0; i < n; i++) {
        text += `  - name: c${i}\n    image: img${i % 7}:1\n    ports:\n    - containerPort: ${1000 + i}\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: s, key: k${i}}\n`;
      }
      return [{ display: 'pod.yaml', text }];
    };
    expectLinear(
      make,
      (inputs) => {
        const run = lintInputs(inputs, options);
        expect(run.findings.length).toBeGreaterThan(0);
      },
      150,
    );
  });
});

describe('coupling n containers: time linear in n', () => {
  it('looks for companions by leading word, not pair by pair', () => {
    // Names and images that make no companion (`c12` is not `c1-…`) but share a few leading words.
    const make = (n: number) => ({
      members: Array.from({ length: n }, (_, i): CouplingMember => ({ name: `c${i}`, image: `registry/img-${i % 7}:1`, volumes: [], endpoints: { serves: [], known: false, reaches: [] } })),
      main: 0,
      shareProcessNamespace: false,
    });
    expectLinear(make, (input) => {
      const { group } = couple(input);
      expect(group).toHaveLength(input.members.length);
    }, 300);
  });
});

describe('an embedded file of n lines, each with a finding: time linear in n', () => {
  it('locates a position on each line of a literal block without walking the block from its start', () => {
    const make = (n: number) => {
      const text = `data:\n  app.properties: |\n${Array.from({ length: n }, (_, i) => `    password${i}=s3cr3t-${i}\n`).join('')}`;
      return { text, n, header: text.indexOf('|') };
    };
    expectLinear(
      make,
      ({ text, n, header }) => {
        const node = {};
        for (let line = 0; line < n; line++) expect(literalInnerOffsets(text, header, text.length, { line, column: 0 }, node)).toBeDefined();
      },
      1_000,
    );
  });
});

describe('fixing a stream of n documents, each with a fix: time linear in n', () => {
  it('checks each fix by linting its own document', () => {
    // Each Deployment's main container is guessed: the safe fix sets the default-container annotation.
    // 400 of them took 52 s when each fix linted the whole stream again.
    const make = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n      - name: worker\n        image: example/worker:1\n`,
      ).join('---\n');
    expectLinear(
      make,
      (text) => {
        const outcome = fixText(text, 'x.yaml', options);
        expect(outcome.applied.length).toBeGreaterThan(0);
      },
      50,
    );
  });
});

describe('quoted values continued on under-indented lines: time linear in their number', () => {
  it('mends them in one document without parsing it again for each', () => {
    // Each was mended, then the document parsed again: 400 in one ConfigMap took 2.4 s, and past
    // 200 the rest were reported as a parse error though Kubernetes reads them.
    const make = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i}: "v${i}\n  w${i}"\n`).join('')}`;
    expectLinear(
      make,
      (text) => {
        const result = lintText(text, 'x.yaml', { ...options, fast: false });
        expect(result.findings.map((f) => f.ruleId)).toEqual(['yaml-compat']);
      },
      40,
    );
  });
});

describe('flow collections continued on under-indented lines: time linear in their number', () => {
  // Each line was joined to the one before, then the document parsed again: 200 in one Pod took 3 s,
  // and past 200 the rest were reported as a parse error though Kubernetes reads them.
  const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${body}`;
  it.each([
    ['n collections in one document', 40, (n: number) => pod(Array.from({ length: n }, (_, i) => `  - name: c${i}\n    image: nginx\n    args: [\n"a${i}", "b"]\n`).join(''))],
    // (Lexed from the collection's first line for each, the lines took 2.7 s for 2,000, 33 s for 8,000.)
    ['n lines of one collection', 400, (n: number) => pod(`  - name: c\n    image: nginx\n    args: [\n${Array.from({ length: n }, (_, i) => `"a${i}",\n`).join('')}"z"]\n`)],
  ])('%s: joined after one search, not one parse of the document each', (_name, n, make) => {
    expectLinear(
      make,
      (text) => {
        const result = lintText(text, 'x.yaml', { ...options, fast: false });
        expect(result.findings.filter((f) => f.ruleId === 'yaml-compat' || f.ruleId === 'parse-error').map((f) => f.ruleId)).toEqual(['yaml-compat']);
      },
      n,
    );
  });
});

describe('suppression comments: time linear in their number', () => {
  // Each finding looked at every directive before its line, and every document start: 16,000 keys
  // each under its own disable-next-line took 5.9 s, 16,000 documents with one each 7.1 s.
  it.each([
    ['n findings in one document, each under its own comment', (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${Array.from({ length: n }, (_, i) => `  # sidecar-lint-disable-next-line configmap-sensitive-data -- known\n  PASSWORD_${i}: hunter2-hunter2-${i}\n`).join('')}`],
    ['n documents, each with a comment', (n: number) => Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  # sidecar-lint-disable-next-line configmap-sensitive-data -- known\n  PASSWORD: hunter2-hunter2-${i}\n`).join('---\n')],
  ])('%s', (_name, make) => {
    expectLinear(
      make,
      (text) => {
        const result = lintText(text, 'x.yaml', options);
        expect(result.findings.length).toBeGreaterThan(0);
        expect(result.findings.every((f) => f.suppressed?.kind === 'comment')).toBe(true);
      },
      2_000,
    );
  });
});

describe('the diff of a long stream with a change in each document: time linear in the documents', () => {
  it('diffs it a document at a time', () => {
    // Myers' diff grows with the square of the lines changed: 2,000 Deployments with a fix each took
    // 2.8 GB for `--fix-dry-run` (each step kept a copy of every diagonal), and 8 times as many would
    // take 64 times as long.
    const doc = (i: number, fixed: boolean) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n${fixed ? '  annotations:\n    a: b\n' : ''}data:\n  k: v\n`;
    const make = (n: number) => ({
      before: Array.from({ length: n }, (_, i) => doc(i, false)).join('---\n'),
      after: Array.from({ length: n }, (_, i) => doc(i, true)).join('---\n'),
    });
    // 3,000 documents against 24,000: from 1,500 (12,000 lines a side) the small run's lines and
    // arrays died young while the large run's outlived the young generation, and linear work
    // measured 20-34 times as long for 8 times the input (the limit is 24); from 3,000 both runs
    // are past that, and measure 9-11.
    expectLinear(make, ({ before, after }) => expect(unifiedDiff(before, after, 'f.yaml')).not.toBe(''), 3_000);
  });
});

describe('fixing n keys written twice in one ConfigMap: time linear in n', () => {
  it('fixes them in batches, checked by one lint each', () => {
    // One lint of the document per fix: 400 keys written twice took 3.1 s (--fix --unsafe-fixes).
    const make = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i}: a\n  k${i}: b\n`).join('')}`;
    expectLinear(
      make,
      (text) => {
        const outcome = fixText(text, 'x.yaml', options, { unsafe: true });
        expect(outcome.skipped).toEqual([]);
        expect(outcome.findings).toEqual([]);
      },
      80,
    );
  });
});

describe('fixing n plain-text values of one Secret: time linear in n', () => {
  it('appends them to stringData in batches, checked by one lint each', () => {
    // Each value moves to the end of stringData, the same place for all: one at a time (a lint and
    // two parses each, every key looked up among all the others), 400 keys took 11 s.
    const make = (n: number) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  x: y\ndata:\n${Array.from({ length: n }, (_, i) => `  key${i}: hunter two${i}\n`).join('')}`;
    expectLinear(
      make,
      (text) => {
        const outcome = fixText(text, 'x.yaml', options, { unsafe: true });
        expect(outcome.skipped).toEqual([]);
        expect(outcome.text).not.toContain('data:\n  key');
      },
      40,
    );
  });
});

describe('fixing a List of n items, each with a fix: time linear in n', () => {
  it('fixes the items in batches, checked by one lint each', () => {
    // One lint of the whole List per fix: 400 Deployments (`kubectl get deploy -o yaml`) took 44 s.
    const make = (n: number) =>
      `apiVersion: v1\nkind: List\nitems:\n${Array.from(
        { length: n },
        (_, i) => `- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d${i}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: web\n          image: nginx\n        - name: worker\n          image: example/worker:1\n`,
      ).join('')}`;
    expectLinear(
      make,
      (text) => {
        const outcome = fixText(text, 'x.yaml', options);
        expect(outcome.skipped).toEqual([]);
        expect(outcome.applied.length).toBeGreaterThan(0);
      },
      40,
    );
  });
});
