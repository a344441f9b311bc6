/** Names and tags shared by every stack, so the teardown sweep and IAM scoping can find our resources. */
export const PROJECT_TAG = 'kubecdn:project';
export const REGION_TAG = 'kubecdn:region';

/**
 * The control stack's state machines (lib/region-workflows.ts), each named `<project>-<workflow>`
 * with a log group of its own; the workflow tests run each of them.
 */
export const WORKFLOW_NAMES = [
  'StartRegion',
  'StopRegion',
  'SyncRegion',
  'RolloutWorkload',
  'PurgeCache',
  'UpgradeRegion',
  'UpgradeClusters',
] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

export function controlStackName(project: string): string {
  return `${project}-control`;
}

export function networkStackName(project: string, region: string): string {
  return `${project}-network-${region}`;
}

/** SSM parameter (one per region, same name in each) holding that region's network as JSON. */
export function networkParameterName(project: string): string {
  return `/${project}/network`;
}

/**
 * The Kubernetes API relay function of a region's network stack: the same name in every region,
 * so the region workflows may invoke exactly these functions and nothing else.
 */
export function kubernetesApiRelayName(project: string): string {
  return `${project}-kubernetes-api-relay`;
}
