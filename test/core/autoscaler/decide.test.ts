import { decide, type RegionStatus } from '../../../core/autoscaler';
import { actionsOf, decideOne, engineConfig, MINUTE, NOW, running, steady, stopped } from './engine-fixtures';

describe('scaling up on demand', () => {
  it('starts a stopped scalable region after 3 periods at or above the scale-up threshold, saying so with the numbers', () => {
    const decision = decideOne({ regions: {}, demand: { 'eu-west-1': [100, 3500, 3900, 4120] } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'start', phase: 'stopped', demand: 4120, rule: 'demand', dryRun: false });
    expect(decision.reason).toBe('started: 3 periods at or above 3000 rpm (latest 4120)');
  });

  it('counts demand exactly at the threshold as hot', () => {
    expect(decideOne({ regions: {}, demand: { 'eu-west-1': steady(3000, 3) } }, 'eu-west-1').action).toBe('start');
  });

  it('keeps a region stopped after only 2 hot periods', () => {
    const decision = decideOne({ regions: {}, demand: { 'eu-west-1': [100, 3500, 4120] } }, 'eu-west-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toBe('kept stopped: 2 of 3 periods at or above 3000 rpm (latest 4120)');
  });

  it('does not start on a streak broken by a missing period', () => {
    const decision = decideOne({ regions: {}, demand: { 'eu-west-1': [4000, 4000, null, 4000, 4000] } }, 'eu-west-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toMatch(/2 of 3 periods .*; then a missing period/);
  });

  it('does not start with fewer periods of data than the streak needs', () => {
    const decision = decideOne({ regions: {}, demand: { 'eu-west-1': [9000, 9000] } }, 'eu-west-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toMatch(/only 2 periods of data/);
  });

  it("applies a region's own thresholds over the global ones", () => {
    const config = engineConfig(
      (c) => (c.thresholds = { perRegion: { 'eu-west-1': { scaleUpRequestsPerMinute: 5000, scaleUpPeriods: 2 } } }),
    );
    const demand = { 'eu-west-1': steady(4000, 3), 'ap-northeast-1': steady(4000, 3) };
    const decisions = decide({ config, now: NOW, demand, regions: {} });
    expect(actionsOf(decisions)).toMatchObject({ 'eu-west-1': 'none', 'ap-northeast-1': 'start' });
    expect(decisions.find((d) => d.region === 'eu-west-1')!.thresholds).toMatchObject({
      scaleUpRequestsPerMinute: 5000,
      scaleUpPeriods: 2,
    });
  });

  it('starts a region from warm standby like a stopped one', () => {
    const decision = decideOne({ regions: { 'eu-west-1': { phase: 'standby' } }, demand: { 'eu-west-1': steady(5000, 3) } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'start', phase: 'standby' });
  });

  it('leaves a standby region in standby while demand is low', () => {
    const decision = decideOne({ regions: { 'eu-west-1': { phase: 'standby' } }, demand: { 'eu-west-1': steady(100, 3) } }, 'eu-west-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toMatch(/^kept in warm standby: 0 of 3 periods/);
  });
});

describe('scaling down on quiet', () => {
  it('stops a quiet scalable region after 15 quiet periods', () => {
    const decision = decideOne({ regions: { 'eu-west-1': running }, demand: { 'eu-west-1': [...steady(1400, 14), 320] } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'stop', phase: 'running', demand: 320, rule: 'demand' });
    expect(decision.reason).toBe('stopped: 15 periods below 1500 rpm (latest 320)');
  });

  it('keeps a region running after 14 quiet periods', () => {
    const decision = decideOne({ regions: { 'eu-west-1': running }, demand: { 'eu-west-1': [2000, ...steady(100, 14)] } }, 'eu-west-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toBe('kept running: 14 of 15 periods below 1500 rpm (latest 100)');
  });

  it('never stops on missing data: a gap in an otherwise quiet window keeps the region running', () => {
    const demand = [...steady(0, 10), null, ...steady(0, 5)];
    const decision = decideOne({ regions: { 'eu-west-1': running }, demand: { 'eu-west-1': demand } }, 'eu-west-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toMatch(/5 of 15 periods below 1500 rpm \(latest 0\); missing data never stops a region/);
  });

  it('never stops a region whose demand is missing entirely, or absent from the input', () => {
    expect(decideOne({ regions: { 'eu-west-1': running }, demand: { 'eu-west-1': steady(null, 20) } }, 'eu-west-1').action).toBe('none');
    expect(decideOne({ regions: { 'eu-west-1': running }, demand: {} }, 'eu-west-1').action).toBe('none');
  });

  it('keeps both running and stopped regions as they are while demand sits between the thresholds', () => {
    const between = steady(2000, 20);
    const decisions = decide({
      config: engineConfig(),
      now: NOW,
      demand: { 'eu-west-1': between, 'ap-northeast-1': between },
      regions: { 'eu-west-1': running },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'eu-west-1': 'none', 'ap-northeast-1': 'none' });
  });

  it('says when a quiet region goes to warm standby rather than being torn down', () => {
    const config = engineConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
    const decision = decide({ config, now: NOW, demand: { 'eu-west-1': steady(0, 15) }, regions: { 'eu-west-1': running } })[1]!;
    expect(decision).toMatchObject({ region: 'eu-west-1', action: 'stop' });
    expect(decision.reason).toBe('stopped to warm standby: 15 periods below 1500 rpm (latest 0)');
  });
});

describe('cooldown after a transition', () => {
  const quiet = { 'eu-west-1': steady(0, 15) };

  it('holds a stop within the cooldown after a start, saying when the cooldown ends', () => {
    const decision = decideOne(
      { regions: { 'eu-west-1': { phase: 'running', lastTransitionAt: NOW - 10 * MINUTE } }, demand: quiet },
      'eu-west-1',
    );
    expect(decision).toMatchObject({ action: 'none', heldBy: 'cooldown', wanted: 'stop', rule: 'demand' });
    expect(decision.reason).toBe('held: in cooldown until 12:20Z after start (30 min); would stop: 15 periods below 1500 rpm (latest 0)');
  });

  it('acts once the cooldown has fully passed', () => {
    const decision = decideOne(
      { regions: { 'eu-west-1': { phase: 'running', lastTransitionAt: NOW - 30 * MINUTE } }, demand: quiet },
      'eu-west-1',
    );
    expect(decision.action).toBe('stop');
  });

  it('starts on a demand streak right after a stop: delivered hot periods are not held by the cooldown', () => {
    for (const phase of ['stopped', 'standby'] as const) {
      const decision = decideOne(
        { regions: { 'eu-west-1': { phase, lastTransitionAt: NOW - MINUTE } }, demand: { 'eu-west-1': steady(9000, 3) } },
        'eu-west-1',
      );
      expect(decision).toMatchObject({ action: 'start', rule: 'demand' });
      expect(decision.reason).toBe('started: 3 periods at or above 3000 rpm (latest 9000)');
    }
  });

  it('still holds a stranded region’s start within the cooldown: its last transition may have been a start', () => {
    const decision = decideOne(
      { regions: { 'eu-west-1': { phase: 'stranded', lastTransitionAt: NOW - MINUTE } }, demand: { 'eu-west-1': steady(9000, 3) } },
      'eu-west-1',
    );
    expect(decision).toMatchObject({ action: 'none', heldBy: 'cooldown', wanted: 'start', rule: 'demand' });
  });

  it("uses the region's own cooldown", () => {
    const config = engineConfig((c) => (c.thresholds = { perRegion: { 'eu-west-1': { cooldownMinutes: 5 } } }));
    const regions = { 'eu-west-1': { phase: 'running' as const, lastTransitionAt: NOW - 6 * MINUTE } };
    expect(decide({ config, now: NOW, demand: quiet, regions })[1]).toMatchObject({ region: 'eu-west-1', action: 'stop' });
  });

  it('shows the date of a cooldown end that falls on another day', () => {
    const config = engineConfig((c) => (c.thresholds = { cooldownMinutes: 1440 }));
    const regions = { 'eu-west-1': { phase: 'running' as const, lastTransitionAt: NOW - MINUTE } };
    expect(decide({ config, now: NOW, demand: quiet, regions })[1]!.reason).toMatch(/until 2026-11-26T11:59Z after start/);
  });

  it('does not hold a region that has nothing to do, so its reason stays about demand', () => {
    const decision = decideOne(
      { regions: { 'eu-west-1': { phase: 'running', lastTransitionAt: NOW - MINUTE } }, demand: { 'eu-west-1': steady(5000, 15) } },
      'eu-west-1',
    );
    expect(decision).toMatchObject({ action: 'none' });
    expect(decision.heldBy).toBeUndefined();
  });
});

describe('always-on regions', () => {
  it('starts an always-on region that is stopped, absent from the states, or in standby', () => {
    const states: Record<string, RegionStatus>[] = [{ 'us-east-1': stopped }, {}, { 'us-east-1': { phase: 'standby' } }];
    for (const regions of states) {
      const decision = decideOne({ regions }, 'us-east-1');
      expect(decision).toMatchObject({ action: 'start', rule: 'always-on' });
      expect(decision.reason).toMatch(/^started: always-on region found (stopped|standby); always-on regions are kept running$/);
    }
  });

  it('never stops an always-on region, however quiet', () => {
    const decision = decideOne({ regions: { 'us-east-1': running }, demand: { 'us-east-1': steady(0, 50) } }, 'us-east-1');
    expect(decision.action).toBe('none');
    expect(decision.reason).toBe('kept running: always-on region, never stopped (latest 0 rpm)');
  });

  it('waits out the cooldown before restarting an always-on region someone stopped', () => {
    const decision = decideOne({ regions: { 'us-east-1': { phase: 'stopped', lastTransitionAt: NOW - 5 * MINUTE } } }, 'us-east-1');
    expect(decision).toMatchObject({ action: 'none', heldBy: 'cooldown', wanted: 'start', rule: 'always-on' });
  });
});

describe('regions that must not be touched this tick', () => {
  const hot = { 'eu-west-1': steady(9000, 3) };

  it('holds a region with an operation in flight, however hot', () => {
    const decision = decideOne({ regions: { 'eu-west-1': { phase: 'stopped', operationInFlight: 'start' } }, demand: hot }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'none', heldBy: 'operation-in-flight' });
    expect(decision.reason).toBe('held: a StartRegion execution is in flight (latest 9000 rpm)');
  });

  it('holds a region that is starting or stopping', () => {
    for (const phase of ['starting', 'stopping'] as const) {
      const decision = decideOne({ regions: { 'eu-west-1': { phase } }, demand: hot }, 'eu-west-1');
      expect(decision).toMatchObject({ action: 'none', heldBy: 'transitioning', reason: `held: region is ${phase} (latest 9000 rpm)` });
    }
  });

  it('holds a region whose state could not be read and still decides the others', () => {
    const decisions = decide({
      config: engineConfig(),
      now: NOW,
      demand: { ...hot, 'ap-northeast-1': steady(9000, 3) },
      regions: { 'us-east-1': running, 'eu-west-1': { phase: 'unknown' } },
    });
    expect(decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'none', heldBy: 'unknown-state' });
    expect(decisions.find((d) => d.region === 'ap-northeast-1')!.action).toBe('start');
  });

  it('holds an always-on region while a forced StopRegion runs on it, rather than racing it with a start', () => {
    const decision = decideOne({ regions: { 'us-east-1': { phase: 'stopping', operationInFlight: 'stop' } } }, 'us-east-1');
    expect(decision).toMatchObject({
      action: 'none',
      heldBy: 'operation-in-flight',
      reason: 'held: a StopRegion execution is in flight (latest missing)',
    });
  });
});

describe('regions removed from the config', () => {
  it('stops a running region the config no longer lists, whatever its demand, after the configured ones', () => {
    const decisions = decide({
      config: engineConfig(),
      now: NOW,
      demand: { 'sa-east-1': steady(9000, 20) },
      regions: { 'us-east-1': running, 'sa-east-1': running, 'ap-south-1': { phase: 'standby' } },
    });
    expect(decisions.map((d) => d.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'ap-south-1', 'sa-east-1']);
    expect(decisions[4]).toMatchObject({ action: 'stop', rule: 'removed-from-config', demand: 9000 });
    expect(decisions[4]!.reason).toBe('stopped: not in alwaysOn or scalable any more; regions removed from the config are stopped');
    expect(decisions[3]).toMatchObject({ region: 'ap-south-1', action: 'stop' });
  });

  it('leaves out removed regions that are already stopped', () => {
    const decisions = decide({ config: engineConfig(), now: NOW, demand: {}, regions: { 'us-east-1': running, 'sa-east-1': stopped } });
    expect(decisions.map((d) => d.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
  });

  it('reports a removed region that is mid-operation, held', () => {
    const decision = decideOne(
      { regions: { 'us-east-1': running, 'sa-east-1': { phase: 'starting', operationInFlight: 'start' } } },
      'sa-east-1',
    );
    expect(decision).toMatchObject({ action: 'none', heldBy: 'operation-in-flight' });
  });

  it('tears a removed region in warm standby down fully, never "to warm standby"', () => {
    const config = engineConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
    const decisions = decide({ config, now: NOW, demand: {}, regions: { 'us-east-1': running, 'sa-east-1': running } });
    expect(decisions.find((d) => d.region === 'sa-east-1')!.reason).toMatch(/^stopped: /);
  });
});

describe('the concurrent operations cap', () => {
  const scalable = ['eu-west-1', 'ap-northeast-1', 'eu-central-1', 'sa-east-1'];

  it('lets the busiest regions start first when more want to start than the cap allows', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxConcurrentOperations: 2 })));
    const demand = {
      'eu-west-1': steady(4000, 3),
      'ap-northeast-1': steady(9000, 3),
      'eu-central-1': steady(6000, 3),
      'sa-east-1': steady(5000, 3),
    };
    const decisions = decide({ config, now: NOW, demand, regions: { 'us-east-1': running } });
    expect(actionsOf(decisions)).toEqual({
      'us-east-1': 'none',
      'ap-northeast-1': 'start',
      'eu-central-1': 'start',
      'eu-west-1': 'none',
      'sa-east-1': 'none',
    });
    const heldOne = decisions.find((d) => d.region === 'sa-east-1')!;
    expect(heldOne).toMatchObject({ heldBy: 'concurrency-cap', wanted: 'start' });
    expect(heldOne.reason).toBe(
      'held: concurrency cap of 2 operations reached (0 in flight, 2 decided this tick); would start: 3 periods at or above 3000 rpm (latest 5000)',
    );
  });

  it('counts operations already in flight against the cap', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxConcurrentOperations: 2 })));
    const demand = { 'eu-west-1': steady(4000, 3), 'ap-northeast-1': steady(9000, 3) };
    const regions = { 'us-east-1': running, 'eu-central-1': { phase: 'starting' as const, operationInFlight: 'start' as const } };
    expect(actionsOf(decide({ config, now: NOW, demand, regions }))).toMatchObject({ 'ap-northeast-1': 'start', 'eu-west-1': 'none' });
  });

  it('starts nothing when in-flight operations already exceed the cap', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxConcurrentOperations: 1 })));
    const regions = {
      'us-east-1': running,
      'eu-central-1': { phase: 'starting' as const },
      'sa-east-1': { phase: 'stopping' as const, operationInFlight: 'stop' as const },
    };
    const decisions = decide({ config, now: NOW, demand: { 'eu-west-1': steady(9000, 3) }, regions });
    expect(decisions.filter((d) => d.action !== 'none')).toEqual([]);
  });

  it('gives an always-on region room before any scalable one, then starts before stops', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxConcurrentOperations: 2 })));
    const demand = { 'eu-west-1': steady(9000, 3), 'ap-northeast-1': steady(0, 15), 'eu-central-1': steady(4000, 3) };
    const decisions = decide({ config, now: NOW, demand, regions: { 'us-east-1': stopped, 'ap-northeast-1': running } });
    expect(actionsOf(decisions)).toMatchObject({
      'us-east-1': 'start',
      'eu-west-1': 'start',
      'eu-central-1': 'none',
      'ap-northeast-1': 'none',
    });
    expect(decisions.find((d) => d.region === 'ap-northeast-1')).toMatchObject({ heldBy: 'concurrency-cap', wanted: 'stop' });
  });

  it('stops the quietest region first when stops compete', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxConcurrentOperations: 1 })));
    const demand = { 'eu-west-1': steady(900, 15), 'ap-northeast-1': steady(10, 15) };
    const decisions = decide({
      config,
      now: NOW,
      demand,
      regions: { 'us-east-1': running, 'eu-west-1': running, 'ap-northeast-1': running },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'ap-northeast-1': 'stop', 'eu-west-1': 'none' });
  });
});

describe('the running regions cap', () => {
  const scalable = ['eu-west-1', 'ap-northeast-1', 'eu-central-1'];

  it('starts no region beyond the cap, and the busiest of those waiting wins the last place', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxRunningRegions: 3 })));
    const demand = { 'ap-northeast-1': steady(5000, 3), 'eu-central-1': steady(8000, 3) };
    const decisions = decide({ config, now: NOW, demand, regions: { 'us-east-1': running, 'eu-west-1': running } });
    expect(actionsOf(decisions)).toMatchObject({ 'eu-central-1': 'start', 'ap-northeast-1': 'none' });
    const heldOne = decisions.find((d) => d.region === 'ap-northeast-1')!;
    expect(heldOne.heldBy).toBe('running-cap');
    expect(heldOne.reason).toMatch(
      /^held: running cap of 3 regions reached \(3 running, starting, unknown or reserved for always-on regions\); would start/,
    );
  });

  it('counts starting regions, and keeps room for an always-on region that is down', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxRunningRegions: 2 })));
    const demand = { 'ap-northeast-1': steady(5000, 3), 'eu-central-1': steady(8000, 3) };
    const decisions = decide({ config, now: NOW, demand, regions: { 'us-east-1': stopped, 'eu-west-1': { phase: 'starting' } } });
    expect(actionsOf(decisions)).toMatchObject({ 'us-east-1': 'start', 'eu-central-1': 'none', 'ap-northeast-1': 'none' });
  });

  it('counts a region whose state is unknown as running, since it may be', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxRunningRegions: 2 })));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'eu-central-1': steady(8000, 3) },
      regions: { 'us-east-1': running, 'eu-west-1': { phase: 'unknown' } },
    });
    expect(decisions.find((d) => d.region === 'eu-central-1')).toMatchObject({ action: 'none', heldBy: 'running-cap' });
  });

  it('frees no place for a stopping region until it has stopped, but does not count it as running', () => {
    const config = engineConfig((c) => ((c.scalable = scalable), (c.limits = { maxRunningRegions: 2 })));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'eu-central-1': steady(8000, 3) },
      regions: { 'us-east-1': running, 'eu-west-1': { phase: 'stopping' } },
    });
    expect(decisions.find((d) => d.region === 'eu-central-1')!.action).toBe('start');
  });
});

describe('keep-on schedules', () => {
  // Wednesday 2026-11-25 10:00 in Tokyo; 20:00 Tokyo is 11:00 UTC.
  const tokyoMorning = Date.parse('2026-11-25T01:00:00Z');
  const config = engineConfig(
    (c) => (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo' }]),
  );

  it('starts a stopped region inside its window with no demand at all', () => {
    const decision = decide({ config, now: tokyoMorning, demand: {}, regions: { 'us-east-1': running } })[2]!;
    expect(decision).toMatchObject({ region: 'ap-northeast-1', action: 'start', rule: 'schedule' });
    expect(decision.reason).toBe('started: inside its keep-on schedule weekdays 08:00-20:00 Asia/Tokyo');
  });

  it('never stops a region inside its window, however quiet', () => {
    const decision = decide({
      config,
      now: tokyoMorning,
      demand: { 'ap-northeast-1': steady(0, 30) },
      regions: { 'ap-northeast-1': running },
    })[2]!;
    expect(decision).toMatchObject({ action: 'none', reason: 'kept running: inside its keep-on schedule weekdays 08:00-20:00 Asia/Tokyo' });
  });

  it('follows demand again once the window has closed', () => {
    const evening = Date.parse('2026-11-25T11:00:00Z');
    const decision = decide({
      config,
      now: evening,
      demand: { 'ap-northeast-1': steady(0, 30) },
      regions: { 'ap-northeast-1': running },
    })[2]!;
    expect(decision.action).toBe('stop');
  });

  it('leaves the rest of the fleet to demand', () => {
    const decisions = decide({ config, now: tokyoMorning, demand: {}, regions: { 'us-east-1': running } });
    expect(decisions.find((d) => d.region === 'eu-west-1')!.action).toBe('none');
  });

  it('goes before demand-driven starts when the concurrency cap is reached', () => {
    const capped = engineConfig((c) => {
      c.schedules = config.schedules;
      c.limits = { maxConcurrentOperations: 1 };
    });
    const decisions = decide({
      config: capped,
      now: tokyoMorning,
      demand: { 'eu-west-1': steady(9000, 3) },
      regions: { 'us-east-1': running },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'ap-northeast-1': 'start', 'eu-west-1': 'none' });
  });
});

describe('dry run', () => {
  it('decides as usual, flags every decision, and says the action was not executed', () => {
    const config = engineConfig((c) => (c.dryRun = true));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'eu-west-1': steady(4120, 3) },
      regions: { 'us-east-1': running, 'ap-northeast-1': running },
    });
    expect(decisions.every((d) => d.dryRun)).toBe(true);
    expect(decisions[1]).toMatchObject({ region: 'eu-west-1', action: 'start' });
    expect(decisions[1]!.reason).toBe('would start (dry run, not executed): 3 periods at or above 3000 rpm (latest 4120)');
  });

  it('flags nothing when dry run is off', () => {
    expect(decide({ config: engineConfig(), now: NOW, demand: {}, regions: {} }).some((d) => d.dryRun)).toBe(false);
  });
});

describe('the shape of the answer', () => {
  it('gives one decision per configured region, always-on first then scalable in file order', () => {
    const decisions = decide({ config: engineConfig(), now: NOW, demand: {}, regions: {} });
    expect(decisions.map((d) => d.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
  });

  it('does not change its inputs', () => {
    const input = {
      config: engineConfig(),
      now: NOW,
      demand: { 'eu-west-1': steady(4000, 3) },
      regions: { 'us-east-1': running, 'sa-east-1': running },
    };
    const before = JSON.stringify(input);
    decide(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('formats fractional demand to one decimal', () => {
    const config = engineConfig((c) => (c.periodSeconds = 300));
    const decision = decide({ config, now: NOW, demand: { 'eu-west-1': [3000.25, 3100.5, 3333.33] }, regions: {} })[1]!;
    expect(decision.reason).toBe('started: 3 periods at or above 3000 rpm (latest 3333.3)');
  });
});

describe('stranded regions: cluster up without its DNS record, no workflow running, standby mode cold', () => {
  const stranded: RegionStatus = { phase: 'stranded' };
  const strandedWhy =
    'cluster up without its DNS record and no workflow running (a start left half done, or warm standby now configured cold): ' +
    'it bills and serves nobody';

  it('stops a quiet stranded region, saying it bills and serves nobody', () => {
    const decision = decideOne(
      { regions: { 'us-east-1': running, 'eu-west-1': stranded }, demand: { 'eu-west-1': steady(20, 15) } },
      'eu-west-1',
    );
    expect(decision).toMatchObject({ action: 'stop', wanted: 'stop', rule: 'stranded', phase: 'stranded', demand: 20 });
    expect(decision.reason).toBe(`stopped: ${strandedWhy}; no rule wants it up (latest 20 rpm)`);
  });

  it('stops a stranded region whose demand is missing: it serves nobody, so no viewer depends on it', () => {
    const demands: Record<string, (number | null)[]>[] = [{}, { 'eu-west-1': steady(null, 15) }];
    for (const demand of demands) {
      expect(decideOne({ regions: { 'eu-west-1': stranded }, demand }, 'eu-west-1')).toMatchObject({ action: 'stop', rule: 'stranded' });
    }
  });

  it('stops a stranded region whose demand is still short of a scale-up streak', () => {
    const decision = decideOne({ regions: { 'eu-west-1': stranded }, demand: { 'eu-west-1': [100, 3500, 4120] } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'stop', rule: 'stranded' });
  });

  it('starts a stranded always-on region instead of stopping it', () => {
    const decision = decideOne({ regions: { 'us-east-1': stranded }, demand: { 'us-east-1': steady(0, 15) } }, 'us-east-1');
    expect(decision).toMatchObject({ action: 'start', rule: 'always-on', phase: 'stranded' });
    expect(decision.reason).toBe(
      'started: always-on region found stranded (cluster up without its DNS record); always-on regions are kept running',
    );
  });

  it('starts a stranded region on a demand streak, as it would a stopped one', () => {
    const decision = decideOne({ regions: { 'eu-west-1': stranded }, demand: { 'eu-west-1': [100, 3500, 3900, 4120] } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'start', rule: 'demand', phase: 'stranded' });
    expect(decision.reason).toBe('started: 3 periods at or above 3000 rpm (latest 4120)');
  });

  it('starts a stranded region inside its keep-on schedule window', () => {
    const config = engineConfig(
      (c) => (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo' }]),
    );
    const tokyoMorning = Date.parse('2026-11-25T01:00:00Z');
    const decision = decide({ config, now: tokyoMorning, demand: {}, regions: { 'us-east-1': running, 'ap-northeast-1': stranded } })[2]!;
    expect(decision).toMatchObject({ region: 'ap-northeast-1', action: 'start', rule: 'schedule' });
  });

  it('holds a stranded region within the cooldown after its last transition, then stops it once the cooldown has passed', () => {
    const quiet = { 'eu-west-1': steady(0, 15) };
    const cooling = decideOne(
      { regions: { 'eu-west-1': { phase: 'stranded', lastTransitionAt: NOW - 10 * MINUTE } }, demand: quiet },
      'eu-west-1',
    );
    expect(cooling).toMatchObject({ action: 'none', heldBy: 'cooldown', wanted: 'stop', rule: 'stranded' });
    expect(cooling.reason).toBe(
      `held: in cooldown until 12:20Z after its last start or stop (30 min); would stop: ${strandedWhy}; no rule wants it up (latest 0 rpm)`,
    );
    const cooled = decideOne(
      { regions: { 'eu-west-1': { phase: 'stranded', lastTransitionAt: NOW - 30 * MINUTE } }, demand: quiet },
      'eu-west-1',
    );
    expect(cooled).toMatchObject({ action: 'stop', rule: 'stranded' });
  });

  it('holds a stranded region while a workflow runs on it', () => {
    const decision = decideOne({ regions: { 'eu-west-1': { phase: 'stranded', operationInFlight: 'stop' } } }, 'eu-west-1');
    expect(decision).toMatchObject({ action: 'none', heldBy: 'operation-in-flight' });
  });

  it('does not count a stranded region as running: its stop needs no room, and a start of it needs room like any other', () => {
    const config = engineConfig((c) => (c.limits = { maxRunningRegions: 1 }));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'eu-west-1': steady(0, 15), 'ap-northeast-1': steady(9000, 3) },
      regions: { 'us-east-1': running, 'eu-west-1': stranded, 'ap-northeast-1': stranded },
    });
    expect(decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', rule: 'stranded' });
    expect(decisions.find((d) => d.region === 'ap-northeast-1')).toMatchObject({
      action: 'none',
      heldBy: 'running-cap',
      wanted: 'start',
      rule: 'demand',
    });
    expect(decisions.find((d) => d.region === 'ap-northeast-1')!.reason).toMatch(/^held: running cap of 1 regions reached \(1 running,/);
  });

  it('stops a stranded region before a quiet running one when the concurrency cap allows only one', () => {
    const config = engineConfig((c) => (c.limits = { maxConcurrentOperations: 1 }));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'eu-west-1': steady(0, 15), 'ap-northeast-1': steady(100, 15) },
      regions: { 'us-east-1': running, 'eu-west-1': running, 'ap-northeast-1': stranded },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'ap-northeast-1': 'stop', 'eu-west-1': 'none' });
    expect(decisions.find((d) => d.region === 'eu-west-1')!.heldBy).toBe('concurrency-cap');
  });

  it('puts a stop whose latest demand is missing after one with a reading when the concurrency cap allows only one', () => {
    // Two regions the config no longer lists, both quiet; one's latest period is missing. A gap is
    // evidence of nothing, so it must not move that region's stop ahead.
    const config = engineConfig((c) => (c.limits = { maxConcurrentOperations: 1 }));
    const decisions = decide({
      config,
      now: NOW,
      demand: { 'us-west-2': [0, 0, null], 'sa-east-1': [0, 0, 0] },
      regions: { 'us-west-2': running, 'sa-east-1': running, 'us-east-1': running },
    });
    expect(actionsOf(decisions)).toMatchObject({ 'sa-east-1': 'stop', 'us-west-2': 'none' });
    expect(decisions.find((d) => d.region === 'us-west-2')).toMatchObject({ heldBy: 'concurrency-cap', rule: 'removed-from-config' });
  });

  it('says what it would do in dry run and does it not', () => {
    const config = engineConfig((c) => (c.dryRun = true));
    const decision = decide({ config, now: NOW, demand: {}, regions: { 'us-east-1': running, 'eu-west-1': stranded } })[1]!;
    expect(decision).toMatchObject({ action: 'stop', dryRun: true, rule: 'stranded' });
    expect(decision.reason).toMatch(/^would stop \(dry run, not executed\): cluster up without its DNS record/);
  });

  it('stops a stranded region the config no longer lists with the removed-from-config rule', () => {
    const decision = decideOne({ regions: { 'us-east-1': running, 'sa-east-1': stranded } }, 'sa-east-1');
    expect(decision).toMatchObject({ action: 'stop', rule: 'removed-from-config' });
  });
});
