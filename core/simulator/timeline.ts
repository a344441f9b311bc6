/**
 * A region's schedule as one phase per minute, and the totals read off it. The simulator, the
 * oracle and the baselines all produce timelines and are all accounted here, so "cost" and
 * "served" mean the same thing in every column of the report.
 */
import type { RegionCostProfile } from './cost-model';

// Builtins read once into locals: the simulator runs this for every region every minute, and under
// a test runner's vm context (Jest) every read of a global (Number) is an interceptor call a
// hundred times slower than a local's.
const numberIsNaN = Number.isNaN;

/** Phase of a region during one minute. Stopped includes warm standby (the profile prices it). */
export const STOPPED = 0;
export const STARTING = 1;
export const RUNNING = 2;
export const STOPPING = 3;
export type Phase = typeof STOPPED | typeof STARTING | typeof RUNNING | typeof STOPPING;

export interface TimelineTotals {
  /** USD over the timeline. */
  readonly cost: number;
  /** Requests in minutes with data (missing minutes count for nothing). */
  readonly requests: number;
  /** Requests in minutes the region was running, i.e. served in its own region. */
  readonly servedRequests: number;
  /** Requests in minutes at or above the scale-up threshold. */
  readonly hotRequests: number;
  readonly hotServedRequests: number;
  /** Minutes at or above the scale-up threshold. */
  readonly hotMinutes: number;
  readonly runningMinutes: number;
  readonly startingMinutes: number;
  readonly stoppingMinutes: number;
  /** Starts and stops begun (one per run of starting or stopping minutes). */
  readonly starts: number;
  readonly stops: number;
}

/** True where demand is at or above the threshold; missing data (NaN) is never hot. */
export function hotMinutes(demand: Float64Array, threshold: number): Uint8Array {
  const hot = new Uint8Array(demand.length);
  for (let m = 0; m < demand.length; m++) hot[m] = demand[m]! >= threshold ? 1 : 0;
  return hot;
}

/**
 * Totals of a timeline. A transition bills its per-minute costs from its first minute, so a run
 * of starting minutes cut off by the end of the trace bills only the minutes it had.
 */
export function timelineTotals(phases: Uint8Array, demand: Float64Array, hotThreshold: number, profile: RegionCostProfile): TimelineTotals {
  let cost = 0;
  let requests = 0;
  let servedRequests = 0;
  let hotRequests = 0;
  let hotServedRequests = 0;
  let hotCount = 0;
  let runningMinutes = 0;
  let startingMinutes = 0;
  let stoppingMinutes = 0;
  let starts = 0;
  let stops = 0;
  let offset = 0; // minutes into the current transition
  let previous = -1;

  for (let m = 0; m < phases.length; m++) {
    const phase = phases[m]!;
    offset = phase === previous ? offset + 1 : 0;
    previous = phase;
    const value = demand[m]!;
    const known = !numberIsNaN(value);
    const hot = known && value >= hotThreshold;
    if (known) requests += value;
    if (hot) {
      hotRequests += value;
      hotCount++;
    }
    switch (phase) {
      case RUNNING:
        cost += profile.runningPerMinute;
        runningMinutes++;
        if (known) servedRequests += value;
        if (hot) hotServedRequests += value;
        break;
      case STARTING:
        if (offset === 0) starts++;
        cost += profile.startMinuteCosts[offset % profile.startMinuteCosts.length]!;
        startingMinutes++;
        break;
      case STOPPING:
        if (offset === 0) stops++;
        cost += profile.stopMinuteCosts[offset % profile.stopMinuteCosts.length]!;
        stoppingMinutes++;
        break;
      default:
        cost += profile.stoppedPerMinute;
    }
  }
  return {
    cost,
    requests,
    servedRequests,
    hotRequests,
    hotServedRequests,
    hotMinutes: hotCount,
    runningMinutes,
    startingMinutes,
    stoppingMinutes,
    starts,
    stops,
  };
}

/** A share as a percentage, 100 when there is nothing to share (no demand means none was missed). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 100;
}
