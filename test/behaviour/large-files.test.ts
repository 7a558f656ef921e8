/**
 * B17 (issue 14): any allowed file is linted within 256 MB of heap. A large file is linted a few
 * documents at a time (src/run/lint-chunks.ts); the result must be the same as linting it whole,
 * cross-resource checks included, on both parser paths.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/lint-options.js';
import { chunkStarts, CHUNKS } from '../../src/run/lint-chunks.js';
import { lintInputs } from '../../src/run/lint-files.js';
import { compareFindings } from '../../src/types.js';
import { lintOptions } from '../support/lint.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-large-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Documents of one group: objects that refer to each other (a pod, its Secret, its Service, a ConfigMap). */
function group(i: number, anchors: boolean): string[] {
  return [
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: web-${i}`,
      'spec:',
      '  template:',
      '    metadata:',
      `      labels: {app: web-${i}}`,
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: nginx',
      '          env:',
      '            - name: DB_PASSWORD',
      `              valueFrom: {secretKeyRef: {name: db-${i}, key: password}}`,
      // Not a known helper: the Service's targetPort makes it the main container (a cross-file override).
      '        - name: api',
      '          image: example/api',
      '          ports: [{containerPort: 9901}]',
      '',
    ].join('\n'),
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-${i}\nstringData:\n  user: admin\n`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: web-${i}\nspec:\n  selector: {app: web-${i}}\n  ports: [{port: 80, targetPort: 9901}]\n`,
    anchors
      ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${i}\n  labels: &l {app: web-${i}}\ndata:\n  API_TOKEN: &t "tok-${i}-abcdefghijklmnop"\n  COPY: *t\n`
      : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${i}\ndata:\n  LOG_LEVEL: info\n  API_TOKEN: "tok-${i}-abcdefghijklmnop"\n`,
  ];
}

/** A stream over the part threshold, the documents of each group scattered so that references cross parts. */
function stream(groups: number, anchors: boolean): string {
  const docs = Array.from({ length: groups }, (_, i) => group(i, anchors && i % 7 === 0)).flat();
  let seed = 17;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return `${docs.join('---\n')}`;
}

function lintWith(text: string, threshold: number, exact: boolean, reportUnusedSuppressions = false) {
  const saved = CHUNKS.threshold;
  CHUNKS.threshold = threshold;
  try {
    const rules = lintOptions().rules;
    const r = lintInputs([{ display: 'big.yaml', text }], { rules, settings: DEFAULT_SETTINGS, fast: !exact, patchFiles: new Set(), reportUnusedSuppressions });
    return { findings: r.findings.sort(compareFindings).map((f) => ({ ...f, pod: undefined })), stats: r.stats };
  } finally {
    CHUNKS.threshold = saved;
  }
}

describe('a large file linted in parts', () => {
  const text = stream(1500, true);

  it('is cut into parts at --- lines', () => {
    expect(text.length).toBeGreaterThan(CHUNKS.threshold);
    const starts = chunkStarts(text)!;
    expect(starts.length).toBeGreaterThan(4);
    for (const s of starts.slice(1)) expect(text.slice(s, s + 4)).toBe('---\n');
  });

  it.each([false, true])('gives what linting it whole gives (exact path: %s), cross-resource checks and main-container overrides included', (exact) => {
    const whole = lintWith(text, Infinity, exact);
    const parts = lintWith(text, 0, exact);
    expect(whole.findings.length).toBeGreaterThan(1500);
    // Every kind of finding of the stream: per object, cross-resource, and the Service's main container.
    expect(new Set(whole.findings.map((f) => f.ruleId))).toEqual(new Set(parts.findings.map((f) => f.ruleId)));
    expect(whole.findings.map((f) => f.ruleId)).toContain('missing-reference-key');
    expect(whole.findings.filter((f) => f.ruleId === 'sidecar-missing-resources' && f.message.startsWith('Sidecar "app"')).length).toBe(1500);
    expect(parts.stats).toEqual(whole.stats);
    expect(parts.findings).toEqual(whole.findings);
  });

  // Suppression comments: a disable-next-line over every 3rd API token, a disable block over a
  // Deployment's findings (ended in some, running to the document's end in others), one without a
  // reason, and one that matches nothing.
  let n = 0;
  const suppressed = text
    .replace(/^ {2}API_TOKEN:/gm, (m) => (n++ % 3 === 0 ? `  # sidecar-lint-disable-next-line configmap-sensitive-data -- test tokens\n${m}` : m))
    .replace(/^kind: Deployment\n/gm, (m) => (n++ % 4 === 0 ? `${m}# sidecar-lint-disable sidecar-missing-resources -- sized by the platform\n` : m))
    .replace(/^( {8}- name: api\n)/gm, (m) => (n++ % 8 === 0 ? `        # sidecar-lint-enable sidecar-missing-resources\n${m}` : m))
    .replace(/^kind: Secret\n/gm, (m) => {
      const k = n++ % 50;
      return k === 0 ? `${m}# sidecar-lint-disable-next-line all\n` : k === 25 ? `${m}# sidecar-lint-disable-next-line no-such-rule -- nothing\n` : m;
    });

  it.each([false, true])('gives what linting it whole gives with suppression comments (exact path: %s), unused ones reported', (exact) => {
    expect(chunkStarts(suppressed)!.length).toBeGreaterThan(4);
    const whole = lintWith(suppressed, Infinity, exact, true);
    const parts = lintWith(suppressed, 0, exact, true);
    expect(whole.findings.filter((f) => f.suppressed).length).toBeGreaterThan(500);
    expect(whole.findings.filter((f) => f.ruleId === 'unused-suppression').length).toBeGreaterThan(10);
    expect(whole.findings.filter((f) => f.ruleId === 'suppression-without-reason').length).toBeGreaterThan(10);
    expect(parts.stats).toEqual(whole.stats);
    expect(parts.findings).toEqual(whole.findings);
  });

  it('is linted whole when a suppression comment is on the line before a --- line (it may reach that line), or lines end in a lone CR', () => {
    expect(chunkStarts(`# sidecar-lint-disable configmap-sensitive-data -- fixtures\n${text}`)).toBeDefined();
    expect(chunkStarts(`# sidecar-lint-disable configmap-sensitive-data -- fixtures\n---\n${text}`)).toBeUndefined();
    expect(chunkStarts(text.replace('\n---\n', '\n# sidecar-lint-disable-next-line all -- the next document\n---\n'))).toBeUndefined();
    expect(chunkStarts(text.replace(/\n/g, '\r'))).toBeUndefined();
    expect(chunkStarts(`%YAML 1.2\n${text}`)).toBeUndefined();
  });
});

describe('B17: within 256 MB of heap', () => {
  it('lints a 9.5 MB stream with anchors (under the 10 MB limit) with --max-old-space-size=256, fast and exact path', () => {
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 9_500_000; i++) {
      const doc = `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  labels: &l${i}\n    app: web\ndata:\n  a: &v${i} "value-${i}"\n  b: *v${i}\n  LOG_LEVEL: info\n`;
      docs.push(doc);
      size += doc.length;
    }
    const file = path.join(tmp, 'big.yaml');
    fs.writeFileSync(file, docs.join(''));
    for (const exact of ['0', '1']) {
      const r = spawnSync(process.execPath, ['--max-old-space-size=256', path.join(ROOT, 'bin/sidecar-lint.js'), '--no-config', '-f', 'json', file], {
        encoding: 'utf8',
        env: { ...process.env, SIDECAR_LINT_EXACT: exact, SIDECAR_LINT_THREADS: '1' },
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(r.stderr, `exact=${exact}`).toBe('');
      expect(r.status, `exact=${exact}`).toBe(0);
      expect((JSON.parse(r.stdout) as { summary: { objects: number } }).summary.objects).toBe(docs.length);
    }
  });
});

describe('B17: a report that cannot be held ends with one line and exit 2', () => {
  it('200,000 findings within 320 MB of heap: JSON and SARIF are written in parts; JUnit ends with "out of memory writing the junit report", no V8 abort', () => {
    // One ConfigMap of 200,000 credential-looking keys (6 MB): linting it fits in 320 MB (below about
    // 280 MB the lint itself stops with its own one line, tested below). Its JSON report (about 120 MB
    // of text) and SARIF report (180 MB) are written a few dozen findings at a time as the reader
    // takes them, never held whole (SARIF was refused here while standard output, a pipe, held what
    // the reader had not taken); its JUnit report is built whole and does not fit. Before, V8 aborted
    // in JSON.stringify (exit 134, a GC trace).
    const keys = Array.from({ length: 200_000 }, (_, i) => `  PASSWORD_${i}: hunter${i}`);
    const file = path.join(tmp, 'many-findings.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys.join('\n')}\n`);
    const lint = (format: string) =>
      spawnSync(process.execPath, ['--max-old-space-size=320', path.join(ROOT, 'bin/sidecar-lint.js'), '--no-config', '-f', format, file], {
        encoding: 'utf8',
        env: { ...process.env, SIDECAR_LINT_THREADS: '1' },
        maxBuffer: 256 * 1024 * 1024,
      });
    const trace = (stderr: string) => stderr.split('\n').filter((l) => /v8::|sidecar-lint|JavaScript/.test(l)).slice(0, 12).join('\n');
    const asJson = lint('json');
    expect(asJson.signal, trace(asJson.stderr)).toBeNull();
    expect(asJson.stderr).toBe('');
    expect(asJson.status).toBe(1);
    expect((JSON.parse(asJson.stdout) as { summary: { findings: number } }).summary.findings).toBe(200_000);
    const asSarif = lint('sarif');
    expect(asSarif.signal, trace(asSarif.stderr)).toBeNull();
    expect(asSarif.stderr).toBe('');
    expect(asSarif.status).toBe(1);
    // Each result names its rule once ("ruleId"); the rule's description names it in "id".
    expect(asSarif.stdout.split('"ruleId": "configmap-sensitive-data"').length - 1).toBe(200_000);
    expect(asSarif.stdout.endsWith('}\n')).toBe(true);
    const asJunit = lint('junit');
    expect(asJunit.signal, trace(asJunit.stderr)).toBeNull();
    expect(asJunit.status).toBe(2);
    expect(asJunit.stdout).toBe('');
    expect(asJunit.stderr).toMatch(/^sidecar-lint: out of memory writing the junit report of 200000 findings, about \d+ MB \(the heap limit is \d+ MB\): report fewer findings \(--quiet, --rule <id>=off, fewer paths\), or give Node more memory \(NODE_OPTIONS=--max-old-space-size=\d+\)\n$/);
  });
});

describe('200,000 findings in every other format', () => {
  it('prints them all: no array of them spread into a call\'s arguments, no copy of a group for each', () => {
    // The stylish format (the default) ended with "internal error: Maximum call stack size exceeded"
    // (Math.max(...widths)), as did junit (push(...cases)); the markdown format copied a rule's and
    // a file's list of findings for each finding added to it (minutes).
    const keys = Array.from({ length: 200_000 }, (_, i) => `  PASSWORD_${i}: hunter${i}`);
    const file = path.join(tmp, 'many-findings-formats.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys.join('\n')}\n`);
    const expected: Record<string, (stdout: string) => number> = {
      stylish: (out) => out.split('\n').filter((l) => l.includes('configmap-sensitive-data')).length,
      compact: (out) => out.split('\n').filter((l) => l.includes('configmap-sensitive-data')).length,
      github: (out) => out.split('\n').filter((l) => l.startsWith('::error ')).length,
      junit: (out) => (out.match(/<testcase /g) ?? []).length,
      markdown: (out) => out.split('\n').filter((l) => l.startsWith('| [`configmap-sensitive-data`]') && / \| \d+:\d+ \| /.test(l)).length,
    };
    for (const [format, count] of Object.entries(expected)) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/sidecar-lint.js'), '--no-config', '-f', format, file], {
        encoding: 'utf8',
        env: { ...process.env, SIDECAR_LINT_THREADS: '1' },
        maxBuffer: 512 * 1024 * 1024,
        timeout: 120_000,
      });
      expect(r.stderr, format).toBe('');
      expect(r.status, format).toBe(1);
      expect(count(r.stdout), format).toBe(200_000);
    }
  });
});

describe('B17: a single huge document under a small heap ends with one line and exit 2', () => {
  // One ConfigMap of 200,000 keys (5–6 MB): a single document cannot be linted in parts, and parsing
  // it with positions needs about 250 MB. Before, under --max-old-space-size=160 V8 aborted in the
  // middle of the parse (exit 134, a GC trace) on the exact path, and in collecting the findings on
  // the fast path (the heap checks measured against V8's heap_size_limit, 208 MB there, and never fired).
  const lint = (file: string, exact: string) =>
    spawnSync(process.execPath, ['--max-old-space-size=160', path.join(ROOT, 'bin/sidecar-lint.js'), '--no-config', '-f', 'json', file], {
      encoding: 'utf8',
      env: { ...process.env, SIDECAR_LINT_EXACT: exact, SIDECAR_LINT_THREADS: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
  const trace = (stderr: string) => stderr.split('\n').filter((l) => /v8::|sidecar-lint|JavaScript/.test(l)).slice(0, 12).join('\n');
  const write = (name: string, key: string, value: string) => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `  ${key}_${i}: ${value}${i}`);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys.join('\n')}\n`);
    return file;
  };
  const parseRefused = (file: string) =>
    new RegExp(
      `^sidecar-lint: out of memory while linting \\S*${path.basename(file).replace(/\./g, '\\.')}: reading its \\d+ MB of YAML with positions needs about \\d+ MB of heap, more than the \\d+ MB left \\(the heap limit is 160 MB\\): split the document into smaller ones, or give Node more memory \\(NODE_OPTIONS=--max-old-space-size=\\d+\\)\\n$`,
    );

  it('no finding: linted on the fast path (values only); on the exact path, refused before the parse', () => {
    const file = write('one-huge-document.yaml', 'KEY', 'value');
    const fast = lint(file, '0');
    expect(fast.signal, trace(fast.stderr)).toBeNull();
    expect(fast.stderr).toBe('');
    expect(fast.status).toBe(0);
    expect((JSON.parse(fast.stdout) as { summary: { objects: number } }).summary.objects).toBe(1);
    const exact = lint(file, '1');
    expect(exact.signal, trace(exact.stderr)).toBeNull();
    expect(exact.status).toBe(2);
    expect(exact.stdout).toBe('');
    expect(exact.stderr).toMatch(parseRefused(file));
  });

  it('200,000 findings: one line naming the file on both paths, no V8 abort', () => {
    const file = write('one-huge-document-findings.yaml', 'PASSWORD', 'hunter');
    const exact = lint(file, '1');
    expect(exact.signal, trace(exact.stderr)).toBeNull();
    expect(exact.status).toBe(2);
    expect(exact.stdout).toBe('');
    expect(exact.stderr).toMatch(parseRefused(file));
    const fast = lint(file, '0');
    expect(fast.signal, trace(fast.stderr)).toBeNull();
    expect(fast.status).toBe(2);
    expect(fast.stdout).toBe('');
    expect(fast.stderr).toMatch(/^sidecar-lint: out of memory while linting \S*one-huge-document-findings\.yaml \(the heap limit is 160 MB\): lint fewer files at once, or give Node more memory \(NODE_OPTIONS=--max-old-space-size=1024\)\n$/);
  });
});
