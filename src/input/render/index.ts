/**
 * From discovered paths to what gets linted: plain files as they are; Helm charts and Kustomize
 * directories through their rendered output, with findings mapped back to source files.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import os from 'node:os';
import path from 'node:path';
import type { DiscoveredInput } from '../discover.js';
import { displayPath } from '../discover.js';
import type { LintInput } from '../../run/lint-files.js';
import type { Finding, Severity } from '../../types.js';
import { isHelmStream, stripHelmNotes } from './helm-stream.js';
import { kustomizationFile, positionOfWord, refusedKustomization, renderErrorText, type Position } from './render-error.js';
import { filesOfRoot, generatorNamesOf, listedPatchFiles, planInputs, referencedDirs } from './plan.js';
import { helmTool, kustomizeTool, mapHelmFindings, mapKustomizeFindings, patchFilesDeep, renderHelm, renderKustomize, resourceFilesOf, type HelmOptions } from './render.js';

export interface PrepareOptions {
  inputs: readonly DiscoveredInput[];
  /** Absolute paths of files named on the command line. */
  explicit: ReadonlySet<string>;
  stdin?: { display: string; text: string };
  /** False with --no-render. */
  render: boolean;
  helm: HelmOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isIgnored(absolute: string): boolean;
  /** The severity of `render-error` findings (default: error), or off. */
  renderErrorSeverity?: Severity | 'off';
}

export interface Prepared {
  inputs: LintInput[];
  /** Maps the findings of a rendered input (by display name) back to source files. */
  mappers: Map<string, (findings: readonly Finding[]) => Finding[]>;
  /** Notes for the user (a chart skipped, raw linting instead of rendering): not failures. */
  notes: string[];
  /**
   * `render-error` findings: charts and Kustomize directories that could not be rendered (helm
   * missing, a failed render, a remote base or helmCharts refused), on their Chart.yaml or
   * kustomization file, with the tool's first error line masked. Their files are linted as before.
   */
  findings: Finding[];
  /** Files named on the command line that an ignore pattern excludes (display names). */
  ignoredExplicit: string[];
  /** The inputs (by display name) that a kustomization among the inputs lists as patches. */
  patchFiles: Set<string>;
  /**
   * Findings of rendered Kustomize output (as the mappers return them) that point at the node itself
   * in a resource file the user wrote (not a patch, a Helm template or generated): the file's
   * absolute path. `--fix` may fix them there (see src/app/fix-run.ts).
   */
  literal: WeakMap<Finding, string>;
}

export async function prepareInputs(o: PrepareOptions): Promise<Prepared> {
  const prepared: Prepared = { inputs: [], mappers: new Map(), notes: [], findings: [], ignoredExplicit: [], patchFiles: new Set(), literal: new WeakMap() };
  const severity = o.renderErrorSeverity ?? 'error';
  const renderError = (file: string, message: string, at: Position = { line: 1, column: 1 }, hint?: string): void => {
    if (severity === 'off') return;
    prepared.findings.push({
      ruleId: 'render-error',
      severity,
      message,
      ...(hint !== undefined ? { hint } : {}),
      file: displayPath(file, o.cwd),
      line: at.line,
      column: at.column,
      endLine: at.line,
      endColumn: at.column + 1,
      object: null,
      container: null,
    });
  };
  if (o.stdin) {
    const text = isHelmStream(o.stdin.text) ? stripHelmNotes(o.stdin.text) : o.stdin.text;
    prepared.inputs.push({ display: o.stdin.display, text });
    if (isHelmStream(text)) prepared.mappers.set(o.stdin.display, (f) => mapHelmFindings(f, text, undefined, o.cwd));
  }
  const visible: DiscoveredInput[] = [];
  for (const i of o.inputs) {
    if (!o.isIgnored(i.absolute)) visible.push(i);
    else if (o.explicit.has(i.absolute)) prepared.ignoredExplicit.push(i.display);
  }
  const kTool = o.render ? kustomizeTool(o.env) : undefined;
  const plan = planInputs(visible, o.explicit, kTool !== undefined);
  for (const f of plan.files) prepared.inputs.push({ display: f.display, absolute: f.absolute });
  if (o.render && !kTool && planInputs(visible, o.explicit, true).kustomizations.length > 0) {
    prepared.notes.push(
      'no kustomize or kubectl on PATH: Kustomize directories are linted as plain files; to lint what they deploy, pipe a render: kustomize build DIR | sidecar-lint -',
    );
  }
  const helm = helmTool(o.env);
  const jobs: (() => Promise<void>)[] = [];
  for (const chart of plan.charts) {
    const shown = displayPath(chart, o.cwd);
    if (!o.render) {
      prepared.notes.push(`${shown}: Helm chart skipped (--no-render); its templates are not plain YAML. Pipe a render instead: helm template ${shown} | sidecar-lint -`);
      continue;
    }
    const chartFile = path.join(chart, 'Chart.yaml');
    if (!helm) {
      renderError(chartFile, 'Helm chart not linted: helm is not on PATH.', undefined, `Install helm, or pipe a render: helm template ${shown} | sidecar-lint -`);
      continue;
    }
    jobs.push(async () => {
      const r = await renderHelm(chart, o.helm, o.env, o.cwd);
      if (!r.ok) {
        const { text } = renderErrorText(r.stderr, { cwd: o.cwd, dir: chart });
        renderError(chartFile, `Helm chart not linted: \`${r.command}\` failed: ${text}`);
        return;
      }
      const display = `${shown} (helm template)`;
      prepared.inputs.push({ display, text: r.text });
      prepared.mappers.set(display, (f) => mapHelmFindings(f, r.text, chart, o.cwd));
    });
  }
  const roots = [...plan.kustomizations, ...plan.covered, ...plan.charts];
  const scheduled = new Set<string>();
  const renderDir = (dir: string): void => {
    if (scheduled.has(dir)) return;
    scheduled.add(dir);
    const shown = displayPath(dir, o.cwd);
    // Nothing is lost when a directory is not rendered: its own files are linted as they are, and
    // the bases it builds on are rendered on their own.
    const lintRaw = () => {
      for (const f of filesOfRoot(visible, dir, roots)) prepared.inputs.push({ display: f.display, absolute: f.absolute });
      for (const base of referencedDirs(dir)) if (plan.covered.includes(base)) renderDir(base);
    };
    const own = kustomizationFile(dir);
    const kustomizationPath = own?.file ?? path.join(dir, 'kustomization.yaml');
    // Remote bases are never fetched and Helm never runs from a kustomization (see render-error.ts).
    const refused = refusedKustomization(dir);
    if (refused) {
      renderError(kustomizationPath, `Kustomize directory not rendered: ${refused.reason}`, refused.position);
      lintRaw();
      return;
    }
    jobs.push(async () => {
      const r = await renderKustomize(dir, o.env, o.cwd);
      if (!r.ok) {
        const { text, masked, paths } = renderErrorText(r.stderr, { cwd: o.cwd, dir });
        // Where a word of the error is written: a masked one, else a file it names (a base that
        // failed). kustomize names files by absolute path, the kustomization by a relative one.
        const words = [...masked, ...paths].flatMap((w) => (path.isAbsolute(w) ? [w, path.relative(dir, w), path.basename(w)] : [w]));
        const at = own ? positionOfWord(own.text, words) : undefined;
        renderError(kustomizationPath, `Kustomize directory not rendered: \`${r.command}\` failed: ${text}; its files were linted as plain YAML`, at);
        lintRaw();
        return;
      }
      const display = `${shown} (kustomize build)`;
      const kustomization =
        visible.find((i) => path.dirname(i.absolute) === dir && /^(kustomization\.ya?ml|Kustomization)$/.test(path.basename(i.absolute)))?.absolute ?? dir;
      prepared.inputs.push({ display, text: r.text });
      const literal = { generated: generatorNamesOf(dir), found: (mapped: Finding, file: string) => prepared.literal.set(mapped, file) };
      prepared.mappers.set(display, (f) => mapKustomizeFindings(f, resourceFilesOf(dir), kustomization, o.cwd, patchFilesDeep(dir), r.text, literal));
    });
  };
  for (const dir of plan.kustomizations) renderDir(dir);
  // Renders run a few at a time; the order of inputs does not change the findings (they are sorted).
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(RENDER_CONCURRENCY, jobs.length) }, worker));
  // Which files are patches: known before any file is linted, whichever thread lints it.
  const patches = listedPatchFiles(visible);
  for (const input of prepared.inputs) if (input.absolute !== undefined && patches.has(input.absolute)) prepared.patchFiles.add(input.display);
  return prepared;
}

/** How many render commands run at once. */
const RENDER_CONCURRENCY = Math.max(2, Math.min(4, os.cpus().length));

/** Maps rendered findings back to sources and drops duplicates (one source location reached twice). */
export function applyMappers(findings: readonly Finding[], mappers: Prepared['mappers']): Finding[] {
  const byFile = new Map<string, Finding[]>();
  let lastFile: string | undefined;
  let last: Finding[] = [];
  for (const f of findings) {
    // A file's findings come together: one look-up per run of them.
    if (f.file !== lastFile || lastFile === undefined) {
      lastFile = f.file;
      const known = byFile.get(f.file);
      if (known) last = known;
      else byFile.set(f.file, (last = []));
    }
    last.push(f);
  }
  const out: Finding[] = [];
  const seen = new Seen();
  for (const [file, list] of byFile) {
    const mapper = mappers.get(file);
    for (const f of mapper ? mapper(list) : list) if (seen.first(f)) out.push(f);
  }
  return out;
}

/**
 * The places (file, line, column, rule) met so far: by file, then by line and column as one number where it is small
 * (no string per finding: a file may have 200,000 findings), then the rules met there.
 */
class Seen {
  private readonly byFile = new Map<string, Map<number, string | Set<string>>>();
  private readonly other = new Set<string>();
  private lastFile: string | undefined;
  private last: Map<number, string | Set<string>> | undefined;

  /** Whether the finding's place is met for the first time (and remembers it). */
  first(f: Finding): boolean {
    const { line, column } = f;
    // One small integer (V8 keeps it unboxed) for the common place; any other place by a string.
    if (!(Number.isInteger(line) && Number.isInteger(column) && line >= 0 && column >= 0 && line < 2 ** 24 && column < 64)) {
      const key = `${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.ruleId}`;
      if (this.other.has(key)) return false;
      this.other.add(key);
      return true;
    }
    let places = this.last;
    if (f.file !== this.lastFile || places === undefined) {
      places = this.byFile.get(f.file);
      if (!places) this.byFile.set(f.file, (places = new Map()));
      this.lastFile = f.file;
      this.last = places;
    }
    const at = line * 64 + column;
    const rules = places.get(at);
    if (rules === undefined) {
      places.set(at, f.ruleId);
      return true;
    }
    if (typeof rules === 'string') {
      if (rules === f.ruleId) return false;
      places.set(at, new Set([rules, f.ruleId]));
      return true;
    }
    if (rules.has(f.ruleId)) return false;
    rules.add(f.ruleId);
    return true;
  }
}
