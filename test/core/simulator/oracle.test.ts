import fc from 'fast-check';
import type { RegionCostProfile } from '../../../core/simulator/cost-model';
import { oracleSchedule } from '../../../core/simulator/oracle';
import { type Phase, RUNNING, STARTING, STOPPED, STOPPING, timelineTotals } from '../../../core/simulator/timeline';

function profile(options: { start: number[]; stop: number[]; running: number; stopped: number }): RegionCostProfile {
  return {
    region: 'eu-west-1',
    warm: options.stopped > 0,
    runningPerMinute: options.running,
    stoppedPerMinute: options.stopped,
    startMinuteCosts: Float64Array.from(options.start),
    stopMinuteCosts: Float64Array.from(options.stop),
  };
}

const cold = profile({ start: [1, 1, 3], stop: [3, 1], running: 3, stopped: 0 });

/** Every schedule the model allows (settled states chosen freely at minute 0), by plain enumeration. */
function allSchedules(minutes: number, p: RegionCostProfile): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (prefix: Phase[], settled: 'stopped' | 'running'): void => {
    if (prefix.length >= minutes) {
      out.push(Uint8Array.from(prefix.slice(0, minutes)));
      return;
    }
    walk([...prefix, settled === 'stopped' ? STOPPED : RUNNING], settled);
    const length = settled === 'stopped' ? p.startMinuteCosts.length : p.stopMinuteCosts.length;
    const phase = settled === 'stopped' ? STARTING : STOPPING;
    walk([...prefix, ...new Array<Phase>(length).fill(phase)], settled === 'stopped' ? 'running' : 'stopped');
  };
  walk([], 'stopped');
  walk([], 'running');
  return out;
}

function bruteForceCost(demand: Float64Array, threshold: number, p: RegionCostProfile): number {
  let best = Infinity;
  for (const phases of allSchedules(demand.length, p)) {
    const feasible = phases.every((phase, m) => !(demand[m]! >= threshold) || phase === RUNNING);
    if (feasible) best = Math.min(best, timelineTotals(phases, demand, threshold, p).cost);
  }
  return best;
}

function isValidSchedule(phases: Uint8Array, p: RegionCostProfile): boolean {
  // Every transition run has its full length unless the trace ends inside it, and goes the right way.
  let m = 0;
  let settled: number | undefined;
  while (m < phases.length) {
    const phase = phases[m]!;
    let end = m;
    while (end < phases.length && phases[end] === phase) end++;
    if (phase === STARTING || phase === STOPPING) {
      const length = phase === STARTING ? p.startMinuteCosts.length : p.stopMinuteCosts.length;
      if ((end - m) % length !== 0 && end !== phases.length) return false;
      if (end - m > length) return false;
      if (settled !== undefined && settled !== (phase === STARTING ? STOPPED : RUNNING)) return false;
      settled = phase === STARTING ? RUNNING : STOPPED;
    } else {
      if (settled !== undefined && settled !== phase) return false;
      settled = phase;
    }
    m = end;
  }
  return true;
}

describe('oracleSchedule', () => {
  it('stays stopped when demand never reaches the threshold', () => {
    const demand = Float64Array.from([1, 2, 3, 2, 1]);
    expect([...oracleSchedule({ demand, hotThreshold: 10, profile: cold })]).toEqual([0, 0, 0, 0, 0]);
  });

  it('starts just in time for a hot minute and stops right after when stopping is cheaper than idling', () => {
    // Minute 5 is hot: start over minutes 2-4, run minute 5, stop over 6-7, then stay stopped.
    const demand = Float64Array.from([0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0]);
    const phases = oracleSchedule({ demand, hotThreshold: 10, profile: cold });
    expect([...phases]).toEqual([0, 0, 1, 1, 1, 2, 3, 3, 0, 0, 0, 0]);
    expect(timelineTotals(phases, demand, 10, cold).cost).toBe(1 + 1 + 3 + 3 + 3 + 1);
  });

  it('keeps running through a short lull when a stop and restart would cost more', () => {
    const demand = Float64Array.from([50, 0, 0, 50]);
    expect([...oracleSchedule({ demand, hotThreshold: 10, profile: cold })]).toEqual([2, 2, 2, 2]);
  });

  it('never counts missing data as hot', () => {
    const demand = Float64Array.from([NaN, NaN, NaN, NaN]);
    expect([...oracleSchedule({ demand, hotThreshold: 0, profile: cold })]).toEqual([0, 0, 0, 0]);
  });

  it('matches brute force on every small trace tried, for cold and warm standby regions', () => {
    const warm = profile({ start: [2, 2], stop: [2], running: 2, stopped: 0.5 });
    const anyProfile = fc.constantFrom(cold, warm, profile({ start: [0.4], stop: [0.4, 0.4, 0.4], running: 1, stopped: 0 }));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 11 }),
        fc.integer({ min: 1, max: 20 }),
        anyProfile,
        (values, threshold, p) => {
          const demand = Float64Array.from(values);
          const phases = oracleSchedule({ demand, hotThreshold: threshold, profile: p });
          expect(isValidSchedule(phases, p)).toBe(true);
          phases.forEach((phase, m) => {
            if (demand[m]! >= threshold) expect(phase).toBe(RUNNING);
          });
          expect(timelineTotals(phases, demand, threshold, p).cost).toBeCloseTo(bruteForceCost(demand, threshold, p), 9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('covers every hot minute of a week-long trace', () => {
    const demand = Float64Array.from({ length: 7 * 24 * 60 }, (_, m) => 3000 + 2500 * Math.sin((2 * Math.PI * m) / 1440));
    const p = profile({ start: new Array(14).fill(0.005), stop: new Array(14).fill(0.005), running: 0.006, stopped: 0 });
    const phases = oracleSchedule({ demand, hotThreshold: 3000, profile: p });
    expect(timelineTotals(phases, demand, 3000, p).hotServedRequests).toBe(timelineTotals(phases, demand, 3000, p).hotRequests);
  });
});
