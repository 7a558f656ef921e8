/** The known-helper table: one case per entry (image, injector name, name word), and the main-container guess. */
import { describe, expect, it } from 'vitest';
import {
  HELPER_NAME_WORDS,
  HELPER_ROLE_WORDS,
  PATTERN_WORDS,
  imageName,
  isWorkloadNamesake,
  imageRepository,
  KNOWN_HELPERS,
  knownHelper,
  knownHelperIn,
  STANDALONE_EXPORTERS,
} from '../../../src/model/known-helpers.js';
import { chooseMain, workloadOf } from '../../../src/model/workloads.js';
import type { K8sObject } from '../../../src/model/objects.js';

describe('imageRepository', () => {
  it.each([
    ['docker.io/istio/proxyv2:1.22.0', 'istio/proxyv2'],
    ['gcr.io/cloudsql-docker/gce-proxy:1.33.2', 'cloudsql-docker/gce-proxy'],
    ['localhost:5000/envoy@sha256:abcd', 'envoy'],
    ['registry.example.com:5000/mirror/fluent/fluent-bit:3.0', 'mirror/fluent/fluent-bit'],
    ['redis', 'redis'],
    ['Redis:7', 'redis'],
  ])('%s → %s', (image, repo) => {
    expect(imageRepository(image)).toBe(repo);
    // Asked again: the remembered answer is the same.
    expect(imageRepository(image)).toBe(repo);
  });
  it('answers for an image too long to be remembered', () => {
    const long = `registry.example.com/${'a'.repeat(600)}/app:1`;
    expect(imageRepository(long)).toBe(`${'a'.repeat(600)}/app`);
    expect(imageRepository(long)).toBe(`${'a'.repeat(600)}/app`);
  });
  it('imageName is the last segment', () => {
    expect(imageName('quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0')).toBe('prometheus-config-reloader');
  });
});

describe('every image of the table is a helper, from any registry and tag', () => {
  const cases = KNOWN_HELPERS.flatMap((entry) => (entry.images ?? []).map((image) => [image, entry] as const));
  it.each(cases)('%s', (image, entry) => {
    const spec: Record<string, unknown> = { name: 'c', image: `registry.example.com/mirror/${image}:1.2.3` };
    if (entry.onlyWithArg) spec.args = [entry.onlyWithArg, '-config=/etc/agent.hcl'];
    expect(knownHelper(spec)).toMatchObject({ kind: entry.kind, by: 'image' });
  });
  const paths = KNOWN_HELPERS.flatMap((entry) => (entry.imagePaths ?? []).map((p) => [p, entry] as const));
  it.each(paths)('path %s', (p, entry) => {
    expect(knownHelper({ name: 'c', image: `ghcr.io/${p}:stable-2.14` })).toMatchObject({ kind: entry.kind, by: 'image' });
  });
});

describe('every injector name of the table is a helper, whatever the image', () => {
  const cases = KNOWN_HELPERS.flatMap((entry) => (entry.names ?? []).map((name) => [name, entry] as const));
  it.each(cases)('%s', (name, entry) => {
    expect(knownHelper({ name, image: 'registry.internal/mirror/x:1' })).toMatchObject({ kind: entry.kind });
    expect(knownHelper({ name })).toMatchObject({ kind: entry.kind });
  });
});

describe('helper words in a container name', () => {
  it.each(HELPER_NAME_WORDS)('%s', (word) => {
    expect(knownHelper({ name: `log-${word}`, image: 'example/x:1' })).toBeDefined();
    expect(knownHelper({ name: `${word}_2`, image: 'example/x:1' })).toBeDefined();
  });
  it.each(['proxymanager', 'agentless', 'reverse', 'app', 'web', 'postgres'])('%s is not a helper', (name) => {
    expect(knownHelper({ name, image: 'example/x:1' })).toBeUndefined();
  });
});

describe('pattern words: a helper named for its role in a multi-container pattern', () => {
  it.each(PATTERN_WORDS)('%s', (word) => {
    expect(HELPER_NAME_WORDS).toContain(word);
    expect(knownHelper({ name: `redis-${word}`, image: 'example/x:1' })).toEqual({ kind: 'pattern', by: 'name-word' });
    expect(knownHelper({ name: `${word}_2`, image: 'example/x:1' })).toEqual({ kind: 'pattern', by: 'name-word' });
    expect(knownHelper({ name: `${word}s`, image: 'example/x:1' })).toBeUndefined();
  });
  it('a known image keeps its own kind', () => {
    expect(knownHelper({ name: 'log-sidecar', image: 'fluent/fluent-bit:3.0' })).toMatchObject({ kind: 'shipper', by: 'image' });
  });
  it('a program named after its workload is no helper (prometheus-adapter, custom-metrics-stackdriver-adapter)', () => {
    expect(knownHelperIn({ name: 'custom-metrics-stackdriver-adapter' }, 'custom-metrics-stackdriver-adapter')).toBeUndefined();
    expect(knownHelperIn({ name: 'prometheus-adapter' }, 'prometheus-adapter')).toBeUndefined();
    expect(knownHelperIn({ name: 'prometheus-adapter' }, 'shop')).toEqual({ kind: 'pattern', by: 'name-word' });
  });
});

describe('a helper by a name word is no helper when the workload is named after it', () => {
  it.each([
    ['spire-agent', 'spire-agent', true],
    ['spire-agent', 'release-name-spire-agent', true],
    ['spire-agent', 'spire-agent-v2', true],
    ['datadog-agent', 'datadog-agent', true],
    ['haproxy-exporter', 'haproxy-exporter', true],
    ['log-agent', 'shop', false],
    ['spire-agent', 'spire', false],
    ['spire-agent', 'spireagent', false],
    ['agent', 'datadog-agent', false],
    ['proxy', 'app-proxy', false],
    ['log_proxy', 'log-proxy', true],
  ] as const)('%s in %s: %s', (container, workload, namesake) => {
    expect(isWorkloadNamesake(container, workload)).toBe(namesake);
  });
  it.each(HELPER_ROLE_WORDS)('a role word (%s) always marks a helper', (word) => {
    expect(isWorkloadNamesake(`ambassador-${word}`, `ambassador-${word}-example`)).toBe(false);
    expect(knownHelperIn({ name: `ambassador-${word}` }, `ambassador-${word}-example`)).toMatchObject({ by: 'name-word' });
  });
  it('only a helper known by a name word: images and injector names stay helpers', () => {
    expect(knownHelperIn({ name: 'spire-agent', image: 'ghcr.io/spiffe/spire-agent:1.5.4' }, 'spire-agent')).toBeUndefined();
    expect(knownHelperIn({ name: 'spire-agent', image: 'ghcr.io/spiffe/spire-agent:1.5.4' }, 'shop')).toMatchObject({ kind: 'named', by: 'name-word' });
    expect(knownHelperIn({ name: 'oauth2-proxy', image: 'quay.io/oauth2-proxy/oauth2-proxy:v7' }, 'oauth2-proxy')).toMatchObject({ kind: 'auth-proxy', by: 'image' });
    expect(knownHelperIn({ name: 'istio-proxy' }, 'istio-proxy')).toMatchObject({ kind: 'mesh-proxy', by: 'name' });
    expect(knownHelperIn({ name: 'spire-agent' }, null)).toMatchObject({ by: 'name-word' });
  });
  it('the SPIRE agent DaemonSet: the agent is no helper; listed second, the first container is still taken', () => {
    const value = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'spire-agent' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'spiffe-csi-driver', image: 'ghcr.io/spiffe/spiffe-csi-driver:0.2.0' },
              { name: 'spire-agent', image: 'ghcr.io/spiffe/spire-agent:1.5.4' },
              { name: 'node-driver-registrar', image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.4.0' },
            ],
          },
        },
      },
    };
    const object = { value, path: [], documentIndex: 0, ref: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'spire-agent', namespace: null }, isPatch: false } as unknown as K8sObject;
    const workload = workloadOf(object)!;
    // Neither is a helper now: the first of them is taken (here the CSI driver, listed first).
    expect(workload.containers.map((c) => [c.name, c.role, c.helper?.kind])).toEqual([
      ['spiffe-csi-driver', 'main', undefined],
      ['spire-agent', 'sidecar', undefined],
      ['node-driver-registrar', 'sidecar', 'csi'],
    ]);
    expect(workload.mainChoice).toBe('first');
    const renamed = workloadOf({ ...object, ref: { ...object.ref, name: 'node-tools' } })!;
    expect(renamed.main?.name).toBe('spiffe-csi-driver');
    expect(renamed.mainChoice).toBe('only-non-helper');
    expect(renamed.containers[1]!.helper).toMatchObject({ by: 'name-word' });
  });
});

describe('images that are not helpers', () => {
  it('the Vault image runs the server unless it runs `agent`', () => {
    expect(knownHelper({ name: 'vault', image: 'hashicorp/vault:1.17', args: ['server'] })).toBeUndefined();
    expect(knownHelper({ name: 'vault', image: 'hashicorp/vault:1.17', args: ['agent', '-config=/vault/agent.hcl'] })).toMatchObject({ kind: 'secret-agent' });
    expect(knownHelper({ name: 'vault', image: 'hashicorp/vault:1.17', command: ['vault agent -config=/x'] })).toMatchObject({ kind: 'secret-agent' });
  });
  it.each(STANDALONE_EXPORTERS)('%s exports the node or probes targets: a program of its own', (image) => {
    expect(knownHelper({ name: 'exporter', image: `quay.io/prometheus/${image}:v1` })).toBeUndefined();
  });
  it('any *-exporter or *_exporter image is an exporter', () => {
    expect(knownHelper({ name: 'metrics', image: 'oliver006/redis_exporter:v1.62.0' })).toMatchObject({ kind: 'exporter' });
    expect(knownHelper({ name: 'metrics', image: 'nginx/nginx-prometheus-exporter:1.3' })).toMatchObject({ kind: 'exporter' });
  });
  it.each(['redis:7', 'postgres:16', 'nginx:1.27', 'busybox', 'example/app:1'])('%s', (image) => {
    expect(knownHelper({ name: 'c', image })).toBeUndefined();
  });
});

describe('chooseMain', () => {
  const c = (name: string, image = `example/${name}:1`, extra: Record<string, unknown> = {}) => ({ name, image, ...extra });
  it('the annotation wins when it names a container', () => {
    expect(chooseMain([c('istio-proxy', 'istio/proxyv2'), c('a'), c('b')], 'b')).toEqual({ index: 2, choice: 'annotation' });
  });
  it('else the only container that is not a known helper', () => {
    expect(chooseMain([c('vault-init', 'hashicorp/vault:1.17', { args: ['agent'] }), c('vault', 'hashicorp/vault:1.17', { args: ['server'] })], undefined)).toEqual({
      index: 1,
      choice: 'only-non-helper',
    });
    expect(chooseMain([c('csi-provisioner', 'registry.k8s.io/sig-storage/csi-provisioner:v5.0.1'), c('driver')], 'gone')).toEqual({ index: 1, choice: 'only-non-helper' });
  });
  it('pgbouncer beside a server is a helper; beside only its exporter it is the server', () => {
    expect(chooseMain([c('pgbouncer', 'bitnami/pgbouncer:1'), c('app')], undefined)).toEqual({ index: 1, choice: 'only-non-helper' });
    expect(chooseMain([c('exporter', 'prometheuscommunity/pgbouncer-exporter:1'), c('pgbouncer', 'bitnami/pgbouncer:1')], undefined)).toEqual({
      index: 1,
      choice: 'only-non-helper',
    });
  });
  it('else the first container', () => {
    expect(chooseMain([c('a'), c('b')], undefined)).toEqual({ index: 0, choice: 'first' });
    expect(chooseMain([c('envoy', 'envoyproxy/envoy:v1'), c('fluent-bit', 'fluent/fluent-bit:3')], undefined)).toEqual({ index: 0, choice: 'first' });
  });
  it('a single container is the main one', () => {
    expect(chooseMain([c('a')], undefined)).toEqual({ index: 0, choice: 'only' });
  });
});

describe('usesPodIdentity', () => {
  it('follows the kind, unless the entry says otherwise (pgbouncer logs in with a password)', async () => {
    const { usesPodIdentity, HELPER_KINDS } = await import('../../../src/model/known-helpers.js');
    expect(usesPodIdentity(knownHelper({ name: 'p', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0' })!)).toBe(true);
    expect(usesPodIdentity(knownHelper({ name: 'v', image: 'hashicorp/vault:1.17', args: ['agent'] })!)).toBe(true);
    expect(usesPodIdentity(knownHelper({ name: 'b', image: 'bitnami/pgbouncer:1.22' })!)).toBe(false);
    expect(HELPER_KINDS['db-proxy'].podIdentity).toBe(true);
    for (const entry of KNOWN_HELPERS.filter((e) => e.podIdentity !== undefined)) {
      const image = entry.images![0]!;
      expect(usesPodIdentity(knownHelper({ name: 'c', image: `example.com/${image}:1` })!)).toBe(entry.podIdentity);
    }
  });
});

describe('knownHelper looks entries up by image and name as a scan of the table would find them', () => {
  /** The first entry that matches the image, scanning KNOWN_HELPERS in order (the lookup's reference). */
  const scanImage = (image: string, args: readonly string[]) => {
    const repo = imageRepository(image);
    const last = repo.slice(repo.lastIndexOf('/') + 1);
    return KNOWN_HELPERS.find(
      (e) =>
        (e.images?.includes(last) || e.imagePaths?.some((p) => repo === p || repo.endsWith(`/${p}`))) &&
        (e.onlyWithArg === undefined || args.includes(e.onlyWithArg)),
    );
  };
  const images = [
    ...KNOWN_HELPERS.flatMap((e) => [...(e.images ?? []), ...(e.imagePaths ?? [])]),
    'proxy', 'other/proxy', 'ghcr.io/linkerd-io/proxy:1', 'x/linkerd/proxy', 'vault', 'example/app', '',
  ];
  it.each(images.flatMap((image) => [[image, []], [image, ['agent']]] as const))('%j with args %j', (image, args) => {
    const entry = scanImage(image, args);
    const got = knownHelper({ image, args: [...args] });
    if (entry) expect(got).toMatchObject({ kind: entry.kind, by: 'image' });
    else expect(got?.by).not.toBe('image');
  });

  it.each([...KNOWN_HELPERS.flatMap((e) => e.names ?? []), 'ISTIO-PROXY', 'app', 'my-sidecar', 'log_shipper2', 'agentless'])('name %s', (name) => {
    const entry = KNOWN_HELPERS.find((e) => e.names?.includes(name.toLowerCase()));
    const words = name.toLowerCase().split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/);
    const word = HELPER_NAME_WORDS.find((h) => words.includes(h));
    const got = knownHelper({ name });
    if (entry) expect(got).toEqual({ kind: entry.kind, by: 'name' });
    else if (word) expect(got).toEqual({ kind: words.some((w) => PATTERN_WORDS.includes(w)) ? 'pattern' : word === 'exporter' ? 'exporter' : 'named', by: 'name-word' });
    else expect(got).toBeUndefined();
  });
});
