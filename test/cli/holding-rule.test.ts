import { holdingRule, holdingRuleText } from '../../cli/holding-rule';
import { regionOfName } from '../../cli/execution-history';
import { decide } from '../../core/autoscaler/decide';
import type { RegionStatus } from '../../core/autoscaler/types';
import { executionName } from '../../lambdas/autoscaler/execution-names';
import { validConfig } from '../support/configs';

// Wednesday 2026-11-25 12:00 in Tokyo (03:00Z): inside a weekday 08:00-20:00 window there.
const NOW = Date.UTC(2026, 10, 25, 3, 0);
const schedules = [{ region: 'ap-northeast-1', days: 'weekdays' as const, start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo' }];
const uncapped = validConfig((c) => (c.schedules = schedules));
const oneAtATime = validConfig((c) => {
  c.schedules = schedules;
  c.limits = { maxConcurrentOperations: 1 };
});
/** Below the default scale-down threshold for the default 15 periods; above the scale-up one for 3. */
const QUIET = new Array<number>(15).fill(10);
const BUSY = [5000, 5000, 5000];
const SETTLED: Record<string, RegionStatus> = { 'us-east-1': { phase: 'running' }, 'ap-northeast-1': { phase: 'running' } };

function holds(regions: Record<string, RegionStatus>, demand: Record<string, number[]>, config = uncapped) {
  return Object.fromEntries(
    decide({ config, now: NOW, demand, regions }).map((d) => [d.region, holdingRuleText(holdingRule(config, d, regions[d.region], NOW))]),
  );
}

describe('the rule holding a region', () => {
  it('names always-on, an open schedule window and the demand rules for regions kept as they are', () => {
    expect(
      holds({ 'us-east-1': { phase: 'running' }, 'ap-northeast-1': { phase: 'running' }, 'eu-west-1': { phase: 'stopped' } }, {}),
    ).toEqual({
      'us-east-1': 'always-on',
      'ap-northeast-1': 'schedule',
      'eu-west-1': 'demand',
    });
  });

  it('names an override in force over an open schedule window with its pin and when it lapses, and the unreadable overrides that hold a stop', () => {
    const overrides = { 'ap-northeast-1': { pin: 'on' as const, until: NOW + 3_600_000 - 30_000, reason: '' } };
    const pinned = decide({ config: uncapped, now: NOW, demand: {}, regions: SETTLED, overrides });
    const hold = holdingRule(
      uncapped,
      pinned.find((d) => d.region === 'ap-northeast-1')!,
      SETTLED['ap-northeast-1'],
      NOW,
      overrides['ap-northeast-1'],
    );
    expect(hold).toEqual({ rule: 'override', pin: 'on', until: new Date(NOW + 3_600_000 - 30_000).toISOString(), minutesLeft: 60 });
    expect(holdingRuleText(hold)).toBe('override on (60 min left)');
    const regions = { ...SETTLED, 'eu-west-1': { phase: 'running' as const } };
    const unread = decide({ config: uncapped, now: NOW, demand: { 'eu-west-1': QUIET }, regions, overridesUnreadable: true });
    expect(
      holdingRuleText(
        holdingRule(
          uncapped,
          unread.find((d) => d.region === 'eu-west-1')!,
          regions['eu-west-1'],
          NOW,
        ),
      ),
    ).toBe('overrides-unreadable');
  });

  it('names the cooldown with the whole minutes left, rounded up', () => {
    const regions = { ...SETTLED, 'eu-west-1': { phase: 'running' as const, lastTransitionAt: NOW - 10 * 60_000 - 30_000 } };
    expect(holds(regions, { 'eu-west-1': QUIET })['eu-west-1']).toBe('cooldown (20 min left)');
  });

  it('names the cap for a start the concurrency cap held, and in-flight for a region whose workflow runs', () => {
    const regions: Record<string, RegionStatus> = {
      'us-east-1': { phase: 'running' },
      'ap-northeast-1': { phase: 'starting', operationInFlight: 'start' },
      'eu-west-1': { phase: 'stopped' },
    };
    expect(holds(regions, { 'eu-west-1': BUSY }, oneAtATime)).toMatchObject({ 'ap-northeast-1': 'in-flight', 'eu-west-1': 'cap' });
  });

  it('names the rule that asks for an action, and removed-from-config for a region the config no longer lists', () => {
    expect(
      holds({ ...SETTLED, 'eu-west-1': { phase: 'stopped' }, 'sa-east-1': { phase: 'running' } }, { 'eu-west-1': BUSY }),
    ).toMatchObject({
      'eu-west-1': 'demand',
      'sa-east-1': 'removed-from-config',
    });
  });
});

describe('the region an execution name tells', () => {
  it("reads the autoscaler's names and the command line's, and nothing from a generated one", () => {
    expect(regionOfName(executionName('stop', 'ap-northeast-1', NOW))).toBe('ap-northeast-1');
    expect(regionOfName('cli-StartRegion-eu-west-1-20261129T050000Z-ab12')).toBe('eu-west-1');
    expect(regionOfName('cli-PurgeCache-all-20261129T050000Z-ab12')).toBeUndefined();
    expect(regionOfName('0f3c2a8e-9d1b-4c55-8f7e-2b1a6d9e4c21')).toBeUndefined();
  });
});
