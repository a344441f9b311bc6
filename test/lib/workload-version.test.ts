import { join } from 'node:path';
import type { KubernetesManifest } from '../../lambdas/region-ops/kubernetes-manifests';
import { synthesizeEdgeFiles } from '../../lib/edge-files';
import { canonicalJson, workloadVersion } from '../../lib/workload-version';
import { loadWorkloadManifests } from '../../lib/region-workflows-manifests';
import { validConfig } from '../support/configs';

const manifests: KubernetesManifest[] = loadWorkloadManifests(join(__dirname, '..', '..', 'config', 'workload'));
const config = validConfig();
/** The edge files of `config`, from the fixture geolocation databases (test/support/synthesis-settings.ts). */
const edge = synthesizeEdgeFiles(config).identity;
const version = workloadVersion(manifests, config, edge);

/** The same object with its keys in reverse order, at every level. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reversedKeys(item)]),
    );
  return value;
}

describe('the workload version', () => {
  it('is 12 lower-case hex characters, usable in an execution name and as a roll-out version', () => {
    expect(version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('does not change with the order of keys in the manifests or the config', () => {
    expect(workloadVersion(reversedKeys(manifests) as KubernetesManifest[], reversedKeys(config) as typeof config, edge)).toBe(version);
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('changes when a manifest changes', () => {
    const changed = manifests.map((m) =>
      m.kind === 'Deployment' ? { ...m, metadata: { ...m.metadata, labels: { tier: 'edge-v2' } } } : m,
    );
    expect(workloadVersion(changed, config, edge)).not.toBe(version);
    expect(workloadVersion(manifests.slice(1), config, edge)).not.toBe(version);
  });

  it.each([
    ['the project name', validConfig((c) => (c.name = 'edge'))],
    ['the CDN domain name', validConfig((c) => (c.dns.domainName = 'cdn2.example.com'))],
    ['the origin', validConfig((c) => (c.workload.originUrl = 'https://other-origin.example.com'))],
    ['the service port', validConfig((c) => (c.workload.servicePort = 8080))],
    ['the health-check path', validConfig((c) => (c.workload.healthCheckPath = '/ready'))],
    ['the TLS policy', validConfig((c) => (c.https = { securityPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }))],
    [
      "a region's own certificate",
      validConfig(
        (c) =>
          (c.https = {
            certificateArns: { 'eu-west-1': 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-4333-8444-555555555555' },
          }),
      ),
    ],
    ['the cluster mode (the load balancer class)', validConfig((c) => (c.cluster = { mode: 'managed-nodegroup' }))],
  ])('changes when %s, rendered into the manifests, changes', (_setting, changed) => {
    expect(workloadVersion(manifests, changed, edge)).not.toBe(version);
  });

  it('changes when the Route 53 check the syncs converge regions to changes, with the same manifests and settings', () => {
    // An earlier version's check (HTTP on 80), as a version whose code checked regions so would compute it.
    jest.isolateModules(() => {
      jest.doMock('../../lambdas/region-ops/viewer-health-check', () => ({
        viewerHealthCheck: () => ({ protocol: 'HTTP', port: 80, path: '/healthz' }),
      }));
      const earlier = jest.requireActual<typeof import('../../lib/workload-version')>('../../lib/workload-version');
      expect(earlier.workloadVersion(manifests, config, edge)).not.toBe(version);
    });
  });

  it('changes when the region list changes, through the region table the edges attribute viewers with', () => {
    const fewer = validConfig((c) => (c.scalable = ['eu-west-1']));
    const fewerEdge = synthesizeEdgeFiles(fewer).identity;
    expect(fewerEdge.regionTableSha256).not.toBe(edge.regionTableSha256);
    expect(fewerEdge.agentSha256).toBe(edge.agentSha256);
    expect(workloadVersion(manifests, fewer, fewerEdge)).not.toBe(version);
  });

  it('does not change when the same regions are listed in another order', () => {
    const reordered = validConfig((c) => (c.scalable = [...(c.scalable ?? [])].reverse()));
    expect(workloadVersion(manifests, reordered, synthesizeEdgeFiles(reordered).identity)).toBe(version);
  });

  it.each([
    ['the region table', { ...edge, regionTableSha256: 'f'.repeat(64) }],
    ["the edge agent's code", { ...edge, agentSha256: '0'.repeat(64) }],
  ])('changes when %s changes, with the same manifests and settings', (_file, changed) => {
    expect(workloadVersion(manifests, config, changed)).not.toBe(version);
  });

  it('does not change with settings that do not reach a region: thresholds, schedules', () => {
    const changed = validConfig((c) => {
      c.thresholds = { scaleUpRequestsPerMinute: 12345 } as never;
      c.schedules = [{ region: 'eu-west-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'Europe/Dublin' }] as never;
    });
    expect(workloadVersion(manifests, changed, synthesizeEdgeFiles(changed).identity)).toBe(version);
  });
});
