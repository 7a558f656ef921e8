import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { asMap, isCoreObject } from '../src/model/objects.js';
import { base64Problem, type Base64Problem } from './support/base64.js';
import { isSopsEncrypted, isSopsValue, isTemplateValue, readsAsText, toStringData } from './support/secret-values.js';

const VALID_KEY = /^[-._a-zA-Z0-9]+$/;

const WHY: Readonly<Record<Base64Problem, string>> = {
  whitespace: 'it contains spaces or tabs (only line breaks are skipped)',
  'url-alphabet': 'it uses the URL-safe alphabet (`-` and `_`) instead of `+` and `/`',
  character: 'it contains characters outside the base64 alphabet',
  padding: 'its length or `=` padding is wrong (padding is required)',
};

export default defineRule({
  meta: {
    id: 'secret-invalid-base64',
    description: "A Secret's `data` value is not valid standard base64, so the API server rejects the Secret.",
    defaultSeverity: 'error',
    // Reads values as written: runs on a Kustomize patch's values too.
    scope: 'content',
    messages: {
      invalid: {
        message: 'Secret "{{name}}" data key "{{key}}" is not valid base64: {{why}}.',
        hint: 'The API server rejects the Secret. Encode the value with `base64 -w0`, or put the plain text under stringData instead.',
      },
      plainText: {
        message: 'Secret "{{name}}" data key "{{key}}" is plain text, not base64: {{why}}.',
        hint: 'The API server rejects the Secret. Put the plain text under stringData (or encode it with `base64 -w0`).',
      },
      notString: {
        message: 'Secret "{{name}}" data key "{{key}}" is a {{type}}, not a base64 string.',
        hint: 'The API server rejects the Secret. Quote the base64 text, or put the plain value under stringData instead.',
      },
    },
    options: NO_OPTIONS,
    // Plain text moves to stringData (the Secret then holds the text itself): only with --unsafe-fixes.
    fix: 'unsafe',
  },
  check(ctx) {
    const { object } = ctx;
    if (!isCoreObject(object, 'Secret')) return;
    // SOPS-encrypted values are ciphertext, decrypted before the Secret is applied.
    if (isSopsEncrypted(object.value)) return;
    const data = asMap(object.value.data);
    if (!data) return;
    const name = object.ref.name ?? '?';
    for (const [key, value] of Object.entries(data)) {
      if (!VALID_KEY.test(key)) continue;
      if (typeof value === 'number' || typeof value === 'boolean') {
        ctx.report({ messageId: 'notString', path: ['data', key], credential: ['data', key], data: { name, key, type: typeof value } });
        continue;
      }
      if (typeof value !== 'string' || isTemplateValue(value, 'data') || isSopsValue(value)) continue;
      const problem = base64Problem(value);
      if (!problem) continue;
      // Words (`admin`, `my password`) were meant for stringData: say so, as secret-data-plaintext does for valid base64.
      const plain = readsAsText(value);
      ctx.report({ messageId: plain ? 'plainText' : 'invalid', path: ['data', key], credential: ['data', key], data: { name, key, why: WHY[problem] }, ...(plain ? { fix: toStringData(key) } : {}) });
    }
  },
});
