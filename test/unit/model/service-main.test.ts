/** The main-container guess's third step: the only container whose port a Service of the linted set targets. */
import { describe, expect, it } from 'vitest';
import { lintAll } from '../../support/lint.js';

const deployment = (namespace = 'default') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: ${namespace}
spec:
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        - name: worker
          image: example/worker:1
          ports: [{name: debug, containerPort: 6060}]
        - name: web
          image: example/web:1
          ports: [{name: http, containerPort: 8080}]
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
`;
const service = (targetPort: string | number, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports:
    - port: 80
      targetPort: ${targetPort}
${extra}`;

/** The main container a finding names, as `main container "x" (guessed: …)`, from its message or hint. */
function mainOf(text: string): string {
  const named = /[Mm]ain container "([^"]*)"((?: \(guessed: [^)]*\))?)/.exec(text);
  if (named) return `main container "${named[1]}"${named[2]}`;
  const is = /"([^"]*)" is the main container((?: \(guessed: [^)]*\))?)/.exec(text);
  return is ? `main container "${is[1]}"${is[2]}` : '';
}

function mains(files: Record<string, string>): string[] {
  return lintAll(files)
    .filter((f) => f.ruleId === 'secret-in-main-container' || f.ruleId === 'sidecar-missing-resources')
    .map((f) => `${f.ruleId} ${f.file}:${f.line} ${mainOf(`${f.message} ${f.hint ?? ''}`)}`);
}

describe('a Service in another file decides the main container', () => {
  it('by a named target port', () => {
    expect(mains({ 'deploy.yaml': deployment(), 'svc.yaml': service('http') })).toEqual([
      'sidecar-missing-resources deploy.yaml:12 main container "web" (guessed: a Service targets it)',
      'secret-in-main-container deploy.yaml:19 main container "web" (guessed: a Service targets it)',
    ]);
  });
  it('by a numeric target port', () => {
    expect(mains({ 'deploy.yaml': deployment(), 'svc.yaml': service(8080) }).join("\n")).toContain('main container "web" (guessed: a Service targets it)');
  });
  it('not when the Service targets ports of two containers, or none, or is in another namespace', () => {
    const first = ['sidecar-missing-resources deploy.yaml:15 main container "worker" (guessed: first container)'];
    expect(mains({ 'deploy.yaml': deployment(), 'svc.yaml': service('http', '    - port: 6060\n      targetPort: debug\n') })).toEqual(first);
    expect(mains({ 'deploy.yaml': deployment(), 'svc.yaml': service(9999) })).toEqual(first);
    expect(mains({ 'deploy.yaml': deployment('shop'), 'svc.yaml': service('http') })).toEqual(first);
  });
  it('gives the same findings whatever the order of the files', () => {
    const a = lintAll({ 'deploy.yaml': deployment(), 'svc.yaml': service('http') });
    const b = lintAll({ 'svc.yaml': service('http'), 'deploy.yaml': deployment() });
    expect(b).toEqual(a);
  });
});
