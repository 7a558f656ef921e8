/** A worker thread builds the same lint options as the main thread, from its plain spec. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, ENGINE_RULES } from '../../../src/config/lint-options.js';
import { buildOptions } from '../../../src/run/lint-worker.js';

describe('worker lint options', () => {
  it('carry the configured severity of every engine finding (none is listed by hand)', async () => {
    const rules = Object.fromEntries(Object.keys(ENGINE_RULES).map((id) => [id, { severity: 'off', options: {} }]));
    const options = await buildOptions({
      rules,
      settings: DEFAULT_SETTINGS,
      exemptions: [],
      inlineSuppressions: true,
      reportUnusedSuppressions: false,
      customRules: [],
      plugins: [],
      configDir: '.',
      exact: false,
      patchFiles: [],
    });
    expect(Object.keys(options.syntaxSeverity ?? {}).sort()).toEqual(Object.keys(ENGINE_RULES).sort());
    expect(Object.values(options.syntaxSeverity ?? {}).every((s) => s === 'off')).toBe(true);
  });
});
