/**
 * One minute of one pod's counts as CloudWatch datums (namespace KubeCdn/Edge, names in
 * core/edge-metrics/edge-metric-names.ts), all at the minute's start with 60-second resolution,
 * so CloudWatch sums the pods of every region into one datapoint per minute.
 *
 * - Demand {Project, Region}: ViewerRequests for every configured region, zeros included (a
 *   missing datapoint then means "nobody reported", never "nobody asked"); UnattributedRequests
 *   {Project}. Without a region table there are no regions to name: every request is
 *   unattributed, and no ViewerRequests are sent rather than zeros that would read as no demand.
 * - Health {Project, EdgeRegion}: Requests every minute even when 0 (the "edge is reporting"
 *   signal), BytesToViewers, Responses per StatusClass, OriginErrors, UnreadableLogLines as
 *   counts; CacheHit and ServerError as values 1 and 0 with their counts, so the Average over any
 *   number of pods is the hit ratio and the 5xx share (omitted when there is nothing to divide;
 *   a value whose count is 0 is left out, which leaves the average unchanged); OriginLatency as
 *   the latency histogram's buckets (each at its midpoint) with their counts, from which
 *   CloudWatch answers p50 and p95 across pods.
 */
import type { Dimension, MetricDatum } from '@aws-sdk/client-cloudwatch';
import { emptyHistogram, LATENCY_BUCKET_BOUNDS_MS, mergeInto } from '../core/edge-metrics/latency-histogram';
import {
  BYTES_TO_VIEWERS_METRIC,
  CACHE_HIT_METRIC,
  EDGE_REGION_DIMENSION,
  ORIGIN_ERRORS_METRIC,
  ORIGIN_LATENCY_METRIC,
  PROJECT_DIMENSION,
  REGION_DIMENSION,
  REQUESTS_METRIC,
  RESPONSES_METRIC,
  SERVER_ERROR_METRIC,
  STATUS_CLASS_DIMENSION,
  UNATTRIBUTED_REQUESTS_METRIC,
  UNREADABLE_LOG_LINES_METRIC,
  VIEWER_REQUESTS_METRIC,
} from '../core/edge-metrics/edge-metric-names';
import type { MinuteReport } from './minute-reports';

export interface DatumIdentity {
  readonly project: string;
  /** The region this pod serves in. */
  readonly edgeRegion: string;
  /** The configured regions (the region table's), or undefined while there is no table. */
  readonly regions: readonly string[] | undefined;
}

/** Each latency bucket's value: the middle of its bounds; the open bucket above a minute is "a minute". */
const BUCKET_VALUES_MS = [
  ...LATENCY_BUCKET_BOUNDS_MS.map((upper, i) => (i === 0 ? upper / 2 : (LATENCY_BUCKET_BOUNDS_MS[i - 1]! + upper) / 2)),
  LATENCY_BUCKET_BOUNDS_MS.at(-1)!,
];

/** Values with their counts, leaving out the ones counted 0 (undefined when all are 0). */
function distribution(values: readonly number[], counts: readonly number[]): { Values: number[]; Counts: number[] } | undefined {
  const kept = values.map((value, i) => [value, counts[i]!] as const).filter(([, count]) => count > 0);
  return kept.length === 0 ? undefined : { Values: kept.map(([v]) => v), Counts: kept.map(([, c]) => c) };
}

export function edgeMetricDatums(report: MinuteReport, identity: DatumIdentity): MetricDatum[] {
  const Timestamp = new Date(report.minuteStartMs);
  const project: Dimension = { Name: PROJECT_DIMENSION, Value: identity.project };
  const edge: Dimension[] = [project, { Name: EDGE_REGION_DIMENSION, Value: identity.edgeRegion }];
  const datum = (MetricName: string, Dimensions: Dimension[], Unit: MetricDatum['Unit'], rest: Partial<MetricDatum>): MetricDatum => ({
    MetricName,
    Dimensions,
    Timestamp,
    Unit,
    StorageResolution: 60,
    ...rest,
  });

  const byRegion = new Map<string, number>();
  const total = { requests: 0, bytes: 0, hits: 0, misses: 0, s2: 0, s3: 0, s4: 0, s5: 0, originErrors: 0 };
  const latency = emptyHistogram();
  for (const record of report.records) {
    byRegion.set(record.region, (byRegion.get(record.region) ?? 0) + record.requests);
    total.requests += record.requests;
    total.bytes += record.bytesSent;
    total.hits += record.cacheHits;
    total.misses += record.cacheMisses;
    total.s2 += record.status2xx;
    total.s3 += record.status3xx;
    total.s4 += record.status4xx;
    total.s5 += record.status5xx;
    total.originErrors += record.originErrors;
    mergeInto(latency, record.originLatency);
  }

  const regions = identity.regions ?? [];
  const attributed = regions.reduce((sum, region) => sum + (byRegion.get(region) ?? 0), 0);
  const datums: MetricDatum[] = [
    ...regions.map((region) =>
      datum(VIEWER_REQUESTS_METRIC, [project, { Name: REGION_DIMENSION, Value: region }], 'Count', { Value: byRegion.get(region) ?? 0 }),
    ),
    // Whatever no configured region took (UNATTRIBUTED, or a region the table does not list).
    datum(UNATTRIBUTED_REQUESTS_METRIC, [project], 'Count', { Value: total.requests - attributed }),
    datum(REQUESTS_METRIC, edge, 'Count', { Value: total.requests }),
    datum(BYTES_TO_VIEWERS_METRIC, edge, 'Bytes', { Value: total.bytes }),
    ...(
      [
        ['2xx', total.s2],
        ['3xx', total.s3],
        ['4xx', total.s4],
        ['5xx', total.s5],
      ] as const
    ).map(([statusClass, count]) =>
      datum(RESPONSES_METRIC, [...edge, { Name: STATUS_CLASS_DIMENSION, Value: statusClass }], 'Count', { Value: count }),
    ),
    datum(ORIGIN_ERRORS_METRIC, edge, 'Count', { Value: total.originErrors }),
    datum(UNREADABLE_LOG_LINES_METRIC, edge, 'Count', { Value: report.unreadableLines }),
  ];
  const hitRatio = distribution([1, 0], [total.hits, total.misses]);
  if (hitRatio) datums.push(datum(CACHE_HIT_METRIC, edge, 'None', hitRatio));
  const serverErrors = distribution([1, 0], [total.s5, total.requests - total.s5]);
  if (serverErrors) datums.push(datum(SERVER_ERROR_METRIC, edge, 'None', serverErrors));
  const latencies = distribution(BUCKET_VALUES_MS, latency.counts);
  if (latencies) datums.push(datum(ORIGIN_LATENCY_METRIC, edge, 'Milliseconds', latencies));
  return datums;
}
