/**
 * Baselines: accept the findings a repository has today and fail only on new ones.
 *
 * A finding is matched by a fingerprint that survives edits elsewhere in the file: the rule id, the
 * file (repository-relative, `/`-separated), the object (apiVersion, kind, namespace, name), the
 * container and the finding's path inside the object — never its line. Each fingerprint carries a
 * count, so a second identical finding is new. The file holds names only (rule ids, file, object and
 * container names, map keys and list indexes of the path), never a value of the manifests.
 *
 * Everything here is pure apart from `readBaseline`/`writeBaseline`.
 *
 * Room run: must not import format, app, rules/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, Path } from '../types.js';

export const BASELINE_FILE_NAME = '.sidecar-lint-baseline.json';
const BASELINE_SCHEMA_URI = 'https://sidecar-lint.dev/schema/baseline.schema.json';
const BASELINE_VERSION = 1;

/** One fingerprint and how many findings it accepts. */
interface BaselineEntry {
  rule: string;
  file: string;
  object: { apiVersion: string | null; kind: string | null; namespace: string | null; name: string | null } | null;
  container: string | null;
  /** The finding's path inside its object (map keys and list indexes), or null for a finding on the file. */
  path: (string | number)[] | null;
  count: number;
}

export interface BaselineFile {
  $schema: string;
  version: number;
  findings: BaselineEntry[];
}

/** The JSON Schema of the baseline file (written to schema/ by scripts/build-schema.mjs). */
export const baselineSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: BASELINE_SCHEMA_URI,
  title: 'sidecar-lint baseline',
  description:
    'Findings accepted as they are (written by sidecar-lint --baseline-create). Only names: rule ids, files, objects, containers and paths, never a value.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'findings'],
  properties: {
    $schema: { type: 'string' },
    version: { const: BASELINE_VERSION },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'file', 'object', 'container', 'path', 'count'],
        properties: {
          rule: { type: 'string', minLength: 1, description: 'The rule id.' },
          file: { type: 'string', minLength: 1, description: 'The file, relative to the repository root, with / separators.' },
          object: {
            description: 'The object the finding is on, or null for a finding on the file.',
            anyOf: [
              { type: 'null' },
              {
                type: 'object',
                additionalProperties: false,
                required: ['apiVersion', 'kind', 'namespace', 'name'],
                properties: {
                  apiVersion: { type: ['string', 'null'] },
                  kind: { type: ['string', 'null'] },
                  namespace: { type: ['string', 'null'] },
                  name: { type: ['string', 'null'] },
                },
              },
            ],
          },
          container: { type: ['string', 'null'] },
          path: {
            description: 'The path of the reported node inside the object: map keys and list indexes.',
            anyOf: [{ type: 'null' }, { type: 'array', items: { type: ['string', 'integer'] } }],
          },
          count: { type: 'integer', minimum: 1, description: 'How many findings with this fingerprint are accepted.' },
        },
      },
    },
  },
} as const;

/** How file names in findings become repository-relative names. */
export interface FileNaming {
  /** The directory finding file names are relative to. */
  cwd: string;
  /** The repository root (where `.git` is); the working directory when there is none. */
  root: string;
}

/** The repository-relative, `/`-separated name of a finding's file (`<stdin>` and the like stay as they are). */
export function baselineFileName(file: string, naming: FileNaming): string {
  if (file.startsWith('<') && file.endsWith('>')) return file;
  const absolute = path.resolve(naming.cwd, file);
  const rel = path.relative(naming.root, absolute);
  if (rel === '' || path.isAbsolute(rel)) return absolute.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

function entryOf(f: Finding, naming: FileNaming): Omit<BaselineEntry, 'count'> {
  return {
    rule: f.ruleId,
    file: baselineFileName(f.file, naming),
    object: f.object
      ? { apiVersion: f.object.apiVersion, kind: f.object.kind, namespace: f.object.namespace, name: f.object.name }
      : null,
    container: f.container,
    path: f.path ? [...f.path] : null,
  };
}

/** The fingerprint of a finding or an entry, as one string (JSON of the fields in a fixed order). */
function fingerprintKey(e: Omit<BaselineEntry, 'count'>): string {
  return JSON.stringify([e.rule, e.file, e.object && [e.object.apiVersion, e.object.kind, e.object.namespace, e.object.name], e.container, e.path]);
}

function fingerprint(f: Finding, naming: FileNaming): string {
  return fingerprintKey(entryOf(f, naming));
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const ka = [a.file, a.rule, fingerprintKey(a)];
  const kb = [b.file, b.rule, fingerprintKey(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** A baseline of these findings (the caller leaves suppressed ones out), sorted. */
export function createBaseline(findings: readonly Finding[], naming: FileNaming): BaselineFile {
  const byKey = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const e = entryOf(f, naming);
    const key = fingerprintKey(e);
    const found = byKey.get(key);
    if (found) found.count++;
    else byKey.set(key, { ...e, count: 1 });
  }
  return { $schema: BASELINE_SCHEMA_URI, version: BASELINE_VERSION, findings: [...byKey.values()].sort(compareEntries) };
}

/**
 * The file's text: sorted, one key order, two-space indentation, one entry's fields together, and a
 * final newline, so that a change to the baseline is a small diff.
 */
export function serializeBaseline(baseline: BaselineFile): string {
  const entries = [...baseline.findings].sort(compareEntries).map((e) => {
    const ordered: BaselineEntry = {
      rule: e.rule,
      file: e.file,
      object: e.object && { apiVersion: e.object.apiVersion, kind: e.object.kind, namespace: e.object.namespace, name: e.object.name },
      container: e.container,
      path: e.path,
      count: e.count,
    };
    return `    ${JSON.stringify(ordered)}`;
  });
  const list = entries.length === 0 ? '[]' : `[\n${entries.join(',\n')}\n  ]`;
  return `{\n  "$schema": ${JSON.stringify(BASELINE_SCHEMA_URI)},\n  "version": ${BASELINE_VERSION},\n  "findings": ${list}\n}\n`;
}

/** Checks a parsed baseline file by hand (the same shape as `baselineSchema`); returns a problem or the file. */
function validateBaseline(value: unknown): BaselineFile | string {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (v: unknown) => v === null || typeof v === 'string';
  if (!isObj(value)) return 'not a JSON object';
  if (value.version !== BASELINE_VERSION) return `version must be ${BASELINE_VERSION}`;
  if (!Array.isArray(value.findings)) return '"findings" must be a list';
  for (const [i, e] of value.findings.entries()) {
    const where = `findings[${i}]`;
    if (!isObj(e)) return `${where} is not an object`;
    if (typeof e.rule !== 'string' || e.rule === '') return `${where}.rule must be a rule id`;
    if (typeof e.file !== 'string' || e.file === '') return `${where}.file must be a file name`;
    if (e.object !== null) {
      if (!isObj(e.object) || !['apiVersion', 'kind', 'namespace', 'name'].every((k) => str((e.object as Record<string, unknown>)[k]))) {
        return `${where}.object must be null or { apiVersion, kind, namespace, name }`;
      }
    }
    if (!str(e.container)) return `${where}.container must be a name or null`;
    if (e.path !== null && !(Array.isArray(e.path) && e.path.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p))))) {
      return `${where}.path must be null or a list of keys and indexes`;
    }
    if (typeof e.count !== 'number' || !Number.isInteger(e.count) || e.count < 1) return `${where}.count must be a whole number of at least 1`;
  }
  return value as unknown as BaselineFile;
}

/** Reads and checks a baseline file; a problem is a line for stderr. */
export function readBaseline(file: string, display: string): BaselineFile | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: `baseline ${display}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { problem: `baseline ${display}: not valid JSON` };
  }
  const checked = validateBaseline(value);
  return typeof checked === 'string' ? { problem: `baseline ${display}: ${checked}` } : checked;
}

/** A baseline entry that matched fewer findings than it accepts. */
export interface StaleEntry {
  entry: BaselineEntry;
  /** How many of its findings are gone. */
  unmatched: number;
}

export interface BaselineMatch {
  /** Findings the baseline does not accept. */
  fresh: Finding[];
  /** Findings it accepts (marked `baselined: true`). */
  baselined: Finding[];
  /** Entries that match fewer findings than they accept, among the files `considered`. */
  stale: StaleEntry[];
  /** The baseline without what is stale (what --baseline-prune writes). */
  pruned: BaselineFile;
}

/**
 * Splits findings (not suppressed, sorted) into accepted and new. An entry accepts up to `count`
 * findings with its fingerprint, the first ones in file order. `considered(file)` says whether an
 * entry's file was linted in this run (or no longer exists): only those entries can be stale, so that
 * linting part of a repository does not call the rest of its baseline stale.
 */
export function matchBaseline(
  findings: readonly Finding[],
  baseline: BaselineFile,
  naming: FileNaming,
  considered: (file: string) => boolean,
): BaselineMatch {
  const left = new Map<string, number>();
  for (const e of baseline.findings) {
    const key = fingerprintKey(e);
    left.set(key, (left.get(key) ?? 0) + e.count);
  }
  const fresh: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) {
    const key = fingerprint(f, naming);
    const n = left.get(key) ?? 0;
    if (n > 0) {
      left.set(key, n - 1);
      baselined.push({ ...f, baselined: true });
    } else {
      fresh.push(f);
    }
  }
  const stale: StaleEntry[] = [];
  const kept: BaselineEntry[] = [];
  // Entries with the same fingerprint (a hand-merged file) share what is left, first ones first.
  const unmatchedByKey = new Map(left);
  for (const e of baseline.findings) {
    const key = fingerprintKey(e);
    const remaining = unmatchedByKey.get(key) ?? 0;
    const unmatched = Math.min(e.count, remaining);
    const matchedHere = e.count - unmatched;
    unmatchedByKey.set(key, remaining - unmatched);
    if (unmatched > 0 && considered(e.file)) {
      stale.push({ entry: e, unmatched });
      if (matchedHere > 0) kept.push({ ...e, count: matchedHere });
    } else {
      kept.push(e);
    }
  }
  stale.sort((a, b) => compareEntries(a.entry, b.entry));
  return { fresh, baselined, stale, pruned: { $schema: BASELINE_SCHEMA_URI, version: BASELINE_VERSION, findings: kept.sort(compareEntries) } };
}

/** A stale entry as one line for people: names only. */
export function describeStale(s: StaleEntry): string {
  const e = s.entry;
  const object = e.object ? `${e.object.kind ?? '?'} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name ?? '?'}` : 'the file';
  const where = [object, ...(e.container ? [`container "${e.container}"`] : []), ...(e.path ? [pathText(e.path)] : [])].join(', ');
  const count = e.count > 1 ? ` (${s.unmatched} of ${e.count} gone)` : '';
  return `${e.file}: ${e.rule} on ${where}${count}`;
}

/** `spec.containers[0].env` for a path. */
function pathText(p: Path): string {
  let out = '';
  for (const part of p) out += typeof part === 'number' ? `[${part}]` : /^[A-Za-z_][\w-]*$/.test(part) ? `${out ? '.' : ''}${part}` : `[${JSON.stringify(part)}]`;
  return out || '(root)';
}

/** Where a file of a baseline entry lives, to tell a deleted file from one not linted in this run. */
export function entryFileExists(file: string, naming: FileNaming): boolean {
  if (file.startsWith('<')) return true;
  return existsSync(path.resolve(naming.root, file));
}
