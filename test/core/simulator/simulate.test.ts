import { DEFAULT_COST_MODEL, regionCostProfile } from '../../../core/simulator/cost-model';
import { simulate } from '../../../core/simulator/simulate';
import { DEFAULT_SYNTHESIS, synthesizeTrace, type Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const config = validConfig((c) => {
  c.scalable = ['eu-west-1', 'ap-northeast-1'];
  c.standby = { 'ap-northeast-1': 'warm' };
});
const trace = synthesizeTrace({ ...DEFAULT_SYNTHESIS, seed: 7, days: 1, regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] });
const report = simulate({ config, trace, model: DEFAULT_COST_MODEL });

describe('simulate', () => {
  it('prices the all-on baseline as every region running every minute', () => {
    const perMinute = ['us-east-1', 'eu-west-1', 'ap-northeast-1'].reduce(
      (sum, r) => sum + regionCostProfile(DEFAULT_COST_MODEL, config, r).runningPerMinute,
      0,
    );
    expect(report.allOnCost).toBeCloseTo(perMinute * 24 * 60, 9);
    expect(report.allOnServedInRegionPct).toBe(100);
  });

  it('prices the always-on-only baseline as the always-on regions alone', () => {
    expect(report.alwaysOnOnlyCost).toBeCloseTo(regionCostProfile(DEFAULT_COST_MODEL, config, 'us-east-1').runningPerMinute * 24 * 60, 9);
    const requests = (r: string): number => [...trace.requests.get(r)!].filter((v) => !Number.isNaN(v)).reduce((a, b) => a + b, 0);
    const share = (100 * requests('us-east-1')) / (requests('us-east-1') + requests('eu-west-1') + requests('ap-northeast-1'));
    expect(report.alwaysOnOnlyServedInRegionPct).toBeCloseTo(share, 9);
  });

  it('gives the optimum full hot coverage at no more cost than keeping everything on', () => {
    expect(report.oracleHotCoveragePct).toBe(100);
    expect(report.oracleCost).toBeLessThanOrEqual(report.allOnCost);
    for (const row of report.perRegion) expect(row.oracleCost).toBeLessThanOrEqual(row.allOnCost + 1e-9);
  });

  it('adds up the per-region rows into the totals', () => {
    const sum = (pick: (r: (typeof report.perRegion)[number]) => number) => report.perRegion.reduce((a, r) => a + pick(r), 0);
    expect(report.cost).toBeCloseTo(
      sum((r) => r.cost),
      9,
    );
    expect(report.oracleCost).toBeCloseTo(
      sum((r) => r.oracleCost),
      9,
    );
    expect(report.transitions).toBe(sum((r) => r.transitions));
    expect(report.costOverOptimum).toBeCloseTo(report.cost / report.oracleCost, 12);
    expect(report.perRegion.map((r) => [r.region, r.role, r.standby])).toEqual([
      ['us-east-1', 'always-on', 'cold'],
      ['eu-west-1', 'scalable', 'cold'],
      ['ap-northeast-1', 'scalable', 'warm'],
    ]);
  });

  it('keeps the always-on region serving all its demand and never moves it', () => {
    const home = report.perRegion[0]!;
    expect(home.servedInRegionPct).toBe(100);
    expect(home.transitions).toBe(0);
    expect(home.cost).toBeCloseTo(home.allOnCost, 9);
  });

  it('notes regions in the trace the config leaves out, and configured regions the trace lacks', () => {
    const partial: Trace = {
      ...trace,
      regions: ['us-east-1', 'sa-east-1'],
      requests: new Map([
        ['us-east-1', trace.requests.get('us-east-1')!],
        ['sa-east-1', trace.requests.get('eu-west-1')!],
      ]),
    };
    const notes = simulate({ config, trace: partial, model: DEFAULT_COST_MODEL }).notes;
    expect(notes).toEqual([
      'the trace has demand for regions the config does not list, left out: sa-east-1',
      'the trace has no rows for eu-west-1, ap-northeast-1: their demand is missing throughout',
    ]);
  });

  it('splits missed hot minutes by phase: 3 while the streak builds and 2 of metric lag, then 14 while the region starts', () => {
    const oneRegion = validConfig((c) => {
      c.scalable = ['eu-west-1'];
    });
    const minutes = 60;
    const eu = Float64Array.from({ length: minutes }, (_, m) => (m < 10 ? 100 : 5000));
    const small: Trace = {
      startMs: trace.startMs,
      minutes,
      regions: ['us-east-1', 'eu-west-1'],
      requests: new Map([
        ['us-east-1', new Float64Array(minutes).fill(100)],
        ['eu-west-1', eu],
      ]),
    };
    const row = simulate({ config: oneRegion, trace: small, model: DEFAULT_COST_MODEL }).perRegion[1]!;
    expect(row.hotMinutesMissedWhile).toEqual({ stopped: 5, starting: 14, stopping: 0 });
    expect(row.hotMinutesMissed).toBe(19);
    expect(row.hotCoveragePct).toBeCloseTo((100 * (50 - 19)) / 50, 9);
  });

  it("notes where the engine's configured lead times differ from the cost model's", () => {
    const model = { ...DEFAULT_COST_MODEL, leadTimes: { ...DEFAULT_COST_MODEL.leadTimes, clusterCreateMinutes: 15 } };
    expect(simulate({ config, trace, model }).notes).toEqual([
      "the config's prediction.coldStartMinutes is 14 but the cost model takes 19 minutes; the engine plans with the config's figure",
    ]);
    expect(report.notes).toEqual([]);
  });

  it("names the optimum as the always-on policy's, and also reports it with every region free to stop", () => {
    const home = report.perRegion[0]!;
    // Kept running by policy, the always-on region's optimum is its all-on cost; physics alone would stop it at night.
    expect(home.oracleCost).toBeCloseTo(home.allOnCost, 9);
    expect(home.oracleCostWithoutAlwaysOn).toBeLessThan(home.oracleCost);
    for (const row of report.perRegion.slice(1)) expect(row.oracleCostWithoutAlwaysOn).toBe(row.oracleCost);
    expect(report.oracleCostWithoutAlwaysOn).toBeCloseTo(
      report.perRegion.reduce((sum, r) => sum + r.oracleCostWithoutAlwaysOn, 0),
      9,
    );
    expect(report.oracleWithoutAlwaysOnHotCoveragePct).toBe(100);
  });
});

describe('simulate short cycles', () => {
  // Reactive, no metric lag, so each case reads in whole minutes.
  const reactive = validConfig((c) => {
    c.demand = { lagSeconds: 0 };
    c.scalable = ['eu-west-1'];
    c.thresholds = {
      scaleUpRequestsPerMinute: 3000,
      scaleUpPeriods: 3,
      scaleDownRequestsPerMinute: 1500,
      scaleDownPeriods: 5,
      cooldownMinutes: 10,
    };
  });

  function oneRegion(eu: Float64Array): Trace {
    return {
      startMs: trace.startMs,
      minutes: eu.length,
      regions: ['us-east-1', 'eu-west-1'],
      requests: new Map([
        ['us-east-1', new Float64Array(eu.length).fill(100)],
        ['eu-west-1', eu],
      ]),
    };
  }

  it('counts a start for every burst shorter than the cold start: a region hovering at its threshold', () => {
    // 1,000 rpm with a 4-minute burst just over the threshold every 90 minutes, for 12 hours.
    const eu = Float64Array.from({ length: 720 }, (_, m) => (m % 90 >= 30 && m % 90 < 34 ? 3100 : 1000));
    const row = simulate({ config: reactive, trace: oneRegion(eu), model: DEFAULT_COST_MODEL }).perRegion[1]!;
    expect(row.starts).toBe(8);
    expect(row.idleStarts).toBe(8);
    expect(row.shortStops).toBe(0);
    expect(row.shortCycles).toBe(8);
    // The optimum serves every burst too, but never starts for nothing.
    expect(row.oracleShortCycles).toBe(0);
    const first = row.transitionLog[0]!;
    expect(first).toEqual({
      at: '2026-11-02T00:33:00Z',
      kind: 'start',
      minutes: 14,
      servingFrom: '2026-11-02T00:47:00Z',
      runningMinutes: 10,
      hotMinutesServed: 0,
      hotMinutesWhileStarting: 1,
      peakDemand: 3100,
      short: true,
      idle: 'late',
    });
    // Each was started for a burst that was over before it served.
    expect(row.idleStartsByKind).toEqual({ late: 8, nearMiss: 0, quiet: 0 });
  });

  it('counts a stop undone by a restart as soon as the stop completes', () => {
    const quick = { ...reactive, thresholds: { ...reactive.thresholds, cooldownMinutes: 1 } };
    // Busy for an hour, 5 quiet minutes (the stop's streak), then busy again for an hour.
    const eu = Float64Array.from({ length: 150 }, (_, m) => (m >= 60 && m < 65 ? 100 : 5000));
    const row = simulate({ config: quick, trace: oneRegion(eu), model: DEFAULT_COST_MODEL }).perRegion[1]!;
    const stop = row.transitionLog.find((t) => t.kind === 'stop')!;
    expect(stop).toMatchObject({ at: '2026-11-02T01:05:00Z', minutes: 14, short: true });
    expect(stop.kind === 'stop' && stop.stoppedMinutes! < stop.breakEvenMinutes!).toBe(true);
    expect(row.shortStops).toBe(1);
    expect(row.idleStarts).toBe(0);
  });

  it('reports none on a calm trace whose one start and stop serve a long busy block', () => {
    const eu = Float64Array.from({ length: 600 }, (_, m) => (m >= 120 && m < 300 ? 5000 : 200));
    const result = simulate({ config: reactive, trace: oneRegion(eu), model: DEFAULT_COST_MODEL });
    expect(result.perRegion[1]!.transitions).toBe(2);
    expect(result.shortCycles).toBe(0);
    expect(result.perRegion[1]!.transitionLog.map((t) => [t.kind, t.short])).toEqual([
      ['start', false],
      ['stop', false],
    ]);
  });
});

describe('simulate below the optimum', () => {
  it('says that a cost below the optimum was bought with missed hot minutes', () => {
    // One running region at most: the always-on one, so eu-west-1 never starts and misses its busy hours.
    const capped = validConfig((c) => {
      c.scalable = ['eu-west-1'];
      c.limits = { maxRunningRegions: 1 };
    });
    const eu = Float64Array.from({ length: 600 }, (_, m) => (m >= 120 && m < 300 ? 9000 : 200));
    const small: Trace = {
      startMs: trace.startMs,
      minutes: eu.length,
      regions: ['us-east-1', 'eu-west-1'],
      requests: new Map([
        ['us-east-1', new Float64Array(eu.length).fill(100)],
        ['eu-west-1', eu],
      ]),
    };
    const result = simulate({ config: capped, trace: small, model: DEFAULT_COST_MODEL });
    expect(result.costOverOptimum).toBeLessThan(1);
    expect(result.notes).toEqual([
      `the autoscaler cost less than the optimum (${result.costOverOptimum.toFixed(2)}x) only by leaving hot minutes unserved ` +
        '(180 missed, 0.0% hot coverage): the optimum serves every hot minute, so this is not a saving; below their optimum: eu-west-1 0.00x with 180 missed',
    ]);
  });
});
