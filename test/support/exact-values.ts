/** What the exact path (`yaml`, as Kubernetes reads YAML) reads of a text, for fast-against-exact tests. */
import { parseText } from '../../src/yaml/parse.js';

/** The documents' values as JSON, or undefined when the exact path reports anything. */
export function exactValues(text: string): string | undefined {
  const parsed = parseText(text);
  if (parsed.documents.some((d) => d.problems.length > 0 || !d.usable)) return undefined;
  return JSON.stringify(parsed.documents.map((d) => d.value));
}
