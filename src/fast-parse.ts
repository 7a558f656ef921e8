/**
 * The fast path: plain values only, no positions, via js-yaml (several times faster than `yaml`).
 * Any doubt — an error, a duplicate key, an unknown tag, a non-standard escape — returns undefined
 * and the caller takes the exact path through `yaml`. Most documents have no finding, so their
 * positions are never needed.
 */
import jsyaml from 'js-yaml';
import { stripBom } from './parse.js';

/** YAML 1.2 core schema plus merge keys (`<<`), as Kubernetes' Go YAML parser reads them. */
const mergeType = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;
const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [mergeType] });

const COMMENT_ONLY = /^(?:[ \t]*(?:#[^\n]*)?\r?\n?)*$/;

/** The documents' values, or undefined when the exact parser must decide. */
export function fastDocuments(input: string): unknown[] | undefined {
  const text = stripBom(input);
  // js-yaml shares aliased nodes instead of expanding them; the exact path bounds alias expansion
  // (YAML bombs), so any anchor sends the file there.
  if (/(^|[\s[{,:-])&[^\s]/.test(text) && text.includes('*')) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: SCHEMA, json: false }) as unknown[];
  } catch {
    return undefined;
  }
  // js-yaml reads a stream of only comments as one null document; `yaml` reads none.
  if (docs.length === 1 && docs[0] == null && COMMENT_ONLY.test(text)) return [];
  return docs;
}
