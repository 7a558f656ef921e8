/**
 * Which ports a container serves and which loopback addresses it reaches, read from its declared
 * `ports`, its `command` and `args`, and its environment (literal `env` values, and the values of
 * ConfigMaps it reads, summarised by `valueEvidence`). One extraction, read by the pod picture
 * (`podGraph`) and by `uncoupled-containers`, so that the picture and the rule agree.
 *
 * Values never leave this module: a value is reduced to what it says about loopback endpoints (a
 * loopback host, a port number, loopback addresses as host and port).
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { asArray, asMap, type PlainMap } from './objects.js';
import { declaredPortsOf, type DeclaredPort } from './workloads.js';

/** A loopback address: `localhost`, `127.0.0.1` or `[::1]`, with its port when one is given. */
export interface Address {
  host: string;
  port?: number;
}

/** A loopback address a container reaches, with the name it was given under (`redis` for `REDIS_HOST`). */
export interface Reach extends Address {
  /** Lower-case words of the variable or flag name before its host/address suffix, when there are any. */
  hint?: string;
  /** A probe's port: couples only to a container that serves it (a probe of one's own undeclared port is common). */
  probe?: true;
}

/** What one value says about loopback endpoints, without the value. */
export interface ValueEvidence {
  /** The value is a loopback host alone (`localhost`, `127.0.0.1`, `::1`, `[::1]`): that host, lower case. */
  lh?: string;
  /** The value is a port number alone (0 to 65535). */
  port?: number;
  /** The value is a listen address (`:8080`, `0.0.0.0:8080`, `127.0.0.1:8080`, `tcp://[::]:8080`): its port. */
  listen?: number;
  /** Loopback addresses with a port, or in a URL, that the value holds. */
  addrs?: Address[];
}

/** An environment variable of a container, by name, with what its value says. */
export interface EnvEvidence {
  name: string;
  ev: ValueEvidence;
}

/** What a container serves and reaches. */
export interface Endpoints {
  /** Ports it listens on: declared `containerPort`s and ports its flags or environment set. */
  serves: number[];
  /** It declares or sets a port (possibly 0, no TCP): its ports are known. */
  known: boolean;
  /** Loopback addresses it reaches (never one whose port it serves itself: that is its own bind address). */
  reaches: Reach[];
}

/** A loopback host, with the port after it when there is one. */
const LOOPBACK_AT = /(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?/gi;
/** What stands right before a host in a URL: `scheme://` and maybe user info (read on a bounded slice). */
const URL_BEFORE = /(?:^|[^A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^\s/@]*@)?$/;
/** How far before a host the scheme of its URL is looked for. */
const URL_LOOKBEHIND = 128;
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|::1|\[::1\])$/i;
/** Ports a URL scheme implies when the URL gives none. */
const SCHEME_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

function portOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

function servable(port: number | undefined): port is number {
  return port !== undefined && port > 0;
}

function normalHost(host: string): string {
  const h = host.toLowerCase();
  return h === '::1' ? '[::1]' : h;
}

/**
 * The loopback addresses in a text (with a port, or in a URL), host and port only, without repeats.
 * Linear in the text: each loopback host found is checked against a bounded slice before it.
 */
export function loopbackAddresses(text: string): Address[] {
  const out: Address[] = [];
  const add = (host: string, port: number | undefined) => {
    const h = normalHost(host);
    if (!out.some((a) => a.host === h && a.port === port)) out.push(port === undefined ? { host: h } : { host: h, port });
  };
  for (const m of text.matchAll(LOOPBACK_AT)) {
    const start = m.index;
    const end = start + m[0].length;
    const next = text[end] ?? '';
    // `localhost.example.com`, `127.0.0.10`, `localhost:80800`: not a loopback address.
    if (m[2] === undefined ? /[A-Za-z0-9.-]/.test(next) : /[0-9]/.test(next)) continue;
    const url = URL_BEFORE.exec(text.slice(Math.max(0, start - URL_LOOKBEHIND), start));
    if (url) {
      if (m[2] === undefined && next === ':') continue; // `localhost:abc`
      add(m[1]!, m[2] === undefined ? SCHEME_PORTS[url[1]!.toLowerCase()] : portOf(m[2]));
      continue;
    }
    if (m[2] === undefined || /[A-Za-z0-9.-]/.test(text[start - 1] ?? '')) continue;
    add(m[1]!, portOf(m[2]));
  }
  // A URL without a port and the same host with one: keep the one with the port.
  return out.filter((a) => a.port !== undefined || !out.some((b) => b.host === a.host && b.port !== undefined));
}

/** A listen address (`:8080`, `0.0.0.0:8080`, `[::]:8080`, `tcp://127.0.0.1:8080`): its port. */
function listenPort(value: string): number | undefined {
  if (value.length > 300) return undefined;
  const m = /^(?:[a-z]+:\/\/)?(?:\[[0-9a-f:]*\]|[A-Za-z0-9_.-]*):(\d{1,5})\/?$/i.exec(value.trim());
  return m ? portOf(m[1]) : undefined;
}

/** What a value says about loopback endpoints, or undefined when it says nothing. */
export function valueEvidence(value: string): ValueEvidence | undefined {
  return maySayLoopback(value) ? readEvidence(value) : undefined;
}

/**
 * Whether a value may say something about loopback endpoints (see `readEvidence`): it holds a colon
 * (`::1`, `[::1]`, a listen address, a port after a host), a loopback host (`localhost` in any case,
 * `127.0.0.1`), or is digits alone (a port). Any other value says nothing: most values (200,000 of
 * them in one ConfigMap at times) are answered without the regular expressions below.
 */
export function maySayLoopback(value: string): boolean {
  return value.includes(':') || value.includes('127.0.0.1') || LOCALHOST.test(value) || DIGITS_ALONE.test(value);
}

const LOCALHOST = /localhost/i;
/** Digits alone, around them what `trim` removes (`\s` is the same set). */
const DIGITS_ALONE = /^\s*\d+\s*$/;

/** What a value says about loopback endpoints (`valueEvidence` without its quick look). */
export function readEvidence(value: string): ValueEvidence | undefined {
  const ev: ValueEvidence = {};
  const v = value.trim();
  if (LOOPBACK_HOST.test(v)) ev.lh = normalHost(v);
  const port = portOf(v);
  if (port !== undefined) ev.port = port;
  const listen = listenPort(v);
  if (listen !== undefined) ev.listen = listen;
  const addrs = loopbackAddresses(value);
  if (addrs.length > 0) ev.addrs = addrs;
  return Object.keys(ev).length > 0 ? ev : undefined;
}

/** Suffixes of a variable (`DB_HOST`) or flag (`--db-host`) name whose loopback value is an address the container reaches. */
const REACH_SUFFIXES: readonly string[] = ['host', 'hostname', 'addr', 'address', 'server', 'endpoint', 'url', 'uri'];
/** Variables that set the port a container listens on (besides `*_LISTEN_PORT`). */
export const SERVE_PORT_VARS: readonly string[] = ['port', 'http_port', 'https_port', 'grpc_port', 'server_port', 'metrics_port', 'listen_port', 'admin_port'];
/** Suffixes of variables that set a listening port (`GF_SERVER_HTTP_PORT`, `APP_LISTEN_PORT`). */
const SERVE_PORT_VAR_SUFFIXES: readonly string[] = ['_listen_port', '_http_port', '_grpc_port', '_metrics_port'];
/** Flags that set the port a container listens on (names without dashes, `.` and `_` read as `-`). */
export const SERVE_PORT_FLAGS: readonly string[] = [
  'port',
  'p',
  'http-port',
  'https-port',
  'grpc-port',
  'metrics-port',
  'listen-port',
  'server-port',
  'secure-port',
  'web-port',
  'admin-port',
  'health-port',
];

/** A name that binds or listens (`BIND_ADDRESS`, `LISTEN`, `--listen-address`, `--metrics-bind-address`): never a reach. */
function bindsOrListens(words: readonly string[]): boolean {
  return words.includes('listen') || words.includes('bind') || /^(?:bind|listen)/.test(words[0] ?? '');
}

/** `--web.listen-address`, `--address`, `--http-address`, `--metrics-bind-address`: a flag whose `host:port` value is served. */
function isServeAddressFlag(name: string): boolean {
  const w = name.split('-');
  if (bindsOrListens(w)) return true;
  return /^(?:(?:http|https|grpc|metrics|web|admin|secure|health|probe)-)*(?:address|addr)$/.test(name);
}

/** The prefix of a name ending in a reach suffix (`redis` for `REDIS_HOST`, `` for `--host`), or undefined. */
function reachPrefix(words: readonly string[]): string | undefined {
  if (words.length === 0 || !REACH_SUFFIXES.includes(words[words.length - 1]!)) return undefined;
  if (bindsOrListens(words)) return undefined;
  return words.slice(0, -1).join('-');
}

function envWords(name: string): string[] {
  return name.toLowerCase().split(/[_.-]+/).filter((w) => w !== '');
}

function addServe(out: Endpoints, port: number | undefined): void {
  if (port === undefined) return;
  out.known = true;
  if (servable(port) && !out.serves.includes(port)) out.serves.push(port);
}

function addReach(out: Endpoints, reach: Reach): void {
  if (!out.reaches.some((r) => r.host === reach.host && r.port === reach.port && r.hint === reach.hint && r.probe === reach.probe)) out.reaches.push(reach);
}

function empty(): Endpoints {
  return { serves: [], known: false, reaches: [] };
}

/**
 * What a container's environment says: `PORT`-like variables it listens on, loopback addresses it
 * reaches (`X_HOST=127.0.0.1` with `X_PORT`, `*_URL`, any value holding `localhost:N`).
 */
export function envEndpoints(entries: readonly EnvEvidence[]): Endpoints {
  const out = empty();
  const byName = new Map<string, ValueEvidence>();
  for (const e of entries) byName.set(e.name.toLowerCase(), e.ev);
  // Prefixes with a loopback host: their `X_PORT` is a port reached, not served.
  const hostPrefixes = new Set<string>();
  for (const e of entries) {
    const w = envWords(e.name);
    const prefix = reachPrefix(w);
    if (prefix === undefined || prefix === '') continue;
    if (e.ev.lh || (e.ev.addrs && e.ev.addrs.length > 0)) hostPrefixes.add(prefix);
  }
  for (const e of entries) {
    const name = e.name.toLowerCase();
    const w = envWords(name);
    const { ev } = e;
    const prefix = reachPrefix(w);
    if (bindsOrListens(w)) {
      addServe(out, ev.listen ?? ev.port);
      continue;
    }
    // A bare `HOST` is the address a server binds as often as one it calls.
    if (name === 'host') continue;
    if (ev.addrs) {
      for (const a of ev.addrs) addReach(out, prefix ? { ...a, hint: prefix } : { ...a });
    }
    if (ev.lh && prefix) {
      const port = byName.get(`${prefix.replace(/-/g, '_')}_port`)?.port;
      addReach(out, servable(port) ? { host: ev.lh, port, hint: prefix } : { host: ev.lh, hint: prefix });
    }
    if (ev.port !== undefined && w[w.length - 1] === 'port') {
      const portPrefix = w.slice(0, -1).join('-');
      if (hostPrefixes.has(portPrefix)) continue;
      if (SERVE_PORT_VARS.includes(name) || SERVE_PORT_VAR_SUFFIXES.some((s) => name.endsWith(s))) addServe(out, ev.port);
    }
  }
  return out;
}

/** Splits command and args into words, the way a shell would roughly (quotes dropped, `;`, `|`, `&` split). */
function tokensOf(strings: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of strings) for (const t of s.replace(/['"`]/g, ' ').split(/[\s;|&()]+/)) if (t !== '') out.push(t);
  return out;
}

interface Flag {
  name: string;
  value: string | undefined;
}

function flagsOf(tokens: readonly string[]): Flag[] {
  const out: Flag[] = [];
  tokens.forEach((t, i) => {
    const m = /^--?([A-Za-z][A-Za-z0-9._-]*)(?:=(.*))?$/.exec(t);
    if (!m) return;
    const name = m[1]!.toLowerCase().replace(/[._]/g, '-');
    let value = m[2];
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next !== undefined && !next.startsWith('-')) value = next;
    }
    out.push({ name, value });
  });
  return out;
}

/**
 * What a container's `command` and `args` say: ports its flags make it listen on, loopback
 * addresses it reaches (any `localhost:N` or loopback URL, `--host=127.0.0.1 --port=5432`,
 * `-h 127.0.0.1 -p 5432`), Cloud SQL proxy instances (`…=tcp:5432`).
 */
export function argEndpoints(strings: readonly string[]): Endpoints {
  const out = empty();
  if (strings.length === 0) return out;
  const flags = flagsOf(tokensOf(strings));
  // Loopback host flags, by prefix (`` for `--host` and `-h`, `db` for `--db-host`).
  const hostPrefixes = new Map<string, string>();
  for (const f of flags) {
    if (f.value === undefined || !LOOPBACK_HOST.test(f.value) || isServeAddressFlag(f.name)) continue;
    const prefix = f.name === 'h' ? '' : reachPrefix(f.name.split('-'));
    if (prefix !== undefined) hostPrefixes.set(prefix, normalHost(f.value));
  }
  const paired = new Set<string>();
  for (const f of flags) {
    const port = portOf(f.value);
    if (port === undefined) {
      if (f.value !== undefined && isServeAddressFlag(f.name)) addServe(out, listenPort(f.value));
      continue;
    }
    const portPrefix = f.name === 'p' || f.name === 'port' ? '' : f.name.endsWith('-port') ? f.name.slice(0, -5) : undefined;
    if (portPrefix !== undefined && hostPrefixes.has(portPrefix)) {
      paired.add(portPrefix);
      addReach(out, servable(port) ? { host: hostPrefixes.get(portPrefix)!, port, ...(portPrefix ? { hint: portPrefix } : {}) } : { host: hostPrefixes.get(portPrefix)! });
      continue;
    }
    if (SERVE_PORT_FLAGS.includes(f.name)) addServe(out, port);
  }
  // `--db-host=localhost` alone names a service; a bare `--host`/`-h` alone is as often the address a server binds.
  for (const [prefix, host] of hostPrefixes) if (!paired.has(prefix) && prefix !== '') addReach(out, { host, hint: prefix });
  for (const s of strings) {
    if (s.includes('=tcp:')) for (const m of s.matchAll(/=tcp:(?:[0-9.]+:)?(\d{1,5})\b/g)) addServe(out, portOf(m[1]));
    if (s.includes('port=')) for (const m of s.matchAll(/[?&]port=(\d{1,5})\b/g)) addServe(out, portOf(m[1]));
    for (const a of loopbackAddresses(s)) addReach(out, a);
  }
  return out;
}

/** The port numbers a container declares (see `DeclaredPort`), in order, without repeats. */
export function declaredPorts(ports: readonly DeclaredPort[]): number[] {
  const out: number[] = [];
  for (const p of ports) if (!out.includes(p.port)) out.push(p.port);
  return out;
}

/** The strings of a container's `command` and `args`. */
export function commandStrings(spec: PlainMap): string[] {
  const out: string[] = [];
  for (const field of ['command', 'args'] as const) {
    for (const v of asArray(spec[field])) if (typeof v === 'string') out.push(v);
  }
  return out;
}

/** A container's literal `env` values, summarised (entries whose value says nothing are left out). */
export function literalEnv(spec: PlainMap): EnvEvidence[] {
  const out: EnvEvidence[] = [];
  for (const e of asArray(spec.env)) {
    const entry = asMap(e);
    if (typeof entry?.name !== 'string' || typeof entry.value !== 'string') continue;
    const ev = valueEvidence(entry.value);
    if (ev) out.push({ name: entry.name, ev });
  }
  return out;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * The ports a container's probes check on the pod's own address (numbers, or names of its own
 * declared ports; a probe that names a host is left out): the kubelet decides the container's health by them, so a probe on a port a
 * sibling serves ties the two together.
 */
export function probePorts(spec: PlainMap, ports: readonly DeclaredPort[] = declaredPortsOf(spec)): number[] {
  const out: number[] = [];
  const named = new Map<string, number>();
  for (const p of ports) if (p.name !== undefined) named.set(p.name, p.port);
  for (const field of PROBES) {
    const probe = asMap(spec[field]);
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = asMap(probe?.[handler]);
      // A probe with a host checks that host (127.0.0.1 is then the node), not the pod.
      if (!h || (h.host !== undefined && h.host !== null && h.host !== '')) continue;
      const port = typeof h.port === 'number' ? h.port : typeof h.port === 'string' ? (portOf(h.port) ?? named.get(h.port)) : undefined;
      if (servable(port) && port <= 65535 && !out.includes(port)) out.push(port);
    }
  }
  return out;
}

/** What a container serves and reaches, from its own spec and what ConfigMaps give it (env entries, addresses in mounted files). */
export function containerEndpoints(spec: PlainMap, extraEnv: readonly EnvEvidence[] = [], fileAddresses: readonly Address[] = []): Endpoints {
  const ports = declaredPortsOf(spec);
  return combineEndpoints(
    declaredPorts(ports),
    argEndpoints(commandStrings(spec)),
    envEndpoints([...extraEnv, ...literalEnv(spec)]),
    fileAddresses,
    probePorts(spec, ports),
  );
}

/** Joins what the parts say; a reach whose port the container serves is its own bind address and is dropped. */
export function combineEndpoints(
  declared: readonly number[],
  args: Endpoints,
  env: Endpoints,
  fileAddresses: readonly Address[] = [],
  probes: readonly number[] = [],
): Endpoints {
  const out: Endpoints = { serves: [...declared], known: declared.length > 0 || args.known || env.known, reaches: [] };
  for (const p of [...args.serves, ...env.serves]) if (!out.serves.includes(p)) out.serves.push(p);
  const probeReaches: Reach[] = probes.map((port) => ({ host: 'localhost', port, probe: true }));
  for (const r of [...args.reaches, ...env.reaches, ...fileAddresses, ...probeReaches]) {
    if (r.port !== undefined && out.serves.includes(r.port)) continue;
    addReach(out, r);
  }
  return out;
}

/** A container as the reach resolution sees it. */
export interface EndpointOwner {
  name: string;
  /** Its image (any form), or '' when none. */
  image: string;
  endpoints: Endpoints;
}

function ownerWords(o: EndpointOwner): Set<string> {
  const image = o.image.toLowerCase().replace(/[@:].*$/, '');
  return new Set([...envWords(o.name), ...envWords(image.slice(image.lastIndexOf('/') + 1))]);
}

/**
 * The containers a reach of container `from` couples it to: those that serve its port; else those
 * the reach's name points at (`REDIS_HOST` → a container named or built from `redis`); else those
 * whose ports are unknown (they declare none and set none: the port may be their default).
 */
export function reachTargets(from: number, owners: readonly EndpointOwner[], reach: Reach): number[] {
  const others = owners.map((_, i) => i).filter((i) => i !== from);
  if (reach.port !== undefined) {
    const serving = others.filter((i) => owners[i]!.endpoints.serves.includes(reach.port!));
    if (serving.length > 0 || reach.probe) return serving;
  }
  if (reach.hint) {
    const words = reach.hint.split('-').filter((w) => w.length > 1);
    const named = others.filter((i) => {
      const own = ownerWords(owners[i]!);
      return words.some((w) => own.has(w));
    });
    if (named.length > 0) return named;
  }
  return others.filter((i) => !owners[i]!.endpoints.known);
}
