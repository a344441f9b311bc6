/** Names and tags shared by every stack, so the teardown sweep and IAM scoping can find our resources. */
export const PROJECT_TAG = 'kubecdn:project';
export const REGION_TAG = 'kubecdn:region';

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
