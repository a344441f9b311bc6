/**
 * Which serving regions' edges report nothing. Every edge pod publishes `Requests` {Project,
 * EdgeRegion} every minute, zero included, so a serving region with no datapoint at all over the
 * last `edgeMonitoring.alarms.silentMinutes` has edges that cannot count or cannot publish: its
 * viewers vanish from the demand the autoscaler reads, and nobody sees its health. Pure: the
 * autoscaler reads the datapoints in its demand call and hands them here with the region states.
 */
import type { RegionStatus } from '../autoscaler/types';
import type { KubeCdnConfig } from '../config';
import { configuredRegions } from '../config/regions-of';
import { EDGE_NAMESPACE, EDGE_REGION_DIMENSION, PROJECT_DIMENSION, REQUESTS_METRIC } from './edge-metric-names';

/** One GetMetricData query per configured region: how many pod-minutes of `Requests` arrived. */
export interface EdgeReportingQuery {
  /** GetMetricData query id, distinct from the demand queries' `demand_*`. */
  readonly id: string;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  /** SampleCount counts datapoints, not requests: an idle edge still reports. */
  readonly stat: 'SampleCount';
  /** Seconds: the edges publish per minute. */
  readonly periodSeconds: 60;
}

/** The minutes checked: the last silentMinutes before `end`, the end of the latest readable demand period. */
export interface ReportingRange {
  readonly start: number;
  readonly end: number;
}

export function edgeReportingQueries(config: KubeCdnConfig): EdgeReportingQuery[] {
  return configuredRegions(config).map((region) => ({
    id: `reporting_${region.replace(/-/g, '_')}`,
    region,
    namespace: EDGE_NAMESPACE,
    metricName: REQUESTS_METRIC,
    dimensions: [
      { Name: PROJECT_DIMENSION, Value: config.name },
      { Name: EDGE_REGION_DIMENSION, Value: region },
    ],
    stat: 'SampleCount',
    periodSeconds: 60,
  }));
}

/**
 * The range checked at a tick whose latest readable demand period ends at `end`: that end is
 * already config.demand.lagSeconds behind the clock, so datapoints in the range have arrived.
 */
export function edgeReportingRange(config: KubeCdnConfig, end: number): ReportingRange {
  return { start: end - config.edgeMonitoring.alarms.silentMinutes * 60_000, end };
}

export interface SilentRegionsInput {
  readonly config: KubeCdnConfig;
  readonly range: ReportingRange;
  /** Per query id: the timestamps and values read for the range (any order); a query with no entry had none. */
  readonly datapoints: ReadonlyMap<string, { readonly timestamps: readonly number[]; readonly values: readonly number[] }>;
  /** This tick's region states, as the engine gets them. */
  readonly regions: Readonly<Record<string, RegionStatus>>;
}

export interface SilentRegionsVerdict {
  /** Serving regions with no datapoint in the range: their edges report nothing. */
  readonly silent: readonly string[];
  /** Serving regions checked (each has served for the whole range). */
  readonly checked: readonly string[];
  /** Serving regions not checked yet: they began serving inside the range, so their edges may not have published through it. */
  readonly tooRecent: readonly string[];
}

/**
 * A configured region is checked when it is running (its latency record is up and no workflow is
 * running for it) and has served since before the range began: its last transition (the start
 * that brought it up) ended at or before the range's start, or is older than the history the
 * autoscaler reads. Regions starting, stopping, stopped, in standby, stranded or unknown are never
 * checked: their edges are not expected to run. A region removed from the config is left out: the
 * engine stops it this same tick.
 */
export function silentServingRegions(input: SilentRegionsInput): SilentRegionsVerdict {
  const { range } = input;
  const silent: string[] = [];
  const checked: string[] = [];
  const tooRecent: string[] = [];
  for (const query of edgeReportingQueries(input.config)) {
    const status = input.regions[query.region];
    if (status?.phase !== 'running') continue;
    if (status.lastTransitionAt !== undefined && status.lastTransitionAt > range.start) {
      tooRecent.push(query.region);
      continue;
    }
    checked.push(query.region);
    const points = input.datapoints.get(query.id);
    const reported = (points?.timestamps ?? []).some((timestamp, i) => {
      const value = points?.values[i];
      return timestamp >= range.start && timestamp < range.end && value !== undefined && value > 0;
    });
    if (!reported) silent.push(query.region);
  }
  return { silent, checked, tooRecent };
}
