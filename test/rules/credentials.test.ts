import { describe, expect, it } from 'vitest';
import {
  COMPOUND_TERMS,
  couldBeCredential,
  CREDENTIAL_TERMS,
  echoesKey,
  isMarker,
  isPlaceholder,
  isPlaceholderShape,
  KEY_PAIRS,
  namesNonSecret,
  NOT_SECRET_ENDINGS,
  keyNamesCredential,
  PASS_DIRECTIVE_PREFIXES,
  PLACEHOLDER_SHAPES,
  publicHalves,
  splitWords,
  TERM_FRAGMENTS,
  WEAK_DEFAULTS,
} from '../../rules/support/credentials.js';
import { isSecretReference, REFERENCE_SHAPES } from '../../rules/support/secret-references.js';

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
    expect(keyNamesCredential('DEPLOY_KEY')).toBe(false);
    expect(keyNamesCredential('DEPLOY_KEY', { extraTerms: ['deployKey'] })).toBe(true);
    expect(keyNamesCredential('deploy_key_path', { extraTerms: ['deploy_key'] })).toBe(false);
    expect(keyNamesCredential('BEARER', { extraTerms: ['bearer'] })).toBe(true);
  });

  it.each([
    'SIGNING_KEY',
    'ENCRYPTION_KEY',
    'PASSWORD_ENCRYPTION_KEY',
    'DECRYPTION_KEY',
    'MASTER_KEY',
    'ACCOUNT_KEY',
    'STORAGE_ACCOUNT_KEY',
    'storageAccountKey',
    'STORAGE_KEY',
    'LICENSE_KEY',
    'CLIENT_KEY',
    'HMAC_KEY',
    'SSH_KEY',
    'AUTH_KEY',
    'SUBSCRIPTION_KEY',
    'jwtSigningKey',
    'AZURE_BATCH_KEY',
    'AZURE_STORAGE_ACCOUNT_KEY',
    'OCI_CLI_KEY_CONTENT',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'MASTER_KEY_VALUE',
    // Compound words ending in a term.
    'rootpasswd',
    'adminpassword',
    'azurestorageaccountkey',
    'awsaccesskey',
    'oauthclientsecret',
  ])('%s (a key with a bare `key` or a compound word) names a credential', (key) => {
    expect(keyNamesCredential(key)).toBe(true);
  });

  it.each([
    'CACHE_KEY',
    'PARTITION_KEY',
    'SORT_KEY',
    'PROJECT_KEY',
    'IDEMPOTENCY_KEY',
    'PUBLIC_KEY',
    'PRIMARY_KEY',
    'KEY',
    'tls.key',
    'AZURE_KEY_VAULT_NAME',
    'AZURE_KEY',
    'OCI_CLI_KEY_FILE',
    'GOOGLE_APPLICATION_CREDENTIALS_FILE',
    'SIGNING_KEY_ID',
    'ENCRYPTION_KEY_ROTATION',
    // `encryption` after a term still shows the key is about the credential.
    'PASSWORD_ENCRYPTION',
    'passwords',
    'monkey',
  ])('%s does not name a credential', (key) => {
    expect(keyNamesCredential(key)).toBe(false);
  });

  it('lets allowed keys through, case-insensitively and only as whole keys', () => {
    expect(keyNamesCredential('PUBLIC_TOKEN', { allowKeys: ['public_token'] })).toBe(false);
    expect(keyNamesCredential('PUBLIC_TOKEN_2', { allowKeys: ['public_token'] })).toBe(true);
  });
});

describe('the quick test before splitting a key into words', () => {
  it('covers every credential term and compound term, so it never turns away a key that names one', () => {
    const hasFragment = (word: string) => TERM_FRAGMENTS.some((f) => word.includes(f));
    for (const term of CREDENTIAL_TERMS) expect(term.some(hasFragment), term.join(' ')).toBe(true);
    for (const term of COMPOUND_TERMS) expect(hasFragment(term), term).toBe(true);
    // AZURE_<anything>_KEY ends in the word `key`.
    expect(hasFragment('key')).toBe(true);
  });

  it('gives the same answers as the full test', () => {
    const keys = ['PASSWORD', 'dbPassWord2', 'AZURE_BATCH_KEY', 'x-API-Key', 'CLIENT_SECRET_FILE', 'image', 'expr', 'legendFormat', 'monkey', 'Tokenizer', 'KEYCLOAK_URL', 'pwd', 'PWD_PATH', 'CREDENTIALS', 'passthrough'];
    // An extra term that matches nothing takes the full test without the quick one.
    const full = (key: string) => keyNamesCredential(key, { extraTerms: ['zzzz'] });
    for (const key of keys) expect(keyNamesCredential(key), key).toBe(full(key));
  });

  it('remembers answers only for calls without options, so options never meet a remembered answer', () => {
    expect(keyNamesCredential('PUBLIC_TOKEN')).toBe(true);
    expect(keyNamesCredential('PUBLIC_TOKEN', { allowKeys: ['public_token'] })).toBe(false);
    expect(keyNamesCredential('PUBLIC_TOKEN', { allowKeys: [] })).toBe(true);
    expect(keyNamesCredential('VAULT_PIN')).toBe(false);
    expect(keyNamesCredential('VAULT_PIN', { extraTerms: ['pin'] })).toBe(true);
    expect(keyNamesCredential('VAULT_PIN')).toBe(false);
    const long = `${'x'.repeat(300)}_PASSWORD`;
    expect(keyNamesCredential(long)).toBe(true);
    expect(keyNamesCredential(long)).toBe(true);
  });

  it('lets extra terms through (they need not contain any of the fragments)', () => {
    expect(keyNamesCredential('VAULT_PIN')).toBe(false);
    expect(keyNamesCredential('VAULT_PIN', { extraTerms: ['pin'] })).toBe(true);
  });
});

describe('NOT_SECRET_ENDINGS and namesNonSecret', () => {
  const examples: Record<string, string> = {
    user: 'PGUSER',
    username: 'MONGODB_USERNAME',
    login: 'admin-login',
    host: 'DB_HOST',
    hostname: 'redisHostname',
    port: 'DB_PORT',
    service: 'SERVICE',
    servicename: 'service_name',
  };
  it('has an example for every ending, and each is a non-secret name', () => {
    expect(Object.keys(examples).sort()).toEqual([...NOT_SECRET_ENDINGS].sort());
    for (const name of Object.values(examples)) expect(namesNonSecret(name), name).toBe(true);
  });
  it.each(['AUTH', 'DB_PASSWORD', 'SECRET_USERNAME', 'API_TOKEN_HOST_KEY', 'BLAH', 'PW', 'userPassword'])('%s is not one', (name) => {
    expect(namesNonSecret(name)).toBe(false);
  });
  it('a configured credential word wins over the ending', () => {
    expect(namesNonSecret('VAULT_USER')).toBe(true);
    expect(namesNonSecret('VAULT_USER', { extraTerms: ['vault user'] })).toBe(false);
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
    ['marker CHANGE_ME', 'CHANGE_ME'],
    ['instruction your-token-here', 'your-token-here'],
    ['instruction your_api_key', 'your_api_key'],
    ['instruction REPLACE_ME', 'replace_me'],
    ['instruction TODO', 'TODO'],
    ['instruction CHANGE_ME_…', 'CHANGE_ME_BEFORE_DEPLOY'],
    ['xxxx', 'xxxxxxxx'],
    ['$VAR placeholder', '$VAR'],
    ['$VAR_NAME placeholder', '$DB_PASSWORD'],
    ['Bank-Vaults reference', 'vault:secret/data/db#password'],
    ['1Password reference', 'op://prod/db/password'],
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
    // A weak real default is a committed credential, in any case (`CHANGEME` joined is not the
    // instruction `CHANGE_ME`; deliberate change: `CHANGEME` was once a marker).
    ['changeme'],
    ['CHANGEME'],
    ['password'],
    ['admin'],
    // Three x's are not the filler `xxxx…`.
    ['xxx'],
    // A `$` inside or a lower-case `$word` is literal material.
    ['$ecret'],
    ['pa$$word'],
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
    // A marker word must be a whole word of the value…
    expect(isMarker('TODOLIST')).toBe(false);
    expect(isMarker('SECRET123')).toBe(false);
    // …though it may carry a number, and `PH` (placeholder) counts.
    expect(isMarker('CHANGE_ME00')).toBe(true);
    // Joined, `CHANGEME` is the weak default people deploy with, not a marker.
    expect(isMarker('CHANGEME')).toBe(false);
    expect(isMarker('CHANGEME00000000')).toBe(false);
    expect(isMarker('XXX')).toBe(false);
    expect(isMarker('XXXX')).toBe(true);
    expect(isMarker('SECRET_ACCESS_CREDS_PH')).toBe(true);
    expect(isMarker('PHONE_NUMBER')).toBe(false);
  });

  it('needs at least one placeholder, and nothing but placeholders and whitespace', () => {
    expect(isPlaceholder('${A}')).toBe(true);
    expect(isPlaceholder('  {{ .Values.x }} ')).toBe(true);
    expect(isPlaceholder('')).toBe(false);
    expect(isPlaceholder('plain')).toBe(false);
    expect(isPlaceholder('pre-${A}')).toBe(false);
  });
});

describe('echoesKey', () => {
  it.each([
    ['HF_TOKEN', 'HF_TOKEN'],
    ['GOOGLE_API_KEY', 'GOOGLE_API_KEY_VAL'],
    ['db.password', 'DB_PASSWORD'],
    ['apiKey', 'APIKEY'],
  ])('%s: %s only repeats the name', (key, value) => {
    expect(echoesKey(key, value)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['password', 'password123'],
    ['PASSWORD', 'PASSWORD123'],
    ['HF_TOKEN', 'hf_token'],
    ['HF_TOKEN', 'HF_TOKEN_2'],
    ['TOKEN', 'OTHER_TOKEN'],
    ['TOKEN', 42],
  ])('%s: %j is not an echo', (key, value) => {
    expect(echoesKey(key, value)).toBe(false);
  });
});

describe('PLACEHOLDER_SHAPES', () => {
  for (const shape of PLACEHOLDER_SHAPES) {
    it.each(shape.examples)(`${shape.name}: %s is a placeholder`, (example) => {
      expect(shape.pattern.test(example)).toBe(true);
      expect(couldBeCredential(example)).toBe(false);
    });
  }

  it.each(WEAK_DEFAULTS)('the weak default %s is no placeholder and could be a credential', (value) => {
    expect(isPlaceholderShape(value)).toBe(false);
    expect(couldBeCredential(value)).toBe(true);
  });
});

describe('REFERENCE_SHAPES', () => {
  for (const shape of REFERENCE_SHAPES) {
    it.each(shape.examples)(`${shape.tool}: %s is a reference`, (example) => {
      expect(shape.pattern.test(example)).toBe(true);
      expect(isSecretReference(example)).toBe(true);
      expect(couldBeCredential(example)).toBe(false);
    });
  }

  it.each(['vault-password', 'hunter2@example.com', 'vault:s3cret', 'op:s3cret', 'projects', 'ref+s3cret', 'arn:aws:iam::123456789012:user/app'])(
    '%s is not a reference',
    (value) => {
      expect(isSecretReference(value)).toBe(false);
    },
  );
});

describe('pass as the last word', () => {
  it.each(['RABBITMQ_DEFAULT_PASS', 'DB_PASS', 'KEY_PASS', 'pass', 'smtpPass', 'DB_PASS2'])('%s names a credential', (key) => {
    expect(keyNamesCredential(key)).toBe(true);
  });

  it.each(['PASS_THROUGH', 'bypass', 'passthrough', 'DB_PASS_FILE', 'compass', 'pass_count'])('%s does not name a credential', (key) => {
    expect(keyNamesCredential(key)).toBe(false);
  });

  it.each([...PASS_DIRECTIVE_PREFIXES])('the nginx directive %s_pass names no credential', (prefix) => {
    expect(keyNamesCredential(`${prefix}_pass`)).toBe(false);
  });
});

describe('KEY_PAIRS', () => {
  for (const pair of KEY_PAIRS) {
    it.each(pair.secretHalves)(`${pair.publicHalf} beside %s is the public half`, (secretHalf) => {
      expect([...publicHalves([`minio_${pair.publicHalf}`, `MINIO_${secretHalf.toUpperCase()}`])]).toEqual([`minio_${pair.publicHalf}`]);
      expect([...publicHalves([pair.publicHalf, secretHalf])]).toEqual([pair.publicHalf]);
    });
  }

  it('pairs only halves of the same prefix, and reads separators and case alike', () => {
    expect([...publicHalves(['MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY'])]).toEqual(['MINIO_ACCESS_KEY']);
    expect([...publicHalves(['AWS_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY'])]).toEqual(['AWS_ACCESS_KEY']);
    expect([...publicHalves(['accessKey', 'secretKey'])]).toEqual(['accessKey']);
    expect([...publicHalves(['MINIO_ACCESS_KEY', 'S3_SECRET_KEY'])]).toEqual([]);
    expect([...publicHalves(['ACCESS_KEY'])]).toEqual([]);
  });
});

describe('keyNamesCredential remembers answers per key with its digit runs as one 0', () => {
  // Keys that differ only in their digits share a remembered answer: each must equal the answer
  // computed without the memory (an allowed key that matches nothing turns it off).
  const words = ['password', 'pass', 'key', 'api', 'token', 'secret', 'file', 'azure', 'proxy', 'oauth', 'x', 'Id', 'PATH', 'Token'];
  const digits = ['', '0', '1', '12', '2024', '007'];
  const keys: string[] = [];
  for (const a of words)
    for (const b of words)
      for (const d of digits) keys.push(`${a}${d}_${b}`, `${a}_${d}${b}`, `${a}${d}${b}${d}`, `${d}${a}${b}`, `db_${a}_${d}_${b}`, `${a}${d}${b.toUpperCase()}`);
  it('gives the same answers as the test without memory', () => {
    const wrong = keys.filter((k) => keyNamesCredential(k) !== keyNamesCredential(k, { allowKeys: ['\u0000'] }));
    expect(wrong).toEqual([]);
    expect(keyNamesCredential('PASSWORD_1')).toBe(true);
    expect(keyNamesCredential('PASSWORD_1_FILE')).toBe(false);
    expect(keyNamesCredential('PASSWORD1')).toBe(true);
  });
});

describe('publicHalves looks at a key’s last letter or digit first', () => {
  it('finds public halves whatever follows them, and none where no key can end in one', () => {
    expect([...publicHalves(['MINIO_ACCESS_KEY__', 'MINIO_SECRET_KEY'])]).toEqual(['MINIO_ACCESS_KEY__']);
    expect([...publicHalves(['minio.accessKey.-', 'minio.secretKey'])]).toEqual(['minio.accessKey.-']);
    expect([...publicHalves(['minio_access_\u212Aey', 'minio_secret_key'])]).toEqual(['minio_access_\u212Aey']);
    expect([...publicHalves(['MINIO_ACCESS_KEY_1', 'MINIO_SECRET_KEY_1'])]).toEqual([]);
    expect([...publicHalves(['PASSWORD_1', 'PASSWORD_2'])]).toEqual([]);
  });
});
