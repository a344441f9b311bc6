/**
 * The engine replayed over whole traces through the simulator, on shapes that once misled it: a day
 * of missing history, isolated one-minute spikes, and a peak that comes back right after a stop.
 * Each trace is built here, minute by minute, for one scalable region beside an always-on one.
 */
import type { KubeCdnConfig } from '../../../core/config';
import { DEFAULT_COST_MODEL } from '../../../core/simulator/cost-model';
import { type RegionReport, simulateWithTimelines } from '../../../core/simulator/simulate';
import { RUNNING } from '../../../core/simulator/timeline';
import type { Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const START = Date.UTC(2026, 11, 7); // a Monday
const DAY = 1440;

function configWith(prediction: boolean): KubeCdnConfig {
  return validConfig((c) => {
    c.scalable = ['eu-west-1'];
    c.prediction = { enabled: prediction };
  });
}

/** us-east-1 steady at 10,000 rpm; eu-west-1 as `demand` says (NaN = missing). */
function traceOf(days: number, demand: (minute: number) => number): Trace {
  const minutes = days * DAY;
  const eu = new Float64Array(minutes);
  for (let minute = 0; minute < minutes; minute++) eu[minute] = demand(minute);
  return {
    startMs: START,
    minutes,
    regions: ['us-east-1', 'eu-west-1'],
    requests: new Map([
      ['us-east-1', new Float64Array(minutes).fill(10_000)],
      ['eu-west-1', eu],
    ]),
  };
}

/** A little noise, seeded by the minute, so the forecast sees demand as it is rather than flat lines. */
function jitter(minute: number): number {
  return 1 + 0.04 * Math.sin(minute * 12.9898);
}

function run(prediction: boolean, trace: Trace): { eu: RegionReport; running: Uint8Array } {
  const { report, timelines } = simulateWithTimelines({ config: configWith(prediction), trace, model: DEFAULT_COST_MODEL });
  return { eu: report.perRegion.find((r) => r.region === 'eu-west-1')!, running: timelines.get('eu-west-1')!.engine };
}

function runningMinutes(phases: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let minute = from; minute < to; minute++) if (phases[minute] === RUNNING) count++;
  return count;
}

describe('decisions over whole traces', () => {
  it('runs a region no longer on the days after a missing day of history than on any other day', () => {
    // Ten days at 200 rpm with a two-hour peak of 5000 rpm from 06:00; day 2 is missing altogether, so day 3
    // has no yesterday and day 9 no last week.
    const trace = traceOf(10, (minute) => {
      if (Math.floor(minute / DAY) === 2) return NaN;
      const ofDay = minute % DAY;
      return (ofDay >= 360 && ofDay < 480 ? 5000 : 200) * jitter(minute);
    });
    const { eu, running } = run(true, trace);
    const perDay = Array.from({ length: 10 }, (_, day) => runningMinutes(running, day * DAY, (day + 1) * DAY));
    const ordinary = perDay[5]!;
    expect(ordinary).toBeGreaterThanOrEqual(120);
    expect(ordinary).toBeLessThan(180);
    expect({ day3: perDay[3]! <= ordinary + 30, day9: perDay[9]! <= ordinary + 30 }).toEqual({ day3: true, day9: true });
    expect(eu.cost / eu.oracleCost).toBeLessThan(1.1);
  });

  it('never starts a cold region for isolated one-minute spikes, with or without prediction', () => {
    // Two days at 200 rpm and a single 9000-rpm minute every 2 h 50 min: no hot minute a start could serve.
    const trace = traceOf(2, (minute) => (minute % 170 === 85 ? 9000 : 200 * jitter(minute)));
    for (const prediction of [true, false]) {
      const { eu } = run(prediction, trace);
      expect({ prediction, starts: eu.starts }).toEqual({ prediction, starts: 0 });
    }
  });

  it('does not start a region because a one-minute spike came at this time yesterday', () => {
    // Three days at 1500 rpm with a 30,000-rpm minute at 10:00 every day: averaged over the ±7 minutes the
    // forecast reads yesterday, that one minute alone would put 10:00 at 3400 rpm, above the 3000 threshold.
    const trace = traceOf(3, (minute) => (minute % DAY === 600 ? 30_000 : 1500 * jitter(minute)));
    const { eu } = run(true, trace);
    expect(eu.starts).toBe(0);
  });

  it('does not start a region ahead of a burst that only yesterday had, when last week did not', () => {
    // Nine days at 1800 rpm. Day 7 alone has a 25-minute burst at 6000 rpm from 10:00: on day 8 yesterday
    // says it comes again at 10:00, last week (day 1) says it does not, and it does not.
    const trace = traceOf(9, (minute) => {
      const burst = Math.floor(minute / DAY) === 7 && minute % DAY >= 600 && minute % DAY < 625;
      return (burst ? 6000 : 1800) * jitter(minute);
    });
    const { running } = run(true, trace);
    expect(runningMinutes(running, 8 * DAY, 9 * DAY)).toBe(0);
  });

  it('does not start a region ahead of a burst that only yesterday had, before there is a week of history', () => {
    // Three days at 1800 rpm; day 1 alone has a 25-minute burst at 6000 rpm from 10:00. On day 2 yesterday says
    // it comes again, the day before says it does not, and it does not.
    const trace = traceOf(3, (minute) => {
      const burst = Math.floor(minute / DAY) === 1 && minute % DAY >= 600 && minute % DAY < 625;
      return (burst ? 6000 : 1800) * jitter(minute);
    });
    const { running } = run(true, trace);
    expect(runningMinutes(running, 2 * DAY, 3 * DAY)).toBe(0);
  });

  it('still starts ahead of a daily ramp it has seen before', () => {
    // A daily ramp from 1000 to 6000 rpm over an hour from 09:00, held for two hours.
    const trace = traceOf(3, (minute) => {
      const ofDay = minute % DAY;
      const level = ofDay < 540 || ofDay >= 780 ? 1000 : ofDay < 600 ? 1000 + (5000 * (ofDay - 540)) / 60 : 6000;
      return level * jitter(minute);
    });
    const predicted = run(true, trace).eu;
    const reactive = run(false, trace).eu;
    expect(predicted.hotMinutesMissed).toBeLessThan(reactive.hotMinutesMissed);
    expect(predicted.hotCoveragePct).toBeGreaterThan(95);
  });

  it('restarts a region for a peak that comes back right after a stop, instead of waiting out the cooldown', () => {
    // Each day at 200 rpm with an hour at 5000 from 06:00 and, on odd days only (so yesterday never foretells it),
    // 30 quiet minutes and then 30 more at 5000: the region is just stopping or stopped when the second block begins.
    const trace = traceOf(4, (minute) => {
      const ofDay = minute % DAY;
      const second = Math.floor(minute / DAY) % 2 === 1 && ofDay >= 450 && ofDay < 480;
      return (ofDay >= 360 && ofDay < 420) || second ? 5000 : 200 * jitter(minute);
    });
    for (const prediction of [true, false]) {
      const { running } = run(prediction, trace);
      for (const day of [1, 3]) {
        const served = runningMinutes(running, day * DAY + 450, day * DAY + 480);
        expect({ prediction, day, servedMoreThan10: served > 10 }).toEqual({ prediction, day, servedMoreThan10: true });
      }
    }
  });
});
