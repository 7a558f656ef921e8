/**
 * The language server lints an open document through a LintMemo (src/run/lint-chunks.ts): only the
 * documents (`---` parts) that changed, or whose cross-file context changed, are linted again. The
 * result must be what `lintTextInParts` (the CLI's lint of a file) gives, after any edit, with and
 * without the cross-file context (Service-decided main containers, cross-file reports).
 */
import { describe, expect, it } from 'vitest';
import { lintOptions } from '../../support/lint.js';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import { LintMemo, lintTextInParts } from '../../../src/run/lint-chunks.js';
import { crossFile } from '../../../src/run/lint-files.js';

const options: LintOptions = { rules: lintOptions().rules, settings: DEFAULT_SETTINGS };

const pod = (i: number, password = 'valueFrom:\n                secretKeyRef: {name: db-${i}, key: password}') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: worker
          image: example/worker:1
          ports: [{name: debug, containerPort: 6060}]
        - name: web
          image: example/web:1
          ports: [{name: https, containerPort: 8443}]
          env:
            - name: DB_PASSWORD
              ${password.replace('${i}', String(i))}
`;
const service = (i: number) => `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector: {app: app-${i}}
  ports:
    - port: 443
      targetPort: https
`;
const configMap = (i: number, value = `tok-${i}-abcdefgh12345678`) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-${i}
data:
  API_TOKEN: ${value}
`;
const secret = (i: number) => `apiVersion: v1
kind: Secret
metadata:
  name: db-${i}
stringData:
  other: x
`;

/** The cross-file context of `text` (file `a.yaml`) in a workspace with `others`, as the language server's full pass finds it. */
function contextOf(text: string, others: { display: string; text: string }[]) {
  const inputs = [{ display: 'a.yaml', text }, ...others];
  const lint = (k: number, o: LintOptions, late?: Parameters<typeof lintTextInParts>[3]) => lintTextInParts(inputs[k]!.text, inputs[k]!.display, o, late);
  const cross = crossFile(
    inputs.map((input, k) => ({ display: input.display, result: lint(k, options) })),
    options,
    { withMains: (k, o) => lint(k, o), withReports: (k, o, reports) => lint(k, o, reports) },
  );
  return { withMains: { ...options, mainOverrides: cross.overrides }, late: cross.late.get('a.yaml') };
}

/** Lints `text` through the memo in each context the language server uses, checking each against the CLI's lint; returns the parts linted each time. */
function check(memo: LintMemo, text: string, others: { display: string; text: string }[] = []): number[] {
  const { withMains, late } = contextOf(text, others);
  const linted: number[] = [];
  for (const [o, l] of [[options, undefined], [withMains, undefined], [withMains, late]] as const) {
    const got = memo.lint(text, 'a.yaml', o, l);
    linted.push(memo.linted);
    const want = lintTextInParts(text, 'a.yaml', o, l);
    expect(JSON.stringify(got.findings)).toBe(JSON.stringify(want.findings));
    expect(JSON.stringify(got.facts ?? [])).toBe(JSON.stringify(want.facts ?? []));
    expect(got.stats).toEqual(want.stats);
  }
  return linted;
}

/** `list` with item `i` replaced (Array.prototype.with is ES2023). */
function replaced(list: readonly string[], i: number, item: string): string[] {
  return list.map((x, k) => (k === i ? item : x));
}

describe('a document linted again through its memo', () => {
  const docs = [configMap(0), pod(1), service(1), configMap(2), pod(3), secret(3), pod(4), configMap(5)];
  const text = docs.join('---\n');

  it('gives the CLI\'s findings after every kind of edit, linting only what changed', () => {
    const memo = new LintMemo();
    const first = check(memo, text);
    expect(first[0]).toBe(docs.length);
    // Typing in one document: that document alone is linted again (once: nothing in another
    // document or file concerns it, so its lint is the same in every context).
    const typed = replaced(docs, 3, configMap(2, 'tok-2-abcdefgh12345678x'));
    expect(check(memo, typed.join('---\n'))).toEqual([1, 0, 0]);
    // Lines added in the middle: the documents after it move down, and are not linted again.
    const longer = replaced(typed, 1, pod(1).replace('        - name: web', '        - name: extra\n          image: example/extra:1\n        - name: web')).join('---\n');
    expect(check(memo, longer)[0]).toBe(1);
    // A document inserted and one removed: the others keep their lints (with their new indexes).
    // (The memo keeps the parts of the last text: the document typed in above is linted again.)
    const inserted = [...docs.slice(0, 2), configMap(9), ...docs.slice(2)].join('---\n');
    expect(check(memo, inserted)[0]).toBe(3);
    const removed = [...docs.slice(0, 2), configMap(9), ...docs.slice(2)].filter((_, i) => i !== 5).join('---\n');
    expect(check(memo, removed)[0]).toBe(0);
    // A syntax error in one document: the text is linted whole, as the CLI does; then fixed again.
    const broken = replaced(docs, 3, 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unterminated\n').join('---\n');
    expect(check(memo, broken)).toEqual([-1, -1, -1]);
    check(memo, text);
    // A password typed in as a value: a finding appears in that document only.
    check(memo, replaced(docs, 6, pod(4, 'value: hunter2-hunter2-hunter2')).join('---\n'));
  });

  it('follows the cross-file context: a Service and a Secret in another file', () => {
    const memo = new LintMemo();
    const alone = docs.filter((d) => !d.includes('kind: Service') && !d.includes('kind: Secret')).join('---\n');
    check(memo, alone);
    const others = [{ display: 'svc.yaml', text: `${service(3)}---\n${service(4)}---\n${secret(4)}` }];
    const linted = check(memo, alone, others);
    // Only the documents the Services and the Secret concern are linted again.
    expect(linted[0]).toBe(0);
    expect(linted[1]).toBeGreaterThan(0);
    expect(linted[1]).toBeLessThan(docs.length);
    check(memo, alone.replace('tok-0-', 'tok-00-'), others);
  });

  it.each([
    ['comments before the first document, empty documents, `--- # c` separators', `# header\n\n---\n${docs.slice(0, 4).join('--- # sep\n')}---\n---\n${docs.slice(4).join('---\n')}# trailing\n`],
    ['CRLF line ends', text.replace(/\n/g, '\r\n')],
    ['a document end marker', `${docs.slice(0, 3).join('---\n')}...\n---\n${docs.slice(3).join('---\n')}`],
    ['suppression comments', `# sidecar-lint-disable-next-line configmap-sensitive-data -- test\n${text.replace(/^ {2}API_TOKEN/m, '  # sidecar-lint-disable-next-line configmap-sensitive-data -- test\n  API_TOKEN')}`],
    ['a suppression comment before a --- line (linted whole)', `${docs.slice(0, 3).join('---\n')}# sidecar-lint-disable-next-line all -- test\n---\n${docs.slice(3).join('---\n')}`],
    ['a document the fast reader refuses', `${docs.slice(0, 3).join('---\n')}---\na: &x 1\nb: *x\nb: 2\n---\n${docs.slice(3).join('---\n')}`],
    ['one document', configMap(1)],
  ])('gives the CLI\'s findings: %s', (_, variant) => {
    const memo = new LintMemo();
    check(memo, variant);
    check(memo, variant.replace('tok-0-', 'tok-00-'));
  });
});
