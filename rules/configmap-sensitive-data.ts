import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { asMap, isCoreObject, keysOfMap } from '../src/model/objects.js';
import { findCredentialShapes, lineAndColumn, SHAPE_DESCRIPTIONS } from './support/credential-values.js';
import { couldBeCredential, echoesKey, keyNamesCredential, publicHalves, textMayNameCredential, type KeyTestOptions } from './support/credentials.js';
import { embeddedFormat, innerEntries, isCodeFileKey, yamlMayHave, type InnerEntry } from './support/embedded-config.js';

const VALID_KEY = /^[-._a-zA-Z0-9]+$/;
/** Inner keys a message may quote: names, not text that a parser may have cut out of a value. */
const QUOTABLE_INNER_KEY = /^[-._a-zA-Z0-9/@]{1,120}$/;
/**
 * System files whose keys name databases or settings, not credentials: `passwd: files` in
 * nsswitch.conf names where user accounts are looked up.
 */
const SYSTEM_FILES: ReadonlySet<string> = new Set(['nsswitch.conf', 'host.conf', 'login.defs']);
/** Last segments of a key path that say nothing by themselves: `secret: {key: …}`, `password: {value: …}`. */
const GENERIC_SEGMENTS: ReadonlySet<string> = new Set(['key', 'value', 'data', 'content', 'contents', 'pem', 'material']);

/**
 * The `key` of a mapping that also holds `name` (a SecretKeySelector such as `accessKeySecret:
 * {name: minio-cred, key: accesskey}`): its value names a key of a Secret, it is not the secret.
 */
function isKeySelector(entry: InnerEntry): boolean {
  return entry.key === 'key' && entry.siblings !== undefined && entry.siblings.includes('name');
}

/** Whether an inner entry's key names a credential: its last segment, or with its parent when that segment is generic. */
function innerKeyNamesCredential(entry: InnerEntry, words: KeyTestOptions): boolean {
  if (isKeySelector(entry)) return false;
  if (keyNamesCredential(entry.key, words)) return true;
  const parent = entry.path.length >= 2 ? entry.path[entry.path.length - 2] : undefined;
  return parent !== undefined && GENERIC_SEGMENTS.has(entry.key.toLowerCase()) && keyNamesCredential(`${parent}.${entry.key}`, words);
}

function innerKeyLabel(entry: InnerEntry): string {
  const dotted = entry.path.join('.');
  if (QUOTABLE_INNER_KEY.test(dotted)) return dotted;
  return QUOTABLE_INNER_KEY.test(entry.key) ? entry.key : '?';
}

export default defineRule({
  meta: {
    id: 'configmap-sensitive-data',
    description: 'A ConfigMap holds a credential (by key, inside an embedded config file, or by the shape of a value); passwords, tokens and keys belong in a Secret.',
    defaultSeverity: 'error',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 7.0,
    // Reads values as written: runs on a Kustomize patch's values too.
    scope: 'content',
    messages: {
      key: {
        message: 'ConfigMap key "{{key}}" looks like a credential.',
        hint: 'ConfigMap "{{name}}" is for non-sensitive configuration (as every ConfigMap): move the value to a Secret and reference it from there.',
      },
      innerKey: {
        message: 'ConfigMap key "{{key}}" embeds a credential entry "{{inner}}".',
        hint: 'ConfigMap "{{name}}" is for non-sensitive configuration (as every ConfigMap): move the credential to a Secret and mount or reference it from there.',
      },
      value: {
        message: 'ConfigMap key "{{key}}" holds {{what}}.',
        hint: 'ConfigMap "{{name}}" is for non-sensitive configuration (as every ConfigMap): move the value to a Secret and reference it from there.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    if (!isCoreObject(object, 'ConfigMap')) return;
    const data = asMap(object.value.data);
    if (!data) return;
    const name = object.ref.name ?? '?';
    const words: KeyTestOptions = { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys };
    // `MINIO_ACCESS_KEY` beside `MINIO_SECRET_KEY`: the access key is the public half.
    const keys = keysOfMap(data);
    const publicKeys = publicHalves(keys);
    // The keys once (no entry pairs: a ConfigMap may hold 200,000 keys).
    for (const key of keys) {
      const value = data[key];
      // Kubernetes only accepts keys of [-._a-zA-Z0-9]; anything else (e.g. a complex key that a
      // parser turned into text) is not a ConfigMap key, and printing it could print a value.
      if (!VALID_KEY.test(key)) continue;
      if (typeof value !== 'string') continue;
      // A program or template (`password_validation.py`, `rotate-token.sh`) is named for what it
      // does, not for what it holds: only the shapes of credentials inside it count.
      const code = isCodeFileKey(key);
      if (!code && !publicKeys.has(key) && keyNamesCredential(key, words) && couldBeCredential(value) && !echoesKey(key, value)) {
        ctx.report({ messageId: 'key', path: ['data', key], credential: ['data', key], data: { name, key } });
        continue;
      }
      let reported: Set<number> | undefined;
      const wanted = (entry: InnerEntry) =>
        innerKeyNamesCredential(entry, words) && couldBeCredential(entry.value) && !echoesKey(entry.key, entry.value);
      // A value none of whose keys can name a credential is not read as a file at all (most are not).
      // Embedded YAML and JSON are read with positions only when a quick look finds something.
      const format =
        code || SYSTEM_FILES.has(key) || !textMayNameCredential(value, words) ? undefined : embeddedFormat(key, value, () => yamlMayHave(value, wanted));
      if (format) {
        const entries = innerEntries(format, value);
        const publicInner = publicHalves(new Set(entries.map((e) => e.key)));
        for (const entry of entries) {
          if (reported?.has(entry.line)) continue;
          if (publicInner.has(entry.key) || !wanted(entry)) continue;
          (reported ??= new Set()).add(entry.line);
          ctx.report({
            messageId: 'innerKey',
            path: ['data', key],
            credential: ['data', key],
            inner: { line: entry.line, column: entry.column },
            data: { name, key, inner: innerKeyLabel(entry) },
          });
        }
      }
      for (const shape of findCredentialShapes(value)) {
        const at = lineAndColumn(value, shape.index);
        if (reported?.has(at.line)) continue;
        (reported ??= new Set()).add(at.line);
        ctx.report({
          messageId: 'value',
          path: ['data', key],
          credential: ['data', key],
          inner: { line: at.line, column: at.column, length: shape.length },
          data: { name, key, what: SHAPE_DESCRIPTIONS[shape.kind] },
        });
      }
    }
  },
});
