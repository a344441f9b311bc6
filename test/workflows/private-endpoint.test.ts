/**
 * Private Kubernetes API endpoints (cluster.endpointAccess "private", the default): the region
 * workflows reach each cluster through the relay function in its VPC, since a private endpoint
 * does not answer from where region-ops runs.
 */
import { synthesizeWorkflows, WorkflowHarness, type WorkflowRunResult } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { NEXT_IMAGE, workloadWithImage, EDGE_DEPLOYMENT_PATH } from '../support/next-workload';
import type { SimCluster } from '../support/simulated-aws/world';
import { scenario, type Scenario } from './scenario';

jest.setTimeout(120_000);

const REGION = 'eu-west-1';
const clusterOf = (s: Scenario) => s.world.cluster(REGION, `kubecdn-${REGION}`)!;
const imageIn = (cluster: SimCluster) =>
  (cluster.objects.get(EDGE_DEPLOYMENT_PATH) as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec
    .containers[0]!.image;

function mustSucceed(run: WorkflowRunResult, what: string): WorkflowRunResult {
  if (run.status !== 'SUCCEEDED') throw new Error(`${what} failed: ${run.error}: ${run.cause}\npath: ${run.path.join(' > ')}`);
  return run;
}

describe('a region with a private Kubernetes API endpoint', () => {
  it('starts, syncs and stops with every Kubernetes API request relayed from inside the VPC', async () => {
    const s = scenario((input) => {
      input.cluster = { endpointAccess: 'private' };
    });
    const network = s.world.networks.get(REGION)!;
    // The always-on region serves too, so that eu-west-1 is not the last one and may be stopped.
    await s.succeed('StartRegion', { region: 'us-east-1' });
    const from = s.world.calls.length;
    const fromRequest = s.harness.kubernetesRequests.length;

    await s.succeed('StartRegion', { region: REGION });

    const cluster = clusterOf(s);
    expect(cluster.input).toMatchObject({
      resourcesVpcConfig: {
        subnetIds: network.subnetIds,
        securityGroupIds: [network.kubernetesApiAccessSecurityGroupId],
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
      },
    });
    expect((cluster.input.resourcesVpcConfig as Record<string, unknown>).publicAccessCidrs).toBeUndefined();
    const requests = s.harness.kubernetesRequests.slice(fromRequest);
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => r.via !== 'relay' || r.cluster !== cluster.name)).toEqual([]);
    const invokes = s.world.calls.slice(from).filter((c) => c.service === 'lambda');
    expect(invokes.length).toBe(requests.length);
    expect(new Set(invokes.map((c) => `${c.operation} ${c.region} ${(c.input as { FunctionName: string }).FunctionName}`))).toEqual(
      new Set([`Invoke ${REGION} kubecdn-kubernetes-api-relay`]),
    );
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toContain(REGION);

    // The same request straight from region-ops' place outside the VPC gets nowhere.
    const direct = s.world.connectKubernetes!(
      { endpoint: cluster.endpoint, certificateAuthority: 'Y2E=', token: 'k8s-aws-v1.x' },
      'internet',
    );
    await expect(direct.request('GET', '/api/v1/services')).rejects.toMatchObject({
      code: 'ETIMEDOUT',
      message: expect.stringContaining('is private'),
    });

    const next = new WorkflowHarness(s.world, s.config, synthesizeWorkflows(s.config, { manifestsDir: workloadWithImage(NEXT_IMAGE) }));
    const sync = mustSucceed(await next.run('SyncRegion', { region: REGION }), 'SyncRegion');
    expect(sync.output).toMatchObject({ region: REGION, outcome: 'succeeded' });
    expect(imageIn(clusterOf(s))).toBe(NEXT_IMAGE);
    expect(next.kubernetesRequests.length).toBeGreaterThan(0);
    expect(next.kubernetesRequests.filter((r) => r.via !== 'relay')).toEqual([]);

    const before = next.kubernetesRequests.length;
    mustSucceed(await next.run('StopRegion', { region: REGION }), 'StopRegion');
    // The load balancer Services are deleted through the relay before the cluster goes.
    expect(next.kubernetesRequests.slice(before).some((r) => r.method === 'DELETE' && r.via === 'relay')).toBe(true);
    expect(s.resources(REGION)).toEqual([]);
  });

  it('fails a start, naming why, when the control plane does not admit the relay', async () => {
    const s = scenario((input) => {
      input.cluster = { endpointAccess: 'private' };
    });
    // A network stack whose control-plane access group admits some other group: the relay's connection times out.
    s.world.networks.set(REGION, { ...s.world.networks.get(REGION)!, kubernetesApiAccessAdmits: 'sg-0elsewhere' });

    const run = await s.run('StartRegion', { region: REGION });

    expect(run.status).toBe('FAILED');
    expect(`${run.error} ${run.cause}`).toMatch(/ETIMEDOUT.*no security group of the control plane .* admits sg-0relayeuwest1 on 443/s);
    expect(s.world.latencyRecords('cdn.example.com')).toEqual([]);
  });
});

describe('a region with a public Kubernetes API endpoint', () => {
  it('creates the cluster open to the configured CIDRs and calls its API directly', async () => {
    const s = scenario((input) => {
      input.cluster = { endpointAccess: 'public', publicAccessCidrs: ['203.0.113.0/24'] };
    });

    await s.succeed('StartRegion', { region: REGION });

    expect(clusterOf(s).input).toMatchObject({
      resourcesVpcConfig: {
        securityGroupIds: [s.world.networks.get(REGION)!.kubernetesApiAccessSecurityGroupId],
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
    });
    expect(s.harness.kubernetesRequests.length).toBeGreaterThan(5);
    expect(s.harness.kubernetesRequests.filter((r) => r.via === 'relay')).toEqual([]);
    expect(s.world.calls.filter((c) => c.service === 'lambda')).toEqual([]);
  });
});

describe('switching endpoint access on a running region', () => {
  const privateConfig = validConfig((input) => {
    input.cluster = { endpointAccess: 'private' };
  });

  it('makes a serving public cluster private at the next StartRegion, which then goes through the relay', async () => {
    const s = scenario((input) => {
      input.cluster = { endpointAccess: 'public' };
    });
    await s.succeed('StartRegion', { region: REGION });
    const afterPublicStart = s.world.calls.length;

    const redeployed = new WorkflowHarness(s.world, privateConfig, synthesizeWorkflows(privateConfig));
    mustSucceed(await redeployed.run('StartRegion', { region: REGION }), 'StartRegion after the switch');

    const updates = s.world.calls.slice(afterPublicStart).filter((c) => c.operation === 'UpdateClusterConfig');
    expect(updates.map((c) => c.input)).toEqual([
      { name: `kubecdn-${REGION}`, resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true } },
    ]);
    expect(clusterOf(s).vpcConfig).toMatchObject({ endpointPublicAccess: false, endpointPrivateAccess: true });
    expect(redeployed.kubernetesRequests.length).toBeGreaterThan(0);
    expect(redeployed.kubernetesRequests.filter((r) => r.via !== 'relay')).toEqual([]);
  });

  it('first gives a cluster created without the relay access group that group, then makes it private', async () => {
    const s = scenario((input) => {
      input.cluster = { endpointAccess: 'public' };
    });
    await s.succeed('StartRegion', { region: REGION });
    // As a cluster created before the network stack had the group.
    clusterOf(s).vpcConfig = { ...clusterOf(s).vpcConfig, securityGroupIds: [] };
    const from = s.world.calls.length;

    const redeployed = new WorkflowHarness(s.world, privateConfig, synthesizeWorkflows(privateConfig));
    mustSucceed(await redeployed.run('StartRegion', { region: REGION }), 'StartRegion after the switch');

    const group = s.world.networks.get(REGION)!.kubernetesApiAccessSecurityGroupId;
    expect(
      s.world.calls
        .slice(from)
        .filter((c) => c.operation === 'UpdateClusterConfig')
        .map((c) => c.input),
    ).toEqual([
      { name: `kubecdn-${REGION}`, resourcesVpcConfig: { securityGroupIds: [group] } },
      { name: `kubecdn-${REGION}`, resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true } },
    ]);
    expect(clusterOf(s).vpcConfig).toMatchObject({ securityGroupIds: [group], endpointPublicAccess: false });
    expect(redeployed.kubernetesRequests.filter((r) => r.via !== 'relay')).toEqual([]);
  });
});
