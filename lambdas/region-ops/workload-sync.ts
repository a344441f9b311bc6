/**
 * Updating the edge workload in a region that is serving (SyncRegion): what to restore if the
 * update fails, whether the Deployments have rolled out, and the restore itself.
 *
 * The restore puts back each Deployment's previous pod template rather than re-applying older
 * manifests: the workflow only has the current manifests, and the template the cluster ran a
 * moment ago is by definition one that served (the same thing `kubectl rollout undo` does).
 */
import { RegionOperationFailedError } from './errors';
import { objectPath, type KubernetesManifest } from './kubernetes-manifests';
import type { KubernetesApi } from './kubernetes-api';
import { check } from './workload';

/** A separate field manager: the restore is not the workflow's apply, and the next apply takes the fields back (forced). */
export const RESTORE_FIELD_MANAGER = 'kubecdn-restore';

/** A Deployment's pod template as it was before a sync, and where to put it back. */
export interface PreviousTemplate {
  readonly path: string;
  readonly template: Record<string, unknown>;
}

interface DeploymentObject {
  metadata?: { name?: string; namespace?: string; generation?: number };
  spec?: { replicas?: number; template?: Record<string, unknown> };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

export type RolloutState = 'AVAILABLE' | 'PROGRESSING' | 'FAILED';

export interface RolloutStatus {
  readonly status: RolloutState;
  readonly detail: string;
}

function deployments(manifests: readonly KubernetesManifest[]): KubernetesManifest[] {
  return manifests.filter((m) => m.apiVersion === 'apps/v1' && m.kind === 'Deployment');
}

function displayName(manifest: KubernetesManifest): string {
  return `${manifest.metadata.namespace ?? 'default'}/${manifest.metadata.name}`;
}

/**
 * The live pod template of each Deployment the manifests name. A Deployment that does not exist
 * yet has nothing to restore: a failed sync leaves the new one in place (nothing served before).
 */
export async function currentTemplates(api: KubernetesApi, manifests: readonly KubernetesManifest[]): Promise<PreviousTemplate[]> {
  const previous: PreviousTemplate[] = [];
  for (const manifest of deployments(manifests)) {
    const path = objectPath(manifest);
    const response = await api.request('GET', path);
    if (response.status === 404) continue;
    check(response, `reading Deployment ${displayName(manifest)}`);
    const template = (response.body as DeploymentObject).spec?.template;
    if (template) previous.push({ path, template });
  }
  return previous;
}

/**
 * One Deployment's roll-out, judged as `kubectl rollout status` does: the controller has seen the
 * new spec, every desired pod runs the new template and is available, and no old pod is left
 * (with maxSurge, old pods linger beside new ones until the new ones are ready).
 */
export function deploymentRolloutStatus(name: string, deployment: DeploymentObject): RolloutStatus {
  const desired = deployment.spec?.replicas ?? 1;
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const counts = `${updated} of ${desired} updated, ${available} available`;
  // Conditions of an earlier generation (a deadline the last failed sync exceeded) say nothing about this one.
  if ((status.observedGeneration ?? 0) < generation) {
    return { status: 'PROGRESSING', detail: `${name}: the controller has not yet seen generation ${generation}; ${counts}` };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return {
      status: 'FAILED',
      detail: `${name}: ${counts}; progress deadline exceeded: ${progressing.message ?? 'no new pod became ready'}`,
    };
  }
  if (updated === desired && available >= desired && total === updated) return { status: 'AVAILABLE', detail: `${name}: ${counts}` };
  const old = total > updated ? `, ${total - updated} old pod(s) still running` : '';
  return { status: 'PROGRESSING', detail: `${name}: ${counts}${old}` };
}

/** All Deployments of the workload: FAILED if any failed, else PROGRESSING if any still rolls, else AVAILABLE. */
export async function workloadRolloutStatus(api: KubernetesApi, manifests: readonly KubernetesManifest[]): Promise<RolloutStatus> {
  const results: RolloutStatus[] = [];
  for (const manifest of deployments(manifests)) {
    const name = displayName(manifest);
    const response = await api.request('GET', objectPath(manifest));
    if (response.status === 404) {
      results.push({ status: 'FAILED', detail: `${name}: the Deployment does not exist (deleted since the apply?)` });
      continue;
    }
    check(response, `reading Deployment ${name}`);
    results.push(deploymentRolloutStatus(name, response.body as DeploymentObject));
  }
  if (results.length === 0) return { status: 'AVAILABLE', detail: 'the workload has no Deployment' };
  const worst = (['FAILED', 'PROGRESSING', 'AVAILABLE'] as const).find((state) => results.some((r) => r.status === state))!;
  return { status: worst, detail: results.map((r) => r.detail).join('; ') };
}

/**
 * Puts each Deployment's previous pod template back with a JSON patch that replaces
 * /spec/template whole: an apply would merge with fields the failed version added. The rolling
 * update then replaces the new (unready) pods with pods of the old template.
 */
export async function restoreTemplates(api: KubernetesApi, previous: readonly PreviousTemplate[]): Promise<string[]> {
  const restored: string[] = [];
  for (const { path, template } of previous) {
    const patch = [{ op: 'replace', path: '/spec/template', value: template }];
    const response = await api.request('PATCH', `${path}?fieldManager=${RESTORE_FIELD_MANAGER}`, patch, 'application/json-patch+json');
    if (response.status === 404)
      throw new RegionOperationFailedError(
        `restoring ${path}: the Deployment no longer exists; run StartRegion to apply the workload again`,
      );
    check(response, `restoring the previous pod template of ${path}`);
    restored.push(path);
  }
  return restored;
}
