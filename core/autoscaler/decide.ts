/**
 * The autoscaler's decision: one pure function from (config, demand, region states, now) to one
 * decision per region with a reason. Shared by the autoscaler Lambda and the simulator, which
 * calls it every simulated minute, so it reads no clock, draws no random numbers and keeps its
 * per-call work to a few small objects per region.
 *
 * A "period" is config.periodSeconds long; each demand element is one period, newest last, and
 * scaleUpPeriods/scaleDownPeriods count elements. The engine needs the last
 * max(scaleUpPeriods, scaleDownPeriods) elements; older ones are ignored.
 *
 * Order of evaluation per region: hold if its state is unknown, an operation is in flight or it
 * is starting/stopping; otherwise an operator's override in force (overrides.ts), or else the rules
 * (rules.ts), say what it wants (a stranded region always wants a start or a stop); a stop is held
 * when the overrides could not be read; a wanted action is held by the cooldown after its last
 * transition, except a demand start after a stop and an override (guards.ts); what is left
 * competes for the caps (caps.ts).
 */
import type { RegionThresholds } from '../config';
import { byPriority, type Candidate, CapacityLedger, takeCensus } from './caps';
import { viewOf } from './config-view';
import { type DemandSeries, latestDemand } from './consecutive';
import { cooldownEnd, cooldownHold, cooldownHolds, holdBeforeRules, OVERRIDES_UNREADABLE } from './guards';
import { activeOverride, overrideWish } from './overrides';
import { rpm } from './reasons';
import { type SettledPhase, wishOf } from './rules';
import type { DecisionInput, DecisionRule, HoldCause, RegionDecision, RegionPhase, RegionStatus } from './types';

const ABSENT: RegionStatus = { phase: 'stopped' };
const NO_DEMAND: DemandSeries = [];

interface Pending extends Candidate {
  readonly region: string;
  readonly phase: RegionPhase;
  readonly thresholds: RegionThresholds;
  readonly why: string;
}

export function decide(input: DecisionInput): RegionDecision[] {
  const { config, now, regions } = input;
  const view = viewOf(config);
  const dryRun = config.dryRun;
  const order = regionsToDecide(view.configured, view.configuredSet, regions);
  const decisions: RegionDecision[] = new Array(order.length);
  const pending: Pending[] = [];

  for (let index = 0; index < order.length; index++) {
    const region = order[index]!;
    const status = regions[region] ?? ABSENT;
    const series = input.demand[region] ?? NO_DEMAND;
    const demand = latestDemand(series);
    const thresholds = view.thresholdsOf(region);
    const base = { region, phase: status.phase, demand, thresholds, dryRun };

    const hold = holdBeforeRules(status);
    if (hold) {
      decisions[index] = { ...base, action: 'none', reason: withLatest(hold.reason, demand), heldBy: hold.heldBy };
      continue;
    }
    const phase = status.phase as SettledPhase;
    // Only configured regions obey a pin: a removed region is stopped whatever anyone pinned.
    const override = view.configuredSet.has(region) ? activeOverride(input.overrides, region, now) : undefined;
    const wish = override ? overrideWish(override, phase, series, now) : wishOf(view, { region, phase, series, thresholds, now });
    if (wish.want === 'none') {
      decisions[index] = { ...base, action: 'none', reason: wish.reason, ...(override ? { rule: 'override' as const } : {}) };
      continue;
    }
    if (wish.want === 'stop' && input.overridesUnreadable) {
      const reason = `${OVERRIDES_UNREADABLE}; would stop: ${wish.why}`;
      decisions[index] = { ...base, action: 'none', reason, wanted: 'stop', rule: wish.rule, heldBy: 'overrides-unreadable' };
      continue;
    }
    const until = cooldownEnd(status, thresholds, now);
    if (until !== undefined && cooldownHolds(status, wish.want, wish.rule)) {
      const held = cooldownHold(status, until, thresholds, now, `would ${wish.want}: ${wish.why}`);
      decisions[index] = { ...base, action: 'none', reason: held.reason, wanted: wish.want, rule: wish.rule, heldBy: held.heldBy };
      continue;
    }
    pending.push({ index, region, phase: status.phase, thresholds, demand, want: wish.want, rule: wish.rule, why: wish.why });
  }

  if (pending.length > 1) pending.sort(byPriority);
  const ledger = new CapacityLedger(config, takeCensus(view, regions));
  for (const candidate of pending) {
    const verdict = ledger.admit(candidate);
    decisions[candidate.index] =
      verdict === 'go'
        ? acted(candidate, dryRun, view.warmStandby.has(candidate.region))
        : held(candidate, dryRun, verdict, verdict === 'concurrency-cap' ? ledger.concurrencyCapReason() : ledger.runningCapReason());
  }
  return decisions;
}

/** Configured regions in config order, then regions the config no longer lists that are not stopped, by code. */
function regionsToDecide(configured: readonly string[], configuredSet: ReadonlySet<string>, regions: DecisionInput['regions']): string[] {
  let removed: string[] | undefined;
  for (const region in regions) {
    const status = regions[region]!;
    if (!configuredSet.has(region) && (status.phase !== 'stopped' || status.operationInFlight)) (removed ??= []).push(region);
  }
  if (!removed) return configured as string[];
  return [...configured, ...removed.sort()];
}

function acted(candidate: Pending, dryRun: boolean, warm: boolean): RegionDecision {
  const { want, rule } = candidate;
  const toStandby = want === 'stop' && warm && rule !== 'removed-from-config' ? ' to warm standby' : '';
  const reason = dryRun
    ? `would ${want}${toStandby} (dry run, not executed): ${candidate.why}`
    : `${want === 'start' ? 'started' : 'stopped'}${toStandby}: ${candidate.why}`;
  return decision(candidate, want, reason, dryRun, rule);
}

function held(candidate: Pending, dryRun: boolean, heldBy: HoldCause, guard: string): RegionDecision {
  return { ...decision(candidate, 'none', `${guard}; would ${candidate.want}: ${candidate.why}`, dryRun, candidate.rule), heldBy };
}

function decision(
  candidate: Pending,
  action: RegionDecision['action'],
  reason: string,
  dryRun: boolean,
  rule: DecisionRule,
): RegionDecision {
  const { region, phase, demand, thresholds, want } = candidate;
  return { region, action, reason, phase, demand, thresholds, dryRun, wanted: want, rule };
}

function withLatest(reason: string, demand: number | null): string {
  return `${reason} (latest ${rpm(demand)}${demand === null ? '' : ' rpm'})`;
}
