/**
 * What a run is given: the enabled rules with their severities and options, the shared settings, and
 * the engine's own findings (parse errors, suppressions, render errors) with their default severities.
 * The config room builds these from the config file and the command line; the run room reads them.
 * Imports only the rule API and the model's constants.
 *
 * Room config: must not import run, format, app.
 */
import { NEWEST_KUBE_VERSION } from '../model/kube-version.js';
import { DEFAULT_CONTAINER_ANNOTATION } from '../model/workloads.js';
import type { AnyRule, SharedSettings } from '../rule.js';
import type { Severity } from '../types.js';

/** The rule list that means every rule, in suppressions (`ignore.sidecar-lint.io/all`, `# sidecar-lint-disable all`) and config. */
export const ALL_RULES = 'all';

export interface EnabledRule {
  rule: AnyRule;
  severity: Severity;
  options: Record<string, unknown>;
}

export interface LintOptions {
  rules: readonly EnabledRule[];
  settings: SharedSettings;
  /**
   * Try the fast path first (default true): values without positions, and the exact parser only for
   * files that have a finding or that the fast parser is unsure of. Output is identical either way.
   */
  fast?: boolean;
  /** Severity of the engine's own findings (parse-error, duplicate-key, yaml-compat, suppression checks). */
  syntaxSeverity?: Partial<Record<EngineRuleId, Severity | 'off'>>;
  /** Honour suppression annotations and comments (default true). Config exemptions always apply. */
  inlineSuppressions?: boolean;
  /** Report suppressions that matched nothing (`unused-suppression`). */
  reportUnusedSuppressions?: boolean;
  /** Config exemptions by object and container name. */
  exemptions?: readonly ExemptionMatcher[];
  /** Main containers decided by a Service of the linted set (`objectKey` → container name; see service-main.ts). */
  mainOverrides?: ReadonlyMap<string, string>;
  /**
   * Files (by the name `lintText` is given) that a kustomization in the linted set lists as patches
   * (`patches`, `patchesStrategicMerge`, `patchesJson6902`): their objects are patches.
   */
  patchFiles?: ReadonlySet<string>;
  /**
   * Only these documents (by index) need linting: a second pass that keeps the first pass's results
   * for the others (see run/lint-files.ts). A path that cannot skip documents lints them all; the
   * caller keeps only what belongs to these documents.
   */
  onlyDocuments?: ReadonlySet<number>;
}

/** A config exemption, ready to match. */
export interface ExemptionMatcher {
  objects?: readonly string[];
  kinds?: readonly string[];
  namespaces?: readonly string[];
  containers?: readonly string[];
  rules?: readonly string[];
  reason: string;
}

export const SYNTAX_RULES = {
  'parse-error': { severity: 'error', description: 'The file is not valid YAML or JSON, or Kubernetes rejects it (e.g. `--- !Pod`, a directive, `.inf`).' },
  'duplicate-key': { severity: 'error', description: 'A mapping has the same key twice; Kubernetes rejects or warns on it.' },
  'yaml-compat': {
    severity: 'warning',
    description:
      'YAML that Kubernetes reads differently from stricter YAML tools (e.g. a `\\\'` escape, a quoted string continued at its key\'s column, a U+2028 line break, content after `...`).',
  },
} as const satisfies Record<string, { severity: Severity; description: string }>;

/** Findings the engine itself makes, beside the rules'. */
export const ENGINE_RULES = {
  ...SYNTAX_RULES,
  'suppression-without-reason': {
    severity: 'error',
    description: 'A suppression annotation or comment gives no reason; it suppresses nothing until it does.',
  },
  'unused-suppression': {
    severity: 'warning',
    description: 'A suppression matched no finding (reported with --report-unused-suppressions).',
  },
  'render-error': {
    severity: 'error',
    description: 'A Helm chart or Kustomize directory could not be rendered (helm missing, a failed render, a remote base); its files were not linted as deployed.',
  },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type EngineRuleId = keyof typeof ENGINE_RULES;

/** The default `kubeVersion` setting: the newest Kubernetes release this version of sidecar-lint knows. */
export const DEFAULT_KUBE_VERSION = `${NEWEST_KUBE_VERSION.major}.${NEWEST_KUBE_VERSION.minor}`;

export const DEFAULT_SETTINGS: SharedSettings = {
  mainContainerAnnotation: DEFAULT_CONTAINER_ANNOTATION,
  credentialWords: [],
  allowedKeys: [],
  namespace: 'default',
  kubeVersion: DEFAULT_KUBE_VERSION,
};

/**
 * A copy of lint options with every key of LintOptions set (undefined when unset), in one order,
 * made by one object literal: every options object a run passes to the engine then has one V8 shape
 * (map). Copies made by spreads (`{ ...options, mainOverrides }`) get a map of their own, and the
 * engine's functions that were optimised for the first shape were deoptimised when the cross-file
 * step's copy arrived. `change` replaces the keys it has (an undefined value included).
 */
export function lintOptionsCopy(options: LintOptions, change: Pick<LintOptions, 'mainOverrides' | 'onlyDocuments'> = {}): LintOptions {
  return {
    rules: options.rules,
    settings: options.settings,
    fast: options.fast,
    syntaxSeverity: options.syntaxSeverity,
    inlineSuppressions: options.inlineSuppressions,
    reportUnusedSuppressions: options.reportUnusedSuppressions,
    exemptions: options.exemptions,
    mainOverrides: 'mainOverrides' in change ? change.mainOverrides : options.mainOverrides,
    patchFiles: options.patchFiles,
    onlyDocuments: 'onlyDocuments' in change ? change.onlyDocuments : options.onlyDocuments,
  } satisfies LintOptions & Record<keyof LintOptions, unknown>;
}
