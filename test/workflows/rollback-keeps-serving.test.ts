import { NoSuchChange } from '@aws-sdk/client-route-53';
import type { SimulatedCall } from '../support/simulated-aws/world';
import { scenario } from './scenario';

type ChangeInput = { ChangeBatch?: { Changes?: { Action?: string; ResourceRecordSet?: { SetIdentifier?: string } }[] } };

function recordChange(call: SimulatedCall): { action?: string; region?: string } {
  if (call.operation !== 'ChangeResourceRecordSets') return {};
  const change = (call.input as ChangeInput).ChangeBatch?.Changes?.[0];
  return { action: change?.Action, region: change?.ResourceRecordSet?.SetIdentifier };
}

function servingRegions(s: ReturnType<typeof scenario>): string[] {
  return s.world
    .latencyRecords('cdn.example.com')
    .map((r) => r.SetIdentifier!)
    .sort();
}

describe('a StartRegion rollback and a stop of the other serving region', () => {
  it('never leave zero records: the rollback removes its record under the record set lock and the stop is refused', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    // eu-west-1's start fails once its record is in: the rollback removes that record.
    s.harness.lambdaFaults.push({ step: 'changeStatus', when: 'fail', times: 1 });

    // Hold the rollback inside deleteRecord, between its check and its change, and run a forced
    // stop of us-east-1 meanwhile. The hold ends when the stop has passed its own check (it
    // deletes its record) or is kept out of the record set by the rollback's lock.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let stop: ReturnType<typeof s.run> | undefined;
    s.world.holdCall = (call) => {
      const change = recordChange(call);
      if (!stop && change.action === 'DELETE' && change.region === 'eu-west-1') {
        stop = s.run('StopRegion', { region: 'us-east-1', force: true });
        return held;
      }
      if (stop && change.action === 'DELETE' && change.region === 'us-east-1') release();
      return undefined;
    };
    const get = s.world.lockItems.get.bind(s.world.lockItems);
    s.world.lockItems.get = (key) => {
      const item = get(key);
      if (stop && key === 'dns-record-set' && item?.holder?.S?.includes(':StartRegion:')) release();
      return item;
    };

    const start = await s.run('StartRegion', { region: 'eu-west-1' });
    const stopped = await stop!;

    expect(servingRegions(s)).toEqual(['us-east-1']);
    expect(start).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(stopped).toMatchObject({ status: 'FAILED', error: 'StopRefused' });
    expect(stopped.cause).toContain('us-east-1 is the last region serving cdn.example.com');
    expect(s.world.lockItems.size).toBe(0);
  });

  it('keep the rolled-back region serving when the stop removed the other record first', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });

    // eu-west-1's record is in; while its start waits for INSYNC, us-east-1 is stopped (it sees
    // two records), then the start fails and rolls back: its record is now the only one.
    let stopped: Awaited<ReturnType<typeof s.run>> | undefined;
    let holding = false;
    s.world.holdCall = (call) => {
      if (holding || call.operation !== 'GetChange') return undefined;
      if (!s.world.latencyRecords('cdn.example.com').some((r) => r.SetIdentifier === 'eu-west-1')) return undefined;
      holding = true;
      return s.run('StopRegion', { region: 'us-east-1', force: true }).then((result) => {
        stopped = result;
        throw new NoSuchChange({ $metadata: {}, message: 'injected: no such change' });
      });
    };

    const start = await s.run('StartRegion', { region: 'eu-west-1', reason: 'demand' });

    expect(stopped).toMatchObject({ status: 'SUCCEEDED' });
    expect(servingRegions(s)).toEqual(['eu-west-1']);
    expect(start).toMatchObject({ status: 'FAILED', error: 'NoSuchChange' });
    expect(start.path).toContain('Rollback: Release record set lock, record kept');
    expect(s.world.liveLoadBalancers('eu-west-1')).toHaveLength(1);
    expect(s.resources('eu-west-1')).toEqual(expect.arrayContaining(['cluster kubecdn-eu-west-1 (ACTIVE)']));
    expect(s.world.lockItems.size).toBe(0);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn StartRegion eu-west-1 failed, kept serving');
    expect(notice.message).toContain('its record became the last one serving the domain');
  });
});

describe('a failed StartRegion of a region that was already serving', () => {
  it('removes nothing: the region keeps serving, and the notification says so', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const before = s.resources('eu-west-1').sort();
    s.harness.lambdaFaults.push({ step: 'applyWorkload', when: 'fail', times: 1 });

    const run = await s.run('StartRegion', { region: 'eu-west-1', reason: 'converge' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
    expect(run.cause).toContain('applyWorkload: injected failure');
    expect(s.resources('eu-west-1').sort()).toEqual(before);
    expect(servingRegions(s)).toEqual(['eu-west-1', 'us-east-1']);
    expect(s.world.lockItems.size).toBe(0);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn StartRegion eu-west-1 failed, kept serving');
    expect(notice.message).toContain('The region keeps serving');
    expect(notice.message).toContain('was serving when this run began');
    expect(notice.message).toContain('Failed with RegionOperationFailed: applyWorkload: injected failure');
    expect(notice.attributes).toEqual({ severity: 'warning', operation: 'start', region: 'eu-west-1' });
  });
});
