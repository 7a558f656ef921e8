/**
 * The JSON shortcut of the quick look at embedded YAML (`yamlMayHave`): a JSON text is read with
 * `JSON.parse` only where that gives exactly js-yaml's document, and the quick look answers as it
 * does with js-yaml alone (differential, over generated JSON with duplicate keys, escapes, tabs…).
 */
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { docsMayHave, jsonAsJsYaml, yamlMayHave, type InnerEntry } from '../../rules/support/embedded-config.js';
import { couldBeCredential, keyNamesCredential } from '../../rules/support/credentials.js';

/** yamlMayHave as it was: js-yaml for every text. */
function reference(value: string, wanted: (entry: InnerEntry) => boolean): boolean {
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(value, undefined, { schema: jsyaml.CORE_SCHEMA }) as unknown[];
  } catch {
    return true;
  }
  return docsMayHave(docs, wanted);
}

function numbersAsOne(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? 1 : v)));
}

const wanted = (entry: InnerEntry) => keyNamesCredential(entry.key) && couldBeCredential(entry.value);

/** A small deterministic generator (no Math.random: a failure must reproduce). */
function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const KEYS = ['password', 'token', 'name', 'key', 'apiKey', '__proto__', 'a', 'secret_key', 'pass\\u0077ord', 'to\\"ken', 'x y', '1', ''];
const STRINGS = ['hunter2', 'true', '', '${X}', '/etc/x', '12', 'a\\nb', '\\u00e9t\\u00e9', 'REPLACE_ME', 'p\\\\w', '\\"q\\"', 'line\\tx'];

function jsonText(random: (n: number) => number): string {
  const pretty = random(2) === 0;
  const ws = (depth: number) => (pretty ? '\n' + '  '.repeat(depth) : '');
  const value = (depth: number): string => {
    const r = depth === 0 ? random(2) : depth > 4 ? 2 + random(4) : random(6);
    if (r === 0 || r === 1) {
      const isMap = r === 0;
      const n = random(4);
      const items: string[] = [];
      const used: string[] = [];
      for (let i = 0; i < n; i++) {
        const v = value(depth + 1);
        if (!isMap) {
          items.push(ws(depth + 1) + v);
          continue;
        }
        // Now and then a key again (a duplicate), written the same way or with an escape.
        const key = used.length > 0 && random(6) === 0 ? used[random(used.length)]! : KEYS[random(KEYS.length)]!;
        used.push(key);
        items.push(`${ws(depth + 1)}"${key}"${random(3) === 0 ? ' ' : ''}:${pretty ? ' ' : ''}${v}`);
      }
      return (isMap ? '{' : '[') + items.join(',') + (n > 0 ? ws(depth) : '') + (isMap ? '}' : ']');
    }
    if (r === 2 || r === 3) return `"${STRINGS[random(STRINGS.length)]!}"`;
    if (r === 4) return ['1', '-0', '1.5e3', '0.25', '12345678901234567890'][random(5)]!;
    return ['true', 'false', 'null'][random(3)]!;
  };
  let text = value(0);
  if (random(10) === 0) text = text.replace(/\n/, '\n\t');
  if (random(10) === 0) text = text.replace(/\n/g, '\r\n');
  if (random(8) === 0) text = '  \n' + text + '\n';
  return text;
}

describe('jsonAsJsYaml', () => {
  it('gives js-yaml\'s one document wherever it gives a value, and yamlMayHave answers as with js-yaml alone', () => {
    const random = generator(18);
    let taken = 0;
    let trues = 0;
    for (let i = 0; i < 3000; i++) {
      const text = jsonText(random);
      const json = jsonAsJsYaml(text);
      if (json !== undefined) {
        taken++;
        const docs = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA });
        expect(docs, text).toHaveLength(1);
        // The same strings, keys and nesting; numbers stay numbers (js-yaml reads `-0` as 0).
        expect(numbersAsOne(json.value), text).toEqual(numbersAsOne(docs[0]));
      }
      const may = yamlMayHave(text, wanted);
      if (may) trues++;
      expect(may, text).toBe(reference(text, wanted));
    }
    // Both answers are given often.
    expect(trues).toBeGreaterThan(500);
    expect(trues).toBeLessThan(2500);
    // The shortcut is taken for most texts (the test would prove nothing otherwise).
    expect(taken).toBeGreaterThan(1000);
  });

  it.each([
    ['a duplicate key', '{"password": "x", "password": "y"}'],
    ['a duplicate key written with an escape', '{"a": 1, "\\u0061": 2}'],
    ['a tab', '{\n\t"a": 1\n}'],
    ['a carriage return', '{\r\n"a": 1\r\n}'],
    ['a character js-yaml refuses', '{"a": "\u0085\u007f"}'],
    ['a byte order mark', '\uFEFF{"a": 1}'],
    ['a YAML flow mapping', '{a: 1}'],
    ['a scalar', '"password"'],
    ['two documents', '{"a": 1}\n---\n{"b": 2}\n'],
    ['nesting deeper than 256', '['.repeat(300) + ']'.repeat(300)],
  ])('leaves %s to js-yaml', (_, text) => {
    expect(jsonAsJsYaml(text)).toBeUndefined();
  });

  it('reads JSON objects and arrays, compact or pretty', () => {
    expect(jsonAsJsYaml('{"a":{"password":"x"},"b":[1,"two",null]}')).toEqual({ value: { a: { password: 'x' }, b: [1, 'two', null] } });
    expect(jsonAsJsYaml('\n[\n  {\n    "k": "v"\n  }\n]\n')).toEqual({ value: [{ k: 'v' }] });
    expect(jsonAsJsYaml('{"__proto__": {"token": "t"}}')?.value).toEqual(jsyaml.load('{"__proto__": {"token": "t"}}'));
  });
});
