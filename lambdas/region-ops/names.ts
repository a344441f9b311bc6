/**
 * Names the region workflows give AWS resources. Pure, shared by the Lambdas (to create and find
 * resources) and the CDK code (to scope IAM to exactly these names).
 */

/** One EKS cluster per region, named after the project so IAM can scope to `<project>-*`. */
export function clusterName(project: string, region: string): string {
  return `${project}-${region}`;
}

/** The managed node group of a cluster in `managed-nodegroup` mode. */
export function nodegroupName(project: string, region: string): string {
  return `${clusterName(project, region)}-edge`;
}

/**
 * The one EKS access policy the workflow role associates with its own access entry: cluster admin,
 * since it creates namespaces and cluster-scoped objects. IAM allows exactly this policy (and
 * only for the workflow role), so the role cannot grant any other principal or policy.
 */
export const WORKFLOW_ACCESS_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Field manager for server-side apply: who owns the fields the workflow sets. */
export const FIELD_MANAGER = 'kubecdn-region-workflow';

/** Label put on every workload object, so a stop can find what a start applied. */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

/** The edge pods' namespace and service account, which EKS Pod Identity gives the edge agent role. */
export const EDGE_POD_NAMESPACE = 'kubecdn-edge';
export const EDGE_SERVICE_ACCOUNT = 'edge';

/**
 * The EKS add-on that hands Pod Identity credentials to pods on managed node groups (Auto Mode
 * nodes have the agent built in).
 */
export const POD_IDENTITY_AGENT_ADDON = 'eks-pod-identity-agent';

/** The EKS access policies people's roles get (`access` in the config): cluster admin and read-only view. */
export const PEOPLE_ADMIN_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
export const PEOPLE_VIEW_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

/**
 * The tag (value `people`) the workflows put on the access entries they make for people's roles,
 * beside the project tag: only entries so tagged are ever removed, so neither the workflow role's
 * own entry nor one someone else made can be, and IAM allows removing no other.
 */
export const PEOPLE_ACCESS_TAG = 'kubecdn:access';
export const PEOPLE_ACCESS_TAG_VALUE = 'people';
