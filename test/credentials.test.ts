import { describe, expect, it } from 'vitest';
import { couldBeCredential, isMarker, isPlaceholder, keyNamesCredential, splitWords } from '../rules/support/credentials.js';

describe('splitWords', () => {
  it.each([
    ['clientSecret', ['client', 'secret']],
    ['SECRET_KEY_BASE', ['secret', 'key', 'base']],
    ['APIKey', ['api', 'key']],
    ['apiKey', ['api', 'key']],
    ['APIKEY', ['apikey']],
    ['API-KEY', ['api', 'key']],
    ['db.password', ['db', 'password']],
    ['path/to file', ['path', 'to', 'file']],
    ['AWSSecretAccessKey', ['aws', 'secret', 'access', 'key']],
    ['oauth2Token', ['oauth2', 'token']],
    ['__x__', ['x']],
    ['', []],
  ])('%s → %j', (key, words) => {
    expect(splitWords(key)).toEqual(words);
  });
});

describe('keyNamesCredential', () => {
  it.each([
    'password',
    'DB_PASSWORD',
    'DB_PASSWORD_PROD',
    'SECRET_KEY_BASE',
    'clientSecret',
    'api_key',
    'apiKey',
    'API-KEY',
    'APIKEY',
    'access_key',
    'AWS_SECRET_ACCESS_KEY',
    'privateKey',
    'credentials',
    'credential',
    'auth_token',
    'passwd',
    'pwd',
    'passphrase',
    'token',
    'GITHUB_TOKEN',
    'db.password',
    'jwt_secret',
    // The last term decides: an about-word before it does not matter.
    'SECRET_NAME_PASSWORD',
  ])('%s names a credential', (key) => {
    expect(keyNamesCredential(key)).toBe(true);
  });

  it.each([
    // About a credential: an about-word follows the term.
    'PASSWORD_FILE',
    'secretName',
    'JWT_GCP_TOKEN_URL',
    'PASSWORD_MIN_LENGTH',
    'TOKEN_TTL',
    'secret_ref',
    'password_policy',
    'passwordValidation',
    'AUTH_TOKEN_ENABLED',
    'api_key_header',
    // Terms are whole words only.
    'tokenizer',
    'max_tokens',
    'bypass',
    // No credential term (a bare `key` is not one).
    'username',
    'db_user',
    'CACHE_KEY',
    'SORT_KEY',
    'DB_HOST',
    '',
  ])('%s does not name a credential', (key) => {
    expect(keyNamesCredential(key)).toBe(false);
  });

  it('accepts extra terms, split like keys', () => {
    expect(keyNamesCredential('SIGNING_KEY')).toBe(false);
    expect(keyNamesCredential('SIGNING_KEY', { extraTerms: ['signingKey'] })).toBe(true);
    expect(keyNamesCredential('signing_key_path', { extraTerms: ['signing_key'] })).toBe(false);
  });

  it('lets allowed keys through, case-insensitively and only as whole keys', () => {
    expect(keyNamesCredential('PUBLIC_TOKEN', { allowKeys: ['public_token'] })).toBe(false);
    expect(keyNamesCredential('PUBLIC_TOKEN_2', { allowKeys: ['public_token'] })).toBe(true);
  });
});

describe('couldBeCredential', () => {
  it.each<[string, unknown]>([
    ['empty', ''],
    ['blank', '   '],
    ['boolean true', 'true'],
    ['boolean False', 'False'],
    ['boolean yes', 'yes'],
    ['boolean off', 'OFF'],
    ['integer', '3600'],
    ['decimal', '1.5'],
    ['exponent', '1e5'],
    ['hex', '0x1F'],
    ['absolute path', '/etc/secret/password'],
    ['Windows path', 'C:\\secrets\\db'],
    ['${} placeholder', '${DB_PASSWORD}'],
    ['$() placeholder', '$(TOKEN)'],
    ['template placeholder', '{{ .Values.password }}'],
    ['angle placeholder', '<your-token>'],
    ['placeholder with spaces around', '  ${TOKEN}  '],
    ['two placeholders', '${A} ${B}'],
    ['marker REPLACE_WITH_TOKEN', 'REPLACE_WITH_TOKEN'],
    ['marker INSERT_KEY_HERE', 'INSERT_KEY_HERE'],
    ['marker YOUR_API_KEY', 'YOUR_API_KEY'],
    ['marker CHANGEME', 'CHANGEME'],
    ['marker with dashes', 'YOUR-TOKEN-HERE'],
    ['number', 123],
    ['boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['object', {}],
    ['array', ['hunter2']],
  ])('%s (%j) cannot be a credential', (_, value) => {
    expect(couldBeCredential(value)).toBe(false);
  });

  it.each([
    ['hunter2'],
    ['s3cr3t'],
    ['  hunter2  '],
    // AWS's documented example access key id. It has the shape of a real key and `EXAMPLE` is not a
    // separate word in it, so it counts: the linter cannot know which real-looking keys are examples.
    ['AKIAIOSFODNN7EXAMPLE'],
    // Text around a placeholder is literal credential material.
    ['abc${X}def'],
    // Only upper-case values are markers; a lower-case "changeme" is a (weak) real password.
    ['changeme'],
    // Only absolute paths are skipped.
    ['./secret'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n'],
  ])('%j could be a credential', (value) => {
    expect(couldBeCredential(value)).toBe(true);
  });
});

describe('isMarker and isPlaceholder', () => {
  it('needs the whole value to be upper case for a marker', () => {
    expect(isMarker('YOUR_API_KEY')).toBe(true);
    expect(isMarker('your_api_key')).toBe(false);
    // A marker word must be a whole word of the value.
    expect(isMarker('TODOLIST')).toBe(false);
    expect(isMarker('SECRET123')).toBe(false);
  });

  it('needs at least one placeholder, and nothing but placeholders and whitespace', () => {
    expect(isPlaceholder('${A}')).toBe(true);
    expect(isPlaceholder('  {{ .Values.x }} ')).toBe(true);
    expect(isPlaceholder('')).toBe(false);
    expect(isPlaceholder('plain')).toBe(false);
    expect(isPlaceholder('pre-${A}')).toBe(false);
  });
});
