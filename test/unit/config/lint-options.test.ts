import { describe, expect, it } from 'vitest';
import { lintOptionsOf } from '../../../src/config/effective.js';
import { DEFAULT_SETTINGS, lintOptionsCopy } from '../../../src/config/lint-options.js';

const KEYS = ['rules', 'settings', 'fast', 'syntaxSeverity', 'inlineSuppressions', 'reportUnusedSuppressions', 'exemptions', 'mainOverrides', 'patchFiles', 'onlyDocuments'];

describe('lint options keep one shape (every key, one order)', () => {
  const options = lintOptionsOf({ rules: {}, settings: DEFAULT_SETTINGS, exemptions: [] }, [], { inlineSuppressions: false });

  it('lintOptionsOf sets every key, undefined when unset', () => {
    expect(Object.keys(options)).toEqual(KEYS);
    expect(options.inlineSuppressions).toBe(false);
    expect(options.reportUnusedSuppressions).toBeUndefined();
    expect(options.patchFiles).toBeUndefined();
  });

  it('lintOptionsCopy keeps the keys and their order, and replaces only what it is given', () => {
    const overrides = new Map([['k', 'app']]);
    const withMain = lintOptionsCopy(options, { mainOverrides: overrides });
    expect(Object.keys(withMain)).toEqual(KEYS);
    expect(withMain).toEqual({ ...options, mainOverrides: overrides });
    const only = lintOptionsCopy(withMain, { onlyDocuments: new Set([1]) });
    expect(only.mainOverrides).toBe(overrides);
    const cleared = lintOptionsCopy(only, { onlyDocuments: undefined });
    expect(Object.keys(cleared)).toEqual(KEYS);
    expect(cleared.onlyDocuments).toBeUndefined();
    expect(cleared.mainOverrides).toBe(overrides);
  });
});
