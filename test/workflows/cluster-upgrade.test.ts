/**
 * UpgradeClusters and UpgradeRegion on the simulated account: a fleet whose clusters were created
 * when the config said 1.33, after a deploy that raised `cluster.kubernetesVersion` to 1.35. The
 * set-up (three regions started, one of them back in warm standby, one never started) is made once
 * and forked by every test.
 */
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { MAX_EXECUTION_NAME_LENGTH, parseUpgradeExecutionName } from '../../lambdas/autoscaler/execution-names';
import type { WorkflowRunResult } from '../support/asl-runner';
import { LEAD_TIMES_MS, type SimulatedCall } from '../support/simulated-aws/world';
import { scenario, type Scenario } from './scenario';

const fleet = (c: Record<string, unknown>) => {
  c.alwaysOn = ['us-east-1'];
  c.scalable = ['eu-west-1', 'ap-northeast-1', 'sa-east-1'];
  c.standby = { 'ap-northeast-1': 'warm' };
  c.cluster = { mode: 'managed-nodegroup', kubernetesVersion: '1.35' };
};
const UPGRADED_REGIONS = ['eu-west-1', 'ap-northeast-1', 'us-east-1'];
const VERSION_UPDATES = new Set(['UpdateClusterVersion', 'UpdateNodegroupVersion', 'UpdateAddon']);

/** Each version update made, as "<region> <operation> <version asked for>" (a node group asks for none: the control plane's; an add-on its own). */
const versionUpdates = (s: Scenario, from = 0) =>
  s.world.calls
    .slice(from)
    .filter((c) => VERSION_UPDATES.has(c.operation))
    .map((c) => {
      const input = c.input as { version?: string; addonVersion?: string };
      const asked = input.version ?? input.addonVersion;
      return `${c.region} ${c.operation}${asked ? ` ${asked}` : ''}`;
    });

/** The control plane's and each node group's version. */
function versions(s: Scenario, region: string): string[] {
  const cluster = s.world.cluster(region, `kubecdn-${region}`);
  if (!cluster) return [];
  return [
    cluster.version,
    ...s.world.nodegroups(cluster).map((g) => {
      s.world.nodegroupStatus(g);
      return g.version;
    }),
  ];
}

const servingRegions = (s: Scenario) =>
  s.world
    .latencyRecords('cdn.example.com')
    .map((r) => r.SetIdentifier)
    .sort();

let before: Scenario;
beforeAll(async () => {
  before = scenario(fleet);
  // A node-group cluster needs the AWS Load Balancer Controller (an operator's bootstrap installs it).
  before.world.loadBalancerControllerInNewClusters = true;
  for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) await before.succeed('StartRegion', { region });
  await before.succeed('StopRegion', { region: 'ap-northeast-1' });
  // As the clusters were made under a config that said 1.33.
  for (const cluster of before.world.clusters.values()) {
    cluster.version = '1.33';
    for (const group of cluster.nodegroups.values()) group.version = '1.33';
    for (const addon of cluster.addons.values()) addon.version = 'v1.3.33-eksbuild.1';
  }
  before.world.notifications.splice(0);
});

describe('UpgradeClusters after a deploy that raised cluster.kubernetesVersion from 1.33 to 1.35', () => {
  it('upgrades the running and warm-standby clusters one region at a time, scalable first, one minor at a time, control plane then nodes, then the add-on, under the region lock', async () => {
    const s = before.fork();
    const lockAtUpdates: string[] = [];
    s.world.holdCall = (call: SimulatedCall) => {
      if (VERSION_UPDATES.has(call.operation)) lockAtUpdates.push(`${call.region} ${s.world.lockItems.get(call.region)?.operation?.S}`);
      return undefined;
    };
    const from = s.world.calls.length;

    const run = await s.succeed('UpgradeClusters', { reason: 'deploy: Kubernetes 1.33 -> 1.35' });

    const perRegion = (region: string) => [
      `${region} UpdateClusterVersion 1.34`,
      `${region} UpdateNodegroupVersion`,
      `${region} UpdateClusterVersion 1.35`,
      `${region} UpdateNodegroupVersion`,
      // EKS's v1.3.33 add-on does not list 1.35 as compatible: it follows, once the nodes have.
      `${region} UpdateAddon v1.3.35-eksbuild.1`,
    ];
    expect(versionUpdates(s, from)).toEqual(UPGRADED_REGIONS.flatMap(perRegion));
    expect(lockAtUpdates).toEqual(UPGRADED_REGIONS.flatMap((region) => perRegion(region).map(() => `${region} upgrade`)));
    for (const region of UPGRADED_REGIONS) expect([region, ...versions(s, region)]).toEqual([region, '1.35', '1.35']);
    for (const region of UPGRADED_REGIONS) {
      const addon = s.world.cluster(region, `kubecdn-${region}`)!.addons.get('eks-pod-identity-agent')!;
      expect([region, s.world.addonStatus(addon), addon.version]).toEqual([region, 'ACTIVE', 'v1.3.35-eksbuild.1']);
    }
    // The cold region has no cluster; its next start creates one at 1.35.
    expect(versions(s, 'sa-east-1')).toEqual([]);
    expect(s.world.lockItems.size).toBe(0);
    expect(servingRegions(s)).toEqual(['eu-west-1', 'us-east-1']);
    expect(run.output).toEqual({
      version: '1.35',
      results: [
        { region: 'eu-west-1', outcome: 'succeeded' },
        { region: 'ap-northeast-1', outcome: 'succeeded' },
        { region: 'sa-east-1', outcome: 'skipped' },
        { region: 'us-east-1', outcome: 'succeeded' },
      ],
    });
    // One message for the whole upgrade: the regions' own stay quiet when they succeed.
    expect(s.world.notifications.map((n) => [n.subject, n.attributes])).toEqual([
      ['kubecdn UpgradeClusters Kubernetes 1.35 succeeded', { severity: 'info', operation: 'upgrade' }],
    ]);
    expect(s.world.notifications[0]!.message).toContain('  sa-east-1: skipped');
    // Each UpgradeRegion is named for its region, which is how the autoscaler holds the region meanwhile.
    const children = s.harness.childRuns.filter((c) => c.workflow === 'UpgradeRegion');
    expect(children.map((c) => c.name && parseUpgradeExecutionName(c.name))).toEqual([
      'eu-west-1',
      'ap-northeast-1',
      'sa-east-1',
      'us-east-1',
    ]);
    for (const child of children) expect(child.name!.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
  });

  it('halts at the first region whose upgrade fails, notifies it as an error, and a re-run converges, skipping clusters already upgraded', async () => {
    const s = before.fork();
    s.world.failingVersionUpdates.add('ap-northeast-1');

    const halted = await s.run('UpgradeClusters', {});

    expect(halted).toMatchObject({ status: 'FAILED', error: 'UpgradeHalted' });
    expect(versions(s, 'eu-west-1')).toEqual(['1.35', '1.35']);
    expect(versions(s, 'ap-northeast-1')).toEqual(['1.33', '1.33']);
    // Not reached: the always-on region keeps its version and was not touched.
    expect(versionUpdates(s).filter((u) => u.startsWith('us-east-1'))).toEqual([]);
    expect(versions(s, 'us-east-1')).toEqual(['1.33', '1.33']);
    expect(s.world.lockItems.size).toBe(0);
    expect(s.world.notifications.map((n) => [n.subject, n.attributes])).toEqual([
      ['kubecdn UpgradeRegion ap-northeast-1 failed', { severity: 'error', operation: 'upgrade', region: 'ap-northeast-1' }],
      ['kubecdn UpgradeClusters Kubernetes 1.35 halted', { severity: 'error', operation: 'upgrade' }],
    ]);
    const [regionNotice, haltNotice] = s.world.notifications;
    expect(regionNotice!.message).toMatch(
      /Failed with UpgradeFailed: the cluster kubecdn-ap-northeast-1 update \S+ to 1\.34 ended Failed: Unknown: simulated failure/,
    );
    expect(haltNotice!.message).toContain('Not reached: sa-east-1, us-east-1');

    s.world.failingVersionUpdates.clear();
    const from = s.world.calls.length;
    await s.succeed('UpgradeClusters', {});
    // eu-west-1 was already at 1.35: nothing asked of it again.
    expect(versionUpdates(s, from).filter((u) => u.startsWith('eu-west-1'))).toEqual([]);
    for (const region of UPGRADED_REGIONS) expect([region, ...versions(s, region)]).toEqual([region, '1.35', '1.35']);
  });

  it('waits for an update already in progress instead of starting it twice', async () => {
    const s = before.fork();
    // Someone (or an earlier execution that timed out) started the move to 1.34 a minute ago.
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    const update = {
      id: 'earlier-update',
      type: 'VersionUpdate' as const,
      from: '1.33',
      to: '1.34',
      requestedAt: s.world.now - 60_000,
      fails: false,
    };
    cluster.updates.set(update.id, update);
    cluster.versionUpdate = update;

    await s.succeed('UpgradeRegion', { region: 'eu-west-1' });

    expect(versionUpdates(s)).toEqual([
      'eu-west-1 UpdateNodegroupVersion',
      'eu-west-1 UpdateClusterVersion 1.35',
      'eu-west-1 UpdateNodegroupVersion',
      'eu-west-1 UpdateAddon v1.3.35-eksbuild.1',
    ]);
    expect(versions(s, 'eu-west-1')).toEqual(['1.35', '1.35']);
    // A region already at the version: nothing to do, nothing asked of EKS beyond reading.
    const from = s.world.calls.length;
    await s.succeed('UpgradeRegion', { region: 'eu-west-1' });
    expect(versionUpdates(s, from)).toEqual([]);
  });

  it('keeps the autoscaler from stopping a region mid-upgrade: its StopRegion is refused by the lock', async () => {
    const s = before.fork();
    let stop: Promise<WorkflowRunResult> | undefined;
    s.world.holdCall = (call) => {
      if (stop || call.operation !== 'UpdateClusterVersion') return undefined;
      stop = s.run('StopRegion', { region: 'eu-west-1', reason: 'autoscaler: quiet' });
      return stop.then(() => undefined);
    };

    await s.succeed('UpgradeRegion', { region: 'eu-west-1' });

    const stopped = await stop!;
    expect(stopped).toMatchObject({ status: 'FAILED', error: 'RegionBusy' });
    expect(stopped.cause).toMatch(/^eu-west-1 is busy: upgrade of eu-west-1 by execution \S+UpgradeRegion\S+ holds its lock/);
    expect(servingRegions(s)).toEqual(['eu-west-1', 'us-east-1']);
    expect(versions(s, 'eu-west-1')).toEqual(['1.35', '1.35']);
    expect(s.world.lockItems.size).toBe(0);
  });
});

describe('the simulated EKS answers version updates as EKS does', () => {
  it('refuses a skip of two minors and a downgrade, one update at a time, and node groups ahead of the control plane', async () => {
    const s = before.fork();
    const eks = new EKSClient({ region: 'us-east-1' });
    const name = 'kubecdn-us-east-1';
    const nodegroupName = s.world.nodegroups(s.world.cluster('us-east-1', name)!)[0]!.name;
    await expect(eks.send(new UpdateClusterVersionCommand({ name, version: '1.35' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Unsupported Kubernetes minor version update from 1.33 to 1.35',
    });
    await expect(eks.send(new UpdateClusterVersionCommand({ name, version: '1.32' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(eks.send(new UpdateNodegroupVersionCommand({ clusterName: name, nodegroupName, version: '1.34' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name, version: '1.34' }));
    expect(update).toMatchObject({ status: 'InProgress', type: 'VersionUpdate', params: [{ type: 'Version', value: '1.34' }] });
    await expect(eks.send(new UpdateClusterVersionCommand({ name, version: '1.34' }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    expect((await eks.send(new DescribeClusterCommand({ name }))).cluster).toMatchObject({ status: 'UPDATING', version: '1.33' });
    s.world.advance(LEAD_TIMES_MS.clusterVersionUpdate);
    expect((await eks.send(new DescribeUpdateCommand({ name, updateId: update!.id! }))).update?.status).toBe('Successful');
    expect((await eks.send(new DescribeClusterCommand({ name }))).cluster).toMatchObject({ status: 'ACTIVE', version: '1.34' });
    await expect(eks.send(new DescribeUpdateCommand({ name, updateId: update!.id!, nodegroupName }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
