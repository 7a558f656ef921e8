/**
 * Rendering Helm charts and Kustomize directories, and mapping findings in the rendered output back
 * to the source files they came from.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFixedFile } from '../read-fixed.js';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { displayPath } from '../discover.js';
import { LineIndex, locateOffsets } from '../locate.js';
import { asMap, asString, objectsOfDocument } from '../model/objects.js';
import { parseText } from '../parse.js';
import type { Document } from 'yaml';
import type { Finding, ObjectRef } from '../types.js';
import { helmSegments, segmentAt, stripHelmNotes } from './helm-stream.js';
import { runCommand, showCommand, which } from './tools.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export type RenderResult = { ok: true; text: string } | { ok: false; problem: string };

export interface RenderEnv {
  env: NodeJS.ProcessEnv;
}

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
  if (!tool) return { ok: false, problem: `${displayPath(dir, cwd)}: no kustomize or kubectl on PATH` };
  const r = await runCommand(tool.file, tool.args(dir), cwd, env);
  if (r.ok) return { ok: true, text: r.stdout };
  return { ok: false, problem: `${displayPath(dir, cwd)}: \`${showCommand(tool.file, tool.args(displayPath(dir, cwd)))}\` failed: ${r.error}` };
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
      let isDir = false;
      try {
        isDir = statSync(target).isDirectory();
      } catch {
        continue;
      }
      if (isDir) out.push(...resourceFilesOf(target, seen));
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
  if (!helm) return { ok: false, problem: `${displayPath(chartDir, cwd)}: helm is not on PATH` };
  const args = ['template', 'release-name', chartDir];
  for (const v of options.valuesFiles) args.push('--values', path.resolve(cwd, v));
  for (const s of options.set) args.push('--set', s);
  const r = await runCommand(helm, args, cwd, env);
  if (!r.ok) {
    const shown = args.map((a) => (a === chartDir ? displayPath(chartDir, cwd) : a));
    return { ok: false, problem: `${displayPath(chartDir, cwd)}: \`${showCommand(helm, shown)}\` failed: ${r.error}` };
  }
  return { ok: true, text: stripHelmNotes(r.stdout) };
}





/**
 * Findings in kustomize output → the resource file that defines the same object (same kind; the
 * same name, or one that a name prefix or suffix turned into the rendered name), at the same path;
 * otherwise the kustomization file, with the line in the rendered output in the message.
 */
export function mapKustomizeFindings(findings: readonly Finding[], candidates: readonly string[], kustomization: string, cwd: string): Finding[] {
  const fallback = displayPath(kustomization, cwd);
  const parsed = new Map<string, ReturnType<typeof objectsIn>>();
  const objectsOfFile = (file: string) => {
    if (!parsed.has(file)) parsed.set(file, objectsIn(file));
    return parsed.get(file)!;
  };
  return findings.map((f) => {
    const want = f.object;
    let best: { file: string; object: SourceObject } | undefined;
    if (want) {
      for (const file of candidates) {
        for (const object of objectsOfFile(file)?.objects ?? []) {
          if (object.ref.kind !== want.kind || object.ref.name === null || want.name === null) continue;
          const exact = object.ref.name === want.name;
          if (!exact && !want.name.includes(object.ref.name)) continue;
          if (!best || exact || object.ref.name.length > (best.object.ref.name ?? '').length) best = { file, object };
          if (exact) break;
        }
      }
    }
    if (best) {
      const source = objectsOfFile(best.file)!;
      const [start, end] = locateOffsets(best.object.doc, [...best.object.path, ...(f.path ?? [])]);
      return { ...f, file: displayPath(best.file, cwd), ...source.lines.range(start, end) };
    }
    return { ...f, file: fallback, line: 1, column: 1, endLine: 1, endColumn: 1, message: `${f.message} (in the output of kustomize build at line ${f.line})` };
  });
}

interface SourceObject {
  ref: ObjectRef;
  doc: Document;
  path: readonly (string | number)[];
}

function objectsIn(file: string): { objects: SourceObject[]; lines: LineIndex } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseText(text);
  const objects: SourceObject[] = [];
  for (const doc of parsed.documents) {
    if (!doc.usable) continue;
    for (const object of objectsOfDocument(doc.value, doc.index)) objects.push({ ref: object.ref, doc: doc.yaml, path: object.path });
  }
  return { objects, lines: new LineIndex(parsed.text) };
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
  const templates = new Map<string, string[] | null>();
  return findings.map((f) => {
    const seg = segmentAt(segments, f.line);
    if (!seg) return f;
    const onDisk = chartDir ? path.join(chartDir, ...seg.source.split('/').slice(1)) : path.resolve(cwd, seg.source);
    if (!templates.has(onDisk)) {
      templates.set(onDisk, existsSync(onDisk) ? readFileSync(onDisk, 'utf8').split('\n') : null);
    }
    const templateLines = templates.get(onDisk);
    const file = chartDir || templateLines ? displayPath(onDisk, cwd) : seg.source;
    const literal = templateLines ? literalLine(templateLines, lines[f.line - 1] ?? '') : undefined;
    if (literal) return { ...f, file, line: literal.line, column: literal.column, endLine: literal.line, endColumn: literal.endColumn };
    const line = f.line - seg.firstLine + 1;
    const endLine = Math.max(line, Math.min(f.endLine, seg.lastLine) - seg.firstLine + 1);
    return { ...f, file, line, endLine, message: `${f.message} (line ${line} of the document rendered from this template)` };
  });
}
