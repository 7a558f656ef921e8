import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { asMap, isCoreObject } from '../src/model/objects.js';
import { isPlainTextInData, isSopsEncrypted, isTemplateValue, toStringData } from './support/secret-values.js';

const VALID_KEY = /^[-._a-zA-Z0-9]+$/;

export default defineRule({
  meta: {
    id: 'secret-data-plaintext',
    description: "A Secret's `data` value is plain text that happens to be valid base64; the author meant stringData.",
    defaultSeverity: 'warning',
    scope: 'content',
    messages: {
      plainText: {
        message: 'Secret "{{name}}" data key "{{key}}" looks like plain text, not base64.',
        hint: 'It happens to be valid base64, but decodes to bytes that are not text, so the Secret gets garbage. Move it under stringData, or encode it with `base64 -w0`.',
      },
    },
    options: NO_OPTIONS,
    // The Secret then holds the text as written, not what base64 decoding made of it.
    fix: 'unsafe',
  },
  check(ctx) {
    const { object } = ctx;
    if (!isCoreObject(object, 'Secret')) return;
    if (isSopsEncrypted(object.value)) return;
    const data = asMap(object.value.data);
    if (!data) return;
    const name = object.ref.name ?? '?';
    for (const [key, value] of Object.entries(data)) {
      if (!VALID_KEY.test(key) || typeof value !== 'string' || isTemplateValue(value, 'data')) continue;
      if (isPlainTextInData(value)) ctx.report({ messageId: 'plainText', path: ['data', key], credential: ['data', key], data: { name, key }, fix: toStringData(key) });
    }
  },
});
