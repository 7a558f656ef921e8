import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { asMap, isCoreObject } from '../src/model/objects.js';
import { commitsValue, isEmptyDockerConfig, isSopsEncrypted } from './support/secret-values.js';

const VALID_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_LISTED = 3;

function committedKeys(map: Record<string, unknown> | undefined, field: 'data' | 'stringData'): string[] {
  if (!map) return [];
  return Object.entries(map)
    .filter(([key, value]) => commitsValue(value, field) && !isEmptyDockerConfig(key, value, field))
    .map(([key]) => key);
}

function listed(keys: readonly string[]): string {
  // Keys that Kubernetes would reject are not quoted: a parser may have made one out of a value.
  const shown = keys.slice(0, MAX_LISTED).map((k) => (VALID_KEY.test(k) ? `"${k}"` : '?'));
  return keys.length > MAX_LISTED ? `${shown.join(', ')} and ${keys.length - MAX_LISTED} more` : shown.join(', ');
}

export default defineRule({
  meta: {
    id: 'secret-committed',
    description: 'A Secret manifest carries its values; base64 is an encoding, not encryption, so committing it publishes them.',
    defaultSeverity: 'warning',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 8.0,
    // Reads values as written: runs on a Kustomize patch's values too.
    scope: 'content',
    messages: {
      committed: {
        message: 'Secret "{{name}}" commits {{count}} ({{keys}}).',
        hint: 'The values are in its {{field}}. {{encoding}}: anyone who can read this manifest can read them. Keep them out of the repository with Sealed Secrets, External Secrets, SOPS or the Secrets Store CSI driver, and rotate any value that was committed.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    if (!isCoreObject(object, 'Secret')) return;
    // SOPS-encrypted: the values are ciphertext, which is what committing a Secret safely looks like.
    if (isSopsEncrypted(object.value)) return;
    const data = committedKeys(asMap(object.value.data), 'data');
    const stringData = committedKeys(asMap(object.value.stringData), 'stringData');
    const keys = [...new Set([...data, ...stringData])];
    if (keys.length === 0) return;
    const field = data.length > 0 ? 'data' : 'stringData';
    ctx.report({
      messageId: 'committed',
      path: [field],
      data: {
        name: object.ref.name ?? '?',
        count: keys.length === 1 ? '1 value' : `${keys.length} values`,
        field: data.length > 0 && stringData.length > 0 ? 'data and stringData' : field,
        keys: listed(keys),
        encoding: data.length > 0 ? 'Base64 is an encoding, not encryption' : 'stringData is plain text (and data only base64, an encoding, not encryption)',
      },
    });
  },
});
