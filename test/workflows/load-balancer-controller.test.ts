/**
 * StartRegion and the controller that gives the edge Service its load balancer: built into EKS
 * Auto Mode, the AWS Load Balancer Controller in a managed-nodegroup cluster (which kubecdn does
 * not install). Without it a start fails at its first look instead of waiting 15 minutes.
 */
import { installLoadBalancerController, LOAD_BALANCER_CONTROLLER_IMAGE } from '../support/simulated-aws/load-balancer-controller';
import type { SimulatedCall } from '../support/simulated-aws/world';
import { scenario } from './scenario';

jest.setTimeout(60_000);

const CONTROLLER_DEPLOYMENTS = '/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Daws-load-balancer-controller';
const SERVICE = '/api/v1/namespaces/kubecdn-edge/services/edge';

const managedNodegroup = (c: { cluster?: unknown }) => (c.cluster = { mode: 'managed-nodegroup' });

/** The Kubernetes API request a relay invocation carried (the clusters' endpoints are private by default). */
function relayedRequest(call: SimulatedCall): { method: string; path: string } | undefined {
  if (call.service !== 'lambda' || call.operation !== 'Invoke') return undefined;
  const payload = (call.input as { Payload?: Uint8Array }).Payload;
  return payload ? (JSON.parse(Buffer.from(payload).toString('utf8')) as { method: string; path: string }) : undefined;
}

function firstRelayedAt(calls: readonly SimulatedCall[], match: (request: { method: string; path: string }) => boolean): number {
  const call = calls.find((c) => {
    const request = relayedRequest(c);
    return request !== undefined && match(request);
  });
  if (!call) throw new Error('no such Kubernetes request');
  return call.at;
}

describe('StartRegion in cluster.mode managed-nodegroup', () => {
  it('fails at its first look for the load balancer when the cluster has no AWS Load Balancer Controller, says what to install, and leaves nothing', async () => {
    const s = scenario(managedNodegroup);

    const run = await s.run('StartRegion', { region: 'eu-west-1' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'LoadBalancerControllerMissing' });
    expect(run.cause).toContain('cluster kubecdn-eu-west-1 has no AWS Load Balancer Controller');
    expect(run.cause).toContain('loadBalancerClass service.k8s.aws/nlb');
    expect(run.cause).toContain('Helm chart eks/aws-load-balancer-controller');
    expect(run.cause).toContain('EKS Pod Identity or IRSA');
    expect(run.cause).toContain('https://docs.aws.amazon.com/eks/latest/userguide/lbc-helm.html');
    // A cold region: the next start would create a new cluster, again without it.
    expect(run.cause).toContain('use cluster.mode "auto"');
    // One look, no wait: the failure comes right after the Service was applied, not 15 minutes later.
    expect(run.path.filter((state) => state === 'Find load balancer')).toHaveLength(1);
    expect(run.path).not.toContain('Wait: Load balancer ready');
    const applied = firstRelayedAt(s.world.calls, (r) => r.method === 'PATCH' && r.path.startsWith(`${SERVICE}?`));
    const looked = firstRelayedAt(s.world.calls, (r) => r.method === 'GET' && r.path === CONTROLLER_DEPLOYMENTS);
    expect(looked - applied).toBeLessThan(60_000);

    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.liveLoadBalancers()).toEqual([]);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn StartRegion eu-west-1 rolled back');
    expect(notice.message).toContain('Failed with LoadBalancerControllerMissing: findLoadBalancer: cluster kubecdn-eu-west-1 has no AWS');
  });

  it('serves through the NLB with its TLS listener where the controller runs', async () => {
    const s = scenario(managedNodegroup);
    s.world.loadBalancerControllerInNewClusters = true;

    await s.succeed('StartRegion', { region: 'eu-west-1' });

    const [lb] = s.world.liveLoadBalancers('eu-west-1');
    expect(s.world.loadBalancerState(lb!)).toBe('active');
    expect(lb!.listeners).toEqual([
      expect.objectContaining({ port: 443, protocol: 'TLS', certificateArn: s.world.networks.get('eu-west-1')!.certificateArn }),
      expect.objectContaining({ port: 80, protocol: 'TCP' }),
    ]);
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['eu-west-1']);
  });

  it('keeps the cluster of a warm standby region after that failure, so the controller can be installed there and the next start serves', async () => {
    const s = scenario((c) => {
      managedNodegroup(c);
      c.standby = { 'eu-west-1': 'warm' };
    });

    const first = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(first).toMatchObject({ status: 'FAILED', error: 'LoadBalancerControllerMissing' });
    expect(first.cause).toContain('This region is a warm standby, so the rollback keeps cluster kubecdn-eu-west-1');
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(s.world.clusterStatus(cluster)).toBe('ACTIVE');
    expect(s.world.liveLoadBalancers()).toEqual([]);

    // The operator's `helm install` into the cluster the rollback kept.
    installLoadBalancerController(s.world, cluster);
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(s.world.liveLoadBalancers('eu-west-1')).toHaveLength(1);
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['eu-west-1']);
  });

  it('waits for a controller that is installed but has no replica available, and a timeout names its replicas', async () => {
    const s = scenario(managedNodegroup);
    s.world.loadBalancerControllerInNewClusters = true;
    // Say, a controller whose IAM permissions are missing: it crash-loops.
    s.world.brokenImages.add(LOAD_BALANCER_CONTROLLER_IMAGE);

    const run = await s.run('StartRegion', { region: 'eu-west-1' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'PollTimeout' });
    expect(run.cause).toBe(
      'the workload load balancer was not active within 15 minutes: Service kubecdn-edge/edge has no load balancer yet; ' +
        'the AWS Load Balancer Controller is installed but none of its replicas is available ' +
        '(kube-system/aws-load-balancer-controller has 0 of 2 replicas available); no warning events on it',
    );
    expect(s.resources('eu-west-1')).toEqual([]);
  });
});

describe('StartRegion in EKS Auto Mode', () => {
  it('never looks for the AWS Load Balancer Controller', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(s.harness.kubernetesRequests.filter((r) => r.path.startsWith('/apis/apps/v1/deployments'))).toEqual([]);
  });

  it("times out on a Service the controller cannot build a load balancer for, quoting the controller's warning event", async () => {
    const s = scenario();
    // The certificate the network stack published is gone (deleted, or not yet issued).
    s.world.certificates.delete(s.world.networks.get('eu-west-1')!.certificateArn);

    const run = await s.run('StartRegion', { region: 'eu-west-1' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'PollTimeout' });
    expect(run.cause).toContain(
      'the workload load balancer was not active within 15 minutes: Service kubecdn-edge/edge has no load balancer yet',
    );
    expect(run.cause).toContain('its latest warning events: FailedDeployModel: Failed deploy model due to CertificateNotFound');
    expect(s.resources('eu-west-1')).toEqual([]);
  });
});
