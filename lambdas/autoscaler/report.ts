/**
 * What each tick leaves behind for operators: one structured log line per region (demand,
 * thresholds, state, action, reason, the override in force) and a few custom metrics (regions
 * running, regions stranded, decisions by action, estimated hourly cost of the running regions,
 * regions without demand data, serving regions whose edges report nothing, overridden regions,
 * clusters off the configured Kubernetes version or near the end of its standard support).
 */
import type { RegionDecision, RegionStatus } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import type { SilentRegionsVerdict } from '../../core/edge-metrics/silent-regions';
import { DEFAULT_COST_MODEL, regionCostProfile } from '../../core/simulator/cost-model';
import type { ActionOutcome } from './actions';
import type { StoredOverride } from '../shared/region-override-item';
import { ACTION_DIMENSION, AUTOSCALER_METRICS, OVERRIDE_PIN_VALUE, REGION_DIMENSION } from './metric-names';
import type { RegionObservationDetail } from './region-state-reader';
import { versionDrift } from './version-drift';

export interface DecisionLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface MetricSink {
  add(name: string, unit: 'Count' | 'None', value: number, dimensions?: Readonly<Record<string, string>>): void;
}

/**
 * USD per hour a region bills in its phase, from the simulator's price model: the full rate
 * while running or changing state, the control plane alone in warm standby, nothing stopped.
 * A stranded region counts at the full rate: what a half-done start left behind (nodes, load
 * balancer) is not known, and an estimate that hides a leak is worse than one that overstates it.
 * Unknown regions are left out (we do not know whether they bill).
 */
export function estimatedHourlyCost(config: KubeCdnConfig, regions: Readonly<Record<string, RegionStatus>>): number {
  let total = 0;
  for (const [region, status] of Object.entries(regions)) {
    const profile = regionCostProfile(DEFAULT_COST_MODEL, config, region);
    const { phase } = status;
    if (phase === 'running' || phase === 'starting' || phase === 'stopping' || phase === 'stranded') total += profile.runningPerMinute * 60;
    else if (phase === 'standby') total += profile.stoppedPerMinute * 60;
  }
  return Math.round(total * 10_000) / 10_000;
}

export interface TickReport {
  readonly tickTime: number;
  readonly config: KubeCdnConfig;
  readonly decisions: readonly RegionDecision[];
  readonly demandSeries: Readonly<Record<string, ReadonlyArray<number | null>>>;
  readonly regions: Readonly<Record<string, RegionStatus>>;
  readonly observed: Readonly<Record<string, RegionObservationDetail>>;
  readonly outcomes: readonly ActionOutcome[];
  /** Absent when the edges' reports could not be read: unknown is not zero, so nothing is published. */
  readonly silentRegions?: SilentRegionsVerdict;
  /** The overrides in force, by region; absent when they could not be read. */
  readonly overrides?: Readonly<Record<string, StoredOverride>>;
}

/**
 * The periods the streak rules look at, oldest first. Not the whole series: with forecasting on
 * it holds a week of periods, and logging it per region per tick would cost more than the rest of
 * the autoscaler together.
 */
function recentPeriods(series: ReadonlyArray<number | null>, decision: RegionDecision): ReadonlyArray<number | null> {
  const { scaleUpPeriods, scaleDownPeriods } = decision.thresholds;
  return series.slice(-Math.max(scaleUpPeriods, scaleDownPeriods));
}

export function reportTick(log: DecisionLogger, metrics: MetricSink, report: TickReport): void {
  const outcomes = new Map(report.outcomes.map((o) => [o.region, o]));
  const byAction = { start: 0, stop: 0, none: 0 };
  for (const decision of report.decisions) {
    byAction[decision.action] += 1;
    const status = report.regions[decision.region];
    const seen = report.observed[decision.region];
    const outcome = outcomes.get(decision.region);
    const override = report.overrides?.[decision.region];
    log.info('region decision', {
      tickTime: new Date(report.tickTime).toISOString(),
      region: decision.region,
      action: decision.action,
      reason: decision.reason,
      phase: decision.phase,
      demand: decision.demand,
      recentDemand: recentPeriods(report.demandSeries[decision.region] ?? [], decision),
      thresholds: decision.thresholds,
      state: {
        cluster: seen?.cluster,
        serving: seen?.serving,
        kubernetesVersion: seen?.kubernetesVersion,
        operationInFlight: status?.operationInFlight,
        // Which upgrade holds the region, for whoever reads the log line during an upgrade.
        upgradeExecution: seen?.upgrade?.name,
        lastTransitionAt: status?.lastTransitionAt === undefined ? undefined : new Date(status.lastTransitionAt).toISOString(),
        problems: seen?.problems.length ? seen.problems : undefined,
      },
      wanted: decision.wanted,
      rule: decision.rule,
      heldBy: decision.heldBy,
      dryRun: decision.dryRun,
      outcome: outcome?.result,
      executionName: outcome?.executionName,
      override: override && {
        pin: override.pin,
        until: new Date(override.expiresAt * 1000).toISOString(),
        reason: override.reason,
        setBy: override.setBy,
      },
    });
    if (outcome?.result === 'failed') {
      log.error('could not start the region workflow', { region: decision.region, action: outcome.action, error: outcome.error });
    }
  }

  const phases = Object.values(report.regions).map((s) => s.phase);
  metrics.add(AUTOSCALER_METRICS.regionsRunning, 'Count', phases.filter((p) => p === 'running').length);
  metrics.add(AUTOSCALER_METRICS.regionsUnknown, 'Count', phases.filter((p) => p === 'unknown').length);
  metrics.add(AUTOSCALER_METRICS.regionsStranded, 'Count', phases.filter((p) => p === 'stranded').length);
  const withoutDemand = Object.keys(report.regions).filter((r) => {
    const series = report.demandSeries[r];
    return !series || series.length === 0 || series[series.length - 1] === null;
  });
  metrics.add(AUTOSCALER_METRICS.regionsWithoutDemand, 'Count', withoutDemand.length);
  for (const action of ['start', 'stop', 'none'] as const)
    metrics.add(AUTOSCALER_METRICS.decisions, 'Count', byAction[action], { [ACTION_DIMENSION]: action });
  metrics.add(AUTOSCALER_METRICS.actionFailures, 'Count', report.outcomes.filter((o) => o.result === 'failed').length);
  if (report.silentRegions) metrics.add(AUTOSCALER_METRICS.regionsSilent, 'Count', report.silentRegions.silent.length);
  metrics.add(AUTOSCALER_METRICS.estimatedHourlyCost, 'None', estimatedHourlyCost(report.config, report.regions));
  const drift = versionDrift(report.config, report.observed, new Date(report.tickTime));
  metrics.add(AUTOSCALER_METRICS.clustersOffConfiguredVersion, 'Count', drift.offConfig.length);
  metrics.add(AUTOSCALER_METRICS.clustersNearEndOfSupport, 'Count', drift.nearEndOfSupport.length);
  // Once per tick, only while there is something to do: the alarm says when, this line says which.
  if (drift.offConfig.length > 0 || drift.nearEndOfSupport.length > 0)
    log.warn('cluster Kubernetes versions need attention', {
      configured: report.config.cluster.kubernetesVersion,
      offConfiguredVersion: drift.offConfig,
      nearEndOfStandardSupport: drift.nearEndOfSupport,
    });
  // Only overridden regions: a region without a datapoint has no override, and no metric to pay for.
  for (const override of Object.values(report.overrides ?? {}))
    metrics.add(AUTOSCALER_METRICS.regionOverride, 'None', OVERRIDE_PIN_VALUE[override.pin], { [REGION_DIMENSION]: override.region });
}
