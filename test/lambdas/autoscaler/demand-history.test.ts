import fc from 'fast-check';
import type { DemandDatapoints, DemandWindow } from '../../../core/demand/demand-queries';
import { DemandHistory } from '../../../lambdas/autoscaler/demand-history';

const MINUTE = 60_000;
const PERIODS = 20;
const REREAD = 3;
const KEY = 'queries';
const REGION = 'us-east-1';
const IDS = ['demand_a', 'demand_b'];

const windowEnding = (endPeriod: number): DemandWindow => ({
  start: (endPeriod - PERIODS) * MINUTE,
  end: endPeriod * MINUTE,
  periodSeconds: 60,
  periods: PERIODS,
});

/** What a fresh read of the whole window returns: every datapoint CloudWatch has there, by time. */
function freshRead(truth: ReadonlyMap<string, ReadonlyMap<number, number>>, window: DemandWindow): Map<string, DemandDatapoints> {
  const out = new Map<string, DemandDatapoints>();
  for (const [id, points] of truth) {
    const inside = [...points].filter(([t]) => t >= window.start && t < window.end).sort(([a], [b]) => a - b);
    out.set(id, { timestamps: inside.map(([t]) => t), values: inside.map(([, v]) => v) });
  }
  return out;
}

interface Tick {
  /** Periods the clock moves on since the last tick. */
  readonly advance: number;
  /** Datapoints that arrive or change before this tick, as offsets back from its window's end (late ones within the re-read periods). */
  readonly arrivals: ReadonlyArray<{ readonly id: number; readonly back: number; readonly value: number }>;
  /** Periods before the asked range that the answer also carries (a read shared with a longer question). */
  readonly extraBefore: number;
  /** How the answer is ordered: ascending as asked, or shuffled with repeats. */
  readonly shuffleSeed: number | null;
}

const tickArbitrary: fc.Arbitrary<Tick> = fc.record({
  advance: fc.integer({ min: 1, max: 4 }),
  arrivals: fc.array(
    fc.record({ id: fc.integer({ min: 0, max: 1 }), back: fc.integer({ min: 1, max: REREAD }), value: fc.integer({ min: 0, max: 9000 }) }),
    {
      maxLength: 6,
    },
  ),
  extraBefore: fc.integer({ min: 0, max: 3 }),
  shuffleSeed: fc.option(fc.integer({ min: 1, max: 1_000_000 })),
});

/** The answer to a read of [start, end): ascending, or in a scrambled order with some datapoints given twice. */
function answer(truth: ReadonlyMap<string, ReadonlyMap<number, number>>, start: number, end: number, shuffleSeed: number | null) {
  const read = freshRead(truth, { start, end, periodSeconds: 60, periods: (end - start) / MINUTE });
  if (shuffleSeed === null) return read;
  let state = shuffleSeed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const scrambled = new Map<string, DemandDatapoints>();
  for (const [id, { timestamps, values }] of read) {
    const pairs = timestamps.map((t, i) => [t, values[i]!] as const);
    const withRepeats = [...pairs, ...pairs.filter(() => random() < 0.3)];
    withRepeats.sort(() => random() - 0.5);
    scrambled.set(id, { timestamps: withRepeats.map(([t]) => t), values: withRepeats.map(([, v]) => v) });
  }
  return scrambled;
}

describe('demand held across warm ticks', () => {
  it('hands out exactly what a fresh read of the whole window would, tick after tick', () => {
    fc.assert(
      fc.property(fc.array(tickArbitrary, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 3 }), (ticks, gapEvery) => {
        const history = new DemandHistory(REREAD);
        const truth = new Map(IDS.map((id) => [id, new Map<number, number>()]));
        let endPeriod = 1000;
        // The full first window, with a missing period every few when gapEvery > 0.
        for (const id of IDS)
          for (let p = endPeriod - PERIODS - 5; p < endPeriod; p++)
            if (gapEvery === 0 || p % (gapEvery + 1) !== 0) truth.get(id)!.set(p * MINUTE, p);
        for (const tick of [{ advance: 0, arrivals: [], extraBefore: 0, shuffleSeed: null }, ...ticks]) {
          endPeriod += tick.advance;
          const window = windowEnding(endPeriod);
          for (let p = endPeriod - tick.advance; p < endPeriod; p++) for (const id of IDS) truth.get(id)!.set(p * MINUTE, p % 97);
          for (const { id, back, value } of tick.arrivals) truth.get(IDS[id]!)!.set((endPeriod - tick.advance - back) * MINUTE, value);
          const range = history.rangeToRead(REGION, KEY, window);
          const read = answer(truth, range.start - tick.extraBefore * MINUTE, range.end, tick.shuffleSeed);
          history.store(REGION, KEY, window, range, read);
          expect(history.datapoints(REGION, window)).toEqual(freshRead(truth, window));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the newest periods and the re-read ones on a warm tick', () => {
    const history = new DemandHistory(REREAD);
    const first = windowEnding(1000);
    history.store(REGION, KEY, first, history.rangeToRead(REGION, KEY, first), new Map());
    expect(history.rangeToRead(REGION, KEY, windowEnding(1002))).toEqual({ start: (1000 - REREAD) * MINUTE, end: 1002 * MINUTE });
  });

  it('forgets datapoints of periods that left the window', () => {
    const history = new DemandHistory(REREAD);
    const first = windowEnding(1000);
    const timestamps = Array.from({ length: PERIODS }, (_, i) => first.start + i * MINUTE);
    history.store(
      REGION,
      KEY,
      first,
      history.rangeToRead(REGION, KEY, first),
      new Map([['demand_a', { timestamps, values: timestamps.map(() => 7) }]]),
    );
    const later = windowEnding(1005);
    history.store(REGION, KEY, later, history.rangeToRead(REGION, KEY, later), new Map());
    const held = history.datapoints(REGION, later).get('demand_a')!;
    expect(held.timestamps[0]).toBe(later.start);
    // The 3 re-read periods came back empty, so they are dropped too: 20 - 5 periods left the window, 3 were re-read.
    expect(held.timestamps).toHaveLength(PERIODS - 5 - REREAD);
  });
});
