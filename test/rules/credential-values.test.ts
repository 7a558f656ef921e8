/**
 * Unit tests for the value tests shared by the credential rules: credential shapes (PEM private
 * keys, tokens, URLs with a password), embedded config files, Go's base64, and Secret templates.
 */
import { describe, expect, it } from 'vitest';
import { base64Problem, decodeGoStdBase64, isGoStdBase64 } from '../../rules/support/base64.js';
import {
  CONNECTION_KEYS,
  CONNECTION_PASSWORD_KEYS,
  credentialShape,
  findCredentialShapes,
  isPasswordPlaceholder,
  lineAndColumn,
  TOKEN_PATTERNS,
  TOKEN_PREFIXES,
} from '../../rules/support/credential-values.js';
import { embeddedFormat, innerEntries, isCodeFileKey, type EmbeddedFormat } from '../../rules/support/embedded-config.js';
import { keyNamesCredential, TERM_FRAGMENTS, textMayNameCredential } from '../../rules/support/credentials.js';
import {
  commitsValue,
  isEmptyDockerConfig,
  isPlainTextInData,
  isSopsEncrypted,
  isSopsValue,
  isTemplateIdentifier,
  isTemplateValue,
  readsAsText,
  readsAsWords,
} from '../../rules/support/secret-values.js';
import { expectLinear } from '../support/growth.js';

describe('findCredentialShapes', () => {
  it.each([
    ['private-key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n'],
    ['private-key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'],
    ['private-key', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----'],
    ['private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----'],
    ['private-key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG\n-----END ENCRYPTED PRIVATE KEY-----'],
    ['private-key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----'],
    // Polaris's fixture: three dashes, and END with two spaces.
    ['private-key', '---BEGIN OPENSSH PRIVATE KEY---\nxxxxx\n---END  OPENSSH PRIVATE KEY---\n'],
    // Inside a JSON document (a service-account key file), with escaped line breaks.
    ['private-key', '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN\\n-----END PRIVATE KEY-----\\n"}'],
    ['aws-access-key-id', 'AKIAZ7QK2VX4ZLMN3P5R'],
    ['aws-access-key-id', 'aws_access_key_id=ASIAZ7QK2VX4ZLMN3P5R'],
    ['github-token', 'ghp_z8Kq3Rt5Yw7Np2Lm4Jh6Gf9Ds1Ax0Bv8Cu4Ei'],
    ['github-token', 'gho_z8Kq3Rt5Yw7Np2Lm4Jh6Gf9Ds1Ax0Bv8Cu4Ei'],
    ['github-token', 'ghs_z8Kq3Rt5Yw7Np2Lm4Jh6Gf9Ds1Ax0Bv8Cu4Ei'],
    ['github-token', 'github_pat_11ABCDEFG0z8Kq3Rt5Yw7N_p2Lm4Jh6Gf9Ds1Ax0Bv8Cu4Ei'],
    ['gitlab-token', 'glpat-z8Kq3Rt5Yw7Np2Lm4Jh6G'],
    ['slack-token', 'xoxb-1234567890-0987654321-z8Kq3Rt5Yw7Np2Lm'],
    ['slack-token', 'xoxp-1234567890-z8Kq3Rt5Yw'],
    ['stripe-live-key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['stripe-live-key', 'rk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['google-api-key', 'AIzaSyD-3kH8xQ2mN7pL4rT9vW1yZ5bC6dE8fG0'],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['url-password', 'postgres://app:s3cret@db.internal:5432/app'],
    ['url-password', 'redis://:s3cret@redis:6379/0'],
    ['url-password', 'mongodb+srv://app:s3cret@cluster0.example.net/app?retryWrites=true'],
    ['url-password', 'https://oauth2:s3cret@gitlab.example.com/group/repo.git'],
    ['url-password', 'jdbc:mysql://app:s3cret@db:3306/app'],
    // A PEM private-key block whatever its body: a template key committed in a manifest is still a key
    // there (deliberate change: these two were once skipped).
    ['private-key', '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----'],
    ['private-key', '-----BEGIN PRIVATE KEY-----\n${TLS_KEY}\n-----END PRIVATE KEY-----'],
    // Connection strings with a password pair and a second connection key on the same line.
    ['connection-string-password', 'host=db user=app password=s3cret dbname=app'],
    ['connection-string-password', "host=db port=5432 password='s3 cret'"],
    ['connection-string-password', 'jdbc:sqlserver://db:1433;user=sa;password=s3cret'],
    ['connection-string-password', 'jdbc:mysql://db:3306/app?user=root&password=s3cret'],
    ['connection-string-password', 'jdbc:postgresql://db/app?password=s3cret'],
    ['connection-string-password', 'Server=db;User Id=sa;Password=s3cret;'],
    ['connection-string-password', 'Data Source=db;Initial Catalog=app;Pwd=s3cret'],
    ['connection-string-password', 'Driver={ODBC Driver 18};Server=db;UID=sa;PWD={s3;cret}'],
    ['connection-string-password', '{"ConnectionStrings": {"Default": "Server=db;Database=app;Password=s3cret"}}'],
  ])('finds %s in %j', (kind, text) => {
    expect(findCredentialShapes(text).map((s) => s.kind)).toContain(kind);
  });

  it.each([
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'],
    ['a public key', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B\n-----END PUBLIC KEY-----'],
    ['an RSA public key', '-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----'],
    ['prose about private keys', 'Paste the PRIVATE KEY into the vault, not here.'],
    ['the AWS documentation key', 'AKIAIOSFODNN7EXAMPLE'],
    ['filler after a token prefix', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['a zeroed AWS key id', 'AKIA0000000000000000'],
    ['a token prefix alone', 'Tokens start with ghp_ or glpat-'],
    ['a short ghp_ string', 'ghp_short'],
    ['a Stripe test key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['a publishable Stripe key', 'pk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['an unsigned JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.'],
    ['a URL without a password', 'postgres://app@db.internal:5432/app'],
    ['a URL without user info', 'https://db.internal:5432/app'],
    ['a URL with a ${} password', 'postgres://app:${DB_PASSWORD}@db/app'],
    ['a URL with a $() password', 'postgres://app:$(DB_PASSWORD)@db/app'],
    ['a URL with a shell variable password', 'redis://:$REDIS_PASSWORD@redis:6379'],
    ['a URL with a masked password', 'postgres://app:****@db/app'],
    ['a URL with a stand-in password', 'postgres://user:password@localhost:5432/db'],
    ['a URL with a templated password', 'postgres://app:{{ .Values.password }}@db/app'],
    ['an e-mail address', 'mailto:ops@example.com'],
    ['a host and port', 'proxy_pass http://127.0.0.1:8090;'],
    ['an empty string', ''],
    ['a lone password line of a properties file', 'password=s3cret'],
    ['properties lines, one key each', 'host=db\nuser=app\npassword=s3cret\n'],
    ['a dotted key', 'db.host=db db.password=s3cret'],
    ['a connection string with a placeholder password', 'host=db user=app password=${DB_PASSWORD}'],
    ['a connection string with a format placeholder', 'Server=db;User Id=sa;Password={password};'],
    ['a connection string with a masked password', 'Server=db;User Id=sa;Password=****;'],
    ['a connection string with a $VAR password', 'host=db user=app password=$PGPASSWORD'],
    ['a connection string without a password', 'host=db user=app dbname=app sslmode=require'],
    ['a command-line flag', 'psql --host=db --password=s3cret'],
  ])('finds nothing in %s', (_, text) => {
    expect(findCredentialShapes(text)).toEqual([]);
  });

  it('gives the position of each match, in order', () => {
    const text = 'a: 1\nurl: postgres://app:s3cret@db/app\nkey: AKIAZ7QK2VX4ZLMN3P5R\n';
    const shapes = findCredentialShapes(text);
    expect(shapes.map((s) => s.kind)).toEqual(['url-password', 'aws-access-key-id']);
    expect(shapes.map((s) => lineAndColumn(text, s.index))).toEqual([
      { line: 1, column: 5 },
      { line: 2, column: 5 },
    ]);
    expect(text.substr(shapes[1]!.index, shapes[1]!.length)).toBe('AKIAZ7QK2VX4ZLMN3P5R');
  });

  it('returns nothing for values that are not strings', () => {
    expect(credentialShape(42)).toBeUndefined();
    expect(credentialShape(null)).toBeUndefined();
    expect(credentialShape({ key: 'AKIAZ7QK2VX4ZLMN3P5R' })).toBeUndefined();
  });

  it.each([
    ['dashes before an unfinished PEM header', (n: number) => '-'.repeat(n) + 'BEGIN ' + 'A '.repeat(n / 2)],
    ['colons in a URL without a host', (n: number) => 'a://' + ':'.repeat(n) + '@'],
    ['a long JWT-like pair', (n: number) => 'eyJ' + 'a'.repeat(n) + '.eyJ' + 'b'.repeat(n)],
  ])('takes linear time on adversarial input: %s', (_name, make) => {
    expectLinear(make, findCredentialShapes, 25_000);
  });
});

describe('TOKEN_PREFIXES (the look before the token patterns run)', () => {
  it.each(TOKEN_PATTERNS.map((t) => [t.pattern.source, t.pattern] as const))('%s starts with one of them, in the same case', (_, pattern) => {
    const alternatives = TOKEN_PREFIXES.source.split('|');
    const source = pattern.source.replace(/^\\b/, '');
    const starts = source.startsWith('(?:') ? source.slice(3, source.indexOf(')')).split('|') : [source];
    for (const start of starts) expect(alternatives.some((a) => start.startsWith(a)), start).toBe(true);
    expect(pattern.flags).not.toContain('i');
  });
});

describe('CONNECTION_KEYS', () => {
  it.each(CONNECTION_KEYS)('%s beside a password pair makes a connection string', (key) => {
    const shapes = findCredentialShapes(`${key}=x;password=s3cret`);
    expect(shapes.map((s) => s.kind)).toEqual(['connection-string-password']);
  });

  it.each(CONNECTION_PASSWORD_KEYS)('%s is a password pair', (key) => {
    expect(findCredentialShapes(`Server=db;${key}=s3cret`).map((s) => s.kind)).toEqual(['connection-string-password']);
    expect(findCredentialShapes(`${key}=s3cret`)).toEqual([]);
  });
});

describe('isPasswordPlaceholder', () => {
  it.each(['${PW}', '$(PW)', '$PW', '****', 'xxx', 'password', 'PASSWORD', 'pass', '%(password)s', '%24%7BPW%7D', '<password>'])('%s is a placeholder', (p) => {
    expect(isPasswordPlaceholder(p)).toBe(true);
  });
  it.each(['s3cret', 'guest', 'pw', 'hunter2', 'password123'])('%s is a password', (p) => {
    expect(isPasswordPlaceholder(p)).toBe(false);
  });
});

describe('lineAndColumn', () => {
  it('counts 0-based lines and columns', () => {
    expect(lineAndColumn('abc', 0)).toEqual({ line: 0, column: 0 });
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\nef', 6)).toEqual({ line: 2, column: 0 });
  });
});

describe('embeddedFormat', () => {
  it.each([
    ['application.properties', 'a=b', 'properties'],
    ['.env', 'A=b', 'env'],
    ['app.env', 'A=b', 'env'],
    ['worker.ini', '[s]\na = b\n', 'ini'],
    ['my.cnf', '[client]\npassword=x\n', 'ini'],
    ['pyproject.toml', 'a = "b"\n', 'ini'],
    ['pgbouncer.conf', 'a b\n', 'conf'],
    ['config.yaml', 'a: b\n', 'yaml'],
    ['config.YML', 'a: b\n', 'yaml'],
    ['settings.json', '{"a": 1}', 'yaml'],
    // By content: `=` lines, a YAML mapping, a JSON object.
    ['settings', 'a=b\n# comment\n[section]\nc = d\n', 'properties'],
    ['settings', 'server:\n  port: 8080\n', 'yaml'],
    ['settings', '{"a": "b"}\n', 'yaml'],
  ])('%s → %s', (key, value, format) => {
    expect(embeddedFormat(key, value)).toBe(format);
  });

  it.each([
    ['password_validation.py', 'PASSWORD = "x"\n'],
    ['init.sh', 'PASSWORD=x\n'],
    ['query.sql', 'password = 1\n'],
    ['template.j2', 'password: {{ x }}\n'],
    ['entrypoint', '#!/bin/sh\nPASSWORD=x\n'],
    ['LOG_LEVEL', 'info'],
    ['prose', 'Note: the password rotates monthly.\nAsk the on-call engineer.\n'],
    ['prose', 'Remember to rotate the token: monthly.\n'],
    ['nginx', 'server {\n  listen 80;\n}\n'],
    ['list', '- a\n- b\n'],
  ])('%s has no format', (key, value) => {
    expect(embeddedFormat(key, value)).toBeUndefined();
  });

  it('with yamlMatters, gives no format where it would be yaml and that says no (asked once, only then)', () => {
    const cases: [string, string][] = [
      ['config.yaml', 'a: b\n'],
      ['settings.json', '{"a": 1}'],
      ['settings', 'server:\n  port: 8080\n'],
      ['settings', '{"a": "b"}\n'],
      ['settings', 'a=b\n'],
      ['app.env', 'A=b'],
      ['prose', 'Note: the password rotates monthly.\nAsk the on-call engineer.\n'],
      ['init.sh', 'PASSWORD=x\n'],
      ['LOG_LEVEL', 'info'],
    ];
    for (const [key, value] of cases) {
      for (const answer of [true, false]) {
        let asked = 0;
        const format = embeddedFormat(key, value, () => (asked++, answer));
        const plain = embeddedFormat(key, value);
        expect(format, `${key} ${answer}`).toBe(plain === 'yaml' && !answer ? undefined : plain);
        expect(asked).toBeLessThanOrEqual(1);
        if (plain !== 'yaml') expect(asked === 0 || !/^(config|settings)\.(yaml|json)$/.test(key)).toBe(true);
      }
    }
  });

  it('knows program and template extensions', () => {
    expect(isCodeFileKey('password_validation.py')).toBe(true);
    expect(isCodeFileKey('rotate-token.sh')).toBe(true);
    expect(isCodeFileKey('app.properties')).toBe(false);
    expect(isCodeFileKey('tls.key')).toBe(false);
    expect(isCodeFileKey('py')).toBe(false);
  });
});

describe('innerEntries', () => {
  const brief = (entries: ReturnType<typeof innerEntries>) => entries.map((e) => `${e.path.join('.')}@${e.line}:${e.column}=${String(e.value)}`);

  it('reads .properties lines, skipping comments and continuation lines', () => {
    const text = '# c\na.b=1\n! c\nc.password = s3cret\nlong=one \\\n  two=three\nx:y\n';
    expect(brief(innerEntries('properties', text))).toEqual(['a.b@1:0=1', 'c.password@3:0=s3cret', 'long@4:0=one \\', 'x@6:0=y']);
  });

  it('reads .env lines with export, quotes and trailing comments', () => {
    const text = 'export API_TOKEN="t o k"\nA=b # note\n  B=\'c # not a comment\'\nC: not-env\n';
    expect(brief(innerEntries('env', text))).toEqual(['API_TOKEN@0:7=t o k', 'A@1:0=b', 'B@2:2=c # not a comment']);
  });

  it('reads .ini sections and .conf `key value` lines', () => {
    expect(brief(innerEntries('ini', '[db]\npassword = x ; c\nuser: app\n'))).toEqual(['password@1:0=x', 'user@2:0=app']);
    expect(brief(innerEntries('conf', 'admin_password s3cret\nserver 127.0.0.1:6432;\nkey = value\n'))).toEqual([
      'admin_password@0:0=s3cret',
      'server@1:0=127.0.0.1:6432',
      'key@2:0=value',
    ]);
  });

  it('reads YAML and JSON with key paths and exact positions, without resolving aliases', () => {
    const yaml = 'db:\n  password: x\n  list:\n    - token: t\nanchors:\n  a: &a {k: v}\n  b: *a\n';
    expect(brief(innerEntries('yaml', yaml))).toEqual(['db.password@1:2=x', 'db.list.token@3:6=t', 'anchors.a.k@5:9=v']);
    expect(brief(innerEntries('yaml', '{"a": {"apiKey": "k"}, "n": 1}'))).toEqual(['a.apiKey@0:7=k', 'n@0:23=1']);
  });

  it('falls back to `key: value` lines for YAML that does not parse', () => {
    const templated = '{{- if .Values.db }}\ndb:\n  password: {{ .Values.db.password }}\n  user: app\n  - token: abc\n{{- end }}\n';
    expect(brief(innerEntries('yaml', templated))).toEqual(['password@2:2={{ .Values.db.password }}', 'user@3:2=app', 'token@4:4=abc']);
  });

  it('survives hostile input', () => {
    expect(innerEntries('yaml', '[[[[[[[[[[')).toEqual([]);
    expect(innerEntries('yaml', 'a: &a [*a]\n').length).toBeLessThan(5);
    const deep = 'a:\n' + Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' v\n';
    expect(() => innerEntries('yaml', deep)).not.toThrow();
  });
});

describe('textMayNameCredential (the look before an embedded file is read)', () => {
  const FORMATS: readonly EmbeddedFormat[] = ['properties', 'env', 'ini', 'conf', 'yaml'];
  /** Whether any entry of any reading has a key (or parent.key) that names a credential. */
  const anyKeyNames = (text: string) =>
    FORMATS.some((format) =>
      innerEntries(format, text).some(
        (e) => keyNamesCredential(e.key) || (e.path.length >= 2 && keyNamesCredential(`${e.path[e.path.length - 2]}.${e.key}`)),
      ),
    );

  it.each([
    ['a YAML key', 'db:\n  password: x\n'],
    ['a JSON key', '{"auth": {"apiKey": "k"}}'],
    ['a parent of a generic key', 'ssh:\n  key: abc\n'],
    ['a .properties key', 'db.PASS=s3cret\n'],
    ['a .conf key', 'admin_password s3cret\n'],
    ['upper case', 'DB_TOKEN=x\n'],
    ['a double-quoted escape that writes a letter', '"\\x70assword": abc\n'],
    ['a JSON escape that writes a letter', '{"\\u0070assword": "abc"}'],
    ['a long escape that writes a letter', '"\\U00000070assword": abc\n'],
    ['an escaped line break inside a key', '? "pa\\\n  ssword"\n: abc\n'],
  ])('says yes for %s', (_, text) => {
    expect(anyKeyNames(text)).toBe(true);
    expect(textMayNameCredential(text)).toBe(true);
  });

  it('reads the text in lower case as a key is read (a Kelvin sign lower-cases to k)', () => {
    expect(textMayNameCredential('api\u212Aey: abc\n')).toBe(true);
  });

  it.each([
    ['plain config', 'server:\n  port: 8080\n  host: example.com\n'],
    ['folded plain keys', '? pa\n  ss\n: abc\nx: {to\n  ken: 1}\n'],
    ['a key of pieces on lines', 'pa\nss: 1\nto\nken: 2\n'],
    ['number keys', '1e3: a\n0x1F: b\n.inf: c\n.nan: d\n'],
    ['flow sequence keys', '? [pa, ss]\n: x\n'],
    ['a YAML 1.1 document', '%YAML 1.1\n---\n2001-12-14: a\n0b101: b\n'],
    ['a tagged key', '!!str sec: a\n!custom ret: b\n'],
    ['a properties file', 'a.b=1\nc.d=2\n'],
    ['JSON with escapes that write no letter', '{"expr": "sum(x{a=\\"b\\"})", "ke\\"y": "v", "pa\\tss": "w", "to\\/ken": 1, "se\\\\cret": 2}'],
    ['YAML with escapes that write no letter', '"ke\\ y": a\n"pa\\_ss": b\n"to\\Nken": c\n'],
  ])('says no for %s, and no reading finds a credential key in it', (_, text) => {
    expect(textMayNameCredential(text)).toBe(false);
    expect(anyKeyNames(text)).toBe(false);
  });

  it('finds a fragment exactly where the lower-cased text holds one (checked without lower-casing it), for any character', () => {
    const reference = (text: string) => TERM_FRAGMENTS.some((f) => text.toLowerCase().includes(f));
    const codes = [
      ...Array.from({ length: 0x3000 }, (_, i) => i),
      0x130, 0x131, 0x17f, 0x1e9e, 0x212a, 0x212b, 0xd800, 0xdc00, 0xff21, 0xff4b, 0xfb05, 0xfb06, 0x1d400, 0x10400, 0x10428,
    ];
    const wrong: string[] = [];
    for (const code of codes) {
      const c = String.fromCodePoint(code);
      if (c === '\\') continue; // an escape: textMayNameCredential says yes for its own reason
      // Each letter of each fragment replaced by the character, and the character beside the fragment.
      const texts = TERM_FRAGMENTS.flatMap((f) => [...f].map((_, i) => f.slice(0, i) + c + f.slice(i + 1)).concat(c + f.toUpperCase(), f + c));
      texts.push(texts.join(' '));
      for (const text of texts) if (textMayNameCredential(text) !== reference(text)) wrong.push(`${code.toString(16)}: ${text}`);
    }
    expect(wrong).toEqual([]);
  });

  it('says yes whenever there are extra terms (they need not contain a fragment)', () => {
    expect(textMayNameCredential('pin: 1234\n', { extraTerms: ['pin'] })).toBe(true);
  });
});

describe('Go standard base64', () => {
  it.each(['', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9v\nYmFy', 'Zm9v\r\nYmFy\n', 'Zm9vYR==', '++//'])('%j is valid', (text) => {
    expect(isGoStdBase64(text)).toBe(true);
    expect(base64Problem(text)).toBeUndefined();
  });

  it.each([
    ['Zm9v YmFy', 'whitespace'],
    ['Zm9v\tYmFy', 'whitespace'],
    ['Zm9vYmF-_w==', 'url-alphabet'],
    ['Zm9vYmE', 'padding'],
    ['Zm9vYg', 'padding'],
    ['Zm9vY===', 'padding'],
    ['Zm=vYmFy', 'padding'],
    ['Zm9vYg==Zm9v', 'padding'],
    ['=', 'padding'],
    ['hunter2!', 'character'],
    ['Zm9v.YmFy', 'character'],
  ])('%j is invalid (%s)', (text, problem) => {
    expect(isGoStdBase64(text)).toBe(false);
    expect(base64Problem(text)).toBe(problem);
  });

  it('decodes valid base64 to UTF-8 text', () => {
    expect(decodeGoStdBase64('JHtEQl9QQVNTV09SRH0=')).toBe('${DB_PASSWORD}');
    expect(decodeGoStdBase64('w6k=')).toBe('é');
    expect(decodeGoStdBase64('Zm9v\nYmFy')).toBe('foobar');
    expect(decodeGoStdBase64('not base64')).toBeUndefined();
  });
});

describe('Secret templates', () => {
  it('recognises upper-case template identifiers', () => {
    expect(isTemplateIdentifier('SECRET_ACCESS_CREDS_PH')).toBe(true);
    expect(isTemplateIdentifier('REPLACE_WITH_BASE64_CERT')).toBe(true);
    expect(isTemplateIdentifier('ZM9V')).toBe(false);
    expect(isTemplateIdentifier('Zm9v_YmFy')).toBe(false);
  });

  it('treats identifiers as templates only in data, where `_` cannot be base64', () => {
    expect(isTemplateValue('DB_PASSWORD_VALUE', 'data')).toBe(true);
    expect(isTemplateValue('DB_PASSWORD_VALUE', 'stringData')).toBe(false);
    expect(isTemplateValue('${X}', 'stringData')).toBe(true);
  });

  it.each<[unknown, 'data' | 'stringData', boolean]>([
    ['aHVudGVyMg==', 'data', true],
    ['hunter2', 'stringData', true],
    [1234, 'stringData', true],
    ['', 'data', false],
    [null, 'data', false],
    ['JHtEQl9QQVNTV09SRH0=', 'data', false], // base64 of ${DB_PASSWORD}
    ['ICAg', 'data', false], // base64 of three spaces
    ['REPLACE_WITH_BASE64_CERT', 'data', false],
    ['{{ .Values.x | b64enc }}', 'data', false],
    ['<your-token>', 'stringData', false],
  ])('%j in %s commits a value: %s', (value, field, commits) => {
    expect(commitsValue(value, field)).toBe(commits);
  });
});

describe('SOPS and empty docker configs', () => {
  it('knows a SOPS-encrypted manifest by its sops map with a mac', () => {
    expect(isSopsEncrypted({ sops: { mac: 'ENC[AES256_GCM,data:x]', version: '3.8.1' } })).toBe(true);
    expect(isSopsEncrypted({ sops: { version: '3.8.1' } })).toBe(false);
    expect(isSopsEncrypted({ sops: 'yes' })).toBe(false);
    expect(isSopsEncrypted({})).toBe(false);
    expect(isSopsValue('ENC[AES256_GCM,data:Q0FO,iv:a,tag:b,type:str]')).toBe(true);
    expect(commitsValue('ENC[AES256_GCM,data:Q0FO,iv:a,tag:b,type:str]', 'stringData')).toBe(false);
  });

  it('knows an empty docker config, in data and stringData', () => {
    expect(isEmptyDockerConfig('.dockerconfigjson', btoa('{"auths":{}}'), 'data')).toBe(true);
    expect(isEmptyDockerConfig('.dockerconfigjson', '{"auths": {}}', 'stringData')).toBe(true);
    expect(isEmptyDockerConfig('.dockercfg', btoa('{}'), 'data')).toBe(true);
    expect(isEmptyDockerConfig('.dockerconfigjson', btoa('{"auths":{"r.io":{"auth":"x"}}}'), 'data')).toBe(false);
    expect(isEmptyDockerConfig('.dockerconfigjson', btoa('{"auths":{},"credHelpers":{"r":"x"}}'), 'data')).toBe(false);
    expect(isEmptyDockerConfig('config.json', btoa('{"auths":{}}'), 'data')).toBe(false);
    expect(isEmptyDockerConfig('.dockerconfigjson', 'not base64!', 'data')).toBe(false);
  });
});

describe('plain text under data', () => {
  it.each(['password', 'Password', 'root', 'PASSWORD', 'changeMe', 'ChangeMe', 'passw0rd', 'hunter2024', 'rootPassword'])('%s reads as words', (v) => {
    expect(readsAsWords(v)).toBe(true);
  });

  it.each(['cGFzc3dvcmQ=', 'Q0FOQVJZLTI=', '/u3+7QAAAAIAAAAB', 'MIIEvQIBADANBgkq', 'dGVzdA', 'abc', 'aGVsbG8gd29ybGQ='])('%s does not read as words', (v) => {
    expect(readsAsWords(v)).toBe(false);
  });

  it('reads phrases of words as text', () => {
    expect(readsAsText('my password')).toBe(true);
    expect(readsAsText('admin')).toBe(true);
    expect(readsAsText('Q0FO QVJZ')).toBe(false);
  });

  it('reports only valid base64 that decodes to bytes that are not UTF-8', () => {
    expect(isPlainTextInData('password')).toBe(true);
    expect(isPlainTextInData('root')).toBe(true);
    // Not valid base64: secret-invalid-base64's case.
    expect(isPlainTextInData('admin')).toBe(false);
    // Valid base64 that decodes to text.
    expect(isPlainTextInData('cGFzc3dvcmQ=')).toBe(false);
    // Binary, but the literal does not read as a word.
    expect(isPlainTextInData('/u3+7QAAAAIAAAAB')).toBe(false);
  });
});
