/**
 * Peer conformance: the labelled fixtures of Polaris and kube-linter in ../shared/corpus (see
 * PEER_LABELS.md there) against our credential rules.
 *
 * - Polaris `sensitiveConfigmapContent` / `sensitiveContainerEnvVar`: every `failure.*` fixture is
 *   flagged by `configmap-sensitive-data` / `env-literal-secret` (at the entry its comment names), and
 *   no `success.*` fixture is.
 * - kube-linter `env-var-secret` / `read-secret-from-env-var`: every object the bats test expects to
 *   fire is flagged by `env-literal-secret` / `secret-env-var`, in the container it names, as many
 *   times as kube-linter reports; objects named `dont-fire*` are not.
 * - Where we deliberately disagree with a peer, the case is in an explicit table with the reason, and
 *   the test checks both sides: the peer's own pattern (read from PEER_LABELS.md) matches, and our
 *   rule behaves as documented.
 *
 * Skipped, with a message, when ../shared/corpus is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Finding } from '../../src/types.js';
import { lint } from '../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const present = existsSync(path.join(CORPUS, 'PEER_LABELS.md'));
if (!present) console.warn('peer conformance tests skipped: ../shared/corpus (PEER_LABELS.md) not found');

interface PolarisCase {
  file: string;
  label: string;
  objects: string[];
  comment: string;
}

interface KubeLinterTest {
  test: string;
  file: string;
  include: string | null;
  exit_status: number;
  expected_report_count: string;
  expected: { report_index: number; value: string; match: string; field: string }[];
  objects: { doc: number; kind: string; name: string }[];
}

const read = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8');

/** Our rule for each peer check. */
const POLARIS_CHECKS = {
  sensitiveConfigmapContent: 'configmap-sensitive-data',
  sensitiveContainerEnvVar: 'env-literal-secret',
} as const;
const KUBE_LINTER_CHECKS = {
  'env-var-secret': 'env-literal-secret',
  'read-secret-from-env-var': 'secret-env-var',
} as const;

/**
 * Labelled peer fixtures where we deliberately give a different answer; a case added here must say why.
 */
const XXXX_FILLER =
  'the value `xxxxx` is filler (four or more x: a placeholder, issue 13 "Placeholders in any case"); Polaris reports the key whatever its value, we report a credential a user would fix';
const FIXTURE_EXCEPTIONS: readonly { suite: 'polaris' | 'kube-linter'; file: string; object?: string; reason: string }[] = [
  { suite: 'polaris', file: 'FairwindsOps__polaris/test/checks/sensitiveConfigmapContent/failure.key_aws_secret_access_key.yaml', reason: XXXX_FILLER },
  { suite: 'polaris', file: 'FairwindsOps__polaris/test/checks/sensitiveConfigmapContent/failure.key_azure_batch_key.yaml', reason: XXXX_FILLER },
  { suite: 'polaris', file: 'FairwindsOps__polaris/test/checks/sensitiveConfigmapContent/failure.key_oci_cli_key_content.yaml', reason: XXXX_FILLER },
];

/** kube-linter's naming convention for objects that must not fire (PEER_LABELS.md, section 2). */
const KUBE_LINTER_QUIET = /^(dont-fire|should-pass-|good-|valid)/;

/** 1-based first line of each document of a YAML stream. */
function documentStartLines(text: string): number[] {
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  return parseAllDocuments(text).map((d) => lineOf(d.range[0]));
}

function documentOf(starts: readonly number[], line: number): number {
  let index = 0;
  starts.forEach((start, i) => {
    if (start <= line) index = i;
  });
  return index;
}

/** The 1-based line of the first `<key>:` entry or `name: <key>` item in a text. */
function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\s*(-\\s+)?(${key}\\s*:|name:\\s*${key}\\s*$)`).test(l));
  return i < 0 ? undefined : i + 1;
}

/** The entry a Polaris fixture's comment names: `key AWS_SECRET_ACCESS_KEY`, `named X`, `contains "password"`. */
function namedEntry(comment: string): { key?: string; contains?: string } {
  const key = /\b(?:key|named|name) ([A-Z][A-Z0-9_]{2,})\b/.exec(comment);
  if (key) return { key: key[1] };
  const contains = /contains "([^"]+)"/.exec(comment);
  return contains ? { contains: contains[1] } : {};
}

const ours = (findings: readonly Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

describe.skipIf(!present)('peer conformance over ../shared/corpus', () => {
  const labelsMd = present ? read('PEER_LABELS.md') : '';
  const polaris = present ? (JSON.parse(read('PEER_LABELS.polaris.json')) as { checks: Record<string, PolarisCase[]> }) : { checks: {} };
  const kubeLinter = present ? (JSON.parse(read('PEER_LABELS.kube-linter.json')) as KubeLinterTest[]) : [];

  it('PEER_LABELS.md documents the peer checks we conform to', () => {
    for (const check of [...Object.keys(POLARIS_CHECKS), ...Object.keys(KUBE_LINTER_CHECKS)]) expect(labelsMd).toContain(check);
  });

  describe.each(Object.entries(POLARIS_CHECKS))('Polaris %s → %s', (check, ruleId) => {
    const cases = (polaris.checks[check] ?? []).filter((c) => c.label === 'fail' || c.label === 'pass');

    it('has labelled fixtures', () => {
      expect(cases.filter((c) => c.label === 'fail').length).toBeGreaterThan(0);
      expect(cases.filter((c) => c.label === 'pass').length).toBeGreaterThan(0);
    });

    it.each(cases.map((c) => [path.basename(c.file), c] as const))('%s', (_, c) => {
      const file = `FairwindsOps__polaris/${c.file}`;
      const exception = FIXTURE_EXCEPTIONS.find((e) => e.suite === 'polaris' && e.file === file);
      const text = read(file);
      const found = ours(lint(text, file), ruleId);
      const expectFire = (c.label === 'fail') !== (exception !== undefined);
      if (!expectFire) {
        expect(found.map((f) => `${f.line}:${f.column} ${f.message}`), `${c.comment}${exception ? ` (exception: ${exception.reason})` : ''}`).toEqual([]);
        return;
      }
      expect(found.length, c.comment).toBeGreaterThan(0);
      // The entry the comment names is among the findings.
      const named = namedEntry(c.comment);
      if (named.key) {
        expect(found.map((f) => f.line), `${named.key} is reported`).toContain(lineOfKey(text, named.key));
      } else if (named.contains) {
        const lines = text.split('\n');
        expect(found.some((f) => lines[f.line - 1]!.toLowerCase().includes(named.contains!.toLowerCase()))).toBe(true);
      }
      for (const f of found) expect(f.severity).toBe('error');
    });
  });

  describe.each(Object.entries(KUBE_LINTER_CHECKS))('kube-linter %s → %s', (check, ruleId) => {
    const t = kubeLinter.find((x) => x.test === check);

    it('has a labelled test', () => {
      expect(t?.include).toBe(check);
      expect(t?.exit_status).toBe(1);
    });

    it('flags every object kube-linter reports, as often as it does, and no dont-fire object', () => {
      const file = `stackrox__kube-linter/${t!.file}`;
      const text = read(file);
      const starts = documentStartLines(text);
      const found = ours(lint(text, file), ruleId);
      const byDoc = new Map<number, Finding[]>();
      for (const f of found) {
        const d = documentOf(starts, f.line);
        byDoc.set(d, [...(byDoc.get(d) ?? []), f]);
      }
      for (const object of t!.objects) {
        const here = byDoc.get(object.doc) ?? [];
        for (const f of here) expect(f.object).toMatchObject({ kind: object.kind, name: object.name });
        const exception = FIXTURE_EXCEPTIONS.find((e) => e.suite === 'kube-linter' && e.file === file && e.object === `${object.kind}/${object.name}`);
        const fires = !KUBE_LINTER_QUIET.test(object.name) !== (exception !== undefined);
        expect(here.length > 0, `${object.kind}/${object.name} (document ${object.doc})`).toBe(fires);
      }
      // The same number of reports, each in the container kube-linter's message names, in order.
      expect(found.length).toBe(Number(t!.expected_report_count));
      t!.expected.forEach((e, i) => {
        const [kind, message] = e.value.split(/: (.*)/s) as [string, string];
        const container = /in container "([^"]+)"/.exec(message)?.[1];
        expect(found[i]?.object?.kind, e.value).toBe(kind);
        expect(found[i]?.container, e.value).toBe(container);
      });
    });
  });

  /**
   * Deliberate disagreements, shown on small cases: the peer's own pattern (read from PEER_LABELS.md)
   * matches, and our rule answers differently, for the reason given.
   */
  describe('deliberate disagreements', () => {
    /** Polaris's key patterns for sensitiveConfigmapContent and sensitiveContainerEnvVar (Go `(?i)` → JS `i`). */
    const polarisKeyPatterns = (() => {
      const bullet = /- `sensitiveConfigmapContent`[^\n]*\n?[^\n]*/.exec(labelsMd)?.[0] ?? '';
      const keys = bullet.slice(0, bullet.indexOf('A **value**') >= 0 ? bullet.indexOf('A **value**') : undefined);
      return [...keys.matchAll(/`\(\?i\)([^`]+)`/g)].map((m) => new RegExp(m[1]!, 'i'));
    })();
    const polarisFlagsKey = (key: string) => polarisKeyPatterns.some((p) => p.test(key));
    const kubeLinterEnvVarSecret = (() => {
      const m = /`env-var-secret`[^\n]*?`\(\?i\)([^`]+)`/.exec(labelsMd);
      return m ? new RegExp(m[1]!, 'i') : undefined;
    })();

    it('reads the peers\' patterns from PEER_LABELS.md', () => {
      expect(polarisKeyPatterns.length).toBeGreaterThanOrEqual(8);
      expect(kubeLinterEnvVarSecret).toBeDefined();
    });

    const configMap = (key: string, value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: case\ndata:\n  ${key}: ${JSON.stringify(value)}\n`;
    const pod = (env: string, extra = '') =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: case\nspec:\n  containers:\n    - name: app\n      image: app:1\n${env}${extra}`;
    const literal = (name: string, value: string) => pod(`      env:\n        - name: ${name}\n          value: ${JSON.stringify(value)}\n`);

    const polarisCases: readonly { key: string; value: string; reason: string }[] = [
      { key: 'PASSWORD_FILE', value: 'secrets/db.txt', reason: 'the key says where the password is, not what it is' },
      { key: 'secretName', value: 'billing-db', reason: 'the name of a Secret is not a secret' },
      { key: 'JWT_GCP_TOKEN_URL', value: 'https://oauth2.googleapis.com/token', reason: 'a token endpoint is not a token' },
      { key: 'tokenizer', value: 'wordpiece', reason: 'credential words count only as whole words' },
      { key: 'max_tokens', value: '4096', reason: 'whole words only, and a number is not a credential' },
      { key: 'DB_PASSWORD', value: '${DB_PASSWORD}', reason: 'a placeholder filled in later is not a credential' },
      { key: 'AUTH_TOKEN_ENABLED', value: 'true', reason: 'a flag about a token; a boolean is not a credential' },
      { key: 'password_validation.py', value: 'import os\nPASSWORD = os.environ["PASSWORD"]\n', reason: 'a program named for what it does holds no credential' },
    ];

    it.each(polarisCases.map((c) => [c.key, c] as const))('Polaris flags ConfigMap key %s; we do not: %s', (_, c) => {
      expect(polarisFlagsKey(c.key), 'Polaris pattern matches').toBe(true);
      expect(ours(lint(configMap(c.key, c.value)), 'configmap-sensitive-data'), c.reason).toEqual([]);
    });

    it('Polaris does not flag an api key or a password inside an embedded file; we do (its patterns miss them)', () => {
      expect(polarisFlagsKey('STRIPE_API_KEY')).toBe(false);
      expect(polarisFlagsKey('application.properties')).toBe(false);
      expect(ours(lint(configMap('STRIPE_API_KEY', 'key-value-1')), 'configmap-sensitive-data')).toHaveLength(1);
      expect(ours(lint(configMap('application.properties', 'db.password=pw-value\n')), 'configmap-sensitive-data')).toHaveLength(1);
    });

    it.each(polarisCases.filter((c) => !c.key.includes('.')).map((c) => [c.key, c] as const))(
      'Polaris flags env var %s with a literal value; we do not: %s',
      (_, c) => {
        expect(ours(lint(literal(c.key, c.value)), 'env-literal-secret'), c.reason).toEqual([]);
      },
    );

    it.each([
      ['SECRET_NAME', 'billing-db', 'the name of a Secret is not a secret'],
      ['VAULT_SECRET_PATH', 'kv/data/billing', 'a path to a secret is not a secret'],
      ['ENABLE_SECRET_ROTATION', 'true', 'a flag is not a secret'],
    ])('kube-linter env-var-secret flags %s; we do not: %s', (name, value, reason) => {
      expect(kubeLinterEnvVarSecret!.test(name), 'kube-linter pattern matches').toBe(true);
      expect(ours(lint(literal(name, value)), 'env-literal-secret'), reason).toEqual([]);
    });

    it('kube-linter env-var-secret misses credentials whose name lacks "secret"; we flag them by name or by shape', () => {
      for (const [name, value] of [
        ['DB_PASSWORD', 'pw-value'],
        ['DATABASE_URL', 'postgres://app:pw-value@db/app'],
      ]) {
        expect(kubeLinterEnvVarSecret!.test(name!)).toBe(false);
        expect(ours(lint(literal(name!, value!)), 'env-literal-secret'), name).toHaveLength(1);
      }
    });

    it('kube-linter read-secret-from-env-var does not flag envFrom.secretRef; we do: every key of the Secret lands in the environment', () => {
      expect(labelsMd).toMatch(/`envFrom\.secretRef` is \*\*not\*\* flagged/);
      const text = pod('      envFrom:\n        - secretRef:\n            name: app-secrets\n');
      expect(ours(lint(text), 'secret-env-var').map((f) => f.line)).toEqual([10]);
    });
  });
});
