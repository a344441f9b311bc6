/**
 * The SyncRegion steps as the state machine calls them, through the step schema and runStep,
 * against a region that StartRegion brought up in the simulated AWS.
 */
import { join } from 'node:path';
import type { KubernetesManifest } from '../../../lambdas/region-ops/kubernetes-manifests';
import { stepEventSchema } from '../../../lambdas/region-ops/steps';
import { loadWorkloadManifests } from '../../../lib/region-workflows-manifests';
import { putOnOldHttpCheck } from '../../support/old-health-check';
import { LEAD_TIMES_MS } from '../../support/simulated-aws/world';
import { runRegionOpsStep } from '../../support/region-ops-steps';
import { scenario, type Scenario } from '../../workflows/scenario';

jest.setTimeout(60_000);

const DEPLOYMENT = '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx';
const CURRENT_IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
const manifests: KubernetesManifest[] = loadWorkloadManifests(join(__dirname, '..', '..', '..', 'config', 'workload'));
const withImage = (image: string) => JSON.parse(JSON.stringify(manifests).replaceAll(CURRENT_IMAGE, image)) as KubernetesManifest[];

const step = runRegionOpsStep;
const imageIn = (s: Scenario, region: string) =>
  (
    s.world.cluster(region, `kubecdn-${region}`)!.objects.get(DEPLOYMENT) as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    }
  ).spec.template.spec.containers[0]!.image;

describe('SyncRegion steps on a serving region', () => {
  it('inspectWorkload says a serving region serves and returns its Deployment’s live pod template, which restoreWorkload puts back', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });

    const inspected = (await step(s, { step: 'inspectWorkload', region: 'eu-west-1', manifests })) as {
      serving: boolean;
      previous: { path: string; template: { spec: { containers: { image: string }[] } } }[];
    };
    expect(inspected.serving).toBe(true);
    expect(inspected.previous.map((p) => p.path)).toEqual([DEPLOYMENT]);
    expect(inspected.previous[0]!.template.spec.containers[0]!.image).toBe(CURRENT_IMAGE);

    const broken = 'public.ecr.aws/nginx/nginx:0.0-broken';
    s.world.brokenImages.add(broken);
    await step(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: withImage(broken) });
    s.world.advance(400_000);
    expect(await step(s, { step: 'workloadRollout', region: 'eu-west-1', manifests: withImage(broken), attempt: 4 })).toEqual({
      status: 'FAILED',
      detail: expect.stringMatching(/^kubecdn-edge\/edge-nginx: 1 of 2 updated, 2 available; progress deadline exceeded/),
      attempt: 5,
    });
    // The old pods kept serving all along.
    expect(await step(s, { step: 'healthCheckStatus', region: 'eu-west-1' })).toMatchObject({ healthy: true, attempt: 1 });

    expect(await step(s, { step: 'restoreWorkload', region: 'eu-west-1', previous: inspected.previous })).toEqual({
      restored: [DEPLOYMENT],
    });
    expect(imageIn(s, 'eu-west-1')).toBe(CURRENT_IMAGE);
    s.world.advance(LEAD_TIMES_MS.podsReady);
    expect(await step(s, { step: 'workloadRollout', region: 'eu-west-1', manifests })).toMatchObject({ status: 'AVAILABLE', attempt: 1 });
  });

  it('workloadRollout goes PROGRESSING then AVAILABLE after a good new version, and healthCheckStatus follows the region', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const next = withImage('public.ecr.aws/nginx/nginx:1.28');
    await step(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: next });
    expect(await step(s, { step: 'workloadRollout', region: 'eu-west-1', manifests: next, attempt: 0 })).toMatchObject({
      status: 'PROGRESSING',
    });
    s.world.advance(LEAD_TIMES_MS.podsReady);
    expect(await step(s, { step: 'workloadRollout', region: 'eu-west-1', manifests: next, attempt: 1 })).toEqual({
      status: 'AVAILABLE',
      detail: 'kubecdn-edge/edge-nginx: 2 of 2 updated, 2 available',
      attempt: 2,
    });
    s.world.unhealthyRegions.add('eu-west-1');
    expect(await step(s, { step: 'healthCheckStatus', region: 'eu-west-1', attempt: 2 })).toEqual({
      healthy: false,
      detail: expect.stringMatching(
        /^health check .+: 0 of 8 Route 53 checkers report success \(Failure: HTTP Status Code 502, Bad Gateway\.\)$/,
      ),
      attempt: 3,
    });
  });

  it('inspectWorkload grants the workflow role access to a cluster that lost its access entry', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.accessEntries.clear();
    expect(await step(s, { step: 'inspectWorkload', region: 'eu-west-1', manifests })).toMatchObject({ serving: true });
  });

  it('inspectWorkload reports the record’s health check as wanted after a start, and one to replace on an older HTTP check', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const [lb] = s.world.liveLoadBalancers('eu-west-1');
    const [check] = [...s.world.healthChecks.keys()];
    expect(await step(s, { step: 'inspectWorkload', region: 'eu-west-1', manifests })).toMatchObject({
      healthCheck: {
        id: check,
        replace: false,
        superseded: false,
        loadBalancer: { dnsName: lb!.dnsName, canonicalHostedZoneId: 'Z2IFOLAFXWLO4F' },
      },
    });
    const old = putOnOldHttpCheck(s.world, 'kubecdn', 'cdn.example.com', 'eu-west-1');
    expect(await step(s, { step: 'inspectWorkload', region: 'eu-west-1', manifests })).toMatchObject({
      healthCheck: { id: old, replace: true, superseded: false },
    });
  });
});

describe('pruneConfigMaps', () => {
  const CONFIGMAPS = '/api/v1/namespaces/kubecdn-edge/configmaps';
  const configMapNames = (s: Scenario) =>
    [...s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.objects.keys()]
      .filter((key) => key.startsWith(`${CONFIGMAPS}/`))
      .map((key) => key.slice(CONFIGMAPS.length + 1))
      .sort();
  const withConf = (comment: string) =>
    JSON.parse(
      JSON.stringify(manifests).replace('worker_processes auto;', `worker_processes auto;\\n# ${comment}`),
    ) as KubernetesManifest[];

  it('deletes the project’s ConfigMaps the current manifests no longer name, and nothing else', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const [first] = configMapNames(s).filter((n) => n.startsWith('edge-nginx-'));
    expect(first).toMatch(/^edge-nginx-[0-9a-f]{10}$/);
    // The purge companion's script (unchanged by the next version) and the cluster's CA, published into every namespace.
    const [purge] = configMapNames(s).filter((n) => n.startsWith('edge-purge-companion-'));
    expect(purge).toMatch(/^edge-purge-companion-[0-9a-f]{10}$/);
    // The edge files region-ops adds (the same in the next version): the agent's code and the region table.
    const edgeFiles = configMapNames(s).filter((n) => /^edge-(metrics-agent|region-table-\d+)-[0-9a-f]{10}$/.test(n));
    expect(edgeFiles).toHaveLength(2);
    const kept = [purge!, ...edgeFiles, 'kube-root-ca.crt', 'by-hand', 'theirs'];
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    // Someone else's ConfigMap in the namespace, and one of ours without the config-name label.
    cluster.objects.set(`${CONFIGMAPS}/theirs`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', labels: {} } });
    cluster.objects.set(`${CONFIGMAPS}/by-hand`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'by-hand', labels: { 'app.kubernetes.io/part-of': 'kubecdn' } },
    });

    const next = withConf('v2');
    await step(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: next });
    const [second] = configMapNames(s).filter((n) => n.startsWith('edge-nginx-') && n !== first);
    expect(second).toMatch(/^edge-nginx-[0-9a-f]{10}$/);
    expect(configMapNames(s)).toEqual([first, second, ...kept].sort());

    expect(await step(s, { step: 'pruneConfigMaps', region: 'eu-west-1', manifests: next })).toEqual({
      deleted: [`kubecdn-edge/${first}`],
    });
    expect(configMapNames(s)).toEqual([second, ...kept].sort());
    // Nothing left to prune: a second run deletes nothing.
    expect(await step(s, { step: 'pruneConfigMaps', region: 'eu-west-1', manifests: next })).toEqual({ deleted: [] });
  });

  it('acts on configured regions only', async () => {
    const s = scenario();
    await expect(step(s, { step: 'pruneConfigMaps', region: 'me-south-1', manifests })).rejects.toMatchObject({
      message: expect.stringContaining('not a configured region'),
    });
  });
});

describe('SyncRegion steps on a region that does not serve', () => {
  it('inspectWorkload says a stopped region is not serving and why, and touches nothing', async () => {
    const s = scenario();
    const from = s.world.calls.length;
    expect(await step(s, { step: 'inspectWorkload', region: 'eu-west-1', manifests })).toEqual({
      serving: false,
      reason: 'cluster kubecdn-eu-west-1 is absent; the next StartRegion applies the current workload',
      previous: [],
    });
    expect(s.callsSince(from).filter((c) => /Create|Delete|Change|Update|Associate/.test(c))).toEqual([]);
  });

  it('inspectWorkload says a warm-standby region (cluster up, no record) is not serving', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    // Another region serves, or the stop would refuse to take the last record away.
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(await step(s, { step: 'inspectWorkload', region: 'eu-west-1', manifests })).toEqual({
      serving: false,
      reason:
        'eu-west-1 has no latency record for cdn.example.com (stopped or in warm standby); the next StartRegion applies the current workload',
      previous: [],
    });
  });

  it('healthCheckStatus fails clearly when the region has no record', async () => {
    const s = scenario();
    await expect(step(s, { step: 'healthCheckStatus', region: 'eu-west-1' })).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringContaining('eu-west-1 has no latency record'),
    });
  });
});

describe('the SyncRegion and RolloutWorkload step events', () => {
  it('refuse a restore of anything but a Deployment path', () => {
    const event = {
      step: 'restoreWorkload',
      region: 'eu-west-1',
      previous: [{ path: '/api/v1/namespaces/kube-system/secrets/x', template: {} }],
    };
    expect(stepEventSchema.safeParse(event).success).toBe(false);
  });

  it('take rolloutProgress without a region, accepting a null error or cause from a Catch', async () => {
    const s = scenario();
    const event = {
      step: 'rolloutProgress',
      waveIndex: 0,
      results: [],
      waveResults: [
        { region: 'eu-west-1', outcome: 'succeeded', error: null, cause: null },
        {
          region: 'us-east-1',
          outcome: 'failed',
          error: 'States.TaskFailed',
          cause: JSON.stringify({ Error: 'RolloutFailed', Cause: 'stuck' }),
        },
      ],
    };
    expect(await step(s, event)).toEqual({
      waveIndex: 1,
      results: [
        { region: 'eu-west-1', outcome: 'succeeded' },
        { region: 'us-east-1', outcome: 'failed', error: 'States.TaskFailed', cause: 'RolloutFailed: stuck' },
      ],
      halted: true,
      failed: ['us-east-1'],
    });
  });

  it.each(['inspectWorkload', 'workloadRollout', 'healthCheckStatus', 'restoreWorkload'])(
    'refuse %s for a region that is not configured',
    async (name) => {
      const s = scenario();
      const fields = name === 'restoreWorkload' ? { previous: [] } : name === 'healthCheckStatus' ? {} : { manifests };
      await expect(step(s, { step: name, region: 'sa-east-1', ...fields })).rejects.toMatchObject({
        name: 'InvalidInput',
        message: expect.stringContaining('"sa-east-1" is not a configured region'),
      });
    },
  );

  it('validateInput dispatches sync and rollout to their own validation', async () => {
    const s = scenario();
    expect(await step(s, { step: 'validateInput', operation: 'sync', input: { region: 'eu-west-1' }, lockSeconds: 3600 })).toMatchObject({
      operation: 'sync',
      region: 'eu-west-1',
      reason: 'manual sync',
    });
    expect(await step(s, { step: 'validateInput', operation: 'rollout', input: { version: 'v2' }, lockSeconds: 3600 })).toMatchObject({
      operation: 'rollout',
      region: 'version v2',
      waves: [['eu-west-1'], ['ap-northeast-1'], ['us-east-1']],
    });
  });
});
