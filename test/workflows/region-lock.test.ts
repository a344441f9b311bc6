import { scenario } from './scenario';

describe('the region lock', () => {
  it('lets exactly one of a concurrent start and stop of one region proceed; the other fails at once naming the holder', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const [start, stop] = await Promise.all([
      s.run('StartRegion', { region: 'eu-west-1', reason: 'demand' }),
      s.run('StopRegion', { region: 'eu-west-1', reason: 'quiet' }),
    ]);

    const outcomes = [start, stop].map((r) => r.status).sort();
    expect(outcomes).toEqual(['FAILED', 'SUCCEEDED']);
    const busy = [start, stop].find((r) => r.status === 'FAILED')!;
    expect(busy.error).toBe('RegionBusy');
    expect(busy.cause).toMatch(
      /^eu-west-1 is busy: (start|stop) of eu-west-1 by execution arn:aws:states:us-east-1:123456789012:execution:(Start|Stop)Region:\S+ holds its lock \(reason: (demand|quiet)\)/,
    );
    expect(busy.path).toEqual([
      'Validate input',
      'Take region lock',
      'Read lock holder',
      'Holder known?',
      'Name the lock holder',
      'Region busy',
    ]);
    expect(s.world.lockItems.size).toBe(0);
  });

  it('lets exactly one of two concurrent starts proceed', async () => {
    const s = scenario();
    const runs = await Promise.all([s.run('StartRegion', { region: 'eu-west-1' }), s.run('StartRegion', { region: 'eu-west-1' })]);
    expect(runs.map((r) => r.error ?? r.status).sort()).toEqual(['RegionBusy', 'SUCCEEDED']);
    expect(s.world.calls.filter((c) => c.operation === 'CreateCluster')).toHaveLength(1);
  });

  it('does not hold up operations on other regions', async () => {
    const s = scenario();
    const runs = await Promise.all([s.run('StartRegion', { region: 'eu-west-1' }), s.run('StartRegion', { region: 'ap-northeast-1' })]);
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('refuses a region whose lock a live execution holds, and leaves that lock alone', async () => {
    const s = scenario();
    const holder = { S: 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:autoscaler-42' };
    const item = {
      region: { S: 'eu-west-1' },
      holder,
      operation: { S: 'stop' },
      reason: { S: 'quiet' },
      acquiredAt: { S: '2026-01-05T08:59:00Z' },
      expiresAt: { N: String(s.world.now / 1000 + 3600) },
    };
    s.world.lockItems.set('eu-west-1', item);
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'RegionBusy' });
    expect(run.cause).toContain(`stop of eu-west-1 by execution ${holder.S} holds its lock (reason: quiet)`);
    expect(s.world.lockItems.get('eu-west-1')).toEqual(item);
    expect(s.world.calls).toEqual([]);
  });

  it('takes over a lock whose holder died (expired), and releases it when done', async () => {
    const s = scenario();
    s.world.lockItems.set('eu-west-1', {
      region: { S: 'eu-west-1' },
      holder: { S: 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StartRegion:aborted' },
      operation: { S: 'start' },
      reason: { S: 'demand' },
      acquiredAt: { S: '2026-01-05T06:00:00Z' },
      expiresAt: { N: String(s.world.now / 1000 - 1) },
    });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(s.world.lockItems.size).toBe(0);
  });

  it('holds the lock for at most the workflow timeout', async () => {
    const s = scenario();
    const seen: string[] = [];
    const original = s.world.lockItems.set.bind(s.world.lockItems);
    s.world.lockItems.set = (key, value) => {
      seen.push(value.expiresAt!.N!);
      return original(key, value);
    };
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(seen.map(Number)).toEqual([Math.floor(Date.UTC(2026, 0, 5, 9, 0, 0) / 1000) + 3 * 3600]);
  });
});

it('says the region is free again when the holder released its lock between the failed put and the read', async () => {
  const s = scenario();
  const live = {
    region: { S: 'eu-west-1' },
    holder: { S: 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:x' },
    expiresAt: { N: String(s.world.now / 1000 + 60) },
  };
  s.world.lockItems.set('eu-west-1', live);
  // The holder finishes right after our conditional put was refused.
  const get = s.world.lockItems.get.bind(s.world.lockItems);
  let reads = 0;
  s.world.lockItems.get = (key) => {
    reads += 1;
    if (reads === 2) s.world.lockItems.delete(key);
    return get(key);
  };
  const run = await s.run('StartRegion', { region: 'eu-west-1' });
  expect(run).toMatchObject({
    status: 'FAILED',
    error: 'RegionBusy',
    cause: 'eu-west-1 was busy a moment ago and is free now; run the operation again',
  });
});

describe('the record set lock', () => {
  it('keeps one region serving when the last two serving regions are stopped at the same moment', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });

    const runs = await Promise.all([
      s.run('StopRegion', { region: 'us-east-1', force: true }),
      s.run('StopRegion', { region: 'eu-west-1' }),
    ]);

    expect(runs.map((r) => r.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
    const refused = runs.find((r) => r.status === 'FAILED')!;
    expect([refused.error, refused.cause]).toEqual(['StopRefused', expect.stringContaining('is the last region serving cdn.example.com')]);
    expect(s.world.latencyRecords('cdn.example.com')).toHaveLength(1);
    expect(s.world.lockItems.size).toBe(0);
  });

  it('is taken by StopRegion only around the record check and delete, and released', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const run = await s.succeed('StopRegion', { region: 'eu-west-1' });
    const at = run.path.indexOf('Take record set lock');
    expect(run.path.slice(at, at + 3)).toEqual(['Take record set lock', 'Delete DNS record', 'Release record set lock']);
    expect(s.world.lockItems.size).toBe(0);
  });
});

describe('lock requests as DynamoDB reads them', () => {
  it('sends every number attribute as a string, which DynamoDB requires of N', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const seen: unknown[] = [];
    const original = s.world.lockItems.set.bind(s.world.lockItems);
    s.world.lockItems.set = (key, value) => {
      seen.push(value.expiresAt?.N);
      return original(key, value);
    };
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(seen.length).toBeGreaterThan(0);
    for (const value of seen) expect(value).toMatch(/^\d+$/);
  });
});
