import { ResourceLimitExceededException } from '@aws-sdk/client-eks';
import { InvalidChangeBatch } from '@aws-sdk/client-route-53';
import type { SimulatedAws } from '../support/simulated-aws/world';
import { scenario, type Scenario } from './scenario';

/** The end state as a comparable shape: which kinds of resource exist, ids left out. */
function shape(s: Scenario, region: string): string[] {
  return s
    .resources(region)
    .map((r) => r.replace(/k8s-\S+/, '<lb>').replace(/health check \S+/, 'health check <id>'))
    .sort();
}

/** What a clean start of eu-west-1 (with us-east-1 serving) leaves behind. */
let cleanStartShape: string[];
beforeAll(async () => {
  const s = scenario();
  await s.succeed('StartRegion', { region: 'us-east-1' });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  cleanStartShape = shape(s, 'eu-west-1');
});

async function withUsEastServing(): Promise<Scenario> {
  const s = scenario();
  await s.succeed('StartRegion', { region: 'us-east-1' });
  return s;
}

function recordPointsAtLiveLoadBalancer(world: SimulatedAws, region: string): void {
  const record = world.latencyRecords('cdn.example.com').find((r) => r.SetIdentifier === region)!;
  const lb = world.liveLoadBalancers(region).find((l) => l.dnsName === (record.AliasTarget as { DNSName: string }).DNSName);
  expect(lb).toBeDefined();
  expect(world.healthChecks.get(record.HealthCheckId as string)!.config.FullyQualifiedDomainName).toBe(lb!.dnsName);
}

const START_STEPS = [
  'ensureCluster',
  'clusterStatus',
  'ensureCompute',
  'grantAccess',
  'applyWorkload',
  'findLoadBalancer',
  'ensureHealthCheck',
  'upsertRecord',
  'changeStatus',
];
const STOP_STEPS = [
  'deleteRecord',
  'changeStatus',
  'deleteLoadBalancerServices',
  'loadBalancersGone',
  'deleteNodegroups',
  'deleteCluster',
  'deleteHealthChecks',
  'sweep',
];

describe('a StartRegion step fails for good', () => {
  it.each(START_STEPS)(
    'at %s: the region is rolled back to nothing, the lock released, the failure notified; a re-run converges',
    async (step) => {
      const s = await withUsEastServing();
      s.harness.lambdaFaults.push({ step, when: 'fail', times: 1 });

      const failed = await s.run('StartRegion', { region: 'eu-west-1', reason: 'demand' });
      expect(failed).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
      expect(failed.cause).toContain(`${step}: injected failure`);
      expect(s.resources('eu-west-1')).toEqual([]);
      expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['us-east-1']);
      const notice = s.world.notifications.at(-1)!;
      expect(notice.subject).toBe('kubecdn StartRegion eu-west-1 rolled back');
      expect(notice.message).toContain(`Failed with RegionOperationFailed: ${step}: injected failure`);
      expect(notice.message).toContain('Reason: demand');

      await s.succeed('StartRegion', { region: 'eu-west-1' });
      expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
      recordPointsAtLiveLoadBalancer(s.world, 'eu-west-1');
    },
  );
});

it('a failure to remove stale health checks after the region serves does not roll it back', async () => {
  const s = await withUsEastServing();
  s.harness.lambdaFaults.push({ step: 'deleteHealthChecks', when: 'fail', times: 1 });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
  expect(s.world.lockItems.size).toBe(0);
  expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn StartRegion eu-west-1 succeeded');
});

describe('a StopRegion step fails for good', () => {
  it.each(STOP_STEPS)('at %s: the stop fails with the lock released and the failure notified; a re-run leaves nothing', async (step) => {
    const s = await withUsEastServing();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.harness.lambdaFaults.push({ step, when: 'fail', times: 1 });

    const failed = await s.run('StopRegion', { region: 'eu-west-1' });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
    expect(s.world.lockItems.size).toBe(0);
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn StopRegion eu-west-1 failed');

    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
  });
});

describe('transient faults are retried with backoff and do not fail the workflow', () => {
  it.each(['ensureCluster', 'grantAccess', 'applyWorkload', 'ensureHealthCheck', 'upsertRecord'])(
    'a Lambda timeout after %s did its work',
    async (step) => {
      const s = await withUsEastServing();
      s.harness.lambdaFaults.push({ step, when: 'after', times: 2 });
      const run = await s.succeed('StartRegion', { region: 'eu-west-1' });
      expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
      expect(s.world.healthChecks.size).toBe(2); // one per region: a repeated create returned the same check
      expect(run.transitions).toBeGreaterThan(0);
    },
  );

  it('throttling from EKS, Route 53 and ELB', async () => {
    const s = await withUsEastServing();
    const throttled = () =>
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    s.world.inject({ service: 'eks', operation: 'CreateCluster', error: throttled, times: 2 });
    s.world.inject({ service: 'eks', operation: 'DescribeCluster', error: throttled, times: 3 });
    s.world.inject({
      service: 'route53',
      operation: 'ChangeResourceRecordSets',
      error: () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client' }),
      times: 2,
    });
    s.world.inject({
      service: 'elb',
      operation: 'DescribeLoadBalancers',
      error: () => Object.assign(new Error('internal'), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } }),
      times: 2,
    });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
    expect(s.world.faults.every((f) => f.times === 0)).toBe(true);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'])(
    'Kubernetes API requests failing with %s, before or after the server acted on them',
    async (code) => {
      const s = await withUsEastServing();
      s.world.failKubernetesRequests({ region: 'eu-west-1', code, lost: 'request', times: 2 });
      s.world.failKubernetesRequests({ region: 'eu-west-1', code, lost: 'response', times: 2 });
      const run = await s.succeed('StartRegion', { region: 'eu-west-1' });
      expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
      expect(s.world.kubernetesNetworkFaults.every((f) => f.times === 0)).toBe(true);
      expect(run.path).not.toContain('Rollback: Delete cluster');
    },
  );

  it('a connection reset by the Kubernetes API while a stop deletes the load balancer Services', async () => {
    const s = await withUsEastServing();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.world.failKubernetesRequests({ region: 'eu-west-1', times: 3 });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.kubernetesNetworkFaults.every((f) => f.times === 0)).toBe(true);
  });

  it('a Lambda timeout during stop', async () => {
    const s = await withUsEastServing();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.harness.lambdaFaults.push({ step: 'deleteRecord', when: 'after', times: 1 }, { step: 'deleteCluster', when: 'before', times: 2 });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
  });
});

describe('AWS-level failures during a start', () => {
  it('an EKS quota error on create rolls back and says why', async () => {
    const s = await withUsEastServing();
    s.world.inject({
      service: 'eks',
      operation: 'CreateCluster',
      error: () => new ResourceLimitExceededException({ $metadata: {}, message: 'Cluster limit exceeded for account' }),
    });
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'ResourceLimitExceededException' });
    expect(run.cause).toContain('ensureCluster: Cluster limit exceeded for account');
    expect(s.resources('eu-west-1')).toEqual([]);
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
  });

  it('a cluster whose creation ends FAILED is deleted by the rollback, and the next start creates a new one', async () => {
    const s = await withUsEastServing();
    s.world.failNextClusterCreation = true;
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'ClusterFailed' });
    expect(run.path).toContain('Rollback: Delete cluster');
    expect(s.resources('eu-west-1')).toEqual([]);
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(shape(s, 'eu-west-1')).toEqual(cleanStartShape);
  });

  it('a Route 53 change rejected after the load balancer exists tears the load balancer down too', async () => {
    const s = await withUsEastServing();
    s.world.inject({
      service: 'route53',
      operation: 'ChangeResourceRecordSets',
      region: 'us-east-1',
      error: () => new InvalidChangeBatch({ $metadata: {}, message: 'RRSet conflicts' }),
    });
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidChangeBatch' });
    expect(s.world.liveLoadBalancers('eu-west-1')).toEqual([]);
    expect(s.resources('eu-west-1')).toEqual([]);
  });

  it('when the rollback fails too, the lock is still released and the operator is told to run StopRegion', async () => {
    const s = await withUsEastServing();
    s.harness.lambdaFaults.push({ step: 'upsertRecord', when: 'fail', times: 1 }, { step: 'deleteCluster', when: 'fail', times: 1 });
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
    expect(run.cause).toContain('deleteCluster: injected failure');
    expect(s.world.lockItems.size).toBe(0);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn StartRegion eu-west-1 rollback failed');
    expect(notice.message).toContain('run StopRegion');
    expect(notice.message).toContain('upsertRecord: injected failure');
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
  });
});

describe('a warm-standby region', () => {
  it('keeps its control plane when a start is rolled back, unless the cluster itself failed', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    s.harness.lambdaFaults.push({ step: 'upsertRecord', when: 'fail', times: 1 });
    await s.run('StartRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);

    await s.succeed('StopRegion', { region: 'eu-west-1', force: true });
    const fresh = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    fresh.world.failNextClusterCreation = true;
    const failed = await fresh.run('StartRegion', { region: 'eu-west-1' });
    expect(failed.error).toBe('ClusterFailed');
    expect(fresh.resources('eu-west-1')).toEqual([]);
  });
});

it('a region whose network stack was never deployed fails at once with what to do, and holds nothing', async () => {
  const s = scenario();
  s.world.parameters.delete('eu-west-1//kubecdn/network');
  const run = await s.run('StartRegion', { region: 'eu-west-1' });
  expect(run).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
  expect(run.cause).toBe("ensureCluster: /kubecdn/network is missing in eu-west-1: deploy the region's network stack first (cdk deploy)");
  expect(s.resources('eu-west-1')).toEqual([]);
  expect(s.world.calls.filter((c) => c.operation.startsWith('Create'))).toEqual([]);
});
