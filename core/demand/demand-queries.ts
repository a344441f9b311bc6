/**
 * What the autoscaler asks CloudWatch for, and how the answers become the per-region demand
 * series the decision engine reads. Pure: the Lambda does the calls, this decides their shape.
 */
import { demandPeriodsNeeded } from '../autoscaler/demand-window';
import { latestPeriodEnd } from '../autoscaler/period-clock';
import type { KubeCdnConfig } from '../config';
import { configuredRegions } from '../config/regions-of';
import { EDGE_NAMESPACE, VIEWER_REQUESTS_METRIC } from '../edge-metrics/edge-metric-names';
import { DEMAND_NAMESPACE, PROJECT_DIMENSION, QUERY_LOG_REGION, REGION_DIMENSION, VIEWER_DEMAND_METRIC } from './demand-metric';

export interface DemandMetricQuery {
  /** GetMetricData query id: starts with a lower-case letter, then letters, digits, "_". */
  readonly id: string;
  /** The configured region this demand belongs to. */
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  readonly stat: 'Sum' | 'Average' | 'Maximum' | 'SampleCount';
}

export interface DemandWindow {
  /** Start of the oldest period read (epoch ms, a multiple of the period). */
  readonly start: number;
  /** End of the most recent complete period (exclusive). */
  readonly end: number;
  readonly periodSeconds: number;
  readonly periods: number;
}

/** The periods to read at `now`: the last one ends at least `lagSeconds` ago, so its data has arrived. */
export function demandWindow(config: KubeCdnConfig, now: number): DemandWindow {
  const periodMs = config.periodSeconds * 1000;
  // As many periods as the engine's longest streak rule can look at.
  const periods = demandPeriodsNeeded(config);
  const end = latestPeriodEnd(now, periodMs, config.demand.lagSeconds * 1000);
  return { start: end - periods * periodMs, end, periodSeconds: config.periodSeconds, periods };
}

/** The regions whose CloudWatch holds demand: one GetMetricData call each per tick. */
export function demandMetricsRegions(config: KubeCdnConfig): string[] {
  if (config.demand.source === 'route53-query-logs') return [QUERY_LOG_REGION];
  // Every edge publishes its counts in the home region, where the autoscaler runs.
  if (config.demand.source === 'edge-requests') return [config.homeRegion];
  return [...new Set(config.demand.metric?.metricsRegions ?? [config.homeRegion])];
}

/** One query per configured region; the same list is sent to every metrics region. */
export function demandMetricQueries(config: KubeCdnConfig): DemandMetricQuery[] {
  return configuredRegions(config).map((region) => {
    const id = `demand_${region.replace(/-/g, '_')}`;
    const metric = config.demand.metric;
    if (config.demand.source === 'cloudwatch-metric' && metric) {
      const dimensions = [
        ...Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
        { Name: metric.regionDimension, Value: region },
      ];
      return { id, region, namespace: metric.namespace, metricName: metric.metricName, dimensions, stat: metric.statistic };
    }
    // kubecdn's own metrics, the edges' and the query-log producer's, share their dimension names.
    const own =
      config.demand.source === 'edge-requests'
        ? { namespace: EDGE_NAMESPACE, metricName: VIEWER_REQUESTS_METRIC }
        : { namespace: DEMAND_NAMESPACE, metricName: VIEWER_DEMAND_METRIC };
    return {
      id,
      region,
      ...own,
      dimensions: [
        { Name: PROJECT_DIMENSION, Value: config.name },
        { Name: REGION_DIMENSION, Value: region },
      ],
      stat: 'Sum',
    };
  });
}

/** Datapoints of one query from one metrics region, as GetMetricData returns them (any order, any pages). */
export interface DemandDatapoints {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** Per metrics region: the datapoints by query id, or 'failed' when that region could not be read this tick. */
export type DemandReadings = ReadonlyMap<string, ReadonlyMap<string, DemandDatapoints> | 'failed'>;

/**
 * Requests per minute per period, oldest first. A slot with no datapoint in any metrics region
 * is null. If any metrics region failed, every slot is null: a partial sum would understate
 * demand, and understated demand is what stops regions.
 */
export function assembleDemand(
  queries: readonly DemandMetricQuery[],
  window: DemandWindow,
  readings: DemandReadings,
): Record<string, Array<number | null>> {
  const periodMs = window.periodSeconds * 1000;
  const anyFailed = [...readings.values()].some((r) => r === 'failed');
  const demand: Record<string, Array<number | null>> = {};
  // Plain loops and no per-datapoint callbacks: with forecasting on this is a week of periods per region, every tick.
  for (const query of queries) {
    const series = new Array<number | null>(window.periods).fill(null);
    // A count over the period becomes a per-minute rate; averages and maxima already are rates.
    const perMinute = query.stat === 'Sum' || query.stat === 'SampleCount' ? 60 / window.periodSeconds : 1;
    if (!anyFailed) {
      for (const reading of readings.values()) {
        if (reading === 'failed') continue;
        const points = reading.get(query.id);
        if (!points) continue;
        const { timestamps, values } = points;
        for (let i = 0; i < timestamps.length; i++) {
          const slot = Math.floor((timestamps[i]! - window.start) / periodMs);
          const value = values[i];
          if (slot < 0 || slot >= window.periods || value === undefined || !Number.isFinite(value)) continue;
          series[slot] = (series[slot] ?? 0) + value * perMinute;
        }
      }
    }
    demand[query.region] = series;
  }
  return demand;
}
