/**
 * Suppressions: object annotations (`ignore.sidecar-lint.io/<rule-id>: "<reason>"`, read from the
 * object's metadata and its pod template's metadata), comment directives
 * (`# sidecar-lint-disable-next-line <rule-id>[, <rule-id>] -- <reason>`, `# sidecar-lint-disable …`
 * … `# sidecar-lint-enable …`), and config exemptions. Suppressed findings are kept with their reason.
 *
 * Room run: must not import format, app, rules/.
 */
import type { PlainMap } from '../model/objects.js';
import { asMap } from '../model/objects.js';
import type { Path } from '../types.js';
import { ALL_RULES } from '../config/lint-options.js';
import { documentMarkerAt } from '../yaml/kube-stream.js';

const ANNOTATION_PREFIX = 'ignore.sidecar-lint.io/';

/** An annotation that suppresses a rule, with where it is written (path from the object root). */
export interface AnnotationSuppression {
  ruleId: string;
  reason: string;
  path: Path;
  used: boolean;
}

/** The suppression annotations of an object and of its pod template. */
export function annotationSuppressions(object: PlainMap, templateMetadataPath: Path | undefined): AnnotationSuppression[] {
  const out: AnnotationSuppression[] = [];
  const read = (metadataPath: Path) => {
    let v: unknown = object;
    for (const s of metadataPath) v = asMap(v)?.[s as string];
    const annotations = asMap(asMap(v)?.annotations);
    if (!annotations) return;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const ruleId = key.slice(ANNOTATION_PREFIX.length);
      out.push({
        ruleId,
        reason: typeof value === 'string' ? value.trim() : '',
        path: [...metadataPath, 'annotations', key],
        used: false,
      });
    }
  };
  read(['metadata']);
  if (templateMetadataPath && templateMetadataPath.join('.') !== 'metadata') read(templateMetadataPath);
  return out;
}

export interface CommentDirective {
  type: 'disable-next-line' | 'disable' | 'enable';
  /** Rule ids, or ['all']. */
  rules: string[];
  reason: string;
  /** 1-based line and column of the comment. */
  line: number;
  column: number;
  endColumn: number;
  used: boolean;
}

const DIRECTIVE = /(^|\s)#\s*sidecar-lint-(disable-next-line|disable|enable)(?=\s|$)([^\n\r]*)/;

/**
 * Comment directives of a text, in line order. Cheap when the text has none; only the lines that
 * hold `sidecar-lint-` are read (the text is not split into lines: a ConfigMap of 16,000 keys each
 * under a comment spent a tenth of its run here).
 */
export function commentDirectives(text: string): CommentDirective[] {
  const out: CommentDirective[] = [];
  let line = 0; // 0-based, of the line starting at `lineStart`
  let lineStart = 0;
  for (let at = text.indexOf(DIRECTIVE_WORD); at >= 0; at = text.indexOf(DIRECTIVE_WORD, lineStart)) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < at; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    const end = text.indexOf('\n', at);
    const raw = text.slice(lineStart, end < 0 ? text.length : end);
    const directive = directiveOf(raw, line + 1);
    if (directive) out.push(directive);
    if (end < 0) break;
    line++;
    lineStart = end + 1;
  }
  return out;
}

/** What every directive holds (and a text without it has none). */
const DIRECTIVE_WORD = 'sidecar-lint-';

/** The directive of one line (`raw`, without its `\n`), if it holds one. */
function directiveOf(raw: string, line: number): CommentDirective | undefined {
  const m = DIRECTIVE.exec(raw);
  if (!m) return undefined;
  const rest = m[3] ?? '';
  const sep = rest.indexOf('--');
  const list = (sep >= 0 ? rest.slice(0, sep) : rest).trim();
  const reason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
  const rules = list === '' ? [ALL_RULES] : list.split(/[\s,]+/).filter((r) => r.length > 0);
  const hash = raw.indexOf('#', m.index);
  return {
    type: m[2] as CommentDirective['type'],
    rules,
    reason,
    line,
    column: hash + 1,
    endColumn: raw.replace(/\r$/, '').length + 1,
    used: false,
  };
}

/** 1-based line numbers where a new YAML document starts (`---`), for ranges that end with the document. */
export function documentStartLines(text: string): number[] {
  const out = [1];
  let line = 1;
  let counted = 0; // line breaks before `counted` are in `line`
  for (let nl = text.indexOf('\n---'); nl >= 0; nl = text.indexOf('\n---', nl + 1)) {
    if (documentMarkerAt(text, nl + 1) !== '---') continue;
    for (let i = text.indexOf('\n', counted); i >= 0 && i <= nl; i = text.indexOf('\n', i + 1)) {
      line++;
      counted = i + 1;
    }
    out.push(line);
  }
  return out;
}

/**
 * Whether a comment directive of a text is on the line right before a `---` line: the one place
 * where a directive can reach a finding of another document (a finding on the `---` line itself,
 * `--- {kind: ConfigMap, …}`). Elsewhere each directive covers lines of its own document only, so a
 * text without one may be linted a document at a time.
 */
export function directiveBeforeDocumentStart(text: string): boolean {
  const directives = commentDirectives(text);
  if (directives.length === 0) return false;
  const starts = new Set(documentStartLines(text));
  return directives.some((d) => starts.has(d.line + 1));
}

function covers(rules: readonly string[], ruleId: string): boolean {
  return rules.includes(ALL_RULES) || rules.includes(ruleId);
}

/**
 * The directive that suppresses a finding of `ruleId` at `line`, if any: a `disable-next-line` on the
 * line before, or a `disable` earlier in the same document not yet re-enabled. Directives without a
 * reason do not suppress.
 */
export function matchDirective(
  directives: readonly CommentDirective[],
  documentStarts: readonly number[],
  ruleId: string,
  line: number,
): CommentDirective | undefined {
  return directiveMatcher(directives, documentStarts)(ruleId, line);
}

/**
 * matchDirective for many findings of one text: the directives indexed once, each finding then
 * found in time logarithmic in them (16,000 findings each under its own `disable-next-line` took
 * 6 s when each looked at every directive before it). A `disable` applies when it is the last
 * directive covering the rule between the document's start and the line (a later `enable` covering
 * it ends it).
 */
export function directiveMatcher(directives: readonly CommentDirective[], documentStarts: readonly number[]): (ruleId: string, line: number) => CommentDirective | undefined {
  // `disable-next-line` with a reason, by the line it is on, in order.
  const nextLine = new Map<number, CommentDirective[]>();
  // `disable` with a reason and `enable`, in line order (as `directives` are).
  const blocks: CommentDirective[] = [];
  for (const d of directives) {
    if (d.reason === '' && d.type !== 'enable') continue; // an enable needs no reason
    if (d.type === 'disable-next-line') {
      const list = nextLine.get(d.line);
      if (list) list.push(d);
      else nextLine.set(d.line, [d]);
    } else {
      blocks.push(d);
    }
  }
  // The block directives covering a rule, by rule (built when a finding of it first asks).
  const byRule = new Map<string, CommentDirective[]>();
  const coveringOf = (ruleId: string): CommentDirective[] => {
    let list = byRule.get(ruleId);
    if (list === undefined) {
      list = blocks.filter((d) => covers(d.rules, ruleId));
      byRule.set(ruleId, list);
    }
    return list;
  };
  return (ruleId, line) => {
    for (const d of nextLine.get(line - 1) ?? []) if (covers(d.rules, ruleId)) return d;
    if (blocks.length === 0) return undefined;
    // The start of the finding's document: the last start at or before its line (1 when none).
    const docStart = documentStartOf(documentStarts, line);
    const covering = coveringOf(ruleId);
    const last = lastBefore(covering, line);
    return last !== undefined && last.line >= docStart && last.type === 'disable' ? last : undefined;
  };
}

/** The line the document holding `line` starts on (`documentStarts` ascending, as documentStartLines gives them). */
export function documentStartOf(documentStarts: readonly number[], line: number): number {
  return lastAtMost(documentStarts, line, (s) => s) ?? 1;
}

/** The last item of `sorted` (ascending by line) whose line is before `line`. */
function lastBefore(sorted: readonly CommentDirective[], line: number): CommentDirective | undefined {
  return lastAtMost(sorted, line - 1, (d) => d.line);
}

/** The last item of `sorted` (ascending by `key`) whose key is at most `limit`. */
function lastAtMost<T>(sorted: readonly T[], limit: number, key: (item: T) => number): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid]!) <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

/**
 * A glob on names: `*` matches any run of characters, `?` one character. Made once per pattern (the
 * patterns are the config's): an exemption is tried on every finding, and making the expression
 * each time was more than half of a run with 100,000 findings and 20 exemptions.
 */
export function nameGlob(pattern: string): RegExp {
  let glob = GLOBS.get(pattern);
  if (glob === undefined) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    glob = new RegExp(`^${source}$`);
    GLOBS.set(pattern, glob);
  }
  return glob;
}

/** nameGlob's expressions, by pattern (a stateless `test`: no `g` or `y` flag). */
const GLOBS = new Map<string, RegExp>();
