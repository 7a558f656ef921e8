/**
 * Code rules from plugins: modules (paths relative to the config file, or package names resolved from
 * it) that export rules with the same shape as the built-in ones. Loaded only when a config names them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyRule } from './rule.js';

export interface PluginProblem {
  index: number;
  message: string;
}

function isRule(value: unknown): value is AnyRule {
  const r = value as AnyRule | undefined;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.check === 'function' &&
    typeof r.meta === 'object' &&
    r.meta !== null &&
    typeof r.meta.id === 'string' &&
    /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)?$/.test(r.meta.id) &&
    ['error', 'warning', 'info'].includes(r.meta.defaultSeverity) &&
    typeof r.meta.messages === 'object'
  );
}

/** The rules a module exports: `export const rules = [...]`, `export default [...]` or `export default { rules }`. */
function rulesOf(mod: Record<string, unknown>): unknown[] | undefined {
  const candidates = [mod.rules, mod.default, (mod.default as { rules?: unknown } | undefined)?.rules];
  for (const c of candidates) if (Array.isArray(c)) return c;
  return undefined;
}

export async function loadPlugins(specs: readonly string[], baseDir: string): Promise<{ rules: AnyRule[]; problems: PluginProblem[] }> {
  const rules: AnyRule[] = [];
  const problems: PluginProblem[] = [];
  for (const [index, spec] of specs.entries()) {
    let url: string;
    try {
      if (spec.startsWith('.') || path.isAbsolute(spec)) url = pathToFileURL(path.resolve(baseDir, spec)).href;
      else url = pathToFileURL(createRequire(path.join(baseDir, 'noop.js')).resolve(spec)).href;
    } catch {
      problems.push({ index, message: `plugin "${spec}" cannot be found from ${baseDir}` });
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
      problems.push({ index, message: `plugin "${spec}" cannot be loaded: ${why}` });
      continue;
    }
    const exported = rulesOf(mod);
    if (!exported) {
      problems.push({ index, message: `plugin "${spec}" exports no rules (expected \`export const rules = [...]\`)` });
      continue;
    }
    exported.forEach((r, i) => {
      if (isRule(r)) rules.push(r);
      else problems.push({ index, message: `plugin "${spec}": rule ${i} is not a rule ({ meta: { id, defaultSeverity, messages, options }, check })` });
    });
  }
  return { rules, problems };
}
