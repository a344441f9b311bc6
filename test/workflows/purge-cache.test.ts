/**
 * PurgeCache, the synthesized definition run against regions started by StartRegion: the request
 * reaches every serving region's `edge-purge` ConfigMap, each edge pod's (simulated) purge
 * companion deletes the matching keys of its cache and answers, and the execution says per
 * region and pod what was removed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgePods, PURGE_ANSWER_DELAY_MS, seedEdgeCache } from '../support/simulated-aws/edge-pods';
import type { SimulatedAws } from '../support/simulated-aws/world';
import { scenario, type Scenario } from './scenario';

jest.setTimeout(120_000);

const PROJECT = 'kubecdn';
const REQUEST_PATH = '/api/v1/namespaces/kubecdn-edge/configmaps/edge-purge';
const RESULTS_PATH = '/api/v1/namespaces/kubecdn-edge/configmaps/edge-purge-results';

/** What an edge pod has cached: keys `<host><path>[?query]`, as nginx's cache key is built. */
const SITE = [
  'cdn.example.com/img/logo.png',
  'cdn.example.com/img/logo.png?v=2',
  'www.example.com/img/logo.png',
  'cdn.example.com/img/logo.png.bak',
  'cdn.example.com/css/site.css',
  'cdn.example.com/css/print/a.css?x=1',
  'cdn.example.com/cssx/b.css',
  'cdn.example.com/js/app.js',
  'cdn.example.com/',
];
/** What {"paths":["/img/logo.png","/css/*"]} leaves: another path that merely starts alike, another folder, the rest. */
const AFTER_LOGO_AND_CSS = [
  'cdn.example.com/',
  'cdn.example.com/cssx/b.css',
  'cdn.example.com/img/logo.png.bak',
  'cdn.example.com/js/app.js',
];
const README_INPUT = '{"paths":["/img/logo.png","/css/*"]}';

interface RegionResult {
  region: string;
  outcome: string;
  reason?: string;
  error?: string;
  cause?: string;
  pods?: { pod: string; removed?: number; scanned?: number; error?: string }[];
  waiting?: string[];
}

const clusterOf = (world: SimulatedAws, region: string) => world.cluster(region, `${PROJECT}-${region}`)!;
const podNames = (s: Scenario, region: string) => edgePods(s.world, region, PROJECT).map((p) => p.name);
const cachesIn = (s: Scenario, region: string) => edgePods(s.world, region, PROJECT).map((p) => [...p.cache].sort());
const resultsOf = (output: unknown) => (output as { regions: RegionResult[] }).regions;

/** us-east-1 and eu-west-1 serving (two edge pods each, every pod's cache holding SITE); ap-northeast-1 stopped. */
let twoServing: Scenario;
beforeAll(async () => {
  const s = scenario();
  await s.succeed('StartRegion', { region: 'us-east-1' });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  for (const region of ['us-east-1', 'eu-west-1']) seedEdgeCache(s.world, region, PROJECT, SITE);
  twoServing = s;
});

describe('PurgeCache in the serving regions', () => {
  it('removes exact paths (any host or query) and prefixes from every edge pod, and says per region and pod how many', async () => {
    const s = twoServing.fork();
    const usPods = podNames(s, 'us-east-1');
    expect(usPods).toHaveLength(2);

    const run = await s.succeed('PurgeCache', README_INPUT);

    for (const region of ['us-east-1', 'eu-west-1']) expect(cachesIn(s, region)).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
    expect(run.output).toMatchObject({ id: 'PurgeCache-1', removed: 20 });
    expect(resultsOf(run.output)).toEqual([
      { region: 'us-east-1', outcome: 'purged', pods: usPods.map((pod) => ({ pod, removed: 5, scanned: 9 })) },
      { region: 'eu-west-1', outcome: 'purged', pods: podNames(s, 'eu-west-1').map((pod) => ({ pod, removed: 5, scanned: 9 })) },
      { region: 'ap-northeast-1', outcome: 'skipped', reason: 'cluster kubecdn-ap-northeast-1 is absent (stopped)' },
    ]);
    // The request as the companions read it: the execution's name, exact paths, prefixes without "*".
    const request = JSON.parse((clusterOf(s.world, 'us-east-1').objects.get(REQUEST_PATH) as { data: { request: string } }).data.request);
    expect(request).toEqual({
      id: 'PurgeCache-1',
      paths: ['/img/logo.png'],
      prefixes: ['/css/'],
      everything: false,
      requestedAt: expect.stringMatching(/^2026-01-05T\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // Nothing was written to the stopped region, and no lock was taken anywhere.
    expect(s.world.cluster('ap-northeast-1', 'kubecdn-ap-northeast-1')).toBeUndefined();
    expect(s.world.lockItems.size).toBe(0);

    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn PurgeCache 2 paths succeeded');
    for (const line of [
      'Purged: /img/logo.png /css/*',
      'Objects removed: 20',
      'us-east-1: purged, 10 objects removed by 2 pods',
      `    ${usPods[0]}: 5 removed of 9 cached objects`,
      'ap-northeast-1: skipped: cluster kubecdn-ap-northeast-1 is absent (stopped)',
    ])
      expect(notice.message).toContain(line);
  });

  it('purges everything', async () => {
    const s = twoServing.fork();
    const run = await s.succeed('PurgeCache', '{"everything": true}');
    for (const region of ['us-east-1', 'eu-west-1']) expect(cachesIn(s, region)).toEqual([[], []]);
    expect(run.output).toMatchObject({ removed: 4 * SITE.length });
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn PurgeCache everything succeeded');
    expect(s.world.notifications.at(-1)!.message).toContain('Purged: everything');
    // A purge spans regions: no region attribute.
    expect(s.world.notifications.at(-1)!.attributes).toEqual({ severity: 'info', operation: 'purge' });
  });

  it('is idempotent: run again, it is a new request that finds nothing left to remove, and the other objects stay', async () => {
    const s = twoServing.fork();
    await s.succeed('PurgeCache', README_INPUT);
    const again = await s.succeed('PurgeCache', README_INPUT);

    expect(again.output).toMatchObject({ id: 'PurgeCache-2', removed: 0 });
    for (const result of resultsOf(again.output).filter((r) => r.outcome === 'purged'))
      for (const pod of result.pods!) expect(pod).toMatchObject({ removed: 0, scanned: AFTER_LOGO_AND_CSS.length });
    for (const region of ['us-east-1', 'eu-west-1']) expect(cachesIn(s, region)).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
    // Each pod's answer to the latest request replaced its answer to the first.
    const answers = (clusterOf(s.world, 'eu-west-1').objects.get(RESULTS_PATH) as { data: Record<string, string> }).data;
    expect(Object.values(answers).map((a) => (JSON.parse(a) as { id: string }).id)).toEqual(['PurgeCache-2', 'PurgeCache-2']);
  });

  it('writes the request once per execution: a repeated step (a Lambda timeout after it wrote) does not purge twice', async () => {
    const s = twoServing.fork();
    s.harness.lambdaFaults.push({ step: 'purgeRegion', when: 'after', times: 1 });
    const run = await s.succeed('PurgeCache', README_INPUT);
    expect(s.harness.lambdaFaults[0]!.times).toBe(0);
    const writes = s.harness.kubernetesRequests.filter((r) => r.method === 'PATCH' && r.path.startsWith(`${REQUEST_PATH}?`));
    expect(writes).toHaveLength(3); // two regions, one of them twice
    expect(run.output).toMatchObject({ removed: 20 });
    for (const region of ['us-east-1', 'eu-west-1']) expect(cachesIn(s, region)).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
  });

  it('keeps what a companion wrote when it writes the request again: results of other pods are never taken away', async () => {
    const s = twoServing.fork();
    await s.succeed('PurgeCache', README_INPUT);
    const results = clusterOf(s.world, 'us-east-1').objects.get(RESULTS_PATH) as { data: Record<string, string> };
    results.data['edge-nginx-gone-00000'] = JSON.stringify({ id: 'older', removed: 1, scanned: 1 });
    await s.succeed('PurgeCache', '{"paths":["/js/app.js"]}');
    expect(Object.keys((clusterOf(s.world, 'us-east-1').objects.get(RESULTS_PATH) as { data: object }).data)).toContain(
      'edge-nginx-gone-00000',
    );
  });

  it('reaches a private cluster endpoint through the region relay, and a public one directly', async () => {
    const s = twoServing.fork();
    const from = s.harness.kubernetesRequests.length;
    const callsFrom = s.world.calls.length;
    await s.succeed('PurgeCache', README_INPUT);
    const requests = s.harness.kubernetesRequests.slice(from);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.via !== 'relay')).toEqual([]);
    expect(s.world.calls.slice(callsFrom).filter((c) => c.service === 'lambda').length).toBe(requests.length);

    const open = scenario((c) => (c.cluster = { endpointAccess: 'public' }));
    await open.succeed('StartRegion', { region: 'us-east-1' });
    seedEdgeCache(open.world, 'us-east-1', PROJECT, SITE);
    const fromOpen = open.harness.kubernetesRequests.length;
    const callsBefore = open.world.calls.length;
    await open.succeed('PurgeCache', README_INPUT);
    expect(open.harness.kubernetesRequests.slice(fromOpen).filter((r) => r.via === 'relay')).toEqual([]);
    expect(open.world.calls.slice(callsBefore).filter((c) => c.service === 'lambda')).toEqual([]);
    expect(cachesIn(open, 'us-east-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
  });

  it('purges a region whose cluster is UPDATING (an EKS update in progress): it keeps serving and its API answers', async () => {
    const s = twoServing.fork();
    clusterOf(s.world, 'eu-west-1').pendingUpdate = { requestedAt: s.world.now, vpcConfig: {} };
    const run = await s.succeed('PurgeCache', README_INPUT);
    expect(resultsOf(run.output).find((r) => r.region === 'eu-west-1')!.outcome).toBe('purged');
    expect(cachesIn(s, 'eu-west-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
  });

  it('waits only for Ready pods: a pod whose readiness probe fails serves nobody and is not waited for', async () => {
    const s = twoServing.fork();
    const [unready, ready] = podNames(s, 'eu-west-1');
    s.world.unreadyPods.add(unready!);
    s.world.silentPurgePods.add(unready!);

    const run = await s.succeed('PurgeCache', README_INPUT);

    const eu = resultsOf(run.output).find((r) => r.region === 'eu-west-1')!;
    expect(eu).toEqual({ region: 'eu-west-1', outcome: 'purged', pods: [{ pod: ready, removed: 5, scanned: 9 }] });
  });
});

describe('PurgeCache and regions that do not serve', () => {
  it('skips a warm-standby region (control plane kept, pods shutting down or gone) and a stopped one, writing nothing to them', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);

    const run = await s.succeed('PurgeCache', '{"everything": true}');

    expect(resultsOf(run.output)).toEqual([
      expect.objectContaining({ region: 'us-east-1', outcome: 'purged' }),
      {
        region: 'eu-west-1',
        outcome: 'skipped',
        reason: 'no edge pods run (warm standby or scaled to zero): nothing cached',
      },
      { region: 'ap-northeast-1', outcome: 'skipped', reason: 'cluster kubecdn-ap-northeast-1 is absent (stopped)' },
    ]);
    expect(clusterOf(s.world, 'eu-west-1').objects.has(REQUEST_PATH)).toBe(false);
    expect(s.world.notifications.at(-1)!.message).toContain('eu-west-1: skipped: no edge pods run (warm standby or scaled to zero)');
  });
});

describe('PurgeCache and a region being started', () => {
  it('purges a region while its start runs, and the pods the start brings up serve with an empty cache', async () => {
    const s = twoServing.fork();
    // Hold ap-northeast-1's start just before its latency record goes in: its cluster and edge
    // pods are up, it serves nobody yet, and StartRegion holds its lock. Purge meanwhile.
    let purge: ReturnType<typeof s.run> | undefined;
    s.world.holdCall = (call) => {
      const change = (call.input as { ChangeBatch?: { Changes?: { Action?: string; ResourceRecordSet?: { SetIdentifier?: string } }[] } })
        .ChangeBatch?.Changes?.[0];
      if (purge || call.operation !== 'ChangeResourceRecordSets' || change?.ResourceRecordSet?.SetIdentifier !== 'ap-northeast-1')
        return undefined;
      expect(s.world.lockItems.get('ap-northeast-1')?.operation?.S).toBe('start');
      purge = s.run('PurgeCache', README_INPUT);
      return purge.then(() => undefined);
    };

    const start = await s.run('StartRegion', { region: 'ap-northeast-1' });
    const purged = await purge!;

    expect(purged.status).toBe('SUCCEEDED');
    const tokyo = resultsOf(purged.output).find((r) => r.region === 'ap-northeast-1')!;
    // Every pod the start had brought up answered, with nothing to remove.
    expect(tokyo).toMatchObject({ outcome: 'purged', pods: podNames(s, 'ap-northeast-1').map((pod) => ({ pod, removed: 0, scanned: 0 })) });
    expect(start.status).toBe('SUCCEEDED');
    expect(cachesIn(s, 'ap-northeast-1')).toEqual([[], []]);
    expect(cachesIn(s, 'us-east-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
  });

  it('skips a stopped region whose start has not brought up its cluster yet, saying its pods will begin empty', async () => {
    const s = twoServing.fork();
    s.world.lockItems.set('ap-northeast-1', {
      region: { S: 'ap-northeast-1' },
      holder: { S: 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StartRegion:demand-1' },
      operation: { S: 'start' },
      reason: { S: 'demand' },
      acquiredAt: { S: new Date(s.world.now).toISOString() },
      expiresAt: { N: String(Math.floor(s.world.now / 1000) + 3600) },
    });

    const run = await s.succeed('PurgeCache', README_INPUT);

    expect(resultsOf(run.output).find((r) => r.region === 'ap-northeast-1')).toEqual({
      region: 'ap-northeast-1',
      outcome: 'skipped',
      reason:
        'cluster kubecdn-ap-northeast-1 is absent (stopped) while StartRegion arn:aws:states:us-east-1:123456789012:execution:kubecdn-StartRegion:demand-1 starts it; the edge pods it starts begin with an empty cache',
    });
  });
});

describe('PurgeCache and regions it cannot purge', () => {
  const holder = 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:autoscaler-stop-eu-west-1';
  const lockOn = (s: Scenario, region: string, expiresInSeconds: number) =>
    s.world.lockItems.set(region, {
      region: { S: region },
      holder: { S: holder },
      operation: { S: 'stop' },
      reason: { S: 'quiet for 15 minutes' },
      acquiredAt: { S: new Date(s.world.now).toISOString() },
      expiresAt: { N: String(Math.floor(s.world.now / 1000) + expiresInSeconds) },
    });

  it('refuses a busy region naming the holder, purges the others, and fails so that a re-run finishes the job', async () => {
    const s = twoServing.fork();
    lockOn(s, 'eu-west-1', 3600);

    const run = await s.run('PurgeCache', README_INPUT);

    expect(run).toMatchObject({ status: 'FAILED', error: 'RegionBusy' });
    expect(run.cause).toContain('not purged: eu-west-1');
    expect(run.cause).toContain(
      `eu-west-1 is busy: stop of eu-west-1 by execution ${holder} holds its lock (reason: quiet for 15 minutes); run PurgeCache again once it is done`,
    );
    expect(cachesIn(s, 'us-east-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
    expect(cachesIn(s, 'eu-west-1')).toEqual([[...SITE].sort(), [...SITE].sort()]);
    expect(clusterOf(s.world, 'eu-west-1').objects.has(REQUEST_PATH)).toBe(false);
    // The lock is read, never taken or released.
    expect(s.world.lockItems.get('eu-west-1')!.holder!.S).toBe(holder);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn PurgeCache 2 paths failed');
    expect(notice.message).toContain('Failed with RegionBusy: not purged: eu-west-1.');
    expect(notice.message).toContain('us-east-1: purged, 10 objects removed by 2 pods');
    expect(notice.message).toContain(`eu-west-1: busy: eu-west-1 is busy: stop of eu-west-1 by execution ${holder}`);

    s.world.lockItems.delete('eu-west-1');
    const again = await s.succeed('PurgeCache', README_INPUT);
    expect(cachesIn(s, 'eu-west-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
    expect(resultsOf(again.output).map((r) => [r.region, r.outcome])).toEqual([
      ['us-east-1', 'purged'],
      ['eu-west-1', 'purged'],
      ['ap-northeast-1', 'skipped'],
    ]);
  });

  it('purges a region whose lock has lapsed (its holder died)', async () => {
    const s = twoServing.fork();
    lockOn(s, 'eu-west-1', -60);
    await s.succeed('PurgeCache', README_INPUT);
    expect(cachesIn(s, 'eu-west-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
  });

  it('fails a region with a pod that never answers, within the bound, naming the pod; the other pods and regions are purged', async () => {
    const s = twoServing.fork();
    const [stuck, fine] = podNames(s, 'eu-west-1');
    s.world.silentPurgePods.add(stuck!);

    const run = await s.run('PurgeCache', README_INPUT);

    expect(run).toMatchObject({ status: 'FAILED', error: 'PurgeFailed' });
    expect(run.cause).toContain(`eu-west-1 failed: edge pods ${stuck} did not answer purge PurgeCache-1 within 40 s of the request`);
    // 40 s of polling for the stuck pod, plus the other region and the Lambda calls: still within a minute.
    expect(run.elapsedMs).toBeLessThan(60_000);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.message).toContain(`eu-west-1: failed: edge pods ${stuck} did not answer`);
    expect(notice.message).toContain(`    ${fine}: 5 removed of 9 cached objects`);
    expect(notice.message).toContain(`    ${stuck}: no answer`);
    expect(cachesIn(s, 'us-east-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
  });

  it('fails the regions whose step times out on every attempt, naming the state and its step', async () => {
    const s = twoServing.fork();
    // Every region's request: one try and its one retry each, three regions.
    s.harness.lambdaFaults.push({ step: 'purgeRegion', when: 'before', times: 6 });

    const run = await s.run('PurgeCache', README_INPUT);

    expect(run).toMatchObject({ status: 'FAILED', error: 'PurgeFailed' });
    expect(run.cause).toContain('not purged: us-east-1, eu-west-1, ap-northeast-1.');
    expect(run.cause).toContain('us-east-1 failed: Request purge (region-ops step purgeRegion) timed out');
    expect(s.harness.lambdaFaults[0]!.times).toBe(0);
    expect(cachesIn(s, 'us-east-1')).toEqual([[...SITE].sort(), [...SITE].sort()]);
  });

  it('fails a region whose pod answers with an error, naming the pod and the error', async () => {
    const s = twoServing.fork();
    const [broken] = podNames(s, 'us-east-1');
    s.world.failingPurgePods.set(broken!, 'EACCES: permission denied, unlink /var/cache/nginx/edge/a/bc/0123');

    const run = await s.run('PurgeCache', README_INPUT);

    expect(run).toMatchObject({ status: 'FAILED', error: 'PurgeFailed' });
    expect(run.cause).toContain(`us-east-1 failed: ${broken}: EACCES: permission denied`);
    expect(s.world.notifications.at(-1)!.message).toContain(`    ${broken}: error: EACCES: permission denied`);
  });
});

describe('PurgeCache refuses bad input in its first step', () => {
  const cases: [string, unknown, string][] = [
    ['an empty request', {}, 'nothing to purge: expected "paths" or "everything": true'],
    ['both paths and everything', { paths: ['/a'], everything: true }, 'expected either "paths" or "everything": true, not both'],
    ['"everything": false', { everything: false }, '$.everything: expected true, or leave it out and pass "paths"'],
    ['an empty list of paths', { paths: [] }, '$.paths: expected at least one path'],
    ['a path not starting with "/"', { paths: ['img/logo.png'] }, '$.paths[0]: "img/logo.png" does not start with "/"'],
    ['a URL instead of a path', { paths: ['https://cdn.example.com/a'] }, 'does not start with "/"'],
    ['a path with a space', { paths: ['/img/my logo.png'] }, 'contains a space, a control character or an invisible format character'],
    ['a path with a newline', { paths: ['/a\n/b'] }, 'contains a space, a control character'],
    ['a path with a zero-width space', { paths: ['/a\u200Bb'] }, 'invisible format character'],
    ['a "*" before the end', { paths: ['/img/*/logo.png'] }, '"*" is only allowed as the last character'],
    ['a query in a path', { paths: ['/img/logo.png?v=2'] }, 'expected a path without a query or fragment'],
    ['too many paths', { paths: Array.from({ length: 101 }, (_, i) => `/p${i}`) }, '$.paths: expected at most 100 paths per purge'],
    ['a path that is not a string', { paths: [42] }, '$.paths[0]: expected a path such as "/img/logo.png"'],
    ['an unknown field', { paths: ['/a'], region: 'eu-west-1' }, 'Unrecognized key: "region"'],
    ['a bare list', ['/a'], 'expected a JSON object such as {"paths": ["/img/logo.png", "/css/*"]} or {"everything": true}'],
  ];

  it.each(cases)('%s', async (_what, input, cause) => {
    const s = scenario();
    const run = await s.run('PurgeCache', input);
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(run.cause).toContain('invalid PurgeCache input: ');
    expect(run.cause).toContain(cause);
    expect(run.path).toEqual(['Validate input', 'Input rejected']);
    expect(s.world.calls).toEqual([]);
    expect(s.world.notifications).toEqual([]);
  });
});

describe("README's Purge section", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## Purging cached content\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('names the stack output and gives inputs that purge exactly as it says', async () => {
    const outputs = Object.keys((twoServing.harness.synthesized.template as unknown as { Outputs: object }).Outputs);
    expect(outputs).toContain('PurgeCacheStateMachineArn');
    expect(section).toContain('`PurgeCacheStateMachineArn`');
    const inputs = [...section.matchAll(/--input '([^']+)'/g)].map((m) => m[1]!);
    expect(inputs).toEqual([README_INPUT, '{"everything": true}']);
    const s = twoServing.fork();
    await s.succeed('PurgeCache', inputs[0]);
    expect(cachesIn(s, 'eu-west-1')).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
    await s.succeed('PurgeCache', inputs[1]);
    expect(cachesIn(s, 'eu-west-1')).toEqual([[], []]);
  });
});

describe('PurgeCache over eight serving regions', () => {
  it('purges them all at once, within a minute of simulated time', async () => {
    const s = scenario((c) => {
      c.alwaysOn = ['us-east-1'];
      c.scalable = ['eu-west-1', 'ap-northeast-1', 'sa-east-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2', 'ca-central-1'];
    });
    const regions = [...s.config.alwaysOn, ...s.config.scalable];
    for (const region of regions) await s.succeed('StartRegion', { region });
    for (const region of regions) seedEdgeCache(s.world, region, PROJECT, SITE);

    const run = await s.succeed('PurgeCache', README_INPUT);

    expect(resultsOf(run.output).map((r) => r.outcome)).toEqual(regions.map(() => 'purged'));
    for (const region of regions) expect(cachesIn(s, region)).toEqual([AFTER_LOGO_AND_CSS, AFTER_LOGO_AND_CSS]);
    // The simulated clock is shared by the Map's iterations, so this is every region's time added
    // up (an upper bound of the parallel run): each region is one wait for its companions' answer.
    console.log(
      `PurgeCache over ${regions.length} regions: ${run.elapsedMs / 1000} s simulated (${run.waitedMs / 1000} s in waits), ${run.lambdaInvocations} Lambda calls, ${run.transitions} transitions; companions answer ${PURGE_ANSWER_DELAY_MS} ms after the request`,
    );
    expect(run.elapsedMs).toBeLessThan(60_000);
  });
});
