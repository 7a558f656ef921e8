import { defineRule } from '../src/rule.js';
import { asArray, asMap, asString } from '../src/model/objects.js';
import { credentialShape, SHAPE_DESCRIPTIONS } from './support/credential-values.js';
import { couldBeCredential, echoesKey, keyNamesCredential } from './support/credentials.js';

/** Env var names a message may quote (a C identifier, or what Kubernetes allows: printable, no `=`). */
const QUOTABLE_NAME = /^[-._a-zA-Z0-9]{1,253}$/;

export default defineRule({
  meta: {
    id: 'env-literal-secret',
    description: "A container's env var holds a literal credential; reference it from a Secret instead.",
    defaultSeverity: 'error',
    // Reads values as written: runs on a Kustomize patch's values too.
    scope: 'content',
    messages: {
      name: 'Container "{{container}}" sets env var "{{env}}" to a literal value that looks like a credential. Put the value in a Secret and reference it (valueFrom.secretKeyRef), or better, mount the Secret as a file.',
      shape:
        'Container "{{container}}" sets env var "{{env}}" to a literal value that holds {{what}}. Put the value in a Secret and reference it (valueFrom.secretKeyRef), or better, mount the Secret as a file.',
    },
    options: { type: 'object', properties: {}, additionalProperties: false },
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload) return;
    const words = { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys };
    for (const container of workload.containers) {
      asArray(container.spec.env).forEach((item, i) => {
        const entry = asMap(item);
        if (!entry) return;
        const name = asString(entry.name);
        const value = entry.value;
        // `valueFrom` wins over `value` only in invalid specs; a literal `value` is what is committed.
        if (typeof value !== 'string' || value.trim() === '') return;
        const env = name !== undefined && QUOTABLE_NAME.test(name) ? name : `#${i}`;
        const path = [...container.path, 'env', i];
        const data = { container: container.name, env };
        if (name !== undefined && keyNamesCredential(name, words) && couldBeCredential(value) && !echoesKey(name, value)) {
          ctx.report({ messageId: 'name', path, container, data });
          return;
        }
        const shape = credentialShape(value);
        if (shape) ctx.report({ messageId: 'shape', path, container, data: { ...data, what: SHAPE_DESCRIPTIONS[shape.kind] } });
      });
    }
  },
});
