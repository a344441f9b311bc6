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
import { putOnOldHttpCheck } from '../support/old-health-check';
import { missingConfigMaps, workloadServing } from '../support/simulated-aws/deployments';
import { healthCheckFailure } from '../support/simulated-aws/install-mocks';
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
    expect(s.world.notifications.at(-1)!.attributes).toEqual({ severity: 'error', operation: 'rollout' });
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

describe('a region serving on the HTTP health check an earlier version made', () => {
  const domain = 'cdn.example.com';
  const recordOf = (s: Scenario, region: string) => s.world.latencyRecords(domain).find((r) => r.SetIdentifier === region)!;
  const checksOf = (s: Scenario, region: string) =>
    s
      .resources(region)
      .filter((r) => r.startsWith('health check '))
      .map((r) => r.slice('health check '.length));

  /**
   * Looks, at every AWS call of the run, at what viewers depend on: every serving region has its
   * record, on a check that exists, and a record on a check other than the old one is on a check
   * Route 53's checkers have passed. Collects what breaks that (an assertion thrown inside a call
   * would be a step error the workflow retries), and which regions it saw moved.
   */
  function watchViewers(s: Scenario, regions: string[], oldChecks: Map<string, string>): { moves: string[]; broken: string[] } {
    const seen = { moves: [] as string[], broken: [] as string[] };
    s.world.holdCall = (call) => {
      for (const region of regions) {
        const record = recordOf(s, region);
        const check = record && s.world.healthChecks.get(record.HealthCheckId as string);
        if (!check) seen.broken.push(`${call.operation}: ${region} has ${record ? 'a record on a missing check' : 'no record'}`);
        else if (check.id !== oldChecks.get(region)) {
          if (healthCheckFailure(s.world, check) !== undefined || s.world.now < check.createdAt! + 30_000)
            seen.broken.push(`${call.operation}: ${region}'s record is on ${check.id}, which has not passed`);
          if (!seen.moves.includes(region)) seen.moves.push(region);
        }
      }
      return undefined;
    };
    return seen;
  }

  it('RolloutWorkload moves its record onto the HTTPS check once that passes, then deletes the HTTP one; viewers always have a record', async () => {
    const s = scenario();
    await startAll(s, ['us-east-1', 'eu-west-1']);
    const old = new Map(['us-east-1', 'eu-west-1'].map((r) => [r, putOnOldHttpCheck(s.world, 'kubecdn', domain, r)]));
    const aliases = s.world.latencyRecords(domain).map((r) => r.AliasTarget);
    const next = deployNextVersion(s);
    const seen = watchViewers(s, ['us-east-1', 'eu-west-1'], old);

    mustSucceed(await next.run('RolloutWorkload', { version: 'v2', reason: 'deploy' }), 'RolloutWorkload');

    s.world.holdCall = undefined;
    expect(seen.broken).toEqual([]);
    expect(seen.moves.sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(imageIn(s, region)).toBe(NEXT_IMAGE);
      const record = recordOf(s, region);
      const check = s.world.healthChecks.get(record.HealthCheckId as string)!;
      const lb = s.world.liveLoadBalancers(region)[0]!;
      expect(check.config).toMatchObject({
        Type: 'HTTPS',
        FullyQualifiedDomainName: lb.dnsName,
        Port: 443,
        ResourcePath: '/healthz',
        EnableSNI: true,
      });
      expect(check.tags).toMatchObject({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': region });
      // The old check is gone, and no other is left.
      expect(checksOf(s, region)).toEqual([check.id]);
    }
    // Only the health check changed in the records.
    expect(s.world.latencyRecords(domain).map((r) => r.AliasTarget)).toEqual(aliases);
    expect(s.world.lockItems.size).toBe(0);
    const synced = next.childRuns.filter((c) => (c.result.output as { outcome: string }).outcome === 'succeeded');
    expect(synced).toHaveLength(2);
    for (const child of synced) {
      const path = child.result.path;
      expect(path.indexOf('Move latency record to the wanted check')).toBeGreaterThan(path.lastIndexOf('Check wanted health check'));
      expect(path.indexOf('Take record set lock')).toBe(path.indexOf('Move latency record to the wanted check') - 1);
      expect(path.indexOf('Delete the old health check')).toBeGreaterThan(path.lastIndexOf('Check record move'));
    }
  });

  it('a second roll-out changes nothing: the health check is read, nothing more', async () => {
    const s = scenario();
    await startAll(s, ['us-east-1']);
    putOnOldHttpCheck(s.world, 'kubecdn', domain, 'us-east-1');
    const next = deployNextVersion(s);
    mustSucceed(await next.run('RolloutWorkload', { version: 'v2' }), 'first roll-out');
    const records = s.world.latencyRecords(domain);
    const checks = [...s.world.healthChecks.keys()];
    const from = s.world.calls.length;
    const childrenBefore = next.childRuns.length;

    mustSucceed(await next.run('RolloutWorkload', { version: 'v2' }), 'second roll-out');

    expect(s.world.latencyRecords(domain)).toEqual(records);
    expect([...s.world.healthChecks.keys()]).toEqual(checks);
    const route53 = s.callsSince(from).filter((c) => c.startsWith('route53:'));
    expect(route53.filter((c) => !/^route53:(List|Get)/.test(c))).toEqual([]);
    for (const child of next.childRuns.slice(childrenBefore)) {
      expect(child.result.path).not.toContain('Ensure wanted health check');
      expect(child.result.path).not.toContain('Take record set lock');
    }
    // StartRegion agrees on the check: a re-run finds the one the sync made.
    await s.succeed('StartRegion', { region: 'us-east-1' });
    expect([...s.world.healthChecks.keys()]).toEqual(checks);
    expect(s.world.latencyRecords(domain)).toEqual(records);
  });

  it('a wanted check that does not pass leaves the record and the HTTP check alone, keeps the new version and fails the sync, halting the roll-out; fixed, a re-run converges', async () => {
    const s = scenario(threeRegions);
    await startAll(s, ['us-east-1', 'eu-west-1']);
    const old = putOnOldHttpCheck(s.world, 'kubecdn', domain, 'eu-west-1');
    // As before HTTPS: a load balancer with the plain-HTTP listener only. The region's certificate
    // is not issued, so the controller cannot add the TLS listener the new Service asks for.
    const lb = s.world.liveLoadBalancers('eu-west-1')[0]!;
    lb.listeners = lb.listeners.filter((l) => l.port === 80);
    const certificate = s.world.networks.get('eu-west-1')!.certificateArn;
    s.world.certificates.delete(certificate);
    const recordBefore = recordOf(s, 'eu-west-1');
    const next = deployNextVersion(s);

    const run = await next.run('RolloutWorkload', { version: 'v2' });

    expect([run.status, run.error]).toEqual(['FAILED', 'RolloutHalted']);
    const sync = next.childRuns.find((c) => (c.input as { region: string }).region === 'eu-west-1')!.result;
    expect(sync).toMatchObject({ status: 'FAILED', error: 'HealthCheckNotPassing' });
    expect(sync.cause).toMatch(
      new RegExp(
        `^the health check the config wants did not pass within 5 minutes \\(health check \\S+: 0 of 8 Route 53 checkers report success \\(Failure: Connection timed out\\. The load balancer has no listener on port 443\\.\\)\\); the latency record still uses health check ${old}, which is kept, and the region keeps serving$`,
      ),
    );
    expect(recordOf(s, 'eu-west-1')).toEqual(recordBefore);
    expect(s.world.healthChecks.has(old)).toBe(true);
    // The new version serves (it passed the record's check); the wanted check is kept for the re-run.
    expect(imageIn(s, 'eu-west-1')).toBe(NEXT_IMAGE);
    const wanted = checksOf(s, 'eu-west-1').filter((id) => id !== old);
    expect(wanted.map((id) => s.world.healthChecks.get(id)!.config.Type)).toEqual(['HTTPS']);
    expect(imageIn(s, 'us-east-1')).toBe(CURRENT_IMAGE);
    expect(s.world.lockItems.size).toBe(0);
    const notice = s.world.notifications.find((n) => n.subject === 'kubecdn SyncRegion eu-west-1 failed, kept serving')!;
    expect(notice.message).toContain('HealthCheckNotPassing');
    expect(notice.message).toContain(wanted[0]);

    // The certificate is issued: the same roll-out, run again, moves the record to that same check.
    s.world.certificates.add(certificate);
    mustSucceed(await next.run('RolloutWorkload', { version: 'v2' }), 'the roll-out run again');
    expect(recordOf(s, 'eu-west-1').HealthCheckId).toBe(wanted[0]);
    expect(checksOf(s, 'eu-west-1')).toEqual(wanted);
    expect(imageIn(s, 'us-east-1')).toBe(NEXT_IMAGE);
  });

  it('a record set held by a live stop elsewhere is waited for, then the sync fails RecordSetBusy with the record untouched and its lock left alone', async () => {
    const s = scenario();
    await startAll(s, ['us-east-1', 'eu-west-1']);
    const old = putOnOldHttpCheck(s.world, 'kubecdn', domain, 'eu-west-1');
    const live = 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:still-running';
    const item = {
      region: { S: 'dns-record-set' },
      holder: { S: live },
      operation: { S: 'stop' },
      reason: { S: 'ap-northeast-1' },
      expiresAt: { N: String(Math.floor(s.world.now / 1000) + 3600) },
    };
    s.world.lockItems.set('dns-record-set', item);

    const run = await s.run('SyncRegion', { region: 'eu-west-1' });

    expect([run.status, run.error]).toEqual(['FAILED', 'RecordSetBusy']);
    expect(run.path).toContain('Wait for the record set');
    expect(recordOf(s, 'eu-west-1').HealthCheckId).toBe(old);
    expect(s.world.lockItems.get('dns-record-set')).toEqual(item);
    expect(s.world.lockItems.has('eu-west-1')).toBe(false);
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn SyncRegion eu-west-1 failed, kept serving');

    s.world.lockItems.delete('dns-record-set');
    mustSucceed(await s.run('SyncRegion', { region: 'eu-west-1' }), 'SyncRegion once the record set is free');
    expect(s.world.healthChecks.get(recordOf(s, 'eu-west-1').HealthCheckId as string)!.config.Type).toBe('HTTPS');
    expect(checksOf(s, 'eu-west-1')).toHaveLength(1);
  });

  it('with a TLS 1.3-only policy the wanted check is the HTTP one it has: nothing is replaced', async () => {
    const s = scenario((c) => (c.https = { securityPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' }));
    await startAll(s, ['us-east-1']);
    const checks = [...s.world.healthChecks.keys()];
    const next = deployNextVersion(s);

    const run = mustSucceed(await next.run('SyncRegion', { region: 'us-east-1' }), 'SyncRegion');

    expect(run.path).not.toContain('Ensure wanted health check');
    expect([...s.world.healthChecks.keys()]).toEqual(checks);
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
