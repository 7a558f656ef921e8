/** Which objects are the core v1 Secret and ConfigMap: one answer for every rule; a map's keys, listed once for all of them. */
import { describe, expect, it } from 'vitest';
import { isCoreObject, keysOfMap } from '../../../src/model/objects.js';

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

describe('keysOfMap', () => {
  it("is Object.keys, and one list for every caller of a large map's keys", () => {
    const small = { b: 1, a: 2, 1: 3 };
    expect(keysOfMap(small)).toEqual(Object.keys(small));
    const large: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) large[i % 2 === 0 ? `k${i}` : String(i)] = i;
    expect(keysOfMap(large)).toEqual(Object.keys(large));
    expect(keysOfMap(large)).toBe(keysOfMap(large));
    expect(keysOfMap({ ...large })).not.toBe(keysOfMap(large));
  });
});
