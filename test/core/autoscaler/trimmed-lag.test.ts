import { trimmedLagReader, trimmedSeasonalInto } from '../../../core/autoscaler/trimmed-lag';

/** One-minute periods, a "day" of 100: a 10-period level, ±7 around each lagged step, two periods trimmed at each end. */
const SHAPE = { levelPeriods: 10, lagHalfWidth: 7, ratioFloor: 150 };
const DAY = 100;
const TRIM = 2;
const HORIZON = 17;

/** Noisy demand with a burst every "day", a gap every 37 periods and a run of gaps every 23rd day-part. */
function demand(i: number): number | null {
  if (i % 37 === 5 || i % 230 < 9) return null;
  return 1800 + ((i * 7919) % 1300) / 7 + (i % DAY > 60 && i % DAY < 75 ? 1500 : 0);
}

/** Each step's forecast of yesterday and the day before, and their ratios, as read through `reader`. */
function stepsOf(series: (number | null)[], reader = trimmedLagReader(series, SHAPE, TRIM)) {
  return [DAY, 2 * DAY].map((lag) => {
    const ahead = new Float64Array(HORIZON + 1).fill(-Infinity);
    const ratio = trimmedSeasonalInto(reader, ahead, lag, 2100, HORIZON);
    return { ratio, ahead: [...ahead] };
  });
}

/** The same forecast read through the series' memo (it has been read before) and afresh (a copy never read). */
function remembered(series: (number | null)[]) {
  const reader = trimmedLagReader(series, SHAPE, TRIM);
  expect(reader.memo).toBeDefined();
  return stepsOf(series, reader);
}

describe("a start's trimmed lag windows", () => {
  it('are read from the memo of a series read before as they are afresh, as the series grows a period at a time', () => {
    const growing = Array.from({ length: 2 * DAY + HORIZON + 10 }, (_, i) => demand(i));
    trimmedLagReader(growing, SHAPE, TRIM);
    let seasonal = 0;
    for (let call = 0; call < 2 * DAY; call++) {
      const fresh = stepsOf([...growing]);
      expect(remembered(growing)).toEqual(fresh);
      if (fresh.every((lag) => lag.ratio !== 'skipped')) seasonal++;
      growing.push(demand(growing.length));
    }
    // The gaps skip a lag now and then; most calls read both.
    expect(seasonal).toBeGreaterThan(DAY);
  });

  it('are read afresh where a series read before changed in place: its level window, a step window, to a gap and back', () => {
    const series = Array.from({ length: 2 * DAY + 60 }, (_, i) => demand(i));
    trimmedLagReader(series, SHAPE, TRIM);
    const n = series.length;
    const changes: Array<[number, number | null]> = [
      [n - DAY - 1, 2500], // the last period of yesterday's level window
      [n - DAY - 10, 2600], // its first
      [n - DAY - 7, 1000], // the first period of step 1's window
      [n - DAY + HORIZON + 6, 5000], // the last period of the last step's window
      [n - 2 * DAY + 3, null],
      [n - 2 * DAY + 3, 2700],
      [n - 2 * DAY - 4, null],
    ];
    for (const [at, value] of changes) {
      remembered(series); // every window remembered before the change
      series[at] = value;
      expect(remembered(series)).toEqual(stepsOf([...series]));
    }
  });
});
