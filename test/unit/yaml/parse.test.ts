import { describe, expect, it } from 'vitest';
import { lint, positions } from '../../support/lint.js';

const cm = (name: string, key: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${key}: hunter2-CANARY\n`;

describe('parse errors', () => {
  it('reports an unclosed quote at the end of input on the last line, not past it', () => {
    const text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  A: 'abc\n";
    expect(positions(lint(text))).toEqual(['parse-error@4:9']);
  });

  it('keeps linting the documents after a broken one, as Kubernetes splits streams on ---', () => {
    const text = `${cm('one', 'API_TOKEN')}---\napiVersion: v1\nkind: ConfigMap\ndata:\n  A: "abc\n---\n${cm('three', 'API_TOKEN')}`;
    const found = lint(text);
    expect(positions(found)).toEqual(['configmap-sensitive-data@6:3', 'parse-error@11:9', 'configmap-sensitive-data@18:3']);
    expect(found.every((f) => !f.message.includes('CANARY'))).toBe(true);
  });

  it('reports an alias without an anchor at the alias', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  A: *nope\n';
    const found = lint(text);
    expect(positions(found)).toEqual(['parse-error@4:6']);
    expect(found[0]!.message).toBe('This alias (*) names no anchor defined before it; the document was not linted.');
    expect(found[0]!.message).not.toMatch(/bomb/);
  });

  it('stops a billion-laughs alias bomb with a finding instead of expanding it', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      rows.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const found = lint(`${rows.join('\n')}\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['parse-error']);
    expect(found[0]!.message).toMatch(/alias/);
  });
});

describe('messages never carry source text', () => {
  it('drops the source the parser quotes after a colon', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: |hunter2CANARY\n';
    const found = lint(text);
    expect(found.map((f) => f.ruleId)).toEqual(['parse-error']);
    expect(found[0]!.message).not.toContain('CANARY');
  });

  it('reports complex keys, which Kubernetes rejects, without their text, on both paths', () => {
    // Before: ignored silently. kubectl: "unsupported map key of type: map".
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ? {password: Sup3rCANARY}\n  : c\n';
    const found = lint(text);
    expect(positions(found)).toEqual(['parse-error@5:5']);
    expect(found[0]!.message).not.toContain('CANARY');
  });
});
