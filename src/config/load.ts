/**
 * Config discovery, validation and the effective settings. A bad config is a list of problems, each
 * naming the file, the line, the setting and what is allowed; it never throws for bad input.
 *
 * Room config: must not import run, format, app.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { parseDocument, type Document } from 'yaml';
import { LineIndex, locateOffsets } from '../yaml/locate.js';
import { existsNoFollow, readFixedFile } from '../input/read-fixed.js';
import { ALL_RULES, ENGINE_RULES } from './lint-options.js';
import { configSchema, KUBE_VERSION_PATTERN } from './schema.js';
import { RULE_ID_PATTERN, type AnyRule, type JsonSchema } from '../rule.js';
import { SEVERITY_SETTINGS } from '../types.js';
import type { SidecarLintConfig } from './types.generated.js';

/** A config file larger than this is not read. */
const MAX_CONFIG_SIZE = 1024 * 1024;

export const CONFIG_FILE_NAMES = ['.sidecar-lint.yaml', '.sidecar-lint.yml', '.sidecar-lint.json'] as const;

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** The setting, e.g. `rules.secret-in-main-container`. */
  setting: string;
  message: string;
}

export function formatConfigProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.setting ? `\`${p.setting}\`: ` : ''}${p.message}`;
}

/**
 * What a config file says, validated: the type generated from the config's JSON Schema
 * (src/config/types.generated.ts, written by `npm run build:schema`), never written by hand.
 */
export type RawConfig = SidecarLintConfig;

export type CustomRuleConfig = NonNullable<RawConfig['customRules']>[number];

/** An exemption, with its globs as lists (a config may write one glob as a string). */
export type Exemption = Omit<NonNullable<RawConfig['exemptions']>[number], 'objects' | 'containers'> & { objects?: string[]; containers?: string[] };

interface LoadedConfig {
  /** Absolute path of the config file, or null when none is used. */
  file: string | null;
  config: RawConfig;
}

/**
 * The first config file found walking up from `start` to the repository root (the nearest directory
 * holding `.git`, a directory or a file), or null. A config above the repository (in a shared
 * temporary or work directory) does not apply to it. Outside any repository the walk goes on to the
 * file-system root.
 */
export function findConfigFile(start: string): string | null {
  let dir = path.resolve(start);
  const top = repositoryRootOf(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      // A dangling link is no config; a FIFO or a device (or a link to one) is found, and readConfigFile refuses it.
      if (existsSync(candidate)) return candidate;
    }
    if (dir === top) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The nearest directory at or above `dir` that holds an entry named `.git`, or undefined. */
export function repositoryRootOf(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; ) {
    if (existsNoFollow(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  // A word that is the start of exactly one candidate (`mainContainer` → `mainContainerAnnotation`).
  const lower = word.toLowerCase();
  const starts = lower.length >= 4 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (starts.length === 1) return starts[0];
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** A JSON pointer (`/rules/x/0`) as path segments (numbers for array indexes). */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function settingName(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

/** Friendlier words for the patterns of the config schema. */
const PATTERN_NAMES: Record<string, string> = {
  [RULE_ID_PATTERN]: 'must be lowercase letters and digits in words joined by dashes (e.g. "no-latest-tag")',
  [KUBE_VERSION_PATTERN]: 'must be a Kubernetes version such as "1.29"',
};

/** The schema node an ajv schemaPath (`#/properties/settings/additionalProperties`) points at. */
function schemaAt(root: JsonSchema, schemaPath: string): JsonSchema | undefined {
  let node: unknown = root;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as JsonSchema) : undefined;
}

function describeError(e: ErrorObject, root?: JsonSchema): string {
  switch (e.keyword) {
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
    case 'additionalProperties': {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      const parent = root ? schemaAt(root, e.schemaPath.replace(/\/additionalProperties$/, '')) : undefined;
      const allowed = Object.keys((parent?.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
      if (allowed.length === 0) return `unknown setting "${name}"; none are allowed here`;
      const hint = didYouMean(name, allowed);
      return `unknown setting "${name}"; ${hint ? `did you mean "${hint}"? ` : ''}allowed: ${allowed.join(', ')}`;
    }
    case 'required':
      return `missing required setting "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'type': {
      const types = String((e.params as { type: string }).type).split(',');
      return `must be ${types.map((t) => TYPE_NAMES[t] ?? `a ${t}`).join(' or ')}`;
    }
    case 'pattern': {
      const pattern = (e.params as { pattern: string }).pattern;
      return PATTERN_NAMES[pattern] ?? `must match ${pattern}`;
    }
    case 'minLength':
      return 'must not be empty';
    case 'minItems':
      return 'must not be an empty list';
    default:
      return e.message ?? 'is not allowed here';
  }
}

let ajvInstance: Ajv | undefined;
/** ajv is loaded only when a config or a custom rule needs it, to keep start-up fast. */
export async function loadAjv(): Promise<Ajv> {
  if (!ajvInstance) {
    const { Ajv } = await import('ajv');
    ajvInstance = new Ajv({ allErrors: true, strict: false });
  }
  return ajvInstance;
}
function ajv(): Ajv {
  if (!ajvInstance) throw new Error('ajv not loaded');
  return ajvInstance;
}

interface Locator {
  (segments: readonly (string | number)[]): { line: number; column: number };
}

function locatorFor(doc: Document | undefined, text: string): Locator {
  const lines = new LineIndex(text);
  return (segments) => {
    if (!doc) return { line: 1, column: 1 };
    const [start] = locateOffsets(doc, segments);
    const { line, column } = lines.position(start);
    return { line, column };
  };
}

export interface ValidationContext {
  rules: ReadonlyMap<string, AnyRule>;
}

/**
 * The schema every part of the config but `rules` is checked against (`rules` gets its own checks,
 * which know the plugins' and custom rules' ids). A custom rule's own `schema` is checked by compiling
 * it (one line saying why it does not compile), not against the meta-schema the editor uses.
 */
let configValidator: ValidateFunction | undefined;
function validatorWithoutRules(): ValidateFunction {
  const properties = configSchema.properties as Record<string, JsonSchema>;
  const custom = properties.customRules!;
  const items = custom.items as JsonSchema;
  const runtime = {
    ...configSchema,
    properties: {
      ...properties,
      rules: {},
      customRules: { ...custom, items: { ...items, properties: { ...(items.properties as object), schema: { type: 'object' } } } },
    },
  };
  // Compiled once: ajv refuses a second schema with the same $id.
  configValidator ??= ajv().compile(runtime);
  return configValidator;
}

/** "a non-empty string" for `{ type: 'string', minLength: 1 }`, and so on. */
function describeBranch(schema: JsonSchema): string {
  const type = String(schema.type ?? 'value');
  const name = TYPE_NAMES[type] ?? `a ${type}`;
  return schema.minLength || schema.minItems ? name.replace(/^an? /, 'a non-empty ') : name;
}

/**
 * One problem per `anyOf` (a name or a list of names): when the value has the type of a branch, that
 * branch's deeper errors say what is wrong; otherwise one message names the allowed shapes. The
 * other branches' errors at the same place are left out.
 */
function withoutBranchErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  const dropped = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf') continue;
    const inBranch = (x: ErrorObject) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`);
    const deeper = errors.some((x) => inBranch(x) && x.instancePath.startsWith(`${e.instancePath}/`));
    for (const x of errors) if (inBranch(x) && x.instancePath === e.instancePath) dropped.add(x);
    if (deeper) dropped.add(e);
  }
  for (const e of errors) {
    if (dropped.has(e)) continue;
    if (e.keyword === 'anyOf') {
      const branches = (schemaAt(configSchema, e.schemaPath) as unknown as JsonSchema[] | undefined) ?? [];
      out.push({ ...e, keyword: 'anyOf', message: `must be ${branches.map(describeBranch).join(' or ')}` });
    } else {
      out.push(e);
    }
  }
  return out;
}

/** Options schema of the engine's own findings: they take none. */
const NO_OPTIONS: JsonSchema = { type: 'object', additionalProperties: false };

/**
 * Validates a config value. `rules` entries get their own checks so that each problem reads well:
 * a severity that is not allowed, an unknown rule id (with a hint), options that break the rule's schema.
 */
function validateConfig(
  value: unknown,
  file: string,
  locate: Locator,
  context: ValidationContext,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (segments: readonly (string | number)[], message: string) => {
    const { line, column } = locate(segments);
    problems.push({ file, line, column, setting: settingName(segments), message });
  };
  if (value === null || value === undefined) return problems; // an empty file is an empty config
  if (typeof value !== 'object' || Array.isArray(value)) {
    at([], 'the config must be a mapping of settings');
    return problems;
  }
  // A section left empty (`ignore:` with every entry commented out) is a section not set.
  const config = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null));
  const { rules, ...rest } = config;
  const validate = validatorWithoutRules();
  if (!validate(rest)) {
    const seen = new Set<string>();
    for (const e of withoutBranchErrors(validate.errors ?? [])) {
      const segments = pointerToPath(e.instancePath);
      if (e.keyword === 'additionalProperties') segments.push((e.params as { additionalProperty: string }).additionalProperty);
      let message = describeError(e, configSchema);
      if (e.instancePath === '/settings/kubeVersion' && e.keyword === 'type' && typeof (config.settings as { kubeVersion?: unknown }).kubeVersion === 'number') {
        message = 'must be a quoted string such as "1.29" (unquoted, 1.30 is the number 1.3)';
      }
      const key = `${settingName(segments)} ${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      at(segments, message);
    }
  }
  const customRules = Array.isArray(config.customRules) ? (config.customRules as unknown[]) : [];
  const customIds = new Set<string>();
  customRules.forEach((r, i) => {
    const id = (r as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    if (context.rules.has(id) || Object.hasOwn(ENGINE_RULES, id)) at(['customRules', i, 'id'], `"${id}" is already a rule id; choose another`);
    else if (customIds.has(id)) at(['customRules', i, 'id'], `"${id}" is already the id of an earlier custom rule`);
    customIds.add(id);
  });
  const ids = [...context.rules.keys(), ...Object.keys(ENGINE_RULES), ...customIds];
  const unknownRule = (id: string) => {
    const hint = didYouMean(id, ids);
    return `unknown rule "${id}"${hint ? `; did you mean "${hint}"?` : ''}`;
  };
  if (Array.isArray(config.exemptions)) {
    (config.exemptions as unknown[]).forEach((e, i) => {
      const exemption = e as Record<string, unknown> | null;
      if (exemption === null || typeof exemption !== 'object' || Array.isArray(exemption)) return;
      if (!['objects', 'kinds', 'namespaces', 'containers', 'rules'].some((k) => exemption[k] !== undefined)) {
        at(['exemptions', i], 'must name at least one of objects, kinds, namespaces, containers, rules (an exemption of everything would switch the linter off)');
      }
      if (!Array.isArray(exemption.rules)) return;
      exemption.rules.forEach((id, j) => {
        if (typeof id !== 'string' || id === ALL_RULES) return;
        if (Object.hasOwn(ENGINE_RULES, id)) {
          at(['exemptions', i, 'rules', j], `"${id}" is a finding of the engine, which exemptions do not cover; set \`rules: { ${id}: off }\` instead`);
        } else if (!ids.includes(id)) {
          at(['exemptions', i, 'rules', j], unknownRule(id));
        }
      });
    });
  }
  if (rules !== undefined) {
    if (typeof rules !== 'object' || Array.isArray(rules)) {
      at(['rules'], 'must be a mapping of rule id to severity');
    } else {
      for (const [id, setting] of Object.entries(rules as Record<string, unknown>)) {
        const segments = ['rules', id];
        const rule = context.rules.get(id);
        const engine = Object.hasOwn(ENGINE_RULES, id);
        if (!rule && !engine && !customIds.has(id)) {
          at(segments, unknownRule(id));
          continue;
        }
        const allowed = SEVERITY_SETTINGS.join(', ');
        if (typeof setting === 'string') {
          if (!(SEVERITY_SETTINGS as readonly string[]).includes(setting)) at(segments, `must be one of ${allowed}`);
          continue;
        }
        if (setting === null || typeof setting !== 'object' || Array.isArray(setting)) {
          at(segments, `must be one of ${allowed}, or { severity, options }`);
          continue;
        }
        const entry = setting as Record<string, unknown>;
        for (const key of Object.keys(entry)) {
          if (key !== 'severity' && key !== 'options') at([...segments, key], `unknown setting "${key}"; allowed: severity, options`);
        }
        if (entry.severity !== undefined && !(SEVERITY_SETTINGS as readonly string[]).includes(entry.severity as string)) {
          at([...segments, 'severity'], `must be one of ${allowed}`);
        }
        const optionsSchema = rule?.meta.options ?? (engine ? NO_OPTIONS : undefined);
        if (entry.options !== undefined && optionsSchema) {
          const validateOptions = ajv().compile(optionsSchema);
          if (!validateOptions(entry.options)) {
            for (const e of validateOptions.errors ?? []) {
              const sub = pointerToPath(e.instancePath);
              if (e.keyword === 'additionalProperties') sub.push((e.params as { additionalProperty: string }).additionalProperty);
              at([...segments, 'options', ...sub], describeError(e, optionsSchema));
            }
          }
        }
      }
    }
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return problems;
}

export type LoadResult = { ok: true; loaded: LoadedConfig } | { ok: false; problems: ConfigProblem[] };

/** A config file read and parsed, not yet validated. */
export interface ReadConfig {
  absolute: string;
  display: string;
  value: unknown;
  locate: Locator;
}

/** Reads and parses one config file (YAML or JSON). */
export function readConfigFile(absolute: string, display: string): { ok: true; read: ReadConfig } | { ok: false; problems: ConfigProblem[] } {
  // A link is followed to a regular file only: never to a device, never waiting on a FIFO, bounded.
  const read = readFixedFile(absolute, { followLinks: true, maxBytes: MAX_CONFIG_SIZE });
  if (!read.ok) {
    const message =
      read.reason === 'special'
        ? `is ${read.detail}, not a regular file`
        : read.reason === 'large'
          ? `is too large (${read.detail})`
          : `cannot be read (${read.detail})`;
    return { ok: false, problems: [{ file: display, line: 1, column: 1, setting: '', message }] };
  }
  let text = read.text;
  text = text.replace(/^\uFEFF/, '');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const lines = new LineIndex(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, column } = lines.position(e.pos[0]);
    const message = (e.message.split('\n', 1)[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').split(':', 1)[0];
    return { ok: false, problems: [{ file: display, line, column, setting: '', message: `not valid YAML or JSON: ${message}` }] };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return { ok: false, problems: [{ file: display, line: 1, column: 1, setting: '', message: 'cannot be read as data' }] };
  }
  return { ok: true, read: { absolute, display, value, locate: locatorFor(doc, text) } };
}

/** Validates a read config against the schema and the known rules. */
export async function checkConfig(read: ReadConfig, context: ValidationContext): Promise<LoadResult> {
  await loadAjv();
  const problems = validateConfig(read.value, read.display, read.locate, context);
  if (problems.length > 0) return { ok: false, problems };
  const value = (read.value ?? {}) as Record<string, unknown>;
  const config = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as RawConfig;
  return { ok: true, loaded: { file: read.absolute, config } };
}
