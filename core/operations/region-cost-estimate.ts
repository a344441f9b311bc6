/**
 * An estimate of what each region has cost so far, for `kubecdn status`: the region's billing
 * phases reconstructed from its StartRegion/StopRegion executions, priced minute by minute with the
 * simulator's cost model (core/simulator/cost-model.ts), so status and simulate price a region alike.
 *
 * The reconstruction, per region, over [from, now]:
 * - while a StartRegion runs the region is starting, priced as the model's start minutes (for a
 *   cold start the control plane alone while the cluster is created), then the running rate;
 * - while a StopRegion runs it is stopping, priced as the model's stop minutes;
 * - after a succeeded start it is up (the running rate); after a succeeded stop, down (nothing, or
 *   the control plane for warm standby); a start that did not succeed rolled back, so down; a stop
 *   that did not succeed left it up (the workflow is retried, and up is the dearer guess);
 * - before its first execution in the window it was in the state that execution left from (down
 *   before a start, up before a stop); with none in the window, as the last earlier one left it,
 *   or else as it is now.
 * Always-on regions are counted up throughout. Traffic-driven charges (load balancer capacity
 * units, data transfer), CloudWatch and the control stack's own resources are not counted.
 */
import type { KubeCdnConfig } from '../config';
import { type CostModel, regionCostProfile, type RegionCostProfile } from '../simulator/cost-model';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** One StartRegion or StopRegion execution, as ListExecutions lists it, with the region it was for. */
export interface RegionExecution {
  readonly action: 'start' | 'stop';
  readonly region: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** Epoch ms. */
  readonly startMs: number;
  /** Epoch ms; undefined while it runs. */
  readonly stopMs?: number;
}

export type BillingState = 'up' | 'down' | 'starting' | 'stopping';

export interface BillingInterval {
  readonly state: BillingState;
  /** Epoch ms, [from, to). */
  readonly from: number;
  readonly to: number;
  /** For starting and stopping: when the execution began, which the model's per-minute transition costs count from. */
  readonly since?: number;
}

const MINUTE_MS = 60_000;

/** The state a finished (or still running) execution leaves the region in. */
function stateAfter(execution: RegionExecution): BillingState {
  if (execution.stopMs === undefined) return execution.action === 'start' ? 'starting' : 'stopping';
  if (execution.action === 'start') return execution.status === 'SUCCEEDED' ? 'up' : 'down';
  return execution.status === 'SUCCEEDED' ? 'down' : 'up';
}

/**
 * The region's billing intervals over [from, now], covering it without gaps. `current` is the state
 * assumed when no execution says otherwise (see the module comment). Executions overlapping one
 * another (which the region lock prevents) are taken in start order, each from where the last ended.
 */
export function billingIntervals(
  executions: readonly RegionExecution[],
  from: number,
  now: number,
  current: 'up' | 'down',
): BillingInterval[] {
  const sorted = [...executions].filter((e) => e.startMs < now).sort((a, b) => a.startMs - b.startMs);
  const inWindow = sorted.filter((e) => (e.stopMs ?? now) > from);
  const earlier = sorted.filter((e) => (e.stopMs ?? now) <= from);
  let state: BillingState;
  if (inWindow.length > 0) state = inWindow[0]!.action === 'start' ? 'down' : 'up';
  else if (earlier.length > 0) state = stateAfter(earlier[earlier.length - 1]!);
  else state = current;

  const intervals: BillingInterval[] = [];
  const push = (interval: BillingInterval) => {
    const clipped = { ...interval, from: Math.max(interval.from, from), to: Math.min(interval.to, now) };
    if (clipped.to > clipped.from) intervals.push(clipped);
  };
  let cursor = from;
  for (const execution of inWindow) {
    const begins = Math.max(execution.startMs, cursor);
    push({ state, from: cursor, to: begins });
    const ends = execution.stopMs ?? now;
    push({ state: execution.action === 'start' ? 'starting' : 'stopping', from: begins, to: ends, since: execution.startMs });
    state = stateAfter(execution);
    cursor = Math.max(cursor, ends);
  }
  push({ state, from: cursor, to: now });
  return intervals;
}

/** USD per minute in the `minute`-th minute of an interval in `state` (counted from its execution's start for transitions). */
function ratePerMinute(profile: RegionCostProfile, state: BillingState, minute: number): number {
  switch (state) {
    case 'up':
      return profile.runningPerMinute;
    case 'down':
      return profile.stoppedPerMinute;
    case 'starting':
      // A start that runs longer than the model's lead time bills the running rate for the rest.
      return minute < profile.startMinuteCosts.length ? profile.startMinuteCosts[minute]! : profile.runningPerMinute;
    case 'stopping': {
      // Longer than the model's stop: the last phase (the cluster being deleted, or the warm drain) goes on.
      const costs = profile.stopMinuteCosts;
      return costs.length === 0 ? profile.stoppedPerMinute : costs[Math.min(minute, costs.length - 1)]!;
    }
  }
}

/** USD the intervals cost inside [from, to), prorated to the millisecond. */
export function intervalsCost(profile: RegionCostProfile, intervals: readonly BillingInterval[], from: number, to: number): number {
  let total = 0;
  for (const interval of intervals) {
    const start = Math.max(interval.from, from);
    const end = Math.min(interval.to, to);
    if (end <= start) continue;
    if (interval.state === 'up' || interval.state === 'down') {
      total += (ratePerMinute(profile, interval.state, 0) * (end - start)) / MINUTE_MS;
      continue;
    }
    const origin = interval.since ?? interval.from;
    for (let minute = Math.floor((start - origin) / MINUTE_MS); origin + minute * MINUTE_MS < end; minute++) {
      const overlap = Math.min(end, origin + (minute + 1) * MINUTE_MS) - Math.max(start, origin + minute * MINUTE_MS);
      if (overlap > 0) total += (ratePerMinute(profile, interval.state, minute) * overlap) / MINUTE_MS;
    }
  }
  return total;
}

export interface CostEstimate {
  /** USD since 00:00 UTC today. */
  readonly today: number;
  /** USD since 00:00 UTC on the first of this month. */
  readonly monthToDate: number;
}

export function startOfUtcDay(now: number): number {
  return Math.floor(now / 86_400_000) * 86_400_000;
}

export function startOfUtcMonth(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * One region's estimate today and month to date. `current` is how the region reads now (up for
 * serving, stranded or stopping; down otherwise), the fallback when no execution tells.
 */
export function estimateRegionCost(input: {
  readonly config: KubeCdnConfig;
  readonly model: CostModel;
  readonly region: string;
  readonly executions: readonly RegionExecution[];
  readonly current: 'up' | 'down';
  readonly now: number;
}): CostEstimate {
  const { config, model, region, now } = input;
  const monthStart = startOfUtcMonth(now);
  const profile = regionCostProfile(model, config, region);
  const intervals = config.alwaysOn.includes(region)
    ? [{ state: 'up' as const, from: monthStart, to: now }]
    : billingIntervals(input.executions, monthStart, now, input.current);
  return {
    today: intervalsCost(profile, intervals, startOfUtcDay(now), now),
    monthToDate: intervalsCost(profile, intervals, monthStart, now),
  };
}
