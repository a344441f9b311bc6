/**
 * A region removed from config/regions.json while it runs: after the deploy, StopRegion (with
 * "removed": true, as the autoscaler sends it) drains and tears it down completely, and nothing
 * can start it again. The region is started with the old config's workflows and stopped with the
 * new config's, against the same simulated account, as it happens across a `cdk deploy`.
 */
import { WorkflowHarness } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { scenario } from './scenario';

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

  it('tears down a region that was in warm standby under the old config completely, control plane included', async () => {
    const { s, deployed } = await servingThenRemoved((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);

    const run = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).not.toContain('Scale workload to zero');
    expect(s.resources('eu-west-1')).toEqual([]);
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
