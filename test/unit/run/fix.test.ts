/**
 * Automatic fixes: byte-exact results (CRLF, comments, flow style, multi-document streams, a byte
 * order mark), the check by linting again, what is safe and unsafe, and the command line
 * (--fix, --fix-dry-run, --unsafe-fixes, standard input).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type LintOptions } from '../../../src/config/lint-options.js';
import { applyFixEdits, checkFix, fixText, maskSecretValues, secretValueRanges, unifiedDiff } from '../../../src/run/fix.js';
import { runFixes, textFixes } from '../../../src/app/fix-run.js';
import type { Finding } from '../../../src/types.js';
import { runCli, lintOptions } from '../../support/lint.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-fix-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function options(kubeVersion = DEFAULT_SETTINGS.kubeVersion): LintOptions {
  return { rules: lintOptions().rules, settings: { ...DEFAULT_SETTINGS, kubeVersion } };
}

const fix = (text: string, unsafe = true, kubeVersion?: string) => fixText(text, 'x.yaml', options(kubeVersion), { unsafe });

const SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db   # the database',
  'data:',
  '  # the user, base64',
  '  user: YWRtaW4=',
  "  password: 'hunter two'  # oops, plain text",
  'type: Opaque',
  '',
].join('\n');

const SECRET_FIXED = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db   # the database',
  'data:',
  '  # the user, base64',
  '  user: YWRtaW4=',
  'stringData:',
  "  password: 'hunter two'  # oops, plain text",
  'type: Opaque',
  '',
].join('\n');

const JOB = [
  '# A migration job',
  'apiVersion: batch/v1',
  'kind: Job',
  'metadata: {name: migrate}',
  'spec:',
  '  template:',
  '    spec:',
  '      restartPolicy: Never',
  '      initContainers:',
  '      - name: wait-for-db',
  '        image: busybox:1.36',
  '        command: ["sh", "-c", "until nc -z localhost:5432; do sleep 1; done"]',
  '      containers:',
  '      - name: migrate',
  '        image: example/migrate:1',
  '        args: [--db, "localhost:5432"]',
  '      # the database proxy',
  '      - name: cloud-sql-proxy',
  '        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0',
  '        ports: [{containerPort: 5432}]   # flow style stays',
  '        resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}',
  '',
].join('\n');

describe('fixText: byte-exact results', () => {
  it('moves plain text from data to stringData, keeping comments and quoting (unsafe)', () => {
    const r = fix(SECRET);
    expect(r.applied.map((a) => [a.finding.ruleId, a.fix.title])).toEqual([['secret-invalid-base64', 'move "password" from data to stringData']]);
    expect(r.text).toBe(SECRET_FIXED);
    expect(r.findings.map((f) => f.ruleId)).not.toContain('secret-invalid-base64');
    // Not without unsafe fixes.
    expect(fix(SECRET, false).text).toBe(SECRET);
  });

  it('keeps CRLF line ends and a byte order mark', () => {
    const crlf = `\uFEFF${SECRET.replace(/\n/g, '\r\n')}`;
    const r = fix(crlf);
    expect(r.text).toBe(`\uFEFF${SECRET_FIXED.replace(/\n/g, '\r\n')}`);
  });

  it('turns the data map into stringData when its only entry moves; other documents of the stream are untouched', () => {
    const other = '---\n# untouched\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1",   b: \'2\'}\n';
    const text = `${other}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: "not base64!"\n${other}`;
    const r = fix(text);
    expect(r.text).toBe(`${other}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: "not base64!"\n${other}`);
  });

  it('moves a Job sidecar into initContainers with restartPolicy: Always, before the init container that calls it (unsafe, 1.29+)', () => {
    const r = fix(JOB);
    expect(r.applied.map((a) => a.finding.ruleId)).toContain('job-sidecar-not-native');
    expect(r.text).toBe(
      [
        '# A migration job',
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata: {name: migrate}',
        'spec:',
        '  template:',
        '    spec:',
        '      restartPolicy: Never',
        '      initContainers:',
        '      # the database proxy',
        '      - name: cloud-sql-proxy',
        '        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0',
        '        ports: [{containerPort: 5432}]   # flow style stays',
        '        resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}',
        '        restartPolicy: Always',
        '      - name: wait-for-db',
        '        image: busybox:1.36',
        '        command: ["sh", "-c", "until nc -z localhost:5432; do sleep 1; done"]',
        '      containers:',
        '      - name: migrate',
        '        image: example/migrate:1',
        '        args: [--db, "localhost:5432"]',
        '',
      ].join('\n'),
    );
    expect(r.findings.map((f) => f.ruleId)).not.toContain('job-sidecar-not-native');
  });

  it('creates initContainers before containers, re-indenting the moved item', () => {
    const text = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata:',
      '  name: j',
      'spec:',
      '  template:',
      '    metadata:',
      '      annotations:',
      '        kubectl.kubernetes.io/default-container: main',
      '    spec:',
      '      restartPolicy: Never',
      '      containers:',
      '        - name: main',
      '          image: example/app:1',
      '        - name: istio-proxy',
      '          image: docker.io/istio/proxyv2:1.22.0',
      '',
    ].join('\n');
    const r = fix(text);
    expect(r.text).toBe(
      [
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata:',
        '  name: j',
        'spec:',
        '  template:',
        '    metadata:',
        '      annotations:',
        '        kubectl.kubernetes.io/default-container: main',
        '    spec:',
        '      restartPolicy: Never',
        '      initContainers:',
        '        - name: istio-proxy',
        '          image: docker.io/istio/proxyv2:1.22.0',
        '          restartPolicy: Always',
        '      containers:',
        '        - name: main',
        '          image: example/app:1',
        '',
      ].join('\n'),
    );
  });

  it('below Kubernetes 1.29 the sidecar stays; the guessed main container is written down instead (safe)', () => {
    const r = fix(JOB, false, '1.28');
    expect(r.applied.map((a) => a.fix.title)).toEqual(['name "migrate" in the kubectl.kubernetes.io/default-container annotation']);
    expect(r.text).toBe(
      JOB.replace(
        '  template:\n    spec:\n',
        '  template:\n    metadata:\n      annotations:\n        kubectl.kubernetes.io/default-container: migrate\n    spec:\n',
      ),
    );
    expect(r.findings.some((f) => f.message.includes('(guessed:'))).toBe(false);
  });

  it('adds the annotation to existing template metadata, after its last entry (safe)', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: example/web:1',
      '          envFrom: [{secretRef: {name: web-secrets}}]',
      '        - name: shipper',
      '          image: example/shipper:1',
      '',
    ].join('\n');
    const r = fix(text, false);
    expect(r.applied.length).toBe(1);
    expect(r.text).toBe(text.replace('      labels: {app: web}\n', '      labels: {app: web}\n      annotations:\n        kubectl.kubernetes.io/default-container: web\n'));
  });

  it('replaces a default-container annotation that names no container (safe)', () => {
    const text = fs.readFileSync(path.join(import.meta.dirname, '../../../fixtures/default-container-missing/annotation-names-no-container.yaml'), 'utf8');
    const r = fix(text, false);
    expect(r.applied.map((a) => a.finding.ruleId)).toContain('default-container-missing');
    expect(r.findings.map((f) => f.ruleId)).not.toContain('default-container-missing');
    const diff = unifiedDiff(text, r.text, 'a.yaml').split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).toHaveLength(2);
    expect(diff[0]).toMatch(/^-\s+kubectl\.kubernetes\.io\/default-container: /);
    expect(diff[1]).toMatch(/^\+\s+kubectl\.kubernetes\.io\/default-container: /);
  });

  it('drops the earlier occurrence of a duplicate key (unsafe), with its comment', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  # old\n  LEVEL: debug\n  OTHER: x\n  LEVEL: info # wins\n';
    const r = fix(text);
    expect(r.text).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  OTHER: x\n  LEVEL: info # wins\n');
    expect(fix(text, false).text).toBe(text);
  });

  it('does not write a fix it cannot apply exactly, and says why', () => {
    const flow = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: "hunter two"}\n';
    const r = fix(flow);
    expect(r.text).toBe(flow);
    expect(r.skipped.map((s) => [s.finding.ruleId, s.reason])).toEqual([['secret-invalid-base64', 'the entry to move is not in a block map']]);
    const taken = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: "hunter two"\nstringData:\n  password: other\n';
    expect(fix(taken).skipped.map((s) => s.reason)).toEqual(['"password" is already there']);
  });

  it('checkFix refuses a fix after which a finding is new or the finding is still there', () => {
    const f = (ruleId: string, container: string | null = null): Finding => ({
      ruleId,
      severity: 'warning',
      message: 'm',
      file: 'x.yaml',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      object: { apiVersion: 'v1', kind: 'Secret', namespace: null, name: 's' },
      container,
    });
    const fx = { kind: 'unsafe' as const, title: 't', documentIndex: 0, edits: [], resolves: 'gone' as const };
    expect(checkFix([f('a')], [], f('a'), fx)).toBeUndefined();
    expect(checkFix([f('a')], [f('a')], f('a'), fx)).toBe('the finding is still there after the fix');
    expect(checkFix([f('a')], [f('b')], f('a'), fx)).toBe('fixing it would add a finding (b on Secret "s")');
  });

  it('applyFixEdits refuses lone carriage returns rather than guess', () => {
    expect(applyFixEdits('a: 1\rb: 2\r', { kind: 'safe', title: 't', documentIndex: 0, edits: [{ op: 'set', path: ['c'], value: 'x' }], resolves: 'gone' })).toEqual({
      problem: 'the file has lone carriage returns (old Mac line ends)',
    });
  });
});

describe('every fixture', () => {
  const root = path.join(import.meta.dirname, '../../../fixtures');
  const files = fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();

  it('fixes only what it can check, keeps the text outside the fixes, and a second run has nothing left to do', () => {
    let applied = 0;
    for (const name of files) {
      const text = fs.readFileSync(path.join(root, name), 'utf8');
      const kube = /kube-version[=:]\s*(\d+\.\d+)/.exec(text)?.[1];
      const r = fixText(text, name, options(kube), { unsafe: true });
      applied += r.applied.length;
      if (r.applied.length === 0) {
        expect(r.text, name).toBe(text);
        continue;
      }
      // The fixed text parses as well as the original did.
      const broken = (fs: readonly Finding[]) => fs.filter((f) => f.ruleId === 'parse-error').length;
      expect(broken(r.findings), name).toBe(broken(fixText(text, name, options(kube), { accept: () => false }).findings));
      const again = fixText(r.text, name, options(kube), { unsafe: true });
      expect(again.applied, name).toEqual([]);
      expect(again.text, name).toBe(r.text);
    }
    expect(applied).toBeGreaterThan(5);
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with context, and nothing for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'f')).toBe('');
    expect(unifiedDiff('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nfive\n6\n7\n8\n9\n', 'f.yaml')).toBe(
      '--- a/f.yaml\n+++ b/f.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n',
    );
    expect(unifiedDiff('a\nb', 'a\nc', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });

  /** The text a unified diff (of texts ending in a line break) makes of `before`. */
  function patched(before: string, diff: string): string {
    const lines = before.slice(0, -1).split('\n');
    const out: string[] = [];
    let at = 0;
    const diffLines = diff.split('\n').slice(2, -1);
    for (let k = 0; k < diffLines.length; k++) {
      const hunk = /^@@ -(\d+),?\d* \+\d+,?\d* @@$/.exec(diffLines[k]!);
      if (hunk) {
        const start = Number(hunk[1]) - 1;
        while (at < start) out.push(lines[at++]!);
        continue;
      }
      const line = diffLines[k]!;
      if (line.startsWith('+')) out.push(line.slice(1));
      else if (line.startsWith('-')) at++;
      else out.push(lines[at++]!);
    }
    while (at < lines.length) out.push(lines[at++]!);
    return `${out.join('\n')}\n`;
  }

  it('diffs a long stream a document at a time: the diff makes the new text, with as few lines changed', () => {
    const doc = (i: number, fixed: boolean) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n${fixed && i % 3 === 0 ? '  annotations:\n    a: b\n' : ''}data:\n  k: v\n  same: line\n  same: line\n`;
    for (const count of [100, 2000]) {
      const before = Array.from({ length: count }, (_, i) => doc(i, false)).join('---\n');
      const after = Array.from({ length: count }, (_, i) => doc(i, true)).join('---\n');
      const diff = unifiedDiff(before, after, 'f.yaml');
      expect(patched(before, diff), `${count} documents`).toBe(after);
      expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l)).length).toBe(2 * Math.ceil(count / 3));
    }
    // `---` lines in other numbers: diffed whole, as short.
    const before = Array.from({ length: 1500 }, (_, i) => doc(i, false)).join('---\n');
    const after = before.replace('---\n', '');
    expect(patched(before, unifiedDiff(before, after, 'f.yaml'))).toBe(after);
  });
});

describe('--fix, --fix-dry-run, --unsafe-fixes', () => {
  let n = 0;
  const dir = (files: Record<string, string>) => {
    const d = path.join(tmp, `run-${++n}`);
    fs.mkdirSync(d, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
    return d;
  };

  it('--fix-dry-run prints a diff and changes nothing; exit 1 when there is something to fix', async () => {
    const cwd = dir({ 's.yaml': SECRET });
    const r = await runCli(['--fix-dry-run', '--unsafe-fixes', 's.yaml'], { cwd });
    expect(r.code).toBe(1);
    // The Secret's values are masked in the diff (the diff is otherwise the plain one).
    expect(r.stdout).toBe(
      [
        '--- a/s.yaml',
        '+++ b/s.yaml',
        '@@ -5,5 +5,6 @@',
        ' data:',
        '   # the user, base64',
        '   user: <redacted: 8 chars>',
        '+stringData:',
        '   password: <redacted: 10 chars>  # oops, plain text',
        ' type: Opaque',
        '',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('hunter');
    expect(r.stdout).not.toContain('YWRtaW4=');
    expect(r.stderr).toBe('sidecar-lint: would fix 1 finding in 1 file\n');
    expect(fs.readFileSync(path.join(cwd, 's.yaml'), 'utf8')).toBe(SECRET);
    const safeOnly = await runCli(['--fix-dry-run', 's.yaml'], { cwd });
    expect(safeOnly.code).toBe(0);
    expect(safeOnly.stdout).toBe('');
    expect(safeOnly.stderr).toBe('sidecar-lint: 1 finding has an unsafe fix (they change how the workload runs); apply with --unsafe-fixes\n');
  });

  it('--fix writes the files and reports what is left', async () => {
    const cwd = dir({ 's.yaml': SECRET, 'job.yaml': JOB });
    const r = await runCli(['--fix', '--unsafe-fixes', '-f', 'json', '.'], { cwd });
    expect(fs.readFileSync(path.join(cwd, 's.yaml'), 'utf8')).toBe(SECRET_FIXED);
    expect(fs.readFileSync(path.join(cwd, 'job.yaml'), 'utf8')).toContain('restartPolicy: Always');
    expect(r.stderr).toContain('sidecar-lint: fixed 2 findings in 2 files\n');
    const left = (JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(left).not.toContain('secret-invalid-base64');
    expect(left).not.toContain('job-sidecar-not-native');
  });

  it('--fix with standard input writes the fixed text to standard output', async () => {
    const r = await runCli(['--fix', '--unsafe-fixes', '-'], { stdin: SECRET });
    expect(r.stdout).toBe(SECRET_FIXED);
    const unchanged = await runCli(['--fix', '-'], { stdin: SECRET });
    expect(unchanged.stdout).toBe(SECRET);
    const diff = await runCli(['--fix-dry-run', '--unsafe-fixes', '--stdin-filename', 'k8s/s.yaml', '-'], { stdin: SECRET });
    expect(diff.stdout.startsWith('--- a/k8s/s.yaml\n+++ b/k8s/s.yaml\n')).toBe(true);
  });

  it('refuses options that do not go together', async () => {
    expect((await runCli(['--unsafe-fixes', 'x.yaml'])).stderr).toContain('--unsafe-fixes needs --fix or --fix-dry-run');
    expect((await runCli(['--fix', '--fix-dry-run', 'x.yaml'])).code).toBe(2);
  });

  it('never edits rendered Helm or Kustomize output, and says so for each finding it leaves', () => {
    const findings = fixText(SECRET, 'chart (helm template)', options(), { unsafe: true });
    expect(findings.applied.length).toBe(1);
    const lintFindings: Finding[] = [{ ...findings.applied[0]!.finding, file: 'chart (helm template)' }];
    const r = runFixes([{ display: 'chart (helm template)', text: SECRET }], new Set(['chart (helm template)']), lintFindings, options(), { write: true, unsafe: true }, tmp);
    expect(r.changed).toBe(false);
    expect(r.stdout).toBe(SECRET);
    const note = (file: string, line: number) =>
      `${file}:${line}:3: secret-invalid-base64 not fixed (move "password" from data to stringData): it was found in rendered Helm or Kustomize output, which --fix does not edit; fix the source by hand (for a kustomization's own files, --no-render lints and fixes them as they are)`;
    expect(r.notes).toEqual([note('chart (helm template)', 8)]);
    // A finding mapped back to a template or resource file that is not an input itself (the usual case) is named too.
    const mapped: Finding[] = [
      { ...lintFindings[0]!, file: 'chart/templates/secret.yaml' },
      { ...lintFindings[0]!, file: 'k8s/base/secret.yaml', line: 3 },
    ];
    const both = runFixes([{ display: 'chart (helm template)', text: SECRET }], new Set(['chart (helm template)']), mapped, options(), { write: false, unsafe: true }, tmp);
    expect(both.notes).toEqual([
      note('chart/templates/secret.yaml', 8),
      note('k8s/base/secret.yaml', 3),
      '2 findings with a fix are in rendered Helm or Kustomize output and would not be fixed',
    ]);
    // Without --unsafe-fixes an unsafe fix is not on offer, so there is nothing to say about it.
    expect(runFixes([], new Set(), mapped, options(), { write: true, unsafe: false }, tmp).notes).toEqual([]);
  });

  it('fixes a Kustomize resource file only for the mapped findings the file alone has (same rule, line, column, message), nothing else in it', () => {
    const two = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  password: "plain one"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\ndata:\n  password: "plain two"\n';
    const file = path.join(tmp, 'resource.yaml');
    fs.writeFileSync(file, two);
    const own = fixText(two, 'resource.yaml', options(), { unsafe: true }).applied.map((a) => a.finding);
    expect(own.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['secret-invalid-base64:6', 'secret-invalid-base64:13']);
    // As the mapper returns them: the first as the file has it, the second with another message (a transformer changed it).
    const mapped: Finding[] = [{ ...own[0]!, path: [] }, { ...own[1]!, message: `${own[1]!.message} (renamed)` }];
    const literal = () => file;
    const r = runFixes([{ display: 'k (kustomize build)', text: '' }], new Set(['k (kustomize build)']), mapped, options(), { write: true, unsafe: true }, tmp, literal);
    expect(r.sourcesWritten).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(two.replace('data:\n  password: "plain one"', 'stringData:\n  password: "plain one"'));
    expect(r.notes).toEqual([
      'fixed 1 finding in 1 file',
      `resource.yaml:13:3: secret-invalid-base64 not fixed (move "password" from data to stringData): it was found in rendered Helm or Kustomize output, which --fix does not edit; fix the source by hand (for a kustomization's own files, --no-render lints and fixes them as they are)`,
    ]);
    // A link is never followed to a file to fix.
    const link = path.join(tmp, 'link.yaml');
    fs.symlinkSync(file, link);
    const viaLink = runFixes([], new Set(), [{ ...own[1]! }], options(), { write: true, unsafe: true }, tmp, () => link);
    expect(viaLink.changed).toBe(false);
    expect(viaLink.notes[0]).toContain('not fixed');
  });
});

describe('Secret values in fix output', () => {
  it('secretValueRanges finds every data and stringData value of Secrets (in Lists too, JSON too), and nothing else', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'data: {visible: yes}',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Secret',
      '  stringData:',
      '    tls.key: |',
      '      -----BEGIN KEY-----',
      '      abc',
      '    other: "quoted"',
      '---',
      '{"apiVersion": "v1", "kind": "Secret", "data": {"k": "dmFsdWU="}}',
      '',
    ].join('\r\n');
    const values = secretValueRanges(text).map((r) => [text.slice(r.start, r.end), r.length]);
    expect(values).toEqual([
      ['|\r\n      -----BEGIN KEY-----\r\n      abc', 24],
      ['"quoted"', 6],
      ['"dmFsdWU="', 8],
    ]);
    const masked = maskSecretValues(text);
    expect(masked.split('\n').length).toBe(text.split('\n').length);
    expect(masked).not.toMatch(/BEGIN|abc|quoted|dmFsdWU/);
    expect(masked).toContain('visible: yes');
    expect(masked).toContain('    tls.key: <redacted: 24 chars>\r\n      <redacted>\r\n      <redacted>\r\n    other: <redacted: 6 chars>\r\n');
    expect(masked).toContain('"data": {"k": <redacted: 8 chars>}}');
  });

  it('--fix-dry-run shows no value of a Secret, moved or not (a stream of two Secrets, a value over several lines)', async () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: a}',
      'data:',
      '  token: "my secret token"',
      '  cert: |',
      '    line one of the cert',
      '    line two of the cert',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: b}',
      'data:',
      '  password: "correct horse battery"',
      '',
    ].join('\n');
    const cwd = fs.mkdtempSync(path.join(tmp, 'mask-'));
    fs.writeFileSync(path.join(cwd, 's.yaml'), text);
    const r = await runCli(['--fix-dry-run', '--unsafe-fixes', '--no-config', 's.yaml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('+stringData:');
    expect(r.stderr).toBe('sidecar-lint: would fix 2 findings in 1 file\n');
    for (const value of ['secret token', 'line one', 'line two', 'horse']) expect(r.stdout).not.toContain(value);
    expect(r.stdout).toContain('  token: <redacted: 15 chars>');
    expect(r.stdout).toContain('  cert: <redacted: 42 chars>\n     <redacted>\n     <redacted>\n');
    expect(r.stdout).toContain('  password: <redacted: 21 chars>');
    expect(fs.readFileSync(path.join(cwd, 's.yaml'), 'utf8')).toBe(text);
  });

  it('--fix-dry-run masks every value a credential rule reports (env value, argument, ConfigMap entry), before and after the fix, and SARIF fixes leave them out', async () => {
    const CREDENTIALS = ['sup3r-s3cret-pw', 'hunter2-hunter2-x', 'first-secret-value', 'tok-abcdefgh12345678'];
    const job = JOB.replace('args: [--db, "localhost:5432"]', 'args: [--db, "localhost:5432", --password=sup3r-s3cret-pw]').replace(
      '        ports: [{containerPort: 5432}]',
      '        env:\n        - name: DB_PASSWORD\n          value: hunter2-hunter2-x\n        ports: [{containerPort: 5432}]',
    );
    const configMap = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: app}', 'data:', '  API_TOKEN: tok-abcdefgh12345678', '  LOG_LEVEL: info', '  LOG_LEVEL: debug', ''].join('\n');
    const env = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '  - name: app', '    image: example/app:1', '    env:', '    - name: API_KEY', '      value: first-secret-value', '      value: second-secret-value', ''].join('\n');
    const cwd = fs.mkdtempSync(path.join(tmp, 'mask-credentials-'));
    const files = { 'job.yaml': job, 'cm.yaml': configMap, 'pod.yaml': env };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(cwd, name), text);
    const r = await runCli(['--fix-dry-run', '--unsafe-fixes', '--no-config', '--kube-version', '1.30', ...Object.keys(files)], { cwd });
    // Each file has a fix near (or moving) a credential: the job's sidecar moves with its env value,
    // the ConfigMap's and the pod's duplicate keys are dropped beside (or on) one.
    for (const name of Object.keys(files)) expect(r.stdout).toContain(`+++ b/${name}`);
    for (const value of CREDENTIALS) expect(r.stdout).not.toContain(value);
    // The whole argument is the reported value.
    expect(r.stdout).toMatch(/^[-+ ] {10}value: <redacted: 17 chars>$/m);
    expect(r.stdout).toContain(' args: [--db, "localhost:5432", <redacted: 26 chars>]');
    expect(r.stdout).toContain('   API_TOKEN: <redacted: 20 chars>');
    expect(r.stdout).toContain('-      value: <redacted: 18 chars>');
    // The files are unchanged.
    for (const [name, text] of Object.entries(files)) expect(fs.readFileSync(path.join(cwd, name), 'utf8')).toBe(text);
    // SARIF's fixes: none writes a credential.
    const inputs = Object.keys(files).map((display) => ({ display, absolute: path.join(cwd, display) }));
    const findings = Object.entries(files).flatMap(([name, text]) => fixText(text, name, options(), { accept: () => false }).findings);
    const fixes = textFixes(inputs, new Set(), findings, options());
    for (const value of CREDENTIALS) expect(JSON.stringify([...fixes.values()])).not.toContain(value);
    // The annotation fix of the job stays; the move of its sidecar (which would write the env value) does not.
    const native = fixes.get(findings.find((f) => f.ruleId === 'job-sidecar-not-native')!) ?? [];
    expect(native.map((x) => x.kind)).toEqual(['safe']);
  });

  it('--fix-dry-run masks an inline patch (a string) in which a credential rule reports a value', async () => {
    const text = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: a',
      'namespace: b',
      'patches:',
      '  - patch: |-',
      '      apiVersion: v1',
      '      kind: ConfigMap',
      '      metadata:',
      '        name: postgres-config',
      '      data:',
      '        POSTGRES_PASSWORD: hunter2-admin-pw',
      '',
    ].join('\n');
    const cwd = fs.mkdtempSync(path.join(tmp, 'mask-inline-'));
    fs.writeFileSync(path.join(cwd, 'kustomization.yaml'), text);
    const r = await runCli(['--fix-dry-run', '--unsafe-fixes', '--no-render', '--no-config', 'kustomization.yaml'], { cwd });
    expect(r.stdout).toContain('-namespace: a');
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).toContain('   - patch: <redacted: ');
  });

  it('textFixes (SARIF) leaves out a fix that writes a Secret value, which --fix applies', () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'sarif-'));
    fs.writeFileSync(path.join(cwd, 's.yaml'), SECRET);
    fs.writeFileSync(path.join(cwd, 'job.yaml'), JOB);
    const inputs = ['s.yaml', 'job.yaml'].map((display) => ({ display, absolute: path.join(cwd, display) }));
    const findings = [...fixText(SECRET, 's.yaml', options(), { accept: () => false }).findings, ...fixText(JOB, 'job.yaml', options(), { accept: () => false }).findings];
    const secretFinding = findings.find((f) => f.ruleId === 'secret-invalid-base64')!;
    expect(secretFinding.fixes?.length).toBe(1);
    expect(fixText(SECRET, 's.yaml', options(), { unsafe: true }).applied.length).toBe(1);
    const fixes = textFixes(inputs, new Set(), findings, options());
    expect(fixes.has(secretFinding)).toBe(false);
    expect(JSON.stringify([...fixes.values()])).not.toContain('hunter');
    const native = fixes.get(findings.find((f) => f.ruleId === 'job-sidecar-not-native')!)!;
    // Its own fix, and the engine's for the guessed main container it names.
    expect(native.map((x) => [x.kind, x.file, x.description])).toEqual([
      ['unsafe', 'job.yaml', 'move "cloud-sql-proxy" to initContainers with restartPolicy: Always'],
      ['safe', 'job.yaml', 'name "migrate" in the kubectl.kubernetes.io/default-container annotation'],
    ]);
    // Rendered inputs get none.
    expect(textFixes(inputs, new Set(['job.yaml']), findings, options()).size).toBe(0);
  });
});
