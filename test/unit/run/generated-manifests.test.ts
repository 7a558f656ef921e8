/**
 * Generated manifests, linted on the fast path and on the exact path: the whole outputs must be the
 * same (findings, their ranges and fixes, stats). Three generators, each seeded (the same inputs on
 * every run):
 * - Pods and ConfigMaps written as people write them, with comment lines at any indentation and
 *   blank lines between the entries, values in every scalar style (plain, quoted, block, quoted
 *   over lines), both sequence indentations, CR LF, a second document: the light reader must give
 *   every finding `yaml`'s range;
 * - JSON manifests (one line or pretty, escapes, numbers, a duplicate key, a byte order mark, two
 *   objects in one text): the JSON reader must give the exact path's values;
 * - sets of files whose Deployments, Services, Secrets and ConfigMaps refer to each other: the
 *   cross-file steps (a Service deciding the main container, a sidecar serving a Secret, a missing
 *   key) must give the same findings whichever path read the files.
 * An ad-hoc run of the same generators on 150,000 inputs found no difference (issue 18). Then the
 * first and the third with suppressions written in anywhere (comments, annotations; unused ones
 * reported or not): 18,000 single files and 7,500 sets ad hoc, no difference.
 */
import { describe, expect, it } from 'vitest';
import { lintText, lintTextFast } from '../../../src/run/engine.js';
import { lintTextInParts } from '../../../src/run/lint-chunks.js';
import { lintInputs } from '../../../src/run/lint-files.js';
import { fastDocuments, type DuplicateKey } from '../../../src/yaml/fast-parse.js';
import { DEFAULT_SETTINGS } from '../../../src/config/lint-options.js';
import { lintOptions } from '../../support/lint.js';
import { random } from '../../support/random.js';

const rules = lintOptions().rules;
const options = { rules, settings: DEFAULT_SETTINGS };

function picker(next: () => number) {
  return <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
}

/** Lints a text both ways; the outputs (as JSON) and the rules that reported, for the totals. */
function bothWays(text: string, file: string, rulesSeen: Set<string>): void {
  const fast = lintTextInParts(text, file, { ...options, fast: true });
  const exact = lintText(text, file, { ...options, fast: false });
  expect(JSON.stringify(fast), JSON.stringify(text)).toBe(JSON.stringify(exact));
  for (const f of exact.findings) rulesSeen.add(f.ruleId);
}

/** A Pod (and perhaps a ConfigMap) written as people write them: see the file's comment. */
function podText(next: () => number, n: number): string {
  const pick = picker(next);
  // Lines between entries: comments at any indentation, empty lines, lines of spaces.
  const filler = (): string => {
    if (next() < 0.5) return '';
    let s = '';
    for (let i = 0, k = 1 + Math.floor(next() * 3); i < k; i++) {
      const r = next();
      s += r < 0.4 ? `${' '.repeat(Math.floor(next() * 10))}# c${i}\n` : r < 0.7 ? '\n' : `${' '.repeat(1 + Math.floor(next() * 6))}\n`;
    }
    return s;
  };
  const value = (indent: string): string =>
    pick([
      'hunter2-hunter2-x9',
      '"hunter2-hunter2-x9"',
      "'hunter2-hunter2-x9'",
      'hunter2-hunter2-x9 # c',
      `|\n${indent}hunter2-hunter2-x9`,
      `>-\n${indent}hunter2-hunter2-x9`,
      `"hunter2-\n${indent}hunter2-x9"`,
      'x',
      'AKIAIOSFODNN7EXAMPLE',
      `ghp_${'a'.repeat(36)}`,
      `|+\n${indent}keep\n`,
      `|\n${indent}a\n\n${indent}b # not a comment`,
    ]);
  const ind = pick(['  ', '    ']);
  const seqInd = pick(['', ind]);
  let text = `apiVersion: v1\n${filler()}kind: Pod\nmetadata:\n${ind}name: p${n}${pick(['', ' # n'])}\n${filler()}spec:\n${ind}containers:\n`;
  for (let c = 0, nc = 1 + Math.floor(next() * 3); c < nc; c++) {
    const at = ind + seqInd;
    text += `${ind}${seqInd}- name: c${c}\n${at}  image: ${pick(['nginx:1.27', 'envoyproxy/envoy:v1.30', 'fluent/fluent-bit:2.1', 'busybox'])}\n${filler()}`;
    if (next() < 0.8) {
      text += `${at}  env:\n`;
      const e0 = pick(['', '  ']);
      for (let e = 0, ne = 1 + Math.floor(next() * 3); e < ne; e++) {
        text += `${at}  ${e0}- name: ${pick(['DB_PASSWORD', 'API_TOKEN', 'LOG_LEVEL', 'SECRET_KEY'])}\n${at}  ${e0}  value: ${value(`${at}${e0}      `)}\n${filler()}`;
      }
    }
    if (next() < 0.4) text += `${at}  volumeMounts:\n${at}  - name: s\n${at}    mountPath: /s\n${filler()}`;
    if (next() < 0.3) text += `${at}  ports: ${pick(['[{containerPort: 80}]', `\n${at}  - containerPort: 80\n${at}    name: http`])}\n`;
  }
  if (next() < 0.5) text += `${ind}volumes:\n${ind}- name: s\n${ind}  secret:\n${ind}    secretName: s\n${filler()}`;
  if (next() < 0.3) text += `---\n${filler()}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  PASSWORD: ${value('    ')}\n  app.properties: |\n    db.password=s3cr3t-value\n${filler()}`;
  if (next() < 0.3) text = filler() + text;
  if (next() < 0.1) text = text.replace(/\n/g, '\r\n');
  return text;
}

/** A set of one to three files whose Deployments, Services, Secrets and ConfigMaps refer to each other. */
function crossFileInputs(next: () => number, n: number): { display: string; text: string }[] {
  const pick = picker(next);
  const comment = () => pick(['', ' # c', '']);
  const ns = () => pick(['default', 'prod']);
  const deployment = (app: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}${comment()}\n  namespace: ${ns()}\nspec:\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n${pick(['', '      annotations:\n        kubectl.kubernetes.io/default-container: main\n'])}    spec:\n      containers:\n      - name: main\n        image: example/${app}:1\n        ports:\n        - containerPort: 8080${comment()}\n${pick(['', `        envFrom:\n        - secretRef:\n            name: ${app}-secret\n`, `        env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: ${app}-secret, key: ${pick(['password', 'pw', 'token'])}}\n`])}      - name: side\n        image: ${pick(['envoyproxy/envoy:v1.30', 'fluent/fluent-bit:2.1', 'example/tls:1', 'hashicorp/vault:1.15'])}\n        ports:\n        - containerPort: ${pick(['8443', '9090'])}\n          name: ${pick(['https', 'metrics'])}\n${pick(['', '        resources: {limits: {cpu: 100m, memory: 64Mi}}\n'])}        volumeMounts:\n        - name: certs\n          mountPath: /certs\n      volumes:\n      - name: certs\n        secret:\n          secretName: ${app}-secret\n`;
  const service = (app: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}-svc\n  namespace: ${ns()}\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - port: ${pick(['443', '80', '9090'])}\n    targetPort: ${pick(['https', '8080', 'metrics', '8443'])}\n`;
  const secret = (app: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${app}-secret\n  namespace: ${ns()}\n${pick(['type: Opaque\n', ''])}stringData:\n  ${pick(['password', 'token', 'tls.crt'])}: ${pick(['hunter2-hunter2-x9', '"x"'])}\n`;
  const configMap = (app: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-cm\ndata:\n  ${pick(['upstream', 'PROXY_URL', 'config.yaml'])}: ${pick(['http://localhost:8080', '"127.0.0.1:9090"', '|\n    listen: 8443\n    password: hunter2-hunter2-x9'])}\n`;
  return Array.from({ length: 1 + Math.floor(next() * 3) }, (_, f) => {
    const documents = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick([deployment, service, secret, configMap])(pick(['web', 'api', 'db'])));
    return { display: `set${n}/f${f}.yaml`, text: documents.join(pick(['---\n', '---\n# sep\n'])) };
  });
}

/**
 * Suppressions written into a text at random: comment directives on their own lines (for a rule
 * that reports here, all rules, no rule that exists; with and without a reason; disable, enable,
 * disable-next-line), after a value, right before a `---` line, and annotations in `metadata`.
 */
function withSuppressions(next: () => number, text: string): string {
  const pick = picker(next);
  const rule = () => pick(['configmap-sensitive-data', 'env-literal-secret', 'uncoupled-containers', 'secret-in-main-container', 'missing-reference-key', 'exposed-secret-sidecar', 'sidecar-missing-resources', 'all', 'no-such-rule', '']);
  const reason = () => pick([' -- known', ' -- known', '']);
  const lines = text.split('\n');
  for (let k = 0, count = 1 + Math.floor(next() * 6); k < count; k++) {
    const at = Math.floor(next() * lines.length);
    const indent = /^ */.exec(lines[at] ?? '')![0];
    const r = next();
    if (r < 0.45) lines.splice(at, 0, `${indent}# sidecar-lint-disable-next-line ${rule()}${reason()}`);
    else if (r < 0.6) lines.splice(at, 0, `${pick([indent, ''])}# sidecar-lint-disable ${rule()}${reason()}`);
    else if (r < 0.7) lines.splice(at, 0, `${indent}# sidecar-lint-enable ${rule()}`);
    else if (r < 0.85) lines[at] = `${lines[at]} # sidecar-lint-disable-next-line ${rule()}${reason()}`;
    else {
      const end = lines.findIndex((l, i) => i >= at && l.startsWith('---'));
      if (end > 0) lines.splice(end, 0, `# sidecar-lint-disable-next-line ${rule()}${reason()}`);
    }
  }
  return lines
    .join('\n')
    .replace(/^metadata:\n( +)name:/gm, (m, indent: string) => (next() < 0.3 ? `metadata:\n${indent}annotations: {ignore.sidecar-lint.io/${rule() || 'all'}: "${reason().slice(4)}"}\n${indent}name:` : m));
}

describe('generated manifests: the fast path gives the exact path\'s output', () => {
  it('pods and ConfigMaps with comments and blank lines anywhere, values in every style', () => {
    const next = random(9);
    const rulesSeen = new Set<string>();
    let fast = 0;
    const count = 600;
    for (let n = 0; n < count; n++) {
      const text = podText(next, n);
      if (fastDocuments(text) !== undefined) fast++;
      bothWays(text, `p${n}.yaml`, rulesSeen);
    }
    // The comparison means something: most texts took the fast path, and several rules reported.
    expect(fast).toBeGreaterThan(count * 0.9);
    expect([...rulesSeen]).toEqual(expect.arrayContaining(['configmap-sensitive-data', 'env-literal-secret', 'uncoupled-containers']));
  });

  it('the same with keys written twice: the fast path reads on, reporting what the exact path reports', () => {
    const next = random(12);
    const pick = picker(next);
    const rulesSeen = new Set<string>();
    let readOn = 0;
    const count = 400;
    for (let n = 0; n < count; n++) {
      const lines = podText(next, n).split('\n');
      for (let k = 0, nk = 1 + Math.floor(next() * 3); k < nk; k++) {
        const r = next();
        if (r < 0.6) {
          // A key with a one-line value again, in its mapping: right after it, or after its next line.
          const at = Math.floor(next() * lines.length);
          const m = /^( *)(- )?([A-Za-z][\w.]*): ([\w.:/-]+)( # \w+)?\r?$/.exec(lines[at] ?? '');
          if (!m) continue;
          const lead = m[2] ? `${m[1]}  ` : m[1]!;
          const key = pick([m[3]!, `"${m[3]}"`, `'${m[3]}'`]);
          lines.splice(at + 1, 0, `${lead}${key}: ${pick(['again', 'hunter2-hunter2-x9', m[4]!, '{a: 1}', '[b]', ''])}${pick(['', ' # dup'])}`);
        } else if (r < 0.8) {
          // A top-level key again at the end of the first document (its earlier value, and any key
          // written twice in it, left behind).
          const end = lines.findIndex((l, i) => i > 0 && l.startsWith('---'));
          lines.splice(end < 0 ? lines.length - 1 : end, 0, ...pick([['kind: Pod'], ['metadata:', '  name: again', '  name: twice'], ['apiVersion: v1']]));
        } else {
          // In a flow mapping.
          const at = lines.findIndex((l) => l.includes('[{containerPort: 80}]'));
          if (at >= 0) lines[at] = lines[at]!.replace('[{containerPort: 80}]', pick(['[{containerPort: 80, containerPort: 81}]', '[{containerPort: 80, "containerPort": 8080, name: x}]']));
        }
      }
      const text = lines.join('\n');
      const duplicates: DuplicateKey[] = [];
      if (fastDocuments(text, duplicates) !== undefined && duplicates.length > 0) readOn++;
      bothWays(text, `d${n}.yaml`, rulesSeen);
    }
    // Most texts with a key written twice took the fast path, and the finding was there.
    expect(readOn).toBeGreaterThan(count * 0.6);
    expect([...rulesSeen]).toEqual(expect.arrayContaining(['duplicate-key', 'env-literal-secret']));
  });

  it('the same with `!!str` tags and merge keys: findings in tagged values and through merged mappings', () => {
    const next = random(21);
    const pick = picker(next);
    const rulesSeen = new Set<string>();
    let fast = 0;
    const count = 400;
    for (let n = 0; n < count; n++) {
      let text = podText(next, n);
      if (text.includes('\r')) continue;
      // The string tag before some one-line values.
      text = text.replace(/^( *(?:- )?(?:value|image|name|PASSWORD): )(?=[^|>\s])/gm, (m) => (next() < 0.4 ? `${m}!!str ` : m));
      // Defaults merged into some containers (in the first document, before its spec).
      if (next() < 0.7) {
        const defaults = pick([
          'x-defaults: &defaults\n  image: busybox\n  env:\n  - name: DB_PASSWORD\n    value: hunter2-hunter2-x9\n',
          'x-defaults: &defaults\n  imagePullPolicy: Always\n  image: !!str envoyproxy/envoy:v1.30\n',
        ]);
        text = text.replace(/^spec:/m, `${defaults}spec:`);
        text = text.replace(/^( *)- name: (c\d+)(\n)/gm, (m, lead: string, name: string) => (next() < 0.5 ? `${lead}- name: ${name}\n${lead}  <<: *defaults\n` : m));
      }
      if (/!!str |<<: /.test(text) && fastDocuments(text) !== undefined) fast++;
      bothWays(text, `t${n}.yaml`, rulesSeen);
    }
    // Most texts with a tag or a merge key took the fast path, and findings were reported through them.
    expect(fast).toBeGreaterThan(count * 0.6);
    expect([...rulesSeen]).toEqual(expect.arrayContaining(['configmap-sensitive-data', 'env-literal-secret', 'uncoupled-containers']));
  });

  it('JSON manifests: one line or pretty, escapes, numbers, a duplicate key, a byte order mark', () => {
    const next = random(10);
    const pick = picker(next);
    const strings = ['"hunter2-hunter2-x9"', '"x"', '"a\\"b"', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\/"', '"\\n"', '"AKIAIOSFODNN7EXAMPLE"', '""', '"--- x"', '"# c"', '"\\\\"', '"\\u2028"', '"\\u0085"'];
    const numbers = ['1', '-0', '0.5', '1e5', '1E-3', '12345678901234567890', '-1.5e+300'];
    const value = (depth: number): string => {
      const r = next();
      if (depth < 3 && r < 0.15) return `{${Array.from({ length: Math.floor(next() * 3) }, (_, i) => `${pick(['"k', '"PASSWORD', '"value'])}${i}": ${value(depth + 1)}`).join(pick([',', ', ', ',\n ']))}}`;
      if (depth < 3 && r < 0.3) return `[${Array.from({ length: Math.floor(next() * 3) }, () => value(depth + 1)).join(pick([',', ', ', ',\n']))}]`;
      if (r < 0.4) return pick(numbers);
      if (r < 0.45) return pick(['true', 'false', 'null']);
      return pick(strings);
    };
    const rulesSeen = new Set<string>();
    let fast = 0;
    const count = 800;
    for (let n = 0; n < count; n++) {
      const sp = pick(['', ' ', '\n', '\n  ']);
      const env = Array.from({ length: 1 + Math.floor(next() * 3) }, () => `{"name":${pick(['"DB_PASSWORD"', '"API_TOKEN"', '"X"'])},${sp}"value":${value(2)}}`).join(`,${sp}`);
      let text = pick([
        `{${sp}"apiVersion":"v1",${sp}"kind":"Pod",${sp}"metadata":{"name":"p${n}"},${sp}"spec":{"containers":[{"name":"a","image":"nginx:1.27","env":[${env}]}${pick(['', ',{"name":"b","image":"envoyproxy/envoy:v1"}'])}]}${sp}}`,
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"PASSWORD":${pick(strings)},"x":${pick(strings)}${pick(['', ',"PASSWORD":"dup"'])}}}`,
        `{"apiVersion":"v1","kind":"List","items":[${Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s${i}"},"stringData":{"token":${pick(strings)}}}`).join(',')}]}`,
      ]);
      if (next() < 0.2) text += '\n';
      if (next() < 0.1) text = `\ufeff${text}`;
      if (next() < 0.1) text = text.replace(/\n/g, '\r\n');
      if (next() < 0.05) text = `${text}\n${text}`;
      if (fastDocuments(text) !== undefined) fast++;
      bothWays(text, `m${n}.json`, rulesSeen);
    }
    expect(fast).toBeGreaterThan(count * 0.5);
    expect(rulesSeen.size).toBeGreaterThanOrEqual(4);
  });

  it('files that refer to each other: the cross-file findings are the same', () => {
    const next = random(11);
    const rulesSeen = new Set<string>();
    for (let n = 0; n < 250; n++) {
      const inputs = crossFileInputs(next, n);
      const fast = lintInputs(inputs, { ...options, fast: true });
      const exact = lintInputs(inputs, { ...options, fast: false });
      expect(JSON.stringify(fast), JSON.stringify(inputs)).toBe(JSON.stringify(exact));
      for (const f of exact.findings) rulesSeen.add(f.ruleId);
    }
    // The cross-file rules among those that reported.
    expect([...rulesSeen]).toEqual(expect.arrayContaining(['exposed-secret-sidecar', 'missing-reference-key', 'secret-in-main-container']));
  });

  it('with suppression comments and annotations anywhere: one file, and files that refer to each other', () => {
    const next = random(21);
    let suppressed = 0;
    let reported = 0;
    let fastOnes = 0;
    for (let n = 0; n < 400; n++) {
      const reportUnusedSuppressions = next() < 0.5;
      const text = withSuppressions(next, podText(next, n));
      const fast = lintTextInParts(text, `s${n}.yaml`, { ...options, fast: true, reportUnusedSuppressions });
      const exact = lintText(text, `s${n}.yaml`, { ...options, fast: false, reportUnusedSuppressions });
      expect(JSON.stringify(fast), JSON.stringify(text)).toBe(JSON.stringify(exact));
      if (lintTextFast(text, `s${n}.yaml`, { ...options, reportUnusedSuppressions })) fastOnes++;
      suppressed += exact.findings.filter((f) => f.suppressed).length;
      reported += exact.findings.filter((f) => f.ruleId === 'unused-suppression' || f.ruleId === 'suppression-without-reason').length;
    }
    expect(suppressed).toBeGreaterThan(100);
    expect(reported).toBeGreaterThan(200);
    expect(fastOnes).toBeGreaterThan(300);
    for (let n = 0; n < 200; n++) {
      const reportUnusedSuppressions = next() < 0.5;
      const inputs = crossFileInputs(next, n).map((input) => ({ ...input, text: withSuppressions(next, input.text) }));
      const fast = lintInputs(inputs, { ...options, fast: true, reportUnusedSuppressions });
      const exact = lintInputs(inputs, { ...options, fast: false, reportUnusedSuppressions });
      expect(JSON.stringify(fast), JSON.stringify(inputs)).toBe(JSON.stringify(exact));
      suppressed += exact.findings.filter((f) => f.suppressed).length;
    }
  });
});
