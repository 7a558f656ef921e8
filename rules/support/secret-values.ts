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
  if (isTemplateValue(value, field)) return false;
  if (field === 'data') {
    const decoded = decodeGoStdBase64(value);
    if (decoded !== undefined && (decoded.trim() === '' || isTemplateValue(decoded, 'stringData'))) return false;
  }
  return true;
}
