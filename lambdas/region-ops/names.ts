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

/** Field manager for server-side apply: who owns the fields the workflow sets. */
export const FIELD_MANAGER = 'kubecdn-region-workflow';

/** Label put on every workload object, so a stop can find what a start applied. */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
