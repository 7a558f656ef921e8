/**
 * Duplicate keys on both paths (issue 18): the fix of each `duplicate-key` finding names the mapping
 * of its key, found in one walk of the document, not one walk per key. Timed at n and 8n
 * (test/support/growth.ts); listed in the slow project.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
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
