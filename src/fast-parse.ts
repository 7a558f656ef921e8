/**
 * The fast path: plain values only, no positions, via js-yaml (several times faster than `yaml`).
 * Any doubt — an error, a duplicate key, an unknown tag, a non-standard escape, input the exact path
 * refuses (too large, not text, nested too deep) — returns undefined and the caller takes the exact
 * path through `yaml`. Most documents have no finding, so their positions are never needed.
 */
import jsyaml from 'js-yaml';
import { inputProblem, shapeProblem, stripBom } from './parse.js';

/** YAML 1.2 core schema plus merge keys (`<<`), as Kubernetes' Go YAML parser reads them. */
const mergeType = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;
const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [mergeType] });

const COMMENT_ONLY = /^(?:[ \t]*(?:#[^\n]*)?\r?\n?)*$/;

/** The documents' values, or undefined when the exact parser must decide. */
export function fastDocuments(input: string): unknown[] | undefined {
  const text = stripBom(input);
  if (inputProblem(text)) return undefined;
  // js-yaml shares aliased nodes instead of expanding them; the exact path bounds alias expansion
  // (YAML bombs), so any anchor sends the file there.
  if (/(^|[\s[{,:-])&[^\s]/.test(text) && text.includes('*')) return undefined;
  if (hasColonPast1024(text)) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: SCHEMA, json: false }) as unknown[];
  } catch {
    return undefined;
  }
  // Too deep for the rules: the exact path reports where (same values, same limit, same answer).
  if (docs.some((doc) => shapeProblem(doc) !== undefined)) return undefined;
  // js-yaml reads a stream of only comments as one null document; `yaml` reads none.
  if (docs.length === 1 && docs[0] == null && COMMENT_ONLY.test(text)) return [];
  return docs;
}

/**
 * Whether a line has a `:` more than 1024 characters from its start. `yaml`, like Kubernetes' parser,
 * rejects an implicit key whose `:` comes that far after the key's start; js-yaml accepts it. Such a
 * line (rare: minified JSON, a long one-line value) goes to the exact path.
 */
function hasColonPast1024(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > 1024) {
      const colon = text.indexOf(':', start + 1024);
      if (colon >= 0 && colon < end) return true;
    }
    start = end + 1;
  }
  return false;
}
