/**
 * Operators' temporary pins (kubecdn override): while one is in force it replaces every rule for
 * its region (always-on, schedule, forecast, demand). The guards that protect a region in the
 * middle of a change still hold; the cooldown and the running cap do not (see guards.ts, caps.ts):
 * a pin is an operator's deliberate act, like a start by hand, and one pinning a region on during
 * an incident expects it to start now, not after the autoscaler's own anti-flapping delay.
 */
import type { DemandSeries } from './consecutive';
import { latestDemand } from './consecutive';
import { rpm, utcClock } from './reasons';
import type { SettledPhase, Wish } from './rules';
import type { DecisionInput, RegionOverride } from './types';

/** The region's override when it is in force at `now` (until is exclusive), else undefined. */
export function activeOverride(overrides: DecisionInput['overrides'], region: string, now: number): RegionOverride | undefined {
  const override = overrides?.[region];
  return override && override.until > now ? override : undefined;
}

/** "pinned on by override until 14:30Z: <reason>". */
export function pinnedWords(override: RegionOverride, now: number): string {
  const reason = override.reason.trim();
  return `pinned ${override.pin} by override until ${utcClock(override.until, now)}${reason ? `: ${reason}` : ''}`;
}

/**
 * What a pinned region wants. On: running stays, anything else starts. Off: running or stranded
 * (billing either way) stops, warm standby and stopped stay as they are.
 */
export function overrideWish(override: RegionOverride, phase: SettledPhase, series: DemandSeries, now: number): Wish {
  const pinned = pinnedWords(override, now);
  const latest = `(latest ${rpm(latestDemand(series))} rpm)`;
  if (override.pin === 'on') {
    return phase === 'running'
      ? { want: 'none', reason: `kept running: ${pinned} ${latest}` }
      : { want: 'start', rule: 'override', why: pinned };
  }
  if (phase === 'running' || phase === 'stranded') return { want: 'stop', rule: 'override', why: pinned };
  return { want: 'none', reason: `${phase === 'standby' ? 'kept in warm standby' : 'kept stopped'}: ${pinned} ${latest}` };
}
