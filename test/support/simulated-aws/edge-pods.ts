/**
 * The pods of the simulated Deployments, and the purge companion in each edge pod.
 *
 * Pods follow the Deployment controller's status (deployments.ts): a Deployment has as many pods
 * of its current template as `updatedReplicas` and as many of older templates as the rest of
 * `replicas`, `readyReplicas` of them Ready (old ones first, as a rolling update keeps them
 * serving). A pod keeps its name for its life; new pods are created when the controller acts on
 * the change (the roll-out's start plus the observe lag), and pods beyond the counts go away.
 *
 * The companion (the `purge` sidecar; see the README's Purge section for the contract) answers
 * each new request of the `edge-purge` ConfigMap once, PURGE_ANSWER_DELAY_MS after it saw it (or
 * after its pod started, for a pod created later): it deletes the matching keys of its pod's
 * simulated cache and merge-patches its result into `edge-purge-results` under the pod's name.
 * It answers whether or not its pod is Ready, like the real sidecar, which does not wait for
 * nginx. Hooks: `world.silentPurgePods` (pods whose companion never answers),
 * `world.failingPurgePods` (pods whose companion answers with an error) and `world.unreadyPods`
 * (pods whose readiness probe fails).
 */
import { createHash } from 'node:crypto';
import { deploymentStatus, isDeployment, OBSERVE_LAG_MS, rolloutChangedAt } from './deployments';
import type { SimCluster, SimPod, SimulatedAws } from './world';

/** How long a companion takes from seeing a request (it polls about once a second) to its answer. */
export const PURGE_ANSWER_DELAY_MS = 1_500;
export const EDGE_NAMESPACE = 'kubecdn-edge';
const REQUEST_KEY = `/api/v1/namespaces/${EDGE_NAMESPACE}/configmaps/edge-purge`;
const RESULTS_KEY = `/api/v1/namespaces/${EDGE_NAMESPACE}/configmaps/edge-purge-results`;
const DEPLOYMENT_KEY = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/;

function clusterKey(cluster: SimCluster): string {
  return `${cluster.region}/${cluster.name}`;
}

function templateHash(template: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest('hex')
    .slice(0, 10);
}

/** A Kubernetes timestamp: RFC 3339 to the second, as the API server writes creationTimestamp. */
export function kubernetesTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

type DeploymentLike = {
  metadata?: { name?: string };
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: unknown[] } } };
};

/** Brings the cluster's pods in line with its Deployments' status now; returns them. */
export function reconcilePods(world: SimulatedAws, cluster: SimCluster): SimPod[] {
  const key = clusterKey(cluster);
  const pods = world.pods.get(key) ?? new Map<string, SimPod>();
  world.pods.set(key, pods);
  const live = new Set<string>();
  for (const [path, object] of cluster.objects) {
    const match = DEPLOYMENT_KEY.exec(path);
    if (!match || !isDeployment(object)) continue;
    const [, namespace, deployment] = match as unknown as [string, string, string];
    const template = (object as DeploymentLike).spec?.template;
    const hash = templateHash(template);
    const status = deploymentStatus(world, cluster, path, object as never);
    const oldCount = Math.max(0, status.replicas - status.updatedReplicas);
    const oldReady = Math.min(oldCount, status.readyReplicas);
    const newReady = Math.max(0, status.readyReplicas - oldReady);
    const mine = [...pods.values()]
      .filter((pod) => pod.namespace === namespace && pod.deployment === deployment)
      .sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
    const current = mine.filter((pod) => pod.templateHash === hash);
    const old = mine.filter((pod) => pod.templateHash !== hash);
    const changedAt = rolloutChangedAt(cluster, path);
    const createdAt = changedAt === undefined ? world.now : Math.min(world.now, changedAt + OBSERVE_LAG_MS);
    while (current.length < status.updatedReplicas) {
      const name = `${deployment}-${hash}-${world.nextId('', 5)}`;
      const pod: SimPod = {
        name,
        namespace,
        deployment,
        templateHash: hash,
        labels: { ...(template?.metadata?.labels ?? {}), 'pod-template-hash': hash },
        createdAt,
        ready: false,
        cache: [],
        handled: [],
      };
      pods.set(name, pod);
      current.push(pod);
    }
    const keep = [...current.slice(0, status.updatedReplicas), ...old.slice(0, oldCount)];
    current.slice(0, status.updatedReplicas).forEach((pod, i) => (pod.ready = i < newReady));
    old.slice(0, oldCount).forEach((pod, i) => (pod.ready = i < oldReady));
    // A scale-down (warm standby) reports the old counts until the pods are gone; meanwhile the
    // pods of the current template beyond spec.replicas are terminating, newest first, as the
    // ReplicaSet controller picks them. (A rolling update's surge pod is within spec.replicas.)
    const desired = (object as DeploymentLike & { spec?: { replicas?: number } }).spec?.replicas ?? 1;
    current.slice(0, status.updatedReplicas).forEach((pod, i) => {
      if (i >= desired) pod.terminatingSince ??= world.now;
      else delete pod.terminatingSince;
    });
    for (const pod of keep) {
      if (world.unreadyPods.has(pod.name) || pod.terminatingSince !== undefined) pod.ready = false;
      live.add(pod.name);
    }
  }
  for (const name of [...pods.keys()]) if (!live.has(name)) pods.delete(name);
  settleCompanions(world, cluster, pods);
  return [...pods.values()];
}

/** The Pod object the API server would return. */
export function podObject(pod: SimPod): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels: { ...pod.labels },
      creationTimestamp: kubernetesTime(pod.createdAt),
      ...(pod.terminatingSince !== undefined
        ? { deletionTimestamp: kubernetesTime(pod.terminatingSince), deletionGracePeriodSeconds: 30 }
        : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${pod.deployment}-${pod.templateHash}`, controller: true }],
    },
    status: {
      phase: 'Running',
      startTime: kubernetesTime(pod.createdAt),
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'ContainersReady', status: pod.ready ? 'True' : 'False' },
        { type: 'Ready', status: pod.ready ? 'True' : 'False' },
      ],
    },
  };
}

interface PurgeRequestData {
  id: string;
  paths: string[];
  prefixes: string[];
  everything: boolean;
}

function currentRequest(cluster: SimCluster): PurgeRequestData | undefined {
  const text = (cluster.objects.get(REQUEST_KEY) as { data?: { request?: string } } | undefined)?.data?.request;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as PurgeRequestData;
  } catch {
    return undefined;
  }
}

/**
 * Notes when a request id first appeared in the cluster's `edge-purge` ConfigMap (the API server
 * calls this after every write): the companions' clock for that request starts then.
 */
export function noticePurgeRequest(world: SimulatedAws, cluster: SimCluster): void {
  const request = currentRequest(cluster);
  if (!request) return;
  const key = `${clusterKey(cluster)}|${request.id}`;
  if (!world.purgeRequestsSeen.has(key)) world.purgeRequestsSeen.set(key, world.now);
}

/** The path of a cache key `<host><path>[?query]`: from the first "/" up to the query. */
export function cacheKeyPath(cacheKey: string): string {
  const slash = cacheKey.indexOf('/');
  return (slash === -1 ? '' : cacheKey.slice(slash)).split('?')[0]!;
}

function matches(request: PurgeRequestData, cacheKey: string): boolean {
  if (request.everything) return true;
  const path = cacheKeyPath(cacheKey);
  return request.paths.includes(path) || request.prefixes.some((prefix) => path.startsWith(prefix));
}

/** Each companion's work since the last look: answer the current request once, when its time has come. */
function settleCompanions(world: SimulatedAws, cluster: SimCluster, pods: Map<string, SimPod>): void {
  const request = currentRequest(cluster);
  if (!request) return;
  const seenAt = world.purgeRequestsSeen.get(`${clusterKey(cluster)}|${request.id}`) ?? world.now;
  const results = cluster.objects.get(RESULTS_KEY) as { data?: Record<string, string> } | undefined;
  for (const pod of pods.values()) {
    if (pod.namespace !== EDGE_NAMESPACE || pod.handled.includes(request.id) || world.silentPurgePods.has(pod.name)) continue;
    const answeredAt = Math.max(seenAt, pod.createdAt) + PURGE_ANSWER_DELAY_MS;
    // The companion merge-patches the results ConfigMap: without it, the patch fails and it tries again later.
    if (world.now < answeredAt || !results) continue;
    const error = world.failingPurgePods.get(pod.name);
    let answer: Record<string, unknown>;
    if (error !== undefined) {
      answer = { id: request.id, error, finishedAt: new Date(answeredAt).toISOString() };
    } else {
      const kept = pod.cache.filter((cacheKey) => !matches(request, cacheKey));
      answer = {
        id: request.id,
        removed: pod.cache.length - kept.length,
        scanned: pod.cache.length,
        finishedAt: new Date(answeredAt).toISOString(),
      };
      pod.cache = kept;
    }
    pod.handled.push(request.id);
    results.data = { ...(results.data ?? {}), [pod.name]: JSON.stringify(answer) };
  }
}

/** The edge pods of the project's cluster in `region` (reconciled now), for tests to look at and seed. */
export function edgePods(world: SimulatedAws, region: string, project: string): SimPod[] {
  const cluster = world.cluster(region, `${project}-${region}`);
  if (!cluster) return [];
  return reconcilePods(world, cluster).filter((pod) => pod.namespace === EDGE_NAMESPACE);
}

/** Puts `cacheKeys` (`<host><path>[?query]`) into the cache of every edge pod in `region` (or of the pods `only` names). */
export function seedEdgeCache(
  world: SimulatedAws,
  region: string,
  project: string,
  cacheKeys: readonly string[],
  only?: readonly string[],
): void {
  for (const pod of edgePods(world, region, project))
    if (!only || only.includes(pod.name)) pod.cache = [...new Set([...pod.cache, ...cacheKeys])];
}
