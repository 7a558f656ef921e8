/**
 * Code rules from plugins: modules (paths relative to the config file, or package names resolved from
 * it) that export rules with the same shape as the built-in ones. Loaded only when a config names them.
 *
 * Room config: must not import run, format, app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinRules } from '../../rules/index.js';
import { loadAjv } from './load.js';
import { ENGINE_RULES } from './lint-options.js';
import { unknownMessageId, type AnyRule, PLUGIN_RULE_ID } from '../rule.js';
import { SEVERITIES } from '../types.js';
import { importModule } from './module-import.js';

export interface PluginProblem {
  index: number;
  message: string;
}

const RULE_SHAPE = '{ meta: { id, description, defaultSeverity, messages, options }, check }';

/** Why a value is not a rule, or undefined when it is one. */
function notARule(value: unknown): string | undefined {
  const r = value as AnyRule | undefined;
  if (typeof r !== 'object' || r === null) return 'is not an object';
  if (typeof r.check !== 'function') return 'has no check function';
  if (typeof r.meta !== 'object' || r.meta === null) return 'has no meta';
  if (typeof r.meta.id !== 'string' || !PLUGIN_RULE_ID.test(r.meta.id)) return 'has no id in kebab-case (optionally "plugin/rule-id")';
  if (!(SEVERITIES as readonly string[]).includes(r.meta.defaultSeverity)) return `"${r.meta.id}" has no defaultSeverity of ${SEVERITIES.slice(0, -1).join(', ')} or ${SEVERITIES.at(-1)}`;
  if (typeof r.meta.messages !== 'object' || r.meta.messages === null) return `"${r.meta.id}" has no messages`;
  if (typeof r.meta.options !== 'object' || r.meta.options === null) return `"${r.meta.id}" has no options schema (use { type: 'object' } for none)`;
  return undefined;
}

/** The rules a module exports: `export const rules = [...]`, `export default [...]` or `export default { rules }`. */
function rulesOf(mod: Record<string, unknown>): unknown[] | undefined {
  const candidates = [mod.rules, mod.default, (mod.default as { rules?: unknown } | undefined)?.rules];
  for (const c of candidates) if (Array.isArray(c)) return c;
  return undefined;
}

/**
 * The entry of a package that only exports for `import` (which `require.resolve` cannot see): the
 * `exports` field's `.` entry under `import`, `node` or `default`, else `main`, else `index.js`.
 */
function resolveEsmPackage(spec: string, baseDir: string): string | undefined {
  const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(spec);
  if (!m || m[2]) return undefined;
  for (let dir = baseDir; ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', m[1]!);
    const manifest = path.join(root, 'package.json');
    if (existsSync(manifest)) {
      let pkg: { exports?: unknown; main?: unknown };
      try {
        pkg = JSON.parse(readFileSync(manifest, 'utf8')) as typeof pkg;
      } catch {
        return undefined;
      }
      let entry: unknown = pkg.exports;
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && '.' in entry) entry = (entry as Record<string, unknown>)['.'];
      for (let depth = 0; depth < 4 && entry && typeof entry === 'object' && !Array.isArray(entry); depth++) {
        const conditions = entry as Record<string, unknown>;
        entry = conditions.import ?? conditions.node ?? conditions.default;
      }
      const target = typeof entry === 'string' ? entry : typeof pkg.main === 'string' ? pkg.main : 'index.js';
      const file = path.resolve(root, target);
      return existsSync(file) ? file : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A plugin rule whose check or crossCheck throws stops the run with a message that names it. */
function guarded(rule: AnyRule, spec: string): AnyRule {
  const fail = (e: unknown): never => {
    const why = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
    throw new Error(`rule "${rule.meta.id}" of plugin "${spec}" failed: ${why}`);
  };
  const wrapped: AnyRule = {
    meta: rule.meta,
    check(context) {
      // What the engine's report throws (the fast path stops at the first report) passes through.
      let fromEngine: { error: unknown } | undefined;
      const report: typeof context.report = (descriptor) => {
        const problem = unknownMessageId(rule.meta, descriptor.messageId);
        if (problem !== undefined) throw new Error(`it ${problem}`);
        try {
          context.report(descriptor);
        } catch (e) {
          fromEngine = { error: e };
          throw e;
        }
      };
      // Facts are kept after their file is dropped (and cross threads): plain data only.
      const defer: typeof context.defer = (fact) => {
        try {
          structuredClone(fact);
        } catch (e) {
          throw new Error(`a deferred fact must be plain data (JSON-serialisable): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
        context.defer(fact);
      };
      try {
        rule.check({ ...context, report, defer });
      } catch (e) {
        if (fromEngine && fromEngine.error === e) throw e;
        fail(e);
      }
    },
  };
  if (rule.crossCheck) {
    const crossCheck = rule.crossCheck.bind(rule);
    wrapped.crossCheck = (facts, context) => {
      const report: typeof context.report = (descriptor) => {
        const problem = unknownMessageId(rule.meta, descriptor.messageId);
        if (problem !== undefined) throw new Error(`it ${problem}`);
        context.report(descriptor);
      };
      try {
        crossCheck(facts, { ...context, report });
      } catch (e) {
        fail(e);
      }
    };
  }
  return wrapped;
}

export async function loadPlugins(specs: readonly string[], baseDir: string): Promise<{ rules: AnyRule[]; problems: PluginProblem[] }> {
  const rules: AnyRule[] = [];
  const problems: PluginProblem[] = [];
  const taken = new Map<string, string>();
  for (const r of builtinRules) taken.set(r.meta.id, 'a built-in rule');
  for (const id of Object.keys(ENGINE_RULES)) taken.set(id, 'a built-in finding');
  const ajv = await loadAjv();
  for (const [index, spec] of specs.entries()) {
    let file: string | undefined;
    if (spec.startsWith('.') || path.isAbsolute(spec)) {
      file = path.resolve(baseDir, spec);
      if (!existsSync(file)) {
        problems.push({ index, message: `plugin "${spec}" not found (no file ${file})` });
        continue;
      }
    } else {
      try {
        file = createRequire(path.join(baseDir, 'noop.js')).resolve(spec);
      } catch {
        file = resolveEsmPackage(spec, baseDir);
      }
      if (!file) {
        problems.push({ index, message: `plugin "${spec}" not found: no such package in node_modules from ${baseDir}` });
        continue;
      }
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await importModule(pathToFileURL(file).href)) as Record<string, unknown>;
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
      const why = notARule(r);
      if (why !== undefined) {
        problems.push({ index, message: `plugin "${spec}": rule ${i} ${why}; a rule is ${RULE_SHAPE}` });
        return;
      }
      const rule = r as AnyRule;
      const owner = taken.get(rule.meta.id);
      if (owner !== undefined) {
        problems.push({ index, message: `plugin "${spec}": rule id "${rule.meta.id}" is already ${owner}` });
        return;
      }
      try {
        ajv.compile(rule.meta.options);
      } catch (e) {
        const reason = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
        problems.push({ index, message: `plugin "${spec}": rule "${rule.meta.id}" has an options schema that does not compile: ${reason}` });
        return;
      }
      taken.set(rule.meta.id, `a rule of plugin "${spec}"`);
      rules.push(guarded(rule, spec));
    });
  }
  return { rules, problems };
}
