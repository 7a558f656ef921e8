/**
 * The rules a run has: the built-in rules, the plugins' rules and the config's custom rules, sorted
 * by id. Built here for the command line and the language server (`setup`) and again in each worker
 * thread (which cannot be sent functions, so it loads the same plugins and custom rules itself):
 * one function, so the threads run the same rules in the same order.
 *
 * Room config: must not import run, format, app.
 */
import type { Ajv } from 'ajv';
import { builtinRules } from '../../rules/index.js';
import type { AnyRule } from '../rule.js';
import { customRule } from './custom-rules.js';
import type { CustomRuleConfig } from './load.js';

/** A custom rule whose schema could not be compiled: its index in `customRules` and why. */
export interface CustomRuleProblem {
  index: number;
  message: string;
}

/** The config's custom rules as rules; the config check has already refused ids that are taken. */
export function customRulesOf(configs: readonly CustomRuleConfig[], ajv: Ajv): { rules: AnyRule[]; problems: CustomRuleProblem[] } {
  const rules: AnyRule[] = [];
  const problems: CustomRuleProblem[] = [];
  configs.forEach((c, index) => {
    try {
      rules.push(customRule(c, ajv));
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
      problems.push({ index, message: `not a valid JSON Schema: ${why}` });
    }
  });
  return { rules, problems };
}

/** The rules of a run, sorted by id: the built-in rules, then those of plugins and custom rules. */
export function ruleSet(pluginRules: readonly AnyRule[] = [], customRules: readonly AnyRule[] = []): AnyRule[] {
  return [...builtinRules, ...pluginRules, ...customRules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}
