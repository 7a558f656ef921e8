import { containerEndpoints } from '../src/model/endpoints.js';
import { defineRule, type NoOptions, NO_OPTIONS } from '../src/rule.js';
import { asMap, type PlainMap, isCoreObject } from '../src/model/objects.js';
import { podGraph, type PodGraph } from '../src/model/pod-graph.js';
import { secretUses, volumesOf, type SecretSource, type SecretUse } from '../src/model/secrets.js';
import { mainGuessNote, type Workload } from '../src/model/workloads.js';
import type { Path } from '../src/types.js';
import { keyNamesCredential, splitWords, type KeyTestOptions } from './support/credentials.js';
import { namespaceOf } from './support/selectors.js';

// ---------------------------------------------------------------------------------------------
// What a file name says about its content. Tables, one place; each entry has a case in
// test/rules/secret-in-main-container.test.ts.

/** Public material by file name (lower case): certificates, CA bundles, public keys. */
export const PUBLIC_FILES = {
  exact: ['ca.crt', 'ca.pem', 'tls.crt'],
  prefixes: ['ca-bundle'],
  suffixes: ['.pub', '.crt', '.cert'],
} as const;

/** Words that make a `.pem` file a certificate rather than a private key (`cert.pem`, `fullchain.pem`). */
export const CERTIFICATE_PEM_WORDS: readonly string[] = ['cert', 'crt', 'certificate', 'chain', 'fullchain', 'ca', 'bundle', 'pub', 'public'];

/** Private key material by file name (lower case): key files, keystores, SSH identities. */
export const KEY_FILES = {
  exact: ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'],
  suffixes: ['.key', '.pem', '.p12', '.pfx', '.jks'],
} as const;

/** Words that make a `*.json` file a service-account key (`key.json`, `sa.json`, `service-account.json`). */
export const SERVICE_ACCOUNT_JSON_WORDS: readonly (readonly string[])[] = [['key'], ['sa'], ['serviceaccount'], ['service', 'account']];

/** Words that name TLS in a volume name or mount path (`tls`, `/etc/ssl/private`, `webhook-certs`). */
export const TLS_WORDS: readonly string[] = ['tls', 'ssl', 'cert', 'certs'];

/** Secret types whose content is the serving identity of the container that mounts it. */
const TLS_SECRET_TYPES: readonly string[] = ['kubernetes.io/tls'];

/** The last segment of a path, lower case. */
function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1).toLowerCase();
}

function hasWords(words: readonly string[], term: readonly string[]): boolean {
  for (let i = 0; i + term.length <= words.length; i++) if (term.every((t, j) => words[i + j] === t)) return true;
  return false;
}

/** A certificate `.pem`: its name holds a certificate word (`ca.pem`, `server-cert.pem`, `fullchain.pem`). */
function isCertificatePem(name: string): boolean {
  return name.endsWith('.pem') && splitWords(name.slice(0, -4)).some((w) => CERTIFICATE_PEM_WORDS.includes(w));
}

/** Public material: a certificate, CA bundle or public key (`ca.crt`, `tls.crt`, `id_rsa.pub`, `ca-bundle.pem`, `cert.pem`). */
export function isPublicFile(fileName: string): boolean {
  const name = baseName(fileName);
  return (
    PUBLIC_FILES.exact.some((e) => e === name) ||
    PUBLIC_FILES.prefixes.some((p) => name.startsWith(p)) ||
    PUBLIC_FILES.suffixes.some((s) => name.endsWith(s)) ||
    isCertificatePem(name)
  );
}

/** Private key material: `*.key`, a `*.pem` that is not a certificate, `*.p12`, `*.pfx`, `*.jks`, `id_rsa`, a service-account `*.json` key. */
export function isKeyMaterial(fileName: string): boolean {
  const name = baseName(fileName);
  if (isPublicFile(name)) return false;
  if (KEY_FILES.exact.some((e) => e === name) || KEY_FILES.suffixes.some((s) => name.endsWith(s))) return true;
  if (!name.endsWith('.json')) return false;
  const words = splitWords(name.slice(0, -5));
  return SERVICE_ACCOUNT_JSON_WORDS.some((term) => hasWords(words, term));
}

/** A key or file name that is a credential: not public material, and it passes the credential word test or is key material. */
export function isCredentialName(name: string, words: KeyTestOptions = {}): boolean {
  if (isPublicFile(name)) return false;
  return keyNamesCredential(name, words) || isKeyMaterial(name);
}

/** TLS material: a certificate, CA bundle or public key, or a `*.key` / `*.pem` file. */
export function isTlsMaterial(fileName: string): boolean {
  const name = baseName(fileName);
  return isPublicFile(name) || name.endsWith('.key') || name.endsWith('.pem');
}

/** A CA certificate or bundle (`ca.crt`, `ca.pem`, `ca-bundle.crt`, `ca-cert.pem`): trust, not identity. */
function isCaFile(name: string): boolean {
  const words = splitWords(name.replace(/\.[a-z0-9]+$/, ''));
  return words[0] === 'ca' || words.includes('bundle');
}

/**
 * A serving key pair: a private key (`tls.key`, `server.key`, `key.pem`) and a certificate that is not
 * a CA's (`tls.crt`, `server.crt`, `cert.pem`), among the given file names.
 */
export function holdsKeyPair(fileNames: readonly string[]): boolean {
  const names = fileNames.map(baseName);
  const key = names.some((n) => (n.endsWith('.key') || n.endsWith('.pem')) && !isPublicFile(n));
  const certificate = names.some((n) => isPublicFile(n) && !n.endsWith('.pub') && !isCaFile(n));
  return key && certificate;
}

/** Whether a volume name or mount path names TLS (`tls`, `ssl`, `cert`, `certs` as a word). */
export function namesTls(text: string | undefined): boolean {
  return text !== undefined && splitWords(text).some((w) => TLS_WORDS.includes(w));
}

// ---------------------------------------------------------------------------------------------
// Does the main container serve a port?

/**
 * Whether a container serves a port: it declares a `containerPort`, or its command, args or env set
 * a listening port. The one served-port reading of the model (src/model/endpoints.ts), which
 * `uncoupled-containers` reads too, so both rules agree on what a container serves.
 */
export function servesPort(spec: PlainMap): boolean {
  return containerEndpoints(spec).serves.length > 0;
}

// ---------------------------------------------------------------------------------------------
// The decision: is what reaches the main container a credential that a sidecar could hold instead?

/** What the linted set says about a Secret: whether it is a TLS Secret, and its keys (null: unknown). */
interface SecretInfo {
  tls: boolean;
  keys: string[] | null;
}

/** The linted set's Secrets by name (undefined: not among the linted files). */
type Lookup = (name: string) => SecretInfo | undefined;

/** A use whose verdict depends on the Secret's keys or type in the linted set. */
interface PendingUse {
  path: Path;
  secret: string;
  how: string;
  via: 'envFrom' | 'volume';
  sources: SecretSource[];
  /** The volume's name or mount path names TLS. */
  tlsNamed?: true;
}

/** true: a credential; false: not one; 'ask': depends on the linted set. */
type Verdict = boolean | 'ask';

interface Judge {
  /** The main container serves a port (so a TLS key pair it mounts is its own serving identity). */
  serves: boolean;
  words: KeyTestOptions;
}

function itemIsCredential(item: { key: string; path?: string }, words: KeyTestOptions): boolean {
  const names = item.path === undefined ? [item.key] : [item.key, baseName(item.path)];
  if (names.some((n) => isPublicFile(n))) return false;
  return names.some((n) => isCredentialName(n, words));
}

function sourceVerdict(source: SecretSource, use: PendingUse, judge: Judge, lookup: Lookup | undefined): Verdict {
  const identityCheck = use.via === 'volume' && judge.serves;
  if (source.items) {
    if (!source.items.some((item) => itemIsCredential(item, judge.words))) return false;
    if (identityCheck) {
      const names = source.items.flatMap((i) => (i.path === undefined ? [i.key] : [i.key, i.path]));
      const onlyTls = names.every(isTlsMaterial);
      if (onlyTls && (holdsKeyPair(names) || use.tlsNamed)) return false;
      if (!lookup) return 'ask';
      if (lookup(source.name)?.tls) return false;
    }
    return true;
  }
  if (!lookup) return 'ask';
  const info = source.name === '?' ? undefined : lookup(source.name);
  // A Secret with no keys in the manifests is filled elsewhere (an operator, cert-manager): unknown.
  const keys = info?.keys && info.keys.length > 0 ? info.keys : null;
  if (identityCheck) {
    if (info?.tls) return false;
    const onlyTls = keys !== null && keys.every(isTlsMaterial);
    if (use.tlsNamed && (keys === null || onlyTls)) return false;
    if (onlyTls && holdsKeyPair(keys)) return false;
  }
  return keys === null ? true : keys.some((k) => isCredentialName(k, judge.words));
}

function verdict(use: PendingUse, judge: Judge, lookup: Lookup | undefined): Verdict {
  let ask = false;
  for (const source of use.sources) {
    const v = sourceVerdict(source, use, judge, lookup);
    if (v === true) return true;
    if (v === 'ask') ask = true;
  }
  return ask ? 'ask' : false;
}

/** The sources a mount shows: with a `subPath`, only the key it names. */
function mountedSources(use: SecretUse): SecretSource[] {
  const sources = use.sources ?? [];
  if (use.subPath === undefined) return sources;
  const first = use.subPath.split('/')[0]!;
  return sources.map((s) => {
    if (!s.items) return { name: s.name, items: [{ key: first }] };
    const items = s.items.filter((i) => (i.path ?? i.key).split('/')[0] === first);
    return items.length > 0 ? { name: s.name, items } : s;
  });
}

function how(use: SecretUse): string {
  if (use.via === 'env') return `env var "${use.entry}" (secretKeyRef)`;
  if (use.via === 'envFrom') return `${use.entry} (secretRef)`;
  return `volume "${use.entry}"`;
}

/** A sidecar that could hold the Secret instead: any sidecar or native sidecar that is not a CSI helper. */
function hasServingSidecar(workload: Workload): boolean {
  return workload.longRunning.some((c) => c.role !== 'main' && c.helper?.kind !== 'csi');
}

// ---------------------------------------------------------------------------------------------
// Facts for the cross-resource check.

/** A Secret of the linted set: whether it is a TLS Secret, and its keys (null when not a map). */
interface SecretFact {
  t: 'secret';
  namespace: string;
  name: string;
  tls?: true;
  keys: string[] | null;
}

/** The uses of one main container whose verdict needs the linted set's Secrets. */
interface PodFact {
  t: 'pod';
  namespace: string;
  container: string;
  guess: string;
  serves: boolean;
  uses: PendingUse[];
  pod: PodGraph;
}

type Fact = SecretFact | PodFact;

function keysOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  const map = asMap(value);
  return map ? Object.keys(map) : null;
}

function secretFact(value: PlainMap, name: string, namespace: string): SecretFact {
  const data = keysOf(value.data);
  const stringData = keysOf(value.stringData);
  let keys = data === null || stringData === null ? null : [...new Set([...data, ...stringData])];
  // The token controller fills a service-account-token Secret with its token.
  if (keys && value.type === 'kubernetes.io/service-account-token') keys = [...new Set([...keys, 'token'])];
  const fact: SecretFact = { t: 'secret', namespace, name, keys };
  if (typeof value.type === 'string' && TLS_SECRET_TYPES.includes(value.type)) fact.tls = true;
  return fact;
}

function identity(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

export default defineRule<'secret', NoOptions, Fact>({
  meta: {
    id: 'secret-in-main-container',
    description:
      'The main container of a pod with a sidecar receives a credential from a Secret (not public material, not its own TLS serving identity); mount it into a sidecar instead.',
    defaultSeverity: 'warning',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 5.0,
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      secret: {
        message: 'Main container "{{container}}"{{guess}} gets Secret "{{secret}}".',
        hint: 'It arrives through {{how}}, and "{{container}}" is the main container of a pod with sidecars. Mount the Secret into a sidecar that serves what the app needs over localhost, so a compromised app container cannot read it.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const { object } = ctx;
    const namespace = namespaceOf(object, ctx.settings.namespace);
    if (isCoreObject(object, 'Secret') && object.ref.name !== null) {
      ctx.defer(secretFact(object.value, object.ref.name, namespace));
      return;
    }
    const workload = ctx.workload;
    if (!workload || !workload.main || !hasServingSidecar(workload)) return;
    const main = workload.main;
    const judge: Judge = { serves: servesPort(main.spec), words: { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys } };
    const guess = mainGuessNote(workload);
    const pending: PendingUse[] = [];
    let pod: PodGraph | undefined;
    for (const use of secretUses(workload, main, volumesOf(workload))) {
      let credential: Verdict;
      if (use.via === 'env') {
        credential = keyNamesCredential(use.entry, judge.words) || (use.key !== undefined && isCredentialName(use.key, judge.words));
      } else if (use.csi) {
        credential = true;
      } else {
        const p: PendingUse = {
          path: use.path,
          secret: use.secret,
          how: how(use),
          via: use.via,
          sources: use.via === 'envFrom' ? [{ name: use.secret }] : mountedSources(use),
        };
        if (use.via === 'volume' && (namesTls(use.entry) || namesTls(use.mountPath))) p.tlsNamed = true;
        credential = verdict(p, judge, undefined);
        if (credential === 'ask') pending.push(p);
      }
      if (credential !== true) continue;
      pod ??= podGraph(workload);
      ctx.report({ messageId: 'secret', path: use.path, container: main, data: { container: main.name, guess, secret: use.secret, how: how(use) }, pod });
    }
    if (pending.length > 0) {
      pod ??= podGraph(workload);
      ctx.defer({ t: 'pod', namespace, container: main.name, guess, serves: judge.serves, uses: pending, pod } satisfies PodFact);
    }
  },
  crossCheck(all, ctx) {
    // Every definition of a Secret counts: a TLS Secret in any; keys of all (unknown when one is unknown).
    // Keys gathered in a set while definitions are merged (a Secret defined in many files is not
    // copied again for each), then kept as a list.
    const merged = new Map<string, { tls: boolean; keys: Set<string> | null }>();
    for (const { fact } of all) {
      if (fact.t !== 'secret') continue;
      const id = identity(fact.namespace, fact.name);
      const known = merged.get(id);
      if (!known) {
        merged.set(id, { tls: fact.tls === true, keys: fact.keys === null ? null : new Set(fact.keys) });
        continue;
      }
      known.tls ||= fact.tls === true;
      if (fact.keys === null) known.keys = null;
      else if (known.keys !== null) for (const k of fact.keys) known.keys.add(k);
    }
    const secrets = new Map<string, SecretInfo>();
    for (const [id, { tls, keys }] of merged) secrets.set(id, { tls, keys: keys === null ? null : [...keys] });
    const words: KeyTestOptions = { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys };
    for (const { fact, origin } of all) {
      if (fact.t !== 'pod') continue;
      const lookup: Lookup = (name) => secrets.get(identity(fact.namespace, name));
      const judge: Judge = { serves: fact.serves, words };
      for (const use of fact.uses) {
        if (verdict(use, judge, lookup) !== true) continue;
        ctx.report({
          origin,
          messageId: 'secret',
          path: use.path,
          container: fact.container,
          data: { container: fact.container, guess: fact.guess, secret: use.secret, how: use.how },
          pod: fact.pod,
        });
      }
    }
  },
});
