/**
 * secret-in-main-container's tables: what a key or file name says about its content (public
 * material, key material, TLS material, a key pair), which volume names and mount paths name TLS,
 * and when the main container serves a port. One case per table entry.
 */
import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_PEM_WORDS,
  holdsKeyPair,
  isCredentialName,
  isKeyMaterial,
  isPublicFile,
  isTlsMaterial,
  KEY_FILES,
  namesTls,
  PUBLIC_FILES,
  SERVICE_ACCOUNT_JSON_WORDS,
  servesPort,
  TLS_WORDS,
} from '../../rules/secret-in-main-container.js';

describe('public material', () => {
  it.each([...PUBLIC_FILES.exact])('%s', (name) => {
    expect(isPublicFile(name)).toBe(true);
    expect(isCredentialName(name)).toBe(false);
  });
  it.each(PUBLIC_FILES.prefixes.map((p) => `${p}.crt`))('%s', (name) => {
    expect(isPublicFile(name)).toBe(true);
    expect(isPublicFile(`certs/${name.toUpperCase()}`)).toBe(true);
  });
  it.each(PUBLIC_FILES.suffixes.map((s) => `server${s}`))('%s', (name) => {
    expect(isPublicFile(name)).toBe(true);
    expect(isKeyMaterial(name)).toBe(false);
  });
  it.each(CERTIFICATE_PEM_WORDS.map((w) => `${w}.pem`))('%s is a certificate', (name) => {
    expect(isPublicFile(name)).toBe(true);
    expect(isKeyMaterial(name)).toBe(false);
  });
  it('id_rsa.pub is the public half', () => {
    expect(isPublicFile('id_rsa.pub')).toBe(true);
    expect(isCredentialName('id_rsa.pub')).toBe(false);
  });
});

describe('key material', () => {
  it.each([...KEY_FILES.exact])('%s', (name) => {
    expect(isKeyMaterial(name)).toBe(true);
    expect(isCredentialName(name)).toBe(true);
  });
  it.each(KEY_FILES.suffixes.map((s) => `client${s}`))('%s', (name) => {
    expect(isKeyMaterial(name)).toBe(true);
  });
  it('a .pem that names no certificate is a key (key.pem, server.pem), not ca.pem', () => {
    expect(isKeyMaterial('key.pem')).toBe(true);
    expect(isKeyMaterial('server.pem')).toBe(true);
    expect(isKeyMaterial('ca.pem')).toBe(false);
  });
  it.each(SERVICE_ACCOUNT_JSON_WORDS.map((w) => `${w.join('-')}.json`))('%s is a service-account key', (name) => {
    expect(isKeyMaterial(name)).toBe(true);
  });
  it.each(['config.json', 'settings.json', 'dashboards.json'])('%s is not', (name) => {
    expect(isKeyMaterial(name)).toBe(false);
    expect(isCredentialName(name)).toBe(false);
  });
});

describe('credential names', () => {
  it.each(['password', 'DB_PASSWORD', 'token', 'api-key', 'credentials.json', 'tls.key', 'id_ed25519'])('%s is a credential', (name) => {
    expect(isCredentialName(name)).toBe(true);
  });
  it.each(['username', 'DB_USER', 'DB_NAME', 'DB_HOST', 'database', 'url', 'ca.crt', 'known_hosts', 'region'])('%s is not', (name) => {
    expect(isCredentialName(name)).toBe(false);
  });
  it('extra credential words and allowed keys from the settings apply', () => {
    expect(isCredentialName('AUTH', { extraTerms: ['auth'] })).toBe(true);
    expect(isCredentialName('password', { allowKeys: ['password'] })).toBe(false);
  });
});

describe('TLS material and key pairs', () => {
  it.each(['tls.key', 'tls.crt', 'ca.crt', 'server.key', 'cert.pem', 'key.pem', 'ca-bundle.crt'])('%s is TLS material', (name) => {
    expect(isTlsMaterial(name)).toBe(true);
  });
  it.each(['password', 'token', 'keystore.jks', 'sa.json'])('%s is not', (name) => {
    expect(isTlsMaterial(name)).toBe(false);
  });
  it.each([
    [['tls.key', 'tls.crt'], true],
    [['server.key', 'server.crt', 'ca.crt'], true],
    [['key.pem', 'cert.pem'], true],
    [['tls.key'], false],
    [['ca.key', 'ca.crt'], false],
    [['tls.crt', 'ca.crt'], false],
    [['id_rsa', 'id_rsa.pub'], false],
  ] as const)('%j: a serving key pair = %s', (names, pair) => {
    expect(holdsKeyPair(names)).toBe(pair);
  });
});

describe('volume names and mount paths that name TLS', () => {
  it.each(TLS_WORDS)('%s', (word) => {
    expect(namesTls(word)).toBe(true);
    expect(namesTls(`/etc/app/${word}`)).toBe(true);
    expect(namesTls(`webhook-${word}`)).toBe(true);
  });
  it.each(['certificates-db', 'tlsx', 'sslkey', '/etc/app/keys', 'credentials', undefined])('%s does not', (text) => {
    expect(namesTls(text)).toBe(false);
  });
});

describe('servesPort', () => {
  it('a declared containerPort', () => {
    expect(servesPort({ ports: [{ containerPort: 8080 }] })).toBe(true);
    expect(servesPort({ ports: [{ name: 'x' }] })).toBe(false);
  });
  it.each([
    [['--port', '8443']],
    [['--port=8443']],
    [['-port=8443']],
    [['--secure-port=6443']],
    [['--https-port', '443']],
    [['server --port 8080']],
    [['--listen=:8443']],
    [['-addr=0.0.0.0:8089']],
    [['--secure-listen-address=0.0.0.0:8443']],
  ])('%j', (args) => {
    expect(servesPort({ args })).toBe(true);
  });
  it.each([[['--db-port=5432']], [['--port']], [['--port=$(PORT)']], [['--upstream=http://127.0.0.1:8080/']], [['--listen=unix:///tmp/s']]])('%j does not', (args) => {
    expect(servesPort({ args })).toBe(false);
  });
  it.each(['PORT', 'HTTP_PORT', 'HTTPS_PORT', 'GRPC_PORT', 'SERVER_PORT', 'LISTEN_PORT', 'ADMIN_LISTEN_PORT'])('env %s', (name) => {
    expect(servesPort({ env: [{ name, value: '8080' }] })).toBe(true);
  });
  it.each(['DB_PORT', 'REDIS_PORT'])('env %s is a port it reaches, not one it serves', (name) => {
    expect(servesPort({ env: [{ name, value: '5432' }] })).toBe(false);
  });
});
