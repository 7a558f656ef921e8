/**
 * Text → YAML documents. Knows YAML, not Kubernetes.
 *
 * Syntax problems become engine findings (`parse-error`, `duplicate-key`, `yaml-compat`) instead of
 * exceptions. Messages are built from the parser's error code and position only: the parser's own
 * message carries a snippet of the source, which may hold a secret, so it is never passed on.
 */
import { parseAllDocuments, type Document } from 'yaml';

export type SyntaxRuleId = 'parse-error' | 'duplicate-key' | 'yaml-compat';

export interface SyntaxProblem {
  ruleId: SyntaxRuleId;
  message: string;
  /** Character offsets in the (BOM-stripped) text. */
  start: number;
  end: number;
}

export interface ParsedDocument {
  index: number;
  yaml: Document.Parsed;
  /** The plain JavaScript value; undefined when the document could not be read. */
  value: unknown;
  /** False when a syntax error makes the value untrustworthy; the document is then not linted. */
  usable: boolean;
  problems: SyntaxProblem[];
}

export interface ParsedFile {
  text: string;
  documents: ParsedDocument[];
}

/**
 * Errors where the `yaml` package is stricter than the Go YAML parser Kubernetes uses. The value
 * `yaml` recovers is linted and the problem is a warning, not a parse error.
 */
const COMPAT_CODES: ReadonlySet<string> = new Set(['BAD_DQ_ESCAPE']);

const COMPAT_MESSAGES: Record<string, string> = {
  BAD_DQ_ESCAPE:
    'Invalid escape sequence in a double-quoted string; Kubernetes accepts it but other YAML tools reject it. Use a single-quoted or plain string instead.',
};

/** The parser's message without its " at line …" suffix and source snippet. */
function plainMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  const cut = firstLine.search(/ at line \d+, column \d+:?$/);
  let text = (cut >= 0 ? firstLine.slice(0, cut) : firstLine).trim();
  // Some messages quote the source after a colon ("extra characters: |hunter2"); never pass it on.
  const colon = text.indexOf(':');
  if (colon >= 0) text = text.slice(0, colon).trim();
  // …or in quotes ("Unexpected scalar token in YAML stream: \"x\"")
  text = text.replace(/\s*"[^"]*"/g, '').replace(/\s*'[^']*'/g, '');
  return text.length > 0 ? text : 'Invalid YAML';
}

/** The key written at an offset (for messages; keys are names, never values). */
function keyAt(text: string, offset: number): string {
  const line = text.slice(offset, offset + 200).split(/\r?\n/, 1)[0] ?? '';
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#]*?))\s*:(?:\s|$)/.exec(line);
  const key = m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

export const MAX_ALIAS_COUNT = 1000;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, merge: true, logLevel: 'error' } as const;

function isFatal(code: string): boolean {
  return code !== 'DUPLICATE_KEY' && !COMPAT_CODES.has(code);
}

/**
 * Where documents start, the way Kubernetes splits a stream before parsing each part: a line that
 * starts with `---` followed by nothing but spaces or a comment.
 */
export function separatorOffsets(text: string): number[] {
  const out = [0];
  const re = /^---[ \t]*(?:#[^\n]*)?\r?$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m.index > 0) out.push(m.index);
  return out;
}

/** Re-parsing each part on its own costs text length × parts; beyond this, a broken stream stays whole. */
const MAX_SPLIT_WORK = 64 * 1024 * 1024;

/**
 * Parses the stream; when a document is broken, parses each `---` part on its own (as Kubernetes
 * does), so that one broken document does not swallow the ones after it. Positions stay those of
 * the whole text: the text before a part is blanked, not removed.
 */
function parseDocuments(text: string): { doc: Document.Parsed; end: number }[] {
  const whole = parseAllDocuments(text, PARSE_OPTIONS);
  const all = () => whole.map((doc) => ({ doc, end: text.length }));
  if (!whole.some((d) => d.errors.some((e) => isFatal(e.code)))) return all();
  const starts = separatorOffsets(text);
  if (starts.length < 2 || starts.length * text.length > MAX_SPLIT_WORK) return all();
  const out: { doc: Document.Parsed; end: number }[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const padded = text.slice(0, start).replace(/[^\n]/g, ' ') + text.slice(start, end);
    for (const doc of parseAllDocuments(padded, PARSE_OPTIONS)) out.push({ doc, end });
  });
  return out;
}

/** An error offset at or past the end of its part moves back onto the part's last character of content. */
function clampToContent(text: string, offset: number, limit: number): number {
  let end = limit;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return offset >= end ? Math.max(0, end - 1) : offset;
}

export function parseText(input: string): ParsedFile {
  const text = stripBom(input);
  const documents: ParsedDocument[] = [];
  parseDocuments(text).forEach(({ doc, end: limit }, index) => {
    const problems: SyntaxProblem[] = [];
    const fatal = doc.errors.find((e) => isFatal(e.code));
    let usable = fatal === undefined;
    if (fatal) {
      // One parse error per document: the others are usually consequences of the first.
      const start = clampToContent(text, fatal.pos[0], limit);
      problems.push({ ruleId: 'parse-error', message: `${plainMessage(fatal.message)}.`, start, end: Math.max(start + 1, fatal.pos[1]) });
    } else {
      const compatSeen = new Set<string>();
      for (const err of doc.errors) {
        const [start, end] = err.pos;
        if (err.code === 'DUPLICATE_KEY') {
          const key = keyAt(text, start);
          problems.push({
            ruleId: 'duplicate-key',
            message: `Duplicate key${key ? ` "${key}"` : ''} in a mapping; Kubernetes rejects or warns on it and only this later value is used. Remove one of them.`,
            start,
            end: start + Math.max(1, key.length),
          });
        } else if (!compatSeen.has(err.code)) {
          // One yaml-compat finding per document and kind of problem.
          compatSeen.add(err.code);
          problems.push({ ruleId: 'yaml-compat', message: COMPAT_MESSAGES[err.code] ?? `${plainMessage(err.message)}.`, start, end });
        }
      }
    }
    let value: unknown;
    if (usable) {
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (e) {
        usable = false;
        problems.push(conversionProblem(text, doc, e));
      }
    }
    documents.push({ index, yaml: doc, value, usable, problems });
  });
  return { text, documents };
}

/** Why a document that parsed could not become data: an alias without an anchor, or too many aliases. */
function conversionProblem(text: string, doc: Document.Parsed, error: unknown): SyntaxProblem {
  const message = error instanceof Error ? error.message : '';
  const docStart = doc.range?.[0] ?? 0;
  const docEnd = doc.range?.[2] ?? text.length;
  const unresolved = /^Unresolved alias[^:]*: (.+)$/.exec(message);
  if (unresolved) {
    const name = unresolved[1]!.trim();
    const at = text.indexOf(`*${name}`, docStart);
    const start = at >= 0 && at < docEnd ? at : docStart;
    return {
      ruleId: 'parse-error',
      message: `Alias "*${name.slice(0, 100)}" has no anchor before it; the document was not linted.`,
      start,
      end: start + name.length + 1,
    };
  }
  const start = doc.contents?.range?.[0] ?? docStart;
  const reason = /alias/i.test(message)
    ? 'Too many alias expansions (a possible YAML bomb); the document was not linted.'
    : 'The document could not be converted to data; it was not linted.';
  return { ruleId: 'parse-error', message: reason, start, end: start + 1 };
}
