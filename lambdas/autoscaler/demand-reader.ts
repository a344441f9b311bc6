/**
 * Reads per-region demand from CloudWatch: one GetMetricData call per metrics region per tick
 * (all regions' queries batched, up to 500 a call), following NextToken. Missing datapoints stay
 * missing; a metrics region that cannot be read makes the tick's demand missing, never zero.
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
}

function toMetricDataQuery(query: DemandMetricQuery, periodSeconds: number): MetricDataQuery {
  return {
    Id: query.id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: query.namespace, MetricName: query.metricName, Dimensions: [...query.dimensions] },
      Period: periodSeconds,
      Stat: query.stat,
    },
  };
}

/** All datapoints of `queries` in one metrics region, over every page. */
export async function readMetricsRegion(
  cloudWatch: CloudWatchClient,
  queries: readonly DemandMetricQuery[],
  window: DemandWindow,
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

export async function readDemand(deps: DemandReaderDeps, config: KubeCdnConfig, now: number): Promise<DemandReading> {
  const window = demandWindow(config, now);
  const queries = demandMetricQueries(config);
  const failures: Array<{ metricsRegion: string; error: string }> = [];
  const historyKey = JSON.stringify({ queries, periodSeconds: window.periodSeconds });
  const entries = await Promise.all(
    demandMetricsRegions(config).map(async (metricsRegion): Promise<[string, Map<string, DemandDatapoints> | 'failed']> => {
      try {
        const cloudWatch = deps.cloudWatchFor(metricsRegion);
        if (!deps.history) return [metricsRegion, await readMetricsRegion(cloudWatch, queries, window, deps.retry)];
        const range = deps.history.rangeToRead(metricsRegion, historyKey, window);
        const read = await readMetricsRegion(cloudWatch, queries, { ...window, ...range }, deps.retry);
        deps.history.store(metricsRegion, historyKey, window, range, read);
        return [metricsRegion, deps.history.datapoints(metricsRegion, window)];
      } catch (error) {
        failures.push({ metricsRegion, error: `${(error as Error).name}: ${(error as Error).message}` });
        return [metricsRegion, 'failed'];
      }
    }),
  );
  const readings: DemandReadings = new Map(entries);
  return { demand: assembleDemand(queries, window, readings), window, failures };
}
