/**
 * Linting one file is a pure function from text to findings: no I/O, no global state, so it can run
 * in worker threads or a browser. Positions are computed only for what is reported.
 */
import type { Document } from 'yaml';
import { LineIndex, locateOffsets } from './locate.js';
import { objectsOfDocument, type K8sObject } from './model/objects.js';
import { workloadOf } from './model/workloads.js';
import { fastDocuments } from './fast-parse.js';
import { parseText, type ParsedDocument } from './parse.js';
import { formatMessage, type AnyRule, type SharedSettings } from './rule.js';
import { emptyStats, type Finding, type FileResult, type Path, type Severity } from './types.js';

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
  /** Severity of the engine's own findings (parse-error, duplicate-key, yaml-compat). */
  syntaxSeverity?: Partial<Record<'parse-error' | 'duplicate-key' | 'yaml-compat', Severity | 'off'>>;
}

export const SYNTAX_RULES = {
  'parse-error': { severity: 'error', description: 'The file is not valid YAML or JSON.' },
  'duplicate-key': { severity: 'error', description: 'A mapping has the same key twice; Kubernetes rejects or warns on it.' },
  'yaml-compat': {
    severity: 'warning',
    description: 'YAML that Kubernetes accepts but stricter YAML tools reject (e.g. a `\\\'` escape in a double-quoted string).',
  },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export const DEFAULT_SETTINGS: SharedSettings = {
  mainContainerAnnotation: 'kubectl.kubernetes.io/default-container',
};

/** Lints the text of one file. `file` is only used to label findings. */
export function lintText(text: string, file: string, options: LintOptions): FileResult {
  if (options.fast !== false) {
    const result = lintFast(text, file, options);
    if (result) return result;
  }
  return lintExact(text, file, options);
}

/** Thrown to stop the fast path at the first report: the exact path then does the work. */
const NEEDS_POSITIONS = Symbol('needs positions');

/** The fast path: a result only when the file parses cleanly and nothing is reported. */
function lintFast(text: string, file: string, options: LintOptions): FileResult | undefined {
  const values = fastDocuments(text);
  if (!values) return undefined;
  const stats = emptyStats();
  stats.files = 1;
  const workloadOptions = { mainContainerAnnotation: options.settings.mainContainerAnnotation };
  const report = (): never => {
    throw NEEDS_POSITIONS;
  };
  try {
    values.forEach((value, index) => {
      stats.documents++;
      const objects = objectsOfDocument(value, index);
      if (objects.length === 0) {
        stats.skippedDocuments++;
        return;
      }
      for (const object of objects) {
        stats.objects++;
        const workload = workloadOf(object, workloadOptions);
        for (const enabled of options.rules) {
          enabled.rule.check({ object, workload, options: enabled.options, settings: options.settings, report });
        }
      }
    });
  } catch (e) {
    if (e === NEEDS_POSITIONS) return undefined;
    throw e;
  }
  return { file, findings: [], stats };
}

/** The exact path: `yaml` with positions, syntax findings, and every report located. */
export function lintExact(text: string, file: string, options: LintOptions): FileResult {
  const parsed = parseText(text);
  const stats = emptyStats();
  stats.files = 1;
  const findings: Finding[] = [];
  let lines: LineIndex | undefined;
  const lineIndex = (): LineIndex => (lines ??= new LineIndex(parsed.text));

  for (const doc of parsed.documents) {
    for (const problem of doc.problems) {
      const severity = options.syntaxSeverity?.[problem.ruleId] ?? SYNTAX_RULES[problem.ruleId].severity;
      if (severity === 'off') continue;
      findings.push({
        ruleId: problem.ruleId,
        severity,
        message: problem.message,
        file,
        ...lineIndex().range(problem.start, Math.max(problem.end, problem.start + 1)),
        object: null,
        container: null,
      });
    }
    stats.documents++;
    if (!doc.usable) continue;
    const objects = objectsOfDocument(doc.value, doc.index);
    if (objects.length === 0) {
      stats.skippedDocuments++;
      continue;
    }
    for (const object of objects) {
      stats.objects++;
      lintObject(object, doc, file, options, lineIndex, findings);
    }
  }
  return { file, findings, stats };
}

function lintObject(
  object: K8sObject,
  doc: ParsedDocument,
  file: string,
  options: LintOptions,
  lineIndex: () => LineIndex,
  findings: Finding[],
): void {
  const workload = workloadOf(object, { mainContainerAnnotation: options.settings.mainContainerAnnotation });
  for (const enabled of options.rules) {
    const { rule, severity } = enabled;
    rule.check({
      object,
      workload,
      options: enabled.options,
      settings: options.settings,
      report(descriptor) {
        const template = rule.meta.messages[descriptor.messageId] ?? descriptor.messageId;
        const path: Path = [...object.path, ...descriptor.path];
        const [start, end] = locateOffsets(doc.yaml as Document, path);
        const container = descriptor.container;
        findings.push({
          ruleId: rule.meta.id,
          severity,
          message: formatMessage(template, descriptor.data),
          file,
          ...lineIndex().range(start, end),
          object: { ...object.ref },
          container: container === undefined ? null : typeof container === 'string' ? container : container.name,
        });
      },
    });
  }
}
