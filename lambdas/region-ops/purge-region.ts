/**
 * One region's part of a PurgeCache, through its Kubernetes API: write the request into the
 * `edge-purge` ConfigMap, which the purge companion of every edge pod polls, and read back what
 * each pod reported in `edge-purge-results`. Nothing listens on the network for purges: the
 * channel is the Kubernetes API, authenticated like every other workflow call.
 *
 * The contract with the companion (names, the request's JSON, the result's JSON) is fixed here
 * and in config/workload's purge manifest; see the README's Purge section.
 */
import * as z from 'zod/mini';
import { RegionOperationFailedError } from './errors';
import type { KubernetesApi } from './kubernetes-api';
import { PART_OF_LABEL } from './names';
import { check } from './workload';

export const EDGE_NAMESPACE = 'kubecdn-edge';
export const PURGE_REQUEST_CONFIGMAP = 'edge-purge';
export const PURGE_RESULTS_CONFIGMAP = 'edge-purge-results';
/** The edge pods, as the workload's Deployment labels them. */
export const EDGE_POD_SELECTOR = 'app.kubernetes.io/name=edge-nginx';
/** Its own field manager: the workload's apply (forced) never takes the request away, nor this the workload's fields. */
export const PURGE_FIELD_MANAGER = 'kubecdn-purge';

/** What the companions read from `edge-purge`'s `request` key. `id` is the execution's name. */
export interface PurgeRequest {
  readonly id: string;
  readonly paths: readonly string[];
  readonly prefixes: readonly string[];
  readonly everything: boolean;
  readonly requestedAt: string;
}

/** One pod's answer in `edge-purge-results`, under its pod name. */
export type PodPurgeResult =
  { readonly pod: string; readonly removed: number; readonly scanned: number } | { readonly pod: string; readonly error: string };

export interface EdgePod {
  readonly name: string;
  readonly ready: boolean;
  readonly createdAtMs: number;
  readonly terminating: boolean;
}

const configMapsPath = `/api/v1/namespaces/${EDGE_NAMESPACE}/configmaps`;

/** The lock item as the state machine's GetItem returned it (`Item` absent when the region is free). */
export const lockReadingSchema = z.looseObject({
  Item: z.optional(
    z.looseObject({
      holder: z.optional(z.looseObject({ S: z.string() })),
      operation: z.optional(z.looseObject({ S: z.string() })),
      reason: z.optional(z.looseObject({ S: z.string() })),
      expiresAt: z.optional(z.looseObject({ N: z.string() })),
    }),
  ),
});
export type LockReading = z.infer<typeof lockReadingSchema>;

/**
 * What the region's lock says of a purge now:
 * - `free`: no lock, or one whose holder died (lapsed);
 * - `starting`: a StartRegion holds it. Purged all the same: the request reaches whichever edge
 *   pods run now, and every pod the start goes on to create begins with an empty cache (a new
 *   cluster, or a warm standby's Deployment scaled up from zero, mounts a new emptyDir), so
 *   nothing the start brings up can serve what was purged;
 * - `busy`: a stop or sync holds it. It is changing the pods the purge would wait for, so the
 *   region is refused and a re-run purges it after.
 */
export type LockVerdict =
  { readonly kind: 'free' } | { readonly kind: 'starting'; readonly holder: string } | { readonly kind: 'busy'; readonly cause: string };

export function lockVerdict(region: string, lock: LockReading, nowEpochSeconds: number): LockVerdict {
  const item = lock.Item;
  if (!item) return { kind: 'free' };
  const expiresAt = Number(item.expiresAt?.N);
  if (Number.isFinite(expiresAt) && expiresAt < nowEpochSeconds) return { kind: 'free' };
  const holder = item.holder?.S ?? 'an unknown execution';
  if (item.operation?.S === 'start') return { kind: 'starting', holder };
  const operation = item.operation?.S ?? 'an operation';
  const reason = item.reason?.S ? ` (reason: ${item.reason.S})` : '';
  return {
    kind: 'busy',
    cause: `${region} is busy: ${operation} of ${region} by execution ${holder} holds its lock${reason}; run PurgeCache again once it is done`,
  };
}

interface PodObject {
  metadata?: { name?: string; creationTimestamp?: string; deletionTimestamp?: string };
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** The edge pods of the region, as the API server lists them by label. */
export async function listEdgePods(api: KubernetesApi): Promise<EdgePod[]> {
  const response = await api.request(
    'GET',
    `/api/v1/namespaces/${EDGE_NAMESPACE}/pods?labelSelector=${encodeURIComponent(EDGE_POD_SELECTOR)}`,
  );
  // No namespace, no pods: a cluster the workload was never applied to.
  if (response.status === 404) return [];
  check(response, `listing the edge pods in ${EDGE_NAMESPACE}`);
  const items = (response.body as { items?: PodObject[] }).items ?? [];
  return items
    .filter((pod) => typeof pod.metadata?.name === 'string')
    .map((pod) => ({
      name: pod.metadata!.name!,
      ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      createdAtMs: Date.parse(pod.metadata?.creationTimestamp ?? ''),
      terminating: pod.metadata?.deletionTimestamp !== undefined,
    }));
}

/**
 * Writes the request (server-side apply, forced: the request is this field manager's alone) and
 * makes sure the results ConfigMap exists. The results ConfigMap is applied without `data`, so
 * the companions' entries are never taken away by it. The same request applied again (a retry)
 * changes nothing, so the companions do not purge twice.
 */
export async function requestPurge(api: KubernetesApi, project: string, request: PurgeRequest): Promise<void> {
  const metadata = (name: string) => ({ name, namespace: EDGE_NAMESPACE, labels: { [PART_OF_LABEL]: project } });
  const apply = async (name: string, body: Record<string, unknown>) => {
    const path = `${configMapsPath}/${name}?fieldManager=${PURGE_FIELD_MANAGER}&force=true`;
    const response = await api.request('PATCH', path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(name), ...body });
    if (response.status === 404)
      throw new RegionOperationFailedError(
        `applying ConfigMap ${EDGE_NAMESPACE}/${name}: namespace ${EDGE_NAMESPACE} not found; run StartRegion or SyncRegion to apply the workload`,
      );
    check(response, `applying ConfigMap ${EDGE_NAMESPACE}/${name}`);
  };
  await apply(PURGE_RESULTS_CONFIGMAP, {});
  const { id, paths, prefixes, everything, requestedAt } = request;
  await apply(PURGE_REQUEST_CONFIGMAP, { data: { request: JSON.stringify({ id, paths, prefixes, everything, requestedAt }) } });
}

const count = () => z.number().check(z.int(), z.nonnegative());
const podCountsSchema = z.looseObject({ id: z.string(), removed: count(), scanned: count() });
const podErrorSchema = z.looseObject({ id: z.string(), error: z.string() });

/** Every pod's answer to request `id` in `edge-purge-results` (answers to other requests are left out). */
export async function readPurgeResults(api: KubernetesApi, id: string): Promise<PodPurgeResult[]> {
  const response = await api.request('GET', `${configMapsPath}/${PURGE_RESULTS_CONFIGMAP}`);
  if (response.status === 404) return [];
  check(response, `reading ConfigMap ${EDGE_NAMESPACE}/${PURGE_RESULTS_CONFIGMAP}`);
  const data = (response.body as { data?: Record<string, unknown> }).data ?? {};
  const results: PodPurgeResult[] = [];
  for (const [pod, value] of Object.entries(data).sort(([a], [b]) => a.localeCompare(b))) {
    let parsed: unknown;
    try {
      parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
    } catch {
      continue; // Not an answer the companion wrote: as good as no answer.
    }
    const failed = podErrorSchema.safeParse(parsed);
    const counted = podCountsSchema.safeParse(parsed);
    if (failed.success && failed.data.id === id) results.push({ pod, error: failed.data.error });
    else if (counted.success && counted.data.id === id) results.push({ pod, removed: counted.data.removed, scanned: counted.data.scanned });
  }
  return results;
}

export interface PurgeProgress {
  /** Every pod waited for has answered. */
  readonly done: boolean;
  /** The answers to this request, by pod name. */
  readonly pods: PodPurgeResult[];
  /** Ready pods created before the request that have not answered yet. */
  readonly waiting: string[];
}

/**
 * Which pods still owe an answer: every Ready pod, not being deleted, created before the request.
 * A pod created after it started with an empty cache (nothing to purge); a pod that is not
 * Ready serves nobody, and answers when its companion runs anyway. The pods are listed again on
 * each poll, so a pod that went away meanwhile is not waited for.
 */
export async function purgeProgress(api: KubernetesApi, request: Pick<PurgeRequest, 'id' | 'requestedAt'>): Promise<PurgeProgress> {
  const requestedAtMs = Date.parse(request.requestedAt);
  const pods = await listEdgePods(api);
  const answers = await readPurgeResults(api, request.id);
  const answered = new Set(answers.map((a) => a.pod));
  const waiting = pods
    .filter((pod) => pod.ready && !pod.terminating && !(pod.createdAtMs > requestedAtMs) && !answered.has(pod.name))
    .map((pod) => pod.name)
    .sort();
  return { done: waiting.length === 0, pods: answers, waiting };
}

/**
 * A poll's answer to the workflow: whether to stop polling, and the region's result if it does
 * (purged, or failed when a pod answered with an error). `waitingSummary` names the pods still
 * owed for the timeout's cause, which States.Format cannot build from a list.
 */
export function regionProgress(region: string, progress: PurgeProgress) {
  const errors = progress.pods.flatMap((pod) => ('error' in pod ? [`${pod.pod}: ${pod.error}`] : []));
  const result =
    errors.length > 0
      ? { region, outcome: 'failed', error: 'PurgeFailed', cause: errors.join('; '), pods: progress.pods }
      : { region, outcome: 'purged', pods: progress.pods };
  return { done: progress.done, result, waiting: progress.waiting, waitingSummary: progress.waiting.join(', ') };
}
