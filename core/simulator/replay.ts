/**
 * Replays a trace through the real decision engine, `decide()` from core/autoscaler, one minute at
 * a time, with AWS modelled by the cost model's lead times. This is what the autoscaler would have
 * done: the same function the Lambda calls, fed what the Lambda would have read.
 *
 * Each tick happens at the first minute at or after a period boundary of the clock (epoch time,
 * as the Lambda's window and CloudWatch's periods are; not counted from the trace's start, which
 * would delay every decision when a trace starts part-way into a period) and sees the periods
 * that have completed and reached CloudWatch by then (config.demand.lagSeconds later, the
 * Lambda's own window); an action it takes shapes the region from that minute on. A start
 * occupies its lead time and the region serves from the minute after; a stop withdraws the region
 * at once (DNS goes first) and occupies its duration. Completion times become `lastTransitionAt`, as the Lambda derives them.
 *
 * The simulated fleet begins as `cdk deploy` leaves it: always-on regions running, scalable ones
 * stopped, or in warm standby when configured warm.
 */
import { decide } from '../autoscaler/decide';
import { demandPeriodsNeeded } from '../autoscaler/demand-window';
import type { DecisionInput, RegionDecision, RegionPhase, RegionStatus } from '../autoscaler/types';
import { demandWindow } from '../demand/demand-queries';
import { configuredRegions, type KubeCdnConfig } from '../config';
import { demandOf, MINUTE_MS, type Trace } from '../traces/trace';
import { type CostModel, startMinutes, stopMinutes } from './cost-model';
import { firstPeriodStart, periodDemand } from './period-demand';
import { type Phase, RUNNING, STARTING, STOPPED, STOPPING } from './timeline';

// Builtins read once into locals: the simulator runs this for every region every minute, and under
// a test runner's vm context (Jest) every read of a global (Math) is an interceptor call a hundred
// times slower than a local's.
const { floor, max } = Math;

export interface ReplayedRegion {
  readonly region: string;
  /** Phase in each minute of the trace. */
  readonly phases: Uint8Array;
  /** Actions the engine asked for that the region's state did not allow (e.g. start while running); should be 0. */
  readonly rejectedActions: number;
}

export interface Replay {
  readonly regions: readonly ReplayedRegion[];
  /** Ticks the engine was called for. */
  readonly ticks: number;
  /** True when the config asked for dry run: the replay acted anyway, to show what would happen. */
  readonly dryRunOverridden: boolean;
}

interface SimulatedRegion {
  readonly region: string;
  readonly warm: boolean;
  readonly periods: (number | null)[];
  /** Periods completed so far, oldest first: what the engine is shown. */
  readonly history: (number | null)[];
  readonly phases: Uint8Array;
  phase: RegionPhase;
  /** Minute the operation in flight completes. */
  operationEnds: number;
  lastTransitionAt: number | undefined;
  rejectedActions: number;
}

const PHASE_CODE: Record<RegionPhase, Phase> = {
  stopped: STOPPED,
  standby: STOPPED,
  // The simulator never strands a region (its starts always complete); mapped for completeness.
  stranded: STOPPED,
  unknown: STOPPED,
  starting: STARTING,
  running: RUNNING,
  stopping: STOPPING,
};

export interface ReplayOptions {
  /**
   * Hand the engine exactly the Lambda's window (the last demandPeriodsNeeded(config) + 1
   * periods, copied each tick) instead of the whole history so far. The engine reads from the
   * end and never further back than demandPeriodsNeeded, so both give the same decisions; the
   * history is one growing array per region, where copying the window costs O(window) per tick
   * (a week of periods when the config turns on prediction). Tests use this to check the claim.
   */
  readonly exactLambdaWindow?: boolean;
  /** Called with each tick's decisions, every region's, reasons and all: the decision log a test or a tool compares. */
  readonly onDecisions?: (now: number, decisions: readonly RegionDecision[]) => void;
}

export function replay(config: KubeCdnConfig, trace: Trace, model: CostModel, options: ReplayOptions = {}): Replay {
  // Simulating is itself a dry run; a dry-run config would otherwise show a fleet that never moves.
  const engineConfig: KubeCdnConfig = config.dryRun ? { ...config, dryRun: false } : config;
  const periodMs = config.periodSeconds * 1000;
  // Period 0 of every region's periods begins here: the clock boundary at or before the trace's start.
  const periodOrigin = firstPeriodStart(trace.startMs, periodMs);
  const names = configuredRegions(config);
  const alwaysOn = new Set(config.alwaysOn);
  const window = demandPeriodsNeeded(config) + 1;

  const fleet: SimulatedRegion[] = names.map((region) => {
    const warm = config.standby[region] === 'warm';
    return {
      region,
      warm,
      periods: periodDemand(demandOf(trace, region), trace.startMs, periodMs),
      history: [],
      phases: new Uint8Array(trace.minutes),
      phase: alwaysOn.has(region) ? 'running' : warm ? 'standby' : 'stopped',
      operationEnds: -1,
      lastTransitionAt: undefined,
      rejectedActions: 0,
    };
  });
  const byName = new Map(fleet.map((r) => [r.region, r]));
  let ticks = 0;

  for (let minute = 0; minute < trace.minutes; minute++) {
    const now = trace.startMs + minute * MINUTE_MS;
    for (const region of fleet) {
      if (region.operationEnds !== minute) continue;
      region.phase = region.phase === 'starting' ? 'running' : region.warm ? 'standby' : 'stopped';
      region.lastTransitionAt = now;
      region.operationEnds = -1;
    }

    // A boundary in the minute just past (on it, for a trace on whole minutes); minute 0 has nothing delivered yet.
    if (minute > 0 && floor(now / periodMs) !== floor((now - MINUTE_MS) / periodMs)) {
      ticks++;
      // Periods whose datapoints have reached CloudWatch by now (config.demand.lagSeconds), as the Lambda reads them.
      // The window ends at or before now, so within the trace: never more periods than periodDemand folded.
      const delivered = max(0, floor((demandWindow(config, now).end - periodOrigin) / periodMs));
      const demand: Record<string, (number | null)[]> = {};
      const regions: Record<string, RegionStatus> = {};
      for (const region of fleet) {
        while (region.history.length < delivered) region.history.push(region.periods[region.history.length]!);
        demand[region.region] = options.exactLambdaWindow ? region.periods.slice(max(0, delivered - window), delivered) : region.history;
        regions[region.region] = statusOf(region);
      }
      const input: DecisionInput = { config: engineConfig, now, demand, regions };
      const decisions = decide(input);
      options.onDecisions?.(now, decisions);
      for (const decision of decisions) {
        if (decision.action === 'none') continue;
        const region = byName.get(decision.region);
        if (region) act(region, decision.action, minute, model);
      }
    }

    for (const region of fleet) region.phases[minute] = PHASE_CODE[region.phase];
  }

  return {
    regions: fleet.map(({ region, phases, rejectedActions }) => ({ region, phases, rejectedActions })),
    ticks,
    dryRunOverridden: config.dryRun,
  };
}

function statusOf(region: SimulatedRegion): RegionStatus {
  const operationInFlight = region.phase === 'starting' ? 'start' : region.phase === 'stopping' ? 'stop' : undefined;
  return operationInFlight
    ? { phase: region.phase, operationInFlight, lastTransitionAt: region.lastTransitionAt }
    : { phase: region.phase, lastTransitionAt: region.lastTransitionAt };
}

function act(region: SimulatedRegion, action: 'start' | 'stop', minute: number, model: CostModel): void {
  const allowed = action === 'start' ? region.phase === 'stopped' || region.phase === 'standby' : region.phase === 'running';
  if (!allowed) {
    region.rejectedActions++;
    return;
  }
  region.phase = action === 'start' ? 'starting' : 'stopping';
  region.operationEnds =
    minute + (action === 'start' ? startMinutes(model.leadTimes, region.warm) : stopMinutes(model.leadTimes, region.warm));
}
