/**
 * Objects written in a kustomization's strings (inline patches): read on the fast path where it is
 * sure, parsed with `yaml` only to locate; the same objects and positions as the exact path.
 */
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { embeddedObjects } from '../../../src/model/embedded.js';

/** A kustomization document with these inline patch texts (`patches[].patch`). */
const kustomization = (...patches: string[]) => ({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', patches: patches.map((patch) => ({ patch })) });

const TEXTS = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  PASSWORD: hunter2\n',
  'kind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          $patch: delete\n',
  '- op: replace\n  path: /spec/replicas\n  value: 3\n', // operations: no kind, not read
  'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\nkind: ConfigMap\nmetadata:\n  name: b\n',
  '"\\x6bind": ConfigMap\nmetadata:\n  name: escaped\n', // a kind written with an escape
  'kind: ConfigMap\nmetadata:\n  name: dup\n  name: dup\n', // a duplicate key: not linted on either path
  'kind: ConfigMap\nmetadata: &m\n  name: anchored\nother: *m\n',
  'kind: ConfigMap\ndata:\n  on: yes\n  n: 0x1F\n  t: 2024-01-01\n', // Kubernetes' scalars
  'kind: [unclosed\n', // a syntax error
];

const shape = (list: ReturnType<typeof embeddedObjects>) =>
  list.map((e) => ({ object: { ...e.object, sourcePath: undefined }, text: e.text, doc: e.doc.toJS(), lines: e.lines.range(0, e.text.length) }));

describe('embeddedObjects', () => {
  it('gives the exact path objects, texts, documents and lines on the fast path', () => {
    const value = kustomization(...TEXTS);
    const fast = embeddedObjects(value, 3, 'kustomization.yaml');
    const exact = embeddedObjects(value, 3, 'kustomization.yaml', true);
    expect(fast.length).toBe(7);
    expect(shape(fast)).toEqual(shape(exact));
  });

  it('does not read a text that cannot hold a kind', () => {
    expect(embeddedObjects(kustomization('- op: remove\n  path: /spec/template\n'), 0, 'kustomization.yaml')).toEqual([]);
  });

  it('agrees with the exact path on the kustomizations of the fixtures', () => {
    for (const file of ['fixtures/patches/inline/kustomization.yaml', 'fixtures/patches/inline-ignored/kustomization.yaml']) {
      jsyaml.loadAll(readFileSync(file, 'utf8')).forEach((doc, i) => {
        expect(shape(embeddedObjects(doc, i, 'kustomization.yaml'))).toEqual(shape(embeddedObjects(doc, i, 'kustomization.yaml', true)));
      });
    }
  });
});
