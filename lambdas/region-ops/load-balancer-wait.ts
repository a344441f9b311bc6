/**
 * Why the edge Service has no load balancer yet, in words for the cause of a start that timed out
 * waiting, or a failure at once when it can never get one: a managed-nodegroup cluster without
 * the AWS Load Balancer Controller.
 */
import { LoadBalancerControllerMissingError } from './errors';
import type { KubernetesApi } from './kubernetes-api';
import { describeControllerDeployments, loadBalancerControllerDeployments, missingControllerCause } from './load-balancer-controller';
import { serviceWarnings } from './service-events';

export interface NoLoadBalancerContext {
  readonly mode: 'auto' | 'managed-nodegroup';
  readonly cluster: string;
  readonly standby: 'cold' | 'warm';
  readonly service: { readonly namespace: string; readonly name: string };
}

/**
 * What the Service is waiting for. Throws LoadBalancerControllerMissingError in a
 * managed-nodegroup cluster without the controller. A controller that is installed but has no
 * replica available is waited for (its pods may still be scheduling onto a node group that has
 * just scaled up from zero), and named in the answer.
 */
export async function whyNoLoadBalancer(api: KubernetesApi, context: NoLoadBalancerContext): Promise<string> {
  const parts = [`Service ${context.service.namespace}/${context.service.name} has no load balancer yet`];
  if (context.mode === 'managed-nodegroup') {
    const deployments = await loadBalancerControllerDeployments(api);
    if (deployments.length === 0)
      throw new LoadBalancerControllerMissingError(missingControllerCause({ cluster: context.cluster, standby: context.standby }));
    if (!deployments.some((d) => d.available > 0))
      parts.push(
        `the AWS Load Balancer Controller is installed but none of its replicas is available (${describeControllerDeployments(deployments)})`,
      );
  }
  const warnings = await serviceWarnings(api, context.service);
  parts.push(warnings.length > 0 ? `its latest warning events: ${warnings.join(' | ')}` : 'no warning events on it');
  return parts.join('; ');
}
