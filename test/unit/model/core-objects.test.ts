/** Which objects are the core v1 Secret and ConfigMap: one answer for every rule. */
import { describe, expect, it } from 'vitest';
import { isCoreObject } from '../../../src/model/objects.js';

const ref = (apiVersion: string | null, kind: string) => ({ ref: { apiVersion, kind, name: 'x', namespace: null } });

describe('isCoreObject', () => {
  it.each([
    ['v1', 'Secret', 'Secret', true],
    ['v1', 'ConfigMap', 'ConfigMap', true],
    [null, 'Secret', 'Secret', true], // a Kustomize patch names no apiVersion
    ['v1', 'ConfigMap', 'Secret', false],
    ['bitnami.com/v1alpha1', 'Secret', 'Secret', false], // a custom resource reusing the kind name
    ['example.com/v1', 'ConfigMap', 'ConfigMap', false],
  ] as const)('%s %s is a core %s: %s', (apiVersion, kind, asked, expected) => {
    expect(isCoreObject(ref(apiVersion, kind), asked)).toBe(expected);
  });
});
