import type { KubeCdnConfig } from '../../../core/config';
import { DEFAULT_COST_MODEL } from '../../../core/simulator/cost-model';
import { replay } from '../../../core/simulator/replay';
import { RUNNING, STARTING, STOPPED, STOPPING } from '../../../core/simulator/timeline';
import { DEFAULT_SYNTHESIS, synthesizeTrace, type Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const START = Date.UTC(2026, 10, 2);

function traceOf(series: Record<string, number[]>): Trace {
  const regions = Object.keys(series);
  const minutes = Math.max(...regions.map((r) => series[r]!.length));
  return { startMs: START, minutes, regions, requests: new Map(regions.map((r) => [r, Float64Array.from(series[r]!)])) };
}

/** Minutes → phase letters (S stopped, + starting, R running, - stopping) so timelines read at a glance. */
function letters(phases: Uint8Array): string {
  const letter = { [STOPPED]: 'S', [STARTING]: '+', [RUNNING]: 'R', [STOPPING]: '-' } as Record<number, string>;
  return [...phases].map((p) => letter[p]).join('');
}

// No metric delivery lag, so each case reads in whole periods; the lag has its own case.
const config: KubeCdnConfig = validConfig((c) => {
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

/** Three days of synthetic demand for three regions, made once for the tests that compare whole replays. */
let madeThreeDays: Trace | undefined;
function threeDays(): Trace {
  return (madeThreeDays ??= synthesizeTrace({
    ...DEFAULT_SYNTHESIS,
    seed: 3,
    days: 3,
    regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
  }));
}

describe('replay through the real decision engine', () => {
  it('starts a cold region after 3 hot periods and serves once its 14-minute start completes', () => {
    const demand = [...new Array(10).fill(100), ...new Array(30).fill(5000)];
    const { regions } = replay(config, traceOf({ 'us-east-1': new Array(40).fill(9000), 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    const eu = regions.find((r) => r.region === 'eu-west-1')!;
    // Periods 10, 11 and 12 are hot; the tick at minute 13 sees them and starts the region.
    expect(letters(eu.phases)).toBe('S'.repeat(13) + '+'.repeat(14) + 'R'.repeat(13));
    expect(letters(regions.find((r) => r.region === 'us-east-1')!.phases)).toBe('R'.repeat(40));
  });

  it('starts a warm standby region in 4 minutes', () => {
    const warm = { ...config, standby: { 'eu-west-1': 'warm' as const } };
    const demand = [...new Array(5).fill(100), ...new Array(15).fill(5000)];
    const { regions } = replay(warm, traceOf({ 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    expect(letters(regions.find((r) => r.region === 'eu-west-1')!.phases)).toBe('S'.repeat(8) + '++++' + 'R'.repeat(8));
  });

  it('stops after 5 quiet periods once the cooldown is over', () => {
    const demand = [...new Array(5).fill(5000), ...new Array(40).fill(100)];
    const { regions } = replay(config, traceOf({ 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    const eu = regions.find((r) => r.region === 'eu-west-1')!;
    // Start at 3, running from 17; cooldown until 27; quiet since minute 5, so the stop comes at 27.
    expect(letters(eu.phases)).toBe('SSS' + '+'.repeat(14) + 'R'.repeat(10) + '-'.repeat(14) + 'S'.repeat(4));
    expect(eu.rejectedActions).toBe(0);
  });

  it('never stops a running region because its data went missing', () => {
    const demand = [...new Array(5).fill(5000), ...new Array(60).fill(NaN)];
    const { regions } = replay(config, traceOf({ 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    const phases = letters(regions.find((r) => r.region === 'eu-west-1')!.phases);
    expect(phases.endsWith('R'.repeat(65 - 17))).toBe(true);
  });

  it('ticks once per period when the period is longer than a minute', () => {
    const twoMinutes = { ...config, periodSeconds: 120 };
    const demand = [...new Array(4).fill(100), ...new Array(30).fill(5000)];
    const result = replay(twoMinutes, traceOf({ 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    expect(result.ticks).toBe(16);
    // Periods 2, 3 and 4 (minutes 4-9) are hot; the tick at minute 10 starts the region.
    expect(letters(result.regions.find((r) => r.region === 'eu-west-1')!.phases)).toBe('S'.repeat(10) + '+'.repeat(14) + 'R'.repeat(10));
  });

  it('acts on the decisions of a dry-run config and says so', () => {
    const dry = { ...config, dryRun: true };
    const demand = [...new Array(10).fill(5000)];
    const result = replay(dry, traceOf({ 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    expect(result.dryRunOverridden).toBe(true);
    expect(letters(result.regions.find((r) => r.region === 'eu-west-1')!.phases)).toBe('SSS+++++++');
  });

  it("decides the same whether shown the whole history or exactly the Lambda's window", () => {
    const trace = threeDays();
    const small = validConfig((c) => {
      c.scalable = ['eu-west-1', 'ap-northeast-1'];
      c.standby = { 'ap-northeast-1': 'warm' };
      c.thresholds = { scaleUpRequestsPerMinute: 6000, scaleDownRequestsPerMinute: 3000 };
    });
    const history = replay(small, trace, DEFAULT_COST_MODEL);
    const window = replay(small, trace, DEFAULT_COST_MODEL, { exactLambdaWindow: true });
    for (const [i, region] of history.regions.entries()) {
      expect(letters(region.phases)).toBe(letters(window.regions[i]!.phases));
    }
    expect(history.regions.some((r) => r.phases.includes(STARTING))).toBe(true);
  });

  it("decides the same, reasons and all, from the whole history as from exactly the Lambda's window, with the forecast on", () => {
    // Three days, so that a start's forecast reads yesterday and the day before: from the history, a series the
    // engine has read before (its trimmed windows remembered), from the window, a fresh copy every tick.
    const trace = threeDays();
    const predicting = validConfig((c) => {
      c.scalable = ['eu-west-1', 'ap-northeast-1'];
      c.standby = { 'ap-northeast-1': 'warm' };
      c.thresholds = { scaleUpRequestsPerMinute: 6000, scaleDownRequestsPerMinute: 3000 };
      c.prediction = { enabled: true };
    });
    // Every decision of every tick, flat (tick time, region, action, reason, ...): strings the engine made, kept as they are.
    const logOf = (exactLambdaWindow: boolean): Array<string | number> => {
      const log: Array<string | number> = [];
      replay(predicting, trace, DEFAULT_COST_MODEL, {
        exactLambdaWindow,
        onDecisions: (now, decisions) => {
          for (const d of decisions) log.push(now, d.region, d.action, d.reason);
        },
      });
      return log;
    };
    const history = logOf(false);
    const window = logOf(true);
    // The first decision that differs, if any: a whole-log toEqual would spend seconds diffing thousands of them.
    const differs = window.findIndex((entry, i) => entry !== history[i]);
    const decisionAt = (log: Array<string | number>) => log.slice(differs - (differs % 4), differs - (differs % 4) + 4);
    expect(differs < 0 ? undefined : { history: decisionAt(history), window: decisionAt(window) }).toBeUndefined();
    expect(window).toHaveLength(history.length);
    // Forecast starts and stops happen, and reasons quote the days a start's forecast read.
    const reasons = history.filter((entry, i) => i % 4 === 3) as string[];
    expect(reasons.some((reason) => reason.startsWith('started: forecast reaches'))).toBe(true);
    expect(reasons.some((reason) => /^stopped.*: forecast stays below/.test(reason))).toBe(true);
    expect(reasons.some((reason) => reason.includes('same time the last two days'))).toBe(true);
  });

  it('sees each period only once the metric has been delivered (demand.lagSeconds), as the Lambda does', () => {
    const lagging = { ...config, demand: { ...config.demand, lagSeconds: 120 } };
    const demand = [...new Array(10).fill(100), ...new Array(30).fill(5000)];
    const { regions } = replay(lagging, traceOf({ 'eu-west-1': demand }), DEFAULT_COST_MODEL);
    // Two minutes later than without lag: the tick at minute 15 is the first to see periods 10-12.
    expect(letters(regions.find((r) => r.region === 'eu-west-1')!.phases)).toBe('S'.repeat(15) + '+'.repeat(14) + 'R'.repeat(11));
  });

  it('decides at the same clock times whether or not the trace starts on a period boundary', () => {
    const fiveMinutes = { ...config, periodSeconds: 300 };
    // Quiet until 00:40, then busy: periods 00:40, 00:45 and 00:50 are hot, so the tick at 00:55 starts the region.
    const demandAt = (clockMinute: number): number => (clockMinute < 40 ? 100 : 5000);
    const startingFrom = (offset: number): string => {
      const minutes = 90 - offset;
      const eu = Array.from({ length: minutes }, (_, m) => demandAt(offset + m));
      const trace = { ...traceOf({ 'eu-west-1': eu }), startMs: START + offset * 60_000 };
      const phases = letters(replay(fiveMinutes, trace, DEFAULT_COST_MODEL).regions.find((r) => r.region === 'eu-west-1')!.phases);
      return phases.padStart(90, '.'); // by clock minute, so traces of different starts line up
    };
    const aligned = startingFrom(0);
    expect(aligned).toBe('S'.repeat(55) + '+'.repeat(14) + 'R'.repeat(21));
    for (const offset of [1, 2, 3, 4, 7]) expect(startingFrom(offset)).toBe('.'.repeat(offset) + aligned.slice(offset));
  });
});
