/**
 * Linting on both cores: a worker thread runs phase one (read, lint, drop) for part of the inputs
 * while the main thread does the rest; phase two (cross-resource checks) stays on the main thread.
 * The worker loads the CLI bundle itself and calls its `workerMain`, which rebuilds the rules from
 * a plain description of the run's configuration (`workerData.sidecarLintWorker`).
 * `node:worker_threads` is loaded only when a worker is started (start-up time).
 *
 * Room run: must not import format, app, rules/.
 */
import { fileURLToPath } from 'node:url';
import type { CustomRuleConfig } from '../config/load.js';
import type { ExemptionMatcher, LintOptions } from '../config/lint-options.js';
import { lintOptionsOf, type RuleSetting } from '../config/effective.js';
import { customRulesOf, ruleSet } from '../config/rule-set.js';
import { finish, lintEach, type FileOutcome, type LintInput, type LintRunResult } from './lint-files.js';
import type { AnyRule, SharedSettings } from '../rule.js';

/** Everything a worker needs to build the same LintOptions as the main thread. */
export interface WorkerSpec {
  rules: Record<string, RuleSetting>;
  settings: SharedSettings;
  exemptions: readonly ExemptionMatcher[];
  inlineSuppressions: boolean;
  reportUnusedSuppressions: boolean;
  customRules: readonly CustomRuleConfig[];
  plugins: readonly string[];
  /** The config file's directory (plugins resolve from it). */
  configDir: string;
  /** SIDECAR_LINT_EXACT: the straightforward path only. */
  exact: boolean;
  /** Inputs (by display name) that a kustomization lists as patches (LintOptions.patchFiles). */
  patchFiles: readonly string[];
}

export interface Parallel {
  /** The module a worker runs: the CLI bundle (a `file:` URL). */
  entry: string;
  spec: WorkerSpec;
}

let workerEntry: string | undefined;

/** Called by the bundle's entry with its own URL (dist/sidecar-lint.cjs): what a worker loads. */
export function setWorkerEntry(url: string): void {
  if (url.endsWith('.cjs')) workerEntry = url;
}

export function getWorkerEntry(): string | undefined {
  return workerEntry;
}

/** Below this many files a worker costs more than it saves. */
export const PARALLEL_MIN_FILES = 400;

/**
 * Below this many CPUs the CLI lints on one thread unless SIDECAR_LINT_THREADS=2 says otherwise.
 * Measured on 2-CPU machines: V8 already runs its garbage collector and compiler on the second CPU,
 * and a worker made a 21,000-document lint slower (3.5 s against 3.3 s) and 60 MB larger; each half
 * took as long on two threads as the whole on one.
 */
export const PARALLEL_MIN_CPUS = 4;

/** The lint options a worker builds from its spec (exported for tests). */
export async function buildOptions(spec: WorkerSpec): Promise<LintOptions> {
  let pluginRules: AnyRule[] = [];
  if (spec.plugins.length > 0) {
    const { loadPlugins } = await import('../config/plugins.js');
    pluginRules = (await loadPlugins(spec.plugins, spec.configDir)).rules;
  }
  let custom: AnyRule[] = [];
  if (spec.customRules.length > 0) {
    const { loadAjv } = await import('../config/load.js');
    custom = customRulesOf(spec.customRules, await loadAjv()).rules;
  }
  const rules = ruleSet(pluginRules, custom);
  return lintOptionsOf({ rules: spec.rules, settings: spec.settings, exemptions: spec.exemptions }, rules, {
    exact: spec.exact,
    patchFiles: new Set(spec.patchFiles),
    inlineSuppressions: spec.inlineSuppressions,
    reportUnusedSuppressions: spec.reportUnusedSuppressions,
  });
}

/** A worker's entry (the bundle exports it): lint what the main thread sends. */
export async function workerMain(): Promise<void> {
  const { isMainThread, parentPort, workerData } = await import('node:worker_threads');
  const spec = (workerData as { sidecarLintWorker?: WorkerSpec } | null)?.sidecarLintWorker;
  if (isMainThread || !parentPort || !spec) return;
  const port = parentPort;
  const ready = buildOptions(spec);
  port.on('message', (inputs: LintInput[]) => {
    ready.then(
      (options) => {
        const outcomes = lintEach(inputs, options);
        if (process.env.SIDECAR_LINT_TRACE_WORKER) process.stderr.write(`sidecar-lint: worker thread linted ${inputs.length} files\n`);
        port.postMessage({ ok: true, outcomes });
      },
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}

/**
 * The worker's own code: load the bundle (a CommonJS script) and call its workerMain. Through
 * bin/load-bundle.js when the bundle sits in the package's dist/ beside bin/ (it is then loaded with
 * V8's compiled code that the CLI keeps between runs, as the main thread loads it: the worker does
 * not compile the bundle's functions again), handed this code's `import()` for plugins as the bin
 * does; else, or when loading that way fails, with `require`.
 */
function workerCode(bundle: string): string {
  const b = JSON.stringify(bundle);
  return [
    `const path = require('node:path'), fs = require('node:fs');`,
    `const bundle = ${b};`,
    `const loader = path.join(path.dirname(bundle), '..', 'bin', 'load-bundle.js');`,
    `const plain = () => require(bundle).workerMain();`,
    `if (path.basename(bundle) === 'sidecar-lint.cjs' && path.basename(path.dirname(bundle)) === 'dist' && fs.existsSync(loader)) {`,
    // As bin/sidecar-lint.js: the bundle, compiled with node:vm, imports plugins through this code's import().
    `  import(require('node:url').pathToFileURL(loader).href).then((m) => {`,
    `    const loaded = m.loadBundle().bundle;`,
    `    loaded.setModuleImporter((url) => import(url));`,
    `    return loaded.workerMain();`,
    `  }, plain);`,
    `} else plain();`,
  ].join('\n');
}

async function runInWorker(parallel: Parallel, inputs: LintInput[]): Promise<FileOutcome[]> {
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const code = workerCode(fileURLToPath(parallel.entry));
    const worker = new Worker(code, { eval: true, workerData: { sidecarLintWorker: parallel.spec } });
    worker.once('message', (m: { ok: boolean; outcomes?: FileOutcome[]; error?: string }) => {
      void worker.terminate();
      if (m.ok && m.outcomes) resolve(m.outcomes);
      else reject(new Error(m.error ?? 'worker failed'));
    });
    worker.once('error', reject);
    worker.postMessage(inputs);
  });
}

/**
 * Lints inputs on both cores when there are enough of them and a worker entry is known; the result
 * is the same as lintInputs' (phase two runs over the outcomes in input order). If the worker fails,
 * its share is linted here.
 */
export async function lintInputsParallel(inputs: readonly LintInput[], options: LintOptions, parallel: Parallel | undefined): Promise<LintRunResult> {
  const files = inputs.filter((i) => i.text === undefined && i.bytes === undefined).length;
  if (!parallel || files < PARALLEL_MIN_FILES) {
    return finish(inputs, lintEach(inputs, options), options);
  }
  // Every other input to the worker: neighbours tend to be alike, so the halves weigh about the same.
  const mine: number[] = [];
  const theirs: number[] = [];
  inputs.forEach((input, i) => (i % 2 === 1 && input.text === undefined && input.bytes === undefined ? theirs : mine).push(i));
  const theirInputs = theirs.map((i) => inputs[i]!);
  const pending = runInWorker(parallel, theirInputs).catch(() => undefined);
  const myOutcomes = lintEach(mine.map((i) => inputs[i]!), options);
  const theirOutcomes = (await pending) ?? lintEach(theirInputs, options);
  const outcomes: FileOutcome[] = new Array(inputs.length);
  mine.forEach((i, k) => (outcomes[i] = myOutcomes[k]!));
  theirs.forEach((i, k) => (outcomes[i] = theirOutcomes[k]!));
  return finish(inputs, outcomes, options);
}
