/**
 * The light reader (src/yaml/light-locate.ts) against `yaml`: for one document, every path to every node
 * (and a path that leaves the document) is located both ways; the 1-based ranges must be equal
 * wherever the light reader answers. Positions inside literal block scalars too.
 */
import { isCollection, type Document } from 'yaml';
import { LightDocument } from '../../src/yaml/light-locate.js';
import { LineIndex, locateInner, locateOffsets } from '../../src/yaml/locate.js';
import { parseText } from '../../src/yaml/parse.js';

export interface OracleResult {
  /** Whether the light reader read the document at all. */
  read: boolean;
  /** Paths located both ways. */
  located: number;
  /** Paths the light reader was not sure of (it then leaves them to `yaml`). */
  unsure: number;
  /** Paths located inside a flow collection (`{…}`, `[…]`). */
  inFlow: number;
  mismatches: string[];
}

type Path = (string | number)[];

/** Compares the two over one document (a `---` part of a file); `value` is what the fast parser read. */
export function compareDocument(part: string, value: unknown): OracleResult {
  const result: OracleResult = { read: false, located: 0, unsure: 0, inFlow: 0, mismatches: [] };
  const parsed = parseText(part);
  const doc = parsed.documents[0];
  if (parsed.documents.length !== 1 || !doc?.usable || doc.problems.length > 0) throw new Error('not a valid single document');
  const light = LightDocument.read(part);
  if (!light) return result;
  result.read = true;
  const lines = new LineIndex(part);
  const show = (at: [number, number] | undefined) => (at ? JSON.stringify(lines.range(...at)) : String(at));
  const visit = (v: unknown, path: Path) => {
    const got = light.locate(value, path);
    if (got === undefined) result.unsure++;
    else {
      result.located++;
      if (insideFlow(doc.yaml as Document, path)) result.inFlow++;
      const want = locateOffsets(doc.yaml as Document, path);
      if (show(got) !== show(want)) result.mismatches.push(`${JSON.stringify(path)}: light ${show(got)}, yaml ${show(want)}`);
    }
    if (typeof v === 'string' && v.includes('\n')) {
      for (let line = 0; line < 4; line++) {
        const inner = { line, column: 1, length: 3 };
        const li = light.locateInner(path, inner);
        if (li === null) {
          result.unsure++;
          continue;
        }
        const yi = locateInner(doc.yaml as Document, part, path, inner);
        if (JSON.stringify(li) !== JSON.stringify(yi)) result.mismatches.push(`${JSON.stringify(path)} line ${line}: light ${li}, yaml ${yi}`);
      }
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
  };
  visit(value, []);
  visit(value, ['no-such-key', 0]);
  return result;
}

/** Whether a path goes through a flow collection (by `yaml`'s reading). */
function insideFlow(doc: Document, path: Path): boolean {
  for (let i = 0; i < path.length; i++) {
    const node = doc.getIn(path.slice(0, i), true);
    if (isCollection(node) && node.flow) return true;
  }
  return false;
}
