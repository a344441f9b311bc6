/**
 * A region's demand over the next few periods, forecast from what the engine already reads:
 * today's level, the same time yesterday and last week (their shape over the coming periods,
 * scaled by how today's level compares with theirs), and a straight line through the last half
 * hour for the short-term trend and the noise around it.
 *
 * The forecast is an upper one: each value carries `noiseMargin` standard deviations of the
 * minute-to-minute noise, because a region must be serving in every minute demand is at or above
 * its threshold, not only when the average is.
 *
 * Cheap by construction, since the simulator asks for every region every minute: it reads the
 * last `fitPeriods` periods and, per lag, a window as long as the horizon, never the whole history.
 *
 * Missing history weakens the forecast instead of silencing it: a lag with gaps is read for what
 * it has (or left out when too little is there), and the outlook says so, so that a caller who
 * needs complete data can refuse to act on a quiet forecast without refusing a busy one.
 */
import type { DemandSeries } from './consecutive';
import { type TrimmedLagReader, trimmedLagReader, trimmedSeasonalInto } from './trimmed-lag';

// Builtins read once into locals: the simulator runs these loops for every region every minute, and
// under a test runner's vm context (Jest) every read of a global (Math, Number, NaN, Infinity) is an
// interceptor call a hundred times slower than a local's.
const { abs, max, min, sqrt } = Math;
const numberIsNaN = Number.isNaN;
const NAN = Number.NaN;
const INFINITY = Number.POSITIVE_INFINITY;

export interface ForecastShape {
  /** Periods averaged for today's level, and for the level at each lag it is compared with. */
  readonly levelPeriods: number;
  /** Half-width, in periods, of the centred mean read at each lag for each step ahead. */
  readonly lagHalfWidth: number;
  /** Periods fitted with a straight line for the trend and the noise around it. */
  readonly fitPeriods: number;
  /** Seasonal lags in periods (a day, a week), shortest first. */
  readonly lags: readonly number[];
  /**
   * The lags read when they must agree (ForecastRequest.agreeingLags), shortest first; default
   * `lags`. A start reads the day before yesterday too: a burst at this time on one day only is
   * then found out even before there is a week of history. Each must lie within the longest of
   * `lags`, so the history the engine holds is the same.
   */
  readonly agreementLags?: readonly number[];
  /** Standard deviations of noise added to every forecast value. */
  readonly noiseMargin: number;
  /**
   * Noise of one minute over noise of one period's average: √(minutes per period) for independent
   * minutes. Demand is judged minute by minute, and a five-minute average hides most of its noise.
   */
  readonly minuteNoiseScale: number;
  /** Requests per minute added to both levels of the seasonal ratio, so a near-empty yesterday cannot blow it up. */
  readonly ratioFloor: number;
}

/** Which of the daily lags a seasonal forecast read. */
type SeasonalDays = 'yesterday' | 'the last two days' | 'the day before yesterday';

export type ForecastBasis =
  | `same time ${SeasonalDays}`
  | 'same time last week'
  | `same time ${SeasonalDays} and last week`
  | 'trend'
  /** Today's level is already at or above the threshold: nothing ahead can change the answer. */
  | 'current level';

export interface Outlook {
  readonly basis: ForecastBasis;
  /** Mean demand over the last levelPeriods periods (rpm). */
  readonly level: number;
  /** Standard deviation of a minute's demand around the trend of the last fitPeriods periods, as a share of their mean. */
  readonly noise: number;
  /** Trend of the last fitPeriods periods, rpm per period. */
  readonly slope: number;
  /** Today's level over the lag's level (the highest lag's, when there are two); NaN for a trend forecast. */
  readonly ratio: number;
  /** First step ahead (0 = the current period, as noisy as it is) whose upper forecast is at or above the threshold; -1 if none. */
  readonly reachesAt: number;
  /** The upper forecast at reachesAt, or the highest over the horizon when it never reaches the threshold. */
  readonly value: number;
  /** The step of `value`. */
  readonly valueAt: number;
  /**
   * With `completeRecent` set: a lag the history reaches had missing periods where the forecast
   * reads it, so what the forecast says about the coming periods rests on part of that history.
   */
  readonly laggedGaps: boolean;
}

export type Forecast =
  | { readonly ok: true; readonly outlook: Outlook }
  /** history: too few periods for any forecast. recent: the last periods have gaps. */
  | { readonly ok: false; readonly missing: 'history' | 'recent' };

export interface ForecastRequest {
  readonly series: DemandSeries;
  readonly shape: ForecastShape;
  readonly threshold: number;
  /** Steps ahead to look at, 1 or more. */
  readonly horizon: number;
  /**
   * Periods at the end of the series that must all be present, and gaps in the lags reported
   * (Outlook.laggedGaps): set for stops, so missing data can never be what makes a forecast quiet.
   * 0 = use whatever is there (starts).
   */
  readonly completeRecent: number;
  /**
   * Periods of the recent fit window left out at each end, the busiest and the quietest, as if
   * missing (default 0). A start asks with one fewer than its scale-up streak, so that no burst too
   * short for the reactive rule (nor a dip as short) can carry the level, the trend or the noise
   * margin to the threshold on its own. Each lag's windows (its level and every step's centred
   * window) are trimmed alike: a one-minute spike yesterday must not start the region today.
   */
  readonly trimPeriods?: number;
  /**
   * Combine the seasonal lags by the lowest instead of the highest (default false): each step is
   * forecast only as high as every lag read agrees, and when more than one lag is asked, a lag
   * read alone (the others missing or not yet in the history) is not used: the trend decides. A
   * start asks for this, so that demand seen at this time on one day only (a burst yesterday that
   * last week did not have) does not start a region; a stop keeps the highest, since any lag
   * saying demand comes back must keep it running.
   */
  readonly agreeingLags?: boolean;
  /**
   * The first step ahead that counts for `reachesAt` and `value` (default 0, the current period):
   * a start asks what demand will be once the region serves, not what it is while it starts.
   */
  readonly firstStep?: number;
  /**
   * Standard errors the trend's slope is moved toward 0 before it is extended beside a seasonal
   * forecast (default 0; a trend with no seasonal lag read is used as fitted): a start that asks
   * what demand is expected to be must not rest on a slope half an hour of noise can draw.
   */
  readonly trendConfidence?: number;
}

// Per-step forecast scratch and the recent window, reused across calls: the engine is synchronous and never re-entered.
let scratch = new Float64Array(128);
let recentScratch = new Float64Array(64);
let lagScratch = new Float64Array(128);

function isGap(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined;
}

export function forecastDemand(request: ForecastRequest): Forecast {
  const { series, shape, threshold, horizon, completeRecent } = request;
  const complete = completeRecent > 0;
  const n = series.length;
  const fit = shape.fitPeriods;
  if (n < fit || n < completeRecent) return { ok: false, missing: 'history' };
  for (let i = n - completeRecent; i < n; i++) if (isGap(series[i])) return { ok: false, missing: 'recent' };

  // Today's recent window, NaN where missing or left out: the level, the trend and the noise are read from it.
  const trim = request.trimPeriods ?? 0;
  const recent = recentWindow(series, fit, trim);
  const level = meanOf(recent, fit - min(shape.levelPeriods, fit), fit);
  if (numberIsNaN(level)) return { ok: false, missing: 'recent' };
  // A region already at the threshold reaches it now whatever comes next; the simulator asks this of
  // every running region every minute, so the answer is given without the fit and the lags. Only
  // once seasonal history exists: before that, the caller treats trend forecasts differently.
  if (level >= threshold && n >= shape.lags[0]! + shape.levelPeriods) {
    return {
      ok: true,
      outlook: {
        basis: 'current level',
        level,
        noise: NAN,
        slope: NAN,
        ratio: NAN,
        reachesAt: 0,
        value: level,
        valueAt: 0,
        laggedGaps: false,
      },
    };
  }

  // Least squares line through the known periods of the fit window: trend and noise.
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXX = 0;
  let sumXY = 0;
  for (let x = 0; x < fit; x++) {
    const y = recent[x]!;
    if (numberIsNaN(y)) continue;
    count++;
    sumX += x;
    sumY += y;
    sumXX += x * x;
    sumXY += x * y;
  }
  if (count * 2 < fit) return { ok: false, missing: 'recent' };
  const meanY = sumY / count;
  const spread = count * sumXX - sumX * sumX;
  const slope = spread > 0 ? (count * sumXY - sumX * sumY) / spread : 0;
  const intercept = (sumY - slope * sumX) / count;
  let squares = 0;
  for (let x = 0; x < fit; x++) {
    const y = recent[x]!;
    if (numberIsNaN(y)) continue;
    const residual = y - (intercept + slope * x);
    squares += residual * residual;
  }
  const noise = (shape.minuteNoiseScale * sqrt(squares / count)) / max(meanY, shape.ratioFloor);
  const lift = 1 + shape.noiseMargin * noise;

  if (scratch.length < horizon + 1) scratch = new Float64Array(horizon + 1);
  const ahead = scratch;
  ahead.fill(-INFINITY, 0, horizon + 1);
  const agree = request.agreeingLags === true;
  if (agree && lagScratch.length < horizon + 1) lagScratch = new Float64Array(horizon + 1);
  let lagsUsed = 0;
  let usedDaily = false;
  let usedDayBefore = false;
  let usedWeekly = false;
  let ratio = NAN;
  let laggedGaps = false;
  const lags = agree ? (shape.agreementLags ?? shape.lags) : shape.lags;
  const daily = shape.lags[0];
  // Read once per forecast, at its first lag: see trimmed-lag.ts.
  let trimmed: TrimmedLagReader | undefined;
  for (let l = 0; l < lags.length; l++) {
    const lag = lags[l]!;
    // The lag must cover today's level window and lie wholly in the past over the horizon.
    if (n < lag + shape.levelPeriods || lag <= horizon + shape.lagHalfWidth) continue;
    if (complete && lagHasGap(series, lag, shape, horizon)) laggedGaps = true;
    if (agree) lagScratch.fill(-INFINITY, 0, horizon + 1);
    const into = agree ? lagScratch : ahead;
    const used =
      trim > 0
        ? trimmedSeasonalInto((trimmed ??= trimmedLagReader(series, shape, trim)), into, lag, level, horizon)
        : seasonalInto(into, series, lag, level, shape, horizon);
    if (used === 'skipped') continue;
    // Agreeing lags: the first lag read sets each step, every next one can only lower it.
    if (agree) for (let h = 1; h <= horizon; h++) ahead[h] = lagsUsed === 0 ? lagScratch[h]! : min(ahead[h]!, lagScratch[h]!);
    lagsUsed++;
    ratio = used;
    if (lag === daily) usedDaily = true;
    else if (daily !== undefined && lag === 2 * daily) usedDayBefore = true;
    else usedWeekly = true;
  }
  // Agreement needs two days to agree: one day read alone (the others missing, or not yet in the
  // history) is a burst as much as a pattern, so the seasonal part is left out and the trend decides.
  if (agree && lags.length > 1 && lagsUsed === 1) {
    ahead.fill(-INFINITY, 0, horizon + 1);
    lagsUsed = 0;
    usedDaily = usedDayBefore = usedWeekly = false;
    ratio = NAN;
  }
  // The trend alone when there is no seasonal history; beside it otherwise, for what yesterday did not do.
  const trendEnd = intercept + slope * (fit - 1);
  // Beside a seasonal forecast the trend adds only what it can tell from noise; alone, it is all there is.
  const sureSlope = lagsUsed > 0 ? trendSlope(slope, squares, count, spread, request.trendConfidence ?? 0) : slope;
  for (let h = 1; h <= horizon; h++) ahead[h] = max(ahead[h]!, trendEnd + sureSlope * h);
  ahead[0] = level;

  let reachesAt = -1;
  let value = -INFINITY;
  let valueAt = 0;
  for (let h = request.firstStep ?? 0; h <= horizon; h++) {
    const upper = max(0, ahead[h]!) * lift;
    if (upper >= threshold) {
      reachesAt = h;
      value = upper;
      valueAt = h;
      break;
    }
    if (upper > value) {
      value = upper;
      valueAt = h;
    }
  }
  const days: SeasonalDays | undefined =
    usedDaily && usedDayBefore ? 'the last two days' : usedDayBefore ? 'the day before yesterday' : usedDaily ? 'yesterday' : undefined;
  const basis: ForecastBasis =
    lagsUsed === 0
      ? 'trend'
      : days === undefined
        ? 'same time last week'
        : usedWeekly
          ? `same time ${days} and last week`
          : `same time ${days}`;
  return { ok: true, outlook: { basis, level, noise, slope, ratio, reachesAt, value, valueAt, laggedGaps } };
}

/**
 * The slope moved `confidence` standard errors toward 0 (0 = the fitted slope), and never past it:
 * the slope a straight line through noise would not have given by chance.
 */
function trendSlope(slope: number, squares: number, count: number, spread: number, confidence: number): number {
  if (confidence === 0 || count < 3 || spread <= 0) return slope;
  // Standard error of a least-squares slope: residual deviation over the root of Σ(x - mean x)², which is spread / count.
  const error = sqrt(squares / (count - 2) / (spread / count));
  const shrunk = abs(slope) - confidence * error;
  return shrunk <= 0 ? 0 : slope < 0 ? -shrunk : shrunk;
}

/**
 * The last `fit` periods as numbers, NaN where missing, with the `trim` busiest and the `trim`
 * quietest known ones turned to NaN too. Ties go to the oldest, so a flat window keeps its latest
 * periods (and today's level) whatever is trimmed.
 */
function recentWindow(series: DemandSeries, fit: number, trim: number): Float64Array {
  if (recentScratch.length < fit) recentScratch = new Float64Array(fit);
  const recent = recentScratch;
  const n = series.length;
  for (let x = 0; x < fit; x++) {
    const value = series[n - fit + x];
    recent[x] = isGap(value) ? NAN : value;
  }
  for (let k = 0; k < trim; k++) {
    let busiest = -1;
    let quietest = -1;
    for (let x = 0; x < fit; x++) {
      const value = recent[x]!;
      if (numberIsNaN(value)) continue;
      if (busiest < 0 || value > recent[busiest]!) busiest = x;
      if (quietest < 0 || value < recent[quietest]!) quietest = x;
    }
    if (busiest < 0) break;
    recent[busiest] = NAN;
    if (quietest !== busiest) recent[quietest] = NAN;
  }
  return recent;
}

/** Mean of the known values in [from, to), NaN when fewer than half are known. */
function meanOf(series: DemandSeries | Float64Array, from: number, to: number): number {
  let sum = 0;
  let known = 0;
  for (let i = max(0, from); i < to; i++) {
    const value = series[i];
    if (value === null || value === undefined || numberIsNaN(value)) continue;
    sum += value;
    known++;
  }
  return known * 2 < to - from ? NAN : sum / known;
}

/** Whether anything a lag's forecast reads (its level window, its steps over the horizon) is missing. */
function lagHasGap(series: DemandSeries, lag: number, shape: ForecastShape, horizon: number): boolean {
  const n = series.length;
  const k = shape.lagHalfWidth;
  return hasGap(series, n - lag - shape.levelPeriods, n - lag) || hasGap(series, n - lag - k, n - lag + horizon + k);
}

/**
 * Raises ahead[1..horizon] to the lag's forecast: its centred mean at each step, times today's
 * level over its level then. Returns the ratio, or 'skipped' when the lag has too many gaps to use.
 */
function seasonalInto(
  ahead: Float64Array,
  series: DemandSeries,
  lag: number,
  level: number,
  shape: ForecastShape,
  horizon: number,
): number | 'skipped' {
  const n = series.length;
  const levelFrom = n - lag - shape.levelPeriods;
  const then = meanOf(series, levelFrom, n - lag);
  if (numberIsNaN(then)) return 'skipped';
  const ratio = (level + shape.ratioFloor) / (then + shape.ratioFloor);

  // A sliding window centred on the lagged step: [centre - k, centre + k].
  const k = shape.lagHalfWidth;
  const first = n - 1 - lag + 1 - k;
  let sum = 0;
  let known = 0;
  for (let i = first; i <= first + 2 * k; i++) {
    const value = series[i];
    if (!isGap(value)) {
      sum += value;
      known++;
    }
  }
  let previous = NAN;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const leaving = series[first + h - 2];
      const entering = series[first + h - 1 + 2 * k];
      if (!isGap(leaving)) {
        sum -= leaving;
        known--;
      }
      if (!isGap(entering)) {
        sum += entering;
        known++;
      }
    }
    // A step whose window is mostly missing takes the step before it.
    const mean = known * 2 > 2 * k ? sum / known : previous;
    previous = mean;
    if (!numberIsNaN(mean)) ahead[h] = max(ahead[h]!, mean * ratio);
  }
  return ratio;
}

function hasGap(series: DemandSeries, from: number, to: number): boolean {
  for (let i = max(0, from); i < to; i++) if (isGap(series[i])) return true;
  return false;
}
