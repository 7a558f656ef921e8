/**
 * Which inputs are plain manifests and which are Helm charts or Kustomize directories to render.
 * Files under a chart are never parsed as raw YAML (its templates are not YAML); files under a
 * kustomization are linted through its rendered output when a kustomize tool is available.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DiscoveredInput } from '../discover.js';
import jsyaml from 'js-yaml';
import { blockReadOrRejected } from '../../yaml/block-values.js';
import { existsNoFollow, isRegularFile, readFixedFile } from '../read-fixed.js';
import { KUSTOMIZATION_FILES } from '../../model/kustomization.js';

export interface RenderPlan {
  /** Plain manifests to lint as they are. */
  files: DiscoveredInput[];
  /** Chart directories (holding Chart.yaml). */
  charts: string[];
  /** Kustomization directories to render. */
  kustomizations: string[];
  /** Kustomization directories not rendered on their own because another one builds on them. */
  covered: string[];
}

function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The chart directory a file sits in (walking up to the filesystem root), if any. */
function chartRootOf(file: string): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    if (existsSync(path.join(dir, 'Chart.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * A kustomization's value as js-yaml's `load` with the core schema gives it (and throwing where it
 * throws): by the block reader when the text is in its subset (most are), else by js-yaml.
 */
function loadCore(text: string): unknown {
  const read = blockReadOrRejected(text, false, 'core');
  if (read !== undefined && read !== 'rejected' && read.values.length <= 1) return read.values[0];
  return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
}

/** Whether a kustomization directory holds a `kind: Component`. */
function isComponent(dir: string): boolean {
  for (const name of KUSTOMIZATION_FILES) {
    // Never a link, FIFO or device (a committed `Kustomization -> /dev/zero` would never end), bounded.
    const read = readFixedFile(path.join(dir, name));
    if (read.ok) return /^kind:\s*Component\s*$/m.test(read.text);
  }
  return false;
}

/** Local directories a kustomization builds on (`resources`, `bases`, `components` entries that are directories). */
export function referencedDirs(dir: string): string[] {
  for (const name of KUSTOMIZATION_FILES) {
    const read = readFixedFile(path.join(dir, name));
    if (!read.ok) continue;
    const text = read.text;
    let value: unknown;
    try {
      value = loadCore(text);
    } catch {
      return [];
    }
    const k = (value ?? {}) as Record<string, unknown>;
    const entries = ['resources', 'bases', 'components'].flatMap((key) => (Array.isArray(k[key]) ? (k[key] as unknown[]) : []));
    return entries
      .filter((e): e is string => typeof e === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(e) && !e.includes('?'))
      .map((e) => path.resolve(dir, e));
  }
  return [];
}

/** The files of a kustomization directory that no other rendered root (a nested kustomization or chart) covers. */
export function filesOfRoot(inputs: readonly DiscoveredInput[], root: string, otherRoots: readonly string[]): DiscoveredInput[] {
  return inputs.filter(
    (i) => isUnder(i.absolute, root) && !otherRoots.some((o) => o !== root && isUnder(o, root) && isUnder(i.absolute, o)),
  );
}

/**
 * `renderKustomize`: whether kustomizations are rendered (a tool is available and --no-render is
 * off); otherwise their files are linted raw. `explicit`: files named on the command line.
 */
export function planInputs(inputs: readonly DiscoveredInput[], explicit: ReadonlySet<string>, renderKustomize: boolean): RenderPlan {
  const charts = new Set<string>();
  const kustomizations = new Set<string>();
  const dirs = new Set<string>();
  for (const input of inputs) {
    const base = path.basename(input.absolute);
    const dir = path.dirname(input.absolute);
    dirs.add(dir);
    if (base === 'Chart.yaml') charts.add(dir);
    // Kustomizations matter only when they are rendered (otherwise their files are linted raw, and
    // none is returned): their files are not looked at then.
    if (renderKustomize && (KUSTOMIZATION_FILES as readonly string[]).includes(base)) kustomizations.add(dir);
  }
  // Only a regular file makes a kustomization (the walk skips links, FIFOs and devices the same way).
  if (renderKustomize) for (const dir of dirs) if (isRegularFile(path.join(dir, 'Kustomization'))) kustomizations.add(dir);
  // kustomize opens the kustomization names it finds, following links: with a FIFO or a device (a
  // committed `kustomization.yaml -> /dev/zero`) it would wait for a writer or read for ever, so
  // such a directory is linted raw instead.
  for (const dir of [...kustomizations]) {
    if (KUSTOMIZATION_FILES.some((name) => existsNoFollow(path.join(dir, name)) && !isRegularFile(path.join(dir, name), { followLinks: true }))) {
      kustomizations.delete(dir);
    }
  }
  // A Component is only rendered as part of a kustomization that uses it; on its own it is linted raw.
  for (const dir of [...kustomizations]) if (isComponent(dir)) kustomizations.delete(dir);
  // A file named on the command line inside a chart (a pre-commit hook passes them one by one).
  for (const input of inputs) {
    if (!explicit.has(input.absolute)) continue;
    const root = chartRootOf(input.absolute);
    if (root) charts.add(root);
  }
  const chartList = [...charts].sort();
  // A kustomization inside a chart belongs to the chart.
  let kustomizeList = [...kustomizations].filter((k) => !chartList.some((c) => k === c || isUnder(k, c))).sort();
  // A base that another kustomization in the set builds on is linted through that one (what is
  // deployed); its findings map back to the base's files all the same.
  const covered = new Set(kustomizeList.flatMap((k) => referencedDirs(k)));
  const uncovered = kustomizeList.filter((k) => !covered.has(k));
  const coveredList = uncovered.length > 0 ? kustomizeList.filter((k) => covered.has(k)) : [];
  if (uncovered.length > 0) kustomizeList = uncovered;
  const files = inputs.filter((input) => {
    if (chartList.some((c) => isUnder(input.absolute, c))) return false;
    if (renderKustomize && !explicit.has(input.absolute) && kustomizeList.some((k) => isUnder(input.absolute, k))) return false;
    return true;
  });
  return { files, charts: chartList, kustomizations: renderKustomize ? kustomizeList : [], covered: renderKustomize ? coveredList : [] };
}

/** A kustomization entry that names a local file (not a URL, not an inline patch). */
function localFile(entry: unknown): entry is string {
  return typeof entry === 'string' && entry.trim() !== '' && !entry.includes('\n') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) && !entry.includes('?');
}

/**
 * The kustomization of a directory, parsed, or undefined when it has none or it cannot be read.
 * With `mayHold`, also undefined (unparsed) when its text cannot hold what the caller reads (a text
 * with a backslash always may: a key may be written with escapes).
 */
function kustomizationOf(dir: string, mayHold?: (text: string) => boolean): Record<string, unknown> | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    // Read like every file opened by a fixed name: never a link, FIFO or device, and bounded.
    const read = readFixedFile(path.join(dir, name));
    if (!read.ok) continue;
    const text = read.text;
    if (mayHold !== undefined && !mayHold(text) && !text.includes('\\')) return undefined;
    try {
      const value = loadCore(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether a kustomization's text may list patch files: a `patchesStrategicMerge` key, or a `patches`
 * or `patchesJson6902` key and a `path` key (a kustomization whose patches are all inline objects,
 * `patches: [{patch: ...}]`, names none: it is not parsed).
 */
function mayListPatchFiles(text: string): boolean {
  return text.includes('patchesStrategicMerge') || (text.includes('patches') && text.includes('path'));
}

/**
 * The files a kustomization directory lists as patches, as absolute paths: `patches[].path`,
 * `patchesJson6902[].path` and the file entries of `patchesStrategicMerge` (relative to the
 * directory). Inline patches (`patches[].patch`, a YAML text in `patchesStrategicMerge`) live in the
 * kustomization itself and are not files: the engine lints them there (see model/kustomization.ts).
 */
export function patchFilesOf(dir: string): string[] {
  const k = kustomizationOf(dir, mayListPatchFiles);
  if (!k) return [];
  const out: string[] = [];
  const list = (key: string): unknown[] => (Array.isArray(k[key]) ? (k[key] as unknown[]) : []);
  for (const entry of list('patchesStrategicMerge')) if (localFile(entry)) out.push(path.resolve(dir, entry));
  for (const key of ['patches', 'patchesJson6902']) {
    for (const entry of list(key)) {
      const file = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).path : undefined;
      if (localFile(file)) out.push(path.resolve(dir, file));
    }
  }
  return out;
}

/**
 * The files that the kustomizations among the inputs list as patches (absolute paths): a cheap scan
 * of the kustomization files (they are small) before anything is linted, so that each file, linted
 * on its own, knows whether it is a patch.
 */
export function listedPatchFiles(inputs: readonly DiscoveredInput[]): Set<string> {
  const dirs = new Set<string>();
  const seen = new Set<string>();
  for (const input of inputs) {
    const dir = path.dirname(input.absolute);
    if ((KUSTOMIZATION_FILES as readonly string[]).includes(path.basename(input.absolute))) dirs.add(dir);
    else if (!seen.has(dir)) {
      // Looked for once per directory, not once per file in it.
      seen.add(dir);
      // The directory of an absolute path is normalised: joined by hand (path.join normalises again).
      if (existsSync(`${dir.endsWith(path.sep) ? dir : dir + path.sep}Kustomization`)) dirs.add(dir);
    }
  }
  const out = new Set<string>();
  for (const dir of [...dirs].sort()) for (const file of patchFilesOf(dir)) out.add(file);
  return out;
}

/**
 * The names of the ConfigMaps and Secrets a kustomization and the local directories it builds on
 * generate (`configMapGenerator`, `secretGenerator`), recursively: objects no file of the user holds
 * as they are rendered (a generator with `behavior: merge` writes into a resource's object too).
 */
export function generatorNamesOf(dir: string, seen = new Set<string>()): string[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const k = kustomizationOf(dir);
  if (!k) return [];
  const out: string[] = [];
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const entry of Array.isArray(k[key]) ? (k[key] as unknown[]) : []) {
      const name = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).name : undefined;
      if (typeof name === 'string' && name !== '') out.push(name);
    }
  }
  for (const base of referencedDirs(dir)) for (const name of generatorNamesOf(base, seen)) out.push(name);
  return out;
}
