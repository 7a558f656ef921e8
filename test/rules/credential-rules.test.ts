/**
 * Behaviour of the credential rules beyond the fixtures: the shared settings (`credentialWords`,
 * `allowedKeys`) reach inner keys and env names, inner positions are exact in literal blocks and fall
 * back to the entry elsewhere, the fast and exact paths agree, and messages carry names only.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/run/engine.js';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import type { Finding } from '../../src/types.js';
import { lintFile, lintOptions } from '../support/lint.js';

const CREDENTIAL_RULES = ['configmap-sensitive-data', 'env-literal-secret', 'secret-env-var', 'secret-committed', 'secret-invalid-base64'];
const at = (findings: readonly Finding[]) => findings.filter((f) => CREDENTIAL_RULES.includes(f.ruleId)).map((f) => `${f.ruleId}@${f.line}:${f.column}`);

const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n${data}`;
const pod = (env: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1\n      env:\n${env}`;

describe('shared settings', () => {
  const text = [
    configMap('  PIN: "12ab"\n  PUBLIC_TOKEN: pt-value\n  app.properties: |\n    bank.pin=98ab\n    public_token=pt-value\n    db.password=pw-value\n'),
    '---',
    pod('        - name: PIN\n          value: "34cd"\n        - name: PUBLIC_TOKEN\n          value: pt-value\n'),
  ].join('\n');

  it('default: PIN is not a credential word, PUBLIC_TOKEN is a credential', () => {
    expect(at(lintFile(text))).toEqual([
      'configmap-sensitive-data@7:3',
      'configmap-sensitive-data@10:5',
      'configmap-sensitive-data@11:5',
      'env-literal-secret@25:11',
    ]);
  });

  it('credentialWords and allowedKeys apply to ConfigMap keys, inner keys and env names alike', () => {
    const settings = { credentialWords: ['pin'], allowedKeys: ['public_token'] };
    expect(at(lintFile(text, 'test.yaml', { settings }))).toEqual([
      'configmap-sensitive-data@6:3',
      'configmap-sensitive-data@9:5',
      'configmap-sensitive-data@11:5',
      'env-literal-secret@23:11',
    ]);
  });
});

describe('positions inside embedded files', () => {
  it('are exact in literal blocks, with strip and keep chomping and leading blank lines', () => {
    const text = configMap('  a.properties: |-\n    x=1\n    password=pw-value\n  b.properties: |+\n\n    password=pw-value\n\n');
    expect(at(lintFile(text))).toEqual(['configmap-sensitive-data@8:5', 'configmap-sensitive-data@11:5']);
  });

  it('fall back to the entry for folded, quoted and flow values, and in JSON manifests', () => {
    const text = configMap(
      '  a.properties: >\n    password=pw-value\n  b.properties: "x=1\\npassword=pw-value\\n"\n  c: {inner: x}\n',
    );
    expect(at(lintFile(text))).toEqual(['configmap-sensitive-data@6:3', 'configmap-sensitive-data@8:3']);
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { 'a.env': 'A=1\nTOKEN=tok-value\n' } }, null, 2);
    expect(at(lintFile(json, 'cm.json'))).toEqual(['configmap-sensitive-data@8:5']);
  });

  it('report one finding per inner line, the key finding before a shape on the same line', () => {
    const text = configMap('  x.env: |\n    TOKEN=ghp_z8Kq3Rt5Yw7Np2Lm4Jh6Gf9Ds1Ax0Bv8Cu4Ei\n    URL=postgres://a:pw-value@db/a\n');
    const found = lintFile(text).filter((f) => f.ruleId === 'configmap-sensitive-data');
    // The token line is reported for its key; the URL line (key `URL` is no credential) for its shape.
    expect(found.map((f) => `${f.line}:${f.column}`)).toEqual(['7:5', '8:9']);
    expect(found[0]!.message).toContain('entry "TOKEN"');
    expect(found[1]!.message).toContain('holds a URL with a password');
  });
});

describe('fast and exact paths', () => {
  const rules = lintOptions().rules;
  it.each([
    ['an embedded file', configMap('  app.properties: |\n    db.password=pw-value\n')],
    ['a credential shape', configMap('  deploy: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvQIBADAN\n    -----END PRIVATE KEY-----\n')],
    ['an env literal', pod('        - name: DATABASE_URL\n          value: postgres://a:pw-value@db/a\n')],
    ['a bad Secret', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: not base64!\n'],
  ])('agree on %s', (_, text) => {
    const fast = lintText(text, 't.yaml', { rules, settings: DEFAULT_SETTINGS, fast: true }).findings;
    const exact = lintText(text, 't.yaml', { rules, settings: DEFAULT_SETTINGS, fast: false }).findings;
    expect(fast).toEqual(exact);
    expect(at(fast).length).toBeGreaterThan(0);
  });
});

describe('messages', () => {
  it('name the object, key, container and Secret, never the value', () => {
    const text = [
      configMap('  DB_PASSWORD: value-one\n  app.env: |\n    API_TOKEN=value-two\n  aws: AKIAZ7QK2VX4ZLMN3P5R\n'),
      '---',
      pod('        - name: DB_PASSWORD\n          value: value-three\n        - name: T\n          valueFrom:\n            secretKeyRef: {name: app-secret, key: t}\n'),
      '---',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: dmFsdWUtZm91cg==\n  b: value five\n',
    ].join('\n');
    const found = lintFile(text).filter((f) => CREDENTIAL_RULES.includes(f.ruleId));
    expect(new Set(found.map((f) => f.ruleId))).toEqual(new Set(CREDENTIAL_RULES));
    for (const f of found) {
      for (const v of ['value-one', 'value-two', 'AKIAZ7QK2VX4ZLMN3P5R', 'value-three', 'dmFsdWUtZm91cg', 'value-four', 'value five']) {
        expect(`${f.message} ${f.hint ?? ''}`, f.ruleId).not.toContain(v);
      }
    }
    const messages = found.map((f) => `${f.message} ${f.hint ?? ''}`).join('\n');
    for (const name of ['"cm"', '"DB_PASSWORD"', '"app.env"', '"API_TOKEN"', 'an AWS access key id', '"app"', '"app-secret"', 'Secret "s"', '"a", "b"']) {
      expect(messages).toContain(name);
    }
  });

  it('do not quote keys that Kubernetes would reject, nor inner keys that look like text', () => {
    const text = configMap('  "bad key": password=x\n  app.yaml: |\n    "pw is hunter2 password": value-one\n');
    const found = lintFile(text).filter((f) => f.ruleId === 'configmap-sensitive-data');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('entry "?"');
    expect(`${found[0]!.message} ${found[0]!.hint ?? ''}`).not.toContain('hunter2');
  });
});
