import { scenario } from './scenario';

/** us-east-1 and eu-west-1 serving. */
async function twoServing() {
  const s = scenario();
  await s.succeed('StartRegion', { region: 'us-east-1' });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  return s;
}

function recordSetLockItem(holder: string, expiresAtEpochSeconds: number) {
  return {
    region: { S: 'dns-record-set' },
    holder: { S: holder },
    operation: { S: 'stop' },
    reason: { S: 'ap-northeast-1' },
    acquiredAt: { S: '2026-01-05T08:59:00Z' },
    expiresAt: { N: String(expiresAtEpochSeconds) },
  };
}

describe('the record set lock, held by another execution', () => {
  it('is taken over once a dead holder lease lapses while the stop waits, and released', async () => {
    const s = await twoServing();
    const dead = 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:aborted';
    s.world.lockItems.set('dns-record-set', recordSetLockItem(dead, Math.floor(s.world.now / 1000) + 120));

    const run = await s.succeed('StopRegion', { region: 'eu-west-1' });

    expect(run.path).toContain('Wait for the record set');
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['us-east-1']);
    expect(s.world.lockItems.size).toBe(0);
  });

  it('fails the stop with RecordSetBusy naming a live holder, leaving its lock and both records alone', async () => {
    const s = await twoServing();
    const live = 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:still-running';
    const item = recordSetLockItem(live, Math.floor(s.world.now / 1000) + 3600);
    s.world.lockItems.set('dns-record-set', item);

    const run = await s.run('StopRegion', { region: 'eu-west-1', reason: 'quiet' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'RecordSetBusy' });
    expect(run.cause).toContain(`the DNS record set is busy: stop of ap-northeast-1 by execution ${live} holds its lock`);
    expect(s.world.lockItems.get('dns-record-set')).toEqual(item);
    expect(s.world.lockItems.has('eu-west-1')).toBe(false);
    expect(s.world.latencyRecords('cdn.example.com')).toHaveLength(2);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn StopRegion eu-west-1 failed');
    expect(notice.message).toContain(`Failed with RecordSetBusy: the DNS record set is busy: stop of ap-northeast-1 by execution ${live}`);
  });
});
