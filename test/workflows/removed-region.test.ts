/**
 * A region removed from config/regions.json while it runs: after the deploy, StopRegion (with
 * "removed": true, as the autoscaler sends it) drains and tears it down completely, and nothing
 * can start it again. The region is started with the old config's workflows and stopped with the
 * new config's, against the same simulated account, as it happens across a `cdk deploy`. The
 * removal also deletes the region's network stack, which left the CDK app (`cdk deploy` never
 * deletes such a stack); `s.resources` does not list stacks (a stopped configured region keeps
 * its network stack), so these tests check `s.world.stacksOf` as well.
 */
import { WorkflowHarness } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { LEAD_TIMES_MS } from '../support/simulated-aws/world';
import { scenario } from './scenario';

const NETWORK_STACK = 'kubecdn-network-eu-west-1';

/** The config after the deploy: eu-west-1 is gone from scalable (and from standby). */
const withoutEuWest1 = () =>
  validConfig((c) => {
    c.scalable = ['ap-northeast-1'];
  });

async function servingThenRemoved(change?: Parameters<typeof scenario>[0]) {
  const s = scenario(change);
  await s.succeed('StartRegion', { region: 'us-east-1' });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  return { s, deployed: new WorkflowHarness(s.world, withoutEuWest1()) };
}

describe('StopRegion for a region removed from the config', () => {
  it('drains it (DNS record first) and leaves nothing: no record, load balancer, node groups, cluster, health check or lock', async () => {
    const { s, deployed } = await servingThenRemoved();
    const from = s.world.calls.length;
    const run = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true, reason: 'autoscaler: removed from the config' });

    expect(run.status).toBe('SUCCEEDED');
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['us-east-1']);
    expect(s.resources('us-east-1')).not.toEqual([]);
    expect(s.world.lockItems.size).toBe(0);
    const calls = s.callsSince(from);
    expect(calls.indexOf('route53:ChangeResourceRecordSets')).toBeLessThan(calls.indexOf('elb:DescribeLoadBalancers'));
    expect(calls.indexOf('eks:DeleteCluster')).toBeGreaterThan(calls.lastIndexOf('elb:DescribeLoadBalancers'));
    expect(run.path).toEqual(expect.arrayContaining(['Wait for resolver caches', 'Sweep tagged resources']));
    expect(s.world.notifications.at(-1)).toMatchObject({ subject: 'kubecdn StopRegion eu-west-1 succeeded' });
    expect(s.world.notifications.at(-1)!.message).toContain('Reason: autoscaler: removed from the config');
  });

  it('deletes the region’s network stack last (after the sweep), in that region, and leaves the other regions’ stacks', async () => {
    const { s, deployed } = await servingThenRemoved();
    expect(s.world.stacksOf('eu-west-1')).toEqual([`stack ${NETWORK_STACK} (CREATE_COMPLETE)`]);
    const from = s.world.calls.length;
    const run = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });

    expect(run.status).toBe('SUCCEEDED');
    expect(s.world.stacksOf('eu-west-1')).toEqual([]);
    expect(s.world.parameters.has('eu-west-1//kubecdn/network')).toBe(false);
    expect(s.resources('eu-west-1')).toEqual([]);
    for (const region of ['us-east-1', 'ap-northeast-1'])
      expect(s.world.stacksOf(region)).toEqual([`stack kubecdn-network-${region} (CREATE_COMPLETE)`]);
    const calls = s.callsSince(from);
    expect(calls.indexOf('cloudformation:DeleteStack')).toBeGreaterThan(calls.lastIndexOf('tagging:GetResources'));
    expect(calls.indexOf('cloudformation:DeleteStack')).toBeGreaterThan(calls.lastIndexOf('eks:DeleteCluster'));
    const deletes = s.world.calls.slice(from).filter((c) => c.operation === 'DeleteStack');
    expect(deletes).toEqual([
      expect.objectContaining({ region: 'eu-west-1', input: expect.objectContaining({ StackName: NETWORK_STACK }) }),
    ]);
    const path = run.path.join(' > ');
    expect(path).toContain('Sweep tagged resources > Removed from the config? > Delete network stack > Network stack deleted?');
    expect(path).toContain('Wait: Network stack deleted');
    expect(s.world.notifications.at(-1)).toMatchObject({ subject: 'kubecdn StopRegion eu-west-1 succeeded' });
  });

  it('fails with CloudFormation’s reason and notifies when the network stack cannot be deleted; run again once fixed, it converges', async () => {
    const { s, deployed } = await servingThenRemoved();
    const reason = 'Resource handler returned message: "The vpc vpc-0euwest1 has dependencies and cannot be deleted."';
    s.world.stackDeleteFailures.set(`eu-west-1/${NETWORK_STACK}`, reason);

    const failed = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'NetworkStackDeleteFailed' });
    expect(failed.cause).toContain(`CloudFormation could not delete ${NETWORK_STACK} in eu-west-1`);
    expect(failed.cause).toContain(reason);
    expect(failed.cause).toContain('run StopRegion again');
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn StopRegion eu-west-1 failed');
    expect(s.world.notifications.at(-1)!.message).toContain(reason);
    // Everything else is gone; the stack is left DELETE_FAILED; the lock is released.
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.stacksOf('eu-west-1')).toEqual([`stack ${NETWORK_STACK} (DELETE_FAILED)`]);
    expect(s.world.lockItems.size).toBe(0);

    // The same StopRegion again, once the cause is cleared: the teardown steps find nothing, the delete is retried.
    s.world.stackDeleteFailures.clear();
    s.world.advance(LEAD_TIMES_MS.networkStackDelete);
    const again = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });
    expect(again.status).toBe('SUCCEEDED');
    expect(s.world.stacksOf('eu-west-1')).toEqual([]);
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn StopRegion eu-west-1 succeeded');
  });

  it('never touches CloudFormation when stopping a configured region: its network stack stays', async () => {
    const { s } = await servingThenRemoved();
    const from = s.world.calls.length;
    const run = await s.run('StopRegion', { region: 'eu-west-1' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toContain('Removed from the config?');
    expect(run.path).not.toContain('Delete network stack');
    expect(s.callsSince(from).filter((c) => c.startsWith('cloudformation:'))).toEqual([]);
    expect(s.world.stacksOf('eu-west-1')).toEqual([`stack ${NETWORK_STACK} (CREATE_COMPLETE)`]);
    expect(s.resources('eu-west-1')).toEqual([]);
  });

  it('tears down a region that was in warm standby under the old config completely, control plane included', async () => {
    const { s, deployed } = await servingThenRemoved((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);

    const run = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).not.toContain('Scale workload to zero');
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.stacksOf('eu-west-1')).toEqual([]);
    expect(s.world.notifications.at(-1)!.message).toContain('Reason: removed from the config');
  });

  it('is refused without "removed": true, before any AWS call, with the cause saying how', async () => {
    const { s, deployed } = await servingThenRemoved();
    const from = s.world.calls.length;
    const run = await deployed.run('StopRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(run.cause).toContain('pass "removed": true');
    expect(s.callsSince(from)).toEqual([]);
  });

  it('cannot start a removed region, with or without the flag', async () => {
    const { s, deployed } = await servingThenRemoved();
    await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });
    const from = s.world.calls.length;
    for (const input of [{ region: 'eu-west-1' }, { region: 'eu-west-1', removed: true }]) {
      const run = await deployed.run('StartRegion', input);
      expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      expect(run.cause).toContain('"eu-west-1" is not a configured region');
    }
    expect(s.callsSince(from)).toEqual([]);
    expect(s.resources('eu-west-1')).toEqual([]);
  });

  it('leaves configured regions under the old rules: the flag is refused for them and always-on still needs force', async () => {
    const { s, deployed } = await servingThenRemoved();
    const from = s.world.calls.length;
    const flagged = await deployed.run('StopRegion', { region: 'ap-northeast-1', removed: true });
    expect(flagged).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(flagged.cause).toContain('"ap-northeast-1" is still configured');
    const alwaysOn = await deployed.run('StopRegion', { region: 'us-east-1' });
    expect(alwaysOn).toMatchObject({ status: 'FAILED', error: 'StopRefused' });
    expect(s.callsSince(from)).toEqual([]);
    expect(s.resources('us-east-1')).not.toEqual([]);
  });
});
