/**
 * Values of a Secret manifest: which of them are templates (filled in by a tool before the Secret
 * is applied) rather than committed material.
 */
import { decodeGoStdBase64 } from './base64.js';
import { isMarker, isPlaceholder } from './credentials.js';

/**
 * An upper-case template identifier with at least one underscore (`SECRET_ACCESS_CREDS_PH`,
 * `REPLACE_WITH_BASE64_CERT`): a `_` is never part of standard base64, so in `data` such a value
 * can only be a marker that a script replaces.
 */
export function isTemplateIdentifier(value: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value.trim());
}

/** A `data` or `stringData` value that a template tool fills in: `${…}`, `$(…)`, `{{ … }}`, `<…>` or an upper-case marker. */
export function isTemplateValue(value: string, field: 'data' | 'stringData'): boolean {
  const v = value.trim();
  return isPlaceholder(v) || isMarker(v) || (field === 'data' && isTemplateIdentifier(v));
}

/**
 * Whether a Secret value commits material: a non-empty string that is not a template, also after
 * decoding (`data` values are base64; a base64-encoded `${DB_PASSWORD}` commits nothing).
 */
export function commitsValue(value: unknown, field: 'data' | 'stringData'): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'string' || value.trim() === '') return false;
  if (isTemplateValue(value, field) || isSopsValue(value)) return false;
  if (field === 'data') {
    const decoded = decodeGoStdBase64(value);
    if (decoded !== undefined && (decoded.trim() === '' || isTemplateValue(decoded, 'stringData'))) return false;
  }
  return true;
}

/**
 * A SOPS-encrypted manifest: a top-level `sops` map with a `mac` (its values are `ENC[AES256_GCM,…]`).
 * Its values are ciphertext, neither committed material nor base64.
 */
export function isSopsEncrypted(object: Readonly<Record<string, unknown>>): boolean {
  const sops = object.sops;
  if (sops === null || typeof sops !== 'object' || Array.isArray(sops)) return false;
  return 'mac' in sops;
}

/** A SOPS ciphertext value. */
export function isSopsValue(value: unknown): boolean {
  return typeof value === 'string' && /^ENC\[[A-Z0-9_]+,data:/.test(value.trim());
}

/**
 * A docker config that holds no credentials: `{"auths":{}}` (or `{}` for the old `.dockercfg`),
 * given as `data` (base64) or `stringData` (plain).
 */
export function isEmptyDockerConfig(key: string, value: unknown, field: 'data' | 'stringData'): boolean {
  if (key !== '.dockerconfigjson' && key !== '.dockercfg') return false;
  if (typeof value !== 'string') return false;
  const text = field === 'data' ? decodeGoStdBase64(value) : value;
  if (text === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
    const entries = Object.entries(parsed);
    if (key === '.dockercfg') return entries.length === 0;
    return entries.every(([k, v]) => k === 'auths' && v !== null && typeof v === 'object' && Object.keys(v).length === 0);
  } catch {
    return false;
  }
}

/**
 * A literal that reads as a word or a run of words (`password`, `root`, `changeMe`, `ADMIN`,
 * `passw0rd`): letters, digits only at the end or few, one case pattern. Random base64 (keys,
 * keystores) mixes cases and digits throughout and almost never matches.
 */
export function readsAsWords(literal: string): boolean {
  const v = literal.trim();
  if (v.length < 4 || v.length > 64) return false;
  return (
    /^[A-Za-z][a-z]*[0-9]{0,4}$/.test(v) || // password, Password, hunter22
    /^[A-Z]+[0-9]{0,4}$/.test(v) || // PASSWORD
    /^[a-z]+(?:[A-Z][a-z]+)+[0-9]{0,4}$/.test(v) || // changeMe, rootPassword
    /^(?:[A-Z][a-z]+){2,}[0-9]{0,4}$/.test(v) || // ChangeMe
    /^[a-z]+[0-9][a-z]+[0-9]{0,4}$/.test(v) // passw0rd, s3cret
  );
}

/** A word, or words separated by single spaces (`my password`): text a person typed, not an encoding. */
export function readsAsText(literal: string): boolean {
  const words = literal.trim().split(/ +/);
  if (words.length === 1) return readsAsWords(words[0]!) || /^[A-Za-z][a-z]{2}[0-9]{0,4}$|^[A-Z]{3}[0-9]{0,4}$/.test(words[0]!);
  return words.length <= 12 && words.every((w) => /^[A-Za-z][a-z]*[0-9]{0,4}[.,!?:]?$|^[A-Z]+[0-9]{0,4}$/.test(w));
}

/** The bytes of valid standard base64 as UTF-8 text, or undefined when they are not valid UTF-8 (or not base64). */
function decodeUtf8Strict(text: string): string | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A `data` value that is plain text the author meant for `stringData`: valid base64 that decodes
 * to bytes that are not UTF-8 text, while the literal reads as a word (`root_password: password`).
 * Only valid base64 qualifies, so `secret-invalid-base64` never reports the same value.
 */
export function isPlainTextInData(value: unknown): boolean {
  if (typeof value !== 'string' || !readsAsWords(value)) return false;
  if (decodeGoStdBase64(value) === undefined) return false;
  return decodeUtf8Strict(value) === undefined;
}

/**
 * The fix of a plain-text value under a Secret's `data` (secret-data-plaintext, secret-invalid-base64):
 * the entry moved, as written, to `stringData`. Unsafe: the Secret then holds the text itself.
 */
export function toStringData(key: string) {
  return { title: `move "${key}" from data to stringData`, edits: [{ op: 'moveEntry' as const, from: ['data', key], to: ['stringData', key] }] };
}
