/**
 * Values that are credentials whatever the key they sit under: PEM private keys, tokens with a
 * well-known shape, and URLs that carry a password. Shared by `configmap-sensitive-data` and
 * `env-literal-secret`. Pure functions over strings; a match is reported by position only, so a
 * caller can point at it without ever repeating it.
 */
import { isMarker, isPlaceholder } from './credentials.js';

export type CredentialShapeKind =
  | 'private-key'
  | 'aws-access-key-id'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'stripe-live-key'
  | 'google-api-key'
  | 'jwt'
  | 'url-password'
  | 'connection-string-password';

/** How each kind is named in a message ("holds {{what}}"). */
export const SHAPE_DESCRIPTIONS: Readonly<Record<CredentialShapeKind, string>> = {
  'private-key': 'a private key',
  'aws-access-key-id': 'an AWS access key id',
  'github-token': 'a GitHub token',
  'gitlab-token': 'a GitLab token',
  'slack-token': 'a Slack token',
  'stripe-live-key': 'a Stripe live key',
  'google-api-key': 'a Google API key',
  jwt: 'a JSON Web Token',
  'url-password': 'a URL with a password',
  'connection-string-password': 'a connection string with a password',
};

export interface CredentialShape {
  kind: CredentialShapeKind;
  /** Offset of the match in the text. */
  index: number;
  length: number;
}

/**
 * A PEM private key header: `-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |PGP …]PRIVATE KEY[ BLOCK]-----`.
 * Three or more dashes count (Polaris's own fixture frames it with three); a certificate or public
 * key does not.
 */
const PRIVATE_KEY_HEADER = /(?<!-)-{3,}[ \t]*BEGIN[ \t]+(?:[A-Z0-9]+[ \t]+)*?PRIVATE[ \t]+KEY(?:[ \t]+BLOCK)?[ \t]*-{3,}/gi;

interface TokenPattern {
  kind: CredentialShapeKind;
  pattern: RegExp;
  /** The part of the match that is random (used to tell a real token from `ghp_xxxx…`). */
  randomFrom: number;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, randomFrom: 4 },
  { kind: 'github-token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, randomFrom: 4 },
  { kind: 'github-token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g, randomFrom: 11 },
  { kind: 'gitlab-token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, randomFrom: 6 },
  { kind: 'slack-token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}/g, randomFrom: 5 },
  { kind: 'stripe-live-key', pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}\b/g, randomFrom: 8 },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, randomFrom: 4 },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g, randomFrom: 0 },
];

/**
 * A literal that every match of a TOKEN_PATTERNS pattern contains (its prefix): a text without any
 * holds no token, and the patterns are not run on it (a test per pattern keeps the two in step).
 */
export const TOKEN_PREFIXES = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|[rs]k_live_|AIza|eyJ/;

/**
 * After a `scheme://`: `user:password@host`. The user may be empty (`redis://:pw@host`); the
 * password is what follows the first `:` of the user info. Matched on a bounded slice after each
 * `://`, so a long text costs linear time.
 */
const USER_INFO_WITH_PASSWORD = /^[^\s:/?#@'"`<>]*:([^\s/?#@'"`<>]+)@[^\s/?#@'"`<>]*[A-Za-z0-9\]]/;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const MAX_SCHEME = 32;
const MAX_AUTHORITY = 2048;

/** Password words that stand for the password in examples: `postgres://user:password@host/db`. */
const PASSWORD_STAND_INS = /^(password|passwd|pass|pwd|secret|your[-_]?password|my[-_]?password)$/i;

/** Too few distinct characters to be random: `ghp_xxxxxxxx…`, `AKIA0000000000000000`. */
function lowEntropy(random: string): boolean {
  return new Set(random.replace(/[-_.]/g, '')).size < 5;
}

/** A password in a URL that is a reference, a mask or a stand-in rather than a password. */
export function isPasswordPlaceholder(password: string): boolean {
  let p = password;
  try {
    p = decodeURIComponent(password);
  } catch {
    // keep it as written
  }
  return (
    isPlaceholder(p) ||
    isMarker(p) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(p) || // $DB_PASSWORD
    /^%\(\w+\)s$/.test(p) || // %(password)s
    /^%s$/.test(p) ||
    /^[*xX.•]+$/.test(p) || // ****, xxxx
    PASSWORD_STAND_INS.test(p)
  );
}

function privateKeys(text: string): CredentialShape[] {
  const out: CredentialShape[] = [];
  for (const m of text.matchAll(PRIVATE_KEY_HEADER)) {
    // Reported whatever its body: a template key committed in a manifest is still a key there.
    out.push({ kind: 'private-key', index: m.index, length: m[0].length });
  }
  return out;
}

function tokens(text: string): CredentialShape[] {
  const out: CredentialShape[] = [];
  for (const { kind, pattern, randomFrom } of TOKEN_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const token = m[0];
      if (kind === 'aws-access-key-id' && token.endsWith('EXAMPLE')) continue; // AWS's documented example keys
      if (kind === 'jwt' ? token.split('.').some(lowEntropy) : lowEntropy(token.slice(randomFrom))) continue;
      out.push({ kind, index: m.index, length: token.length });
    }
  }
  return out;
}

function urlsWithPassword(text: string): CredentialShape[] {
  const out: CredentialShape[] = [];
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && at - start < MAX_SCHEME && SCHEME_CHAR.test(text[start - 1]!)) start--;
    while (start < at && !/[A-Za-z]/.test(text[start]!)) start++;
    if (start === at) continue;
    const m = USER_INFO_WITH_PASSWORD.exec(text.slice(at + 3, at + 3 + MAX_AUTHORITY));
    if (!m || isPasswordPlaceholder(m[1]!)) continue;
    out.push({ kind: 'url-password', index: start, length: at + 3 + m[0].length - start });
  }
  return out;
}

/**
 * Keys of a connection string (libpq DSN, JDBC URL parameters, ADO.NET/ODBC) other than the
 * password: one of them beside a password pair on the same line makes the line a connection string.
 */
export const CONNECTION_KEYS: readonly string[] = [
  'host', 'hostaddr', 'server', 'data source', 'datasource', 'address', 'addr', 'network address',
  'user', 'user id', 'userid', 'uid', 'username', 'user name', 'dbname', 'database', 'initial catalog',
  'port', 'sslmode', 'driver', 'dsn', 'provider', 'integrated security', 'trusted_connection',
];
/** Keys of the password pair of a connection string. */
export const CONNECTION_PASSWORD_KEYS: readonly string[] = ['password', 'pwd', 'passwd'];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ \\t]+');
/** `password=value` after the start of a line or a separator (space, `;`, `?`, `&`). */
const CONNECTION_PASSWORD = new RegExp(
  `(?<=^|[ \\t;?&"'])(?:${CONNECTION_PASSWORD_KEYS.map(escapeRegExp).join('|')})[ \\t]*=[ \\t]*('[^'\\n]*'|"[^"\\n]*"|\\{[^}\\n]*\\}|[^\\s;&'"]+)`,
  'gim',
);
const CONNECTION_KEY = new RegExp(`(?:^|[ \\t;?&"'])(?:${CONNECTION_KEYS.map(escapeRegExp).join('|')})[ \\t]*=`, 'i');

/** A connection string's password that is a placeholder: `{password}`, `%s`, `${DB_PASSWORD}`, `****`. */
function isConnectionPasswordPlaceholder(raw: string): boolean {
  const v = raw.replace(/^(['"])(.*)\1$/, '$2');
  return v === '' || /^\{\w*\}$/.test(v) || isPasswordPlaceholder(v);
}

function connectionStrings(text: string): CredentialShape[] {
  const out: CredentialShape[] = [];
  for (const m of text.matchAll(CONNECTION_PASSWORD)) {
    if (isConnectionPasswordPlaceholder(m[1]!)) continue;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    let lineEnd = text.indexOf('\n', m.index);
    if (lineEnd < 0) lineEnd = text.length;
    // Another connection key on the same line, or a JDBC URL: a plain `password=x` line is not one.
    const line = text.slice(lineStart, m.index) + ' '.repeat(m[0].length) + text.slice(m.index + m[0].length, lineEnd);
    if (!CONNECTION_KEY.test(line) && !/jdbc:/i.test(line)) continue;
    out.push({ kind: 'connection-string-password', index: m.index, length: m[0].length });
  }
  return out;
}

/** Every credential-shaped part of a text, in order of position. */
export function findCredentialShapes(text: string): CredentialShape[] {
  // The shortest shapes: `a://:p@h` (8 characters), a Slack token (15). Most values are shorter.
  if (typeof text !== 'string' || text.length < 8) return [];
  const found = [
    ...(/BEGIN/i.test(text) ? privateKeys(text) : []),
    ...(text.length >= 15 && TOKEN_PREFIXES.test(text) ? tokens(text) : []),
    ...urlsWithPassword(text),
    ...(text.includes('=') && /p(?:ass)?w/i.test(text) ? connectionStrings(text) : []),
  ];
  return found.length > 1 ? found.sort((a, b) => a.index - b.index || b.length - a.length) : found;
}

/** The first credential-shaped part of a value, if any (non-strings have none). */
export function credentialShape(value: unknown): CredentialShape | undefined {
  return typeof value === 'string' ? findCredentialShapes(value)[0] : undefined;
}

/** 0-based line and column of an offset in a text (lines end at `\n`). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}
