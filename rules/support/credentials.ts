/**
 * The credential tests shared by the secret rules: does a key name a credential, and could a value
 * be the credential itself? Pure functions over strings.
 */
import { isSecretReference } from './secret-references.js';

/** Splits a key into lower-case words on `_`, `-`, `.`, `/`, spaces and camelCase boundaries. */
export function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Credential terms as word sequences. A key names a credential when it contains one as whole words. */
export const CREDENTIAL_TERMS: readonly (readonly string[])[] = [
  ['password'],
  ['passwd'],
  ['pwd'],
  ['passphrase'],
  ['secret'],
  ['token'],
  ['apikey'],
  ['api', 'key'],
  ['access', 'key'],
  ['secret', 'key'],
  ['private', 'key'],
  ['credentials'],
  ['credential'],
  ['client', 'secret'],
  ['auth', 'token'],
  // A bare `key` is not a credential term (CACHE_KEY, PARTITION_KEY, SORT_KEY, PROJECT_KEY,
  // IDEMPOTENCY_KEY); it is one when the word before it names a credential.
  ['signing', 'key'],
  ['encryption', 'key'],
  ['decryption', 'key'],
  ['master', 'key'],
  ['account', 'key'],
  ['storage', 'key'],
  ['license', 'key'],
  ['licence', 'key'],
  ['client', 'key'],
  ['hmac', 'key'],
  ['ssh', 'key'],
  ['auth', 'key'],
  ['subscription', 'key'],
  // Cloud vendors' own names (Polaris's list): OCI_CLI_KEY_CONTENT; AZURE_*_KEY is matched below;
  // GOOGLE_APPLICATION_CREDENTIALS is matched by `credentials`.
  ['oci', 'cli', 'key'],
];

/**
 * Single words that end in a credential term written without a separator: `rootpasswd`,
 * `adminPassword` (camelCase is split anyway), `azurestorageaccountkey`, `awsaccesskey`.
 */
export const COMPOUND_TERMS: readonly string[] = [
  'password', 'passwd', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'accountkey', 'storagekey',
  'signingkey', 'encryptionkey', 'masterkey', 'licensekey', 'clientsecret', 'authtoken', 'accesstoken', 'apitoken',
];

/** A short form of `password` that counts only as the last word of a key: `DB_PASS`, `RABBITMQ_DEFAULT_PASS`. */
const PASS_WORD = 'pass';

/**
 * Words before a final `pass` that make the key an nginx directive naming an upstream, not a
 * password: `proxy_pass`, `fastcgi_pass`, `uwsgi_pass`, `scgi_pass`, `grpc_pass`, `memcached_pass`.
 */
export const PASS_DIRECTIVE_PREFIXES: ReadonlySet<string> = new Set(['proxy', 'fastcgi', 'uwsgi', 'scgi', 'grpc', 'memcached']);

/**
 * Words that, after a credential term, show that the key is *about* a credential (where it is, what
 * it is called, how it is checked) rather than the credential itself.
 */
const ABOUT_WORDS: ReadonlySet<string> = new Set([
  'file', 'files', 'filename', 'path', 'paths', 'dir', 'directory', 'folder', 'location', 'mount',
  'name', 'names', 'ref', 'reference', 'id', 'ids', 'url', 'uri', 'endpoint', 'host', 'hostname', 'port', 'address', 'addr',
  'ttl', 'timeout', 'expiry', 'expiration', 'expires', 'lifetime', 'duration', 'interval', 'period', 'age',
  'length', 'len', 'size', 'count', 'min', 'max', 'minimum', 'maximum', 'limit',
  'policy', 'policies', 'rule', 'rules', 'pattern', 'regex', 'validation', 'validator', 'strength', 'complexity',
  'encryption', 'rotation', 'days', 'hours', 'seconds', 'header', 'enabled', 'enable', 'disabled', 'disable', 'required',
  'type', 'mode', 'format', 'kind', 'provider', 'store', 'manager', 'source', 'namespace', 'version', 'prefix', 'suffix',
  'field', 'label', 'selector', 'template', 'env', 'var', 'audience', 'issuer', 'scope', 'scopes', 'hint', 'reset', 'algorithm',
]);

function indexOfTerm(words: readonly string[], term: readonly string[], from: number): number {
  outer: for (let i = from; i + term.length <= words.length; i++) {
    for (let j = 0; j < term.length; j++) if (words[i + j] !== term[j]) continue outer;
    return i;
  }
  return -1;
}

/** A word without a trailing number, so that numbered keys (`PASSWORD2`, `token1`) match their term. */
function withoutNumber(word: string): string {
  const stripped = word.replace(/\d+$/, '');
  return stripped === '' ? word : stripped;
}

export interface KeyTestOptions {
  /** Extra single-word credential terms. */
  extraTerms?: readonly string[];
  /** Key names (exact, case-insensitive) that are never credentials. */
  allowKeys?: readonly string[];
}

/**
 * Endings of a name that say what it holds is an identity or an address, not a secret: a user name,
 * a login, a host, a port, a service name (`MONGODB_USERNAME`, `PGUSER`, `DB_HOST`, `service_name`).
 * Matched on the name's lower-case letters and digits, so `CLIENTUSERNAME` and `db-user` both end in one.
 */
export const NOT_SECRET_ENDINGS: readonly string[] = ['user', 'username', 'login', 'host', 'hostname', 'port', 'service', 'servicename'];

/** Whether a name ends in one of NOT_SECRET_ENDINGS and names no credential (`AUTH_USER_TOKEN` does). */
export function namesNonSecret(name: string, options: KeyTestOptions = {}): boolean {
  const letters = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return NOT_SECRET_ENDINGS.some((end) => letters.endsWith(end)) && !keyNamesCredential(name, options);
}

/**
 * Every credential term (a word of it) and every compound term contains one of these. A key's words
 * are pieces of its lower-case text, so a key whose lower-case text contains none of them names no
 * credential: the common case (most keys are `image`, `name`, `expr`, …) is answered without
 * splitting the key into words.
 */
export const TERM_FRAGMENTS: readonly string[] = ['pass', 'pwd', 'secret', 'token', 'key', 'credential'];

function mayNameCredential(key: string, options: KeyTestOptions): boolean {
  return (options.extraTerms !== undefined && options.extraTerms.length > 0) || hasTermFragment(key);
}

/**
 * Whether the lower-case text holds one of TERM_FRAGMENTS. Without lower-casing the text: TERM_FRAGMENT
 * matches ASCII letters case-insensitively (outside unicode mode, no other character matches an ASCII
 * letter), and the only characters beyond ASCII whose lower case holds ASCII letters are U+0130 (`i`
 * and a combining dot) and U+212A (the Kelvin sign, `k`): a text with either is lower-cased.
 */
function hasTermFragment(key: string): boolean {
  if (TERM_FRAGMENT.test(key)) return true;
  return LOWER_CASE_ASCII_BEYOND_ASCII.test(key) && lowerHasTermFragment(key);
}

const TERM_FRAGMENT = new RegExp(TERM_FRAGMENTS.join('|'), 'i');
const LOWER_CASE_ASCII_BEYOND_ASCII = /[\u0130\u212A]/;

function lowerHasTermFragment(key: string): boolean {
  const lower = key.toLowerCase();
  for (const fragment of TERM_FRAGMENTS) if (lower.includes(fragment)) return true;
  return false;
}

/**
 * Escapes of a double-quoted YAML or JSON string that write a letter (`\x70`, `\u0070`,
 * `\U00000070`) or join two lines without a space (a backslash before a line break). The others
 * write a character that is not a letter or digit (`\"`, `\\`, `\/`, `\t`, `\n`, `\0`, `\ `,
 * `\N`, `\_`, `\L`, `\P`, …), which a credential term cannot span.
 */
const LETTER_ESCAPE = /\\[xuU\r\n]/;

/**
 * Whether some key read from `text` (an embedded file: a line's key, a YAML or JSON mapping key, a
 * key path joined with `.`) could name a credential, without reading the keys. Such a key is made of
 * runs of the text's characters joined by characters that are not letters or digits (folding joins
 * lines with a space or a line break; an escape such as `\"` writes one; a number key prints as
 * digits, `e`, `+`, `-`, `.`, `Infinity` or `NaN`), except where an escape writes a letter or joins
 * lines (LETTER_ESCAPE). So a text without such an escape whose lower-case text holds none of
 * TERM_FRAGMENTS holds no key that `keyNamesCredential` accepts (with extra terms: always true).
 */
export function textMayNameCredential(text: string, options: KeyTestOptions = {}): boolean {
  return mayNameCredential(text, options) || (text.includes('\\') && LETTER_ESCAPE.test(text));
}

/**
 * Whether a key names a credential: it contains a credential term as whole words (a trailing number
 * does not count: `PASSWORD2`), and no word after the last such term is one that shows the key is
 * about a credential (`PASSWORD_FILE`, `secretName`).
 */
export function keyNamesCredential(key: string, options: KeyTestOptions = {}): boolean {
  const { extraTerms, allowKeys } = options;
  const plain = (extraTerms === undefined || extraTerms.length === 0) && (allowKeys === undefined || allowKeys.length === 0);
  if (!plain) return namesCredential(key, extraTerms, allowKeys);
  if (key.length > MAX_REMEMBERED_KEY) return namesCredential(key, undefined, undefined);
  const remembered = DIGIT_FREE_WORDS ? oneDigitPerRun(key) : key;
  let answer = PLAIN_ANSWERS.get(remembered);
  if (answer === undefined) {
    answer = namesCredential(key, undefined, undefined);
    if (PLAIN_ANSWERS.size >= MAX_PLAIN_ANSWERS) PLAIN_ANSWERS.clear();
    PLAIN_ANSWERS.set(remembered, answer);
  }
  return answer;
}

/**
 * Whether no word the plain test compares a key's words with holds a digit. Then the answer for a
 * key does not change when each run of digits in it is written as one `0`: digits split no word
 * (`splitWords` treats them as lower-case letters), a run's last digit is the one a split looks at,
 * a word's trailing number is dropped whatever it is, and a word with a digit left equals, and ends
 * in, no such word either way. So `PASSWORD_1` … `PASSWORD_200000` share one remembered answer.
 */
const DIGIT_FREE_WORDS = [
  ...CREDENTIAL_TERMS.flat(),
  ...COMPOUND_TERMS,
  ...PASS_DIRECTIVE_PREFIXES,
  ...ABOUT_WORDS,
  PASS_WORD,
  'azure',
  'key',
].every((w) => !/[0-9]/.test(w));

/** `key` with each run of ASCII digits written as one `0` (`key` itself when it has none). */
function oneDigitPerRun(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 48 && c <= 57) return key.replace(DIGIT_RUNS, '0');
  }
  return key;
}

const DIGIT_RUNS = /[0-9]+/g;

/**
 * `keyNamesCredential`'s answers without extra terms or allowed keys, by key: the same names come
 * back again and again in a run (env var names, config keys). Bounded in count and key length.
 */
const PLAIN_ANSWERS = new Map<string, boolean>();
const MAX_PLAIN_ANSWERS = 10_000;
const MAX_REMEMBERED_KEY = 256;

function namesCredential(key: string, extraTerms: readonly string[] | undefined, allowKeys: readonly string[] | undefined): boolean {
  if ((extraTerms === undefined || extraTerms.length === 0) && !hasTermFragment(key)) return false;
  if (allowKeys?.some((k) => k.toLowerCase() === key.toLowerCase())) return false;
  const words = splitWords(key).map(withoutNumber);
  const terms = extraTerms
    ? [...CREDENTIAL_TERMS, ...extraTerms.map((t) => splitWords(t).map(withoutNumber))]
    : CREDENTIAL_TERMS;
  let lastEnd = -1;
  for (const term of terms) {
    if (term.length === 0) continue;
    let at = indexOfTerm(words, term, 0);
    while (at >= 0) {
      lastEnd = Math.max(lastEnd, at + term.length);
      at = indexOfTerm(words, term, at + 1);
    }
  }
  words.forEach((w, i) => {
    if (COMPOUND_TERMS.some((t) => w.endsWith(t))) lastEnd = Math.max(lastEnd, i + 1);
  });
  // `pass` as the last whole word (`RABBITMQ_DEFAULT_PASS`, `DB_PASS`, `KEY_PASS`), not an nginx
  // `*_pass` directive, nor `pass` elsewhere (`PASS_THROUGH`, `bypass`).
  if (words.length > 0 && words[words.length - 1] === PASS_WORD && !PASS_DIRECTIVE_PREFIXES.has(words[words.length - 2] ?? '')) {
    lastEnd = words.length;
  }
  // Azure's AZURE_<anything>_KEY (AZURE_BATCH_KEY, AZURE_STORAGE_KEY), as Polaris matches it.
  if (words.length >= 3 && words[0] === 'azure' && words[words.length - 1] === 'key') lastEnd = words.length;
  if (lastEnd < 0) return false;
  for (let i = lastEnd; i < words.length; i++) if (ABOUT_WORDS.has(words[i]!)) return false;
  return true;
}

const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\{\{.*?\}\}|<[^<>]*>/g;
/**
 * Upper-case marker words. `CHANGEME` is not one: joined, it is the weak default that real
 * deployments ship with (`CHANGE_ME`, an instruction, is a marker); `XXXX` needs four or more.
 */
const MARKER_WORDS = /(^|_)(REPLACE|REPLACEME|INSERT|YOUR|CHANGE|PLACEHOLDER|PH|TODO|FIXME|EXAMPLE|REDACTED|DUMMY|XXXX+|TBD)(\d*_|\d*$)/;

/**
 * An upper-case marker such as `REPLACE_WITH_TOKEN`, `INSERT_KEY_HERE`, `YOUR_API_KEY`,
 * `SECRET_ACCESS_CREDS_PH` or `CHANGE_ME00` (a marker word may carry a number).
 */
export function isMarker(value: string): boolean {
  return /^[A-Z0-9_-]+$/.test(value) && MARKER_WORDS.test(value.replace(/-/g, '_'));
}

export interface PlaceholderShape {
  /** What the shape stands for. */
  name: string;
  /** Tested against the whole trimmed value. */
  pattern: RegExp;
  /** Values that must match (each is tested). */
  examples: readonly string[];
}

/**
 * Values that are instructions to whoever deploys, in any case: not credentials. Weak real
 * defaults are deliberately absent (`changeme`, `password`, `admin`, `secret` are passwords people
 * deploy with, and stay reported).
 */
export const PLACEHOLDER_SHAPES: readonly PlaceholderShape[] = [
  { name: 'your-…', pattern: /^your[-_ .][a-z0-9][\w .-]*$/i, examples: ['your-token-here', 'your_api_key', 'YOUR-TOKEN-HERE', 'Your API key'] },
  { name: 'xxxx (four or more)', pattern: /^x{4,}$/i, examples: ['xxxx', 'XXXXXXXXXXXX'] },
  { name: 'replace me', pattern: /^(replace|insert|enter|fill)(?:[-_ .]?me|[-_ .](?:with|your|here|in|the|a|an)(?:[-_ .][\w .-]*)?|[-_ .][\w .-]*[-_ .]here)$/i, examples: ['REPLACE_ME', 'replace-me', 'replaceme', 'replace_with_your_token', 'insert-key-here', 'Enter your password'] },
  { name: 'to do', pattern: /^(todo|fixme|tbd)(?:[-_:. ][\w .:-]*)?$/i, examples: ['TODO', 'todo', 'TODO: set me', 'tbd', 'FIXME'] },
  { name: 'change me (an instruction)', pattern: /^change[-_ .]me(?:[-_ .][\w .-]*)?$/i, examples: ['CHANGE_ME', 'change-me', 'CHANGE_ME_IN_PRODUCTION', 'change_me_to_a_secret'] },
  { name: 'placeholder', pattern: /^(placeholder|redacted)$/i, examples: ['placeholder', 'REDACTED'] },
  { name: '$VAR', pattern: /^\$[A-Z_][A-Z0-9_]*$/, examples: ['$VAR', '$VAR_NAME', '$DB_PASSWORD'] },
];

/** Weak real defaults: credentials, whatever their case (tested against PLACEHOLDER_SHAPES). */
export const WEAK_DEFAULTS: readonly string[] = ['changeme', 'CHANGEME', 'ChangeMe', 'password', 'PASSWORD', 'admin', 'Admin', 'secret', 'root', 'hunter2', 'xxx', 'changeme123'];

/** Whether the whole value is an instruction placeholder of PLACEHOLDER_SHAPES. */
export function isPlaceholderShape(value: string): boolean {
  const v = value.trim();
  return PLACEHOLDER_SHAPES.some((shape) => shape.pattern.test(v));
}

/**
 * Nothing but placeholders (`${VAR}`, `$(VAR)`, `{{ … }}`, `<your-token>`) joined by whitespace or
 * punctuation (`${USER}:${PASS}`, `${PREFIX}-${SUFFIX}`), a marker, or an instruction
 * (`your-token-here`, `REPLACE_ME`, `TODO`, `xxxx`, `$VAR`): no literal credential material.
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (isMarker(trimmed) || isPlaceholderShape(trimmed)) return true;
  const rest = trimmed.replace(PLACEHOLDER, '');
  return rest !== trimmed && !/[\p{L}\p{N}]/u.test(rest);
}

/**
 * A value that only repeats its key's name, as templates do before a script fills them in:
 * `HF_TOKEN: HF_TOKEN`, `GOOGLE_API_KEY: GOOGLE_API_KEY_VAL`. Upper case only, so a real
 * password that starts with the word (`password: password123`) is not excused.
 */
export function echoesKey(key: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (!/^[A-Z][A-Z0-9_]*$/.test(v)) return false;
  const k = key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return v === k || (v.startsWith(`${k}_`) && /^[A-Z]+$/.test(v.slice(k.length + 1)));
}

const BOOLEAN = /^(true|false|yes|no|on|off|y|n)$/i;
const NUMBER = /^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^0x[0-9a-fA-F]+$|^0o[0-7]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/;
const ABSOLUTE_PATH = /^(\/[^\s]*|[A-Za-z]:\\[^\s]*)$/;

/**
 * Whether a value could be the credential itself: a non-empty string that is not a boolean, a number,
 * an absolute file path, only a placeholder, or a reference a secrets webhook resolves
 * (`vault:secret/db#password`, `op://vault/item/field`).
 */
export function couldBeCredential(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v === '') return false;
  if (BOOLEAN.test(v) || NUMBER.test(v)) return false;
  if (ABSOLUTE_PATH.test(v)) return false;
  if (isPlaceholder(v)) return false;
  if (isSecretReference(v)) return false;
  return true;
}

export interface KeyPair {
  /** The public half, as the end of a key with separators removed, lower case. */
  publicHalf: string;
  /** The secret halves it pairs with (same prefix). */
  secretHalves: readonly string[];
}

/**
 * Access keys are the public half of a key pair, like `AWS_ACCESS_KEY_ID`: beside their secret
 * half of the same prefix (`MINIO_ACCESS_KEY` beside `MINIO_SECRET_KEY`, `accesskey` beside
 * `secretkey`), only the secret half is a credential.
 */
export const KEY_PAIRS: readonly KeyPair[] = [{ publicHalf: 'accesskey', secretHalves: ['secretkey', 'secretaccesskey'] }];

/** The characters KEY_PAIRS' public halves end in. */
const PUBLIC_LAST: ReadonlySet<number> = new Set(KEY_PAIRS.map((pair) => pair.publicHalf.charCodeAt(pair.publicHalf.length - 1)));

/**
 * Whether `compact(key)` may end in a public half, without building it: the key's last ASCII letter
 * or digit, lower-cased, is a character one ends in, or a character beyond ASCII comes after it
 * (lower-casing may turn that into an ASCII letter).
 */
function mayEndInPublicHalf(key: string): boolean {
  for (let i = key.length - 1; i >= 0; i--) {
    let c = key.charCodeAt(i);
    if (c > 127) return true;
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return PUBLIC_LAST.has(c);
  }
  return false;
}

function compact(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * The keys among `keys` that are the public half of a pair whose secret half is also among them
 * (same prefix, separators and case ignored): `MINIO_ACCESS_KEY` when `MINIO_SECRET_KEY` is there.
 */
export function publicHalves(keys: Iterable<string>): Set<string> {
  const all = [...keys];
  const out = new Set<string>();
  if (all.length < 2) return out;
  if (!all.some(mayEndInPublicHalf)) return out;
  const compacts = all.map(compact);
  // Most lists hold no public half at all: the set of compacted keys is then not needed.
  if (!compacts.some((c) => KEY_PAIRS.some((pair) => c.endsWith(pair.publicHalf)))) return out;
  const compacted = new Set(compacts);
  for (const [i, key] of all.entries()) {
    const c = compacts[i]!;
    for (const pair of KEY_PAIRS) {
      if (!c.endsWith(pair.publicHalf)) continue;
      const prefix = c.slice(0, c.length - pair.publicHalf.length);
      if (pair.secretHalves.some((half) => compacted.has(prefix + half))) out.add(key);
    }
  }
  return out;
}
