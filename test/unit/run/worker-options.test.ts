/** A worker thread builds the same lint options as the main thread, from its plain spec. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, ENGINE_RULES } from '../../../src/config/lint-options.js';
import { buildOptions } from '../../../src/run/lint-worker.js';
import { effectiveConfig, lintOptionsOf } from '../../../src/config/effective.js';
import { builtinRules } from '../../../rules/index.js';
import { loadAjv } from '../../../src/config/load.js';
import { customRulesOf, ruleSet } from '../../../src/config/rule-set.js';

describe('worker lint options', () => {
  it('carry the configured severity of every engine finding (none is listed by hand)', async () => {
    const rules = Object.fromEntries(Object.keys(ENGINE_RULES).map((id) => [id, { severity: 'off' as const, options: {} }]));
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

  it('are the options the main thread builds from the same config', async () => {
    const config = effectiveConfig(null, { rules: { 'uncoupled-containers': 'off', 'parse-error': 'warning', 'secret-env-var': { severity: 'error' } }, settings: { namespace: 'apps' } }, builtinRules);
    const switches = { exact: true, inlineSuppressions: false, reportUnusedSuppressions: true };
    const main = lintOptionsOf(config, builtinRules, { ...switches, patchFiles: new Set(['patch.yaml']) });
    const worker = await buildOptions({ ...switches, rules: config.rules, settings: config.settings, exemptions: config.exemptions, customRules: [], plugins: [], configDir: '.', patchFiles: ['patch.yaml'] });
    expect(worker).toEqual(main);
    expect(main.rules.map((r) => r.rule.meta.id)).not.toContain('uncoupled-containers');
    expect(main.rules.find((r) => r.rule.meta.id === 'secret-env-var')?.severity).toBe('error');
    expect(main.syntaxSeverity?.['parse-error']).toBe('warning');
  });

  it('run the same rules in the same order as the main thread, custom rules included', async () => {
    const customRules = [
      { id: 'aaa-first', severity: 'warning' as const, message: 'first', target: 'container' as const, schema: { type: 'object' } },
      { id: 'zzz-last', severity: 'info' as const, message: 'last', target: 'object' as const, schema: { type: 'object' } },
    ];
    const config = effectiveConfig(null, { customRules }, ruleSet([], customRulesOf(customRules, await loadAjv()).rules));
    const main = lintOptionsOf(config, ruleSet([], customRulesOf(customRules, await loadAjv()).rules));
    const worker = await buildOptions({ rules: config.rules, settings: config.settings, exemptions: config.exemptions, inlineSuppressions: true, reportUnusedSuppressions: false, customRules, plugins: [], configDir: '.', exact: false, patchFiles: [] });
    const shape = (o: typeof main) => o.rules.map((r) => [r.rule.meta.id, r.severity, r.options]);
    expect(shape(worker)).toEqual(shape(main));
    const ids = main.rules.map((r) => r.rule.meta.id);
    expect(ids[0]).toBe('aaa-first');
    expect(ids.at(-1)).toBe('zzz-last');
    expect(ids).toEqual([...ids].sort());
  });
});
