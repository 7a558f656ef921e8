/** What a container serves and reaches (src/model/endpoints.ts) and the coupling relation (src/model/coupling.ts). */
import { describe, expect, it } from 'vitest';
import { couple, isCompanion, NOT_COMPANION_WORDS, type CouplingMember } from '../../../src/model/coupling.js';
import {
  argEndpoints,
  containerEndpoints,
  envEndpoints,
  loopbackAddresses,
  maySayLoopback,
  probePorts,
  readEvidence,
  SERVE_PORT_FLAGS,
  SERVE_PORT_VARS,
  valueEvidence,
  type EnvEvidence,
} from '../../../src/model/endpoints.js';
import { declaredPortsOf } from '../../../src/model/workloads.js';

const env = (vars: Record<string, string>): EnvEvidence[] =>
  Object.entries(vars).flatMap(([name, value]) => {
    const ev = valueEvidence(value);
    return ev ? [{ name, ev }] : [];
  });

describe('loopback addresses', () => {
  it.each([
    ['localhost:8080', [{ host: 'localhost', port: 8080 }]],
    ['--upstream=http://127.0.0.1:8081/', [{ host: '127.0.0.1', port: 8081 }]],
    ['redis://user:pass@[::1]:6379/0', [{ host: '[::1]', port: 6379 }]],
    ['http://localhost/metrics', [{ host: 'localhost', port: 80 }]],
    ['grpc://localhost', [{ host: 'localhost' }]],
    ['mylocalhost:80', []],
    ['postgres://localhost.example.com:5432/app', []],
  ])('%s', (text, expected) => {
    expect(loopbackAddresses(text)).toEqual(expected);
  });
});

describe('ports a container serves', () => {
  it.each([
    [['--port=8080'], [8080]],
    [['--port', '8080'], [8080]],
    [['-p', '5432'], [5432]],
    [['--listen=:9000'], [9000]],
    [['--address=0.0.0.0:8443'], [8443]],
    [['--http-address=127.0.0.1:4180'], [4180]],
    [['--web.listen-address=:9187'], [9187]],
    [['--metrics-bind-address', '127.0.0.1:8080'], [8080]],
    [['/cloud_sql_proxy', '-instances=p:r:i=tcp:3306'], [3306]],
    [['/cloud_sql_proxy', '-instances=p:r:i=tcp:0.0.0.0:5432'], [5432]],
    [['p:r:i?port=5433'], [5433]],
    [['sh', '-c', 'exec redis-server --port 6380 --save ""'], [6380]],
    [['mkdir', '-p', '/data'], []],
    [['--db-port=5432'], []],
  ])('%j', (args, expected) => {
    expect(argEndpoints(args).serves).toEqual(expected);
  });

  it('port 0 makes the ports known without serving one', () => {
    expect(argEndpoints(['redis-server', '--port', '0'])).toEqual({ serves: [], known: true, reaches: [] });
  });

  it.each(SERVE_PORT_FLAGS.map((f) => [f]))('flag --%s', (flag) => {
    expect(argEndpoints([`--${flag}=7001`]).serves).toEqual([7001]);
  });

  it.each([...SERVE_PORT_VARS.map((v) => v.toUpperCase()), 'APP_LISTEN_PORT', 'GF_SERVER_HTTP_PORT', 'API_GRPC_PORT', 'APP_METRICS_PORT'].map((v) => [v]))(
    'variable %s',
    (name) => {
      expect(envEndpoints(env({ [name]: '7002' })).serves).toEqual([7002]);
    },
  );

  it('a listen or bind variable serves its address port', () => {
    expect(envEndpoints(env({ LISTEN_ADDR: ':8080', BIND_ADDRESS: '127.0.0.1:9090' })).serves).toEqual([8080, 9090]);
  });

  it('declared ports, flags and env together (a quoted containerPort is not a port: the API server rejects it)', () => {
    const spec = { ports: [{ containerPort: 80 }, { containerPort: '81' }], args: ['--metrics-port=9100'], env: [{ name: 'PORT', value: '3000' }] };
    expect(containerEndpoints(spec).serves).toEqual([80, 9100, 3000]);
  });

  it('reads declared ports once, the same way for every rule (DeclaredPort)', () => {
    const ports = [
      { containerPort: 8080, name: 'http' },
      { containerPort: '8081' },
      { containerPort: 0 },
      { containerPort: 65536 },
      { containerPort: 1.5 },
      null,
      { containerPort: 53, protocol: 'udp' },
      { containerPort: 9090, name: '' },
    ];
    expect(declaredPortsOf({ ports })).toEqual([
      { index: 0, port: 8080, protocol: 'TCP', name: 'http' },
      { index: 6, port: 53, protocol: 'UDP' },
      { index: 7, port: 9090, protocol: 'TCP' },
    ]);
  });
});

describe('addresses a container reaches', () => {
  it('host and port flags given apart', () => {
    expect(argEndpoints(['--host=127.0.0.1', '--port=5432'])).toEqual({ serves: [], known: false, reaches: [{ host: '127.0.0.1', port: 5432 }] });
    expect(argEndpoints(['psql', '-h', 'localhost', '-p', '5432'])).toEqual({ serves: [], known: false, reaches: [{ host: 'localhost', port: 5432 }] });
    expect(argEndpoints(['--db-host=localhost', '--db-port=6432']).reaches).toEqual([{ host: 'localhost', port: 6432, hint: 'db' }]);
  });

  it('a prefixed host flag alone reaches; a bare --host alone does not', () => {
    expect(argEndpoints(['--redis-host=localhost']).reaches).toEqual([{ host: 'localhost', hint: 'redis' }]);
    expect(argEndpoints(['--host=localhost']).reaches).toEqual([]);
    expect(argEndpoints(['--address=127.0.0.1', '--port=5432'])).toEqual({ serves: [5432], known: true, reaches: [] });
  });

  it('X_HOST beside X_PORT: a port reached, not served', () => {
    expect(envEndpoints(env({ DB_HOST: '127.0.0.1', DB_PORT: '5432' }))).toEqual({ serves: [], known: false, reaches: [{ host: '127.0.0.1', port: 5432, hint: 'db' }] });
    expect(envEndpoints(env({ SERVER_HOST: 'localhost', SERVER_PORT: '8080' })).serves).toEqual([]);
  });

  it.each(['REDIS_HOST', 'VAULT_ADDR', 'STATSD_SERVER', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'METRICS_URL', 'DB_HOSTNAME'].map((v) => [v]))(
    '%s with a loopback value counts without a port',
    (name) => {
      expect(envEndpoints(env({ [name]: 'localhost' })).reaches).toHaveLength(1);
    },
  );

  it.each(['HOST', 'BIND', 'BIND_ADDRESS', 'LISTEN', 'LISTEN_HOST', 'BINDADDR', 'APP_LISTEN_ADDR'].map((v) => [v]))('%s with a loopback value does not', (name) => {
    expect(envEndpoints(env({ [name]: '127.0.0.1' })).reaches).toEqual([]);
  });

  it('a loopback address on a port the container serves is its own bind address', () => {
    expect(containerEndpoints({ args: ['--listen-address=127.0.0.1:9090', '--target=localhost:9090'] }).reaches).toEqual([]);
    expect(containerEndpoints({ ports: [{ containerPort: 8080 }], env: [{ name: 'SELF_URL', value: 'http://localhost:8080' }] }).reaches).toEqual([]);
  });

  it('probes: a port on the pod, not one named with a host', () => {
    expect(probePorts({ ports: [{ name: 'http', containerPort: 8000 }], livenessProbe: { httpGet: { port: 'http' } }, readinessProbe: { tcpSocket: { port: 9000 } } })).toEqual([8000, 9000]);
    expect(probePorts({ readinessProbe: { httpGet: { host: '127.0.0.1', port: 9000 } } })).toEqual([]);
  });

  it('summarises a value without keeping it', () => {
    expect(valueEvidence('postgres://app:CANARY@localhost:5432/app')).toEqual({ addrs: [{ host: 'localhost', port: 5432 }] });
    expect(valueEvidence('::1')).toEqual({ lh: '[::1]' });
    expect(valueEvidence('8080')).toEqual({ port: 8080 });
    expect(valueEvidence('plain text')).toBeUndefined();
  });

  it('answers without reading only values that say nothing (the quick look against the whole reading)', () => {
    const crafted = [
      '8080', ' 8080 ', '\uFEFF8080\u2028', '080', '123456', 'LOCALHOST', 'LocalHost', 'x.localhost.y', '127.0.0.1', 'a127.0.0.1b', '::1', '[::1]', ' [::1] ',
      ':8080', '0.0.0.0:8080', 'tcp://127.0.0.1:8080', 'http://localhost', 'hunter2-x12', 'plain text', '\u0661\u0662', 'ſ', 'K', 'ıocalhost', '',
    ];
    // And random strings of up to 13 characters over an alphabet of what the readings look for.
    const alphabet = ['l', 'L', 'o', 'c', 'a', 'h', 's', 't', '1', '2', '7', '0', '.', ':', '[', ']', ' ', '/', 'x'];
    let seed = 11;
    const random = () => {
      let out = '';
      const length = (seed = (seed * 1103515245 + 12345) % 2147483648) % 14;
      for (let i = 0; i < length; i++) out += alphabet[(seed = (seed * 1103515245 + 12345) % 2147483648) % alphabet.length];
      return out;
    };
    const values = [...crafted, ...Array.from({ length: 20000 }, random), ...crafted.map((c) => `localhost:${c}`)];
    let said = 0;
    for (const v of values) {
      const whole = readEvidence(v);
      if (!maySayLoopback(v)) expect(whole, JSON.stringify(v)).toBeUndefined();
      expect(valueEvidence(v)).toEqual(whole);
      if (whole) said++;
    }
    expect(said).toBeGreaterThan(100);
  });
});

describe('companions', () => {
  it.each([
    [{ name: 'metrics', image: 'oliver006/redis_exporter:v1.62' }, { name: 'redis', image: 'redis:7' }],
    [{ name: 'redis-exporter', image: 'example/x:1' }, { name: 'cache', image: 'redis:7' }],
    [{ name: 'vault-init', image: 'example/unsealer:1' }, { name: 'vault', image: 'hashicorp/vault:1.17' }],
    [{ name: 'exporter', image: 'nginx/nginx-prometheus-exporter:1.3' }, { name: 'web', image: 'nginx:1.27' }],
  ])('%j beside %j', (a, b) => {
    expect(isCompanion(a, b)).toBe(true);
  });

  it.each(Object.entries(NOT_COMPANION_WORDS))('%s (%s) does not lead a companion', (word, why) => {
    const lead = why === 'base image' ? { name: 'first', image: `${word}:1` } : { name: word, image: 'example/one:1' };
    expect(isCompanion({ name: `${word}-cnt02`, image: 'example/two:1' }, lead)).toBe(false);
    expect(isCompanion({ name: `${word}_helper`, image: 'example/two:1' }, lead)).toBe(false);
  });

  it('needs a separator, and sharing an image is not enough', () => {
    expect(isCompanion({ name: 'nginx2', image: 'nginx' }, { name: 'nginx', image: 'nginx' })).toBe(false);
    expect(isCompanion({ name: 'b', image: 'example/tool:1' }, { name: 'a', image: 'example/tool:1' })).toBe(false);
  });
});

describe('couple', () => {
  const member = (name: string, over: Partial<CouplingMember> = {}): CouplingMember => ({
    name,
    image: `example/${name}:1`,
    volumes: [],
    endpoints: { serves: [], known: false, reaches: [] },
    ...over,
  });
  const groups = (members: CouplingMember[], main = 0) => {
    const { group } = couple({ members, main, shareProcessNamespace: false });
    return members.map((_, i) => group[i] === group[main]);
  };

  it('a reach couples to the server of its port, else to the siblings with unknown ports', () => {
    const app = member('app', { endpoints: { serves: [], known: false, reaches: [{ host: 'localhost', port: 7000 }] } });
    const cache = member('cache');
    const search = member('search', { endpoints: { serves: [9200], known: true, reaches: [] } });
    expect(groups([app, cache, search])).toEqual([true, true, false]);
    const server = member('server', { endpoints: { serves: [7000], known: true, reaches: [] } });
    expect(groups([app, cache, server])).toEqual([true, false, true]);
  });

  it('a named reach couples to the container its name points at', () => {
    const app = member('app', { endpoints: { serves: [], known: false, reaches: [{ host: 'localhost', hint: 'redis' }] } });
    expect(groups([app, member('log-shipper'), member('redis-sidecar', { endpoints: { serves: [], known: true, reaches: [] } })])).toEqual([true, false, true]);
  });

  it('a probe couples only to the server of its port', () => {
    const app = member('app', { endpoints: { serves: [], known: false, reaches: [{ host: 'localhost', port: 8000, probe: true }] } });
    expect(groups([app, member('other')])).toEqual([true, false]);
    expect(groups([app, member('http', { endpoints: { serves: [8000], known: true, reaches: [] } })])).toEqual([true, true]);
  });

  it('helpers: by nature when they work over localhost, else when they serve a port', () => {
    expect(groups([member('app'), member('proxy', { helper: 'db-proxy' })])).toEqual([true, true]);
    expect(groups([member('app'), member('fluent-bit', { helper: 'shipper' })])).toEqual([true, false]);
    expect(groups([member('app'), member('exporter', { helper: 'exporter', endpoints: { serves: [9102], known: true, reaches: [] } })])).toEqual([true, true]);
  });

  it('shared volumes and the process namespace', () => {
    expect(groups([member('app', { volumes: ['logs'] }), member('a', { volumes: ['logs', 'x'] }), member('b', { volumes: ['x'] })])).toEqual([true, true, true]);
    const { group } = couple({ members: [member('a'), member('b')], main: 0, shareProcessNamespace: true });
    expect(group[0]).toBe(group[1]);
  });
});
