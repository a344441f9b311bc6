import type { RegionCostProfile } from '../../../core/simulator/cost-model';
import { shortCycles } from '../../../core/simulator/short-cycles';
import { RUNNING, STARTING, STOPPED, STOPPING } from '../../../core/simulator/timeline';

const START = Date.UTC(2026, 10, 2);

/** Phase letters (S stopped, + starting, R running, - stopping) to a timeline. */
function timeline(letters: string): Uint8Array {
  const code: Record<string, number> = { S: STOPPED, '+': STARTING, R: RUNNING, '-': STOPPING };
  return Uint8Array.from([...letters], (letter) => code[letter]!);
}

/** Demand with hot minutes (1 = at the threshold of 1) where `marks` has an "h". */
function demandOf(marks: string): Float64Array {
  return Float64Array.from([...marks], (mark) => (mark === 'h' ? 1 : 0));
}

// Round figures so each verdict can be checked by hand: a start and a stop of 2 minutes at 0.5 USD
// each, so a cycle costs 2 USD; running costs 1 USD a minute, stopped nothing: 2 stopped minutes to break even.
const cold: RegionCostProfile = {
  region: 'eu-west-1',
  warm: false,
  runningPerMinute: 1,
  stoppedPerMinute: 0,
  startMinuteCosts: Float64Array.of(0.5, 0.5),
  stopMinuteCosts: Float64Array.of(0.5, 0.5),
};

function verdicts(letters: string, marks: string, profile = cold) {
  return shortCycles(timeline(letters), demandOf(marks.padEnd(letters.length, '.')), 1, profile, START);
}

describe('short cycles', () => {
  it('counts a stop started again before its stopped minutes saved the stop and the start (2 minutes here)', () => {
    const result = verdicts('RR--S++RR', 'h.......h');
    expect(result.transitions[0]).toEqual({
      at: '2026-11-02T00:02:00Z',
      kind: 'stop',
      minutes: 2,
      stoppedMinutes: 1,
      breakEvenMinutes: 2,
      short: true,
    });
    expect(result.shortStops).toBe(1);
    expect(result.shortCycles).toBe(1);
  });

  it('does not count a stop whose stopped minutes paid for it exactly, or one never undone within the trace', () => {
    expect(verdicts('RR--SS++RR', 'h........h').shortStops).toBe(0);
    expect(verdicts('RR--SSS', 'h').transitions).toEqual([
      { at: '2026-11-02T00:02:00Z', kind: 'stop', minutes: 2, stoppedMinutes: null, breakEvenMinutes: 2, short: false },
    ]);
    expect(verdicts('RR--SSS', 'h').shortCycles).toBe(0);
  });

  it('counts a stop undone at once, with no stopped minute in between', () => {
    expect(verdicts('RR--++RR', 'h......h').transitions[0]).toMatchObject({ kind: 'stop', stoppedMinutes: 0, short: true });
  });

  it('weighs stopped minutes by what standby saves: half the running price doubles the break-even', () => {
    const warm = { ...cold, warm: true, stoppedPerMinute: 0.5 };
    expect(verdicts('RR--SSS++RR', 'h.........h', warm).transitions[0]).toMatchObject({
      stoppedMinutes: 3,
      breakEvenMinutes: 4,
      short: true,
    });
    expect(verdicts('RR--SSSS++RR', 'h..........h', warm).shortStops).toBe(0);
  });

  it('counts every restarted stop when standby costs as much as running: it can never pay', () => {
    const dear = { ...cold, stoppedPerMinute: 1 };
    expect(verdicts('RR--SSSSSSSS++RR', 'h..............h', dear).transitions[0]).toMatchObject({
      breakEvenMinutes: null,
      short: true,
    });
  });

  it('counts a start whose running stint ends without a hot minute, whether a stop or the trace ends it', () => {
    const stopped = verdicts('S++RRR--S', '.........');
    expect(stopped.transitions[0]).toEqual({
      at: '2026-11-02T00:01:00Z',
      kind: 'start',
      minutes: 2,
      servingFrom: '2026-11-02T00:03:00Z',
      runningMinutes: 3,
      hotMinutesServed: 0,
      hotMinutesWhileStarting: 0,
      peakDemand: 0,
      short: true,
      idle: 'quiet',
    });
    expect(stopped.idleStarts).toBe(1);
    expect(verdicts('S++RRR', '......').idleStarts).toBe(1);
  });

  it('does not count a start that served a hot minute, nor one the trace ends before it serves', () => {
    expect(verdicts('S++RRR--S', '.....h...').transitions[0]).toMatchObject({ hotMinutesServed: 1, short: false });
    // A hot minute while starting is missed, not served.
    expect(verdicts('S++RRR--S', '..h......').idleStarts).toBe(1);
    expect(verdicts('SS++', '..hh').transitions).toEqual([
      {
        at: '2026-11-02T00:02:00Z',
        kind: 'start',
        minutes: 2,
        servingFrom: null,
        runningMinutes: 0,
        hotMinutesServed: 0,
        hotMinutesWhileStarting: 2,
        peakDemand: 1,
        short: false,
      },
    ]);
  });

  it('tells idle starts by what they met: hot demand while starting, demand within 5% of the threshold, or neither', () => {
    // Demand as a share of the threshold (1) per minute: the start is minutes 1-2, its running stint 3-5.
    const met = (values: number[]) => shortCycles(timeline('S++RRR--S'), Float64Array.from(values), 1, cold, START);
    const late = met([0, 0, 1.2, 0.5, 0.5, 0.5, 0, 0, 0]);
    expect(late.transitions[0]).toMatchObject({ short: true, idle: 'late', hotMinutesWhileStarting: 1, peakDemand: 1.2 });
    const nearMiss = met([0, 0.5, 0.5, 0.5, 0.96, 0.5, 0, 0, 0]);
    expect(nearMiss.transitions[0]).toMatchObject({ short: true, idle: 'near miss', peakDemand: 0.96 });
    const quiet = met([0, 0.5, 0.5, 0.5, 0.94, NaN, 0, 0, 0]);
    expect(quiet.transitions[0]).toMatchObject({ short: true, idle: 'quiet', peakDemand: 0.94 });
    expect([late, nearMiss, quiet].map((r) => r.idleStartsByKind)).toEqual([
      { late: 1, nearMiss: 0, quiet: 0 },
      { late: 0, nearMiss: 1, quiet: 0 },
      { late: 0, nearMiss: 0, quiet: 1 },
    ]);
    // A start that served a hot minute has no idle kind, whatever it met while starting.
    expect(met([0, 1, 1, 1, 0, 0, 0, 0, 0]).transitions[0]).not.toHaveProperty('idle');
    // No known demand at all: no peak, and quiet.
    expect(met(new Array(9).fill(NaN)).transitions[0]).toMatchObject({ peakDemand: null, idle: 'quiet' });
  });

  it('judges each transition of a cycle on its own: a quick restart that then serves nothing is two short cycles', () => {
    const result = verdicts('RR--S++RRR--SS', 'h.............');
    expect(result.transitions.map((t) => [t.kind, t.short])).toEqual([
      ['stop', true],
      ['start', true],
      ['stop', false],
    ]);
    expect(result).toMatchObject({ shortStops: 1, idleStarts: 1, shortCycles: 2 });
  });

  it('finds nothing on a timeline without transitions', () => {
    expect(verdicts('RRRRRR', '......')).toEqual({
      transitions: [],
      shortCycles: 0,
      shortStops: 0,
      idleStarts: 0,
      idleStartsByKind: { late: 0, nearMiss: 0, quiet: 0 },
    });
    expect(verdicts('SSSSSS', 'hhhhhh').shortCycles).toBe(0);
  });
});
