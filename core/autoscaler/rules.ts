/**
 * The rules that say what a region should do, before any guard (in-flight operations, cooldown,
 * caps) has a say: remove what the config no longer lists, keep always-on regions running, keep
 * scheduled regions on inside their windows, and follow demand with hysteresis otherwise. A
 * stranded region (cluster up, no DNS record, nothing running) is read like a stopped one; when
 * no rule wants it up it is stopped, since left as it is it bills and serves nobody.
 */
import type { RegionThresholds } from '../config';
import { type AnticipationPlan, forecastStart, forecastStop } from './anticipation';
import type { ConfigView } from './config-view';
import { type DemandSeries, latestDemand, periodsAtOrAbove, periodsBelow, streakEnd } from './consecutive';
import { periods, rpm } from './reasons';
import { openWindow } from './schedules';
import type { DecisionRule } from './types';

/** A region that can be acted on: not unknown, not starting or stopping. */
export type SettledPhase = 'stopped' | 'standby' | 'stranded' | 'running';

/** Why a stranded region that no rule wants up is stopped. */
export const STRANDED_WHY =
  'cluster up without its DNS record and no workflow running (a start left half done, or warm standby now configured cold): it bills and serves nobody';

export type Wish =
  | { readonly want: 'start' | 'stop'; readonly rule: DecisionRule; readonly why: string }
  /** `reason` is the whole sentence: nothing needs doing. */
  | { readonly want: 'none'; readonly reason: string };

export interface RegionFacts {
  readonly region: string;
  readonly phase: SettledPhase;
  readonly series: DemandSeries;
  readonly thresholds: RegionThresholds;
  readonly now: number;
}

export function wishOf(view: ConfigView, facts: RegionFacts): Wish {
  const { region, phase } = facts;
  const isUp = phase === 'running';
  if (!view.configuredSet.has(region)) {
    return isUp || phase === 'standby' || phase === 'stranded'
      ? {
          want: 'stop',
          rule: 'removed-from-config',
          why: 'not in alwaysOn or scalable any more; regions removed from the config are stopped',
        }
      : { want: 'none', reason: 'kept stopped: not in the config' };
  }
  if (view.alwaysOn.has(region)) {
    return isUp
      ? { want: 'none', reason: `kept running: always-on region, never stopped (latest ${rpm(latestDemand(facts.series))} rpm)` }
      : { want: 'start', rule: 'always-on', why: `always-on region found ${phaseWords(phase)}; always-on regions are kept running` };
  }
  const windows = view.windows.get(region);
  const window = windows ? openWindow(windows, facts.now) : undefined;
  if (window) {
    return isUp
      ? { want: 'none', reason: `kept running: inside its keep-on schedule ${window.label}` }
      : { want: 'start', rule: 'schedule', why: `inside its keep-on schedule ${window.label}` };
  }
  const plan = view.anticipationOf(region);
  if (isUp) return scaleDownWish(facts, plan);
  const up = scaleUpWish(facts, plan);
  if (up.want !== 'none' || phase !== 'stranded') return up;
  return { want: 'stop', rule: 'stranded', why: `${STRANDED_WHY}; no rule wants it up (latest ${rpm(latestDemand(facts.series))} rpm)` };
}

function phaseWords(phase: SettledPhase): string {
  return phase === 'stranded' ? 'stranded (cluster up without its DNS record)' : phase;
}

/** Start after N consecutive periods at or above the scale-up threshold, or when the forecast reaches it within the start lead. */
function scaleUpWish({ phase, series, thresholds, now }: RegionFacts, plan: AnticipationPlan | undefined): Wish {
  const needed = thresholds.scaleUpPeriods;
  const threshold = thresholds.scaleUpRequestsPerMinute;
  const latest = rpm(latestDemand(series));
  const streak = periodsAtOrAbove(series, threshold, needed);
  if (streak >= needed) {
    return { want: 'start', rule: 'demand', why: `${periods(needed)} at or above ${threshold} rpm (latest ${latest})` };
  }
  const forecast = plan ? forecastStart(plan, series, threshold, now) : undefined;
  if (forecast?.start) return { want: 'start', rule: 'forecast', why: `${forecast.why}; latest ${latest} rpm` };
  const state = phase === 'standby' ? 'kept in warm standby' : 'kept stopped';
  return {
    want: 'none',
    reason: `${state}: ${streak} of ${periods(needed)} at or above ${threshold} rpm (latest ${latest})${gap(series, streak)}${forecast?.note ?? ''}`,
  };
}

/**
 * Stop after M consecutive periods below the scale-down threshold; a missing period breaks the
 * streak. With a seasonal forecast, stop when it stays below the scale-up threshold for the whole
 * lock-out instead, and never while it says demand comes back within it; a forecast that abstains
 * (no history yet, or gaps in it) leaves the decision to the streak.
 */
function scaleDownWish({ series, thresholds, now }: RegionFacts, plan: AnticipationPlan | undefined): Wish {
  const needed = thresholds.scaleDownPeriods;
  const threshold = thresholds.scaleDownRequestsPerMinute;
  const latest = rpm(latestDemand(series));
  const streak = periodsBelow(series, threshold, needed);
  const reactive = `${streak} of ${periods(needed)} below ${threshold} rpm (latest ${latest})`;
  const forecast = plan ? forecastStop(plan, series, thresholds.scaleUpRequestsPerMinute, now) : undefined;
  if (forecast && forecast.verdict === 'stop') return { want: 'stop', rule: 'forecast', why: `${forecast.why}; latest ${latest} rpm` };
  if (forecast && forecast.verdict === 'keep') return { want: 'none', reason: `kept running: ${forecast.why}; ${reactive}` };
  const abstains = forecast?.verdict === 'reactive' ? forecast.note : '';
  if (streak >= needed) {
    return { want: 'stop', rule: 'demand', why: `${periods(needed)} below ${threshold} rpm (latest ${latest})${abstains}` };
  }
  const missing = streakEnd(series, streak) === 'missing' ? '; missing data never stops a region' : '';
  return {
    want: 'none',
    reason: `kept running: ${reactive}${missing || gap(series, streak)}${abstains}`,
  };
}

/** Why a streak that fell short went no further back, when it was not simply a period on the other side of the threshold. */
function gap(series: DemandSeries, streak: number): string {
  const end = streakEnd(series, streak);
  if (end === 'missing') return streak === 0 ? '' : '; then a missing period';
  if (end === 'no-more-data') return series.length === 0 ? '; no demand data' : `; only ${periods(series.length)} of data`;
  return '';
}
