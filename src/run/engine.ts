/**
 * Linting one file is a pure function from text to findings: no I/O, no global state, so it can run
 * in worker threads or a browser. Positions are computed only for what is reported.
 *
 * Room run: must not import format, app, rules/.
 */
import type { Document } from 'yaml';
import { LightDocument } from '../yaml/light-locate.js';
import { embeddedLocator, embeddedObjects, type EmbeddedObject } from '../model/embedded.js';
import { documentLocator, LineIndex, PartLines, type InnerPosition, type Lines, type Locator } from '../yaml/locate.js';
import { mayHaveDirectives, objectsOfDocument, originPath, type DocumentContext, type K8sObject } from '../model/objects.js';
import { workloadOf } from '../model/workloads.js';
import { objectKey, serviceMainFact, SERVICE_MAIN_FACTS } from '../model/service-main.js';
import { fastDocuments, type DuplicateKey } from '../yaml/fast-parse.js';
import { checkFindings, checkParseFits } from '../memory.js';
import { duplicateKeyProblem, lexerTokens, MAX_INPUT_SIZE, normalizeText, parseText } from '../yaml/parse.js';
import { documentStarts, hasUnicodeBreaks } from '../yaml/kube-stream.js';
import { formatMessage, messageTemplate, runsOnPatches, type AnyRule, type FactOrigin, type ReportDescriptor, type RuleContext } from '../rule.js';
import { ENGINE_RULES, type EngineRuleId, type ExemptionMatcher, type LintOptions } from '../config/lint-options.js';
import {
  annotationSuppressions,
  commentDirectives,
  documentStartLines,
  directiveMatcher,
  documentStartOf,
  nameGlob,
  type AnnotationSuppression,
  type CommentDirective,
} from './suppress.js';
import { emptyStats, type Finding, type FindingFix, type FileResult, type Path, type Severity } from '../types.js';
import { mainGuessNote, type ContainerInfo, type Workload } from '../model/workloads.js';
import { duplicateKeyFixAt, duplicateKeyFixes, rootedEdit } from '../yaml/fix-edits.js';

/** The workload view of an object, with the run's main-container settings; its main-container fact, if any, goes to `facts`. */
function workloadFor(object: K8sObject, file: string, options: LintOptions, facts: FileFact[]) {
  const overrides = options.mainOverrides;
  const mainFromService = overrides !== undefined && overrides.size > 0 ? overrides.get(objectKey(file, object.documentIndex, originPath(object))) : undefined;
  // Always the same two properties (one shape of options object for workloadOf).
  const workload = workloadOf(object, { mainContainerAnnotation: options.settings.mainContainerAnnotation, mainFromService });
  const fact = object.isPatch ? undefined : serviceMainFact(object, workload, options.settings.namespace);
  if (fact) facts.push({ ruleId: SERVICE_MAIN_FACTS, fact, documentIndex: object.documentIndex, objectPath: originPath(object) });
  return workload;
}

/** How the documents of a file are read into objects: whether they are listed patches, whether to look for directives. */
function documentContext(text: string, file: string, options: LintOptions): DocumentContext {
  return { listedPatch: options.patchFiles?.has(file) === true, mayHaveDirectives: mayHaveDirectives(text) };
}

/** Whether a rule runs on an object: rules about a pod's structure never run on a patch. */
function appliesTo(rule: AnyRule, object: K8sObject): boolean {
  return !object.isPatch || runsOnPatches(rule.meta);
}

/** A finding from a cross-resource check, to be located and suppressed like any other. */
export interface LateReport {
  ruleId: string;
  origin: FactOrigin;
  descriptor: ReportDescriptor;
}

/** A fact a rule deferred while linting a file. */
export interface FileFact {
  ruleId: string;
  fact: unknown;
  documentIndex: number;
  objectPath: Path;
}

/** Lints the text of one file. `file` is only used to label findings. */
export function lintText(text: string, file: string, options: LintOptions, late?: readonly LateReport[]): FileResult {
  if (options.fast !== false) {
    const result = lintFast(text, file, options, late);
    if (result) return result;
  }
  return lintExact(text, file, options, late);
}

/** `lintText` on the fast path only: undefined when the file needs the exact path. */
export function lintTextFast(text: string, file: string, options: LintOptions, late?: readonly LateReport[]): FileResult | undefined {
  return lintFast(text, file, options, late);
}

/**
 * `lintText` on the exact path only: what `lintText` gives for a text `lintTextFast` has just
 * refused with the same arguments (it would refuse it again, for the same work).
 */
export function lintTextExact(text: string, file: string, options: LintOptions, late?: readonly LateReport[]): FileResult {
  return lintExact(text, file, options, late);
}

function deferTo(facts: FileFact[], ruleId: string, object: K8sObject): (fact: unknown) => void {
  return (fact) => void facts.push({ ruleId, fact, documentIndex: object.documentIndex, objectPath: originPath(object) });
}

/**
 * The fast path: plain values only. A document with a report is set aside, and only those documents
 * are parsed again exactly (each `---` part on its own) to locate the reports; the file as a whole
 * goes to the exact path when the fast parser is unsure, or when its documents cannot be matched one
 * to one with the `---` parts. Suppressions are applied as on the exact path: comment directives are
 * lines of the text, matched to the findings by line once all are located; an object's suppression
 * annotations are read by `lintObject` when its document is located, and a document whose annotations
 * are reported (no reason, or unused when asked) is located even without findings.
 */
function lintFast(text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined): FileResult | undefined {
  const directives = fastDirectives(text, options);
  if (directives === 'exact') return undefined;
  const result = lintFastUnsuppressed(text, file, options, late);
  if (!result || directives === undefined) return result;
  const { findings } = result;
  applyDirectives(directives.directives, directives.starts, findings, options, (id, message, range, object, hint) => {
    const finding = engineFindingOf(options, id, message, file, range, object, hint);
    if (finding) findings.push(finding);
  });
  return result;
}

/**
 * The comment directives of a text for the fast path, with the lines its documents start on:
 * undefined when it has none (or they are off), 'exact' when only the exact path may read them (it
 * keeps Unicode line breaks in the text its directives' lines are counted on).
 */
function fastDirectives(text: string, options: LintOptions): { directives: CommentDirective[]; starts: number[] } | 'exact' | undefined {
  if (options.inlineSuppressions === false || !text.includes('sidecar-lint-')) return undefined;
  if (hasUnicodeBreaks(text)) return 'exact';
  const whole = normalizeText(text);
  const directives = commentDirectives(whole);
  return directives.length === 0 ? undefined : { directives, starts: documentStartLines(whole) };
}

/** `lintFast` before comment directives are applied. */
function lintFastUnsuppressed(text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined): FileResult | undefined {
  // A key written twice is read on (the later value, as the exact path reads it) and reported below.
  const duplicates: DuplicateKey[] = [];
  const values = fastDocuments(text, duplicates);
  if (!values) return undefined;
  const stats = emptyStats();
  stats.files = 1;
  // Every rule runs on every object once, here: a report is recorded (its document then needs
  // positions) and replayed in lintParts, which locates it without running the rules again.
  const factsByDocument: FileFact[][] = [];
  const recordedByDocument: Recorded[][] = [];
  const readByDocument: ReadDocument[] = [];
  const needed: number[] = [];
  const context = documentContext(text, file, options);
  const only = options.onlyDocuments;
  let reports: Recorded = [];
  let current = 0;
  const report = (descriptor: ReportDescriptor): void => {
    reports.push({ rule: current, descriptor });
  };
  // One `defer` for the file, as one `report`: the rule whose check runs is `current`, on `deferObject`.
  let deferObject: K8sObject | undefined;
  let deferFacts: FileFact[] = [];
  const defer = (fact: unknown): void => {
    const object = deferObject!;
    deferFacts.push({ ruleId: ids[current]!, fact, documentIndex: object.documentIndex, objectPath: originPath(object) });
  };
  const rules = options.rules;
  const { onPatches, ids } = rulesOf(rules);
  const inline = options.inlineSuppressions !== false;
  // One context for the file, its object, workload and options set before each check (a check uses
  // it only while it runs): not one allocated per rule and object.
  const ctx: RuleContext = { object: undefined as unknown as K8sObject, workload: undefined, options: NO_RULE_OPTIONS, settings: options.settings, report, defer };
  const lintDocument = (value: unknown, index: number): void => {
    stats.documents++;
    if (only && !only.has(index)) return;
    const objects = objectsOfDocument(value, index, context);
    const own = objects.length;
    stats.objects += own;
    if (own === 0) stats.skippedDocuments++;
    // Objects written in its strings (inline Kustomize patches) after the document's own.
    const embedded = embeddedObjects(value, index, file);
    for (const e of embedded) objects.push(e.object);
    if (objects.length === 0) return;
    const facts: FileFact[] = [];
    factsByDocument[index] = facts;
    let recorded: Recorded[] | undefined;
    // Whether an object's suppression annotations are reported (the document is then located).
    let annotated = false;
    const workloads: (Workload | undefined)[] = [];
    for (let ordinal = 0; ordinal < objects.length; ordinal++) {
      const object = objects[ordinal]!;
      const workload = workloadFor(object, file, options, facts);
      workloads.push(workload);
      if (inline && !annotated) annotated = annotationsReported(object, workload, options);
      reports = [];
      deferObject = object;
      deferFacts = facts;
      ctx.object = object;
      ctx.workload = workload;
      const isPatch = object.isPatch;
      for (current = 0; current < rules.length; current++) {
        // As `appliesTo`: rules about a pod's structure never run on a patch.
        if (isPatch && !onPatches[current]) continue;
        const enabled = rules[current]!;
        ctx.options = enabled.options;
        enabled.rule.check(ctx);
      }
      if (reports.length > 0) (recorded ??= [])[ordinal] = reports;
    }
    if (recorded) recordedByDocument[index] = recorded;
    if (recorded || annotated) readByDocument[index] = { value, objects, own, embedded, workloads };
    if (recorded || annotated || hasLate(late, index)) needed.push(index);
  };
  values.forEach(lintDocument);
  const facts = factsByDocument.length === 1 ? (factsByDocument[0] ?? []) : factsByDocument.flat();
  // The documents with a duplicate key (of those linted) have a finding too.
  const repeated = only && duplicates.length > 0 ? duplicates.filter((d) => only.has(d.document)) : duplicates;
  if (needed.length === 0 && repeated.length === 0) return { file, findings: [], stats, facts };
  const documents = repeated.length === 0 ? needed : [...new Set([...needed, ...repeated.map((d) => d.document)])].sort((a, b) => a - b);
  const findings = lintParts(text, file, options, values, documents, recordedByDocument, late, context, readByDocument, repeated, inline);
  return findings ? { file, findings, stats, facts } : undefined;
}

/** The options of the file's context before its first check. */
const NO_RULE_OPTIONS: Record<string, unknown> = Object.freeze({});

/** Which rules also run on patches, and the rules' ids, read once per list of rules (not per file). */
const rulesRead = new WeakMap<readonly unknown[], { onPatches: boolean[]; ids: string[] }>();

function rulesOf(rules: LintOptions['rules']): { onPatches: boolean[]; ids: string[] } {
  let read = rulesRead.get(rules);
  if (read?.ids.length !== rules.length) {
    read = { onPatches: rules.map((enabled) => runsOnPatches(enabled.rule.meta)), ids: rules.map((enabled) => enabled.rule.meta.id) };
    rulesRead.set(rules, read);
  }
  return read;
}

/**
 * What the fast pass read of a document with reports, reused to locate them: its objects (its own
 * `own` first, then those written in its strings, `embedded`) and their workloads.
 */
interface ReadDocument {
  value: unknown;
  objects: readonly K8sObject[];
  own: number;
  embedded: readonly EmbeddedObject[];
  workloads: readonly (Workload | undefined)[];
}

/** The reports the rules made on one object in the fast pass, each with its rule's index in `options.rules`, in the order made. */
type Recorded = { rule: number; descriptor: ReportDescriptor }[];

/**
 * Locates the reports of the documents that need positions, each `---` part read on its own with
 * positions of the whole file: the reports the fast pass recorded (`recorded`, by document and
 * object; the rules are not run again) and the cross-resource ones (`late`). A document's duplicate
 * keys (`duplicates`, sorted by document and offset) come first, as on the exact path. With
 * `annotations`, each object's suppression annotations are reported after its findings, as on the
 * exact path (not for the second pass, whose file has them already). Undefined (the
 * whole file then takes the exact path) when the parts do not match the fast parser's documents one
 * to one.
 */
function lintParts(
  text: string,
  file: string,
  options: LintOptions,
  values: readonly unknown[],
  needed: readonly number[],
  recorded: readonly (readonly Recorded[] | undefined)[],
  late: readonly LateReport[] | undefined,
  context: DocumentContext,
  read: readonly (ReadDocument | undefined)[] = [],
  duplicates: readonly DuplicateKey[] = [],
  annotations = false,
): Finding[] | undefined {
  const whole = normalizeText(text);
  // A text without `---` is one document starting at 0 (most files): no separator lines to look for.
  const starts = whole.includes('---') ? documentStarts(whole) : ONE_DOCUMENT;
  if (starts.length !== values.length) return undefined;
  let lines: LineIndex | undefined;
  const findings: Finding[] = [];
  // Facts were kept by the fast pass: what locating gives again is dropped.
  const scratch: FileFact[] = [];
  const locateAll = (value: unknown, index: number, locator: Locator & { unsure?: boolean }, view: PartLines): void => {
    const replay = recorded[index] ?? [];
    const lineIndex = () => view;
    // The objects the fast pass read of this value, and their workloads: not read again.
    const known = read[index];
    if (known !== undefined && known.value === value) {
      const { objects, own, embedded, workloads } = known;
      for (let ordinal = 0; ordinal < objects.length; ordinal++) {
        if (locator.unsure) return;
        const object = objects[ordinal]!;
        const at = ordinal < own ? locator : embeddedLocator(locator, embedded[ordinal - own]!);
        const suppressions = lintObject(object, at, file, options, lineIndex, findings, scratch, lateFor(late, object), replay[ordinal] ?? NOTHING, workloads[ordinal] ?? NO_WORKLOAD);
        if (annotations) reportAnnotations(suppressions, object, at, lineIndex, file, options, findings);
      }
      return;
    }
    let ordinal = 0;
    for (const object of objectsOfDocument(value, index, context)) {
      if (locator.unsure) return;
      const suppressions = lintObject(object, locator, file, options, lineIndex, findings, scratch, lateFor(late, object), replay[ordinal++] ?? NOTHING);
      if (annotations) reportAnnotations(suppressions, object, locator, lineIndex, file, options, findings);
    }
    for (const e of embeddedObjects(value, index, file)) {
      if (locator.unsure) return;
      const at = embeddedLocator(locator, e);
      const suppressions = lintObject(e.object, at, file, options, lineIndex, findings, scratch, lateFor(late, e.object), replay[ordinal++] ?? NOTHING);
      if (annotations) reportAnnotations(suppressions, e.object, at, lineIndex, file, options, findings);
    }
  };
  let d = 0;
  for (const index of needed) {
    const start = starts[index]!;
    if (d < duplicates.length && duplicates[d]!.document === index) {
      for (; d < duplicates.length && duplicates[d]!.document === index; d++) {
        const { offset, key, path } = duplicates[d]!;
        const problem = duplicateKeyProblem(whole, offset);
        const finding = engineFindingOf(options, problem.ruleId, problem.message, file, (lines ??= new LineIndex(whole)).range(problem.start, Math.max(problem.end, problem.start + 1)));
        if (finding) {
          finding.fixes = [duplicateKeyFixAt(path, key, index)];
          findings.push(finding);
        }
      }
      if (recorded[index] === undefined && !hasLate(late, index)) continue;
    }
    const part = whole.slice(start, starts[index + 1] ?? whole.length);
    const view = new PartLines((lines ??= new LineIndex(whole)), part, start);
    // Most documents are plain block YAML, located without a parse; the rest are parsed with `yaml`.
    const light = LightDocument.read(part);
    if (light) {
      const before = findings.length;
      const locator = lightLocator(light, values[index]);
      locateAll(values[index], index, locator, view);
      if (!locator.unsure) continue;
      // The light reader was unsure of a position: what this document gave is dropped, and it is
      // parsed with `yaml` below.
      findings.length = before;
    }
    const parsed = parseWithPositions(part, file);
    const doc = parsed.documents.length === 1 ? parsed.documents[0]! : undefined;
    // A duplicate key is the only problem the fast path reads on (its finding is above).
    if (!doc || parsed.text !== part || !doc.usable || doc.problems.some((p) => p.ruleId !== 'duplicate-key')) return undefined;
    if (JSON.stringify(doc.value) !== JSON.stringify(values[index])) return undefined;
    locateAll(doc.value, index, documentLocator(doc.yaml as Document, part), view);
  }
  return findings;
}

/** A known workload that is none (an object without a pod), as `lintObject` is told it. */
const NO_WORKLOAD = Symbol('no workload');

const ONE_DOCUMENT: readonly number[] = Object.freeze([0]);

/** No recorded reports: lintObject runs no rule, only places the cross-resource reports. */
const NOTHING: Recorded = [];

/**
 * Only the findings of cross-resource reports (`late`), for a text whose other findings are known (the
 * second pass over a file, run/lint-files.ts): each document with reports is located as `lintFast`
 * locates it, and its rules are not run again. The findings come in document order, and in a
 * document in the order `lintObject` gives a report (rule order; a rule's reports in the order made).
 * Undefined (the caller lints the documents again) on the exact path, when the fast path cannot read
 * the text, or when a document with reports does not hold exactly one object (a finding does not say
 * which of a document's objects it is on, so the caller could not place the reports among the others).
 */
export function lintLate(text: string, file: string, options: LintOptions, late: readonly LateReport[] | undefined): FileResult | undefined {
  if (options.fast === false || !late || late.length === 0) return undefined;
  // The reports' findings are suppressed as on the other paths (annotations by lintObject). The
  // comments' own findings are the first pass's: a comment the first pass found unused that a
  // report uses is one of its document's findings, which the caller then lints again.
  const directives = fastDirectives(text, options);
  if (directives === 'exact') return undefined;
  // Duplicate keys are among the findings already known.
  const values = fastDocuments(text, []);
  if (!values) return undefined;
  const context = documentContext(text, file, options);
  const needed = [...lateIndex(late).documents].sort((a, b) => a - b);
  for (const index of needed) {
    if (index < 0 || index >= values.length) return undefined;
    const value = values[index];
    if (objectsOfDocument(value, index, context).length + embeddedObjects(value, index, file).length !== 1) return undefined;
  }
  const findings = lintParts(text, file, options, values, needed, [], late, context);
  if (!findings) return undefined;
  if (directives !== undefined) suppressWithDirectives(directives.directives, directives.starts, findings);
  const stats = emptyStats();
  stats.files = 1;
  stats.documents = values.length;
  return { file, findings, stats };
}

/** A file's cross-resource reports grouped by object (and the documents that have any), made once per list. */
interface LateIndex {
  byObject: Map<string, LateReport[]>;
  documents: Set<number>;
}

const lateIndexes = new WeakMap<readonly LateReport[], LateIndex>();

function lateIndex(late: readonly LateReport[]): LateIndex {
  let index = lateIndexes.get(late);
  if (index) return index;
  index = { byObject: new Map(), documents: new Set() };
  for (const r of late) {
    const key = `${r.origin.documentIndex}\u0000${r.origin.objectPath.join('\u0000')}`;
    const list = index.byObject.get(key);
    if (list) list.push(r);
    else index.byObject.set(key, [r]);
    index.documents.add(r.origin.documentIndex);
  }
  lateIndexes.set(late, index);
  return index;
}

/** Does a document have cross-resource reports? */
function hasLate(late: readonly LateReport[] | undefined, documentIndex: number): boolean {
  return late !== undefined && lateIndex(late).documents.has(documentIndex);
}

/**
 * The cross-resource reports that belong to an object, in the order they were made. (Looked up in
 * an index: a file of 16,000 Services each with a report would otherwise scan every report per object.)
 */
function lateFor(late: readonly LateReport[] | undefined, object: K8sObject): LateReport[] | undefined {
  if (!late) return undefined;
  return lateIndex(late).byObject.get(`${object.documentIndex}\u0000${originPath(object).join('\u0000')}`) ?? [];
}

/**
 * Positions from the light reader. Where it cannot be sure of one, the locator says so (`unsure`) and
 * answers with the document's start, a stand-in the caller drops: the document is then parsed with `yaml`.
 */
function lightLocator(light: LightDocument, value: unknown): Locator & { unsure: boolean } {
  const locator = {
    unsure: false,
    offsets(path: Path): [number, number] {
      const at = light.locate(value, path);
      if (at) return at;
      locator.unsure = true;
      return [0, 0] as [number, number];
    },
    inner(path: Path, inner: InnerPosition): [number, number] | undefined {
      const at = light.locateInner(path, inner);
      if (at !== null) return at;
      locator.unsure = true;
      return [0, 0] as [number, number];
    },
  };
  return locator;
}

function engineSeverity(options: LintOptions, id: EngineRuleId): Severity | 'off' {
  return options.syntaxSeverity?.[id] ?? ENGINE_RULES[id].severity;
}

type FindingRange = Omit<Finding, 'ruleId' | 'severity' | 'message' | 'hint' | 'file' | 'object' | 'container'>;

/** A finding of the engine's own (a syntax problem, a suppression check), or undefined when its severity is off. */
function engineFindingOf(options: LintOptions, id: EngineRuleId, message: string, file: string, range: FindingRange, object: K8sObject | null = null, hint?: string): Finding | undefined {
  const severity = engineSeverity(options, id);
  if (severity === 'off') return undefined;
  return { ruleId: id, severity, message, ...(hint !== undefined ? { hint } : {}), file, ...range, object: object ? { ...object.ref } : null, container: null };
}

/**
 * `parseText`, after making sure the parse fits in the heap that is left: a huge single document
 * (one that cannot be linted in parts) ends the run with one line naming the file, not with V8's
 * abort half-way through the parse. (A text over the size limit is refused by parseText unparsed.)
 */
function parseWithPositions(text: string, file: string): ReturnType<typeof parseText> {
  if (text.length <= MAX_INPUT_SIZE) checkParseFits(text.length, () => lexerTokens(text), file);
  return parseText(text);
}

/** The exact path: `yaml` with positions, syntax findings, every report located, suppressions applied. */
function lintExact(text: string, file: string, options: LintOptions, late?: readonly LateReport[]): FileResult {
  const parsed = parseWithPositions(text, file);
  const stats = emptyStats();
  stats.files = 1;
  const findings: Finding[] = [];
  const facts: FileFact[] = [];
  let lines: LineIndex | undefined;
  const lineIndex = (): LineIndex => (lines ??= new LineIndex(parsed.text));
  const inline = options.inlineSuppressions !== false;
  const directives = inline ? commentDirectives(parsed.text) : [];
  const engineFinding = (id: EngineRuleId, message: string, range: FindingRange, object: K8sObject | null = null, hint?: string) => {
    const finding = engineFindingOf(options, id, message, file, range, object, hint);
    if (finding) findings.push(finding);
  };

  const context = documentContext(parsed.text, file, options);
  for (const doc of parsed.documents) {
    // The fixes of the document's duplicate keys, found in one walk of it.
    let duplicateFixes: Map<number, FindingFix> | undefined;
    for (const problem of doc.problems) {
      const before = findings.length;
      engineFinding(problem.ruleId, problem.message, lineIndex().range(problem.start, Math.max(problem.end, problem.start + 1)));
      if (problem.ruleId === 'duplicate-key' && findings.length > before) {
        duplicateFixes ??= duplicateKeyFixes(doc.yaml as Document, doc.problems.filter((p) => p.ruleId === 'duplicate-key').map((p) => p.start), doc.index);
        const fix = duplicateFixes.get(problem.start);
        if (fix) findings[before]!.fixes = [fix];
      }
    }
    stats.documents++;
    if (!doc.usable) continue;
    const locator = documentLocator(doc.yaml as Document, parsed.text);
    const objects = objectsOfDocument(doc.value, doc.index, context).map((object) => ({ object, locator }));
    stats.objects += objects.length;
    if (objects.length === 0) stats.skippedDocuments++;
    // Objects written in its strings (inline Kustomize patches) after the document's own.
    for (const e of embeddedObjects(doc.value, doc.index, file, options.fast === false)) objects.push({ object: e.object, locator: embeddedLocator(locator, e) });
    for (const { object, locator } of objects) {
      const annotations = lintObject(object, locator, file, options, lineIndex, findings, facts, lateFor(late, object));
      reportAnnotations(annotations, object, locator, lineIndex, file, options, findings);
    }
  }

  if (directives.length > 0) applyDirectives(directives, documentStartLines(parsed.text), findings, options, engineFinding);
  return { file, findings, stats, facts };
}

/** The findings of an object's suppression annotations once its rules have run: those without a reason, and (when asked) those unused. */
function reportAnnotations(annotations: readonly AnnotationSuppression[], object: K8sObject, locator: Locator, lineIndex: () => Lines, file: string, options: LintOptions, findings: Finding[]): void {
  for (const a of annotations) {
    let id: EngineRuleId;
    let message: string;
    let hint: string;
    if (a.reason === '') {
      id = 'suppression-without-reason';
      message = `Suppression annotation for "${a.ruleId}" gives no reason.`;
      hint = "Write why the finding is accepted as the annotation's value.";
    } else if (options.reportUnusedSuppressions && !a.used) {
      id = 'unused-suppression';
      message = `Suppression annotation for "${a.ruleId}" matched no finding.`;
      hint = 'Remove it.';
    } else continue;
    const finding = engineFindingOf(options, id, message, file, lineIndex().range(...locator.offsets([...object.path, ...a.path])), object, hint);
    if (finding) findings.push(finding);
  }
}

/** Whether an object's suppression annotations give findings of their own (see reportAnnotations), whatever the rules report. */
function annotationsReported(object: K8sObject, workload: Workload | undefined, options: LintOptions): boolean {
  const annotations = annotationSuppressions(object.value, workload ? templateMetadataPath(workload) : undefined);
  return annotations.length > 0 && (options.reportUnusedSuppressions || annotations.some((a) => a.reason === ''));
}

type EngineReporter = (
  id: EngineRuleId,
  message: string,
  range: { line: number; column: number; endLine: number; endColumn: number },
  object?: null,
  hint?: string,
) => void;

function applyDirectives(
  directives: CommentDirective[],
  documentStarts: readonly number[],
  findings: Finding[],
  options: LintOptions,
  report: EngineReporter,
): void {
  suppressWithDirectives(directives, documentStarts, findings);
  const before = findings.length;
  for (const d of directives) {
    const range = { line: d.line, column: d.column, endLine: d.line, endColumn: d.endColumn };
    if (d.type !== 'enable' && d.reason === '') {
      report('suppression-without-reason', `sidecar-lint-${d.type} comment gives no reason.`, range, null, 'Write why the finding is accepted after " -- ".');
    } else if (options.reportUnusedSuppressions && d.type !== 'enable' && !d.used) {
      report('unused-suppression', `sidecar-lint-${d.type} comment for ${d.rules.join(', ')} matched no finding.`, range, null, 'Remove it.');
    }
  }
  if (findings.length > before) withTheirDocuments(findings, before, documentStarts);
}

/** Marks the findings a comment directive suppresses, and the directives used. */
function suppressWithDirectives(directives: CommentDirective[], documentStarts: readonly number[], findings: readonly Finding[]): void {
  const match = directiveMatcher(directives, documentStarts);
  for (const f of findings) {
    if (f.suppressed || f.ruleId === 'parse-error') continue;
    const d = match(f.ruleId, f.line);
    if (d) {
      d.used = true;
      f.suppressed = { kind: 'comment', justification: d.reason };
    }
  }
}

/**
 * Moves the comments' findings (`findings` from `from` on, in line order) to the end of their
 * documents' findings (the others are in document order): the same order whether a text is linted
 * whole or a document at a time, so the second pass can merge a file's findings by document.
 */
function withTheirDocuments(findings: Finding[], from: number, documentStarts: readonly number[]): void {
  const comments = findings.slice(from);
  const others = findings.slice(0, from);
  findings.length = 0;
  let c = 0;
  for (const f of others) {
    const start = documentStartOf(documentStarts, f.line);
    while (c < comments.length && documentStartOf(documentStarts, comments[c]!.line) < start) findings.push(comments[c++]!);
    findings.push(f);
  }
  while (c < comments.length) findings.push(comments[c++]!);
}

function matchesAny(patterns: readonly string[] | undefined, value: string | null): boolean {
  if (!patterns) return true;
  if (value === null) return false;
  return patterns.some((p) => nameGlob(p).test(value));
}

function exemptionFor(
  options: LintOptions,
  ruleId: string,
  object: K8sObject,
  container: string | null,
): ExemptionMatcher | undefined {
  const namespace = object.ref.namespace ?? options.settings.namespace;
  return options.exemptions?.find(
    (e) =>
      (!e.rules || e.rules.includes(ruleId) || e.rules.includes('all')) &&
      (!e.kinds || (object.ref.kind !== null && e.kinds.includes(object.ref.kind))) &&
      (!e.namespaces || e.namespaces.includes(namespace)) &&
      matchesAny(e.objects, object.ref.name) &&
      (e.containers === undefined || matchesAny(e.containers, container)),
  );
}

/**
 * Runs the rules on one object and locates their reports, or (with `replay`) locates the reports the
 * fast pass recorded for it without running the rules; then the cross-resource reports (`late`).
 * Returns the object's suppression annotations (marked when used).
 */
function lintObject(
  object: K8sObject,
  locator: Locator,
  file: string,
  options: LintOptions,
  lineIndex: () => Lines,
  findings: Finding[],
  facts: FileFact[],
  late: readonly LateReport[] | undefined,
  replay?: Recorded,
  known?: Workload | typeof NO_WORKLOAD,
): AnnotationSuppression[] {
  const workload = known === undefined ? workloadFor(object, file, options, facts) : known === NO_WORKLOAD ? undefined : known;
  const annotations =
    options.inlineSuppressions !== false
      ? annotationSuppressions(object.value, workload ? templateMetadataPath(workload) : undefined)
      : [];
  // One copy of the object's reference for all its findings (nothing changes a finding's object).
  let ref: Finding['object'] | undefined;
  // The config exemption of each rule and container on the object, once looked up.
  let exemptions: Map<string, ExemptionMatcher | undefined> | undefined;
  const reporter = (rule: AnyRule, severity: Severity) => (descriptor: ReportDescriptor) => {
    const template = messageTemplate(rule, descriptor.messageId);
    // A patch's value may leave out entries it deletes: report at the entry as written.
    const written = object.sourcePath ? object.sourcePath(descriptor.path) : descriptor.path;
    const path: Path = [...object.path, ...written];
    const [start, end] = (descriptor.inner && locator.inner(path, descriptor.inner)) || locator.offsets(path);
    const c = descriptor.container;
    const container = c === undefined ? null : typeof c === 'string' ? c : (c as ContainerInfo).name;
    const at = lineIndex().range(start, end);
    const message = formatMessage(template.message, descriptor.data);
    ref ??= { ...object.ref };
    // Two literals rather than a spread: a finding without a hint has no `hint` key, and the keys keep their order.
    const finding: Finding =
      template.hint !== undefined
        ? { ruleId: rule.meta.id, messageId: descriptor.messageId, severity, message, hint: formatMessage(template.hint, descriptor.data), file, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn, object: ref, container, path: written }
        : { ruleId: rule.meta.id, messageId: descriptor.messageId, severity, message, file, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn, object: ref, container, path: written };
    if (descriptor.pod) finding.pod = descriptor.pod;
    if (descriptor.credential) {
      // In an object written in a string (an inline patch), the whole string is where it is written.
      const at = object.sourcePath ? object.sourcePath(descriptor.credential) : descriptor.credential;
      finding.credential = { documentIndex: object.documentIndex, path: object.embedded ? object.embedded.path : [...object.path, ...at] };
    }
    const fixes = fixesFor(rule, descriptor, object, workload, options);
    if (fixes.length > 0) finding.fixes = fixes;
    // The same for every finding of a rule on the object's container (200,000 of one on a ConfigMap).
    let exemption: ExemptionMatcher | undefined;
    if (options.exemptions !== undefined && options.exemptions.length > 0) {
      const key = container === null ? rule.meta.id : `${rule.meta.id}\0${container}`;
      exemptions ??= new Map();
      if (exemptions.has(key)) exemption = exemptions.get(key);
      else {
        exemption = exemptionFor(options, rule.meta.id, object, container);
        exemptions.set(key, exemption);
      }
    }
    if (exemption) {
      finding.suppressed = { kind: 'config', justification: exemption.reason };
    } else {
      const a =
        annotations.find((x) => x.ruleId === rule.meta.id && x.reason !== '') ??
        annotations.find((x) => x.ruleId === 'all' && x.reason !== '');
      if (a) {
        a.used = true;
        finding.suppressed = { kind: 'annotation', justification: a.reason };
      }
    }
    findings.push(finding);
    // A clear error rather than V8's abort when one file's findings outgrow the heap.
    checkFindings(findings.length, file);
  };
  if (replay && (late === undefined || late.length === 0)) {
    // Replaying without cross-resource reports: only the rules with a recorded report, in order.
    let r = -1;
    let report: ((descriptor: ReportDescriptor) => void) | undefined;
    for (let i = 0; i < replay.length; i++) {
      const recorded = replay[i]!;
      if (recorded.rule !== r || report === undefined) {
        r = recorded.rule;
        const enabled = options.rules[r]!;
        report = reporter(enabled.rule, enabled.severity);
      }
      report(recorded.descriptor);
    }
    return annotations;
  }
  let next = 0; // the recorded reports are in rule order
  options.rules.forEach((enabled, r) => {
    // Replaying (lintParts): a rule with no report recorded and none from a cross-resource check gives nothing.
    if (replay && (next >= replay.length || replay[next]!.rule !== r) && !late?.some((l) => l.ruleId === enabled.rule.meta.id)) return;
    const { rule, severity } = enabled;
    if (!appliesTo(rule, object)) return;
    const report = reporter(rule, severity);
    if (!replay) rule.check({ object, workload, options: enabled.options, settings: options.settings, report, defer: deferTo(facts, rule.meta.id, object) });
    else for (; next < replay.length && replay[next]!.rule === r; next++) report(replay[next]!.descriptor);
    for (const l of late ?? []) if (l.ruleId === rule.meta.id) report(l.descriptor);
  });
  return annotations;
}

/**
 * The fixes of a report: the rule's own (declared in its metadata), then the engine's for a message
 * that names a guessed main container (write the guess down as the default-container annotation).
 * Only objects written as they are in the file get fixes: not patches, not objects in strings.
 */
function fixesFor(rule: AnyRule, descriptor: ReportDescriptor, object: K8sObject, workload: Workload | undefined, options: LintOptions): FindingFix[] {
  if (object.isPatch || object.embedded || (!descriptor.fix && descriptor.data?.guess === undefined)) return NO_FIXES;
  const fixes: FindingFix[] = [];
  const at = (p: Path): Path => [...object.path, ...p];
  if (descriptor.fix && rule.meta.fix) {
    fixes.push({ kind: rule.meta.fix, title: descriptor.fix.title, documentIndex: object.documentIndex, edits: descriptor.fix.edits.map((e) => rootedEdit(e, at)), resolves: 'gone' });
  }
  const guess = descriptor.data?.guess;
  // A container without a name (shown as `#0`) cannot be named in the annotation.
  if (workload?.main && typeof workload.main.spec.name === 'string' && typeof guess === 'string' && guess !== '' && guess === mainGuessNote(workload)) {
    const annotation = options.settings.mainContainerAnnotation;
    fixes.push({
      kind: 'safe',
      title: `name "${workload.main.name}" in the ${annotation} annotation`,
      documentIndex: object.documentIndex,
      edits: [{ op: 'set', path: at([...templateMetadataPath(workload), 'annotations', annotation]), value: workload.main.name }],
      resolves: 'named',
    });
  }
  return fixes;
}

const NO_FIXES = Object.freeze([]) as unknown as FindingFix[];

function templateMetadataPath(workload: { podSpecPath: Path }): Path {
  return [...workload.podSpecPath.slice(0, -1), 'metadata'];
}
