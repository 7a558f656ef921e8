/**
 * Config discovery, validation and the effective settings. A bad config is a list of problems, each
 * naming the file, the line, the setting and what is allowed; it never throws for bad input.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import { parseDocument, type Document } from 'yaml';
import { LineIndex, locateOffsets } from '../locate.js';
import type { AnyRule, SharedSettings } from '../rule.js';
import type { Severity } from '../types.js';
import { configSchema, SEVERITY_SETTINGS, type SeveritySetting } from './schema.js';

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

export interface Exemption {
  objects?: string[];
  kinds?: string[];
  namespaces?: string[];
  containers?: string[];
  rules?: string[];
  reason: string;
}

export interface CustomRuleConfig {
  id: string;
  severity?: Severity;
  message: string;
  description?: string;
  target: 'object' | 'podSpec' | 'container' | 'mainContainer' | 'sidecar';
  match?: { kinds?: string[]; namespaces?: string[]; labels?: Record<string, string> };
  schema: Record<string, unknown>;
}

/** What a config file says, validated. */
export interface RawConfig {
  rules?: Record<string, SeveritySetting | { severity?: SeveritySetting; options?: Record<string, unknown> }>;
  ignore?: string[];
  settings?: { mainContainerAnnotation?: string; credentialWords?: string[]; allowedKeys?: string[]; namespace?: string; kubeVersion?: string };
  exemptions?: (Omit<Exemption, 'objects' | 'containers'> & { objects?: string | string[]; containers?: string | string[] })[];
  customRules?: CustomRuleConfig[];
  plugins?: string[];
}

export interface LoadedConfig {
  /** Absolute path of the config file, or null when none is used. */
  file: string | null;
  config: RawConfig;
}

/** The first config file found walking up from `start`, or null. */
export function findConfigFile(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
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

function pointerToPath(pointer: string): (string | number)[] {
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

function describeError(e: ErrorObject): string {
  switch (e.keyword) {
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
    case 'additionalProperties':
      return `unknown setting "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `missing required setting "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'type':
      return `must be ${(e.params as { type: string }).type === 'array' ? 'a list' : `a ${(e.params as { type: string }).type}`}`;
    case 'pattern':
      return `must match ${(e.params as { pattern: string }).pattern}`;
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

export interface Locator {
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
 * Validates a config value. `rules` entries get their own checks so that each problem reads well:
 * a severity that is not allowed, an unknown rule id (with a hint), options that break the rule's schema.
 */
export function validateConfig(
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
  const config = value as Record<string, unknown>;
  // Everything but `rules` is checked against the schema.
  const { rules, ...rest } = config;
  const schemaWithoutRules = { ...configSchema, properties: { ...(configSchema.properties as object), rules: {} } };
  const validate = ajv().compile(schemaWithoutRules);
  if (!validate(rest)) {
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      const segments = pointerToPath(e.instancePath);
      if (e.keyword === 'additionalProperties') segments.push((e.params as { additionalProperty: string }).additionalProperty);
      if (e.keyword === 'anyOf') continue; // the branches' own errors say more
      const key = `${settingName(segments)} ${describeError(e)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      at(segments, describeError(e));
    }
  }
  if (rules !== undefined) {
    if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
      at(['rules'], 'must be a mapping of rule id to severity');
    } else {
      const customIds = new Set(
        Array.isArray(config.customRules)
          ? config.customRules.map((r) => (r as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string')
          : [],
      );
      const ids = [...context.rules.keys(), ...customIds];
      for (const [id, setting] of Object.entries(rules as Record<string, unknown>)) {
        const segments = ['rules', id];
        const rule = context.rules.get(id);
        if (!rule && !customIds.has(id)) {
          const hint = didYouMean(id, ids);
          at(segments, `unknown rule "${id}"${hint ? `; did you mean "${hint}"?` : ''}`);
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
        if (entry.options !== undefined && rule) {
          const validateOptions = ajv().compile(rule.meta.options);
          if (!validateOptions(entry.options)) {
            for (const e of validateOptions.errors ?? []) {
              const sub = pointerToPath(e.instancePath);
              if (e.keyword === 'additionalProperties') sub.push((e.params as { additionalProperty: string }).additionalProperty);
              at([...segments, 'options', ...sub], describeError(e));
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
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, problems: [{ file: display, line: 1, column: 1, setting: '', message: `cannot be read (${code})` }] };
  }
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
  return { ok: true, loaded: { file: read.absolute, config: (read.value ?? {}) as RawConfig } };
}

/** Reads, parses and validates one config file. `display` is the name used in messages. */
export async function loadConfigFile(absolute: string, display: string, context: ValidationContext): Promise<LoadResult> {
  const r = readConfigFile(absolute, display);
  if (!r.ok) return r;
  return checkConfig(r.read, context);
}
