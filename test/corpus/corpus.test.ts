/**
 * The real CLI over the whole of ../shared/corpus (real manifests written by others): it must do its
 * job (exit 0 or 1), print no stack trace, emit valid JSON with positions inside the files, report
 * exactly the known syntax problems, and never put a Secret's value (or a flagged ConfigMap value)
 * in a message. Skipped, with a message, when the corpus is not there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { beforeAll, describe, expect, it } from 'vitest';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import type { JsonFinding } from '../../src/format/json.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const BIN = path.join(ROOT, 'bin/sidecar-lint.js');
const STACK_TRACE = /\n\s+at .*:\d+:\d+/;

const present = existsSync(CORPUS);
if (!present) console.warn('corpus tests skipped: ../shared/corpus not found');

/** The files with a duplicate key (checked independently with PyYAML and a duplicate-detecting loader). */
const DUPLICATE_KEY_FILES = [
  'GoogleCloudPlatform__kubernetes-engine-samples/streaming/kafka-confluent/manifests/05-replicator/my-target-cluster.yaml',
  'GoogleCloudPlatform__kubernetes-engine-samples/streaming/kafka-confluent/manifests/05-replicator/replicator.yaml',
  'GoogleCloudPlatform__kubernetes-engine-samples/streaming/kafka-confluent/manifests/06-confluent-platform/platform.yaml',
  'kubernetes__examples/_archived/openshift-origin/etcd-controller.yaml',
  'kubernetes__examples/_archived/openshift-origin/etcd-discovery-controller.yaml',
  'kubernetes__examples/_archived/openshift-origin/openshift-controller.yaml',
  'kubernetes__examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml',
  'kubernetes__examples/_archived/volumes/scaleio/sc-pvc.yaml',
  'stackrox__kube-linter/tests/checks/cel.yml',
];

const YAML_COMPAT_FILE = 'kubernetes__website/content/en/examples/pods/inject/envars-file-container.yaml';
/** A documentation example whose `...` line elides the rest: Kubernetes reads the document up to it. */
const DOCUMENT_END_FILE = 'kubernetes__website/content/en/examples/validatingadmissionpolicy/failure-policy-ignore.yaml';

interface KnownParseFailure {
  file: string;
  line: number;
  column: number;
}

/** SOURCES.md, "Files that fail to parse": the files `yaml` npm rejects, with the error's line and column. */
function knownParseFailures(): KnownParseFailure[] {
  const sources = readFileSync(path.join(CORPUS, 'SOURCES.md'), 'utf8');
  const start = sources.indexOf('### Files that fail to parse');
  const end = sources.indexOf('With PyYAML', start);
  expect(start, 'SOURCES.md has a "Files that fail to parse" section').toBeGreaterThan(0);
  const section = sources.slice(start, end);
  const out: KnownParseFailure[] = [];
  for (const m of section.matchAll(/^- `([^`]+)`: .* at line (\d+), column (\d+):?$/gm)) {
    out.push({ file: m[1]!, line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

function lineCount(text: string): number {
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

/** Every mapping key and every `name`-like string in a value: what a message may legitimately quote. */
function namesIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) namesIn(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      if (/^(name|namespace|key)$|Name$/.test(k) && (typeof v === 'string' || typeof v === 'number')) into.add(String(v));
      namesIn(v, into);
    }
  }
}

function objectsOf(value: unknown): Record<string, unknown>[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const v = value as Record<string, unknown>;
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
    return v.items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object' && !Array.isArray(i));
  }
  return [v];
}

describe.skipIf(!present)('the CLI over ../shared/corpus', () => {
  let code: number | null;
  let stdout: string;
  let stderr: string;
  let findings: JsonFinding[];
  let summary: Record<string, number>;
  const byFile = new Map<string, JsonFinding[]>();
  const filesWith = (ruleId: string) => [...new Set(findings.filter((f) => f.ruleId === ruleId).map((f) => f.file))].sort();

  beforeAll(() => {
    // --no-render: these checks are about every raw file (test/unit/input/render.test.ts covers rendering, and
    // the last test below runs the corpus with rendering on).
    const r = spawnSync(process.execPath, [BIN, '--format', 'json', '--no-render', '.'], {
      cwd: CORPUS,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_DEBUG: '' },
      timeout: 240_000,
    });
    if (r.error) throw r.error;
    code = r.status;
    stdout = r.stdout;
    stderr = r.stderr;
    const report = JSON.parse(stdout) as { findings: JsonFinding[]; summary: Record<string, number> };
    findings = report.findings;
    summary = report.summary;
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
  });

  it('does its job: exit 0 or 1, nothing on stderr, no stack trace', () => {
    expect([0, 1]).toContain(code);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(stdout).not.toMatch(STACK_TRACE);
    expect(stderr).toBe('');
  });

  it('lints every manifest file of the corpus', () => {
    const files = globbySync('**/*.{yaml,yml,json}', { cwd: CORPUS, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] });
    expect(files.length).toBeGreaterThan(2300);
    expect(summary.files).toBe(files.length);
    expect(summary.findings).toBe(findings.length);
    expect(summary.documents).toBeGreaterThan(4000);
  });

  it('gives every finding a position inside its file', () => {
    const outside: string[] = [];
    const lines = new Map<string, number>();
    for (const f of findings) {
      let n = lines.get(f.file);
      if (n === undefined) {
        n = lineCount(readFileSync(path.join(CORPUS, f.file), 'utf8'));
        lines.set(f.file, n);
      }
      const ok =
        f.line >= 1 && f.line <= n && f.endLine >= f.line && f.endLine <= n && f.column >= 1 && f.endColumn >= 1 &&
        (f.endLine > f.line || f.endColumn >= f.column);
      if (!ok) outside.push(`${f.ruleId} ${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} (${n} lines)`);
    }
    expect(outside).toEqual([]);
  });

  it('lists findings sorted by file, line and column', () => {
    const keys = findings.map((f) => [f.file, f.line, f.column] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });

  it('reports parse-error for exactly the 7 mis-indented kubernetes-engine-samples files, at their lines', () => {
    const known = knownParseFailures();
    const misIndented = known.filter((k) => k.file.startsWith('GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/'));
    expect(misIndented).toHaveLength(7);
    expect(filesWith('parse-error')).toEqual(misIndented.map((k) => k.file).sort());
    for (const k of misIndented) {
      const parseErrors = byFile.get(k.file)!.filter((f) => f.ruleId === 'parse-error');
      expect(parseErrors.map((f) => `${f.line}:${f.column}`), k.file).toEqual([`${k.line}:${k.column}`]);
      expect(parseErrors[0]!.severity).toBe('error');
    }
  });

  it('reports yaml-compat, not parse-error, for the \\\' escape in envars-file-container.yaml', () => {
    expect(knownParseFailures().map((k) => k.file)).toContain(YAML_COMPAT_FILE);
    const here = byFile.get(YAML_COMPAT_FILE) ?? [];
    expect(here.map((f) => `${f.ruleId}@${f.line}:${f.column}`)).toEqual(['yaml-compat@9:48']);
    // And one document that a `...` line cuts short: Kubernetes ignores what follows it (issue 14).
    expect(filesWith('yaml-compat')).toEqual([YAML_COMPAT_FILE, DOCUMENT_END_FILE].sort());
    expect((byFile.get(DOCUMENT_END_FILE) ?? []).map((f) => `${f.ruleId}@${f.line}:${f.column}`)).toEqual(['yaml-compat@4:1']);
  });

  it('reports duplicate-key in exactly 9 files', () => {
    expect(filesWith('duplicate-key')).toEqual(DUPLICATE_KEY_FILES);
  });

  it('never puts a Secret value or a flagged ConfigMap value in a message', () => {
    let secretFilesWithFindings = 0;
    let flaggedValues = 0;
    const leaks: string[] = [];
    for (const [file, here] of byFile) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const values = new Set<string>();
      const names = new Set<string>();
      let hasSecret = false;
      const starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      for (const doc of parseAllDocuments(text)) {
        let value: unknown;
        try {
          value = doc.toJS({ maxAliasCount: 1000 });
        } catch {
          continue;
        }
        namesIn(value, names);
        for (const object of objectsOf(value)) {
          if (object.kind !== 'Secret') continue;
          hasSecret = true;
          for (const field of ['data', 'stringData']) {
            const map = object[field];
            if (map === null || typeof map !== 'object') continue;
            for (const v of Object.values(map)) {
              if (typeof v !== 'string') continue;
              values.add(v);
              if (field === 'data') values.add(Buffer.from(v, 'base64').toString('utf8'));
            }
          }
        }
        // The values of the ConfigMap entries our rule flagged, found from the finding's position.
        const offsets = new Set(here.filter((x) => x.ruleId === 'configmap-sensitive-data').map((f) => starts[f.line - 1]! + f.column - 1));
        if (offsets.size === 0) continue;
        const flaggedLines = new Set(here.filter((x) => x.ruleId === 'configmap-sensitive-data').map((f) => f.line));
        visit(doc, {
          Pair(_, pair) {
            if (!isScalar(pair.key) || !pair.key.range || !isScalar(pair.value)) return;
            if (offsets.has(pair.key.range[0])) {
              values.add(String(pair.value.value));
              flaggedValues++;
              return;
            }
            // A finding inside an embedded file (a properties/YAML/JSON value): the inner line's
            // value, after its '=' or ':', is what must not leak.
            const range = pair.value.range;
            if (!range) return;
            for (const line of flaggedLines) {
              const at = starts[line - 1]!;
              if (at <= range[0] || at >= range[1]) continue;
              const inner = text.slice(at, starts[line] ?? text.length).trim();
              const m = /^[^=:]+[=:]\s*(.+)$/.exec(inner);
              if (m) values.add(m[1]!.replace(/^["']|["'],?$/g, ''));
              flaggedValues++;
              flaggedLines.delete(line);
            }
          },
        });
      }
      if (hasSecret) secretFilesWithFindings++;
      for (const v of values) {
        const value = v.trim();
        // Too short to mean anything, or also a name/key in the file (which a message may quote).
        if (value.length < 4 || [...names].some((n) => n.includes(value))) continue;
        for (const f of here) if (f.message.includes(value)) leaks.push(`${file}:${f.line} ${f.ruleId} contains ${JSON.stringify(value)}`);
      }
    }
    expect(leaks).toEqual([]);
    // The check must not be vacuous: some flagged ConfigMap values and some Secret files with findings.
    expect(flaggedValues).toBe(findings.filter((f) => f.ruleId === 'configmap-sensitive-data').length);
    expect(flaggedValues).toBeGreaterThan(0);
    expect(secretFilesWithFindings).toBeGreaterThan(0);
  });

  it('with rendering on (kubectl kustomize when installed), still runs to the end without a crash', () => {
    const r = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], {
      cwd: CORPUS,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', SIDECAR_LINT_DEBUG: '' },
      timeout: 240_000,
    });
    if (r.error) throw r.error;
    // Some kustomizations in the corpus cannot render (files left out of the corpus, remote bases):
    // each is one stderr line naming the command, its files are linted raw, and the exit code is 2.
    expect([0, 1, 2]).toContain(r.status);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    for (const line of r.stderr.trimEnd().split('\n').filter((l) => l !== '')) {
      expect(line).toMatch(/^sidecar-lint: \S.*: `(kubectl kustomize|kustomize build|helm template) .*` failed: .* \(its files were linted as plain YAML instead\)$|^sidecar-lint: .*Helm chart skipped/);
    }
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) expect(f.line).toBeGreaterThanOrEqual(1);
  });
});
