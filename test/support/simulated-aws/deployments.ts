/**
 * The Deployment controller of the simulated Kubernetes API: every change to a Deployment's
 * spec bumps metadata.generation and starts a roll-out on the simulated clock, and a GET shows
 * the status a real controller would report at that moment, so code that reads Deployment status
 * is judged against the same fields `kubectl rollout status` uses.
 *
 * The model, per change:
 * - for the first second the controller has not observed the new generation (the old status);
 * - a new pod template rolls as RollingUpdate with maxSurge 1 / maxUnavailable 0: one surge pod of
 *   the new template beside the old pods until LEAD_TIMES_MS.podsReady has passed, then all pods
 *   are new and available;
 * - a template whose image is in `world.brokenImages` never gets ready: the surge pod stays
 *   unavailable, the old pods keep serving, and after spec.progressDeadlineSeconds (default 600)
 *   the Progressing condition turns False with reason ProgressDeadlineExceeded;
 * - a template that mounts a ConfigMap (volumes[].configMap, or a projected volume's) missing from
 *   the cluster never gets ready either: its pods stay in ContainerCreating. A roll-out to a
 *   template whose ConfigMap is missing at the change is stuck as a broken image's is; a ConfigMap
 *   deleted later, under pods already running, is taken at the worst case, every pod replaced
 *   since (node rotation, scale-out) and none ready, so a test catches a prune that deletes a
 *   ConfigMap still mounted;
 * - a replicas-only change (warm standby, warm start) keeps the old counts until podsReady.
 */
import { LEAD_TIMES_MS, type SimCluster, type SimulatedAws } from './world';

export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** How long the controller takes to observe a new generation. */
export const OBSERVE_LAG_MS = 1_000;

interface DeploymentCondition {
  readonly type: 'Available' | 'Progressing';
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

export interface DeploymentStatus {
  readonly observedGeneration: number;
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly unavailableReplicas?: number;
  readonly conditions: DeploymentCondition[];
}

interface Rollout {
  readonly generation: number;
  readonly changedAt: number;
  readonly templateChanged: boolean;
  readonly broken: boolean;
  /** The new template mounted a ConfigMap the cluster did not hold when the change was made. */
  readonly mountedMissingConfigMap: boolean;
  /** The status just before the change: what the old pods were doing. */
  readonly before: DeploymentStatus;
}

type DeploymentObject = Record<string, unknown> & {
  kind?: unknown;
  metadata?: { name?: string; generation?: number };
  spec?: {
    replicas?: number;
    progressDeadlineSeconds?: number;
    template?: PodTemplate;
    selector?: { matchLabels?: Record<string, string> };
  };
};

interface ConfigMapVolumeSource {
  name?: string;
  optional?: boolean;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: {
    containers?: { image?: unknown }[];
    initContainers?: { image?: unknown }[];
    volumes?: { configMap?: ConfigMapVolumeSource; projected?: { sources?: { configMap?: ConfigMapVolumeSource }[] } }[];
  };
}

const rollouts = new WeakMap<SimCluster, Map<string, Rollout>>();

function rolloutsOf(cluster: SimCluster): Map<string, Rollout> {
  let map = rollouts.get(cluster);
  if (!map) rollouts.set(cluster, (map = new Map()));
  return map;
}

export function isDeployment(object: Record<string, unknown> | undefined): boolean {
  return object?.apiVersion === 'apps/v1' && object.kind === 'Deployment';
}

function templateImages(template: PodTemplate | undefined): string[] {
  return [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])]
    .map((c) => c.image)
    .filter((image): image is string => typeof image === 'string');
}

/** The ConfigMaps the Deployment's pod template mounts (not optionally) that its namespace does not hold. */
export function missingConfigMaps(cluster: SimCluster, key: string, object: DeploymentObject): string[] {
  const namespace = /\/namespaces\/([^/]+)\//.exec(key)?.[1] ?? 'default';
  const volumes = object.spec?.template?.spec?.volumes ?? [];
  const sources = volumes.flatMap((v) => [v.configMap, ...(v.projected?.sources ?? []).map((p) => p.configMap)]);
  return sources
    .filter((ref): ref is ConfigMapVolumeSource => !!ref?.name && !ref.optional)
    .map((ref) => ref.name!)
    .filter((name) => !cluster.objects.has(`/api/v1/namespaces/${namespace}/configmaps/${name}`));
}

/** Every desired pod of the current template waits for a ConfigMap that is not there. */
function waitingForConfigMaps(object: DeploymentObject, generation: number, missing: readonly string[]): DeploymentStatus {
  const desired = object.spec?.replicas ?? 1;
  return {
    observedGeneration: generation,
    replicas: desired,
    updatedReplicas: desired,
    readyReplicas: 0,
    availableReplicas: 0,
    unavailableReplicas: desired,
    conditions: [
      available(0),
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `pods are ContainerCreating: configmap ${missing.map((m) => `"${m}"`).join(', ')} not found`,
      },
    ],
  };
}

function replicaSetName(object: DeploymentObject, generation: number): string {
  return `${object.metadata?.name ?? 'deployment'}-${generation.toString(16).padStart(10, '0')}`;
}

function complete(object: DeploymentObject, generation: number): DeploymentStatus {
  const desired = object.spec?.replicas ?? 1;
  return {
    observedGeneration: generation,
    replicas: desired,
    updatedReplicas: desired,
    readyReplicas: desired,
    availableReplicas: desired,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${replicaSetName(object, generation)}" has successfully progressed.`,
      },
    ],
  };
}

function available(count: number): DeploymentCondition {
  return count > 0
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      };
}

/** The status a Deployment controller would report for the stored object now. */
export function deploymentStatus(world: SimulatedAws, cluster: SimCluster, key: string, object: DeploymentObject): DeploymentStatus {
  const rollout = rolloutsOf(cluster).get(key);
  const generation = object.metadata?.generation ?? 1;
  const desired = object.spec?.replicas ?? 1;
  const missing = desired > 0 ? missingConfigMaps(cluster, key, object) : [];
  if (!rollout) return missing.length > 0 ? waitingForConfigMaps(object, generation, missing) : complete(object, generation);
  const elapsed = world.now - rollout.changedAt;
  if (elapsed < OBSERVE_LAG_MS) return rollout.before;
  const old = rollout.before.availableReplicas;
  const rs = replicaSetName(object, rollout.generation);
  // Missing since the change: the roll-out is stuck. Missing only since later (deleted under a
  // Deployment that had rolled out): the worst case below, no pod ready.
  const stuckOnConfigMap = rollout.templateChanged && rollout.mountedMissingConfigMap && missing.length > 0;
  if ((rollout.broken || stuckOnConfigMap) && desired > 0) {
    const deadlineMs = (object.spec?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
    return {
      observedGeneration: rollout.generation,
      replicas: old + 1,
      updatedReplicas: 1,
      readyReplicas: old,
      availableReplicas: old,
      unavailableReplicas: 1,
      conditions: [
        available(old),
        elapsed >= deadlineMs
          ? {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: `ReplicaSet "${rs}" has timed out progressing.`,
            }
          : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` },
      ],
    };
  }
  if (missing.length > 0) return waitingForConfigMaps(object, rollout.generation, missing);
  if (elapsed >= LEAD_TIMES_MS.podsReady) return complete(object, rollout.generation);
  if (!rollout.templateChanged) return { ...rollout.before, observedGeneration: rollout.generation };
  const surge = Math.min(1, desired);
  return {
    observedGeneration: rollout.generation,
    replicas: old + surge,
    updatedReplicas: surge,
    readyReplicas: old,
    availableReplicas: old,
    unavailableReplicas: surge,
    conditions: [
      available(old),
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` },
    ],
  };
}

/**
 * Called after `after` replaced `before` at `key`: a changed spec is a new generation and a new
 * roll-out (whose status starts from what the old pods were doing); an unchanged one keeps both.
 */
export function recordDeploymentChange(
  world: SimulatedAws,
  cluster: SimCluster,
  key: string,
  before: DeploymentObject | undefined,
  after: DeploymentObject,
): void {
  after.metadata ??= {};
  if (before && JSON.stringify(before.spec) === JSON.stringify(after.spec)) {
    after.metadata.generation = before.metadata?.generation ?? 1;
    return;
  }
  const generation = (before?.metadata?.generation ?? 0) + 1;
  const previous: DeploymentStatus = before
    ? deploymentStatus(world, cluster, key, before)
    : { observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, conditions: [] };
  after.metadata.generation = generation;
  rolloutsOf(cluster).set(key, {
    generation,
    changedAt: world.now,
    templateChanged: !before || JSON.stringify(before.spec?.template) !== JSON.stringify(after.spec?.template),
    broken: templateImages(after.spec?.template).some((image) => world.brokenImages.has(image)),
    mountedMissingConfigMap: missingConfigMaps(cluster, key, after).length > 0,
    before: previous,
  });
}

/**
 * Makes the stored object's `status` the controller's, read live, so a test that looks at
 * `cluster.objects` sees what a GET would return (and a copy of the object keeps a snapshot).
 */
export function attachLiveStatus(world: SimulatedAws, cluster: SimCluster, key: string, object: DeploymentObject): void {
  delete object.status;
  Object.defineProperty(object, 'status', {
    get: () => deploymentStatus(world, cluster, key, object),
    enumerable: true,
    configurable: true,
  });
}

/** When the Deployment at `key` last changed (its roll-out began), if this cluster has seen it change. */
export function rolloutChangedAt(cluster: SimCluster, key: string): number | undefined {
  return rolloutsOf(cluster).get(key)?.changedAt;
}

export function forgetDeployment(cluster: SimCluster, key: string): void {
  rolloutsOf(cluster).delete(key);
}

/**
 * Whether any Deployment in the cluster has a pod that can serve (what a health check through the
 * load balancer reaches). Not kube-system's: the cluster's own add-ons serve no viewer.
 */
export function workloadServing(world: SimulatedAws, cluster: SimCluster): boolean {
  return [...cluster.objects].some(
    ([key, object]) =>
      isDeployment(object) &&
      !key.startsWith('/apis/apps/v1/namespaces/kube-system/') &&
      deploymentStatus(world, cluster, key, object).availableReplicas > 0,
  );
}

/**
 * A JSON patch as the simulated API server accepts it: only `replace` of a Deployment's whole
 * /spec/template (what a restore sends), with a template a real server would validate. Returns
 * the HTTP status and message of a refusal, or the patched object.
 */
export function applyTemplatePatch(
  object: DeploymentObject,
  patch: unknown,
): { ok: true; patched: DeploymentObject } | { ok: false; status: number; message: string } {
  if (!isDeployment(object)) return { ok: false, status: 422, message: 'the simulated API server JSON-patches only Deployments' };
  if (!Array.isArray(patch) || patch.length === 0)
    return { ok: false, status: 400, message: 'a JSON patch body must be a non-empty array of operations' };
  const patched = structuredClone(object);
  for (const operation of patch as { op?: unknown; path?: unknown; value?: unknown }[]) {
    if (operation?.op !== 'replace' || operation.path !== '/spec/template')
      return {
        ok: false,
        status: 422,
        message: `unsupported JSON patch operation ${JSON.stringify(operation)}; the simulated API server supports only replace of /spec/template`,
      };
    const template = operation.value as PodTemplate | undefined;
    if (!template || typeof template !== 'object' || Array.isArray(template))
      return { ok: false, status: 422, message: 'spec.template: Invalid value: expected an object' };
    if (!template.spec?.containers?.length || templateImages(template).length === 0)
      return { ok: false, status: 422, message: 'spec.template.spec.containers: Required value' };
    const selector = object.spec?.selector?.matchLabels ?? {};
    const labels = template.metadata?.labels ?? {};
    if (Object.entries(selector).some(([k, v]) => labels[k] !== v))
      return {
        ok: false,
        status: 422,
        message: 'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
      };
    patched.spec = { ...patched.spec, template: structuredClone(template) };
  }
  return { ok: true, patched };
}
