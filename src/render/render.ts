/**
 * Rendering Helm charts and Kustomize directories, and mapping findings in the rendered output back
 * to the source files they came from.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { displayPath } from '../discover.js';
import { LineIndex, locateOffsets } from '../locate.js';
import { asMap, asString, objectsOfDocument } from '../model/objects.js';
import { parseText } from '../parse.js';
import type { Finding, ObjectRef } from '../types.js';
import { helmSegments, segmentAt, stripHelmNotes } from './helm-stream.js';
import { runCommand, showCommand, which } from './tools.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;
export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

export type RenderResult = { ok: true; text: string; origins?: string } | { ok: false; problem: string };

export interface RenderEnv {
  env: NodeJS.ProcessEnv;
}

/** The kustomize command available: `kustomize build` or `kubectl kustomize`, or undefined. */
export function kustomizeTool(env: NodeJS.ProcessEnv): { file: string; args: (dir: string) => string[] } | undefined {
  const kustomize = which('kustomize', env.PATH);
  if (kustomize) return { file: kustomize, args: (dir) => ['build', '--load-restrictor', 'LoadRestrictionsNone', dir] };
  const kubectl = which('kubectl', env.PATH);
  if (kubectl) return { file: kubectl, args: (dir) => ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir] };
  return undefined;
}

export function helmTool(env: NodeJS.ProcessEnv): string | undefined {
  return which('helm', env.PATH);
}

/**
 * Renders a kustomization directory. To learn which file each object came from, the directory is
 * wrapped in a temporary kustomization that turns on origin annotations; when that fails (a
 * Component, say), the directory is rendered as it is.
 */
export async function renderKustomize(dir: string, env: NodeJS.ProcessEnv, cwd: string): Promise<RenderResult> {
  const tool = kustomizeTool(env);
  if (!tool) return { ok: false, problem: `${displayPath(dir, cwd)}: no kustomize or kubectl on PATH` };
  const wrapper = mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-kustomize-'));
  try {
    const rel = path.relative(wrapper, dir).split(path.sep).join('/');
    writeFileSync(path.join(wrapper, 'kustomization.yaml'), `resources:\n  - ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations]\n`);
    const wrapped = await runCommand(tool.file, tool.args(wrapper), cwd, env);
    if (wrapped.ok) return { ok: true, text: wrapped.stdout, origins: wrapper };
    const direct = await runCommand(tool.file, tool.args(dir), cwd, env);
    if (direct.ok) return { ok: true, text: direct.stdout };
    return { ok: false, problem: `${displayPath(dir, cwd)}: \`${showCommand(tool.file, tool.args(displayPath(dir, cwd)))}\` failed: ${direct.error}` };
  } finally {
    rmSync(wrapper, { recursive: true, force: true });
  }
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

function sameRef(a: ObjectRef | null, b: ObjectRef): boolean {
  return !!a && a.kind === b.kind && a.name === b.name && (a.namespace ?? null) === (b.namespace ?? null);
}

interface Origin {
  ref: ObjectRef;
  file: string;
}

/** The origin annotations of a rendered stream: which source file each object came from. */
export function originsOf(text: string, base: string): Origin[] {
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA }) as unknown[];
  } catch {
    return [];
  }
  const out: Origin[] = [];
  docs.forEach((doc, i) => {
    for (const object of objectsOfDocument(doc, i)) {
      const origin = asString(asMap(asMap(object.value.metadata)?.annotations)?.[ORIGIN_ANNOTATION]);
      const m = origin ? /^path:\s*(.+?)\s*$/m.exec(origin) : null;
      if (m) out.push({ ref: object.ref, file: path.resolve(base, m[1]!.replace(/^["']|["']$/g, '')) });
    }
  });
  return out;
}

/** Where a finding's node is in a source file holding the same object (matched by kind and name). */
function locateInSource(file: string, finding: Finding): { line: number; column: number; endLine: number; endColumn: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseText(text);
  const want = finding.object;
  if (!want) return undefined;
  const candidates: { doc: (typeof parsed.documents)[number]; path: readonly (string | number)[]; name: string | null }[] = [];
  for (const doc of parsed.documents) {
    if (!doc.usable) continue;
    for (const object of objectsOfDocument(doc.value, doc.index)) {
      if (object.ref.kind === want.kind) candidates.push({ doc, path: object.path, name: object.ref.name });
    }
  }
  const pick =
    candidates.find((c) => c.name === want.name) ??
    candidates.find((c) => c.name !== null && want.name !== null && want.name.includes(c.name)) ??
    (candidates.length === 1 ? candidates[0] : undefined);
  if (!pick) return undefined;
  const [start, end] = locateOffsets(pick.doc.yaml, [...pick.path, ...(finding.path ?? [])]);
  return new LineIndex(parsed.text).range(start, end);
}

/**
 * Findings in kustomize output → the resource files the objects came from (through origin
 * annotations), at the same path in the source object; otherwise the kustomization file.
 */
export function mapKustomizeFindings(findings: readonly Finding[], text: string, originBase: string | undefined, kustomization: string, cwd: string): Finding[] {
  const origins = originBase ? originsOf(text, originBase) : [];
  const fallback = displayPath(kustomization, cwd);
  return findings.map((f) => {
    const origin = origins.find((o) => sameRef(f.object, o.ref));
    const range = origin ? locateInSource(origin.file, f) : undefined;
    if (origin && range) return { ...f, file: displayPath(origin.file, cwd), ...range };
    return { ...f, file: fallback, line: 1, column: 1, endLine: 1, endColumn: 1, message: `${f.message} (in the output of kustomize build at line ${f.line})` };
  });
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
