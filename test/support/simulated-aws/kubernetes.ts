/**
 * A simulated Kubernetes API server for one EKS cluster: checks the IAM token and the access
 * entry, stores objects applied with server-side apply (at the path a real server serves their
 * kind at), publishes the cluster CA into each new namespace, lists Services, a namespace's
 * ConfigMaps and pods by label selector, and plays the load balancer
 * controller: a LoadBalancer Service gets an NLB with the listeners it asks for (and its hostname
 * after a while), and a deleted one lingers behind its finalizer until the NLB is gone. Pods and
 * the edge pods' purge companions are edge-pods.ts's.
 */
import type { KubernetesApi, KubernetesResponse } from '../../../lambdas/region-ops/kubernetes-api';
import { EKS_TOKEN_PREFIX } from '../../../lambdas/region-ops/eks-token';
import type { KubernetesPatchType } from '../../../lambdas/region-ops/kubernetes-api';
import { applyTemplatePatch, attachLiveStatus, forgetDeployment, isDeployment, recordDeploymentChange } from './deployments';
import { buildLoadBalancer } from './load-balancer-controller';
import { noticePurgeRequest, podObject, reconcilePods } from './edge-pods';
import { ACCOUNT_ID, LEAD_TIMES_MS, type KubernetesCallOrigin, type SimCluster, type SimulatedAws } from './world';

export interface KubernetesRequestLog {
  readonly cluster: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** The PATCH content type the client asked for (undefined: the default, server-side apply). */
  readonly patchType?: KubernetesPatchType;
  /** Set when the request came through the region's Kubernetes API relay, from inside the VPC. */
  readonly via?: 'relay';
}

/** Why a token is not one EKS would accept for this cluster's region, or undefined if it is. */
function tokenProblem(token: string, region: string): string | undefined {
  if (!token.startsWith(EKS_TOKEN_PREFIX)) return `token does not start with ${EKS_TOKEN_PREFIX}`;
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return 'token is not a base64url-encoded URL';
  }
  const q = url.searchParams;
  if (url.hostname !== `sts.${region}.amazonaws.com`) return `token is presigned for ${url.hostname}, not sts.${region}.amazonaws.com`;
  if (q.get('Action') !== 'GetCallerIdentity' || q.get('Version') !== '2011-06-15') return 'token is not a GetCallerIdentity call';
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !q.get('X-Amz-Signature')) return 'token is not SigV4-presigned';
  if (!(q.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id'))
    return 'token does not sign the x-k8s-aws-id header (the cluster name)';
  if (!(q.get('X-Amz-Credential') ?? '').includes(`/${region}/sts/aws4_request`))
    return 'token credential scope is not sts in the cluster region';
  const expires = Number(q.get('X-Amz-Expires'));
  if (!(expires > 0 && expires <= 900)) return `token expiry ${expires} s is outside 1-900`;
  return undefined;
}

function objectKey(path: string): string {
  return path.split('?')[0]!;
}

/** A socket error as Node.js reports it (the `code` is what retry policies read). */
export function socketError(code: string, endpoint: string, syscall = 'read'): Error {
  return Object.assign(new Error(`${syscall} ${code} ${new URL(endpoint).hostname}:443`), { code, syscall });
}

export function simulatedKubernetesApi(
  world: SimulatedAws,
  endpoint: string,
  token: string,
  principalArn: string,
  log: KubernetesRequestLog[],
  from: KubernetesCallOrigin = 'internet',
): KubernetesApi {
  const find = (): SimCluster | undefined =>
    [...world.clusters.values()].find((c) => c.endpoint === endpoint && world.cluster(c.region, c.name));
  const api: KubernetesApi = {
    async request(method, path, body, patchType): Promise<KubernetesResponse> {
      const cluster = find();
      log.push({
        cluster: cluster?.name ?? endpoint,
        method,
        path,
        body,
        ...(patchType ? { patchType } : {}),
        ...(from === 'internet' ? {} : { via: 'relay' as const }),
      });
      const unreachable = cluster && world.kubernetesEndpointUnreachable(cluster, from);
      if (unreachable)
        throw Object.assign(socketError('ETIMEDOUT', endpoint, 'connect'), { message: `connect ETIMEDOUT ${endpoint}: ${unreachable}` });
      if (!cluster || world.clusterStatus(cluster) !== 'ACTIVE') throw socketError('ECONNREFUSED', endpoint, 'connect');
      const problem = tokenProblem(token, cluster.region);
      if (problem) return { status: 401, body: { kind: 'Status', message: `Unauthorized: ${problem}` } };
      const access = cluster.accessEntries.get(principalArn);
      if (!access?.policies.has('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy')) {
        return {
          status: 403,
          body: { kind: 'Status', message: `forbidden: ${principalArn} has no access entry with a policy in ${cluster.name}` },
        };
      }
      settleServices(world, cluster);
      const pods = reconcilePods(world, cluster);
      const key = objectKey(path);
      if (method === 'PATCH') {
        if (patchType === undefined || patchType === 'application/apply-patch+yaml') {
          const applied = apply(world, cluster, path, key, body as Record<string, unknown>);
          noticePurgeRequest(world, cluster);
          return applied;
        }
        if (patchType === 'application/json-patch+json') return jsonPatch(world, cluster, path, key, body);
        return { status: 415, body: { kind: 'Status', message: `the simulated API server does not accept PATCH as ${String(patchType)}` } };
      }
      if (method === 'DELETE') return remove(world, cluster, key);
      const selector = new URLSearchParams(path.split('?')[1] ?? '').get('labelSelector');
      if (key === '/api/v1/services') {
        const items = list(cluster, (k) => /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+$/.test(k), selector);
        return { status: 200, body: { kind: 'ServiceList', items } };
      }
      const podsIn = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods(?:\/([^/]+))?$/.exec(key);
      if (podsIn) {
        const [, namespace, name] = podsIn;
        const inScope = pods.filter((pod) => namespace === undefined || pod.namespace === namespace);
        if (name !== undefined) {
          const pod = inScope.find((p) => p.name === name);
          if (!pod) return { status: 404, body: { kind: 'Status', reason: 'NotFound', message: `pods "${name}" not found` } };
          return { status: 200, body: podObject(pod) };
        }
        // Listing in a namespace that does not exist is an empty list, not a 404, as the API server answers.
        const items = inScope.filter((pod) => matchesLabelSelector(pod.labels, selector)).map(podObject);
        return { status: 200, body: { kind: 'PodList', apiVersion: 'v1', items } };
      }
      if (key === '/apis/apps/v1/deployments') {
        const items = list(cluster, (k) => /^\/apis\/apps\/v1\/namespaces\/[^/]+\/deployments\/[^/]+$/.test(k), selector);
        return { status: 200, body: { kind: 'DeploymentList', apiVersion: 'apps/v1', items } };
      }
      if (/^\/api\/v1\/namespaces\/[^/]+\/events$/.test(key)) {
        const fieldSelector = new URLSearchParams(path.split('?')[1] ?? '').get('fieldSelector');
        const items = list(cluster, (k) => k.startsWith(`${key}/`) && !k.slice(key.length + 1).includes('/'), selector).filter((event) =>
          matchesEventFieldSelector(event, fieldSelector),
        );
        return { status: 200, body: { kind: 'EventList', apiVersion: 'v1', items } };
      }
      if (/^\/api\/v1\/namespaces\/[^/]+\/configmaps$/.test(key)) {
        const items = list(cluster, (k) => k.startsWith(`${key}/`) && !k.slice(key.length + 1).includes('/'), selector);
        return { status: 200, body: { kind: 'ConfigMapList', items } };
      }
      const object = cluster.objects.get(key);
      if (!object) return { status: 404, body: { kind: 'Status', message: `${key} not found` } };
      return { status: 200, body: structuredClone(object) };
    },
  };
  return {
    async request(...args): Promise<KubernetesResponse> {
      const fault = world.takeKubernetesNetworkFault(find()?.region ?? '');
      if (fault?.lost === 'request') throw socketError(fault.code, endpoint);
      const response = await api.request(...args);
      if (fault?.lost === 'response') throw socketError(fault.code, endpoint);
      return response;
    },
  };
}

/**
 * Whether an object's labels match a label selector as the API server reads the subset the
 * workflow uses: terms joined by commas, each `key=value` (or `key==value`) or a bare `key` (the
 * label exists). Anything else is refused, so a selector the simulation cannot read fails loudly.
 */
export function matchesLabelSelector(labels: Readonly<Record<string, string>>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const equality = /^([A-Za-z0-9._/-]+)==?([A-Za-z0-9._-]*)$/.exec(term.trim());
    if (equality) return labels[equality[1]!] === equality[2];
    if (/^[A-Za-z0-9._/-]+$/.test(term.trim())) return term.trim() in labels;
    throw new Error(`the simulated API server does not read the label selector term "${term}"`);
  });
}

/** The objects at keys `inList` accepts whose labels match `selector`, as copies. */
function list(cluster: SimCluster, inList: (key: string) => boolean, selector: string | null): Record<string, unknown>[] {
  return [...cluster.objects.entries()]
    .filter(([k, o]) => inList(k) && matchesLabelSelector((o.metadata as { labels?: Record<string, string> }).labels ?? {}, selector))
    .map(([, o]) => structuredClone(o));
}

/**
 * The resources the simulated API server serves, by `<apiVersion>/<kind>`: its own list, as a real
 * server has one, not the workflow's (lambdas/region-ops/kubernetes-manifests.ts), so a workflow
 * that puts an object at the wrong path is caught here as a real server would catch it.
 */
const SERVED_RESOURCES: Readonly<Record<string, { plural: string; namespaced: boolean }>> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Secret': { plural: 'secrets', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'policy/v1/PodDisruptionBudget': { plural: 'poddisruptionbudgets', namespaced: true },
  'autoscaling/v2/HorizontalPodAutoscaler': { plural: 'horizontalpodautoscalers', namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { plural: 'networkpolicies', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
};

/** Why the API server would refuse `body` at `key` (wrong group, version, resource, namespace or name), or undefined. */
function placementProblem(key: string, body: Record<string, unknown>): { status: number; message: string } | undefined {
  const metadata = body.metadata as { name?: string; namespace?: string };
  const served = SERVED_RESOURCES[`${String(body.apiVersion)}/${String(body.kind)}`];
  if (!served)
    return { status: 404, message: `the server could not find the requested resource (${String(body.apiVersion)}/${String(body.kind)})` };
  const apiVersion = String(body.apiVersion);
  const group = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const namespace = served.namespaced ? `/namespaces/${metadata.namespace ?? /\/namespaces\/([^/]+)\//.exec(key)?.[1]}` : '';
  const expected = `${group}${namespace}/${served.plural}/${metadata.name}`;
  if (key !== expected)
    return { status: 400, message: `${apiVersion} ${String(body.kind)} ${metadata.name} belongs at ${expected}, not ${key}` };
  return undefined;
}

function apply(world: SimulatedAws, cluster: SimCluster, path: string, key: string, body: Record<string, unknown>): KubernetesResponse {
  const query = new URLSearchParams(path.split('?')[1] ?? '');
  if (!query.get('fieldManager')) return { status: 422, body: { message: 'apply requires a fieldManager' } };
  if (!body || typeof body !== 'object' || !body.apiVersion || !body.kind)
    return { status: 400, body: { message: 'apply body must be a full object' } };
  const metadata = body.metadata as { name?: string; namespace?: string };
  if (!key.endsWith(`/${metadata.name}`))
    return { status: 400, body: { message: `name in body (${metadata.name}) does not match the path ${key}` } };
  const misplaced = placementProblem(key, body);
  if (misplaced) return { status: misplaced.status, body: { kind: 'Status', message: misplaced.message } };
  const namespace = /\/namespaces\/([^/]+)\//.exec(key)?.[1];
  if (namespace && !cluster.objects.has(`/api/v1/namespaces/${namespace}`))
    return { status: 404, body: { message: `namespaces "${namespace}" not found` } };
  const existing = cluster.objects.get(key);
  if (existing && (existing.metadata as { deletionTimestamp?: string }).deletionTimestamp) {
    return { status: 409, body: { message: `${key} is being deleted` } };
  }
  if (query.get('fieldManager') === 'kubecdn-warm-standby') {
    // The only partial apply the workflow makes: replicas.
    if (!existing) return { status: 422, body: { message: 'partial object would create an invalid Deployment' } };
    const merged = structuredClone(existing);
    (merged.spec as Record<string, unknown>).replicas = (body.spec as { replicas: number }).replicas;
    if (isDeployment(merged)) {
      recordDeploymentChange(world, cluster, key, existing, merged);
      attachLiveStatus(world, cluster, key, merged);
    }
    cluster.objects.set(key, merged);
    return { status: 200, body: merged };
  }
  const stored = structuredClone(body);
  if (existing?.status) stored.status = existing.status;
  if (body.kind === 'ConfigMap') mergeConfigMapData(world, cluster, key, query.get('fieldManager')!, existing, stored);
  if (isDeployment(stored)) {
    // A Deployment's status is the controller's, computed on every read (deployments.ts).
    if (existing && !isDeployment(existing)) return { status: 409, body: { message: `${key} holds a ${String(existing.kind)}` } };
    recordDeploymentChange(world, cluster, key, existing, stored);
    attachLiveStatus(world, cluster, key, stored);
  }
  cluster.objects.set(key, stored);
  if (body.kind === 'Namespace' && !existing) {
    // kube-controller-manager's root CA publisher: every namespace has the cluster CA, which
    // projected service-account volumes mount.
    cluster.objects.set(`${key}/configmaps/kube-root-ca.crt`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: metadata.name },
      data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n' },
    });
  }
  if (body.kind === 'Service' && (body.spec as { type?: string }).type === 'LoadBalancer') reconcileLoadBalancer(world, cluster, key, body);
  return { status: existing ? 200 : 201, body: stored };
}

/**
 * The load balancer controller's reconcile of an applied LoadBalancer Service: a new load
 * balancer, or the existing one's listeners and target health check brought in line (as the
 * controllers modify listeners in place). A Service it cannot build keeps what it had.
 */
function reconcileLoadBalancer(world: SimulatedAws, cluster: SimCluster, key: string, body: Record<string, unknown>): void {
  const unservedKey = `${cluster.region}/${cluster.name}|${key}`;
  const build = buildLoadBalancer(world, cluster, body);
  if (!build.ok) {
    if ('unhandled' in build) world.unservedLoadBalancerServices.add(unservedKey);
    else {
      world.unservedLoadBalancerServices.delete(unservedKey);
      world.loadBalancerProblems.push(`${cluster.name} ${key}: ${build.problem}`);
      recordWarningEvent(world, cluster, key, build.problem);
    }
    return;
  }
  world.unservedLoadBalancerServices.delete(unservedKey);
  const owned = world
    .liveLoadBalancers(cluster.region)
    .find((l) => l.owner.cluster === cluster.name && l.owner.servicePath === key && l.deleteRequestedAt === undefined);
  if (owned) {
    owned.listeners = build.spec.listeners;
    owned.targetHealthCheck = build.spec.targetHealthCheck;
    return;
  }
  const dnsName = `k8s-${cluster.name.slice(0, 8)}-${world.nextId('', 10)}.elb.${cluster.region}.amazonaws.com`;
  const annotations =
    ((body.metadata as { annotations?: Record<string, string> }).annotations ?? {})[
      'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags'
    ] ?? '';
  const tags = Object.fromEntries(
    annotations
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  world.loadBalancers.push({
    arn: `arn:aws:elasticloadbalancing:${cluster.region}:${ACCOUNT_ID}:loadbalancer/net/${dnsName.split('.')[0]}/${world.nextId('', 16)}`,
    region: cluster.region,
    dnsName,
    createdAt: world.now,
    tags: { ...tags, 'eks:eks-cluster-name': cluster.name },
    owner: { cluster: cluster.name, servicePath: key },
    ...build.spec,
  });
}

/**
 * The controller's Warning event on the Service it could not build a load balancer for, as the
 * AWS controllers report it (the same reason and message again counts up one event).
 */
function recordWarningEvent(world: SimulatedAws, cluster: SimCluster, serviceKey: string, problem: string): void {
  const [, namespace, name] = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/.exec(serviceKey) ?? [];
  if (!namespace || !name) return;
  const reason = problem.startsWith('CertificateNotFound') ? 'FailedDeployModel' : 'FailedBuildModel';
  const message = `Failed ${reason === 'FailedDeployModel' ? 'deploy' : 'build'} model due to ${problem}`;
  const at = new Date(world.now).toISOString();
  const prefix = `/api/v1/namespaces/${namespace}/events/`;
  const same = [...cluster.objects].find(
    ([k, o]) =>
      k.startsWith(prefix) && (o.involvedObject as { name?: string }).name === name && o.reason === reason && o.message === message,
  );
  if (same) {
    same[1].count = (same[1].count as number) + 1;
    same[1].lastTimestamp = at;
    return;
  }
  const eventName = `${name}.${world.nextId('', 16)}`;
  cluster.objects.set(`${prefix}${eventName}`, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName, namespace, creationTimestamp: at },
    involvedObject: { apiVersion: 'v1', kind: 'Service', namespace, name },
    type: 'Warning',
    reason,
    message,
    source: { component: 'service' },
    count: 1,
    firstTimestamp: at,
    lastTimestamp: at,
  });
}

/**
 * Whether an Event matches a field selector as the API server reads the subset the workflow uses:
 * `involvedObject.kind`, `involvedObject.name` and `type`, each `field=value`. Anything else is
 * refused, so a selector the simulation cannot read fails loudly.
 */
function matchesEventFieldSelector(event: Record<string, unknown>, selector: string | null): boolean {
  if (!selector) return true;
  const involved = (event.involvedObject ?? {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = { 'involvedObject.kind': involved.kind, 'involvedObject.name': involved.name, type: event.type };
  return selector.split(',').every((term) => {
    const match = /^([A-Za-z.]+)==?(.*)$/.exec(term.trim());
    if (!match || !(match[1]! in fields)) throw new Error(`the simulated API server does not read the event field selector term "${term}"`);
    return fields[match[1]!] === match[2];
  });
}

/**
 * Server-side apply of a ConfigMap's data as the API server merges it: the manager's keys are
 * what it applies now (a key it applied before and leaves out is removed), and keys other
 * writers set (a companion's merge patch) stay.
 */
function mergeConfigMapData(
  world: SimulatedAws,
  cluster: SimCluster,
  key: string,
  manager: string,
  existing: Record<string, unknown> | undefined,
  stored: Record<string, unknown>,
): void {
  const ownerKey = `${cluster.region}/${cluster.name}|${key}|${manager}`;
  const applied = (stored.data as Record<string, string> | undefined) ?? {};
  const before = (existing?.data as Record<string, string> | undefined) ?? {};
  const ownedBefore = new Set(world.configMapDataOwners.get(ownerKey) ?? []);
  const kept = Object.fromEntries(Object.entries(before).filter(([k]) => !(k in applied) && !ownedBefore.has(k)));
  const data = { ...kept, ...applied };
  if (Object.keys(data).length > 0 || stored.data !== undefined) stored.data = data;
  world.configMapDataOwners.set(ownerKey, Object.keys(applied));
}

function remove(world: SimulatedAws, cluster: SimCluster, key: string): KubernetesResponse {
  const object = cluster.objects.get(key);
  if (!object) return { status: 404, body: { message: `${key} not found` } };
  const lb = world.liveLoadBalancers(cluster.region).find((l) => l.owner.cluster === cluster.name && l.owner.servicePath === key);
  if (lb) {
    // The controller's finalizer keeps the Service until its load balancer is deleted.
    lb.deleteRequestedAt ??= world.now;
    (object.metadata as Record<string, unknown>).deletionTimestamp = new Date(world.now).toISOString();
    return { status: 202, body: object };
  }
  cluster.objects.delete(key);
  forgetDeployment(cluster, key);
  return { status: 200, body: object };
}

/** A JSON patch: only the restore of a Deployment's pod template (see deployments.ts). */
function jsonPatch(world: SimulatedAws, cluster: SimCluster, path: string, key: string, body: unknown): KubernetesResponse {
  const query = new URLSearchParams(path.split('?')[1] ?? '');
  if (query.has('force')) return { status: 400, body: { kind: 'Status', message: 'force is only allowed for apply patches' } };
  const existing = cluster.objects.get(key);
  if (!existing) return { status: 404, body: { kind: 'Status', message: `${key} not found` } };
  const result = applyTemplatePatch(existing, body);
  if (!result.ok) return { status: result.status, body: { kind: 'Status', message: result.message } };
  recordDeploymentChange(world, cluster, key, existing, result.patched);
  attachLiveStatus(world, cluster, key, result.patched);
  cluster.objects.set(key, result.patched);
  return { status: 200, body: structuredClone(result.patched) };
}

/**
 * The load balancer controller's work since the last request: a controller that has become
 * available takes up the Services nobody served, hostnames appear, finalizers clear.
 */
function settleServices(world: SimulatedAws, cluster: SimCluster): void {
  for (const unserved of [...world.unservedLoadBalancerServices]) {
    const [owner, key] = unserved.split('|') as [string, string];
    if (owner !== `${cluster.region}/${cluster.name}`) continue;
    const service = cluster.objects.get(key);
    if (!service || (service.metadata as { deletionTimestamp?: string }).deletionTimestamp) {
      world.unservedLoadBalancerServices.delete(unserved);
      continue;
    }
    if (!('unhandled' in buildLoadBalancer(world, cluster, service))) reconcileLoadBalancer(world, cluster, key, service);
  }
  const live = world.liveLoadBalancers(cluster.region);
  for (const [key, object] of [...cluster.objects]) {
    if (object.kind !== 'Service') continue;
    const lb = world.loadBalancers.find((l) => l.owner.cluster === cluster.name && l.owner.servicePath === key);
    if ((object.metadata as { deletionTimestamp?: string }).deletionTimestamp) {
      if (!lb || !live.includes(lb)) cluster.objects.delete(key);
      continue;
    }
    if (lb && world.now >= lb.createdAt + LEAD_TIMES_MS.loadBalancerHostname) {
      object.status = { loadBalancer: { ingress: [{ hostname: lb.dnsName }] } };
    }
  }
}
