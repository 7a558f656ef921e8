/**
 * The output formats as pure functions (compact, github, junit, markdown, and that json keeps its
 * documented shape), plus `--format` and `--output-file` through the CLI. Reports are built from a
 * chosen set of rules (test/support/report.ts) so that new rules do not change the expected text.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES, formatters, type Report } from '../../../src/format/index.js';
import { compact } from '../../../src/format/compact.js';
import { escapeData, escapeProperty, github } from '../../../src/format/github.js';
import { json, jsonParts, plain } from '../../../src/format/json.js';
import { junit } from '../../../src/format/junit.js';
import { codeSpan, escapeMarkdown, markdown, mermaidText } from '../../../src/format/markdown.js';
import { podGraph } from '../../../src/model/pod-graph.js';
import { objectsOfDocument } from '../../../src/model/objects.js';
import { workloadOf } from '../../../src/model/workloads.js';
import { parse } from 'yaml';
import type { Finding } from '../../../src/types.js';
import { runCli } from '../../support/lint.js';
import { fixture, reportOf } from '../../support/report.js';

const NO_COLOR = { color: false };
const DOCS = 'https://github.com/sidecar-lint/sidecar-lint/blob/main/rules';

const WRONG = fixture('test/format-fixtures/flask-redis-wrong.yaml');
const RIGHT = fixture('test/format-fixtures/flask-redis-sidecar.yaml');

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'uncoupled-containers',
    severity: 'warning',
    message: 'a message',
    file: 'k8s/pod.yaml',
    line: 3,
    column: 5,
    endLine: 4,
    endColumn: 9,
    object: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: null },
    container: 'side',
    ...over,
  };
}

function reportWith(findings: Finding[], suppressed: Finding[] = []): Report {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    suppressed,
    summary: {
      files: new Set(findings.map((f) => f.file)).size,
      documents: 1,
      objects: 1,
      skippedDocuments: 0,
      findings: findings.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: suppressed.length,
    },
  };
}

describe('the formatter map', () => {
  it('has every format the issue names, and --help lists them', async () => {
    expect(FORMAT_NAMES).toEqual(['stylish', 'compact', 'json', 'sarif', 'github', 'junit', 'markdown']);
    const help = await runCli(['--help']);
    expect(help.stdout).toContain(FORMAT_NAMES.join(', '));
  });

  it('rejects an unknown format with the list', async () => {
    const r = await runCli(['--format', 'xml', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`expected one of ${FORMAT_NAMES.join(', ')}`);
  });

  it.each(FORMAT_NAMES)('%s is a pure function that handles an empty report', (name) => {
    const empty = reportWith([]);
    const a = formatters[name]!(empty, NO_COLOR);
    expect(typeof a).toBe('string');
    expect(formatters[name]!(empty, NO_COLOR)).toBe(a);
  });
});

describe('compact', () => {
  it('prints file:line:col: severity rule-id message, one per line', () => {
    const out = compact(reportOf([WRONG]), NO_COLOR);
    expect(out).toBe(
      [
        'test/format-fixtures/flask-redis-wrong.yaml:17:3: error configmap-sensitive-data ConfigMap key "REDIS_PASSWORD" looks like a credential.',
        'test/format-fixtures/flask-redis-wrong.yaml:42:11: warning secret-in-main-container Main container "flask-app" (guessed: others are helpers) gets Secret "redis-secret".',
        'test/format-fixtures/flask-redis-wrong.yaml:50:11: warning secret-in-main-container Main container "flask-app" (guessed: others are helpers) gets Secret "redis-secret".',
        'test/format-fixtures/flask-redis-wrong.yaml:62:7: warning uncoupled-containers "log-shipper" is not linked to main container "flask-app" (guessed: others are helpers).',
        '',
      ].join('\n'),
    );
  });

  it('keeps each finding on one line and prints nothing when clean', () => {
    expect(compact(reportWith([finding({ message: 'two\nlines\r\nhere' })]), NO_COLOR)).toBe('k8s/pod.yaml:3:5: warning uncoupled-containers two lines here\n');
    expect(compact(reportOf([RIGHT]), NO_COLOR)).toBe('');
  });
});

describe('github', () => {
  it('prints one workflow command per finding, notice for info', () => {
    const out = github(
      reportWith([finding({ severity: 'error', ruleId: 'a' }), finding({ severity: 'warning', ruleId: 'b' }), finding({ severity: 'info', ruleId: 'c' })]),
      NO_COLOR,
    );
    expect(out).toBe(
      [
        '::error file=k8s/pod.yaml,line=3,col=5,endLine=4,endColumn=9,title=a::a message',
        '::warning file=k8s/pod.yaml,line=3,col=5,endLine=4,endColumn=9,title=b::a message',
        '::notice file=k8s/pod.yaml,line=3,col=5,endLine=4,endColumn=9,title=c::a message',
        '',
      ].join('\n'),
    );
  });

  it('escapes messages and properties as GitHub requires', () => {
    expect(escapeData('100% sure\r\nnext: a, b')).toBe('100%25 sure%0D%0Anext: a, b');
    expect(escapeProperty('dir,with:odd%\nname')).toBe('dir%2Cwith%3Aodd%25%0Aname');
    const out = github(reportWith([finding({ file: 'a,b:c%.yaml', message: 'x%y\nz: w, v' })]), NO_COLOR);
    expect(out).toBe('::warning file=a%2Cb%3Ac%25.yaml,line=3,col=5,endLine=4,endColumn=9,title=uncoupled-containers::x%25y%0Az: w, v\n');
    // One line per finding, whatever the message holds.
    expect(out.split('\n').length).toBe(2);
  });

  it('leaves suppressed findings out', () => {
    const s = finding({ suppressed: { kind: 'comment', justification: 'ok' } });
    expect(github(reportWith([], [s]), NO_COLOR)).toBe('');
  });
});

/** Well-formedness with a real XML parser (Python's expat), where Python is installed. */
function xmlProblem(text: string): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], {
    input: text,
    encoding: 'utf8',
  });
  if (r.error) return undefined;
  return r.status === 0 ? undefined : r.stderr.trim().split('\n').pop();
}
const hasPython = !spawnSync('python3', ['--version']).error;

describe('junit', () => {
  it('has a testsuite per file and a testcase per finding (as ESLint), a passing case for a clean file', () => {
    const out = junit(reportOf([WRONG, RIGHT]), NO_COLOR);
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sidecar-lint" tests="5" failures="4" errors="0">\n')).toBe(true);
    expect(out).toContain(
      [
        '  <testsuite package="sidecar-lint" time="0" name="test/format-fixtures/flask-redis-sidecar.yaml" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase time="0" name="test/format-fixtures/flask-redis-sidecar.yaml" classname="test/format-fixtures/flask-redis-sidecar" file="test/format-fixtures/flask-redis-sidecar.yaml"/>',
        '  </testsuite>',
      ].join('\n'),
    );
    expect(out).toContain('<testsuite package="sidecar-lint" time="0" name="test/format-fixtures/flask-redis-wrong.yaml" tests="4" failures="4" errors="0" skipped="0">');
    expect(out).toContain(
      [
        '    <testcase time="0" name="sidecar-lint.secret-in-main-container" classname="test/format-fixtures/flask-redis-wrong" file="test/format-fixtures/flask-redis-wrong.yaml" line="42">',
        '      <failure type="warning" message="Main container &quot;flask-app&quot; (guessed: others are helpers) gets Secret &quot;redis-secret&quot;.">' +
          'line 42, col 11, Warning - Main container "flask-app" (guessed: others are helpers) gets Secret "redis-secret". (secret-in-main-container)\n' +
          'It arrives through env var "REDIS_PASSWORD" (secretKeyRef), and "flask-app" is the main container of a pod with sidecars. Mount the Secret into a sidecar that serves what the app needs over localhost, so a compromised app container cannot read it.</failure>',
        '    </testcase>',
      ].join('\n'),
    );
  });

  it('makes info findings passing test cases, their text in system-out', () => {
    const out = junit(reportWith([finding({ severity: 'info', ruleId: 'secret-env-var', message: 'm', hint: 'h' }), finding({ severity: 'error', ruleId: 'x' })]), NO_COLOR);
    expect(out).toContain('tests="2" failures="1"');
    expect(out).toContain('<system-out>line 3, col 5, Info - m (secret-env-var)\nh</system-out>');
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const nasty = finding({ file: 'a&b<"c">.yaml', ruleId: 'r', message: "quote \" apostrophe ' amp & lt < gt > nul \u0000 esc \u001b ]]> end" });
    const out = junit(reportWith([nasty]), NO_COLOR);
    expect(out).toContain(' name="a&amp;b&lt;&quot;c&quot;&gt;.yaml" tests="1"');
    expect(out).toContain('quote " apostrophe \' amp &amp; lt &lt; gt &gt; nul \uFFFD esc \uFFFD ]]&gt; end (r)</failure>');
    expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it.skipIf(!hasPython)('is well-formed XML (checked with a real parser)', () => {
    const nasty = finding({ file: 'a&b<"c">.yaml', message: 'x & y < z "q" \u0001 \uD800 lone surrogate' });
    for (const report of [reportOf([WRONG, RIGHT]), reportWith([nasty]), reportWith([])]) {
      expect(xmlProblem(junit(report, NO_COLOR))).toBeUndefined();
    }
  });
});

describe('json', () => {
  it('keeps its documented keys: the pod picture stays out', () => {
    const out = JSON.parse(json(reportOf([WRONG]), NO_COLOR)) as { findings: Record<string, unknown>[] };
    for (const f of out.findings) {
      expect(Object.keys(f)).toEqual(['ruleId', 'messageId', 'severity', 'message', 'hint', 'file', 'line', 'column', 'endLine', 'endColumn', 'object', 'container']);
      expect(typeof f.hint).toBe('string');
    }
  });

  it('is JSON.stringify(document, null, 2) byte for byte, written in parts (odd findings, suppressed, baselined)', () => {
    const shared = { apiVersion: 'v1', kind: 'Pod', name: 'p\u2028"q"', namespace: 'n' };
    const odd: Finding[] = [
      finding({ object: null, container: null, hint: 'fix "it"\n', messageId: 'key' }),
      finding({ object: shared }),
      finding({ object: shared, message: '\u0001 \uD800 <tab>\t' }),
      finding({ line: Number.NaN, endColumn: Number.POSITIVE_INFINITY, column: -0 }),
      finding({ object: Object.assign(Object.create({ inherited: 1 }) as object, { kind: 'X' }) as Finding['object'] }),
      finding({ object: { apiVersion: null, kind: 'K', name: undefined as unknown as null, namespace: null } }),
      finding({ messageId: 7 as unknown as string }),
    ];
    const many = Array.from({ length: 1300 }, (_, i) => finding({ line: i, message: `m${i}`, file: i % 3 === 0 ? 'a.yaml' : 'b.yaml' }));
    const suppressed = [finding({ suppressed: { kind: 'comment', justification: 'why "not"' } }), finding({ suppressed: undefined })];
    const reference = (r: Report) =>
      `${JSON.stringify(
        {
          findings: r.findings.map(plain),
          suppressed: r.suppressed.map((f) => ({ ...plain(f), suppression: f.suppressed ?? null })),
          ...(r.baselined ? { baselined: r.baselined.map((f) => ({ ...plain(f), baselined: true })) } : {}),
          summary: r.summary,
        },
        null,
        2,
      )}\n`;
    const reports: Report[] = [reportWith([]), reportWith(odd, suppressed), reportWith(many), { ...reportWith(odd), baselined: [finding(), ...many.slice(0, 600)] }, { ...reportWith([], suppressed), baselined: [] }];
    for (const r of reports) {
      expect(json(r, NO_COLOR)).toBe(reference(r));
      const parts = [...jsonParts(r, NO_COLOR)];
      expect(parts.join('')).toBe(reference(r));
      expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(128 * 1024);
    }
  });
  it('writes generated findings byte for byte as JSON.stringify does (escapes, unicode, lone surrogates, fields that repeat and change)', () => {
    // A small deterministic generator: each field is drawn from a few values, so that runs of equal
    // values (the writer's remembered pieces) alternate with changes in every field.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T,>(values: readonly T[]) => values[next(values.length)]!;
    const texts = ['plain', 'quote " and \\ backslash', 'tab\tline\nbreak\r', '\u0000\u001f\u007f', 'é ü 漢字 😀', 'lone \uD800 high', 'lone \uDC00 low', 'pair \uD83D\uDE00', '\u2028\u2029', ''];
    const objects: Finding['object'][] = [null, { apiVersion: 'v1', kind: 'ConfigMap', name: 'a"b', namespace: null }, { apiVersion: null, kind: 'Pod', name: '\uD800', namespace: 'n\n' }];
    const numbers = [1, 2, 3, 40, 12345, -0, Number.NaN, Number.POSITIVE_INFINITY, 0.5];
    const generated = (n: number) =>
      Array.from({ length: n }, () =>
        finding({
          ruleId: pick(['a-rule', 'b-rule', 'weird "rule"']),
          messageId: pick([undefined, 'key', 'v\u00e9']),
          severity: pick(['error', 'warning', 'info'] as const),
          message: pick(texts) + String(next(1000)),
          hint: pick([undefined, ...texts]),
          file: pick(['a.yaml', 'dir/ü "b".yaml', 'c\\d.yaml']),
          line: pick(numbers),
          column: next(3) === 0 ? pick(numbers) : 3,
          endLine: pick(numbers),
          endColumn: pick(numbers),
          object: pick(objects),
          container: pick([null, 'side', 'c\u0001']),
        }),
      );
    const suppressed = generated(700).map((f) => ({ ...f, suppressed: pick([{ kind: 'comment' as const, justification: 'why "not"\n' }, { kind: 'config' as const, justification: '\uDBFF' }]) }));
    const r: Report = { ...reportWith(generated(1500), suppressed), baselined: generated(600) };
    const reference = `${JSON.stringify(
      {
        findings: r.findings.map(plain),
        suppressed: r.suppressed.map((f) => ({ ...plain(f), suppression: f.suppressed ?? null })),
        baselined: r.baselined!.map((f) => ({ ...plain(f), baselined: true })),
        summary: r.summary,
      },
      null,
      2,
    )}\n`;
    expect([...jsonParts(r, NO_COLOR)].join('')).toBe(reference);
  });
});

const EXPECTED_MARKDOWN = `## sidecar-lint

❌ **4 problems** (1 error, 3 warnings) in 1 file; 1 file, 3 objects checked.

| Rule | Severity | Findings |
|---|---|---:|
| [\`configmap-sensitive-data\`](${DOCS}/configmap-sensitive-data.md) | error | 1 |
| [\`secret-in-main-container\`](${DOCS}/secret-in-main-container.md) | warning | 2 |
| [\`uncoupled-containers\`](${DOCS}/uncoupled-containers.md) | warning | 1 |

### \`test/format-fixtures/flask-redis-wrong.yaml\`

| Rule | Line | Severity | Message |
|---|---:|---|---|
| [\`configmap-sensitive-data\`](${DOCS}/configmap-sensitive-data.md) | 17:3 | error | ConfigMap key "REDIS_PASSWORD" looks like a credential. |
| [\`secret-in-main-container\`](${DOCS}/secret-in-main-container.md) | 42:11 | warning | Main container "flask-app" (guessed: others are helpers) gets Secret "redis-secret". |
| [\`secret-in-main-container\`](${DOCS}/secret-in-main-container.md) | 50:11 | warning | Main container "flask-app" (guessed: others are helpers) gets Secret "redis-secret". |
| [\`uncoupled-containers\`](${DOCS}/uncoupled-containers.md) | 62:7 | warning | "log-shipper" is not linked to main container "flask-app" (guessed: others are helpers). |

#### Pod flask-sidecar

\`\`\`mermaid
flowchart LR
  subgraph pod["Pod flask-sidecar"]
    c0["flask-app (main)"]
    c1["redis-sidecar (sidecar)"]
    c2["log-shipper (sidecar)"]
  end
  s0[("Secret redis-secret")]
  s0 -- "env REDIS_PASSWORD" --> c0
  s0 -- "volume redis-secret" --> c0
  s0 -- "volume redis-secret" --> c1
  v0{{"volume redis-socket"}}
  c0 --- v0
  c1 --- v0
  classDef secret fill:#fff5f5,stroke:#cf222e
  classDef flagged stroke:#bf8700,stroke-width:3px
  class s0 secret
  class c0,c2 flagged
\`\`\`

Containers with a finding are outlined; arrows show how Secrets reach containers (env, envFrom, volume), plain lines the volumes containers share, dotted arrows localhost addresses.
`;

/**
 * A Deployment with every kind of edge: env, envFrom, a projected volume of two Secrets, a CSI
 * volume, a native sidecar, a shared emptyDir, a localhost URL carrying a credential (CANARY) to a
 * declared port, a localhost address no container declares, and names Mermaid must not read as syntax.
 */
const RICH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: prod
spec:
  template:
    spec:
      initContainers:
        - name: vault-agent
          image: vault:1
          restartPolicy: Always
          ports:
            - containerPort: 8200
          volumeMounts:
            - name: creds
              mountPath: /creds
            - name: vault-token
              mountPath: /token
      containers:
        - name: shop
          image: shop:1
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
            - name: DB_USER
              valueFrom:
                secretKeyRef:
                  name: db
                  key: user
            - name: VAULT_ADDR
              value: http://vault:CANARY-token@localhost:8200/v1
            - name: CACHE
              value: 127.0.0.1:6380
          envFrom:
            - secretRef:
                name: api-keys
          volumeMounts:
            - name: creds
              mountPath: /creds
            - name: bundle
              mountPath: /bundle
        - name: 'odd "name" #1 <b>'
          image: x:1
          volumeMounts:
            - name: csi
              mountPath: /mnt
      volumes:
        - name: creds
          emptyDir: {}
        - name: vault-token
          secret:
            secretName: vault-token
        - name: bundle
          projected:
            sources:
              - secret: {name: tls}
              - secret: {name: ca}
        - name: csi
          csi:
            driver: secrets-store.csi.k8s.io
            volumeAttributes:
              secretProviderClass: aws-secrets
`;

const RICH_DIAGRAM = `flowchart LR
  subgraph pod["Deployment shop in namespace prod"]
    c0["shop (main)"]
    c1["odd #34;name#34; #35;1 #60;b#62; (sidecar)"]
    c2["vault-agent (native sidecar)<br/>port 8200"]
  end
  s0[("Secret db")]
  s1[("Secret api-keys")]
  s2[("Secret tls")]
  s3[("Secret ca")]
  s4[("SecretProviderClass aws-secrets")]
  s5[("Secret vault-token")]
  s0 -- "env DB_PASSWORD, DB_USER" --> c0
  s1 -- "envFrom" --> c0
  s2 -- "volume bundle" --> c0
  s3 -- "volume bundle" --> c0
  s4 -- "volume csi" --> c1
  s5 -- "volume vault-token" --> c2
  v0{{"volume creds"}}
  c0 --- v0
  c2 --- v0
  c0 -. "localhost:8200" .-> c2
  c0 -. "127.0.0.1:6380" .-> c1
  classDef secret fill:#fff5f5,stroke:#cf222e
  classDef flagged stroke:#bf8700,stroke-width:3px
  class s0,s1,s2,s3,s4,s5 secret
  class c0 flagged`;

describe('markdown', () => {
  it('renders the findings by file and rule, with links and the pod diagram, exactly', () => {
    expect(markdown(reportOf([WRONG]), NO_COLOR)).toBe(EXPECTED_MARKDOWN);
  });

  it('says when there is nothing to report', () => {
    expect(markdown(reportOf([RIGHT]), NO_COLOR)).toBe('## sidecar-lint\n\n✅ **No problems** in 1 file, 3 objects checked.\n');
  });

  it('draws every kind of Secret use and coupling, names only', () => {
    const report = reportOf([{ display: 'shop.yaml', text: RICH }]);
    const out = markdown(report, NO_COLOR);
    expect(out).toContain(`#### Deployment shop in namespace prod\n\n\`\`\`mermaid\n${RICH_DIAGRAM}\n\`\`\`\n`);
    expect(out).not.toContain('CANARY');
  });

  it('builds the pod graph from the workload model, without values', () => {
    const object = objectsOfDocument(parse(RICH), 0)[0]!;
    const graph = podGraph(workloadOf(object)!);
    expect(graph.localhost).toEqual([
      { container: 0, address: 'localhost:8200', target: 2 },
      // No sibling serves 6380: the address couples to the sibling whose ports are unknown.
      { container: 0, address: '127.0.0.1:6380', target: 1 },
    ]);
    expect(graph.volumes).toEqual([{ name: 'creds', containers: [0, 2] }]);
    expect(JSON.stringify(graph)).not.toContain('CANARY');
  });

  it('draws one diagram per pod, also when both rules report on it', () => {
    const out = markdown(reportOf([WRONG]), NO_COLOR);
    expect(out.match(/```mermaid/g)?.length).toBe(1);
  });

  it('draws no diagram for pods whose findings are all suppressed', () => {
    const text = WRONG.text.replace('  labels:\n    app: flask-app\n', '  annotations:\n    ignore.sidecar-lint.io/all: accepted for the demo\n  labels:\n    app: flask-app\n');
    expect(text).not.toBe(WRONG.text);
    const report = reportOf([{ display: 'w.yaml', text }]);
    expect(report.suppressed.length).toBe(3);
    const out = markdown(report, NO_COLOR);
    expect(out).not.toContain('```mermaid');
    expect(out).toContain('<details><summary>3 suppressed findings</summary>');
  });

  it('escapes what Markdown, tables and Mermaid would read as syntax', () => {
    expect(escapeMarkdown('a|b *c* [d](e) <f> _g_ REDIS_PASSWORD `h` &')).toBe('a\\|b \\*c\\* \\[d\\](e) &lt;f&gt; \\_g\\_ REDIS_PASSWORD \\`h\\` &amp;');
    expect(codeSpan('a`b|c')).toBe('``a`b\\|c``');
    expect(mermaidText('say "hi" #1 <b> & `x`')).toBe('say #34;hi#34; #35;1 #60;b#62; #38; #96;x#96;');
  });
});

describe('--format and --output-file through the CLI', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-format-')));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'wrong.yaml'), WRONG.text);

  it('writes several formats at once, in command-line order', async () => {
    const r = await runCli(
      ['--format', 'json', '--output-file', 'out/a.json', '--format', 'sarif', '--output-file', 'out/b.sarif', '--format', 'compact', '--format', 'junit', '-o', 'out/c.xml', 'wrong.yaml'],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^wrong\.yaml:17:3: error configmap-sensitive-data /);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/a.json'), 'utf8')).summary.errors).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/b.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(fs.readFileSync(path.join(dir, 'out/c.xml'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('shows a clean file in junit as one passing test case', async () => {
    fs.writeFileSync(path.join(dir, 'clean.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n');
    const r = await runCli(['--format', 'junit', 'clean.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<testsuite package="sidecar-lint" time="0" name="clean.yaml" tests="1" failures="0" errors="0" skipped="0">');
    expect(r.stdout.match(/<testcase [^>]*\/>/g)).toEqual(['<testcase time="0" name="clean.yaml" classname="clean" file="clean.yaml"/>']);
  });

  it('prints markdown with links for built-in rules', async () => {
    const r = await runCli(['--format', 'markdown', 'wrong.yaml'], { cwd: dir });
    expect(r.stdout).toContain(`[\`configmap-sensitive-data\`](${DOCS}/configmap-sensitive-data.md)`);
    expect(r.stdout).toContain('```mermaid');
    expect(r.stdout).not.toContain('CANARY');
  });
});
