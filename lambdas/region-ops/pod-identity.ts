/**
 * The edge pods' AWS identity in a region's cluster: the EKS Pod Identity association of their
 * service account with the edge agent role and, on managed node groups, the agent add-on that
 * hands the credentials to the pods (Auto Mode nodes run the agent themselves). Each function is
 * one idempotent step; the state machine polls and bounds the wait for the add-on.
 */
import {
  CreateAddonCommand,
  CreatePodIdentityAssociationCommand,
  DeleteAddonCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  type EKSClient,
  ListPodIdentityAssociationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdatePodIdentityAssociationCommand,
  type Addon,
  type PodIdentityAssociationSummary,
} from '@aws-sdk/client-eks';
import type { KubeCdnConfig } from '../../core/config';
import { RetryableError } from '../shared/errors';
import { RegionOperationFailedError } from './errors';
import { regionTags } from './eks-cluster';
import { clusterName, EDGE_POD_NAMESPACE, EDGE_SERVICE_ACCOUNT, POD_IDENTITY_AGENT_ADDON } from './names';

export interface PodIdentitySpec {
  readonly project: string;
  readonly region: string;
  readonly mode: KubeCdnConfig['cluster']['mode'];
  /** The edge agent role (the control stack's), which the association names. */
  readonly roleArn: string;
}

/** `READY`: the association names the role and the agent serves it; otherwise the add-on is still on its way. */
export interface PodIdentityStatus {
  readonly status: 'READY' | 'WAITING';
  /** What is still waited for, or null: the cause should the wait time out. */
  readonly waiting: string | null;
  /** What this call changed on the association. */
  readonly association: 'created' | 'updated' | 'unchanged';
}

/** The associations of `cluster` (all, or the one of the edge service account); none when the cluster is gone. */
async function listAssociations(eks: EKSClient, cluster: string, edgeOnly: boolean): Promise<PodIdentityAssociationSummary[]> {
  const found: PodIdentityAssociationSummary[] = [];
  let nextToken: string | undefined;
  do {
    let page;
    try {
      page = await eks.send(
        new ListPodIdentityAssociationsCommand({
          clusterName: cluster,
          ...(edgeOnly ? { namespace: EDGE_POD_NAMESPACE, serviceAccount: EDGE_SERVICE_ACCOUNT } : {}),
          nextToken,
        }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
    found.push(...(page.associations ?? []));
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return found;
}

/**
 * Makes the edge service account's association name the edge agent role: created if missing,
 * its role changed if another one (a stack redeployed with a new role) is named.
 */
export async function ensureEdgeAssociation(
  eks: EKSClient,
  spec: PodIdentitySpec,
  raced = false,
): Promise<PodIdentityStatus['association']> {
  const cluster = clusterName(spec.project, spec.region);
  const [existing] = await listAssociations(eks, cluster, true);
  if (!existing?.associationId) {
    try {
      await eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: cluster,
          namespace: EDGE_POD_NAMESPACE,
          serviceAccount: EDGE_SERVICE_ACCOUNT,
          roleArn: spec.roleArn,
          tags: regionTags(spec.project, spec.region),
        }),
      );
      return 'created';
    } catch (error) {
      // Another attempt of this step created it in between: check its role like any existing one.
      if (!(error instanceof ResourceInUseException)) throw error;
      // EKS says it exists but does not list it yet: the workflow's retry asks again later.
      if (raced)
        throw new RetryableError(
          `the Pod Identity association of ${EDGE_POD_NAMESPACE}/${EDGE_SERVICE_ACCOUNT} in ${cluster} exists but is not listed yet`,
        );
      return ensureEdgeAssociation(eks, spec, true);
    }
  }
  const { association } = await eks.send(
    new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId: existing.associationId }),
  );
  if (association?.roleArn === spec.roleArn) return 'unchanged';
  await eks.send(
    new UpdatePodIdentityAssociationCommand({ clusterName: cluster, associationId: existing.associationId, roleArn: spec.roleArn }),
  );
  return 'updated';
}

async function describeAgent(eks: EKSClient, cluster: string): Promise<Addon | undefined> {
  try {
    return (await eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: POD_IDENTITY_AGENT_ADDON }))).addon;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Add-on states it does not leave by itself: deleted, so the next start creates it afresh. */
const FAILED_ADDON_STATUSES: ReadonlySet<string> = new Set(['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED']);

/**
 * Managed node groups only: creates the Pod Identity agent add-on unless it exists, and says
 * whether it is ACTIVE. Auto Mode needs nothing: its nodes run the agent.
 */
export async function ensurePodIdentityAgent(eks: EKSClient, spec: PodIdentitySpec): Promise<string | null> {
  if (spec.mode === 'auto') return null;
  const cluster = clusterName(spec.project, spec.region);
  const addon = await describeAgent(eks, cluster);
  if (addon === undefined) {
    try {
      // No version: EKS installs its default one for the cluster's Kubernetes version.
      await eks.send(
        new CreateAddonCommand({ clusterName: cluster, addonName: POD_IDENTITY_AGENT_ADDON, tags: regionTags(spec.project, spec.region) }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    return `add-on ${POD_IDENTITY_AGENT_ADDON} is being created`;
  }
  const status = addon.status ?? 'CREATING';
  if (status === 'ACTIVE') return null;
  const issues = (addon.health?.issues ?? []).map((issue) => `${issue.code ?? 'issue'}: ${issue.message ?? ''}`.trim());
  if (FAILED_ADDON_STATUSES.has(status)) {
    try {
      await eks.send(new DeleteAddonCommand({ clusterName: cluster, addonName: POD_IDENTITY_AGENT_ADDON }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException || error instanceof ResourceInUseException)) throw error;
    }
    throw new RegionOperationFailedError(
      `add-on ${POD_IDENTITY_AGENT_ADDON} of ${cluster} is ${status}${issues.length ? ` (${issues.join('; ')})` : ''}; it was deleted so the next start creates it afresh`,
    );
  }
  // CREATING, UPDATING, DELETING (gone soon, then created again) or DEGRADED (its pods not ready yet).
  return `add-on ${POD_IDENTITY_AGENT_ADDON} is ${status}${issues.length ? ` (${issues.join('; ')})` : ''}`;
}

/** The association first (it takes effect for pods created after it), then the agent that serves it. */
export async function ensurePodIdentity(eks: EKSClient, spec: PodIdentitySpec): Promise<PodIdentityStatus> {
  const association = await ensureEdgeAssociation(eks, spec);
  const waiting = await ensurePodIdentityAgent(eks, spec);
  return { status: waiting === null ? 'READY' : 'WAITING', waiting, association };
}

/** Deletes the edge service account's association; how many there were. A cluster or association already gone is fine. */
export async function removeEdgeAssociation(eks: EKSClient, project: string, region: string): Promise<number> {
  const cluster = clusterName(project, region);
  const associations = await listAssociations(eks, cluster, true);
  for (const { associationId } of associations) {
    if (!associationId) continue;
    try {
      await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: cluster, associationId }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
  return associations.length;
}

/** Every association still on the region's cluster (the sweep reports them), as ARNs. */
export async function remainingAssociations(eks: EKSClient, project: string, region: string): Promise<string[]> {
  const associations = await listAssociations(eks, clusterName(project, region), false);
  return associations.flatMap((a) => (a.associationArn ? [a.associationArn] : []));
}
