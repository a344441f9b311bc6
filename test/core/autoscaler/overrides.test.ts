import { decide, type RegionOverride } from '../../../core/autoscaler';
import { actionsOf, decideOne, engineConfig, MINUTE, NOW, running, steady, stopped } from './engine-fixtures';

/** An override lapsing at 14:30 UTC on the engine fixtures' day (NOW is 12:00). */
const UNTIL = Date.parse('2026-11-25T14:30:00Z');
const pinOn: RegionOverride = { pin: 'on', until: UNTIL, reason: 'incident 42: APAC latency' };
const pinOff: RegionOverride = { pin: 'off', until: UNTIL, reason: 'bad node image' };

describe('an override in force', () => {
  it('starts a quiet stopped region pinned on, saying until when and why', () => {
    const decision = decideOne(
      { regions: {}, demand: { 'ap-northeast-1': steady(10, 15) }, overrides: { 'ap-northeast-1': pinOn } },
      'ap-northeast-1',
    );
    expect(decision).toMatchObject({ action: 'start', rule: 'override', wanted: 'start' });
    expect(decision.reason).toBe('started: pinned on by override until 14:30Z: incident 42: APAC latency');
  });

  it('keeps a quiet running region pinned on running instead of stopping it, naming the override as the rule', () => {
    const decision = decideOne(
      { regions: { 'eu-west-1': running }, demand: { 'eu-west-1': steady(10, 15) }, overrides: { 'eu-west-1': pinOn } },
      'eu-west-1',
    );
    expect(decision).toMatchObject({ action: 'none', rule: 'override' });
    expect(decision.wanted).toBeUndefined();
    expect(decision.reason).toBe('kept running: pinned on by override until 14:30Z: incident 42: APAC latency (latest 10 rpm)');
  });

  it('stops a busy running region pinned off, and keeps a busy stopped one stopped', () => {
    const demand = { 'eu-west-1': steady(9000, 15), 'ap-northeast-1': steady(9000, 15) };
    const decisions = decide({
      config: engineConfig(),
      now: NOW,
      demand,
      regions: { 'eu-west-1': running },
      overrides: { 'eu-west-1': pinOff, 'ap-northeast-1': pinOff },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'eu-west-1': 'stop', 'ap-northeast-1': 'none' });
    expect(decisions.find((d) => d.region === 'eu-west-1')!.reason).toBe('stopped: pinned off by override until 14:30Z: bad node image');
    expect(decisions.find((d) => d.region === 'ap-northeast-1')!.reason).toBe(
      'kept stopped: pinned off by override until 14:30Z: bad node image (latest 9000 rpm)',
    );
  });

  it('beats the always-on rule: an always-on region pinned off is stopped', () => {
    const decision = decideOne({ regions: { 'us-east-1': running }, overrides: { 'us-east-1': pinOff } }, 'us-east-1');
    expect(decision).toMatchObject({ action: 'stop', rule: 'override' });
  });

  it('beats a keep-on schedule: a scheduled region pinned off is not started inside its window', () => {
    const config = engineConfig(
      (c) => (c.schedules = [{ region: 'eu-west-1', days: ['wed'], start: '09:00', end: '18:00', timeZone: 'UTC' }]),
    );
    const unpinned = decide({ config, now: NOW, demand: {}, regions: {} });
    const pinned = decide({ config, now: NOW, demand: {}, regions: {}, overrides: { 'eu-west-1': pinOff } });
    expect(actionsOf(unpinned)['eu-west-1']).toBe('start');
    expect(actionsOf(pinned)['eu-west-1']).toBe('none');
  });

  it('keeps a warm-standby region pinned off in standby, and starts it when pinned on', () => {
    const regions = { 'eu-west-1': { phase: 'standby' as const } };
    expect(decideOne({ regions, overrides: { 'eu-west-1': pinOff } }, 'eu-west-1').reason).toMatch(/^kept in warm standby: pinned off/);
    expect(decideOne({ regions, overrides: { 'eu-west-1': pinOn } }, 'eu-west-1').action).toBe('start');
  });

  it('stops a stranded region pinned off, and starts one pinned on', () => {
    const regions = { 'eu-west-1': { phase: 'stranded' as const } };
    expect(decideOne({ regions, overrides: { 'eu-west-1': pinOff } }, 'eu-west-1')).toMatchObject({ action: 'stop', rule: 'override' });
    expect(decideOne({ regions, overrides: { 'eu-west-1': pinOn } }, 'eu-west-1')).toMatchObject({ action: 'start', rule: 'override' });
  });

  it('quotes no reason when the operator gave none', () => {
    const decision = decideOne({ regions: {}, overrides: { 'eu-west-1': { ...pinOn, reason: '  ' } } }, 'eu-west-1');
    expect(decision.reason).toBe('started: pinned on by override until 14:30Z');
  });

  it('names the date of an override that lapses on another day', () => {
    const decision = decideOne({ regions: {}, overrides: { 'eu-west-1': { ...pinOn, until: UNTIL + 86_400_000 } } }, 'eu-west-1');
    expect(decision.reason).toBe('started: pinned on by override until 2026-11-26T14:30Z: incident 42: APAC latency');
  });
});

describe('an override and the guards', () => {
  it('is not held by the cooldown after the last transition', () => {
    const regions = { 'eu-west-1': { phase: 'running' as const, lastTransitionAt: NOW - 5 * MINUTE } };
    const decision = decideOne({ regions, overrides: { 'eu-west-1': pinOff } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'stop', rule: 'override' });
    expect(decision.heldBy).toBeUndefined();
  });

  it('still holds a region with an operation in flight or mid-transition', () => {
    const inFlight = decideOne(
      { regions: { 'eu-west-1': { phase: 'running', operationInFlight: 'stop' } }, overrides: { 'eu-west-1': pinOn } },
      'eu-west-1',
    );
    const starting = decideOne({ regions: { 'eu-west-1': { phase: 'starting' } }, overrides: { 'eu-west-1': pinOff } }, 'eu-west-1');
    expect(inFlight).toMatchObject({ action: 'none', heldBy: 'operation-in-flight' });
    expect(starting).toMatchObject({ action: 'none', heldBy: 'transitioning' });
  });

  it('starts a pinned region past the running cap, and the room it takes holds a demand start the same tick', () => {
    const config = engineConfig((c) => (c.limits = { maxRunningRegions: 1 }));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'eu-west-1': steady(9000, 3) },
      regions: { 'us-east-1': running },
      overrides: { 'ap-northeast-1': pinOn },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'ap-northeast-1': 'start', 'eu-west-1': 'none' });
    expect(decisions.find((d) => d.region === 'eu-west-1')!.heldBy).toBe('running-cap');
  });

  it('gets the first place under the concurrency cap, ahead of an always-on start', () => {
    const config = engineConfig((c) => (c.limits = { maxConcurrentOperations: 1 }));
    const decisions = decide({ config, now: NOW, demand: {}, regions: {}, overrides: { 'ap-northeast-1': pinOn } });
    expect(actionsOf(decisions)).toMatchObject({ 'ap-northeast-1': 'start', 'us-east-1': 'none' });
    expect(decisions.find((d) => d.region === 'us-east-1')!.heldBy).toBe('concurrency-cap');
  });
});

describe('overrides the engine ignores', () => {
  it('ignores an override whose time has come (until is exclusive)', () => {
    const decision = decideOne(
      { regions: {}, demand: { 'eu-west-1': steady(10, 3) }, overrides: { 'eu-west-1': { ...pinOn, until: NOW } } },
      'eu-west-1',
    );
    expect(decision.action).toBe('none');
    expect(decision.reason).toMatch(/^kept stopped: 0 of 3 periods/);
  });

  it('ignores an override for a region the config does not list, and still stops that region if it runs', () => {
    const decisions = decide({
      config: engineConfig(),
      now: NOW,
      demand: {},
      regions: { 'sa-east-1': running },
      overrides: { 'sa-east-1': pinOn, 'eu-central-1': pinOn },
    });
    expect(decisions.find((d) => d.region === 'sa-east-1')).toMatchObject({ action: 'stop', rule: 'removed-from-config' });
    expect(decisions.some((d) => d.region === 'eu-central-1')).toBe(false);
  });
});

describe('when the overrides could not be read', () => {
  it('stops no region, saying why, and still starts what the rules want started', () => {
    const decisions = decide({
      config: engineConfig(),
      now: NOW,
      demand: { 'eu-west-1': steady(10, 15), 'ap-northeast-1': steady(9000, 3) },
      regions: { 'us-east-1': running, 'eu-west-1': running },
      overridesUnreadable: true,
    });
    expect(actionsOf(decisions)).toMatchObject({ 'eu-west-1': 'none', 'ap-northeast-1': 'start' });
    const held = decisions.find((d) => d.region === 'eu-west-1')!;
    expect(held).toMatchObject({ heldBy: 'overrides-unreadable', wanted: 'stop', rule: 'demand' });
    expect(held.reason).toMatch(/^held: the overrides could not be read this tick.*; would stop: 15 periods below 1500 rpm/);
  });

  it('stops as usual once they are read again', () => {
    const decision = decideOne({ regions: { 'eu-west-1': running }, demand: { 'eu-west-1': steady(10, 15) } }, 'eu-west-1');
    expect(decision.action).toBe('stop');
  });
});

it('leaves every decision as it was when no override is given', () => {
  const input = { config: engineConfig(), now: NOW, demand: { 'eu-west-1': steady(9000, 3) }, regions: { 'ap-northeast-1': stopped } };
  expect(decide({ ...input, overrides: {} })).toEqual(decide(input));
});
