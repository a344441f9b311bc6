/**
 * Guards that hold a region whatever the rules say: a state nobody could read, an operation
 * already running (a start, a stop or a Kubernetes upgrade), a region mid-transition, and the cooldown after its last transition (which a
 * demand start after a stop and an operator's override pass: see cooldownHolds).
 */
import type { RegionThresholds } from '../config';
import { utcClock } from './reasons';
import type { DecisionRule, HoldCause, RegionStatus } from './types';

export interface Hold {
  readonly heldBy: HoldCause;
  readonly reason: string;
}

/** Why a stop is held when the overrides could not be read: the region may be pinned on. */
export const OVERRIDES_UNREADABLE =
  'held: the overrides could not be read this tick, and the region may be pinned on, so nothing is stopped';

const IN_FLIGHT = {
  start: 'a StartRegion execution is in flight',
  stop: 'a StopRegion execution is in flight',
  upgrade: 'a Kubernetes upgrade (UpgradeRegion execution) is running and holds the region lock',
} as const;

/** Holds a region the engine must not touch at all this tick, or undefined when it may be decided. */
export function holdBeforeRules(status: RegionStatus): Hold | undefined {
  if (status.operationInFlight) {
    return { heldBy: 'operation-in-flight', reason: `held: ${IN_FLIGHT[status.operationInFlight]}` };
  }
  if (status.phase === 'unknown') {
    return { heldBy: 'unknown-state', reason: 'held: its state could not be read this tick' };
  }
  if (status.phase === 'starting' || status.phase === 'stopping') {
    return { heldBy: 'transitioning', reason: `held: region is ${status.phase}` };
  }
  return undefined;
}

/**
 * When the cooldown after the region's last transition ends, or undefined when it is not cooling
 * down. The cooldown is a half-open interval: at exactly lastTransitionAt + cooldown it may act.
 */
export function cooldownEnd(status: RegionStatus, thresholds: RegionThresholds, now: number): number | undefined {
  if (status.lastTransitionAt === undefined) return undefined;
  const end = status.lastTransitionAt + thresholds.cooldownMinutes * 60_000;
  return now < end ? end : undefined;
}

/**
 * Whether the cooldown holds this wish. It keeps a started region running for its length (so no
 * stop follows a start too soon) and holds forecast, schedule and always-on starts after a stop.
 * A demand start after a stop passes: its scale-up streak is delivered hot demand, the stop's cost
 * is already paid, and holding it would leave the region down through the peak it measured (a
 * half-hour peak right after a stop would be missed whole). A stranded region's last transition may
 * have been a start, so it keeps the cooldown. An override passes: the cooldown keeps the
 * autoscaler's own decisions from flapping, and a pin is an operator's deliberate act (overrides.ts).
 */
export function cooldownHolds(status: RegionStatus, want: 'start' | 'stop', rule: DecisionRule): boolean {
  if (rule === 'override') return false;
  return !(want === 'start' && rule === 'demand' && (status.phase === 'stopped' || status.phase === 'standby'));
}

export function cooldownHold(status: RegionStatus, end: number, thresholds: RegionThresholds, now: number, wouldDo: string): Hold {
  // A settled region's phase tells which transition it was: running after a start, down after a stop.
  // A stranded region's last completed workflow may have been either (a warm stop, or a start whose record went since).
  const after = status.phase === 'running' ? 'start' : status.phase === 'stranded' ? 'its last start or stop' : 'stop';
  return {
    heldBy: 'cooldown',
    reason: `held: in cooldown until ${utcClock(end, now)} after ${after} (${thresholds.cooldownMinutes} min); ${wouldDo}`,
  };
}
