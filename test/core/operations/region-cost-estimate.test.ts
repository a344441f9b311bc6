import {
  billingIntervals,
  estimateRegionCost,
  intervalsCost,
  type RegionExecution,
  startOfUtcDay,
  startOfUtcMonth,
} from '../../../core/operations/region-cost-estimate';
import { DEFAULT_COST_MODEL, regionCostProfile } from '../../../core/simulator/cost-model';
import { validConfig } from '../../support/configs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MONTH = Date.UTC(2026, 10, 1);
const NOW = Date.UTC(2026, 10, 29, 12, 0);
const config = validConfig((c) => {
  c.standby = { 'ap-northeast-1': 'warm' };
});
const cold = regionCostProfile(DEFAULT_COST_MODEL, config, 'eu-west-1');
const warm = regionCostProfile(DEFAULT_COST_MODEL, config, 'ap-northeast-1');

function run(
  action: 'start' | 'stop',
  startMs: number,
  minutes: number | undefined,
  status: RegionExecution['status'] = 'SUCCEEDED',
): RegionExecution {
  return {
    action,
    region: 'eu-west-1',
    name: `${action}-${startMs}`,
    status: minutes === undefined ? 'RUNNING' : status,
    startMs,
    ...(minutes === undefined ? {} : { stopMs: startMs + minutes * MIN }),
  };
}

describe('billingIntervals', () => {
  it('reads a start then a stop as down, starting, up, stopping, down', () => {
    const start = MONTH + 10 * HOUR;
    const stop = MONTH + 20 * HOUR;
    expect(billingIntervals([run('stop', stop, 15), run('start', start, 14)], MONTH, NOW, 'down')).toEqual([
      { state: 'down', from: MONTH, to: start },
      { state: 'starting', from: start, to: start + 14 * MIN, since: start },
      { state: 'up', from: start + 14 * MIN, to: stop },
      { state: 'stopping', from: stop, to: stop + 15 * MIN, since: stop },
      { state: 'down', from: stop + 15 * MIN, to: NOW },
    ]);
  });

  it('takes the state before the first execution from what it changes: up before a stop, whatever the region reads now', () => {
    const stop = MONTH + 5 * HOUR;
    expect(billingIntervals([run('stop', stop, 10)], MONTH, NOW, 'down')[0]).toEqual({ state: 'up', from: MONTH, to: stop });
  });

  it('leaves a region down after a start that failed, and up after a stop that failed', () => {
    const start = MONTH + HOUR;
    expect(billingIntervals([run('start', start, 20, 'FAILED')], MONTH, NOW, 'down').at(-1)).toEqual({
      state: 'down',
      from: start + 20 * MIN,
      to: NOW,
    });
    expect(billingIntervals([run('stop', start, 20, 'TIMED_OUT')], MONTH, NOW, 'down').at(-1)).toEqual({
      state: 'up',
      from: start + 20 * MIN,
      to: NOW,
    });
  });

  it('counts an execution still running as transitioning until now', () => {
    const start = NOW - 7 * MIN;
    expect(billingIntervals([run('start', start, undefined)], MONTH, NOW, 'down').at(-1)).toEqual({
      state: 'starting',
      from: start,
      to: NOW,
      since: start,
    });
  });

  it('enters the month as the last earlier execution left the region, and clips one running across the month start', () => {
    const earlier = run('start', MONTH - 3 * 86_400_000, 14);
    expect(billingIntervals([earlier], MONTH, NOW, 'down')).toEqual([{ state: 'up', from: MONTH, to: NOW }]);
    const across = run('stop', MONTH - 5 * MIN, 15);
    expect(billingIntervals([earlier, across], MONTH, NOW, 'down')).toEqual([
      { state: 'stopping', from: MONTH, to: MONTH + 10 * MIN, since: MONTH - 5 * MIN },
      { state: 'down', from: MONTH + 10 * MIN, to: NOW },
    ]);
  });

  it('with no execution at all keeps the state the region reads now', () => {
    expect(billingIntervals([], MONTH, NOW, 'up')).toEqual([{ state: 'up', from: MONTH, to: NOW }]);
  });
});

describe('intervalsCost', () => {
  it('prices up time at the running rate and a cold region down at nothing, prorated', () => {
    const intervals = billingIntervals([], MONTH, MONTH + 90 * MIN, 'up');
    expect(intervalsCost(cold, intervals, MONTH, MONTH + 90 * MIN)).toBeCloseTo(90 * cold.runningPerMinute, 10);
    expect(intervalsCost(cold, intervals, MONTH + 30 * MIN, MONTH + 60 * MIN)).toBeCloseTo(30 * cold.runningPerMinute, 10);
    expect(intervalsCost(cold, billingIntervals([], MONTH, NOW, 'down'), MONTH, NOW)).toBe(0);
  });

  it('prices a warm region down at the control plane alone', () => {
    const day = billingIntervals([], MONTH, MONTH + 24 * HOUR, 'down');
    expect(intervalsCost(warm, day, MONTH, MONTH + 24 * HOUR)).toBeCloseTo(24 * DEFAULT_COST_MODEL.prices.eksControlPlanePerHour, 10);
  });

  it("prices a cold start minute by minute from the model's start costs, counted from the execution's start", () => {
    const start = MONTH + HOUR;
    const intervals = billingIntervals([run('start', start, 14)], MONTH, start + 14 * MIN, 'down');
    const modelled = [...cold.startMinuteCosts].reduce((a, b) => a + b, 0);
    expect(intervalsCost(cold, intervals, MONTH, start + 14 * MIN)).toBeCloseTo(modelled, 10);
    // The first ten minutes of a cold start bill the control plane only.
    expect(intervalsCost(cold, intervals, start, start + 10 * MIN)).toBeCloseTo(
      (10 * DEFAULT_COST_MODEL.prices.eksControlPlanePerHour) / 60,
      10,
    );
  });

  it('bills a start longer than the model the running rate for the extra minutes', () => {
    const start = MONTH + HOUR;
    const intervals = billingIntervals([run('start', start, 20)], MONTH, start + 20 * MIN, 'down');
    const modelled = [...cold.startMinuteCosts].reduce((a, b) => a + b, 0);
    expect(intervalsCost(cold, intervals, start, start + 20 * MIN)).toBeCloseTo(modelled + 6 * cold.runningPerMinute, 10);
  });
});

describe('estimateRegionCost', () => {
  it('counts an always-on region as running since the month began, whatever its executions say', () => {
    const estimate = estimateRegionCost({
      config,
      model: DEFAULT_COST_MODEL,
      region: 'us-east-1',
      executions: [run('stop', MONTH + HOUR, 10)],
      current: 'down',
      now: NOW,
    });
    const profile = regionCostProfile(DEFAULT_COST_MODEL, config, 'us-east-1');
    expect(estimate.monthToDate).toBeCloseTo(((NOW - MONTH) / MIN) * profile.runningPerMinute, 8);
    expect(estimate.today).toBeCloseTo(12 * 60 * profile.runningPerMinute, 8);
  });

  it('splits today from the month at 00:00 UTC', () => {
    const startedYesterday = run('start', startOfUtcDay(NOW) - 2 * HOUR, 14);
    const estimate = estimateRegionCost({
      config,
      model: DEFAULT_COST_MODEL,
      region: 'eu-west-1',
      executions: [startedYesterday],
      current: 'up',
      now: NOW,
    });
    expect(estimate.today).toBeCloseTo(12 * 60 * cold.runningPerMinute, 8);
    expect(estimate.monthToDate).toBeGreaterThan(estimate.today);
  });

  it('finds the start of the UTC day and month', () => {
    expect(startOfUtcDay(NOW)).toBe(Date.UTC(2026, 10, 29));
    expect(startOfUtcMonth(NOW)).toBe(MONTH);
  });
});
