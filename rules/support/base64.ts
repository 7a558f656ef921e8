/**
 * Base64 as the Kubernetes API server reads a Secret's `data`: Go's `encoding/base64.StdEncoding`
 * (standard alphabet `A–Z a–z 0–9 + /`, `=` padding required) which skips `\r` and `\n` anywhere
 * in the input and rejects everything else, spaces included. Not strict: non-zero trailing bits are
 * accepted, as Go accepts them.
 */

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether Go's `base64.StdEncoding.DecodeString` accepts the text. The empty string is valid. */
export function isGoStdBase64(text: string): boolean {
  return STD_BASE64.test(text.replace(/[\r\n]/g, ''));
}

/** Why Go's standard decoder rejects the text, or undefined when it accepts it. */
export type Base64Problem = 'whitespace' | 'url-alphabet' | 'character' | 'padding';

export function base64Problem(text: string): Base64Problem | undefined {
  if (isGoStdBase64(text)) return undefined;
  const s = text.replace(/[\r\n]/g, '');
  if (/[ \t]/.test(s)) return 'whitespace';
  if (/^[A-Za-z0-9_-]+=*$/.test(s) && /[-_]/.test(s)) return 'url-alphabet';
  if (/[^A-Za-z0-9+/=]/.test(s)) return 'character';
  return 'padding';
}

/** The decoded text (UTF-8; invalid sequences become U+FFFD) of valid standard base64, else undefined. */
export function decodeGoStdBase64(text: string): string | undefined {
  if (!isGoStdBase64(text)) return undefined;
  const binary = atob(text.replace(/[\r\n]/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
