/**
 * The two fleet-wide caps. maxConcurrentOperations bounds StartRegion/StopRegion executions at
 * once, counting those already in flight; a Kubernetes upgrade is not one of them (UpgradeClusters
 * runs one region at a time on its own, and counting its hours would hold other regions' starts). maxRunningRegions bounds regions running or starting;
 * room for always-on regions that are down is reserved, so a scalable start never takes the
 * place an always-on region needs, and a region whose state is unknown counts as running
 * because it may be. When actions compete for room, starts an operator pinned (override) go
 * first, then always-on starts, then scheduled starts, then demand starts busiest first, then
 * pinned stops, then stops of removed regions, then stops of stranded regions (they serve
 * nobody), then quiet stops quietest first; ties go to config order. A pinned start is never held
 * by the running cap (the operator asked for that region now, as a start by hand would), but it
 * takes room, so other starts this tick see it; the concurrency cap still holds it, since it
 * bounds the workflows running at once and lifts as soon as one ends.
 * Stranded regions are not running: they take no room under maxRunningRegions, and a stop
 * never needs any.
 */
import type { KubeCdnConfig } from '../config';
import type { ConfigView } from './config-view';
import type { DecisionRule, RegionStatus } from './types';

export interface FleetCensus {
  /** Regions with a StartRegion/StopRegion execution running, or starting/stopping. */
  readonly operationsInFlight: number;
  /** Regions running, starting or unknown, plus always-on regions that are down (their room is reserved). */
  readonly occupiedRunningSlots: number;
}

export function takeCensus(view: ConfigView, regions: Readonly<Record<string, RegionStatus>>): FleetCensus {
  let operationsInFlight = 0;
  let occupiedRunningSlots = 0;
  for (const region in regions) {
    const status = regions[region]!;
    const { phase } = status;
    const startOrStop = status.operationInFlight === 'start' || status.operationInFlight === 'stop';
    if (startOrStop || phase === 'starting' || phase === 'stopping') operationsInFlight++;
    if (phase === 'running' || phase === 'starting' || phase === 'unknown') occupiedRunningSlots++;
    else if (view.alwaysOn.has(region)) occupiedRunningSlots++;
  }
  for (const region of view.alwaysOn) if (!(region in regions)) occupiedRunningSlots++;
  return { operationsInFlight, occupiedRunningSlots };
}

export interface Candidate {
  /** Position of the region's decision in the output. */
  readonly index: number;
  readonly want: 'start' | 'stop';
  readonly rule: DecisionRule;
  readonly demand: number | null;
}

const START_RANK: Partial<Record<DecisionRule, number>> = { override: 0, 'always-on': 1, schedule: 2 };
const STOP_RANK: Partial<Record<DecisionRule, number>> = { override: 4, 'removed-from-config': 5, stranded: 6 };

function rank(candidate: Candidate): number {
  return candidate.want === 'start' ? (START_RANK[candidate.rule] ?? 3) : (STOP_RANK[candidate.rule] ?? 7);
}

/**
 * Orders candidates by who gets room first. Within a rank, a candidate whose latest demand is
 * missing goes after those with a reading, for starts and stops alike: missing data is evidence
 * of neither busy nor quiet, and a gap must never move a region's stop ahead of another's.
 */
export function byPriority(a: Candidate, b: Candidate): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if ((a.demand === null) !== (b.demand === null)) return a.demand === null ? 1 : -1;
  if (a.demand !== null && b.demand !== null && a.demand !== b.demand)
    return a.want === 'start' ? b.demand - a.demand : a.demand - b.demand;
  return a.index - b.index;
}

export type CapVerdict = 'go' | 'concurrency-cap' | 'running-cap';

/** Hands out room to candidates in priority order; call `admit` once per candidate, in that order. */
export class CapacityLedger {
  private operationsLeft: number;
  private occupied: number;
  private decidedThisTick = 0;

  constructor(
    private readonly config: KubeCdnConfig,
    private readonly census: FleetCensus,
  ) {
    this.operationsLeft = config.limits.maxConcurrentOperations - census.operationsInFlight;
    this.occupied = census.occupiedRunningSlots;
  }

  admit(candidate: Candidate): CapVerdict {
    if (this.operationsLeft <= 0) return 'concurrency-cap';
    // An always-on start fills room already reserved for it.
    const needsRoom = candidate.want === 'start' && candidate.rule !== 'always-on';
    // A pinned start takes room without waiting for it (see the file comment).
    if (needsRoom && candidate.rule !== 'override' && this.occupied >= this.config.limits.maxRunningRegions) return 'running-cap';
    this.operationsLeft--;
    this.decidedThisTick++;
    if (needsRoom) this.occupied++;
    return 'go';
  }

  concurrencyCapReason(): string {
    const cap = this.config.limits.maxConcurrentOperations;
    return `held: concurrency cap of ${cap} operations reached (${this.census.operationsInFlight} in flight, ${this.decidedThisTick} decided this tick)`;
  }

  runningCapReason(): string {
    const cap = this.config.limits.maxRunningRegions;
    return `held: running cap of ${cap} regions reached (${this.occupied} running, starting, unknown or reserved for always-on regions)`;
  }
}
