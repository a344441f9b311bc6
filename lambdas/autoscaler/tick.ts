/**
 * One autoscaler tick: read demand and region states in parallel, decide, act, report.
 * Everything AWS comes in through `deps`, so tests run it against mocked clients.
 */
import { decide } from '../../core/autoscaler/decide';
import type { RegionDecision } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import { silentServingRegions, type SilentRegionsVerdict } from '../../core/edge-metrics/silent-regions';
import { act, type ActDeps, type ActionOutcome } from './actions';
import { readDemand, type DemandReaderDeps } from './demand-reader';
import { type ResolveA, sendHeartbeat } from './heartbeat';
import { readRegionStates, type RegionStateDeps } from './region-state-reader';
import { type DecisionLogger, type MetricSink, reportTick } from './report';

export type TickDeps = DemandReaderDeps &
  RegionStateDeps &
  ActDeps & {
    readonly log: DecisionLogger;
    readonly metrics: MetricSink;
    /** For the demand heartbeat; without it none is sent. */
    readonly resolveA?: ResolveA;
  };

export interface TickSummary {
  readonly tickTime: string;
  readonly decisions: readonly RegionDecision[];
  readonly outcomes: readonly ActionOutcome[];
}

export class ActionsFailedError extends Error {
  override name = 'ActionsFailed';
}

export async function runTick(deps: TickDeps, config: KubeCdnConfig, tickTime: number): Promise<TickSummary> {
  const [demandReading, states, heartbeat] = await Promise.all([
    readDemand(deps, config, tickTime),
    readRegionStates(deps, config, tickTime),
    sendHeartbeat(deps.resolveA, config, tickTime),
  ]);
  if (heartbeat.sent && !heartbeat.answered) {
    deps.log.warn('the demand heartbeat lookup failed; if it keeps failing, idle minutes will read as missing demand', { ...heartbeat });
  }
  for (const failure of demandReading.failures) {
    deps.log.warn('demand could not be read; every region is treated as missing data this tick', { ...failure });
  }

  let silentRegions: SilentRegionsVerdict | undefined;
  if ('datapoints' in demandReading.edgeReporting) {
    const { range, datapoints } = demandReading.edgeReporting;
    silentRegions = silentServingRegions({ config, range, datapoints, regions: states.regions });
    if (silentRegions.silent.length > 0) {
      deps.log.warn('serving regions whose edges report nothing', {
        silentRegions: silentRegions.silent,
        minutes: config.edgeMonitoring.alarms.silentMinutes,
        from: new Date(range.start).toISOString(),
        to: new Date(range.end).toISOString(),
      });
    }
  } else {
    deps.log.warn('could not read whether the edges report; serving regions are not checked this tick', {
      error: demandReading.edgeReporting.error,
    });
  }

  const decisions = decide({ config, now: tickTime, demand: demandReading.demand, regions: states.regions });
  const outcomes = await act(deps, decisions, tickTime, config.dryRun);
  reportTick(deps.log, deps.metrics, {
    tickTime,
    config,
    decisions,
    demandSeries: demandReading.demand,
    regions: states.regions,
    observed: states.observed,
    outcomes,
    silentRegions,
  });

  // Failing the invocation makes the error visible to the alarm. The next tick decides again; a
  // repeat of this same event (a redelivery, a manual re-run) reuses its execution names, so
  // regions already started are not started twice.
  const failed = outcomes.filter((o) => o.result === 'failed');
  if (failed.length > 0)
    throw new ActionsFailedError(failed.map((o) => `${o.action} ${o.region}: ${o.result === 'failed' ? o.error : ''}`).join('; '));
  return { tickTime: new Date(tickTime).toISOString(), decisions, outcomes };
}
