/**
 * Reads per-region demand from CloudWatch: one GetMetricData call per metrics region per tick
 * (all regions' queries batched, up to 500 a call), following NextToken. Missing datapoints stay
 * missing; a metrics region that cannot be read makes the tick's demand missing, never zero.
 *
 * The same call in the home region also asks whether each region's edges reported in the last
 * edgeMonitoring.alarms.silentMinutes (core/edge-metrics/silent-regions.ts): one more query per
 * region, no more calls. Only when the demand lives elsewhere, or a cold container reads a week of
 * history in one go, is that question a small call of its own, so it never adds a week of datapoints.
 */
import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { KubeCdnConfig } from '../../core/config';
import {
  assembleDemand,
  type DemandDatapoints,
  type DemandMetricQuery,
  demandMetricQueries,
  demandMetricsRegions,
  type DemandReadings,
  demandWindow,
  type DemandWindow,
} from '../../core/demand/demand-queries';
import {
  edgeReportingQueries,
  edgeReportingRange,
  type EdgeReportingQuery,
  type ReportingRange,
} from '../../core/edge-metrics/silent-regions';
import type { DemandHistory } from './demand-history';
import { DEFAULT_RETRY, type RetryOptions, withRetries } from './retry';

/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface DemandReaderDeps {
  readonly cloudWatchFor: (region: string) => CloudWatchClient;
  readonly retry?: RetryOptions;
  /** Datapoints kept from earlier ticks; without it every tick reads the whole window. */
  readonly history?: DemandHistory;
}

export interface DemandReading {
  readonly demand: Record<string, Array<number | null>>;
  readonly window: DemandWindow;
  /** Metrics regions that could not be read, with why. */
  readonly failures: ReadonlyArray<{ readonly metricsRegion: string; readonly error: string }>;
  /** The edges' `Requests` datapoints per reporting query id over `range`, or why they could not be read. */
  readonly edgeReporting: EdgeReportingReading;
}

export type EdgeReportingReading =
  | { readonly range: ReportingRange; readonly datapoints: ReadonlyMap<string, DemandDatapoints> }
  | { readonly range: ReportingRange; readonly error: string };

/**
 * The longest read the reporting queries ride along with: an hour of minutes is at most 60
 * datapoints each (silentMinutes is at most 60, so the checked range alone always fits).
 */
export const MAX_SHARED_READ_MS = 60 * 60_000;

type AnyQuery = DemandMetricQuery | EdgeReportingQuery;

function toMetricDataQuery(query: AnyQuery, periodSeconds: number): MetricDataQuery {
  return {
    Id: query.id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: query.namespace, MetricName: query.metricName, Dimensions: [...query.dimensions] },
      Period: 'periodSeconds' in query ? query.periodSeconds : periodSeconds,
      Stat: query.stat,
    },
  };
}

/** All datapoints of `queries` in one metrics region, over every page. */
export async function readMetricsRegion(
  cloudWatch: CloudWatchClient,
  queries: readonly AnyQuery[],
  window: Pick<DemandWindow, 'start' | 'end' | 'periodSeconds'>,
  retry: RetryOptions = DEFAULT_RETRY,
): Promise<Map<string, DemandDatapoints>> {
  const byId = new Map<string, { timestamps: number[]; values: number[] }>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
    const batch = queries.slice(i, i + MAX_QUERIES_PER_CALL).map((q) => toMetricDataQuery(q, window.periodSeconds));
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await withRetries(
        () =>
          cloudWatch.send(
            new GetMetricDataCommand({
              MetricDataQueries: batch,
              StartTime: new Date(window.start),
              EndTime: new Date(window.end),
              ScanBy: 'TimestampAscending',
              NextToken: token,
            }),
          ),
        retry,
      );
      for (const result of page.MetricDataResults ?? []) {
        if (!result.Id) continue;
        const points = byId.get(result.Id) ?? { timestamps: [], values: [] };
        (result.Timestamps ?? []).forEach((timestamp, k) => {
          const value = result.Values?.[k];
          if (value === undefined) return;
          points.timestamps.push(new Date(timestamp).getTime());
          points.values.push(value);
        });
        byId.set(result.Id, points);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return byId;
}

const describeError = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;

/** Splits one read into the demand queries' datapoints and the reporting queries'. */
function split(read: Map<string, DemandDatapoints>, reportingIds: ReadonlySet<string>) {
  const demand = new Map<string, DemandDatapoints>();
  const reporting = new Map<string, DemandDatapoints>();
  for (const [id, points] of read) (reportingIds.has(id) ? reporting : demand).set(id, points);
  return { demand, reporting };
}

export async function readDemand(deps: DemandReaderDeps, config: KubeCdnConfig, now: number): Promise<DemandReading> {
  const window = demandWindow(config, now);
  const queries = demandMetricQueries(config);
  const reportingQueries = edgeReportingQueries(config);
  const reportingIds = new Set(reportingQueries.map((q) => q.id));
  const reportingRange = edgeReportingRange(config, window.end);
  const failures: Array<{ metricsRegion: string; error: string }> = [];
  const historyKey = JSON.stringify({ queries, periodSeconds: window.periodSeconds });
  const plans = demandMetricsRegions(config).map((metricsRegion) => {
    const range = deps.history?.rangeToRead(metricsRegion, historyKey, window) ?? { start: window.start, end: window.end };
    // The edges publish in the home region: ask there, in the demand call, unless it reads a long history.
    const shared = metricsRegion === config.homeRegion && range.end - range.start <= MAX_SHARED_READ_MS;
    return { metricsRegion, range, shared };
  });
  let edgeReporting: EdgeReportingReading = { range: reportingRange, error: 'not read' };

  const readDemandRegion = async ({
    metricsRegion,
    range,
    shared,
  }: (typeof plans)[number]): Promise<[string, Map<string, DemandDatapoints> | 'failed']> => {
    try {
      const cloudWatch = deps.cloudWatchFor(metricsRegion);
      const read = shared
        ? await readMetricsRegion(
            cloudWatch,
            [...queries, ...reportingQueries],
            { ...window, start: Math.min(range.start, reportingRange.start), end: range.end },
            deps.retry,
          )
        : await readMetricsRegion(cloudWatch, queries, { ...window, ...range }, deps.retry);
      const { demand, reporting } = split(read, reportingIds);
      if (shared) edgeReporting = { range: reportingRange, datapoints: reporting };
      if (!deps.history) return [metricsRegion, demand];
      deps.history.store(metricsRegion, historyKey, window, range, demand);
      return [metricsRegion, deps.history.datapoints(metricsRegion, window)];
    } catch (error) {
      failures.push({ metricsRegion, error: describeError(error) });
      if (shared) edgeReporting = { range: reportingRange, error: describeError(error) };
      return [metricsRegion, 'failed'];
    }
  };
  const readReportingAlone = async (): Promise<void> => {
    try {
      const cloudWatch = deps.cloudWatchFor(config.homeRegion);
      const read = await readMetricsRegion(cloudWatch, reportingQueries, { ...reportingRange, periodSeconds: 60 }, deps.retry);
      edgeReporting = { range: reportingRange, datapoints: read };
    } catch (error) {
      edgeReporting = { range: reportingRange, error: describeError(error) };
    }
  };

  const [entries] = await Promise.all([
    Promise.all(plans.map(readDemandRegion)),
    plans.some((p) => p.shared) ? undefined : readReportingAlone(),
  ]);
  const readings: DemandReadings = new Map(entries);
  return { demand: assembleDemand(queries, window, readings), window, failures, edgeReporting };
}
