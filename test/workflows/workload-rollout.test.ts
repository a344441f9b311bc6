/**
 * A workload change reaching the running regions: the synthesized SyncRegion and RolloutWorkload
 * definitions of the next workload version, run against regions started with the current one.
 */
import { synthesizeWorkflows, WorkflowHarness, type SynthesizedWorkflows, type WorkflowRunResult } from '../support/asl-runner';
import {
  CURRENT_NGINX_LINE,
  CURRENT_IMAGE,
  EDGE_DEPLOYMENT_PATH as DEPLOYMENT,
  edgeConfigMaps,
  mountedConfigMap,
  mountedConfigMapName,
  NEXT_NGINX_LINE,
  NEXT_IMAGE,
  workloadWithImage,
  workloadWithNextNginxConf,
} from '../support/next-workload';
import { missingConfigMaps, workloadServing } from '../support/simulated-aws/deployments';
import { scenario, type Scenario } from './scenario';

const nextVersions = new Map<string, SynthesizedWorkflows>();
/** The workflows as `cdk deploy` of the next workload version leaves them (synthesis is slow: cached per config). */
function deployNextVersion(s: Scenario): WorkflowHarness {
  const key = JSON.stringify(s.config);
  if (!nextVersions.has(key)) nextVersions.set(key, synthesizeWorkflows(s.config, { manifestsDir: workloadWithImage(NEXT_IMAGE) }));
  return new WorkflowHarness(s.world, s.config, nextVersions.get(key)!);
}

const nextConfs = new Map<string, SynthesizedWorkflows>();
/** The workflows after a deploy that changes only nginx.conf (`keepalive_timeout` 65s → 60s). */
function deployNextNginxConf(s: Scenario): WorkflowHarness {
  const key = JSON.stringify(s.config);
  if (!nextConfs.has(key)) nextConfs.set(key, synthesizeWorkflows(s.config, { manifestsDir: workloadWithNextNginxConf() }));
  return new WorkflowHarness(s.world, s.config, nextConfs.get(key)!);
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

describe('a workload change that is only a changed ConfigMap (nginx.conf)', () => {
  const clusterOf = (s: Scenario, region: string) => s.world.cluster(region, `${s.config.name}-${region}`)!;
  const nginxConf = (configMap: { data?: Record<string, string> } | undefined) => configMap?.data?.['nginx.conf'] ?? '';
  type Live = { spec: { replicas: number }; status: { availableReplicas: number; updatedReplicas: number } };

  it('creates the new ConfigMap beside the old one, rolls the pods onto it, and prunes the old one once the region is healthy', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = clusterOf(s, 'eu-west-1');
    const before = mountedConfigMapName(cluster);
    expect([...edgeConfigMaps(cluster).keys()]).toEqual([before]);
    expect(nginxConf(mountedConfigMap(cluster))).toContain(CURRENT_NGINX_LINE);
    const next = deployNextNginxConf(s);

    const run = mustSucceed(await next.run('SyncRegion', { region: 'eu-west-1' }), 'SyncRegion');

    expect(run.output).toEqual({ region: 'eu-west-1', outcome: 'succeeded' });
    const after = mountedConfigMapName(cluster);
    expect(after).not.toBe(before);
    expect(after).toMatch(/^edge-nginx-[0-9a-f]{10}$/);
    expect(nginxConf(mountedConfigMap(cluster))).toContain(NEXT_NGINX_LINE);
    expect(edgeConfigMaps(cluster).get(after)!.metadata.labels).toMatchObject({
      'kubecdn.io/config-name': 'edge-nginx',
      'app.kubernetes.io/part-of': 'kubecdn',
    });
    // The image did not change: the new name in the pod template is what rolled the pods.
    expect(imageIn(s, 'eu-west-1')).toBe(CURRENT_IMAGE);
    // Pruned only after the health check passed, and only the old one.
    expect(run.path.indexOf('Prune old ConfigMaps')).toBeGreaterThan(run.path.lastIndexOf('Check health check'));
    expect([...edgeConfigMaps(cluster).keys()]).toEqual([after]);
    const deployment = cluster.objects.get(DEPLOYMENT) as unknown as Live;
    expect(missingConfigMaps(cluster, DEPLOYMENT, deployment as never)).toEqual([]);
    expect(deployment.status.availableReplicas).toBe(deployment.spec.replicas);
  });

  it('on a failed sync restores a template that mounts the previous ConfigMap, still there with its old content; the new one is left until a later success prunes it', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = clusterOf(s, 'eu-west-1');
    const before = mountedConfigMapName(cluster);
    const next = deployNextNginxConf(s);
    // The new nginx.conf breaks the edge as Route 53 sees it.
    s.world.unhealthyRegions.add('eu-west-1');

    const run = await next.run('SyncRegion', { region: 'eu-west-1' });

    expect(run.status).toBe('FAILED');
    expect(run.path).toContain('Restore previous version');
    expect(run.path).not.toContain('Prune old ConfigMaps');
    // The restore is exact: a pod created from now on (scale-out, node replacement) mounts the old config.
    expect(mountedConfigMapName(cluster)).toBe(before);
    expect(nginxConf(mountedConfigMap(cluster))).toContain(CURRENT_NGINX_LINE);
    expect(nginxConf(mountedConfigMap(cluster))).not.toContain(NEXT_NGINX_LINE);
    const deployment = cluster.objects.get(DEPLOYMENT) as unknown as Live;
    expect(deployment.status.availableReplicas).toBe(deployment.spec.replicas);
    // The failed version's ConfigMap is left where it is: the restore path never prunes.
    const names = [...edgeConfigMaps(cluster).keys()];
    expect(names).toHaveLength(2);
    const leftover = names.find((n) => n !== before)!;
    expect(nginxConf(edgeConfigMaps(cluster).get(leftover))).toContain(NEXT_NGINX_LINE);
    expect(s.world.notifications.map((n) => n.subject)).toContain('kubecdn SyncRegion eu-west-1 rolled back');

    // The operator deploys the previous manifests again: that sync changes no pod and prunes the leftover.
    s.world.unhealthyRegions.delete('eu-west-1');
    mustSucceed(await s.run('SyncRegion', { region: 'eu-west-1' }), 'SyncRegion of the previous version');
    expect([...edgeConfigMaps(cluster).keys()]).toEqual([before]);
  });

  it('StartRegion of a warm-standby region prunes the ConfigMap an older version left in its cluster', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const cluster = clusterOf(s, 'eu-west-1');
    const older = mountedConfigMapName(cluster);
    expect([...edgeConfigMaps(cluster).keys()]).toEqual([older]);
    const next = deployNextNginxConf(s);

    const run = mustSucceed(await next.run('StartRegion', { region: 'eu-west-1' }), 'warm StartRegion');

    expect(run.path).toContain('Prune old ConfigMaps');
    const current = mountedConfigMapName(cluster);
    expect(current).not.toBe(older);
    expect(nginxConf(mountedConfigMap(cluster))).toContain(NEXT_NGINX_LINE);
    expect([...edgeConfigMaps(cluster).keys()]).toEqual([current]);
    expect(s.world.latencyRecords(s.config.dns.domainName).map((r) => r.SetIdentifier)).toContain('eu-west-1');
  });

  it('a failed prune does not fail the sync: the region serves the new version and the old ConfigMap waits for the next prune', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = clusterOf(s, 'eu-west-1');
    const before = mountedConfigMapName(cluster);
    const next = deployNextNginxConf(s);
    next.lambdaFaults.push({ step: 'pruneConfigMaps', when: 'fail', times: 1 });

    const run = mustSucceed(await next.run('SyncRegion', { region: 'eu-west-1' }), 'SyncRegion');

    expect(run.output).toEqual({ region: 'eu-west-1', outcome: 'succeeded' });
    expect(run.path).not.toContain('Restore previous version');
    expect(mountedConfigMapName(cluster)).not.toBe(before);
    expect([...edgeConfigMaps(cluster).keys()]).toContain(before);
    mustSucceed(await next.run('SyncRegion', { region: 'eu-west-1' }), 'the next SyncRegion');
    expect([...edgeConfigMaps(cluster).keys()]).toEqual([mountedConfigMapName(cluster)]);
  });
});

describe('the simulated cluster catches a prune that deletes a ConfigMap still mounted', () => {
  it('a Deployment whose mounted ConfigMap is gone has no ready pod, and the region fails its health check', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    const name = mountedConfigMapName(cluster);
    cluster.objects.delete(`/api/v1/namespaces/kubecdn-edge/configmaps/${name}`);
    const deployment = cluster.objects.get(DEPLOYMENT) as unknown as { status: { availableReplicas: number } };
    expect(missingConfigMaps(cluster, DEPLOYMENT, deployment as never)).toEqual([name]);
    expect(deployment.status.availableReplicas).toBe(0);
    expect(workloadServing(s.world, cluster)).toBe(false);
  });
});
