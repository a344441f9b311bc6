/**
 * What the edges' own telemetry costs in CloudWatch per month: the custom metrics they publish,
 * their PutMetricData calls, and the sampled access-log lines they ship (ingestion and storage).
 * Pure arithmetic over the config and a few measured inputs, so the README's table is computed,
 * not guessed (a test recomputes it).
 *
 * Billing as the design has it: every running edge pod makes one PutMetricData call a minute, with
 * the demand counts for every configured region and its own region's health; a metric (namespace,
 * name, dimensions) bills $0.30 a month for each month it is published, prorated by the hour, so a
 * region's health metrics bill only while it runs; the demand metrics bill once whatever the
 * number of pods, since every pod publishes the same time series.
 */
import { configuredRegions, type KubeCdnConfig } from '../config';
import {
  BYTES_TO_VIEWERS_METRIC,
  CACHE_HIT_METRIC,
  ORIGIN_ERRORS_METRIC,
  ORIGIN_LATENCY_METRIC,
  REQUESTS_METRIC,
  SERVER_ERROR_METRIC,
  STATUS_CLASSES,
  UNREADABLE_LOG_LINES_METRIC,
} from './edge-metric-names';

/** us-east-1 list prices, from https://aws.amazon.com/cloudwatch/pricing/ (paid tier, free tier not deducted). */
export interface CloudWatchPrices {
  /** USD per custom metric per month, the first 10,000 metrics. */
  readonly customMetricPerMonth: number;
  /** USD per 1,000 PutMetricData requests. */
  readonly putMetricDataPer1000: number;
  /** USD per GB of log data ingested (standard log class). */
  readonly logIngestionPerGb: number;
  /** USD per GB-month of log data stored. */
  readonly logStoragePerGbMonth: number;
}

export const CLOUDWATCH_PRICES: CloudWatchPrices = {
  customMetricPerMonth: 0.3,
  putMetricDataPer1000: 0.01,
  logIngestionPerGb: 0.5,
  logStoragePerGbMonth: 0.03,
};

/** AWS bills monthly items over a 730-hour month (365 × 24 / 12), as core/simulator/cost-model.ts does. */
const MINUTES_PER_MONTH = 730 * 60;
const DAYS_PER_MONTH = 365 / 12;
const GB = 1e9;
/** CloudWatch Logs sizes each event as its UTF-8 message plus 26 bytes. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

/** Health metrics each running edge region publishes: one each, and Responses once per status class. */
export const HEALTH_METRICS_PER_EDGE_REGION =
  [
    REQUESTS_METRIC,
    CACHE_HIT_METRIC,
    BYTES_TO_VIEWERS_METRIC,
    SERVER_ERROR_METRIC,
    ORIGIN_ERRORS_METRIC,
    ORIGIN_LATENCY_METRIC,
    UNREADABLE_LOG_LINES_METRIC,
  ].length + STATUS_CLASSES.length;

export interface TelemetryLoad {
  /** Regions whose edges run all month (the table's premise: every configured region). */
  readonly runningRegions: number;
  /** Edge pods per running region (the Deployment's replicas). */
  readonly podsPerRegion: number;
  /** Viewer requests per second served by each running region, all month. */
  readonly requestsPerSecondPerRegion: number;
  /** Average bytes of one shipped access-log line (the JSON line with its sampleRate field). */
  readonly averageShippedLineBytes: number;
}

export interface TelemetryCost {
  readonly metrics: number;
  readonly metricsUsd: number;
  readonly putMetricDataCalls: number;
  readonly putMetricDataUsd: number;
  /** Log data ingested per month, GB, the per-event overhead included. */
  readonly ingestedGb: number;
  readonly ingestionUsd: number;
  /** Steady-state log data held under the retention, GB-months (counted uncompressed: an upper bound). */
  readonly storedGbMonths: number;
  readonly storageUsd: number;
  readonly totalUsd: number;
}

/** The bytes one access-log line takes once the agent has added its sample rate. */
export function shippedLineBytes(line: string, sampleRate: number): number {
  return Buffer.byteLength(line, 'utf8') + Buffer.byteLength(`,"sampleRate":${sampleRate}`, 'utf8');
}

export function edgeTelemetryMonthlyCost(
  config: KubeCdnConfig,
  load: TelemetryLoad,
  prices: CloudWatchPrices = CLOUDWATCH_PRICES,
): TelemetryCost {
  const { sampleRate, retentionDays } = config.edgeMonitoring.accessLogs;
  // ViewerRequests for every configured region, plus UnattributedRequests.
  const demandMetrics = configuredRegions(config).length + 1;
  const metrics = demandMetrics + load.runningRegions * HEALTH_METRICS_PER_EDGE_REGION;
  const putMetricDataCalls = load.runningRegions * load.podsPerRegion * MINUTES_PER_MONTH;
  const linesPerMonth = load.runningRegions * load.requestsPerSecondPerRegion * 60 * MINUTES_PER_MONTH * sampleRate;
  const ingestedGb = (linesPerMonth * (load.averageShippedLineBytes + LOG_EVENT_OVERHEAD_BYTES)) / GB;
  // Under a retention of R days, the logs held at any time are R days' worth.
  const storedGbMonths = ingestedGb * (retentionDays / DAYS_PER_MONTH);
  const metricsUsd = metrics * prices.customMetricPerMonth;
  const putMetricDataUsd = (putMetricDataCalls / 1000) * prices.putMetricDataPer1000;
  const ingestionUsd = ingestedGb * prices.logIngestionPerGb;
  const storageUsd = storedGbMonths * prices.logStoragePerGbMonth;
  return {
    metrics,
    metricsUsd,
    putMetricDataCalls,
    putMetricDataUsd,
    ingestedGb,
    ingestionUsd,
    storedGbMonths,
    storageUsd,
    totalUsd: metricsUsd + putMetricDataUsd + ingestionUsd + storageUsd,
  };
}
