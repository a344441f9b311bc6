import fc from 'fast-check';
import { thresholdsFor } from '../../../core/config';
import { DEFAULT_COST_MODEL, regionCostProfile } from '../../../core/simulator/cost-model';
import { shortCycles } from '../../../core/simulator/short-cycles';
import { simulateWithTimelines } from '../../../core/simulator/simulate';
import { RUNNING, STARTING, STOPPING } from '../../../core/simulator/timeline';
import type { Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const config = validConfig((c) => {
  c.scalable = ['eu-west-1', 'ap-northeast-1'];
  c.standby = { 'ap-northeast-1': 'warm' };
  c.thresholds = {
    scaleUpRequestsPerMinute: 3000,
    scaleUpPeriods: 2,
    scaleDownRequestsPerMinute: 1500,
    scaleDownPeriods: 4,
    cooldownMinutes: 5,
  };
});

/** Demand as a few level segments (quiet, busy, missing), the shapes that make regions start and stop. */
const series = (minutes: number) =>
  fc
    .array(fc.record({ length: fc.integer({ min: 1, max: 40 }), level: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 6000 })) }), {
      minLength: 1,
      maxLength: 12,
    })
    .map((segments) => {
      const out = new Float64Array(minutes);
      let m = 0;
      for (const { length, level } of segments) for (let i = 0; i < length && m < minutes; i++) out[m++] = level;
      return out;
    });

function trace(eu: Float64Array, ap: Float64Array): Trace {
  const minutes = eu.length;
  return {
    startMs: Date.UTC(2026, 10, 2),
    minutes,
    regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
    requests: new Map([
      ['us-east-1', new Float64Array(minutes).fill(5000)],
      ['eu-west-1', eu],
      ['ap-northeast-1', ap],
    ]),
  };
}

/** Lengths of runs of `phase`, except a run cut off by the end of the trace. */
function completeRuns(phases: Uint8Array, phase: number): number[] {
  const runs: number[] = [];
  let m = 0;
  while (m < phases.length) {
    let end = m;
    while (end < phases.length && phases[end] === phases[m]) end++;
    if (phases[m] === phase && end < phases.length) runs.push(end - m);
    m = end;
  }
  return runs;
}

describe('simulate on random traces', () => {
  it('never beats the optimum when it covers every hot minute, and keeps transitions their modelled length', () => {
    fc.assert(
      fc.property(series(200), series(200), (eu, ap) => {
        const { report, timelines } = simulateWithTimelines({ config, trace: trace(eu, ap), model: DEFAULT_COST_MODEL });
        for (const row of report.perRegion) {
          // The engine's schedule is one the optimum could have chosen whenever it served every hot minute.
          if (row.hotMinutesMissed === 0) expect(row.oracleCost).toBeLessThanOrEqual(row.cost + 1e-9);
          expect(row.oracleCost).toBeLessThanOrEqual(row.allOnCost + 1e-9);
          expect(row.hotCoveragePct).toBeLessThanOrEqual(100);
          expect(row.rejectedActions).toBe(0);
          const warm = row.standby === 'warm';
          const engine = timelines.get(row.region)!.engine;
          // A started region runs out its 5-minute cooldown before it stops; a demand restart after a stop need not wait.
          for (const run of completeRuns(engine, RUNNING)) expect(run).toBeGreaterThanOrEqual(5);
          for (const run of completeRuns(engine, STARTING)) expect(run).toBe(warm ? 4 : 14);
          for (const run of completeRuns(engine, STOPPING)) expect(run).toBe(warm ? 4 : 14);
        }
        expect(report.oracleHotCoveragePct).toBe(100);
      }),
      { numRuns: 40 },
    );
  });

  it('never counts more short cycles than transitions, none without a transition, and no idle start of the optimum', () => {
    let shortSeen = 0;
    fc.assert(
      fc.property(series(200), series(200), (eu, ap) => {
        const input = { config, trace: trace(eu, ap), model: DEFAULT_COST_MODEL };
        const { report, timelines } = simulateWithTimelines(input);
        for (const row of report.perRegion) {
          expect(row.shortCycles).toBeLessThanOrEqual(row.transitions);
          if (row.transitions === 0) expect(row.shortCycles).toBe(0);
          expect(row.shortCycles).toBe(row.shortStops + row.idleStarts);
          // The log is read off the timeline independently of the totals; both must see the same transitions.
          expect(row.transitionLog).toHaveLength(row.transitions);
          expect(row.transitionLog.filter((t) => t.short)).toHaveLength(row.shortCycles);
          // An optimum never starts a region for nothing: leaving it stopped would be cheaper.
          const oracle = shortCycles(
            timelines.get(row.region)!.oracle,
            input.trace.requests.get(row.region)!,
            thresholdsFor(config, row.region).scaleUpRequestsPerMinute,
            regionCostProfile(DEFAULT_COST_MODEL, config, row.region),
            input.trace.startMs,
          );
          expect(oracle.idleStarts).toBe(0);
          expect(oracle.shortCycles).toBe(row.oracleShortCycles);
          shortSeen += row.shortCycles;
        }
        expect(report.shortCycles).toBe(report.perRegion.reduce((n, r) => n + r.shortCycles, 0));
      }),
      { numRuns: 40 },
    );
    // The traces above must exercise the measure, or the bounds were checked on zeros only.
    expect(shortSeen).toBeGreaterThan(0);
  });
});
