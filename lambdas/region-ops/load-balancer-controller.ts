/**
 * The AWS Load Balancer Controller in a managed-nodegroup cluster: whether it is installed, and
 * whether any of its replicas runs. The edge Service's class there (`service.k8s.aws/nlb`) is
 * served by that controller alone, and kubecdn does not install it.
 *
 * It is found by the label its Helm chart (eks/aws-load-balancer-controller) and its release
 * manifests put on the Deployment, in any namespace: the Deployment's name follows the Helm
 * release's and the namespace is the operator's choice, but the label stays unless the chart's
 * `nameOverride` changes it.
 */
import type { KubernetesApi } from './kubernetes-api';
import { check } from './workload';

export const LOAD_BALANCER_CONTROLLER_LABEL = 'app.kubernetes.io/name=aws-load-balancer-controller';

/** Where the installation is described, with the IAM permissions the controller needs. */
export const LOAD_BALANCER_CONTROLLER_DOCS = 'https://docs.aws.amazon.com/eks/latest/userguide/lbc-helm.html';

/** One Deployment of the controller, as its status reports it. */
export interface LoadBalancerControllerDeployment {
  readonly namespace: string;
  readonly name: string;
  readonly desired: number;
  readonly available: number;
}

interface DeploymentObject {
  metadata?: { name?: unknown; namespace?: unknown };
  spec?: { replicas?: unknown };
  status?: { availableReplicas?: unknown };
}

const count = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isInteger(value) ? value : fallback);

/** The controller's Deployments in the cluster (none when it is not installed). */
export async function loadBalancerControllerDeployments(api: KubernetesApi): Promise<LoadBalancerControllerDeployment[]> {
  const response = await api.request(
    'GET',
    `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent(LOAD_BALANCER_CONTROLLER_LABEL)}`,
  );
  check(response, 'listing the AWS Load Balancer Controller Deployments');
  const items = ((response.body as { items?: DeploymentObject[] } | undefined)?.items ?? []).filter(
    (item) => typeof item?.metadata?.name === 'string',
  );
  return items.map((item) => ({
    namespace: typeof item.metadata?.namespace === 'string' ? item.metadata.namespace : 'default',
    name: item.metadata!.name as string,
    // A Deployment without spec.replicas runs one (the API server's default).
    desired: count(item.spec?.replicas, 1),
    // Absent while no replica is available: the API server omits zero counts.
    available: count(item.status?.availableReplicas, 0),
  }));
}

/** How the controller's Deployments stand, in words, for a cause that says why there is no load balancer yet. */
export function describeControllerDeployments(deployments: readonly LoadBalancerControllerDeployment[]): string {
  return deployments.map((d) => `${d.namespace}/${d.name} has ${d.available} of ${d.desired} replicas available`).join('; ');
}

/** The cause of LoadBalancerControllerMissing: what is missing, what to install, and how this region can get it. */
export function missingControllerCause(options: { readonly cluster: string; readonly standby: 'cold' | 'warm' }): string {
  const next =
    options.standby === 'warm'
      ? `This region is a warm standby, so the rollback keeps cluster ${options.cluster}: install the controller there, then run StartRegion again.`
      : 'This region stops cold (as every always-on region does), so the rollback deletes a cluster this start created and the next start creates a new one, again without the controller: use cluster.mode "auto" (load balancing built in), or make the region a warm standby (standby "warm", not always-on), install the controller in the cluster its rollback keeps, and start it again.';
  return [
    `cluster ${options.cluster} has no AWS Load Balancer Controller (no Deployment labelled ${LOAD_BALANCER_CONTROLLER_LABEL} in any namespace),`,
    'and in cluster.mode "managed-nodegroup" the edge Service asks for loadBalancerClass service.k8s.aws/nlb, which only that controller serves:',
    'its load balancer would never come, so the start stops here.',
    'Install the controller (Helm chart eks/aws-load-balancer-controller, with the IAM policy it needs through EKS Pod Identity or IRSA):',
    `${LOAD_BALANCER_CONTROLLER_DOCS}.`,
    next,
  ].join(' ');
}
