/** Why the edge Service has no load balancer yet, and the failure at once where it never can get one. */
import { asWorkflowError, LoadBalancerControllerMissingError } from '../../../lambdas/region-ops/errors';
import type { KubernetesApi, KubernetesResponse } from '../../../lambdas/region-ops/kubernetes-api';
import { loadBalancerControllerDeployments } from '../../../lambdas/region-ops/load-balancer-controller';
import { whyNoLoadBalancer, type NoLoadBalancerContext } from '../../../lambdas/region-ops/load-balancer-wait';
import { serviceWarnings } from '../../../lambdas/region-ops/service-events';

const DEPLOYMENTS = '/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Daws-load-balancer-controller';
const EVENTS =
  '/api/v1/namespaces/kubecdn-edge/events?fieldSelector=involvedObject.kind%3DService%2CinvolvedObject.name%3Dedge%2Ctype%3DWarning';

/** An API server that answers the given GET paths and records every request. */
function apiAnswering(answers: Record<string, KubernetesResponse>): KubernetesApi & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async request(method, path) {
      paths.push(`${method} ${path}`);
      return answers[path] ?? { status: 404, body: { message: `${path} not found` } };
    },
  };
}

const list = (items: unknown[]): KubernetesResponse => ({ status: 200, body: { items } });

const controller = (namespace: string, name: string, replicas: number | undefined, available: number | undefined) => ({
  metadata: { namespace, name },
  spec: replicas === undefined ? {} : { replicas },
  status: available === undefined ? {} : { availableReplicas: available },
});

const event = (reason: string, message: string, lastTimestamp: string) => ({ reason, message, lastTimestamp });

const context = (mode: NoLoadBalancerContext['mode'], standby: NoLoadBalancerContext['standby'] = 'cold'): NoLoadBalancerContext => ({
  mode,
  cluster: 'kubecdn-eu-west-1',
  standby,
  service: { namespace: 'kubecdn-edge', name: 'edge' },
});

describe('the AWS Load Balancer Controller lookup', () => {
  it('finds the Deployments labelled as its Helm chart labels them, in any namespace, with their replica counts', async () => {
    const api = apiAnswering({
      [DEPLOYMENTS]: list([controller('kube-system', 'aws-load-balancer-controller', 2, 2), controller('lb', 'alb', undefined, undefined)]),
    });
    expect(await loadBalancerControllerDeployments(api)).toEqual([
      { namespace: 'kube-system', name: 'aws-load-balancer-controller', desired: 2, available: 2 },
      // No spec.replicas is one replica; no availableReplicas is none available (the API server omits zeros).
      { namespace: 'lb', name: 'alb', desired: 1, available: 0 },
    ]);
  });

  it('retries a refusal the access entry may still clear, and fails on any other answer', async () => {
    await expect(
      loadBalancerControllerDeployments(apiAnswering({ [DEPLOYMENTS]: { status: 403, body: { message: 'forbidden' } } })),
    ).rejects.toMatchObject({
      name: 'Retryable',
      message: expect.stringContaining('listing the AWS Load Balancer Controller Deployments: HTTP 403: forbidden'),
    });
    await expect(loadBalancerControllerDeployments(apiAnswering({}))).rejects.toMatchObject({ name: 'RegionOperationFailed' });
  });
});

describe('why the edge Service has no load balancer yet', () => {
  it('in a managed-nodegroup cluster without the controller: fails at once with LoadBalancerControllerMissing, saying what to install', async () => {
    const api = apiAnswering({ [DEPLOYMENTS]: list([]) });
    const failure = await whyNoLoadBalancer(api, context('managed-nodegroup')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoadBalancerControllerMissingError);
    expect(failure).toMatchObject({ name: 'LoadBalancerControllerMissing' });
    const message = (failure as Error).message;
    expect(message).toContain('cluster kubecdn-eu-west-1 has no AWS Load Balancer Controller');
    expect(message).toContain('no Deployment labelled app.kubernetes.io/name=aws-load-balancer-controller in any namespace');
    expect(message).toContain('Helm chart eks/aws-load-balancer-controller, with the IAM policy it needs through EKS Pod Identity or IRSA');
    expect(message).toContain('https://docs.aws.amazon.com/eks/latest/userguide/lbc-helm.html');
    expect(message).toContain('use cluster.mode "auto"');
    // Not a transient error: the workflow must not retry it.
    expect(asWorkflowError(failure)).toBe(failure);
  });

  it('tells a warm standby region that its cluster stays for the controller to be installed', async () => {
    const api = apiAnswering({ [DEPLOYMENTS]: list([]) });
    await expect(whyNoLoadBalancer(api, context('managed-nodegroup', 'warm'))).rejects.toThrow(
      'This region is a warm standby, so the rollback keeps cluster kubecdn-eu-west-1: install the controller there, then run StartRegion again.',
    );
  });

  it('waits for a controller that is installed but has no replica available, naming its replicas', async () => {
    const api = apiAnswering({
      [DEPLOYMENTS]: list([controller('kube-system', 'aws-load-balancer-controller', 2, undefined)]),
      [EVENTS]: list([]),
    });
    expect(await whyNoLoadBalancer(api, context('managed-nodegroup'))).toBe(
      'Service kubecdn-edge/edge has no load balancer yet; the AWS Load Balancer Controller is installed but none of its replicas is available ' +
        '(kube-system/aws-load-balancer-controller has 0 of 2 replicas available); no warning events on it',
    );
  });

  it('with a running controller, quotes the Service warning events instead', async () => {
    const api = apiAnswering({
      [DEPLOYMENTS]: list([controller('kube-system', 'aws-load-balancer-controller', 2, 1)]),
      [EVENTS]: list([event('FailedDeployModel', 'Failed deploy model due to CertificateNotFound', '2026-01-05T09:00:00Z')]),
    });
    expect(await whyNoLoadBalancer(api, context('managed-nodegroup'))).toBe(
      'Service kubecdn-edge/edge has no load balancer yet; its latest warning events: FailedDeployModel: Failed deploy model due to CertificateNotFound',
    );
  });

  it('in Auto Mode never looks for the controller, whose load balancing is built in', async () => {
    const api = apiAnswering({ [EVENTS]: list([]) });
    expect(await whyNoLoadBalancer(api, context('auto'))).toBe(
      'Service kubecdn-edge/edge has no load balancer yet; no warning events on it',
    );
    expect(api.paths).toEqual([`GET ${EVENTS}`]);
  });
});

describe("the Service's warning events", () => {
  it('are the newest three, each reason and message once, long messages cut', async () => {
    const long = `Failed deploy model due to ${'x'.repeat(400)}`;
    const api = apiAnswering({
      [EVENTS]: list([
        event('FailedBuildModel', 'oldest', '2026-01-05T09:00:00Z'),
        event('FailedDeployModel', 'again', '2026-01-05T09:03:00Z'),
        event('FailedDeployModel', 'again', '2026-01-05T09:02:00Z'),
        { reason: 'FailedDeployModel', message: long, eventTime: '2026-01-05T09:04:00.000000Z' },
        event('SyncLoadBalancerFailed', 'third', '2026-01-05T09:01:00Z'),
      ]),
    });
    const warnings = await serviceWarnings(api, { namespace: 'kubecdn-edge', name: 'edge' });
    expect(warnings).toEqual([`FailedDeployModel: ${long.slice(0, 300)}…`, 'FailedDeployModel: again', 'SyncLoadBalancerFailed: third']);
  });

  it('are none when they cannot be read: they explain, they decide nothing', async () => {
    const api = apiAnswering({ [EVENTS]: { status: 403, body: { message: 'forbidden' } } });
    expect(await serviceWarnings(api, { namespace: 'kubecdn-edge', name: 'edge' })).toEqual([]);
  });
});
