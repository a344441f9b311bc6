/**
 * UpgradeRegion's one step, called in a poll until the region's cluster runs the configured
 * Kubernetes version: each call looks at what EKS reports and makes at most one change.
 *
 * - An update this execution started (its id comes back in `last`) is read with DescribeUpdate:
 *   still running, wait; failed or cancelled, fail with EKS's own errors; done, go on.
 * - No cluster: nothing to upgrade (a cold-stopped region; its next start creates the cluster at
 *   the configured version).
 * - A cluster that is not ACTIVE (an update someone else started, a creation) is waited for.
 * - Managed node groups behind the control plane are upgraded first (UpdateNodegroupVersion, to
 *   the control plane's version): nodes follow each minor before the next one, so node and control
 *   plane never drift more than one minor apart. Auto Mode has none: EKS replaces its nodes with
 *   nodes of the new version itself after each control-plane update (EKS User Guide, "Update the
 *   Kubernetes Version of an EKS Auto Mode cluster").
 * - EKS does not update add-ons with the cluster: the Pod Identity agent add-on the workflows
 *   install on managed-node-group clusters is moved, once the nodes are at the control plane's
 *   version, to EKS's default version for it, when the version it runs is not listed as
 *   compatible (UpdateAddon, then its status is polled). Auto Mode runs the agent itself.
 * - Then the control plane moves one minor (UpdateClusterVersion takes only the next one).
 * - A cluster newer than the config cannot be brought back (EKS has no downgrade): that fails,
 *   naming the version to put in the config.
 *
 * An update that is already in progress (EKS answers ResourceInUseException) is waited for, never
 * started twice, so a re-run after any failure picks up where the last one stopped.
 */
import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  ListNodegroupsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
  type EKSClient,
  type Update,
} from '@aws-sdk/client-eks';
import { compareKubernetesVersions, nextMinor } from '../../core/config/kubernetes-versions';
import { describeCluster } from './eks-cluster';
import { POD_IDENTITY_AGENT_ADDON } from './names';

/** An update this execution started and waits for; `nodegroup` for a node group's. */
export interface UpgradeUpdate {
  readonly id: string;
  readonly nodegroup?: string;
}

export type UpgradeStatus = 'UPGRADED' | 'ABSENT' | 'WAITING' | 'FAILED';

export interface UpgradeState {
  readonly status: UpgradeStatus;
  /** The control plane's version as EKS last reported it (null: no cluster). */
  readonly version: string | null;
  /** The update to wait for on the next call, if this call started (or still waits for) one. */
  readonly update: UpgradeUpdate | null;
  /** What was done or is waited for, or why it failed: for the poll's timeout cause and the report. */
  readonly detail: string;
}

export interface UpgradeTarget {
  readonly cluster: string;
  /** The configured version: where the cluster ends. */
  readonly version: string;
  readonly mode: 'auto' | 'managed-nodegroup';
}

function updateErrors(update: Update): string {
  const errors = (update.errors ?? []).map((e) => `${e.errorCode ?? 'error'}: ${e.errorMessage ?? 'no message'}`);
  return errors.length > 0 ? errors.join('; ') : 'EKS gave no reason';
}

/** Waits for (and checks the end of) an update this execution started. Undefined: it finished well. */
async function followUpdate(eks: EKSClient, target: UpgradeTarget, update: UpgradeUpdate): Promise<UpgradeState | undefined> {
  const found = (
    await eks.send(
      new DescribeUpdateCommand({
        name: target.cluster,
        updateId: update.id,
        ...(update.nodegroup ? { nodegroupName: update.nodegroup } : {}),
      }),
    )
  ).update;
  const what = update.nodegroup ? `node group ${update.nodegroup}` : `cluster ${target.cluster}`;
  const to = found?.params?.find((p) => p.type === 'Version')?.value;
  const label = `the ${what} update ${update.id}${to ? ` to ${to}` : ''}`;
  switch (found?.status) {
    case 'Successful':
      return undefined;
    case 'Failed':
    case 'Cancelled':
      return { status: 'FAILED', version: null, update: null, detail: `${label} ended ${found.status}: ${updateErrors(found)}` };
    default:
      return { status: 'WAITING', version: null, update, detail: `${label} is ${found?.status ?? 'in progress'}` };
  }
}

/** A change EKS refuses because another update runs: wait for that one instead. */
async function unlessBusy(start: () => Promise<string | undefined>): Promise<UpgradeUpdate | null> {
  try {
    const id = await start();
    return id ? { id } : null;
  } catch (error) {
    if (error instanceof ResourceInUseException) return null;
    throw error;
  }
}

const ADDON_FAILED: ReadonlySet<string> = new Set(['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED']);
const ADDON_CHANGING: ReadonlySet<string> = new Set(['CREATING', 'UPDATING', 'DELETING']);

/**
 * The Pod Identity agent add-on at a version compatible with the cluster's `version`: undefined
 * when it is (or is absent: a start or sync creates it at EKS's default), else what to wait for.
 */
async function followAddon(eks: EKSClient, cluster: string, version: string): Promise<Omit<UpgradeState, 'version'> | undefined> {
  let addon;
  try {
    addon = (await eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: POD_IDENTITY_AGENT_ADDON }))).addon;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  const name = `add-on ${POD_IDENTITY_AGENT_ADDON}`;
  const status = addon?.status ?? 'CREATING';
  if (ADDON_CHANGING.has(status)) return { status: 'WAITING', update: null, detail: `${name} is ${status}` };
  if (ADDON_FAILED.has(status)) {
    const issues = (addon?.health?.issues ?? []).map((issue) => `${issue.code ?? 'issue'}: ${issue.message ?? ''}`.trim());
    return { status: 'FAILED', update: null, detail: `${name} is ${status}${issues.length ? ` (${issues.join('; ')})` : ''}` };
  }
  const listed = (
    await eks.send(new DescribeAddonVersionsCommand({ addonName: POD_IDENTITY_AGENT_ADDON, kubernetesVersion: version }))
  ).addons?.find((a) => a.addonName === POD_IDENTITY_AGENT_ADDON)?.addonVersions;
  const versions = listed ?? [];
  if (versions.some((v) => v.addonVersion === addon?.addonVersion)) return undefined;
  const wanted =
    versions.find((v) => v.compatibilities?.some((c) => c.clusterVersion === version && c.defaultVersion))?.addonVersion ??
    versions[0]?.addonVersion;
  if (!wanted) return { status: 'FAILED', update: null, detail: `EKS lists no version of ${name} for Kubernetes ${version}` };
  try {
    // PRESERVE: kubecdn sets nothing in the add-on's configuration, and never overwrites what someone else did.
    await eks.send(
      new UpdateAddonCommand({
        clusterName: cluster,
        addonName: POD_IDENTITY_AGENT_ADDON,
        addonVersion: wanted,
        resolveConflicts: 'PRESERVE',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  return {
    status: 'WAITING',
    update: null,
    detail: `${name} updates from ${addon?.addonVersion ?? 'unknown'} to ${wanted} for Kubernetes ${version}`,
  };
}

export async function upgradeCluster(eks: EKSClient, target: UpgradeTarget, last: UpgradeUpdate | null): Promise<UpgradeState> {
  if (last) {
    const followed = await followUpdate(eks, target, last);
    if (followed) return followed;
  }
  const cluster = await describeCluster(eks, target.cluster);
  if (!cluster)
    return {
      status: 'ABSENT',
      version: null,
      update: null,
      detail: `no cluster ${target.cluster} (stopped cold): its next start creates it at ${target.version}`,
    };
  const version = cluster.version ?? 'unknown';
  if (cluster.status === 'FAILED')
    return { status: 'FAILED', version, update: null, detail: `cluster ${target.cluster} is FAILED; a StopRegion deletes it` };
  if (cluster.status !== 'ACTIVE')
    return {
      status: 'WAITING',
      version,
      update: null,
      detail: `cluster ${target.cluster} is ${cluster.status ?? 'in an unknown state'} at ${version}`,
    };

  if (target.mode === 'managed-nodegroup') {
    const names = (await eks.send(new ListNodegroupsCommand({ clusterName: target.cluster }))).nodegroups ?? [];
    for (const name of names) {
      const group = (await eks.send(new DescribeNodegroupCommand({ clusterName: target.cluster, nodegroupName: name }))).nodegroup;
      const status = group?.status;
      if (status === 'CREATING' || status === 'UPDATING' || status === 'DELETING')
        return { status: 'WAITING', version, update: null, detail: `node group ${name} is ${status}` };
      if (status !== 'ACTIVE')
        return {
          status: 'FAILED',
          version,
          update: null,
          detail: `node group ${name} is ${status ?? 'in an unknown state'}; expected ACTIVE`,
        };
      if (group?.version && compareKubernetesVersions(group.version, version) < 0) {
        // Without a version EKS takes the control plane's, with the latest AMI release for it.
        const update = await unlessBusy(
          async () => (await eks.send(new UpdateNodegroupVersionCommand({ clusterName: target.cluster, nodegroupName: name }))).update?.id,
        );
        return {
          status: 'WAITING',
          version,
          update: update ? { ...update, nodegroup: name } : null,
          detail: `node group ${name} ${update ? 'started' : 'waits to start'} its update from ${group.version} to ${version}`,
        };
      }
    }
    const addon = await followAddon(eks, target.cluster, version);
    if (addon) return { ...addon, version };
  }

  const ahead = compareKubernetesVersions(version, target.version);
  if (ahead > 0)
    return {
      status: 'FAILED',
      version,
      update: null,
      detail: `cluster ${target.cluster} runs ${version}, newer than the configured ${target.version}, and EKS cannot downgrade: set cluster.kubernetesVersion to ${version} (or newer) and deploy`,
    };
  if (ahead === 0) return { status: 'UPGRADED', version, update: null, detail: `cluster ${target.cluster} runs ${version}` };
  const to = nextMinor(version);
  const update = await unlessBusy(
    async () => (await eks.send(new UpdateClusterVersionCommand({ name: target.cluster, version: to }))).update?.id,
  );
  return {
    status: 'WAITING',
    version,
    update,
    detail: `cluster ${target.cluster} ${update ? 'started' : 'waits to start'} its control-plane update from ${version} to ${to} (target ${target.version})`,
  };
}
