/**
 * On the fast path every rule runs once on each object: a document with reports is located by
 * replaying what the rules reported, not by running them again. The findings are those of the
 * exact path, which runs each rule once too.
 */
import { describe, expect, it } from 'vitest';
import { lintText, lintTextFast } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import type { AnyRule } from '../../../src/rule.js';
import { lintOptions } from '../../support/lint.js';

const DOCS = [
  // two reports of one rule and reports of others, in a multi-container pod
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1\n      env:\n        - name: DB_PASSWORD\n          value: hunter2-hunter2\n        - name: API_TOKEN\n          value: abcdefgh12345678\n    - name: proxy\n      image: envoyproxy/envoy:v1\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\ndata:\n  LOG_LEVEL: info\n',
  // a List: reports on its second item only
  'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n    data:\n      x: "1"\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data:\n      SECRET_KEY: zzzzzzzz99999999\n',
];

/** The built-in rules, each counting the objects its check runs on. */
function counted(): { rules: AnyRule[]; calls: Map<string, string[]> } {
  const calls = new Map<string, string[]>();
  const rules = lintOptions().rules.map(({ rule }) => ({
    ...rule,
    check(ctx: Parameters<AnyRule['check']>[0]) {
      const list = calls.get(rule.meta.id) ?? [];
      list.push(`${ctx.object.documentIndex}/${ctx.object.ref.name}`);
      calls.set(rule.meta.id, list);
      return rule.check(ctx);
    },
  })) as AnyRule[];
  return { rules, calls };
}

describe('rules run once per object on the fast path', () => {
  it('each rule checks each object once, and the findings are the exact path\'s', () => {
    const text = DOCS.join('---\n');
    const fast = counted();
    const exact = counted();
    const fastOptions: LintOptions = { rules: lintOptions({ rules: fast.rules }).rules, settings: DEFAULT_SETTINGS };
    const exactOptions: LintOptions = { rules: lintOptions({ rules: exact.rules }).rules, settings: DEFAULT_SETTINGS, fast: false };
    const a = lintText(text, 'f.yaml', fastOptions);
    const b = lintText(text, 'f.yaml', exactOptions);
    expect(a.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['env-literal-secret@10', 'env-literal-secret@12', 'configmap-sensitive-data@38']);
    expect(JSON.stringify(a.findings)).toBe(JSON.stringify(b.findings));
    expect(JSON.stringify(a.facts ?? [])).toBe(JSON.stringify(b.facts ?? []));
    expect([...fast.calls].sort()).toEqual([...exact.calls].sort());
    for (const [id, objects] of fast.calls) expect(new Set(objects).size, id).toBe(objects.length);
    // the Pod, the clean ConfigMap, the List's two items
    expect(fast.calls.get('configmap-sensitive-data')).toEqual(['0/p', '1/clean', '2/a', '2/b']);
  });
});

describe('locating reuses what the fast pass read', () => {
  it("a document's own objects and those written in its strings are located as on the exact path", () => {
    const text = [
      // a Kustomization with a report on an object written in a string (an inline patch)
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: k\nresources:\n  - app.yaml\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: app\n      data:\n        DB_PASSWORD: hunter2-hunter2\n',
      // a workload with reports (its workload read once, in the fast pass)
      DOCS[0]!,
      // a List: reports on both items, objects without a pod
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n    data:\n      API_TOKEN: abcdefgh12345678\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data:\n      SECRET_KEY: zzzzzzzz99999999\n',
    ].join('---\n');
    const fast = lintTextFast(text, 'f.yaml', lintOptions());
    if (!fast) throw new Error('the fast path refused the text');
    const exact = lintText(text, 'f.yaml', { ...lintOptions(), fast: false });
    expect(fast.findings.some((f) => f.line === 14 && f.ruleId === 'configmap-sensitive-data')).toBe(true);
    expect(fast.findings.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(fast.findings)).toBe(JSON.stringify(exact.findings));
    expect(JSON.stringify(fast.facts ?? [])).toBe(JSON.stringify(exact.facts ?? []));
  });
});
