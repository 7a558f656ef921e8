/**
 * JSON inputs (issue 18): a text that is one JSON object or array is read with `JSON.parse`
 * (src/fast-parse.ts, jsonDocument) and its reported paths are located by the light reader
 * (src/light-locate.ts). Differential: every input is linted on the fast path and on the exact path
 * (`yaml` alone), and the results must be the same byte for byte; the JSON reading must take the
 * inputs it is sure of and leave the others (duplicate keys, `-0`, numbers out of range, tabs, …) to
 * YAML.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { jsonDocument } from '../../../src/yaml/fast-parse.js';
import { LightDocument } from '../../../src/yaml/light-locate.js';
import { normalizeText } from '../../../src/yaml/parse.js';
import { lintOptions } from '../../support/lint.js';
import { random } from '../../support/random.js';

const rules = lintOptions().rules;

function lintBothWays(text: string, file = 'in.json') {
  const fast = lintText(text, file, { rules, settings: DEFAULT_SETTINGS });
  const exact = lintText(text, file, { rules, settings: DEFAULT_SETTINGS, fast: false });
  return { fast, exact };
}

function expectSame(text: string, file?: string) {
  const { fast, exact } = lintBothWays(text, file);
  expect(JSON.stringify(fast, null, 1)).toEqual(JSON.stringify(exact, null, 1));
  return fast;
}

/** A pod with a sidecar, credentials in env vars and a ConfigMap with a password: several rules report. */
function manifests(i: number, extra: Record<string, unknown> = {}) {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, labels: { app: `app-${i}` }, annotations: {} },
      spec: {
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}` } },
          spec: {
            nodeSelector: {},
            tolerations: [],
            containers: [
              {
                name: 'main',
                image: 'example/app:1',
                env: [
                  { name: 'LOG_LEVEL', value: 'info' },
                  { name: 'API_TOKEN', value: `tok-${i}-abcdefgh12345678` },
                  { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `db-${i}`, key: 'password' } } },
                ],
                ports: [{ containerPort: 8080 }],
                resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: 0.5 } },
              },
              { name: 'proxy', image: 'envoyproxy/envoy:v1.30', args: ['--config', '/etc/envoy.yaml', 'é "quoted" \\ back\nslash'] },
            ],
          },
        },
      },
      ...extra,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}` },
      data: { DB_PASSWORD: `hunter2-${i}`, 'app.properties': 'a=1\ndb.password=s3cret\n', 'ké\u00e9': 'v', 'quo"te': 'x' },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `db-${i}` }, data: { password: 'aHVudGVyMg==', bad: 'not base64!' } },
  ];
}

const list = (items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', items });

describe('JSON inputs: JSON.parse and the light reader give the exact path\'s findings', () => {
  const inputs: [string, string][] = [
    ['a List on one line', JSON.stringify(list(manifests(1)))],
    ['a List, pretty (2 spaces)', `${JSON.stringify(list(manifests(2)), null, 2)}\n`],
    ['a List, pretty (4 spaces), CRLF', `${JSON.stringify(list(manifests(3)), null, 4).replace(/\n/g, '\r\n')}\r\n`],
    ['a Deployment, pretty', JSON.stringify(manifests(4)[0], null, 2)],
    ['a ConfigMap, every line at column 0', JSON.stringify(manifests(5)[1], null, 1).replace(/\n +/g, '\n')],
    ['a List, spaces around', `  \n ${JSON.stringify(list(manifests(6)), null, 3)} \n\n`],
    ['numbers of every JSON form', JSON.stringify({ ...manifests(7)[1], n: [0, -1, 1.5, -0.25, 1e21, 1.5e-7, 'BIG', 2e8] }).replace('1e+21', '1E+21').replace('"BIG"', '12345678901234567890')],
    ['a key right after its colon, white space before colons', '{"apiVersion" :"v1", "kind":"ConfigMap" ,"metadata": {"name":"x"},"data":{"PASSWORD" : "p4ss" }}'],
    ['a long key and a long line', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { ['K'.repeat(1500)]: 'v', DB_PASSWORD: `hunter2${'x'.repeat(3000)}` } })],
    ['objects of a List with findings far into a long line', JSON.stringify(list(Array.from({ length: 60 }, (_, i) => manifests(i)).flat()))],
  ];
  for (const [name, text] of inputs) {
    it(name, () => {
      expect(jsonDocument(normalizeText(text)), 'read with JSON.parse').toBeDefined();
      expect(LightDocument.read(normalizeText(text)), 'located without yaml').toBeDefined();
      const result = expectSame(text);
      expect(result.findings.length).toBeGreaterThan(0);
    });
  }

  it('leaves to YAML what JSON.parse would read differently, with the same findings', () => {
    const cm = (data: string) => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": ${data}}`;
    const left = [
      cm('{"PASSWORD": "a", "PASSWORD": "b"}'), // a duplicate key: YAML reports it
      cm('{"a": {"k": 1, "k": 2}, "PASSWORD": "p"}'),
      cm('{"PASSWORD": "a", "n": -0}'), // an integer 0 for Kubernetes
      cm('{"PASSWORD": "a", "n": 1e400}'), // a string for Kubernetes
      cm('{"PASSWORD": "a",\t"n": 1}'), // a tab
      cm('{"PASSWORD": "a", "__proto__": {"x": 1}}'),
      `${'['.repeat(300)}${']'.repeat(300)}`, // deeper than the exact path allows
      cm('{"PASSWORD": "a\\/b"}'), // an escape Kubernetes rejects (the caller's check)
      '{"a": 1} # a comment\n', // YAML, not JSON
      '{"a": 1}\n---\n{"b": 2}\n',
      '"just a string"\n',
    ];
    for (const text of left) {
      const value = jsonDocument(normalizeText(text));
      if (!text.includes('\\/') && !text.includes('---')) expect(value, text).toBeUndefined();
      expectSame(text);
    }
  });

  it('keeps the value of each key, escapes decoded (a key with escapes is located through YAML if need be)', () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"k\\u00e9y\\"s PASSWORD":"\\ud83d\\ude00 s3cret","tab\\there":"\\u0041"}}';
    expect(jsonDocument(text)).toEqual({ value: JSON.parse(text) });
    expectSame(text);
  });
});

describe('JSON inputs: generated, fast against exact', () => {
  it('gives the same results on a few hundred random JSON manifests', () => {
    const rnd = random(0x15eed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const strings = ['v', '', 'hunter2', 'a: b', '# not a comment', '- x', '"q"', "it's", 'é', '\u2603', 'line\nbreak', 'back\\slash', '{}', '[1]', '*alias', '&anchor', '!tag', '%YAML', 'yes', 'null', '08', '0x1F', '1_000', '.inf', 'true'];
    const keys = ['PASSWORD', 'api_key', 'name', 'value', 'data', 'x-y', 'a.b/c', 'é', 'with space', '1', 'true', '<<', 'k"q', ''];
    const scalar = (): unknown => {
      const r = rnd();
      if (r < 0.5) return pick(strings);
      if (r < 0.7) return pick([0, 1, -1, 0.5, 1e-7, 3e21, 8080, 420]);
      if (r < 0.85) return pick([true, false, null]);
      return `tok-${Math.floor(rnd() * 1e9)}-abcdefgh12345678`;
    };
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.5) return scalar();
      if (r < 0.75) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(keys), value(depth + 1)]));
    };
    let read = 0;
    for (let n = 0; n < 300; n++) {
      const kind = pick(['ConfigMap', 'Secret', 'Pod']);
      const doc: Record<string, unknown> = { apiVersion: 'v1', kind, metadata: { name: `x${n}`, annotations: value(2) } };
      if (kind === 'Pod') {
        doc.spec = {
          containers: Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => ({
            name: `c${i}`,
            image: 'img',
            env: Array.from({ length: Math.floor(rnd() * 3) }, () => ({ name: pick(keys), value: scalar() })),
            extra: value(1),
          })),
        };
      } else {
        doc.data = Object.fromEntries(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => [pick(keys), value(2)]));
      }
      let text = JSON.stringify(rnd() < 0.3 ? list([doc, value(0)]) : doc, null, pick([undefined, 1, 2]));
      if (rnd() < 0.1) text = text.replace(/"name":/, '"name": "dup", "name":'); // a duplicate key
      if (jsonDocument(normalizeText(text))) read++;
      expectSame(text, `gen-${n}.json`);
    }
    expect(read).toBeGreaterThan(200);
  });
});

describe('JSON inputs: the repository\'s JSON fixtures', () => {
  it('lint the same both ways', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const files = globbySync('fixtures/**/*.json', { cwd: root });
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expectSame(readFileSync(path.join(root, f), 'utf8'), f);
  });
});
