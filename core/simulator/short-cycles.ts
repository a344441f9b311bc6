/**
 * Short cycles: the transitions a schedule wasted, read off its timeline so every one can be
 * checked by hand against the trace and the cost model.
 *
 * A region serves nobody while it starts or stops, yet both bill (cost-model.ts), so a stop only
 * pays for itself through the minutes it then spends stopped, each saving the running price less
 * the stopped one (the control plane alone for warm standby, nothing for cold). Two kinds waste:
 * - a stop the schedule undoes by starting the region again before its stopped minutes have
 *   saved what the stop and that start bill: stoppedMinutes < breakEvenMinutes, where
 *   breakEvenMinutes = (stop's cost + start's cost) / (running − stopped price per minute);
 * - a start whose running stint ends (the next stop begins, or the trace ends) without serving
 *   a hot minute (demand at or above the region's scale-up threshold).
 * A stop the trace ends before any restart, and a start still under way when the trace ends,
 * are not judged: what follows them is not in the trace.
 *
 * An idle start is also told by what it met, since each kind asks something different of the
 * engine: `late` when demand was hot while it started (it was started for demand that was over
 * before it served: a burst shorter than a start); `near miss` when its demand came within
 * NEAR_MISS_SHARE of the threshold without reaching it (a forecast a few percent high); `quiet`
 * otherwise (a forecast wrong by more).
 *
 * Every short cycle is one transition, so a schedule never has more short cycles than
 * transitions. The engine's cooldown does not keep them at zero: it spaces transitions out, it
 * does not judge whether they paid (a count of transitions begun inside the cooldown would
 * always read 0, since the engine never begins one).
 */
import { formatUtcMinute, MINUTE_MS } from '../traces/trace';
import type { RegionCostProfile } from './cost-model';
import { RUNNING, STARTING, STOPPED, STOPPING } from './timeline';

/** Demand at or above this share of the threshold, never reaching it, makes an idle start a near miss. */
export const NEAR_MISS_SHARE = 0.95;

export type IdleStartKind = 'late' | 'near miss' | 'quiet';

export interface IdleStartsByKind {
  readonly late: number;
  readonly nearMiss: number;
  readonly quiet: number;
}

/** The counts of several schedules (regions, traces) added up. */
export function sumIdleStartsByKind(counts: readonly IdleStartsByKind[]): IdleStartsByKind {
  let late = 0;
  let nearMiss = 0;
  let quiet = 0;
  for (const count of counts) {
    late += count.late;
    nearMiss += count.nearMiss;
    quiet += count.quiet;
  }
  return { late, nearMiss, quiet };
}

export interface StartRecord {
  /** ISO time of its first minute. */
  readonly at: string;
  readonly kind: 'start';
  /** Minutes it spent starting within the trace. */
  readonly minutes: number;
  /** First minute serving, or null when the trace ended while it was starting. */
  readonly servingFrom: string | null;
  /** Minutes of the running stint that followed, until the next stop began or the trace ended. */
  readonly runningMinutes: number;
  /** Hot minutes served in that stint. */
  readonly hotMinutesServed: number;
  /** Hot minutes while it was starting, missed. */
  readonly hotMinutesWhileStarting: number;
  /** Highest known demand from its first starting minute to the end of its running stint; null when none is known. */
  readonly peakDemand: number | null;
  /** The stint ended without serving a hot minute. */
  readonly short: boolean;
  /** For a short start: what it met (see the file's comment). */
  readonly idle?: IdleStartKind;
}

export interface StopRecord {
  readonly at: string;
  readonly kind: 'stop';
  readonly minutes: number;
  /** Minutes stopped before the next start began; null when the trace ended first. */
  readonly stoppedMinutes: number | null;
  /**
   * Stopped minutes this stop needed to pay for itself with the next start, in USD terms:
   * (stop + start cost) / (running − stopped price per minute); null when no length would do (the
   * region costs no less stopped than running).
   */
  readonly breakEvenMinutes: number | null;
  /** Started again before it paid for itself. */
  readonly short: boolean;
}

export type TransitionRecord = StartRecord | StopRecord;

export interface ShortCycles {
  /** Every start and stop in order, each with the figures its verdict rests on. */
  readonly transitions: readonly TransitionRecord[];
  /** shortStops + idleStarts. */
  readonly shortCycles: number;
  readonly shortStops: number;
  readonly idleStarts: number;
  readonly idleStartsByKind: IdleStartsByKind;
}

export function shortCycles(
  phases: Uint8Array,
  demand: Float64Array,
  hotThreshold: number,
  profile: RegionCostProfile,
  startMs: number,
): ShortCycles {
  const minutes = phases.length;
  const sum = (costs: Float64Array): number => costs.reduce((a, b) => a + b, 0);
  const cycleCost = sum(profile.stopMinuteCosts) + sum(profile.startMinuteCosts);
  const savedPerStoppedMinute = profile.runningPerMinute - profile.stoppedPerMinute;
  const breakEvenMinutes = savedPerStoppedMinute > 0 ? cycleCost / savedPerStoppedMinute : cycleCost > 0 ? null : 0;
  const at = (minute: number): string => formatUtcMinute(startMs + minute * MINUTE_MS);
  /** First minute at or after `from` whose phase is not `phase`. */
  const runEnd = (from: number, phase: number): number => {
    let m = from;
    while (m < minutes && phases[m] === phase) m++;
    return m;
  };

  const transitions: TransitionRecord[] = [];
  let shortStops = 0;
  let idleStarts = 0;
  const byKind = { late: 0, nearMiss: 0, quiet: 0 };
  let m = 0;
  while (m < minutes) {
    const phase = phases[m]!;
    if (phase === STARTING) {
      const servingFrom = runEnd(m, STARTING);
      const stintEnd = runEnd(servingFrom, RUNNING);
      let hot = 0;
      let hotWhileStarting = 0;
      let peak = -1;
      for (let r = m; r < stintEnd; r++) {
        const value = demand[r]!;
        if (value > peak) peak = value; // NaN (missing) never compares greater
        if (value >= hotThreshold) {
          if (r < servingFrom) hotWhileStarting++;
          else hot++;
        }
      }
      const completed = servingFrom < minutes;
      const short = completed && hot === 0;
      const peakDemand = peak < 0 ? null : peak;
      let idle: IdleStartKind | undefined;
      if (short) {
        idleStarts++;
        idle = hotWhileStarting > 0 ? 'late' : peakDemand !== null && peakDemand >= NEAR_MISS_SHARE * hotThreshold ? 'near miss' : 'quiet';
        if (idle === 'late') byKind.late++;
        else if (idle === 'near miss') byKind.nearMiss++;
        else byKind.quiet++;
      }
      transitions.push({
        at: at(m),
        kind: 'start',
        minutes: servingFrom - m,
        servingFrom: completed ? at(servingFrom) : null,
        runningMinutes: stintEnd - servingFrom,
        hotMinutesServed: hot,
        hotMinutesWhileStarting: hotWhileStarting,
        peakDemand,
        short,
        ...(idle && { idle }),
      });
      m = servingFrom;
    } else if (phase === STOPPING) {
      const stoppedFrom = runEnd(m, STOPPING);
      const restartAt = runEnd(stoppedFrom, STOPPED);
      const restarted = restartAt < minutes && phases[restartAt] === STARTING;
      const stoppedMinutes = restarted ? restartAt - stoppedFrom : null;
      const short = stoppedMinutes !== null && (breakEvenMinutes === null || stoppedMinutes < breakEvenMinutes);
      if (short) shortStops++;
      transitions.push({ at: at(m), kind: 'stop', minutes: stoppedFrom - m, stoppedMinutes, breakEvenMinutes, short });
      m = stoppedFrom;
    } else m++;
  }
  return { transitions, shortCycles: shortStops + idleStarts, shortStops, idleStarts, idleStartsByKind: byKind };
}
