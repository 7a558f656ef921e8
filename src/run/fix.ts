/**
 * Automatic fixes: text + lint options → fixed text, for the command line (`--fix`, `--fix-dry-run`)
 * and for editors. Pure: no I/O.
 *
 * Rules declare whether they fix (`meta.fix: 'safe' | 'unsafe'`) and report the fix as edits on paths;
 * the engine attaches them to findings (`Finding.fixes`) and src/yaml/fix-edits.ts applies them to the text,
 * keeping every byte outside the edited nodes. Each fix is checked by linting the new text again: the
 * finding is gone (or, for the default-container annotation, no longer names a guess) and no finding
 * is new; otherwise the fix is not kept and the outcome says why.
 *
 * Room run: must not import format, app, rules/.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { lintText } from './engine.js';
import { documentCutStarts, overridesByDocument } from './lint-chunks.js';
import { lintOptionsCopy, type LintOptions } from '../config/lint-options.js';
import { objectKey } from '../model/service-main.js';
import { applyFixEdits, fixSplicesOfEach, withSplices, type TextSplice } from '../yaml/fix-edits.js';
import { parseText } from '../yaml/parse.js';
import type { Finding, FindingFix } from '../types.js';

export { applyFixEdits } from '../yaml/fix-edits.js';

export interface FixOptions {
  /** Also apply fixes that change how the workload runs (`--unsafe-fixes`). */
  unsafe?: boolean;
  /** Which findings to fix (default: every one that is not suppressed). */
  accept?(finding: Finding): boolean;
}

export interface FixOutcome {
  /** The fixed text (the input when nothing was fixed). */
  text: string;
  /** The fixes kept, in the order they were applied (those of a batch in finding order, each finding where it was before its batch), with the finding each fixed. */
  applied: { finding: Finding; fix: FindingFix }[];
  /** Fixes not kept, and why. */
  skipped: { finding: Finding; fix: FindingFix; reason: string }[];
  /** The findings of the fixed text. */
  findings: Finding[];
}

/** The fix a finding gets with these options: its first fix of an allowed kind. */
export function fixOf(finding: Finding, options: Pick<FixOptions, 'unsafe'> = {}): FindingFix | undefined {
  return finding.fixes?.find((f) => f.kind === 'safe' || options.unsafe === true);
}

/** Findings are compared by what they are about, not where: the path and line move when a fix moves a node. */
function aboutKey(f: Finding): string {
  const o = f.object;
  return JSON.stringify([f.ruleId, o && [o.apiVersion, o.kind, o.namespace, o.name], f.container]);
}

const GUESS = '(guessed: ';

/** Whether a finding names a guessed main container (what a `named` fix resolves). */
const namesGuess = (f: Finding): boolean => f.message.includes(GUESS) || (f.hint ?? '').includes(GUESS);

function counts(findings: readonly Finding[], pick: (f: Finding) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) if (pick(f)) out.set(aboutKey(f), (out.get(aboutKey(f)) ?? 0) + 1);
  return out;
}

/** Why a fix is not kept, comparing the findings before and after it; undefined when it did its job. */
export function checkFix(before: readonly Finding[], after: readonly Finding[], finding: Finding, fix: FindingFix): string | undefined {
  const was = counts(before);
  const now = counts(after);
  for (const [key, n] of now) {
    if (n > (was.get(key) ?? 0)) {
      const f = after.find((x) => aboutKey(x) === key)!;
      return `fixing it would add a finding (${f.ruleId}${f.object?.name ? ` on ${f.object.kind ?? '?'} "${f.object.name}"` : ''}${f.container ? `, container "${f.container}"` : ''})`;
    }
  }
  const key = aboutKey(finding);
  if (fix.resolves === 'gone') {
    if ((now.get(key) ?? 0) >= (was.get(key) ?? 0)) return 'the finding is still there after the fix';
    return undefined;
  }
  if ((counts(after, namesGuess).get(key) ?? 0) >= (counts(before, namesGuess).get(key) ?? 0)) return 'the finding still names a guessed main container after the fix';
  return undefined;
}

/** Lints with positions and without a cache of anything between rounds. */
function lintOnce(text: string, file: string, options: LintOptions): Finding[] {
  return lintText(text, file, options).findings;
}

/**
 * Fixes what can be fixed in one file's text: the findings of `lintText(text, file, options)` with a
 * fix of an allowed kind, one at a time, each checked by linting again (many in batches, when that
 * changes nothing: see tryBatch). Stops when no finding has a fix left to try.
 *
 * A file of several documents whose findings each depend on their own document only (it may be
 * cut at its `---` lines, has no syntax error and no carriage return, whose line ends a fix copies
 * from the whole file) is fixed a document at a time, each document on its own: the same fixes in
 * the same order, the same text, but a fix costs a lint of its document, not of the whole file (400
 * Deployments each with a fix took most of a minute).
 */
export function fixText(text: string, file: string, options: LintOptions, fixOptions: FixOptions = {}): FixOutcome {
  const starts = FIX_BY_DOCUMENT.enabled && options.onlyDocuments === undefined && !text.includes('\r') ? documentCutStarts(text) : undefined;
  if (starts === undefined) return fixRounds(text, file, options, fixOptions).outcome;
  const first = lintText(text, file, options);
  if (first.findings.some((f) => f.ruleId === 'parse-error')) return fixRounds(text, file, options, fixOptions, first.findings).outcome;
  // The main containers Services decide, for each document as its own lint looks them up (as document 0).
  const overrides = options.mainOverrides === undefined || options.mainOverrides.size === 0 ? undefined : overridesByDocument(options.mainOverrides, file);
  const applied: FixOutcome['applied'] = [];
  const skipped: FixOutcome['skipped'] = [];
  let out = '';
  let lines = 0;
  for (let k = 0; k < starts.length; k++) {
    const part = text.slice(starts[k], starts[k + 1] ?? text.length);
    // Each part is one document (`---` to `---`), document k of the file.
    const own = overrides?.get(k);
    const partOptions = overrides === undefined ? options : lintOptionsCopy(options, { mainOverrides: own ? new Map(own.map(([path, main]) => [objectKey(file, 0, path), main])) : NO_OVERRIDES });
    const { outcome, documents } = fixRounds(part, file, partOptions, fixOptions);
    // A part the engine reads otherwise (no document, or more than one): the whole file, as it was.
    if (documents !== 1) return fixRounds(text, file, options, fixOptions, first.findings).outcome;
    for (const a of outcome.applied) applied.push({ finding: shiftFinding(a.finding, lines, k), fix: shiftFix(a.fix, k) });
    for (const x of outcome.skipped) skipped.push({ finding: shiftFinding(x.finding, lines, k), fix: shiftFix(x.fix, k), reason: x.reason });
    out += outcome.text;
    for (let i = outcome.text.indexOf('\n'); i >= 0; i = outcome.text.indexOf('\n', i + 1)) lines++;
  }
  return { text: out, applied, skipped, findings: out === text ? first.findings : lintOnce(out, file, options) };
}

const NO_OVERRIDES: ReadonlyMap<string, string> = new Map();

/** Whether fixText fixes a file of several documents a document at a time (tests turn it off to compare with the whole file). */
export const FIX_BY_DOCUMENT = { enabled: true };


/** A finding of a part moved to its place in the whole text: `lines` lines and `base` documents down. */
function shiftFinding(f: Finding, lines: number, base: number): Finding {
  if (lines === 0 && base === 0) return f;
  const out: Finding = { ...f, line: f.line + lines, endLine: f.endLine + lines };
  if (base > 0 && f.fixes) out.fixes = f.fixes.map((x) => shiftFix(x, base));
  if (base > 0 && f.credential) out.credential = { ...f.credential, documentIndex: f.credential.documentIndex + base };
  return out;
}

function shiftFix(fix: FindingFix, base: number): FindingFix {
  return base === 0 ? fix : { ...fix, documentIndex: fix.documentIndex + base };
}

/** fixText's rounds over one text (a whole file, or one document of it); `documents`: how many the text holds (0 when `initial` findings are given). */
function fixRounds(text: string, file: string, options: LintOptions, fixOptions: FixOptions, initial?: Finding[]): { outcome: FixOutcome; documents: number } {
  const accept = fixOptions.accept ?? ((f: Finding) => !f.suppressed);
  let current = text;
  let documents = 0;
  let findings: Finding[];
  if (initial) findings = initial;
  else {
    const result = lintText(current, file, options);
    findings = result.findings;
    documents = result.stats.documents;
  }
  const applied: FixOutcome['applied'] = [];
  const skipped: FixOutcome['skipped'] = [];
  const tried = new Set<string>();
  // Each round fixes one finding or gives one up (or fixes a batch): bounded by the fixes there are to try.
  // Batches while they are kept: after one that is not, one fix at a time (it cost a lint for nothing).
  let batching = FIX_IN_BATCHES.enabled;
  for (let round = 0; round < 10_000; round++) {
    const batch = batching ? tryBatch(current, file, options, fixOptions, findings, tried, accept) : undefined;
    if (batch === 'not kept') batching = false;
    else if (batch) {
      current = batch.text;
      findings = batch.findings;
      for (const b of batch.applied) {
        tried.add(JSON.stringify(b.fix));
        applied.push(b);
      }
      FIX_IN_BATCHES.batched += batch.applied.length;
      continue;
    }
    let next: { finding: Finding; fix: FindingFix } | undefined;
    for (const finding of findings) {
      if (!accept(finding)) continue;
      const fix = fixOf(finding, fixOptions);
      if (fix && !tried.has(JSON.stringify(fix))) {
        next = { finding, fix };
        break;
      }
    }
    if (!next) break;
    tried.add(JSON.stringify(next.fix));
    const edited = applyFixEdits(current, next.fix);
    if ('problem' in edited) {
      skipped.push({ ...next, reason: edited.problem });
      continue;
    }
    const after = lintOnce(edited.text, file, options);
    const why = checkFix(findings, after, next.finding, next.fix);
    if (why) {
      skipped.push({ ...next, reason: why });
      continue;
    }
    current = edited.text;
    findings = after;
    applied.push(next);
  }
  return { outcome: { text: current, applied, skipped, findings }, documents };
}

/** Whether fixRounds tries the fixes of several items of a List at once (tests turn it off to compare); `batched`: how many fixes it kept so. */
export const FIX_IN_BATCHES = { enabled: true, batched: 0 };

/**
 * A round of fixRounds for many fixes in one text (a `List` from `kubectl get … -o yaml`, a
 * ConfigMap with many keys written twice): the first untried fix of each finding, applied together
 * and checked by one lint instead of one lint each (400 Deployments in a List, each with a fix, took
 * 44 s; 400 keys written twice in a ConfigMap 3 s). A fix whose text edits overlap or touch an
 * earlier fix's (an insertion where another edits: which goes first would decide the text), or that
 * cannot be made, waits for a later round; so does one that would delete the last entry of a map
 * with the others (alone it deletes the map's entry instead). Appends to the end of one block map
 * go together, in fix order (400 plain-text values of a Secret moved to its stringData: 11 s one at
 * a time). Kept only when the findings after are exactly those before less the
 * ones the fixes resolve (each fixed finding gone, or no longer naming a guessed main container, and
 * nothing else gone or added): then fixing them one at a time would have kept each, with the same
 * text, as each edits its own part of the text only. Otherwise 'not kept' (then fixRounds fixes one
 * at a time from there on), or undefined with fewer than two such fixes: the round fixes one
 * finding, as before. `applied` is in finding order.
 */
function tryBatch(
  text: string,
  file: string,
  options: LintOptions,
  fixOptions: FixOptions,
  findings: readonly Finding[],
  tried: ReadonlySet<string>,
  accept: (f: Finding) => boolean,
): { text: string; findings: Finding[]; applied: { finding: Finding; fix: FindingFix }[] } | 'not kept' | undefined {
  let candidates: { finding: Finding; fix: FindingFix }[] = [];
  for (const finding of findings) {
    if (!accept(finding)) continue;
    const fix = fixOf(finding, fixOptions);
    if (fix && !tried.has(JSON.stringify(fix))) candidates.push({ finding, fix });
  }
  if (candidates.length < 2) return undefined;
  const found = fixSplicesOfEach(text, candidates.map((c) => c.fix));
  const owned: { splice: TextSplice; owner: number }[] = [];
  found.forEach((f, owner) => {
    if (!('problem' in f)) for (const splice of f.splices) owned.push({ splice, owner });
  });
  const waiting = touching(owned);
  for (const owner of emptying(owned.filter((o) => !waiting.has(o.owner)))) waiting.add(owner);
  for (const owner of mixedOnAnObject(candidates)) waiting.add(owner);
  candidates = candidates.filter((_, i) => !('problem' in found[i]!) && !waiting.has(i));
  const splices = owned.filter((o) => !waiting.has(o.owner));
  if (candidates.length < 2 || touching(splices).size > 0) return undefined;
  const edited = withSplices(text, appendsJoined(splices));
  if (edited === undefined) return undefined;
  const after = lintOnce(edited, file, options);
  return exactlyResolved(findings, after, candidates) ? { text: edited, findings: after, applied: candidates } : 'not kept';
}

/**
 * The owners of splices that overlap or touch an earlier owner's with an insertion at the same place
 * (then the order they are made in decides the text): they wait. Owners are taken in their order
 * (the order fixRounds makes the fixes in one at a time), each kept unless one of its splices
 * conflicts with a kept owner's: of two fixes that conflict, the one made first one at a time is
 * the one made now. Appends to the same block map at the same place do not conflict (see
 * appendsJoined).
 */
function touching(owned: readonly { splice: TextSplice; owner: number }[]): Set<number> {
  const byOwner = new Map<number, TextSplice[]>();
  for (const { splice, owner } of owned) {
    const list = byOwner.get(owner);
    if (list) list.push(splice);
    else byOwner.set(owner, [splice]);
  }
  const out = new Set<number>();
  // The kept owners' splices, by start (then end).
  const kept: TextSplice[] = [];
  for (const owner of [...byOwner.keys()].sort((a, b) => a - b)) {
    const splices = byOwner.get(owner)!;
    if (splices.some((sp) => conflictsWithKept(kept, sp))) {
      out.add(owner);
      continue;
    }
    for (const sp of splices) kept.splice(firstStartingAfter(kept, sp), 0, sp);
  }
  return out;
}

/** The index of the first splice of `sorted` that starts after `sp` (or at its start and ends after it). */
function firstStartingAfter(sorted: readonly TextSplice[], sp: TextSplice): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = sorted[mid]!;
    if (m.start < sp.start || (m.start === sp.start && m.end <= sp.end)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a splice overlaps one of `kept` (another owner's, sorted and apart), or touches one with an insertion where it starts or ends. */
function conflictsWithKept(kept: readonly TextSplice[], sp: TextSplice): boolean {
  // Kept splices are apart (appends at one place aside): those that may reach `sp` start at most at its end.
  for (let i = firstStartingAfter(kept, { start: sp.end, end: Infinity, text: '' }) - 1; i >= 0; i--) {
    const k = kept[i]!;
    if (k.end < sp.start) break;
    if (sp.start === sp.end && k.start === k.end && sp.start === k.start && sp.appendTo !== undefined && sp.appendTo === k.appendTo) continue;
    if (sp.start < k.end && k.start < sp.end) return true;
    if ((sp.start === k.end || k.start === sp.end) && (sp.start === sp.end || k.start === k.end)) return true;
  }
  return false;
}

/**
 * The owners that would delete the last entries of a map or list with the others' deletions (each
 * deletion was found with the map as it is: deleting its last entry one at a time deletes the entry
 * holding it instead), the latest ones: they wait, so that one entry is left in the batch.
 */
function emptying(owned: readonly { splice: TextSplice; owner: number }[]): number[] {
  const byHolder = new Map<number, { items: number; owners: number[] }>();
  for (const { splice, owner } of owned) {
    if (splice.removesFrom === undefined) continue;
    let holder = byHolder.get(splice.removesFrom);
    if (!holder) byHolder.set(splice.removesFrom, (holder = { items: splice.itemsThere ?? 0, owners: [] }));
    if (!holder.owners.includes(owner)) holder.owners.push(owner);
  }
  const out: number[] = [];
  for (const { items, owners } of byHolder.values()) {
    if (owners.length < items) continue;
    owners.sort((a, b) => a - b);
    for (const owner of owners.slice(Math.max(items - 1, 0))) out.push(owner);
  }
  return out;
}

/**
 * The fixes that wait because other fixes of their object go first. One fix may make another's
 * finding go (moving a Job's sidecars away leaves one container, and no guess to name): one at a
 * time, the later fix is then not made. The fixes of one rule on one object (a Secret's values, a
 * map's keys written twice, a Job's sidecars) do not do that to each other, so a batch holds, of
 * each object's fixes in order, the first run of one rule's (only the first, when it names a
 * guessed main container); the rest wait for the findings after it.
 */
function mixedOnAnObject(candidates: readonly { finding: Finding; fix: FindingFix }[]): number[] {
  const byObject = new Map<string, number[]>();
  candidates.forEach(({ finding, fix }, i) => {
    const key = JSON.stringify([fix.documentIndex, finding.object]);
    const list = byObject.get(key);
    if (list) list.push(i);
    else byObject.set(key, [i]);
  });
  const out: number[] = [];
  for (const owners of byObject.values()) {
    if (owners.length < 2) continue;
    const first = candidates[owners[0]!]!;
    let run = 1;
    if (first.fix.resolves === 'gone') {
      while (run < owners.length && candidates[owners[run]!]!.finding.ruleId === first.finding.ruleId && candidates[owners[run]!]!.fix.resolves === 'gone') run++;
    }
    for (const i of owners.slice(run)) out.push(i);
  }
  return out;
}

/**
 * The splices of a batch, appends to one block map at one place joined into one splice, their texts
 * in the order of their fixes (the order fixRounds makes them in one at a time: each would go after
 * the one made before it).
 */
function appendsJoined(owned: readonly { splice: TextSplice; owner: number }[]): TextSplice[] {
  const out: TextSplice[] = [];
  const joined = new Map<string, { owner: number; text: string }[]>();
  for (const { splice, owner } of owned) {
    if (splice.appendTo === undefined) {
      out.push(splice);
      continue;
    }
    const key = `${splice.start}:${splice.appendTo}`;
    const list = joined.get(key);
    if (list) list.push({ owner, text: splice.text });
    else joined.set(key, [{ owner, text: splice.text }]);
  }
  for (const [key, list] of joined) {
    const start = Number(key.slice(0, key.indexOf(':')));
    list.sort((a, b) => a.owner - b.owner);
    out.push({ start, end: start, text: list.map((a) => a.text).join('') });
  }
  return out;
}

/** Whether the findings after some fixes are those before less exactly what the fixes resolve (see tryBatch). */
function exactlyResolved(before: readonly Finding[], after: readonly Finding[], fixed: readonly { finding: Finding; fix: FindingFix }[]): boolean {
  const was = counts(before);
  const now = counts(after);
  const gone = new Map<string, number>();
  const named = new Map<string, number>();
  for (const { finding, fix } of fixed) {
    const drops = fix.resolves === 'gone' ? gone : named;
    drops.set(aboutKey(finding), (drops.get(aboutKey(finding)) ?? 0) + 1);
  }
  for (const key of new Set([...was.keys(), ...now.keys()])) if ((now.get(key) ?? 0) !== (was.get(key) ?? 0) - (gone.get(key) ?? 0)) return false;
  if (named.size === 0) return true;
  const guessedWas = counts(before, namesGuess);
  const guessedNow = counts(after, namesGuess);
  for (const [key, n] of named) if ((guessedNow.get(key) ?? 0) !== (guessedWas.get(key) ?? 0) - n) return false;
  return true;
}

/** The lines of a text with their line ends (`\r` kept in the line, as diff does). */
function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, finalNewline };
}

/** Past this many lines (both texts together), a stream is diffed a document at a time (lineMatches). */
const WHOLE_DIFF_LINES = 10_000;

/** A `---` line (a `\r` is kept in a line). */
const SEPARATOR_LINE = /^---(?:[ \t\r]|$)/;

/**
 * The matched pairs of line indexes of two texts (matches), a document at a time when the texts
 * are long and have their `---` lines in the same number (fixes add or remove none): Myers' time
 * and memory grow with the square of the lines changed, and fixing a stream of thousands of
 * documents changes thousands of lines (a `--fix-dry-run` of 8,000 Deployments with a fix each
 * would take a gigabyte). The `---` lines are matched with each other and each document is diffed
 * alone: as few lines changed within each, though the hunks may differ from a whole-text diff's.
 * Shorter texts are diffed whole, as before.
 */
function lineMatches(a: readonly string[], b: readonly string[]): Matched {
  const matched: Matched = { xs: [], ys: [] };
  const cutsA = a.length + b.length <= WHOLE_DIFF_LINES ? [] : separatorLines(a);
  const cutsB = cutsA.length === 0 ? [] : separatorLines(b);
  if (cutsA.length === 0 || cutsA.length !== cutsB.length) {
    matchesInto(a, b, 0, 0, matched);
    return matched;
  }
  let fromA = 0;
  let fromB = 0;
  for (let i = 0; i <= cutsA.length; i++) {
    const endA = cutsA[i] ?? a.length;
    const endB = cutsB[i] ?? b.length;
    matchesInto(a.slice(fromA, endA), b.slice(fromB, endB), fromA, fromB, matched);
    if (i < cutsA.length) {
      matched.xs.push(endA);
      matched.ys.push(endB);
    }
    fromA = endA + 1;
    fromB = endB + 1;
  }
  return matched;
}

/** Matched lines of two texts, in order: line `xs[i]` of the one is line `ys[i]` of the other (number arrays, not a pair per line). */
interface Matched {
  xs: number[];
  ys: number[];
}

function separatorLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]!.startsWith('---') && SEPARATOR_LINE.test(lines[i]!)) out.push(i);
  return out;
}

/**
 * Myers' diff of two line lists: the matched pairs of indexes, in order, added to `matched` (shifted
 * by `fromA` and `fromB`, where the lists start in the texts). The trace keeps, for each
 * step d, only the diagonals that step can reach (-d-1..d+1): memory grows with the square of the
 * lines changed, not with the lines changed times the file's length (2,000 Deployments each with
 * a default-container fix, `--fix-dry-run`, took 2.8 GB when each step copied every diagonal).
 */
function matchesInto(a: readonly string[], b: readonly string[], fromA: number, fromB: number, matched: Matched): void {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace (the matches come last first).
  const backX: number[] = [];
  const backY: number[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    // Diagonal k of step d is at k + d + 1 in its window.
    const base = d + 1;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[base + k - 1]! < vd[base + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[base + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      backX.push(x);
      backY.push(y);
    }
    if (d > 0) {
      x = prevX;
      y = prevY;
    }
  }
  // d = 0: the common prefix was walked by the loop above.
  for (let i = backX.length - 1; i >= 0; i--) {
    matched.xs.push(backX[i]! + fromA);
    matched.ys.push(backY[i]! + fromB);
  }
}

/** Where a value is written in a text (offsets of the whole text, a byte order mark counted) and its length in characters. */
interface ValueRange {
  start: number;
  end: number;
  length: number;
}

/** A value node's range in `body` (offset by `bom`), trailing white space left out; undefined for an empty one. */
function valueRange(value: Node | null | undefined, body: string, bom: number): ValueRange | undefined {
  const range = value?.range;
  if (!value || !range || range[1] <= range[0]) return undefined;
  let end = range[1];
  while (end > range[0] && /\s/.test(body[end - 1]!)) end--;
  if (end <= range[0]) return undefined;
  const length = isScalar(value) ? String(value.value ?? '').length : end - range[0];
  return { start: range[0] + bom, end: end + bom, length };
}

/**
 * Where the values of Secrets are written in a text: the value of every entry of `data` and
 * `stringData` of each object of kind Secret (in a List too), as offsets of the whole text (a byte
 * order mark counted), with the value's length in characters; and, when `findings` (the text's own)
 * are given, every credential value they report (`Finding.credential`: an env var's value, an
 * argument, a ConfigMap entry; every entry of the path when a key is written twice). Documents that
 * do not parse are not looked at.
 */
export function secretValueRanges(text: string, findings: readonly Finding[] = []): ValueRange[] {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = bom ? text.slice(1) : text;
  const credentials = findings.filter((f) => f.credential);
  if (!/\bSecret\b/.test(body) && credentials.length === 0) return [];
  const out: ValueRange[] = [];
  const add = (node: Node | null | undefined) => {
    const range = valueRange(node, body, bom);
    if (range) out.push(range);
  };
  const visit = (node: unknown, depth: number): void => {
    if (!isMap(node) || depth > 2) return;
    const kind = node.get('kind');
    if (kind === 'Secret') {
      for (const key of ['data', 'stringData']) {
        const map = node.get(key, true);
        if (!isMap(map)) continue;
        for (const pair of map.items) add(isPair(pair) ? (pair.value as Node | null) : null);
      }
    } else if (typeof kind === 'string' && kind.endsWith('List')) {
      const items = node.get('items', true);
      if (isSeq(items)) for (const item of items.items) visit(item, depth + 1);
    }
  };
  const documents = parseText(body).documents;
  for (const doc of documents) if (doc.usable) visit(doc.yaml.contents, 0);
  for (const f of credentials) {
    const doc = documents.find((d) => d.index === f.credential!.documentIndex);
    if (doc?.usable) for (const node of nodesAt(doc.yaml.contents as Node | null, f.credential!.path)) add(node);
  }
  // One range per value: the outermost where they overlap (a Secret's value reported by a rule too).
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  let reached = -1;
  return out.filter((r) => {
    if (r.start < reached) return false;
    reached = r.end;
    return true;
  });
}

/** The nodes at `path` under `node`: every entry of a map whose key is the step (a key may be written twice). */
function nodesAt(node: Node | null, path: readonly (string | number)[]): Node[] {
  let nodes: Node[] = node ? [node] : [];
  for (const step of path) {
    const next: Node[] = [];
    for (const n of nodes) {
      if (isMap(n)) {
        for (const pair of n.items) {
          if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(step) && pair.value) next.push(pair.value as Node);
        }
      } else if (isSeq(n) && typeof step === 'number') {
        const item = n.items[step];
        if (item) next.push(item as Node);
      }
    }
    nodes = next;
  }
  return nodes;
}

/**
 * The text with every Secret value and every credential value `findings` report (see
 * `secretValueRanges`) replaced by `<redacted: N chars>` (the further lines of a value written over
 * several lines by `<redacted>`): the same lines, none of the values. For showing a diff of a fix.
 */
export function maskSecretValues(text: string, findings: readonly Finding[] = []): string {
  let out = text;
  const ranges = secretValueRanges(text, findings);
  for (let i = ranges.length - 1; i >= 0; i--) {
    const { start, end, length } = ranges[i]!;
    const lines = out.slice(start, end).split('\n');
    const masked = lines.map((line, k) => {
      const cr = line.endsWith('\r') ? '\r' : '';
      if (k === 0) return `<redacted: ${length} ${length === 1 ? 'char' : 'chars'}>${cr}`;
      const lead = /^[ \t]*/.exec(line)![0];
      return line.trim() === '' ? line : `${lead}<redacted>${cr}`;
    });
    out = out.slice(0, start) + masked.join('\n') + out.slice(end);
  }
  return out;
}

/**
 * A unified diff (`--- a/file`, `+++ b/file`, hunks with 3 lines of context); empty when the texts
 * are equal. `shown`, when given, holds the texts whose lines are printed (the same lines as
 * `before` and `after`, masked: see `maskSecretValues`); the diff itself is of `before` and `after`.
 */
/** The kinds of lines of an edit script, and their marks in a diff. */
const KEPT = 0;
const REMOVED = 1;
const ADDED = 2;
const MARKS = [' ', '-', '+'];

export function unifiedDiff(before: string, after: string, file: string, context = 3, shown?: { before: string; after: string }): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const showA = shown ? splitLines(shown.before).lines : a.lines;
  const showB = shown ? splitLines(shown.after).lines : b.lines;
  if (showA.length !== a.lines.length || showB.length !== b.lines.length) throw new Error('unifiedDiff: the shown texts have other lines');
  const { xs, ys } = lineMatches(a.lines, b.lines);
  // Edit script: runs of kept (0), removed (1) and added (2) lines, each with its line's index on
  // both sides; in number arrays, not an object per line (a stream of 12,000 documents has 100,000
  // lines: their objects made the diff grow faster than its input).
  const kinds: number[] = [];
  const ais: number[] = [];
  const bis: number[] = [];
  const op = (kind: number, ai: number, bi: number) => {
    kinds.push(kind);
    ais.push(ai);
    bis.push(bi);
  };
  let i = 0;
  let j = 0;
  for (let p = 0; p <= xs.length; p++) {
    const pi = p < xs.length ? xs[p]! : a.lines.length;
    const pj = p < xs.length ? ys[p]! : b.lines.length;
    while (i < pi) op(REMOVED, i++, j);
    while (j < pj) op(ADDED, i, j++);
    if (pi < a.lines.length) op(KEPT, i++, j++);
  }
  const lastA = (k: number) => kinds[k] !== ADDED && ais[k] === a.lines.length - 1 && !a.finalNewline;
  const lastB = (k: number) => kinds[k] !== REMOVED && bis[k] === b.lines.length - 1 && !b.finalNewline;
  const changed = (k: number) => kinds[k] !== KEPT || lastA(k) !== lastB(k);
  const noEol = '\\ No newline at end of file';
  const out = [`--- a/${file}`, `+++ b/${file}`];
  const mark = (k: number): void => {
    const kind = kinds[k]!;
    const line = kind === REMOVED ? showA[ais[k]!]! : showB[bis[k]!]!;
    if (kind === KEPT && changed(k)) {
      // Same text, but one side lacks the final line break: shown as a change.
      out.push(`-${line}`);
      if (lastA(k)) out.push(noEol);
      out.push(`+${line}`);
      if (lastB(k)) out.push(noEol);
      return;
    }
    out.push(`${MARKS[kind]}${line}`);
    if (lastA(k) || lastB(k)) out.push(noEol);
  };
  const total = kinds.length;
  let k = 0;
  while (k < total) {
    if (!changed(k)) {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // One hunk while changes are within 2 * context lines of each other.
    for (let q = k; q < total; q++) {
      if (changed(q)) end = q;
      else if (q - end > 2 * context) break;
    }
    const stop = Math.min(total, end + context + 1);
    let aCount = 0;
    let bCount = 0;
    for (let q = start; q < stop; q++) {
      if (kinds[q] !== ADDED) aCount++;
      if (kinds[q] !== REMOVED) bCount++;
    }
    const aStart = ais[start]!;
    const bStart = bis[start]!;
    out.push(`@@ -${aCount === 0 ? aStart : aStart + 1},${aCount} +${bCount === 0 ? bStart : bStart + 1},${bCount} @@`);
    for (let q = start; q < stop; q++) mark(q);
    k = stop;
  }
  return `${out.join('\n')}\n`;
}
