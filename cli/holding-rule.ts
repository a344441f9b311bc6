/**
 * Which rule holds a region where it is, in one word for `kubecdn status`, read from the decision
 * the engine just made for it (the same decision `kubecdn plan` prints): the guard that held it,
 * else the rule that asked for an action, else the rule that keeps it as it is.
 */
import { viewOf } from '../core/autoscaler/config-view';
import { openWindow } from '../core/autoscaler/schedules';
import type { RegionDecision, RegionOverride, RegionStatus } from '../core/autoscaler/types';
import type { KubeCdnConfig } from '../core/config';

export type HoldingRule =
  | 'always-on'
  | 'schedule'
  | 'demand'
  | 'forecast'
  | 'cooldown'
  | 'cap'
  | 'in-flight'
  | 'unknown-state'
  | 'removed-from-config'
  | 'stranded'
  | 'override'
  | 'overrides-unreadable';

export interface RegionHold {
  readonly rule: HoldingRule;
  /** For the cooldown and an override: whole minutes until it ends or lapses (rounded up). */
  readonly minutesLeft?: number;
  /** For an override: which way it pins the region, and when it lapses (ISO 8601). */
  readonly pin?: RegionOverride['pin'];
  readonly until?: string;
}

const minutesUntil = (end: number, now: number) => Math.max(0, Math.ceil((end - now) / 60_000));

export function holdingRule(
  config: KubeCdnConfig,
  decision: RegionDecision,
  status: RegionStatus | undefined,
  now: number,
  override?: RegionOverride,
): RegionHold {
  switch (decision.heldBy) {
    case 'cooldown': {
      const end = (status?.lastTransitionAt ?? now) + decision.thresholds.cooldownMinutes * 60_000;
      return { rule: 'cooldown', minutesLeft: minutesUntil(end, now) };
    }
    case 'concurrency-cap':
    case 'running-cap':
      return { rule: 'cap' };
    case 'operation-in-flight':
    case 'transitioning':
      return { rule: 'in-flight' };
    case 'unknown-state':
      return { rule: 'unknown-state' };
    case 'overrides-unreadable':
      return { rule: 'overrides-unreadable' };
    case undefined:
      break;
  }
  if (decision.rule === 'override' && override)
    return {
      rule: 'override',
      pin: override.pin,
      until: new Date(override.until).toISOString(),
      minutesLeft: minutesUntil(override.until, now),
    };
  if (decision.rule) return { rule: decision.rule };
  const view = viewOf(config);
  if (!view.configuredSet.has(decision.region)) return { rule: 'removed-from-config' };
  if (view.alwaysOn.has(decision.region)) return { rule: 'always-on' };
  const windows = view.windows.get(decision.region);
  if (windows && openWindow(windows, now)) return { rule: 'schedule' };
  return { rule: 'demand' };
}

export function holdingRuleText(hold: RegionHold): string {
  if (hold.rule === 'cooldown') return `cooldown (${hold.minutesLeft} min left)`;
  if (hold.rule === 'override' && hold.pin) return `override ${hold.pin} (${hold.minutesLeft} min left)`;
  return hold.rule;
}
