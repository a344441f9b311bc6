/**
 * The workload version: a short hash of everything a region's edge workload is made of, so a
 * deploy can tell whether running regions need a roll-out. It covers the manifests and the config
 * settings rendered into them (project name, CDN domain, origin, port, health-check path, the
 * `https` section, the cluster mode behind the load balancer class), the edge files applied with
 * them (the agent's code and the region table, which the region list shapes) and the Route 53
 * health check the regions are converged to, and nothing else: thresholds or schedules do not
 * change what runs in a region. Pure.
 */
import { createHash } from 'node:crypto';
import type { KubeCdnConfig } from '../core/config';
import type { KubernetesManifest } from '../lambdas/region-ops/kubernetes-manifests';
import type { EdgeFilesIdentity } from './edge-files';
import { viewerHealthCheck } from '../lambdas/region-ops/viewer-health-check';

/** JSON with object keys sorted at every level, so the same content always hashes the same. Array order is kept: it is content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** First 12 hex characters of the SHA-256 of the manifests, the settings rendered into them and the edge files. */
export function workloadVersion(manifests: readonly KubernetesManifest[], config: KubeCdnConfig, edgeFiles: EdgeFilesIdentity): string {
  const content = {
    manifests,
    // By hash: the table is megabytes. Its content, not its gzip, so another zlib build changes nothing.
    edgeFiles: { regionTable: edgeFiles.regionTableSha256, agent: edgeFiles.agentSha256 },
    rendered: {
      name: config.name,
      domainName: config.dns.domainName,
      originUrl: config.workload.originUrl,
      servicePort: config.workload.servicePort,
      healthCheckPath: config.workload.healthCheckPath,
      // The Service's certificate (where the config names one) and TLS policy, and nginx's HTTPS behaviour.
      https: config.https,
      clusterMode: config.cluster.mode,
    },
    // Not rendered into the manifests, but converged by every sync (SyncRegion brings each region's
    // Route 53 check to it): a version that checks regions differently starts a roll-out, even
    // with the same manifests.
    healthCheck: viewerHealthCheck(config),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 12);
}
