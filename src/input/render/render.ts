/**
 * Rendering Helm charts and Kustomize directories, and mapping findings in the rendered output back
 * to the source files they came from.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFixedFile } from '../read-fixed.js';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { displayPath } from '../discover.js';
import { embeddedLocator, embeddedObjects } from '../../model/embedded.js';
import { documentLocator, LineIndex } from '../../yaml/locate.js';
import { KUSTOMIZATION_FILES } from '../../model/kustomization.js';
import { asMap, asString, objectsOfDocument } from '../../model/objects.js';
import { parseText } from '../../yaml/parse.js';
import type { Document } from 'yaml';
import type { Finding, ObjectRef, Path } from '../../types.js';
import { patchFilesOf, referencedDirs } from './plan.js';
import { helmSegments, segmentAt, stripHelmNotes } from './helm-stream.js';
import { renderEnvironment } from './render-error.js';
import { runCommand, showCommand, which } from './tools.js';

/** A render's output, or the command that failed (for messages) and its stderr (never printed as it is: see render-error.ts). */
export type RenderResult = { ok: true; text: string } | { ok: false; command: string; stderr: string };

/** The kustomize command available: `kustomize build` or `kubectl kustomize`, or undefined. */
export function kustomizeTool(env: NodeJS.ProcessEnv): { file: string; args: (dir: string) => string[] } | undefined {
  const kustomize = which('kustomize', env.PATH);
  if (kustomize) return { file: kustomize, args: (dir) => ['build', dir] };
  const kubectl = which('kubectl', env.PATH);
  if (kubectl) return { file: kubectl, args: (dir) => ['kustomize', dir] };
  return undefined;
}

export function helmTool(env: NodeJS.ProcessEnv): string | undefined {
  return which('helm', env.PATH);
}

/**
 * Renders a kustomization directory with kustomize's own load restrictions (files must stay inside
 * the kustomization's root; bases are directories with their own kustomization), so a linted tree
 * cannot make the render read files from elsewhere. kustomize plugins and functions stay off.
 */
export async function renderKustomize(dir: string, env: NodeJS.ProcessEnv, cwd: string): Promise<RenderResult> {
  const tool = kustomizeTool(env);
  const shown = displayPath(dir, cwd);
  if (!tool) return { ok: false, command: 'kustomize build', stderr: 'no kustomize or kubectl on PATH' };
  const r = await runCommand(tool.file, tool.args(dir), cwd, renderEnvironment(env, 'kustomize'));
  if (r.ok) return { ok: true, text: r.stdout };
  return { ok: false, command: showCommand(tool.file, tool.args(shown)), stderr: r.stderr };
}

/**
 * The resource files a kustomization builds from: its `resources` files, and those of the local
 * directories it builds on (`resources`, `bases`, `components`), recursively. Patches are left out:
 * they are fragments of objects whose resource file is the better place to point at.
 */
export function resourceFilesOf(dir: string, seen = new Set<string>()): string[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  let k: Record<string, unknown> | undefined;
  for (const name of KUSTOMIZATION_FILES) {
    try {
      const read = readFixedFile(path.join(dir, name)); // never a link, FIFO or device; bounded
      if (!read.ok) continue;
      k = (jsyaml.load(read.text, { schema: jsyaml.CORE_SCHEMA }) ?? {}) as Record<string, unknown>;
      break;
    } catch {
      // next name, or not readable
    }
  }
  if (!k || typeof k !== 'object') return [];
  const out: string[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    const list = Array.isArray(k[key]) ? (k[key] as unknown[]) : [];
    for (const entry of list) {
      if (typeof entry !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.includes('?')) continue;
      const target = path.resolve(dir, entry);
      let isDir: boolean;
      try {
        isDir = statSync(target).isDirectory();
      } catch {
        continue;
      }
      if (isDir) for (const f of resourceFilesOf(target, seen)) out.push(f);
      else out.push(target);
    }
  }
  return out;
}

export interface HelmOptions {
  valuesFiles: readonly string[];
  set: readonly string[];
}

/** Renders a chart with `helm template` (the chart's own values.yaml, plus the given values and --set). */
export async function renderHelm(chartDir: string, options: HelmOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<RenderResult> {
  const helm = helmTool(env);
  if (!helm) return { ok: false, command: 'helm template', stderr: 'helm is not on PATH' };
  const args = ['template', 'release-name', chartDir];
  for (const v of options.valuesFiles) args.push('--values', path.resolve(cwd, v));
  for (const s of options.set) args.push('--set', s);
  const r = await runCommand(helm, args, cwd, renderEnvironment(env, 'helm'));
  if (!r.ok) {
    // The command as shown: the chart by its display name; --set values are the user's, not shown either.
    const shown = ['template', 'release-name', displayPath(chartDir, cwd)];
    return { ok: false, command: showCommand(helm, shown), stderr: r.stderr };
  }
  return { ok: true, text: stripHelmNotes(r.stdout) };
}




/**
 * Where a kustomization's patches are: a file it lists (see `patchFilesOf`), or, `inline`, the
 * kustomization file itself, whose inline patches (`patches[].patch`, YAML texts in
 * `patchesStrategicMerge`) are written in its strings.
 */
export interface PatchSource {
  file: string;
  inline?: boolean;
}

/** The kustomization file of a directory, if it has one. */
function kustomizationFileOf(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The patches a kustomization applies: its patch files (see `patchFilesOf`) and its inline patches,
 * its own first, then those of the local directories it builds on, recursively.
 */
export function patchFilesDeep(dir: string, seen = new Set<string>()): PatchSource[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const out: PatchSource[] = patchFilesOf(dir).map((file) => ({ file }));
  const own = kustomizationFileOf(dir);
  if (own) out.push({ file: own, inline: true });
  for (const base of referencedDirs(dir)) {
    let isDir: boolean;
    try {
      isDir = statSync(base).isDirectory();
    } catch {
      continue;
    }
    if (isDir) for (const f of patchFilesDeep(base, seen)) out.push(f);
  }
  return out;
}

/** One step of a path, with list items named by their `name` (the merge key of containers, env, volumes…). */
type Step = { key: string } | { index: number; name?: string };

/** The steps of a path in a rendered object: list items that have a `name` are known by it. */
function stepsOf(value: unknown, path: Path): Step[] {
  const steps: Step[] = [];
  let v = value;
  for (const segment of path) {
    if (typeof segment === 'number' && Array.isArray(v)) {
      const item = asMap(v[segment]);
      const name = asString(item?.name);
      steps.push(name === undefined ? { index: segment } : { index: segment, name });
      v = v[segment];
    } else {
      steps.push({ key: String(segment) });
      v = asMap(v)?.[String(segment)];
    }
  }
  return steps;
}

/**
 * The path in a source object of the node that the steps lead to, as far as it exists there, and
 * whether it exists entirely. Named list items are found by name; unnamed ones by index (`byIndex`).
 */
function resolveSteps(value: unknown, steps: readonly Step[], byIndex: boolean): { path: (string | number)[]; whole: boolean; node: unknown } {
  const path: (string | number)[] = [];
  let v = value;
  for (const step of steps) {
    if ('key' in step) {
      const m = asMap(v);
      if (!m || !Object.hasOwn(m, step.key)) return { path, whole: false, node: v };
      path.push(step.key);
      v = m[step.key];
      continue;
    }
    if (!Array.isArray(v)) return { path, whole: false, node: v };
    const at = step.name !== undefined ? v.findIndex((item) => asMap(item)?.name === step.name) : byIndex && step.index < v.length ? step.index : -1;
    if (at < 0) return { path, whole: false, node: v };
    path.push(at);
    v = v[at];
  }
  return { path, whole: true, node: v };
}

/** A node a patch writes outright: a scalar, or an entry of scalars (`{name, value}`), not a structure it merges into. */
function isWrittenLeaf(node: unknown): boolean {
  const m = asMap(node);
  if (!m) return !Array.isArray(node);
  return Object.values(m).every((v) => v === null || typeof v !== 'object');
}

/**
 * Told of each finding mapped to the node itself in a resource file (not a patch, not an ancestor,
 * not an object a generator made or merges into): where `--fix` may fix it in that file, when linting
 * the file on its own gives the same finding (see src/app/fix-run.ts).
 */
export interface LiteralSink {
  /** Generator names (`generatorNamesOf`): a rendered ConfigMap or Secret whose name holds one is generated. */
  generated: readonly string[];
  found(mapped: Finding, file: string): void;
}

/**
 * Findings in kustomize output → the file that wrote the reported node. A patch the kustomization
 * (or a base) applies to the same object (a patch file, or an inline patch, found inside the
 * kustomization's string), when the patch writes that node (a value, an entry of
 * values, or something the resource file does not have); otherwise the resource file that defines
 * the object (same kind; the same name, or one that a name prefix or suffix turned into the rendered
 * name), at the same node or its nearest ancestor; otherwise the kustomization file, with the line
 * in the rendered output in the message. List items are matched by name (strategic merge does the
 * same), so a patch that adds a container or env var before others does not shift the mapping.
 */
export function mapKustomizeFindings(
  findings: readonly Finding[],
  candidates: readonly string[],
  kustomization: string,
  cwd: string,
  patches: readonly PatchSource[] = [],
  rendered?: string,
  literal?: LiteralSink,
): Finding[] {
  const fallback = displayPath(kustomization, cwd);
  const parsed = new Map<string, ReturnType<typeof objectsIn>>();
  const objectsOfFile = (file: string, kind: SourceKind) => {
    const id = `${kind}\u0000${file}`;
    if (!parsed.has(id)) parsed.set(id, objectsIn(file, kind));
    return parsed.get(id)!;
  };
  let renderedObjects: SourceObject[] | undefined;
  const renderedValue = (want: ObjectRef): unknown => {
    renderedObjects ??= rendered === undefined ? [] : (objectsInText(rendered, 'resource', '')?.objects ?? []);
    const hit = renderedObjects.find((o) => o.ref.kind === want.kind && o.ref.name === want.name && o.ref.namespace === want.namespace);
    return hit?.value;
  };
  const sources = (files: readonly string[]): PatchSource[] => files.map((file) => ({ file }));
  const matching = (from: readonly PatchSource[], want: ObjectRef, patch: boolean): { file: string; object: SourceObject }[] => {
    const out: { file: string; object: SourceObject; exact: boolean }[] = [];
    for (const { file, inline } of from) {
      for (const object of objectsOfFile(file, inline ? 'inline' : patch ? 'patch' : 'resource')?.objects ?? []) {
        if (object.ref.kind !== want.kind || object.ref.name === null || want.name === null) continue;
        const exact = object.ref.name === want.name;
        if (!exact && !want.name.includes(object.ref.name)) continue;
        out.push({ file, object, exact });
      }
    }
    // The exact name first, then the longest name a prefix or suffix was added to.
    return out.sort((a, b) => Number(b.exact) - Number(a.exact) || (b.object.ref.name ?? '').length - (a.object.ref.name ?? '').length);
  };
  const at = (f: Finding, file: string, object: SourceObject, path: Path): Finding => {
    const written = object.sourcePath ? object.sourcePath(path) : path;
    const [start, end] = object.locate([...object.path, ...written]);
    return { ...f, file: displayPath(file, cwd), ...object.lines.range(start, end) };
  };
  return findings.map((f) => {
    const want = f.object;
    if (want) {
      const value = renderedValue(want);
      const steps = value === undefined ? (f.path ?? []).map((s): Step => (typeof s === 'number' ? { index: s } : { key: s })) : stepsOf(value, f.path ?? []);
      const resources = matching(sources(candidates), want, false);
      const inResource = resources.map((r) => ({ ...r, resolved: resolveSteps(r.object.value, steps, true) }));
      const fullResource = inResource.find((r) => r.resolved.whole);
      for (const p of matching(patches, want, true)) {
        const resolved = resolveSteps(p.object.value, steps, false);
        if (resolved.whole && (!fullResource || isWrittenLeaf(resolved.node))) return at(f, p.file, p.object, resolved.path);
      }
      const best = fullResource ?? inResource[0];
      if (best) {
        const mapped = at(f, best.file, best.object, best.resolved.whole || value !== undefined ? best.resolved.path : (f.path ?? []));
        if (literal && best === fullResource && !isGenerated(want, literal.generated) && !patches.some((p) => p.file === best.file)) literal.found(mapped, best.file);
        return mapped;
      }
    }
    return { ...f, file: fallback, line: 1, column: 1, endLine: 1, endColumn: 1, message: `${f.message} (in the output of kustomize build at line ${f.line})` };
  });
}

/** Whether a rendered object is a ConfigMap or Secret that a generator of the kustomization made. */
function isGenerated(ref: ObjectRef, generated: readonly string[]): boolean {
  if (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') return false;
  return ref.name === null || generated.some((n) => ref.name!.includes(n));
}

/** What a file is to the mapping: resources, a patch file, or a kustomization with inline patches. */
type SourceKind = 'resource' | 'patch' | 'inline';

interface SourceObject {
  ref: ObjectRef;
  /** The object's path in its document (in the string's document for an inline patch). */
  path: readonly (string | number)[];
  value: unknown;
  sourcePath?: (path: Path) => Path;
  /** The offsets in its file of a path from its document's root. */
  locate(path: Path): [number, number];
  lines: LineIndex;
}

function objectsIn(file: string, kind: SourceKind): { objects: SourceObject[] } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return objectsInText(text, kind, file);
}

/** The objects of a file of kind `kind` (`file` names it, for telling a kustomization by its name). */
function objectsInText(text: string, kind: SourceKind, file: string): { objects: SourceObject[] } | undefined {
  const parsed = parseText(text);
  const lines = new LineIndex(parsed.text);
  const objects: SourceObject[] = [];
  for (const doc of parsed.documents) {
    if (!doc.usable) continue;
    const locator = documentLocator(doc.yaml as Document, parsed.text);
    if (kind === 'inline') {
      for (const e of embeddedObjects(doc.value, doc.index, file, true)) {
        const inner = embeddedLocator(locator, e);
        const o: SourceObject = { ref: e.object.ref, path: e.object.path, value: e.object.value, locate: (p) => inner.offsets(p), lines };
        if (e.object.sourcePath) o.sourcePath = e.object.sourcePath;
        objects.push(o);
      }
      continue;
    }
    const patch = kind === 'patch';
    for (const object of objectsOfDocument(doc.value, doc.index, { listedPatch: patch })) {
      // A resource file's documents are whole objects; one without an apiVersion is not among them.
      if (!patch && object.patchReason === 'no-api-version') continue;
      const o: SourceObject = { ref: object.ref, path: object.path, value: object.value, locate: (p) => locator.offsets(p), lines };
      if (object.sourcePath) o.sourcePath = object.sourcePath;
      objects.push(o);
    }
  }
  return { objects };
}

/** The key part of a rendered line (`- name: X` → `name: X`, `KEY: value` → `KEY`), never the whole value. */
function keyOf(line: string): string | undefined {
  const m = /^\s*(?:-\s+)?([^\s:#][^:#]*?):(?:\s|$)/.exec(line);
  return m ? m[1] : undefined;
}

/** The template line where the rendered line's text or key appears literally, if exactly one does. */
function literalLine(templateLines: readonly string[], rendered: string): { line: number; column: number; endColumn: number } | undefined {
  const body = rendered.trim().replace(/^-\s+/, '');
  const exact = templateLines.flatMap((l, i) => (l.trim().replace(/^-\s+/, '') === body && body !== '' ? [i] : []));
  const key = keyOf(rendered);
  const hits =
    exact.length === 1
      ? exact
      : key === undefined
        ? []
        : templateLines.flatMap((l, i) => (keyOf(l) === key ? [i] : []));
  if (hits.length !== 1) return undefined;
  const i = hits[0]!;
  const text = templateLines[i]!.replace(/\r$/, '');
  const column = text.length - text.trimStart().length + 1;
  return { line: i + 1, column, endColumn: text.length + 1 };
}

/**
 * Findings in `helm template` output → the template files named by `# Source:` comments. Where the
 * offending line appears literally in the template file, the finding points there; otherwise at the
 * line inside the rendered document, marked as rendered.
 */
export function mapHelmFindings(findings: readonly Finding[], text: string, chartDir: string | undefined, cwd: string): Finding[] {
  const segments = helmSegments(text);
  if (segments.length === 0) return [...findings];
  const lines = text.split('\n');
  // The lines of each template; null: not a regular file (a directory, a link, a device), never named.
  const templates = new Map<string, string[] | 'missing' | null>();
  return findings.map((f) => {
    const seg = segmentAt(segments, f.line);
    if (!seg) return f;
    // A `# Source:` line is text of the stream (a template can print one): only a relative path
    // inside the chart (or, for a piped stream, the working directory) is a template file.
    const onDisk = templatePath(seg.source, chartDir, cwd);
    if (onDisk === undefined) return f;
    if (!templates.has(onDisk)) {
      // Never a link, FIFO, device or directory; bounded.
      const read = readFixedFile(onDisk);
      templates.set(onDisk, read.ok ? read.text.split('\n') : read.reason === 'missing' ? 'missing' : null);
    }
    const templateLines = templates.get(onDisk);
    if (templateLines === null || templateLines === undefined) return f;
    // A template that is not on disk (a chart rendered elsewhere) is still named, with the line in its document.
    const file = displayPath(onDisk, cwd);
    const literal = templateLines === 'missing' ? undefined : literalLine(templateLines, lines[f.line - 1] ?? '');
    if (literal) return { ...f, file, line: literal.line, column: literal.column, endLine: literal.line, endColumn: literal.endColumn };
    const line = f.line - seg.firstLine + 1;
    const endLine = Math.max(line, Math.min(f.endLine, seg.lastLine) - seg.firstLine + 1);
    return { ...f, file, line, endLine, message: `${f.message} (line ${line} of the document rendered from this template)` };
  });
}

/**
 * The file a `# Source:` comment names: `<chart>/templates/…` inside the chart directory, or for a
 * piped stream a path under the working directory. Undefined for anything else: an absolute path,
 * a `..` step, a NUL, or a path that leaves the directory.
 */
export function templatePath(source: string, chartDir: string | undefined, cwd: string): string | undefined {
  if (source.includes('\0') || /^(?:[/\\]|[a-zA-Z]:)/.test(source)) return undefined;
  const segments = source.split(/[/\\]/);
  if (segments.some((s) => s === '..')) return undefined;
  const root = chartDir ?? cwd;
  const target = chartDir ? path.join(chartDir, ...segments.slice(1)) : path.resolve(cwd, source);
  const rel = path.relative(root, target);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return target;
}
