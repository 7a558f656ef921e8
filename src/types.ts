/** Shared types of the engine. Nothing here knows about a particular rule. */
import type { PodGraph } from './model/pod-graph.js';

/** The severities of a finding, most severe first: every other list of them derives from this one. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** What a rule may be set to (config, `--rule`): `off` or a severity, least severe first. */
export type SeveritySetting = 'off' | Severity;
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', ...[...SEVERITIES].reverse()];
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** A path into a plain object: map keys and sequence indexes. */
export type Path = readonly (string | number)[];

export interface ObjectRef {
  apiVersion: string | null;
  kind: string | null;
  name: string | null;
  namespace: string | null;
}

/**
 * One change of an automatic fix, on paths (never on text): the engine applies it to the file's text
 * (src/run/fix.ts), keeping every byte outside the nodes it changes.
 * - `set`: a string value at `path`, creating the maps on the way;
 * - `delete`: a map entry or a list item;
 * - `moveEntry`: a map entry to another map (created beside the source map when missing), the value as written;
 * - `moveItem`: a list item to the list at `to` (created before the source list when missing), at
 *   `index` (at the end when past it), with the string entries of `set` added to it;
 * - `dropEarlierDuplicates`: every entry of the map at `path` with key `key` but the last one.
 */
export type FixEdit =
  | { op: 'set'; path: Path; value: string }
  | { op: 'delete'; path: Path }
  | { op: 'moveEntry'; from: Path; to: Path }
  | { op: 'moveItem'; from: Path; to: Path; index: number; set?: Readonly<Record<string, string>> }
  | { op: 'dropEarlierDuplicates'; path: Path; key: string };

/** Whether a fix only writes down what is already so (`safe`) or changes how the workload runs (`unsafe`). */
export type FixKind = 'safe' | 'unsafe';

/** An automatic fix of a finding: edits with paths from the root of its document. */
export interface FindingFix {
  kind: FixKind;
  /** What it does, for people (`move "x" to stringData`). */
  title: string;
  documentIndex: number;
  edits: readonly FixEdit[];
  /**
   * What the fix achieves, checked by linting again: `gone` (the finding disappears) or `named` (the
   * finding stays but no longer names a guessed main container).
   */
  resolves: 'gone' | 'named';
}

/** One reported problem with its location resolved to 1-based line and column. */
export interface Finding {
  ruleId: string;
  /**
   * Which of the rule's messages this is (a key of its `meta.messages`); absent for the engine's own
   * findings (parse-error, duplicate-key, ...), which have one message each or build it from the problem.
   */
  messageId?: string;
  severity: Severity;
  /** What is wrong, in one short line naming the object. */
  message: string;
  /** Why it matters and how to fix it (absent for findings whose message says it all). */
  hint?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  object: ObjectRef | null;
  container: string | null;
  /**
   * Internal: the path of the reported node from the object's root (not part of any output format),
   * used to map findings in rendered output back to source files.
   */
  path?: Path;
  /**
   * Internal: where the credential value the finding reports is written (`ReportDescriptor.credential`,
   * rooted at the document; not part of any output format), for masking it (see src/run/fix.ts).
   * For an object in a string (an inline patch), the path of the string.
   */
  credential?: { documentIndex: number; path: Path };
  /** Set when a suppression (annotation, comment or config exemption) accepted this finding. */
  suppressed?: { kind: 'annotation' | 'comment' | 'config'; justification: string };
  /** Automatic fixes, the preferred first (not part of any output format; see src/run/fix.ts). */
  fixes?: FindingFix[];
  /** Set when the baseline (`--baseline`) accepts this finding. */
  baselined?: true;
  /** A value-free picture of the pod, when the rule attached one (not part of the json format). */
  pod?: PodGraph;
}

/** Counts gathered while linting, reported in the summary. */
export interface LintStats {
  files: number;
  documents: number;
  objects: number;
  /** Documents that are empty or are not Kubernetes objects (no apiVersion/kind). */
  skippedDocuments: number;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  stats: LintStats;
  /** Facts rules deferred for cross-resource checks (see Rule.crossCheck). */
  facts?: { ruleId: string; fact: unknown; documentIndex: number; objectPath: Path }[];
}

export interface Summary extends LintStats {
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings accepted by a suppression (not counted above). */
  suppressed: number;
  /** Findings accepted by the baseline (not counted above); present only when a baseline is in use. */
  baselined?: number;
}

export function emptyStats(): LintStats {
  return { files: 0, documents: 0, objects: 0, skippedDocuments: 0 };
}

export function addStats(into: LintStats, from: LintStats): void {
  into.files += from.files;
  into.documents += from.documents;
  into.objects += from.objects;
  into.skippedDocuments += from.skippedDocuments;
}

export function summarize(findings: readonly Finding[], stats: LintStats, suppressed = 0): Summary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { ...stats, findings: findings.length, errors, warnings, infos, suppressed };
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0) ||
    // Two findings of a rule at one place can share a message and differ in their hints.
    ((a.hint ?? '') < (b.hint ?? '') ? -1 : (a.hint ?? '') > (b.hint ?? '') ? 1 : 0)
  );
}
