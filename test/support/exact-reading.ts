/**
 * What the exact path makes of a text, with one of its batched searches on or off (QUOTE_BATCH,
 * FLOW_BATCH in src/yaml/parse.ts): each document's value, usability and problems, and the findings,
 * as JSON. For the tests that compare a batch with one mend per parse.
 */
import { parseText } from '../../src/yaml/parse.js';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { lintOptions } from './lint.js';

const options = { rules: lintOptions().rules, settings: DEFAULT_SETTINGS, fast: false };

export function exactReading(text: string, toggle: { enabled: boolean }, batch: boolean): string {
  toggle.enabled = batch;
  try {
    const parsed = parseText(text);
    const documents = parsed.documents.map((d) => ({ value: d.value, usable: d.usable, problems: d.problems }));
    return JSON.stringify({ documents, findings: lintText(text, 'x.yaml', options).findings });
  } finally {
    toggle.enabled = true;
  }
}
