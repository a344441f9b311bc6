/**
 * The edge workload inside a region's cluster, through the Kubernetes API: apply it, find its
 * load balancer, delete load-balancer Services before the cluster goes, scale it to zero for a
 * warm standby.
 */
import { RetryableError } from '../shared/errors';
import { RegionOperationFailedError } from './errors';
import { FIELD_MANAGER, PART_OF_LABEL } from './names';
import { CONFIG_NAME_LABEL, objectPath, type KubernetesManifest } from './kubernetes-manifests';
import type { KubernetesApi, KubernetesResponse } from './kubernetes-api';

/** Scale-to-zero uses its own field manager so it never takes other fields away from the apply's manager. */
const STANDBY_FIELD_MANAGER = 'kubecdn-warm-standby';

interface ServiceObject {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec?: { type?: string };
  status?: { loadBalancer?: { ingress?: { hostname?: string }[] } };
}

/** Throws unless the response has one of `okStatuses`: retryable for statuses that pass, failed for the rest. */
export function check(response: KubernetesResponse, what: string, okStatuses: readonly number[] = [200, 201, 202]): void {
  if (okStatuses.includes(response.status)) return;
  const detail =
    typeof response.body === 'object' && response.body && 'message' in response.body
      ? String(response.body.message)
      : JSON.stringify(response.body);
  // 401/403 right after the access entry is created: EKS takes a few seconds to propagate it.
  if ([401, 403, 409, 429, 500, 502, 503, 504].includes(response.status))
    throw new RetryableError(`${what}: HTTP ${response.status}: ${detail}`);
  throw new RegionOperationFailedError(`${what}: HTTP ${response.status}: ${detail}`);
}

/** Server-side apply of every manifest, forced: the workflow owns these fields, whoever edited them by hand. */
export async function applyWorkload(api: KubernetesApi, manifests: readonly KubernetesManifest[]): Promise<string[]> {
  const applied: string[] = [];
  for (const manifest of manifests) {
    const path = `${objectPath(manifest)}?fieldManager=${FIELD_MANAGER}&force=true`;
    check(await api.request('PATCH', path, manifest), `applying ${manifest.kind} ${manifest.metadata.name}`);
    applied.push(`${manifest.kind}/${manifest.metadata.namespace ?? ''}/${manifest.metadata.name}`.replace('//', '/'));
  }
  return applied;
}

async function listServices(api: KubernetesApi, labelSelector?: string): Promise<ServiceObject[]> {
  const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const response = await api.request('GET', `/api/v1/services${query}`);
  check(response, 'listing Services');
  return ((response.body as { items?: ServiceObject[] }).items ?? []).filter((s) => s.spec?.type === 'LoadBalancer');
}

/** The workload's LoadBalancer Service, with its load balancer's DNS name once the controller has provisioned one. */
export async function workloadLoadBalancerService(
  api: KubernetesApi,
  project: string,
): Promise<{ namespace: string; name: string; hostname: string | undefined }> {
  const [service] = await listServices(api, `${PART_OF_LABEL}=${project}`);
  if (!service) throw new RegionOperationFailedError('the workload has no Service of type LoadBalancer; was it applied?');
  const hostname = service.status?.loadBalancer?.ingress?.find((i) => i.hostname)?.hostname;
  return { namespace: service.metadata.namespace, name: service.metadata.name, hostname };
}

/**
 * Deletes every Service of type LoadBalancer in the cluster, ours or not: any of them would leave
 * an NLB that blocks the VPC and bills after the cluster is gone. Returns the load balancers'
 * DNS names so the workflow can wait until ELB no longer has them, and how many Services remain
 * (they linger while the controller's finalizer removes the load balancer).
 */
export async function deleteLoadBalancerServices(api: KubernetesApi): Promise<{ hostnames: string[]; remaining: number }> {
  const services = await listServices(api);
  const hostnames: string[] = [];
  for (const service of services) {
    for (const ingress of service.status?.loadBalancer?.ingress ?? []) if (ingress.hostname) hostnames.push(ingress.hostname);
    const path = `/api/v1/namespaces/${encodeURIComponent(service.metadata.namespace)}/services/${encodeURIComponent(service.metadata.name)}`;
    check(await api.request('DELETE', path), `deleting Service ${service.metadata.namespace}/${service.metadata.name}`, [200, 202, 404]);
  }
  return { hostnames, remaining: services.length };
}

/**
 * Warm standby: no pods, no autoscaler bringing them back. The cluster's control plane stays, so
 * the next start only re-applies the manifests (which restores replicas and the autoscaler).
 */
export async function scaleWorkloadToZero(api: KubernetesApi, manifests: readonly KubernetesManifest[]): Promise<void> {
  for (const manifest of manifests) {
    if (manifest.kind === 'HorizontalPodAutoscaler') {
      check(await api.request('DELETE', objectPath(manifest)), `deleting ${manifest.kind} ${manifest.metadata.name}`, [200, 202, 404]);
    }
  }
  for (const manifest of manifests) {
    if (manifest.kind !== 'Deployment') continue;
    // Apply would create a missing Deployment from this partial object, so look first.
    const existing = await api.request('GET', objectPath(manifest));
    if (existing.status === 404) continue;
    check(existing, `reading ${manifest.kind} ${manifest.metadata.name}`);
    const patch = {
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      metadata: { name: manifest.metadata.name, namespace: manifest.metadata.namespace },
      spec: { replicas: 0 },
    };
    const response = await api.request('PATCH', `${objectPath(manifest)}?fieldManager=${STANDBY_FIELD_MANAGER}&force=true`, patch);
    check(response, `scaling ${manifest.kind} ${manifest.metadata.name} to zero`);
  }
}

/**
 * Deletes the project's content-named ConfigMaps (label `kubecdn.io/config-name`) that the
 * rendered manifests no longer name, in each namespace the rendered ConfigMaps live in. Run only
 * once the current pod templates have rolled out (no pod of an older template is left to need an
 * older ConfigMap), never on the restore path: a restored template mounts the previous one.
 * Returns `namespace/name` of each ConfigMap deleted.
 */
export async function pruneConfigMaps(api: KubernetesApi, project: string, rendered: readonly KubernetesManifest[]): Promise<string[]> {
  const current = new Map<string, Set<string>>();
  for (const manifest of rendered) {
    if (manifest.apiVersion !== 'v1' || manifest.kind !== 'ConfigMap') continue;
    const namespace = manifest.metadata.namespace ?? 'default';
    if (!current.has(namespace)) current.set(namespace, new Set());
    current.get(namespace)!.add(manifest.metadata.name);
  }
  const selector = encodeURIComponent(`${PART_OF_LABEL}=${project},${CONFIG_NAME_LABEL}`);
  const deleted: string[] = [];
  for (const [namespace, names] of current) {
    const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
    const response = await api.request('GET', `${base}?labelSelector=${selector}`);
    check(response, `listing ConfigMaps in ${namespace}`);
    const items = (response.body as { items?: { metadata?: { name?: string } }[] }).items ?? [];
    for (const name of items.map((item) => item.metadata?.name).filter((n): n is string => typeof n === 'string')) {
      if (names.has(name)) continue;
      check(await api.request('DELETE', `${base}/${encodeURIComponent(name)}`), `deleting ConfigMap ${namespace}/${name}`, [200, 202, 404]);
      deleted.push(`${namespace}/${name}`);
    }
  }
  return deleted;
}
