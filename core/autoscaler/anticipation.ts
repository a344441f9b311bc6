/**
 * The forecast-driven rules (config.prediction): start a region one start lead ahead of demand,
 * and stop it only when it will stay quiet for as long as a stop would keep it down.
 *
 * A cold start takes about 14 minutes, so the reactive rule (N periods at or above the threshold)
 * misses the first quarter hour of every ramp. The clairvoyant optimum starts each region exactly
 * one lead time before its first hot minute and stops it whenever the gap before the next one
 * outlasts a stop and restart; these rules do the same on a forecast instead of the future.
 *
 * A stop locks a region out for its stop, the cooldown after it and a restart, so the forecast
 * must stay below the threshold for all of that (and at least the break-even time), or the next
 * hot minute would find the region down with no way back in time. (A stop's cooldown holds forecast
 * starts, not demand starts, so the lock-out is what the forecast can count on, not a floor.)
 *
 * The forecast only ever adds to the reactive rules: a start must not rest on a burst shorter than
 * the scale-up streak (those periods are trimmed from every window it reads) nor on what only one
 * of the days it reads saw, nor on a peak only its noise margin lifts over the threshold (the
 * expected demand must clear it once the region serves), and a stop's forecast
 * abstains when the history it reads has gaps, leaving the reactive scale-down rule to decide.
 */
import { latestPeriodEnd } from './period-clock';
import type { KubeCdnConfig, RegionThresholds } from '../config';
import type { DemandSeries } from './consecutive';
import { type Forecast, forecastDemand, type ForecastShape, type Outlook } from './forecast';
import { rpm, utcClock } from './reasons';

// Math read once into a local: a forecast's reason is written for every region every tick, and under a
// test runner's vm context (Jest) every read of a global is an interceptor call a hundred times slower
// than a local's.
const { floor, round } = Math;

/** Share of the scale-up threshold used as the seasonal ratio's floor (see ForecastShape.ratioFloor). */
const RATIO_FLOOR_SHARE = 0.05;
/** Window lengths in minutes, converted to periods: long enough to average out noise, short enough to follow a ramp. */
const LEVEL_MINUTES = 10;
const LAG_HALF_WIDTH_MINUTES = 7;
const FIT_MINUTES = 30;
const DAY_MINUTES = 1440;
/**
 * Standard errors a start's expected-demand check takes off the trend's slope beside a seasonal
 * forecast: the slope of a line through half an hour of noisy demand is often a few rpm per period
 * either way by chance, and carried 45 periods ahead that alone can clear the threshold.
 */
const TREND_CONFIDENCE = 2;
const WEEK_MINUTES = 7 * DAY_MINUTES;

/** What the forecast rules need for one region, derived once per config. */
export interface AnticipationPlan {
  readonly shape: ForecastShape;
  readonly periodMs: number;
  /** config.demand.lagSeconds: a period is read only this long after it ends, so the latest one the engine sees is that old or older. */
  readonly dataLagMs: number;
  /** Minutes from StartRegion to serving. */
  readonly startMinutes: number;
  /** Minutes a stop keeps the region from serving again: stop + cooldown + restart, at least the break-even time. */
  readonly lockOutMinutes: number;
  readonly stopMinutes: number;
  readonly cooldownMinutes: number;
  /** Periods at the end of the series a stop needs complete: the fit window and the scale-down streak. */
  readonly completeRecent: number;
  /** Periods a start's forecast trims from each end of the recent window: one fewer than the scale-up streak. */
  readonly startTrim: number;
  /** The same forecast without its noise margin: what a start expects demand to be, not its noisy upper bound. */
  readonly expectedShape: ForecastShape;
  /** config.prediction.startMargin: the share of the threshold expected demand must clear for a forecast start. */
  readonly startMargin: number;
}

export function anticipationPlan(config: KubeCdnConfig, thresholds: RegionThresholds, warm: boolean): AnticipationPlan | undefined {
  const prediction = config.prediction;
  if (!prediction.enabled) return undefined;
  const periodMinutes = config.periodSeconds / 60;
  const periodsOf = (minutes: number) => Math.max(1, Math.round(minutes / periodMinutes));
  const startMinutes = warm ? prediction.warmStartMinutes : prediction.coldStartMinutes;
  const stopMinutes = warm ? prediction.warmStopMinutes : prediction.coldStopMinutes;
  const lockOutMinutes = Math.max(stopMinutes + thresholds.cooldownMinutes + startMinutes, prediction.breakEvenMinutes);
  const shape: ForecastShape = {
    levelPeriods: periodsOf(LEVEL_MINUTES),
    lagHalfWidth: Math.round(LAG_HALF_WIDTH_MINUTES / periodMinutes),
    fitPeriods: Math.max(3, periodsOf(FIT_MINUTES)),
    lags: prediction.weeklySeasonality ? [periodsOf(DAY_MINUTES), periodsOf(WEEK_MINUTES)] : [periodsOf(DAY_MINUTES)],
    // With a week of history held anyway, a start also asks the day before yesterday; without it, the
    // engine holds a day, and a start asks yesterday alone.
    agreementLags: prediction.weeklySeasonality
      ? [periodsOf(DAY_MINUTES), periodsOf(2 * DAY_MINUTES), periodsOf(WEEK_MINUTES)]
      : [periodsOf(DAY_MINUTES)],
    noiseMargin: prediction.noiseMargin,
    minuteNoiseScale: Math.sqrt(periodMinutes),
    ratioFloor: RATIO_FLOOR_SHARE * thresholds.scaleUpRequestsPerMinute,
  };
  return {
    shape,
    periodMs: config.periodSeconds * 1000,
    dataLagMs: config.demand.lagSeconds * 1000,
    startMinutes,
    lockOutMinutes,
    stopMinutes,
    cooldownMinutes: thresholds.cooldownMinutes,
    completeRecent: Math.max(shape.fitPeriods, thresholds.scaleDownPeriods),
    // At most a quarter of the fit window at each end, so that half of it is always left to fit.
    startTrim: Math.min(thresholds.scaleUpPeriods - 1, Math.floor(shape.fitPeriods / 4)),
    expectedShape: { ...shape, noiseMargin: 0 },
    startMargin: prediction.startMargin,
  };
}

/** The oldest period the plan's forecast reads, counted back from the latest. */
export function periodsReadBy(plan: AnticipationPlan): number {
  const { shape } = plan;
  const longestLag = Math.max(...shape.lags, ...(shape.agreementLags ?? []));
  return Math.max(shape.fitPeriods, plan.completeRecent, longestLag + shape.levelPeriods, longestLag + shape.lagHalfWidth + 1);
}

export type ForecastStart =
  | { readonly start: true; readonly why: string }
  | { readonly start: false; /** A clause for the reason, or '' when there is no forecast to speak of. */ readonly note: string };

/**
 * Whether a stopped region must start now to be serving when the forecast says demand arrives.
 * The forecast trims the busiest and quietest periods, one fewer than the scale-up streak at each
 * end, of the recent window and of every window it reads yesterday and last week: a burst the
 * reactive rule would not start on (a one-minute spike, say, today or at this time yesterday), or
 * a dip as short, must not start the region through the level, the seasonal shape, the trend or
 * the noise margin it inflates. A ramp keeps its line without its ends. With both lags, a step is
 * forecast only as high as every lag read agrees (yesterday, the day before and last week, with
 * weekly seasonality): a burst at this time on one day only is not a pattern to start a region on.
 */
export function forecastStart(plan: AnticipationPlan, series: DemandSeries, threshold: number, now: number): ForecastStart {
  const forecast = forecastDemand({
    series,
    shape: plan.shape,
    threshold,
    horizon: stepsBefore(plan, now, plan.startMinutes),
    completeRecent: 0,
    trimPeriods: plan.startTrim,
    agreeingLags: true,
  });
  if (!forecast.ok) return { start: false, note: '' };
  const { outlook } = forecast;
  const lead = `the ${plan.startMinutes}-min start lead`;
  if (outlook.reachesAt < 0) {
    return {
      start: false,
      note: `; forecast stays below ${threshold} rpm within ${lead} (peak ${round(outlook.value)} rpm ${inMinutes(plan, now, outlook.valueAt)}: ${briefBasisOf(outlook)})`,
    };
  }
  const expected = expectedOnceServing(plan, series, threshold, now);
  if (expected !== undefined) return { start: false, note: `; forecast reaches ${threshold} rpm within ${lead}, but ${expected}` };
  return {
    start: true,
    why: `forecast reaches ${threshold} rpm ${when(plan, outlook.reachesAt, now)}, within ${lead} (${rpm(round(outlook.value))} rpm: ${basisOf(plan, outlook)})`,
  };
}

/**
 * Undefined when demand is expected (the forecast without its noise margin) to clear the threshold
 * by `startMargin` at some step from when the region would serve to the cooldown after it, the
 * least a start keeps it running; otherwise why not, as a clause for the reason.
 *
 * The noise margin is what lets a start come a lead time ahead of a ramp's first noisy hot
 * minute; but a day whose peak is forecast to stop just short of the threshold reaches it through
 * the margin alone, and forecast error of a few percent makes such a start serve nothing about as
 * often as not. A ramp clears the threshold well within the cooldown; a near miss does not.
 */
function expectedOnceServing(plan: AnticipationPlan, series: DemandSeries, threshold: number, now: number): string | undefined {
  const bar = threshold * (1 + plan.startMargin);
  const serving = stepsBefore(plan, now, plan.startMinutes) - 1;
  const expected = forecastDemand({
    series,
    shape: plan.expectedShape,
    threshold: bar,
    horizon: stepsBefore(plan, now, plan.startMinutes + plan.cooldownMinutes),
    completeRecent: 0,
    trimPeriods: plan.startTrim,
    agreeingLags: true,
    firstStep: serving,
    trendConfidence: TREND_CONFIDENCE,
  });
  if (!expected.ok || expected.outlook.reachesAt >= 0) return undefined;
  const { outlook } = expected;
  return `expected demand peaks at ${round(outlook.value)} rpm ${inMinutes(plan, now, outlook.valueAt)}, short of ${round(bar)} rpm (${threshold} + ${round(plan.startMargin * 100)}%) in the ${plan.cooldownMinutes} min after it would serve`;
}

export type ForecastStop =
  | { readonly verdict: 'stop'; readonly why: string }
  | { readonly verdict: 'keep'; readonly why: string }
  /**
   * The forecast abstains and the reactive scale-down rule decides alone: no seasonal history yet,
   * or the history it would read has gaps (`note` then says so, as a clause for the reason).
   */
  | { readonly verdict: 'reactive'; readonly note: string };

const NO_HISTORY: ForecastStop = { verdict: 'reactive', note: '' };
const HISTORY_GAP: ForecastStop = { verdict: 'reactive', note: '; the forecast abstains: the same time yesterday or last week has a gap' };

/**
 * Whether a running region may stop: only on a seasonal forecast read from complete data that
 * stays below the threshold for the whole lock-out. A gap in the last periods keeps the region
 * running (missing current data never stops it). A gap in the history weakens the forecast: what
 * is there may still say demand comes back (keep), but a quiet forecast from part of the history
 * abstains, so the reactive rule, which needs its own complete quiet streak, decides.
 */
export function forecastStop(plan: AnticipationPlan, series: DemandSeries, threshold: number, now: number): ForecastStop {
  const forecast: Forecast = forecastDemand({
    series,
    shape: plan.shape,
    threshold,
    horizon: stepsBefore(plan, now, plan.lockOutMinutes),
    completeRecent: plan.completeRecent,
  });
  if (!forecast.ok) {
    if (forecast.missing === 'history') return NO_HISTORY;
    return {
      verdict: 'keep',
      why: `the forecast needs complete data and the last ${plan.completeRecent} periods have a gap; missing data never stops a region`,
    };
  }
  const { outlook } = forecast;
  if (outlook.basis === 'trend') return outlook.laggedGaps ? HISTORY_GAP : NO_HISTORY;
  const lockOut = `the ${plan.lockOutMinutes} min a stop would keep it down (${lockOutParts(plan)}`;
  if (outlook.reachesAt >= 0) {
    return {
      verdict: 'keep',
      why: `forecast reaches ${threshold} rpm ${inMinutes(plan, now, outlook.reachesAt)}, within ${lockOut}; ${round(outlook.value)} rpm: ${briefBasisOf(outlook)})`,
    };
  }
  if (outlook.laggedGaps) return HISTORY_GAP;
  return {
    verdict: 'stop',
    why: `forecast stays below ${threshold} rpm for ${lockOut}; peak ${rpm(round(outlook.value))} rpm ${inMinutes(plan, now, outlook.valueAt)}: ${basisOf(plan, outlook)})`,
  };
}

function lockOutParts(plan: AnticipationPlan): string {
  const parts = plan.stopMinutes + plan.cooldownMinutes + plan.startMinutes;
  return parts >= plan.lockOutMinutes
    ? `stop ${plan.stopMinutes} + cooldown ${plan.cooldownMinutes} + restart ${plan.startMinutes}`
    : `the break-even time of a stop and restart`;
}

/** "by 18:42Z": for actions, which an operator lines up with the dashboard. */
function when(plan: AnticipationPlan, step: number, now: number): string {
  const begins = stepBegins(plan, now, step);
  return begins <= now ? 'now' : `by ${utcClock(begins, now)}`;
}

/** "in 12 min": for the reasons of regions left as they are, written every tick, so kept cheap. */
function inMinutes(plan: AnticipationPlan, now: number, step: number): string {
  const minutes = round((stepBegins(plan, now, step) - now) / 60_000);
  return minutes <= 0 ? 'now' : `in ${minutes} min`;
}

/** When the period `step` steps after the latest one begins (step 0: the latest one's end, as if now). */
function stepBegins(plan: AnticipationPlan, now: number, step: number): number {
  return step === 0 ? now : latestPeriodEnd(now, plan.periodMs, plan.dataLagMs) + (step - 1) * plan.periodMs;
}

/**
 * Steps ahead that begin before `minutes` from now, plus one: the periods an action taken now
 * must answer for, since the next chance to act is a period later. The data's age counts: with a
 * 2-minute delivery lag, a 14-minute start must look 17 one-minute periods past the latest.
 */
function stepsBefore(plan: AnticipationPlan, now: number, minutes: number): number {
  const age = now - latestPeriodEnd(now, plan.periodMs, plan.dataLagMs);
  return floor((age + minutes * 60_000) / plan.periodMs) + 1;
}

/**
 * "same time yesterday × 1.08": what a forecast that changed nothing came from. Written every tick
 * for every region left as it is, so it is kept short; actions get the full basisOf.
 */
function briefBasisOf(outlook: Outlook): string {
  if (outlook.basis === 'current level') return outlook.basis;
  return outlook.basis === 'trend' ? `trend ${round(outlook.slope)} rpm per period` : `${outlook.basis} × ${outlook.ratio.toFixed(2)}`;
}

/** "same time yesterday × 1.08, level 2710 rpm, noise 6.9% with a 2σ margin": what the forecast came from. */
function basisOf(plan: AnticipationPlan, outlook: Outlook): string {
  if (outlook.basis === 'current level') return `current level over the last ${plan.shape.levelPeriods} periods`;
  const noise = `noise ${(outlook.noise * 100).toFixed(1)}% with a ${plan.shape.noiseMargin}σ margin`;
  if (outlook.basis === 'trend') {
    const sign = outlook.slope >= 0 ? '+' : '';
    return `trend ${sign}${outlook.slope.toFixed(1)} rpm per period from level ${rpm(round(outlook.level))} rpm, ${noise}`;
  }
  return `${outlook.basis} × ${outlook.ratio.toFixed(2)}, level ${rpm(round(outlook.level))} rpm, ${noise}`;
}
