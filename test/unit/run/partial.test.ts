/**
 * The fast path re-parses only the documents that have a finding (each `---` part on its own), with
 * positions of the whole file; the result must equal the exact path's, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { lintOptions } from '../../support/lint.js';

const rules = lintOptions().rules;
const both = (text: string) => {
  const fast = lintText(text, 'f.yaml', { rules, settings: DEFAULT_SETTINGS, fast: true });
  const exact = lintText(text, 'f.yaml', { rules, settings: DEFAULT_SETTINGS, fast: false });
  return { fast, exact };
};
const cm = (name: string, key: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${key}: value-here\n`;

describe('documents re-parsed on their own', () => {
  it('locate a finding in the third document of a stream with a leading comment, as the exact path does', () => {
    const text = `# a stream\n---\n${cm('a', 'LOG_LEVEL')}---\n${cm('b', 'MODE')}---\n${cm('c', 'DB_PASSWORD')}---\n`;
    const { fast, exact } = both(text);
    expect(fast).toEqual(exact);
    expect(fast.findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`)).toEqual(['configmap-sensitive-data@22:3']);
  });

  it('handle CRLF line endings and a byte order mark', () => {
    const text = `\ufeff${cm('a', 'LOG_LEVEL')}---\n${cm('c', 'API_TOKEN')}`.replace(/\n/g, '\r\n');
    const { fast, exact } = both(text);
    expect(fast).toEqual(exact);
    expect(fast.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`)).toEqual(['13:3-13:24']);
  });

  it('fall back to the whole file when parts and documents do not line up (content on the --- line)', () => {
    const text = `${cm('a', 'LOG_LEVEL')}--- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {API_TOKEN: value-here}}\n`;
    const { fast, exact } = both(text);
    expect(fast).toEqual(exact);
    // kubectl rejects content on the --- line ("invalid Yaml document separator"): reported (B18).
    expect(fast.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['parse-error@7', 'configmap-sensitive-data@7']);
  });
});
