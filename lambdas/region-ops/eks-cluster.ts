/**
 * The region's EKS cluster and node groups: create if missing, report status, delete. Each
 * function is one idempotent step; the state machine polls and bounds the waits between them.
 */
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListNodegroupsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateNodegroupConfigCommand,
  type Cluster,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import type { KubeCdnConfig } from '../../core/config';
import { PROJECT_TAG, REGION_TAG } from '../../lib/naming';
import { RetryableError } from '../shared/errors';
import { endpointAccessSettings, ensureEndpointAccess } from './endpoint-access';
import { RegionOperationFailedError } from './errors';
import { clusterName, nodegroupName, WORKFLOW_ACCESS_POLICY_ARN } from './names';
import type { RegionNetwork } from './network';

/** What the workflow needs to create a region's cluster, all from the deployed config and stack. */
export interface ClusterSpec {
  readonly project: string;
  readonly region: string;
  readonly cluster: KubeCdnConfig['cluster'];
  readonly clusterRoleArn: string;
  readonly nodeRoleArn: string;
}

/** `NONE` when the cluster does not exist; otherwise EKS's own status (CREATING, ACTIVE, DELETING, FAILED, ...). */
export type ClusterStatus = NonNullable<Cluster['status']> | 'NONE';

export function regionTags(project: string, region: string): Record<string, string> {
  return { [PROJECT_TAG]: project, [REGION_TAG]: region };
}

export async function describeCluster(eks: EKSClient, name: string): Promise<Cluster | undefined> {
  try {
    return (await eks.send(new DescribeClusterCommand({ name }))).cluster;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

export async function clusterStatus(eks: EKSClient, name: string): Promise<ClusterStatus> {
  return (await describeCluster(eks, name))?.status ?? 'NONE';
}

/**
 * Creates the cluster unless it exists, and reports its status. Auto Mode (the default) lets EKS
 * run compute, storage and load balancing; `managed-nodegroup` gets a plain cluster and a node
 * group later. Authentication is by access entries only (no aws-auth ConfigMap), and the
 * creator gets no implicit admin: the workflow grants itself access explicitly, which is visible.
 */
/**
 * `requestToken` makes a retried create after a lost response return the same cluster. It must
 * differ between executions: EKS remembers tokens, and a start after a stop reusing one would get
 * the deleted cluster's create response back instead of a new cluster.
 */
export async function ensureCluster(
  eks: EKSClient,
  spec: ClusterSpec,
  network: RegionNetwork,
  requestToken: string,
): Promise<ClusterStatus> {
  const name = clusterName(spec.project, spec.region);
  const existing = await describeCluster(eks, name);
  // Still being deleted (after a stop that failed or timed out): the workflow polls until it is
  // gone (status NONE) and then calls this again to create the new one.
  if (existing?.status === 'DELETING') return 'DELETING';
  if (existing?.status === 'FAILED')
    throw new RegionOperationFailedError(`cluster ${name} is FAILED; the rollback deletes it so the next start creates it afresh`);
  // An existing cluster (warm standby, or a start run again on a serving region) is brought to the
  // configured endpoint access: the cluster poll waits for the update and converges the rest.
  if (existing?.status === 'ACTIVE') return ensureEndpointAccess(eks, { ...existing, name }, spec.cluster, network);
  if (existing) return existing.status ?? 'CREATING';

  const auto = spec.cluster.mode === 'auto';
  try {
    const created = await eks.send(
      new CreateClusterCommand({
        name,
        version: spec.cluster.kubernetesVersion,
        roleArn: spec.clusterRoleArn,
        resourcesVpcConfig: {
          subnetIds: [...network.subnetIds],
          // In either mode, so a later switch to a private endpoint is one update of the endpoint alone.
          securityGroupIds: [network.kubernetesApiAccessSecurityGroupId],
          ...endpointAccessSettings(spec.cluster),
        },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        // Auto Mode needs all three capabilities on together, and no self-managed add-ons.
        ...(auto
          ? {
              computeConfig: { enabled: true, nodePools: ['general-purpose', 'system'], nodeRoleArn: spec.nodeRoleArn },
              kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
              storageConfig: { blockStorage: { enabled: true } },
              bootstrapSelfManagedAddons: false,
            }
          : {}),
        tags: regionTags(spec.project, spec.region),
        clientRequestToken: requestToken,
      }),
    );
    return created.cluster?.status ?? 'CREATING';
  } catch (error) {
    // Another attempt of this step created it in between.
    if (error instanceof ResourceInUseException) return clusterStatus(eks, name);
    throw error;
  }
}

/** Lets the workflow's own role use the Kubernetes API of the cluster (access entry + cluster admin policy). */
export async function ensureWorkflowAccess(eks: EKSClient, cluster: string, principalArn: string): Promise<void> {
  try {
    await eks.send(new CreateAccessEntryCommand({ clusterName: cluster, principalArn, type: 'STANDARD' }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // Associating an already associated policy is accepted by EKS, so this is safe to repeat.
  await eks.send(
    new AssociateAccessPolicyCommand({
      clusterName: cluster,
      principalArn,
      policyArn: WORKFLOW_ACCESS_POLICY_ARN,
      accessScope: { type: 'cluster' },
    }),
  );
}

/** `READY` when nothing needs to be waited for (Auto Mode) or the node group is ACTIVE. */
export type ComputeStatus = 'READY' | 'CREATING' | 'UPDATING';

/** Managed-node-group mode only: creates the group unless it exists. Auto Mode has no group to make. */
export async function ensureCompute(
  eks: EKSClient,
  spec: ClusterSpec,
  network: RegionNetwork,
  requestToken: string,
): Promise<ComputeStatus> {
  if (spec.cluster.mode === 'auto') return 'READY';
  const cluster = clusterName(spec.project, spec.region);
  const name = nodegroupName(spec.project, spec.region);
  const group = spec.cluster.nodeGroup;
  let existing: Nodegroup | undefined;
  try {
    existing = (await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }))).nodegroup;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const status = existing?.status;
  if (existing === undefined) {
    try {
      await eks.send(
        new CreateNodegroupCommand({
          clusterName: cluster,
          nodegroupName: name,
          nodeRole: spec.nodeRoleArn,
          subnets: [...network.subnetIds],
          instanceTypes: [...group.instanceTypes],
          capacityType: group.capacityType,
          scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
          tags: regionTags(spec.project, spec.region),
          clientRequestToken: requestToken,
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    return 'CREATING';
  }
  if (status === 'ACTIVE' && existing.scalingConfig?.desiredSize === 0) {
    // A warm-standby group scaled to zero by the last stop: back to the configured size.
    await eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: cluster,
        nodegroupName: name,
        scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
      }),
    );
    return 'UPDATING';
  }
  if (status === 'ACTIVE') return 'READY';
  if (status === 'CREATING' || status === 'UPDATING') return status;
  throw new RegionOperationFailedError(`node group ${name} is ${status}; expected ACTIVE or on its way there`);
}

/** Starts deleting every node group of the cluster; returns how many still exist (0: done). */
export async function deleteNodegroups(eks: EKSClient, cluster: string): Promise<number> {
  let names: string[];
  try {
    names = (await eks.send(new ListNodegroupsCommand({ clusterName: cluster }))).nodegroups ?? [];
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 0;
    throw error;
  }
  for (const nodegroupName of names) {
    try {
      await eks.send(new DeleteNodegroupCommand({ clusterName: cluster, nodegroupName }));
    } catch (error) {
      // Already deleting (ResourceInUse) or gone (NotFound): both are the state we want.
      if (!(error instanceof ResourceInUseException || error instanceof ResourceNotFoundException)) throw error;
    }
  }
  return names.length;
}

/**
 * Starts deleting the cluster; `NONE` once it is gone. A cluster still CREATING (a start rolled
 * back early) cannot be deleted yet: its status is returned and the workflow's poll asks again,
 * which waits as long as the creation takes rather than as long as a retry budget lasts.
 */
export async function deleteCluster(eks: EKSClient, name: string): Promise<ClusterStatus> {
  const status = await clusterStatus(eks, name);
  if (status === 'NONE' || status === 'DELETING' || status === 'CREATING' || status === 'UPDATING') return status;
  try {
    await eks.send(new DeleteClusterCommand({ name }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'NONE';
    // EKS refuses while node groups are still attached or an update runs: poll again.
    if (error instanceof ResourceInUseException) return status;
    throw error;
  }
  return 'DELETING';
}

/**
 * Warm standby in managed-node-group mode: no nodes while the region is off (the control plane
 * alone bills). Auto Mode needs nothing here: it removes nodes once no pod needs them.
 */
export async function scaleComputeToZero(eks: EKSClient, spec: ClusterSpec): Promise<void> {
  if (spec.cluster.mode === 'auto') return;
  const cluster = clusterName(spec.project, spec.region);
  const name = nodegroupName(spec.project, spec.region);
  let existing: Nodegroup | undefined;
  try {
    existing = (await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }))).nodegroup;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return;
    throw error;
  }
  if (existing?.scalingConfig?.desiredSize === 0) return;
  if (existing?.status !== 'ACTIVE')
    throw new RetryableError(`node group ${name} is ${existing?.status}; it is scaled to zero once ACTIVE`);
  await eks.send(
    new UpdateNodegroupConfigCommand({
      clusterName: cluster,
      nodegroupName: name,
      scalingConfig: { minSize: 0, desiredSize: 0, maxSize: spec.cluster.nodeGroup.maxSize },
    }),
  );
}
