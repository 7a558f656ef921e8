import { defineRule } from '../src/rule.js';
import { asMap } from '../src/model/objects.js';
import { couldBeCredential, keyNamesCredential } from './support/credentials.js';

const VALID_KEY = /^[-._a-zA-Z0-9]+$/;

export default defineRule({
  meta: {
    id: 'configmap-sensitive-data',
    description: 'A ConfigMap key names a credential; passwords, tokens and keys belong in a Secret.',
    defaultSeverity: 'error',
    messages: {
      key: 'ConfigMap "{{name}}" key "{{key}}" looks like a credential. ConfigMaps are for non-sensitive configuration: move it to a Secret and reference it from there.',
    },
    options: { type: 'object', properties: {}, additionalProperties: false },
  },
  check(ctx) {
    const { object } = ctx;
    if (object.ref.kind !== 'ConfigMap') return;
    const data = asMap(object.value.data);
    if (!data) return;
    const words = { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys };
    for (const [key, value] of Object.entries(data)) {
      // Kubernetes only accepts keys of [-._a-zA-Z0-9]; anything else (e.g. a complex key that a
      // parser turned into text) is not a ConfigMap key, and printing it could print a value.
      if (!VALID_KEY.test(key)) continue;
      if (keyNamesCredential(key, words) && couldBeCredential(value)) {
        ctx.report({ messageId: 'key', path: ['data', key], data: { name: object.ref.name ?? '?', key } });
      }
    }
  },
});
