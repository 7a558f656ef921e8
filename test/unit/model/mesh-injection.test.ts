/** The mesh injection table: one case per entry and switch, and the precedence between pod and Namespace. */
import { describe, expect, it } from 'vitest';
import { MESH_INJECTIONS, matchSwitch, meshMetadata, plainInjection, type MeshSwitch } from '../../../src/model/mesh-injection.js';
import { shutdownCalls } from '../../../rules/job-sidecar-not-native.js';
import type { ContainerInfo } from '../../../src/model/workloads.js';

function metadata(s: MeshSwitch, value?: string): Record<string, unknown> {
  return { [s.in]: { [s.key]: value ?? s.values?.[0] ?? 'rev-1' } };
}

/** Metadata maps merged (labels with labels, annotations with annotations). */
function merge(...maps: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = { ...out[k], ...(v as Record<string, unknown>) };
  return out;
}

const byMesh = (name: string) => MESH_INJECTIONS.find((m) => m.mesh === name)!;

describe.each(MESH_INJECTIONS.map((m) => [m.mesh, m] as const))('%s', (_, mesh) => {
  it.each(mesh.podOn.flatMap((s) => (s.values ?? ['x']).map((v) => [`${s.in} ${s.key}: ${v}`, s, v] as const)))('pod %s turns injection on', (_n, s, v) => {
    expect(plainInjection(mesh, metadata(s, v), undefined)).toEqual({ injected: true, by: 'pod', switch: s });
  });
  it.each(mesh.namespaceOn.map((s) => [`${s.in} ${s.key}`, s] as const))('Namespace %s turns injection on', (_n, s) => {
    expect(plainInjection(mesh, {}, metadata(s))).toEqual({ injected: true, by: 'namespace', switch: s });
  });
  it.each(mesh.podOff.map((s) => [`${s.in} ${s.key}`, s] as const))('pod %s opts out of the Namespace\'s injection', (_n, s) => {
    expect(plainInjection(mesh, metadata(s), metadata(mesh.namespaceOn[0]!))).toEqual({ injected: false });
  });
  it.each(mesh.namespaceOff.map((s) => [`${s.in} ${s.key}`, s] as const))('Namespace %s', (_n, s) => {
    const state = plainInjection(mesh, metadata(mesh.podOn[0]!), metadata(s));
    expect(state.injected).toBe(!mesh.namespaceOffWins);
    expect(plainInjection(mesh, {}, metadata(s))).toEqual({ injected: false });
  });
  it.each(mesh.native.map((s) => [`${s.in} ${s.key}`, s] as const))('native setting %s, on the pod or on the Namespace', (_n, s) => {
    expect(plainInjection(mesh, merge(metadata(mesh.podOn[0]!), metadata(s)), undefined)).toEqual({ injected: false });
    expect(plainInjection(mesh, metadata(mesh.podOn[0]!), metadata(s))).toEqual({ injected: false });
    expect(plainInjection(mesh, {}, merge(metadata(mesh.namespaceOn[0]!), metadata(s)))).toEqual({ injected: false });
    // The pod's own "false" wins over the Namespace's "true".
    expect(plainInjection(mesh, merge(metadata(mesh.podOn[0]!), metadata(s, 'false')), metadata(s)).injected).toBe(true);
  });
  it('keeps only the keys it reads', () => {
    const meta = merge({ labels: { app: 'x' }, annotations: { 'other.io/x': 'y' } }, metadata(mesh.podOn[0]!));
    const kept = meshMetadata(meta);
    expect(JSON.stringify(kept)).not.toContain('app');
    expect(JSON.stringify(kept)).not.toContain('other.io');
    expect(matchSwitch(kept, mesh.podOn)).toBeDefined();
  });
});

describe('switch values', () => {
  const istio = byMesh('Istio');
  it('reads YAML booleans and any case', () => {
    expect(plainInjection(istio, { labels: { 'sidecar.istio.io/inject': true } }, undefined).injected).toBe(true);
    expect(plainInjection(istio, { annotations: { 'sidecar.istio.io/inject': 'True' } }, undefined).injected).toBe(true);
    expect(plainInjection(istio, { labels: { 'sidecar.istio.io/inject': 'maybe' } }, undefined).injected).toBe(false);
    expect(plainInjection(istio, {}, { labels: { 'istio.io/rev': '' } }).injected).toBe(false);
  });
  it('Linkerd: the pod\'s opt-in wins over the Namespace\'s opt-out', () => {
    const linkerd = byMesh('Linkerd');
    expect(plainInjection(linkerd, { annotations: { 'linkerd.io/inject': 'enabled' } }, { annotations: { 'linkerd.io/inject': 'disabled' } }).injected).toBe(true);
  });
});

describe('shutdown calls on localhost', () => {
  const c = (...command: string[]) => ({ name: 'm', role: 'main', longRunning: true, spec: { command }, path: [], ports: [] }) as ContainerInfo;
  it.each([
    ['curl -X POST localhost:15020/quitquitquit', { endpoint: 'quitquitquit', port: 15020 }],
    ['wget --post-data= http://127.0.0.1:9091/quitquitquit', { endpoint: 'quitquitquit', port: 9091 }],
    ['curl -XPOST http://[::1]:4191/shutdown', { endpoint: 'shutdown', port: 4191 }],
    ['curl -X POST localhost/quitquitquit', { endpoint: 'quitquitquit' }],
  ])('%s', (text, call) => {
    expect(shutdownCalls(c('sh', '-c', `run; ${text}`))).toEqual([call]);
  });
  it.each(['curl -X POST db.example.com:15020/quitquitquit', 'curl localhost:8080/healthz', 'echo notlocalhost:1/quitquitquit'])('not %s', (text) => {
    expect(shutdownCalls(c('sh', '-c', text))).toEqual([]);
  });
});
