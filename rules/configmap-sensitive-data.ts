import { defineRule } from '../src/rule.js';
import { asMap } from '../src/model/objects.js';
import { couldBeCredential, keyNamesCredential } from './support/credentials.js';

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
    for (const [key, value] of Object.entries(data)) {
      if (keyNamesCredential(key) && couldBeCredential(value)) {
        ctx.report({ messageId: 'key', path: ['data', key], data: { name: object.ref.name ?? '?', key } });
      }
    }
  },
});
