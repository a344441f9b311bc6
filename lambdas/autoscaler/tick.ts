/**
 * One autoscaler tick: read demand, region states and operators' overrides and decide
 * (read-and-decide.ts, the same function `kubecdn plan` runs), then act, retire lapsed overrides
 * and report. Everything AWS comes in through `deps`, so tests run it against mocked clients.
 */
import type { RegionDecision } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import { act, type ActDeps, type ActionOutcome } from './actions';
import { type ResolveA, sendHeartbeat } from './heartbeat';
import { type OverrideLapseDeps, retireLapsed } from './override-lapses';
import { readAndDecide, type ReadAndDecideDeps } from './read-and-decide';
import { type DecisionLogger, type MetricSink, reportTick } from './report';

export type TickDeps = Omit<ReadAndDecideDeps, 'overrideStore'> &
  ActDeps & {
    readonly log: DecisionLogger;
    readonly metrics: MetricSink;
    /** For the demand heartbeat; without it none is sent. */
    readonly resolveA?: ResolveA;
    /** The override table and the topic lapses are announced on; without it no override is read. */
    readonly overrideStore?: OverrideLapseDeps;
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
  const [{ demandReading, states, overrides, silentRegions, decisions }, heartbeat] = await Promise.all([
    readAndDecide(deps, config, tickTime),
    sendHeartbeat(deps.resolveA, config, tickTime),
  ]);
  if (heartbeat.sent && !heartbeat.answered) {
    deps.log.warn('the demand heartbeat lookup failed; if it keeps failing, idle minutes will read as missing demand', { ...heartbeat });
  }
  for (const failure of demandReading.failures) {
    deps.log.warn('demand could not be read; every region is treated as missing data this tick', { ...failure });
  }
  const reporting = demandReading.edgeReporting;
  if ('error' in reporting) {
    deps.log.warn('could not read whether the edges report; serving regions are not checked this tick', { error: reporting.error });
  } else if (silentRegions && silentRegions.silent.length > 0) {
    deps.log.warn('serving regions whose edges report nothing', {
      silentRegions: silentRegions.silent,
      minutes: config.edgeMonitoring.alarms.silentMinutes,
      from: new Date(reporting.range.start).toISOString(),
      to: new Date(reporting.range.end).toISOString(),
    });
  }
  const read = 'error' in overrides ? undefined : overrides;
  if ('error' in overrides) {
    deps.log.warn('the overrides could not be read; no region is stopped this tick (a pinned-on region must not be)', {
      error: overrides.error,
    });
  }
  for (const item of read?.ignored ?? []) deps.log.warn('override ignored', { region: item.region, problem: item.problem });

  const [outcomes] = await Promise.all([
    act(deps, decisions, tickTime, config.dryRun),
    deps.overrideStore && read?.lapsed.length ? retireLapsed(deps.overrideStore, read.lapsed, tickTime, deps.log) : [],
  ]);
  reportTick(deps.log, deps.metrics, {
    tickTime,
    config,
    decisions,
    demandSeries: demandReading.demand,
    regions: states.regions,
    observed: states.observed,
    outcomes,
    silentRegions,
    overrides: read?.active,
  });

  // Failing the invocation makes the error visible to the alarm. The next tick decides again; a
  // repeat of this same event (a redelivery, a manual re-run) reuses its execution names, so
  // regions already started are not started twice.
  const failed = outcomes.filter((o) => o.result === 'failed');
  if (failed.length > 0)
    throw new ActionsFailedError(failed.map((o) => `${o.action} ${o.region}: ${o.result === 'failed' ? o.error : ''}`).join('; '));
  return { tickTime: new Date(tickTime).toISOString(), decisions, outcomes };
}
