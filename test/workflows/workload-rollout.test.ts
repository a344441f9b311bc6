/**
 * A workload change reaching the running regions: the synthesized SyncRegion and RolloutWorkload
 * definitions of the next workload version, run against regions started with the current one.
 */
import { synthesizeWorkflows, WorkflowHarness, type SynthesizedWorkflows, type WorkflowRunResult } from '../support/asl-runner';
import { CURRENT_IMAGE, EDGE_DEPLOYMENT_PATH as DEPLOYMENT, NEXT_IMAGE, workloadWithImage } from '../support/next-workload';
import { scenario, type Scenario } from './scenario';

const nextVersions = new Map<string, SynthesizedWorkflows>();
/** The workflows as `cdk deploy` of the next workload version leaves them (synthesis is slow: cached per config). */
function deployNextVersion(s: Scenario): WorkflowHarness {
  const key = JSON.stringify(s.config);
  if (!nextVersions.has(key)) nextVersions.set(key, synthesizeWorkflows(s.config, { manifestsDir: workloadWithImage(NEXT_IMAGE) }));
  return new WorkflowHarness(s.world, s.config, nextVersions.get(key)!);
}

function imageIn(s: Scenario, region: string): string | undefined {
  const cluster = s.world.cluster(region, `${s.config.name}-${region}`);
  const deployment = cluster?.objects.get(DEPLOYMENT) as { spec: { template: { spec: { containers: { image: string }[] } } } } | undefined;
  return deployment?.spec.template.spec.containers[0]?.image;
}

function mustSucceed(run: WorkflowRunResult, what: string): WorkflowRunResult {
  if (run.status !== 'SUCCEEDED') throw new Error(`${what} failed: ${run.error}: ${run.cause}\npath: ${run.path.join(' > ')}`);
  return run;
}

const threeRegions = (input: { alwaysOn: string[]; scalable?: string[] }) => {
  input.alwaysOn = ['us-east-1'];
  input.scalable = ['eu-west-1', 'ap-northeast-1', 'sa-east-1'];
};

async function startAll(s: Scenario, regions: string[]): Promise<void> {
  for (const region of regions) await s.succeed('StartRegion', { region });
  for (const region of regions) expect(imageIn(s, region)).toBe(CURRENT_IMAGE);
}

describe('RolloutWorkload after a deploy that changes the workload', () => {
  it('rolls the new version out to every serving region, one region at a time, scalable regions first, and skips stopped ones', async () => {
    const s = scenario(threeRegions);
    await startAll(s, ['us-east-1', 'eu-west-1', 'sa-east-1']);
    const recordsBefore = s.world.latencyRecords(s.config.dns.domainName);
    const next = deployNextVersion(s);

    const run = mustSucceed(await next.run('RolloutWorkload', { version: 'v2', reason: 'deploy' }), 'RolloutWorkload');

    for (const region of ['us-east-1', 'eu-west-1', 'sa-east-1']) expect(imageIn(s, region)).toBe(NEXT_IMAGE);
    // One region after another: each sync ran to its end before the next one began.
    expect(
      next.childRuns.map((c) => [
        (c.input as { region: string }).region,
        c.result.status,
        (c.result.output as { outcome: string }).outcome,
      ]),
    ).toEqual([
      ['eu-west-1', 'SUCCEEDED', 'succeeded'],
      ['ap-northeast-1', 'SUCCEEDED', 'skipped'],
      ['sa-east-1', 'SUCCEEDED', 'succeeded'],
      ['us-east-1', 'SUCCEEDED', 'succeeded'],
    ]);
    expect(run.output).toMatchObject({
      version: 'v2',
      results: expect.arrayContaining([{ region: 'ap-northeast-1', outcome: 'skipped' }]),
    });
    // Nothing was created for the stopped region, and the serving ones never left DNS.
    expect(s.resources('ap-northeast-1')).toEqual([]);
    expect(s.world.latencyRecords(s.config.dns.domainName)).toEqual(recordsBefore);
    expect(s.world.lockItems.size).toBe(0);
    const subjects = s.world.notifications.map((n) => n.subject);
    // One message for the roll-out, listing every region; its syncs speak up only when they fail.
    expect(subjects.filter((subject) => subject.includes('SyncRegion'))).toEqual([]);
    const report = s.world.notifications[s.world.notifications.length - 1]!.message;
    for (const line of ['eu-west-1: succeeded', 'ap-northeast-1: skipped', 'sa-east-1: succeeded', 'us-east-1: succeeded'])
      expect(report).toContain(line);
    expect(subjects[subjects.length - 1]).toMatch(/^kubecdn RolloutWorkload .*v2.* succeeded$/);
  });

  it('is a no-op on a second run: every region already serves the new version', async () => {
    const s = scenario(threeRegions);
    await startAll(s, ['us-east-1']);
    const next = deployNextVersion(s);
    mustSucceed(await next.run('RolloutWorkload', { version: 'v2' }), 'first roll-out');
    const generation = (s.world.cluster('us-east-1', 'kubecdn-us-east-1')!.objects.get(DEPLOYMENT)!.metadata as { generation: number })
      .generation;

    mustSucceed(await next.run('RolloutWorkload', { version: 'v2' }), 'second roll-out');

    expect(imageIn(s, 'us-east-1')).toBe(NEXT_IMAGE);
    expect(
      (s.world.cluster('us-east-1', 'kubecdn-us-east-1')!.objects.get(DEPLOYMENT)!.metadata as { generation: number }).generation,
    ).toBe(generation);
  });

  it('halts at a region whose new version fails its health check: that region is restored, the ones after it keep the previous version', async () => {
    const s = scenario(threeRegions);
    await startAll(s, ['us-east-1', 'eu-west-1', 'sa-east-1']);
    const next = deployNextVersion(s);
    s.world.unhealthyRegions.add('sa-east-1');

    const run = await next.run('RolloutWorkload', { version: 'v2' });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RolloutHalted');
    expect(run.cause).toContain('sa-east-1');
    expect(imageIn(s, 'eu-west-1')).toBe(NEXT_IMAGE);
    expect(imageIn(s, 'sa-east-1')).toBe(CURRENT_IMAGE);
    expect(imageIn(s, 'us-east-1')).toBe(CURRENT_IMAGE);
    expect(next.childRuns.map((c) => (c.input as { region: string }).region)).toEqual(['eu-west-1', 'ap-northeast-1', 'sa-east-1']);
    // Every region that served before still serves: nothing was taken out of DNS.
    expect(
      s.world
        .latencyRecords(s.config.dns.domainName)
        .map((r) => r.SetIdentifier)
        .sort(),
    ).toEqual(['eu-west-1', 'sa-east-1', 'us-east-1']);
    expect(s.world.lockItems.size).toBe(0);
    const subjects = s.world.notifications.map((n) => n.subject);
    expect(subjects).toContain('kubecdn SyncRegion sa-east-1 rolled back');
    expect(subjects[subjects.length - 1]).toMatch(/^kubecdn RolloutWorkload .* halted$/);
    const report = s.world.notifications[s.world.notifications.length - 1]!.message;
    expect(report).toContain('us-east-1');

    // Fixed (the region is healthy again): the same roll-out, run again, converges.
    s.world.unhealthyRegions.delete('sa-east-1');
    mustSucceed(await next.run('RolloutWorkload', { version: 'v2' }), 'the roll-out run again');
    for (const region of ['us-east-1', 'eu-west-1', 'sa-east-1']) expect(imageIn(s, region)).toBe(NEXT_IMAGE);
  });

  it('halts at the first region when the new image never becomes ready, and that region keeps serving the previous version', async () => {
    const s = scenario(threeRegions);
    await startAll(s, ['us-east-1', 'eu-west-1']);
    const next = deployNextVersion(s);
    s.world.brokenImages.add(NEXT_IMAGE);

    const run = await next.run('RolloutWorkload', { version: 'v2' });

    expect([run.status, run.error]).toEqual(['FAILED', 'RolloutHalted']);
    expect(next.childRuns).toHaveLength(1);
    expect(next.childRuns[0]!.result).toMatchObject({ status: 'FAILED', error: 'RolloutFailed' });
    expect(imageIn(s, 'eu-west-1')).toBe(CURRENT_IMAGE);
    expect(imageIn(s, 'us-east-1')).toBe(CURRENT_IMAGE);
    const deployment = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.objects.get(DEPLOYMENT) as {
      spec: { replicas: number };
      status: { availableReplicas: number };
    };
    expect(deployment.status.availableReplicas).toBeGreaterThanOrEqual(deployment.spec.replicas);
  });

  it('syncs a wave of regions at once when rolloutRegionsAtOnce allows it, and halts only after the whole wave', async () => {
    const s = scenario((input) => {
      threeRegions(input);
      (input.workload as Record<string, unknown>).rolloutRegionsAtOnce = 2;
    });
    await startAll(s, ['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']);
    const next = deployNextVersion(s);
    s.world.unhealthyRegions.add('eu-west-1');

    const run = await next.run('RolloutWorkload', { version: 'v2' });

    expect(run.error).toBe('RolloutHalted');
    // The first wave (eu-west-1 and ap-northeast-1) ran to its end; the second never began.
    expect(next.childRuns.map((c) => (c.input as { region: string }).region).sort()).toEqual(['ap-northeast-1', 'eu-west-1']);
    expect(imageIn(s, 'ap-northeast-1')).toBe(NEXT_IMAGE);
    expect(imageIn(s, 'eu-west-1')).toBe(CURRENT_IMAGE);
    expect(imageIn(s, 'sa-east-1')).toBe(CURRENT_IMAGE);
    expect(imageIn(s, 'us-east-1')).toBe(CURRENT_IMAGE);
  });
});

describe('SyncRegion', () => {
  it('skips a region that is not serving and touches nothing there', async () => {
    const s = scenario();
    const next = deployNextVersion(s);
    const from = s.world.calls.length;

    const run = mustSucceed(await next.run('SyncRegion', '{"region":"eu-west-1"}'), 'SyncRegion');

    expect(run.output).toEqual({ region: 'eu-west-1', outcome: 'skipped' });
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.callsSince(from).filter((c) => /Create|Delete|Change|Update/.test(c))).toEqual([]);
    // Started by hand (not by a roll-out), it reports even a skip.
    expect(s.world.notifications.map((n) => n.subject)).toEqual(['kubecdn SyncRegion eu-west-1 skipped']);
  });

  it('waits for a start or stop that holds the region, then syncs', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const next = deployNextVersion(s);
    // Another execution holds the lock, which lapses in 5 minutes (its holder died).
    const nowSeconds = Math.floor(s.world.now / 1000);
    s.world.lockItems.set('eu-west-1', {
      region: { S: 'eu-west-1' },
      holder: { S: 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:gone' },
      operation: { S: 'stop' },
      reason: { S: 'manual stop' },
      expiresAt: { N: String(nowSeconds + 300) },
    });

    const run = mustSucceed(await next.run('SyncRegion', { region: 'eu-west-1' }), 'SyncRegion');

    expect(run.path.filter((state) => state === 'Wait for the lock holder').length).toBeGreaterThanOrEqual(5);
    expect(imageIn(s, 'eu-west-1')).toBe(NEXT_IMAGE);
    expect(s.world.lockItems.size).toBe(0);
  });

  it('refuses an input it does not take before touching anything', async () => {
    const s = scenario();
    const next = deployNextVersion(s);
    const run = await next.run('SyncRegion', { region: 'eu-west-1', force: true });
    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/force/);
    expect(s.world.calls).toEqual([]);
  });
});
