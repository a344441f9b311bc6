import { forecastDemand, type ForecastRequest, type ForecastShape } from '../../../core/autoscaler/forecast';

/** One-minute periods: a 10-period level, ±7 around each lagged step, a 30-period fit, a "day" of 100 periods for short series. */
const SHAPE: ForecastShape = {
  levelPeriods: 10,
  lagHalfWidth: 7,
  fitPeriods: 30,
  lags: [100],
  noiseMargin: 0,
  minuteNoiseScale: 1,
  ratioFloor: 0,
};
const DAY = 100;

function request(series: (number | null)[], change: Partial<ForecastRequest> = {}): ForecastRequest {
  return { series, shape: SHAPE, threshold: 3000, horizon: 14, completeRecent: 0, ...change };
}

function flat(value: number | null, count: number): (number | null)[] {
  return new Array<number | null>(count).fill(value);
}

/** Yesterday: flat at `before` until `rampAt` periods after "now yesterday", then flat at `after`; then today. */
function dayWithStep(before: number, after: number, rampAt: number, today: (number | null)[]): (number | null)[] {
  const yesterday = flat(before, DAY);
  // One day before the latest period of today is index today.length - 1.
  for (let i = today.length - 1 + rampAt; i < DAY; i++) yesterday[i] = after;
  return [...yesterday, ...today];
}

function outlookOf(req: ForecastRequest) {
  const result = forecastDemand(req);
  if (!result.ok) throw new Error(`no forecast: ${result.missing}`);
  return result.outlook;
}

describe('the demand forecast', () => {
  it('needs at least the fit window of history', () => {
    expect(forecastDemand(request(flat(2000, 29)))).toEqual({ ok: false, missing: 'history' });
  });

  it('extrapolates the trend when there is no seasonal history', () => {
    // +20 rpm a period, ending at 2800: 3000 is reached 10 periods ahead.
    const rising = Array.from({ length: 40 }, (_, i) => 2020 + 20 * i);
    const outlook = outlookOf(request(rising));
    expect(outlook.basis).toBe('trend');
    expect(outlook.slope).toBeCloseTo(20, 9);
    expect(outlook.noise).toBeCloseTo(0, 9);
    expect(outlook.reachesAt).toBe(10);
    expect(outlook.value).toBeCloseTo(3000, 6);
  });

  it('counts only the steps from firstStep on: a falling trend at the threshold now does not reach it later', () => {
    // -20 rpm a period, ending at 2800: today's level (the last 10) is 2890, the line 2800 - 20 h ahead.
    const falling = Array.from({ length: 40 }, (_, i) => 3580 - 20 * i);
    expect(outlookOf(request(falling, { threshold: 2850 })).reachesAt).toBe(0);
    const later = outlookOf(request(falling, { threshold: 2850, firstStep: 5 }));
    expect(later.reachesAt).toBe(-1);
    expect(later.valueAt).toBe(5);
    expect(later.value).toBeCloseTo(2700, 6);
  });

  it('moves the trend toward flat by trendConfidence standard errors of its slope, beside a seasonal forecast only', () => {
    // Today rises 5 rpm a period under ±100 rpm of alternating noise: a fitted slope of 4.3, with a standard
    // error of about 2. Yesterday was flat, so the seasonal part stays at today's level (2173 rpm); the
    // fitted line reaches 2246 rpm 14 periods ahead.
    const today = (slope: number) => Array.from({ length: 40 }, (_, i) => 2000 + slope * i + (i % 2 === 0 ? 100 : -100));
    const gentle = dayWithStep(2000, 2000, 0, today(5));
    expect(outlookOf(request(gentle, { threshold: 2240 })).reachesAt).toBeGreaterThan(0);
    const sure = outlookOf(request(gentle, { threshold: 2240, trendConfidence: 2 }));
    expect(sure.reachesAt).toBe(-1);
    expect(sure.value).toBeLessThan(2200);
    // A slope of 20 is well clear of the noise: it still reaches the threshold, a little later.
    const steep = dayWithStep(2000, 2000, 0, today(20));
    expect(outlookOf(request(steep, { threshold: 2900, trendConfidence: 2 })).reachesAt).toBeGreaterThan(0);
    // With no day of history the trend is all there is, and is used as fitted.
    expect(outlookOf(request(today(5), { threshold: 2240, trendConfidence: 2 })).reachesAt).toBeGreaterThan(0);
  });

  it('scales the same time yesterday by how today compares, and finds when it reaches the threshold', () => {
    // Yesterday stepped from 2000 to 3500 ten periods after now; today runs 10% above yesterday.
    const series = dayWithStep(2000, 3500, 10, flat(2200, 40));
    const outlook = outlookOf(request(series));
    expect(outlook.basis).toBe('same time yesterday');
    expect(outlook.ratio).toBeCloseTo(1.1, 9);
    expect(outlook.level).toBe(2200);
    // The ±7 mean centred 10 periods ahead holds 8 periods of 3500 and 7 of 2000: 2800 × 1.1 = 3080, the first at or above 3000.
    expect(outlook.reachesAt).toBe(10);
    expect(outlook.value).toBeCloseTo(3080, 6);
  });

  it('stays below the threshold when yesterday stayed quiet, and reports the peak', () => {
    const outlook = outlookOf(request(dayWithStep(1000, 1200, 5, flat(1000, 40))));
    expect(outlook.reachesAt).toBe(-1);
    expect(outlook.value).toBeCloseTo(1200, 6);
    expect(outlook.valueAt).toBeGreaterThan(0);
  });

  it('takes the higher of yesterday and last week', () => {
    const week = 300;
    const series = flat(2000, week + 40);
    // Last week a jump to 4000 came 6 periods after this time (index 39 is a week before the latest period); yesterday stayed flat.
    for (let i = 39 + 6; i < 39 + 6 + 30; i++) series[i] = 4000;
    const outlook = outlookOf(request(series, { shape: { ...SHAPE, lags: [DAY, week] } }));
    expect(outlook.basis).toBe('same time yesterday and last week');
    expect(outlook.reachesAt).toBe(6);
  });

  it('lifts every value by the noise margin: noiseMargin standard deviations of the noise around the trend', () => {
    // Alternating ±100 around 2500: a standard deviation of about 4% of the mean.
    const noisy = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 2400 : 2600));
    const calm = outlookOf(request(noisy));
    expect(calm.reachesAt).toBe(-1);
    expect(calm.noise).toBeCloseTo(100 / 2500, 2);
    const lifted = outlookOf(request(noisy, { shape: { ...SHAPE, noiseMargin: 5 } }));
    // 2500 × (1 + 5 × 0.04) = 3000: the noisy level itself may already be hot.
    expect(lifted.value).toBeGreaterThanOrEqual(2990);
  });

  it("judges a longer period's average by a minute's noise: √(minutes per period) times the period's", () => {
    const noisy = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 2400 : 2600));
    const perPeriod = outlookOf(request(noisy)).noise;
    expect(outlookOf(request(noisy, { shape: { ...SHAPE, minuteNoiseScale: Math.sqrt(5) } })).noise).toBeCloseTo(
      perPeriod * Math.sqrt(5),
      9,
    );
  });

  it('answers "now" from the current level once it is at the threshold, without the fit or the lags', () => {
    const hot = dayWithStep(1000, 1000, 0, flat(3200, 40));
    const outlook = outlookOf(request(hot));
    expect(outlook).toMatchObject({ basis: 'current level', level: 3200, reachesAt: 0, value: 3200 });
    // Before a day of history the trend forecast still answers, so callers can tell the two apart.
    expect(outlookOf(request(flat(3200, 40))).basis).toBe('trend');
  });

  it('uses what data there is for starts, gaps and all', () => {
    const series = dayWithStep(2000, 3500, 5, flat(2000, 40));
    series[series.length - 2] = null;
    series[39 + 8] = null;
    expect(outlookOf(request(series)).reachesAt).toBeGreaterThan(0);
  });

  it('refuses to forecast from recent data with a gap when asked for complete data', () => {
    const recentGap = dayWithStep(2000, 2000, 5, flat(2000, 40));
    recentGap[recentGap.length - 20] = null;
    expect(forecastDemand(request(recentGap, { completeRecent: 30 }))).toEqual({ ok: false, missing: 'recent' });
  });

  it('forecasts from what a lag has when part of it is missing, and says so when asked for complete data', () => {
    const laggedGap = dayWithStep(2000, 3500, 10, flat(2000, 40));
    laggedGap[39 + 3] = null;
    const complete = outlookOf(request(laggedGap, { completeRecent: 30 }));
    expect(complete).toMatchObject({ basis: 'same time yesterday', reachesAt: 12, laggedGaps: true });
    expect(outlookOf(request(laggedGap)).laggedGaps).toBe(false);
    expect(outlookOf(request(dayWithStep(2000, 3500, 10, flat(2000, 40)), { completeRecent: 30 })).laggedGaps).toBe(false);
    // A gap older than anything the lag reads is no gap in what it says.
    const older = dayWithStep(2000, 3500, 10, flat(2000, 40));
    older[5] = null;
    expect(outlookOf(request(older, { completeRecent: 30 })).laggedGaps).toBe(false);
  });

  it('falls back to the trend when a lag has too little left to read', () => {
    const missingDay = [...flat(null, DAY), ...flat(2000, 40)];
    const outlook = outlookOf(request(missingDay, { completeRecent: 30 }));
    expect(outlook).toMatchObject({ basis: 'trend', laggedGaps: true });
  });

  it('trims the busiest and quietest recent periods when asked: a spike or a dip no longer carries the level, the trend or the noise', () => {
    const spiked = flat(200, 40);
    spiked[37] = 9000;
    const withSpike = outlookOf(request(spiked, { shape: { ...SHAPE, noiseMargin: 2 } }));
    expect(withSpike.reachesAt).toBe(0);
    const without = outlookOf(request(spiked, { shape: { ...SHAPE, noiseMargin: 2 }, trimPeriods: 2 }));
    expect(without).toMatchObject({ level: 200, slope: 0, noise: 0, reachesAt: -1 });
    // One quiet minute in steady 2800 rpm: its noise lifts 2800 past 3000 unless it is trimmed.
    const dipped = flat(2800, 40);
    dipped[35] = 0;
    expect(outlookOf(request(dipped, { shape: { ...SHAPE, noiseMargin: 2 } })).reachesAt).toBe(0);
    expect(outlookOf(request(dipped, { shape: { ...SHAPE, noiseMargin: 2 }, trimPeriods: 2 }))).toMatchObject({
      level: 2800,
      reachesAt: -1,
    });
    // A straight ramp keeps its line without its two latest (busiest) and two oldest (quietest) periods.
    const rising = Array.from({ length: 40 }, (_, i) => 2020 + 20 * i);
    const ramp = outlookOf(request(rising, { trimPeriods: 2 }));
    expect(ramp.slope).toBeCloseTo(20, 9);
    expect(ramp.reachesAt).toBe(10);
  });

  it("trims yesterday's windows alike when asked: a one-minute spike at this time yesterday does not carry today's forecast", () => {
    // Flat 2000 rpm yesterday and today; yesterday a 40,000-rpm minute 8 periods after this time.
    const series = dayWithStep(2000, 2000, 0, flat(2000, 40));
    series[39 + 8] = 40_000;
    expect(outlookOf(request(series)).reachesAt).toBeGreaterThan(0);
    expect(outlookOf(request(series, { trimPeriods: 2 }))).toMatchObject({ basis: 'same time yesterday', reachesAt: -1 });
    expect(outlookOf(request(series, { trimPeriods: 2 })).value).toBeCloseTo(2000, 6);
    // A real step yesterday, longer than the trim, still comes through: 3500 from 6 periods ahead.
    const stepped = dayWithStep(2000, 3500, 6, flat(2000, 40));
    expect(outlookOf(request(stepped, { trimPeriods: 2 })).reachesAt).toBeGreaterThan(0);
  });

  it('forecasts each step only as high as both lags agree when asked, and as the higher of them otherwise', () => {
    const week = 300;
    const series = flat(2000, week + 40);
    // Yesterday (index 239 is a day before the latest period) had a 20-minute burst at 4000 from 5 periods ahead; last week stayed flat.
    for (let i = 239 + 5; i < 239 + 25; i++) series[i] = 4000;
    const shape = { ...SHAPE, lags: [DAY, week] };
    expect(outlookOf(request(series, { shape })).reachesAt).toBe(5);
    expect(outlookOf(request(series, { shape, agreeingLags: true }))).toMatchObject({ reachesAt: -1, value: 2000 });
    // When last week had it too, it is a pattern: both agree.
    for (let i = 39 + 5; i < 39 + 25; i++) series[i] = 4000;
    expect(outlookOf(request(series, { shape, agreeingLags: true })).reachesAt).toBe(5);
    // With yesterday alone there is nothing to disagree with.
    expect(outlookOf(request(series.slice(week - DAY), { agreeingLags: true })).reachesAt).toBe(5);
  });

  it('reads the agreement lags instead when lags must agree, and names the days it read', () => {
    // Three "days" of 2000 rpm; yesterday alone had 4000 from 5 periods ahead for 20 periods.
    const series = flat(2000, 2 * DAY + 40);
    for (let i = DAY + 39 + 5; i < DAY + 39 + 25; i++) series[i] = 4000;
    const shape = { ...SHAPE, agreementLags: [DAY, 2 * DAY] };
    expect(outlookOf(request(series, { shape })).reachesAt).toBe(5);
    expect(outlookOf(request(series, { shape, agreeingLags: true }))).toMatchObject({
      basis: 'same time the last two days',
      reachesAt: -1,
    });
  });

  it('reads only the recent windows and the lag windows: older history changes nothing', () => {
    const series = dayWithStep(2000, 2900, 8, flat(2100, 40));
    const older = [...flat(9000, 500), ...series];
    expect(forecastDemand(request(older))).toEqual(forecastDemand(request(series)));
  });

  it('gives the same answer for the same input, whatever was asked before', () => {
    const series = dayWithStep(2000, 3500, 5, flat(2200, 40));
    const first = forecastDemand(request(series, { horizon: 60 }));
    forecastDemand(request(flat(1, 400), { horizon: 200 }));
    expect(forecastDemand(request(series, { horizon: 60 }))).toEqual(first);
  });
});
