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
});
