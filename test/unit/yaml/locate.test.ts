import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LineIndex, locateInner, locateOffsets } from '../../../src/yaml/locate.js';

const text = [
  'apiVersion: v1', // 1
  'kind: ConfigMap', // 2
  'data:', // 3
  '  application.properties: |', // 4
  '    server.port=8080', // 5
  '', // 6
  '    spring.datasource.password=hunter2', // 7
  '  plain: "a\\nb"', // 8
  '',
].join('\n');

describe('locate', () => {
  const doc = parseDocument(text);
  const lines = new LineIndex(text);

  it('maps a line inside a literal block scalar to its source line and column', () => {
    const at = locateInner(doc, text, ['data', 'application.properties'], { line: 2, column: 0, length: 26 });
    expect(at).toBeDefined();
    expect(lines.range(...at!)).toEqual({ line: 7, column: 5, endLine: 7, endColumn: 31 });
  });

  it('honours an explicit indentation indicator (|2: the parent indentation plus two)', () => {
    const t = 'data:\n  c.properties: |2\n      password=x\n';
    const d = parseDocument(t);
    const at = locateInner(d, t, ['data', 'c.properties'], { line: 0, column: 0, length: 8 });
    // The value's text is "  password=x" (content starts at column 5); "password" is at its column 2, source column 7.
    expect(new LineIndex(t).range(...at!)).toEqual({ line: 3, column: 5, endLine: 3, endColumn: 13 });
  });

  it('gives up (undefined) for scalars whose lines do not map to source lines', () => {
    expect(locateInner(doc, text, ['data', 'plain'], { line: 1 })).toBeUndefined();
  });

  it('points a map key at its whole entry and falls back to the nearest ancestor', () => {
    expect(lines.range(...locateOffsets(doc, ['data', 'plain']))).toEqual({ line: 8, column: 3, endLine: 8, endColumn: 16 });
    expect(lines.range(...locateOffsets(doc, ['data', 'missing'])).line).toBe(3);
  });
});
