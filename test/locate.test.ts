import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LineIndex, locateInner, locateOffsets } from '../src/locate.js';

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

  it('gives up (undefined) for scalars whose lines do not map to source lines', () => {
    expect(locateInner(doc, text, ['data', 'plain'], { line: 1 })).toBeUndefined();
  });

  it('points a map key at its whole entry and falls back to the nearest ancestor', () => {
    expect(lines.range(...locateOffsets(doc, ['data', 'plain']))).toEqual({ line: 8, column: 3, endLine: 8, endColumn: 16 });
    expect(lines.range(...locateOffsets(doc, ['data', 'missing'])).line).toBe(3);
  });
});
