/**
 * The effective configuration: built-in defaults, then the config file, then command-line overrides.
 *
 * Room config: must not import run, format, app.
 */
import path from 'node:path';
import type { EnabledRule, ExemptionMatcher, LintOptions } from './lint-options.js';
import { formatKubeVersion, parseKubeVersion } from '../model/kube-version.js';
import { DEFAULT_SETTINGS, ENGINE_RULES, lintOptionsCopy, type EngineRuleId } from './lint-options.js';
import type { AnyRule, SharedSettings } from '../rule.js';
import type { Severity } from '../types.js';
import type { CustomRuleConfig, Exemption, RawConfig } from './load.js';
import type { SeveritySetting } from '../types.js';

export interface RuleSetting {
  severity: SeveritySetting;
  options: Record<string, unknown>;
}

export interface EffectiveConfig {
  /** Absolute path of the config file in use, or null. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  settings: SharedSettings;
  ignore: string[];
  exemptions: Exemption[];
  customRules: CustomRuleConfig[];
  plugins: string[];
  /** The baseline file the config names (absolute), or null. */
  baseline: string | null;
  /** Helm and Kustomize rendering; helmValues are absolute paths. */
  render: { enabled: boolean; helmValues: string[]; helmSet: string[] };
}

/** "v1.29.3" or "v1.29.6-eks-1" → "1.29"; undefined when it is not a version. */
export function normalizeKubeVersion(text: string): string | undefined {
  const v = parseKubeVersion(text);
  return v ? formatKubeVersion(v) : undefined;
}

function toList(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/**
 * `rules` are every rule the run knows (built-in, plugin and custom); `overrides` are `--rule id=severity`.
 */
export function effectiveConfig(
  file: string | null,
  raw: RawConfig,
  rules: readonly AnyRule[],
  overrides: Readonly<Record<string, SeveritySetting>> = {},
): EffectiveConfig {
  const out: Record<string, RuleSetting> = {};
  for (const rule of rules) {
    out[rule.meta.id] = { severity: rule.meta.defaultSeverity, options: { ...(rule.meta.defaultOptions ?? {}) } };
  }
  for (const [id, meta] of Object.entries(ENGINE_RULES)) out[id] = { severity: meta.severity, options: {} };
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    const current = out[id] ?? { severity: 'warning', options: {} };
    if (typeof setting === 'string') out[id] = { ...current, severity: setting };
    else out[id] = { severity: setting.severity ?? current.severity, options: { ...current.options, ...(setting.options ?? {}) } };
  }
  for (const [id, severity] of Object.entries(overrides)) {
    const current = out[id] ?? { severity: 'warning', options: {} };
    out[id] = { ...current, severity };
  }
  const s = raw.settings ?? {};
  const settings: SharedSettings = {
    ...DEFAULT_SETTINGS,
    ...(s.mainContainerAnnotation ? { mainContainerAnnotation: s.mainContainerAnnotation } : {}),
    credentialWords: s.credentialWords ?? [],
    allowedKeys: s.allowedKeys ?? [],
    namespace: s.namespace ?? DEFAULT_SETTINGS.namespace,
    kubeVersion: s.kubeVersion ? normalizeKubeVersion(s.kubeVersion) ?? DEFAULT_SETTINGS.kubeVersion : DEFAULT_SETTINGS.kubeVersion,
  };
  return {
    file,
    rules: Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1))),
    settings,
    ignore: raw.ignore ?? [],
    exemptions: (raw.exemptions ?? []).map((e) => ({
      ...e,
      objects: toList(e.objects),
      containers: toList(e.containers),
    })),
    customRules: raw.customRules ?? [],
    plugins: raw.plugins ?? [],
    baseline: raw.baseline ? (file ? path.resolve(path.dirname(file), raw.baseline) : raw.baseline) : null,
    render: {
      enabled: raw.render?.enabled ?? true,
      helmValues: (raw.render?.helmValues ?? []).map((v) => (file ? path.resolve(path.dirname(file), v) : v)),
      helmSet: raw.render?.helmSet ?? [],
    },
  };
}

/** The rules to run, with their severities and options; rules that are off are left out. */
function enabledRules(config: { rules: Readonly<Record<string, RuleSetting>> }, rules: readonly AnyRule[]): EnabledRule[] {
  const out: EnabledRule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    out.push({ rule, severity: setting.severity as Severity, options: setting.options });
  }
  return out;
}

/** Severities of the engine's own findings (parse-error, duplicate-key, yaml-compat, the suppression checks). */
export function syntaxSeverities(config: { rules: Readonly<Record<string, RuleSetting>> }): Partial<Record<EngineRuleId, Severity | 'off'>> {
  const out: Partial<Record<EngineRuleId, Severity | 'off'>> = {};
  for (const id of Object.keys(ENGINE_RULES) as EngineRuleId[]) {
    const s = config.rules[id];
    if (s) out[id] = s.severity;
  }
  return out;
}

/** How a run reads besides its config: the command line's and the environment's switches. */
export interface RunSwitches {
  /** SIDECAR_LINT_EXACT=1: every file on the exact path. */
  exact?: boolean;
  inlineSuppressions?: boolean;
  reportUnusedSuppressions?: boolean;
  /** Files a kustomization of the linted set lists as patches. */
  patchFiles?: ReadonlySet<string>;
}

/**
 * The lint options of a run, from its effective config (or the part a worker thread is sent) and
 * the rules it has (built-in, plugin and custom). The one place they are built: the command line,
 * the worker threads, the language server and the tests all call this.
 */
export function lintOptionsOf(
  config: { rules: Readonly<Record<string, RuleSetting>>; settings: SharedSettings; exemptions: readonly ExemptionMatcher[] },
  rules: readonly AnyRule[],
  switches: RunSwitches = {},
): LintOptions {
  return lintOptionsCopy({
    rules: enabledRules(config, rules),
    settings: config.settings,
    fast: switches.exact !== true,
    syntaxSeverity: syntaxSeverities(config),
    inlineSuppressions: switches.inlineSuppressions,
    reportUnusedSuppressions: switches.reportUnusedSuppressions,
    exemptions: config.exemptions,
    patchFiles: switches.patchFiles,
  });
}
