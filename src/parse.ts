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
  const text = (cut >= 0 ? firstLine.slice(0, cut) : firstLine).trim();
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

export function parseText(input: string): ParsedFile {
  const text = stripBom(input);
  const documents: ParsedDocument[] = [];
  const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
  parsed.forEach((doc, index) => {
    const problems: SyntaxProblem[] = [];
    const fatal = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY' && !COMPAT_CODES.has(e.code));
    let usable = fatal === undefined;
    if (fatal) {
      // One parse error per document: the others are usually consequences of the first.
      problems.push({ ruleId: 'parse-error', message: `${plainMessage(fatal.message)}.`, start: fatal.pos[0], end: fatal.pos[1] });
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
        const reason = e instanceof Error && /alias/i.test(e.message)
          ? 'Too many alias expansions (a possible YAML bomb); the document was not linted.'
          : 'The document could not be converted to data; it was not linted.';
        const start = doc.contents?.range?.[0] ?? 0;
        problems.push({ ruleId: 'parse-error', message: reason, start, end: start });
      }
    }
    documents.push({ index, yaml: doc, value, usable, problems });
  });
  return { text, documents };
}
