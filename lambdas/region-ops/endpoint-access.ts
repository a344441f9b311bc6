/**
 * Where a cluster's Kubernetes API endpoint answers, from `cluster.endpointAccess`: the settings
 * a new cluster is created with, and the convergence of an existing cluster to them when the
 * config changed since it was created (applied by the next StartRegion, one update at a time).
 */
import {
  ResourceInUseException,
  UpdateClusterConfigCommand,
  type Cluster,
  type EKSClient,
  type VpcConfigRequest,
} from '@aws-sdk/client-eks';
import type { KubeCdnConfig } from '../../core/config';
import type { RegionNetwork } from './network';

/** Who may reach a public endpoint when the config does not say: anyone (the API still needs an IAM token). */
export const DEFAULT_PUBLIC_ACCESS_CIDRS = ['0.0.0.0/0'] as const;

/** The endpoint settings for the config; private access is always on, so nodes and the relay reach the API inside the VPC. */
export function endpointAccessSettings(
  cluster: KubeCdnConfig['cluster'],
): Required<Pick<VpcConfigRequest, 'endpointPublicAccess' | 'endpointPrivateAccess'>> & Pick<VpcConfigRequest, 'publicAccessCidrs'> {
  if (cluster.endpointAccess === 'private') return { endpointPublicAccess: false, endpointPrivateAccess: true };
  return {
    endpointPublicAccess: true,
    endpointPrivateAccess: true,
    publicAccessCidrs: [...(cluster.publicAccessCidrs ?? DEFAULT_PUBLIC_ACCESS_CIDRS)],
  };
}

/** Whether the region workflows must go through the relay: the endpoint has no public address. */
export function needsRelay(cluster: Cluster): boolean {
  return cluster.resourcesVpcConfig?.endpointPublicAccess === false;
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

/**
 * `ACTIVE` when the ACTIVE cluster's endpoint matches the config; otherwise starts the next
 * update towards it and returns `UPDATING` (the workflow polls until ACTIVE and asks again).
 * A private endpoint needs the relay's way in first: a cluster created before the control plane
 * got the network stack's access security group gets it added, then its endpoint switched.
 */
export async function ensureEndpointAccess(
  eks: EKSClient,
  cluster: Cluster & { name: string },
  config: KubeCdnConfig['cluster'],
  network: RegionNetwork,
): Promise<'ACTIVE' | 'UPDATING'> {
  const current = cluster.resourcesVpcConfig ?? {};
  const desired = endpointAccessSettings(config);
  let update: VpcConfigRequest | undefined;
  if (!desired.endpointPublicAccess && !(current.securityGroupIds ?? []).includes(network.kubernetesApiAccessSecurityGroupId)) {
    update = { securityGroupIds: [...(current.securityGroupIds ?? []), network.kubernetesApiAccessSecurityGroupId] };
  } else if (
    current.endpointPublicAccess !== desired.endpointPublicAccess ||
    current.endpointPrivateAccess !== desired.endpointPrivateAccess ||
    (desired.endpointPublicAccess && !sameSet(current.publicAccessCidrs, desired.publicAccessCidrs))
  ) {
    update = desired;
  }
  if (!update) return 'ACTIVE';
  try {
    await eks.send(new UpdateClusterConfigCommand({ name: cluster.name, resourcesVpcConfig: update }));
  } catch (error) {
    // An update already in progress (a repeat of this step, or one started by hand): wait for it, then look again.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  return 'UPDATING';
}
