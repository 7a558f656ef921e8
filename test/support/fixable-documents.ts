/**
 * Manifests with automatic fixes of every kind, for tests that fix the same text two ways and compare
 * the outcomes (test/unit/run/fix-by-document.test.ts, fix-in-batches.test.ts): Deployments whose
 * main container is guessed (the safe default-container fix; in flow style, a fix that cannot be
 * made), some with a Service that decides their main container, Pods with a key written twice and
 * Secrets with plain text (unsafe fixes), ConfigMaps with a finding and no fix.
 */

/**
 * 2 to 7 such documents (`d` numbers their names). `helperInPods`: a Pod may get a second container
 * (then two fixes in one object); `configMapComment`: a ConfigMap starts with a comment line.
 */
export function fixableDocuments(next: () => number, options: { helperInPods?: boolean; configMapComment?: boolean } = {}): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const docs: string[] = [];
  for (let d = 0, count = 2 + Math.floor(next() * 6); d < count; d++) {
    const r = next();
    if (r < 0.4) {
      const flow = next() < 0.15;
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${d}\nspec:\n  selector:\n    matchLabels: {app: a${d}}\n  template:\n` +
          (flow
            ? `    {metadata: {labels: {app: a${d}}}, spec: {containers: [{name: web, image: nginx}, {name: worker, image: example/w:1}]}}\n`
            : `    metadata:\n      labels:\n        app: a${d}\n    spec:\n      containers:\n      - name: ${pick(['web', 'api'])}\n        image: nginx\n      - name: worker\n        image: example/worker:1\n${pick(['', '        ports:\n        - containerPort: 8080\n'])}`),
      );
      if (next() < 0.3) docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s${d}\nspec:\n  selector:\n    app: a${d}\n  ports:\n  - port: 80\n    targetPort: 8080\n`);
    } else if (r < 0.6) {
      const helper = options.helperInPods ? pick(['', '  - name: helper\n    image: example/helper:1\n']) : '';
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${d}\n  name: q${d}\nspec:\n  containers:\n  - name: app\n    image: nginx\n${helper}`);
    } else if (r < 0.8) {
      docs.push(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${d}\ndata:\n  password: 'hunter two ${d}'\n  user: YWRtaW4=\n`);
    } else {
      docs.push(`${options.configMapComment ? '# a ConfigMap\n' : ''}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${d}\ndata:\n  PASSWORD: hunter2-hunter2-${d}\n`);
    }
  }
  return docs;
}
