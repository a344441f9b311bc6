/**
 * The edges' own metrics (core/edge-metrics/edge-metric-names.ts) as the dashboard and alarms
 * read them: in the home region, where every edge publishes, one datapoint per pod per minute.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { KubeCdnConfig } from '../core/config';
import { EDGE_NAMESPACE, EDGE_REGION_DIMENSION, PROJECT_DIMENSION } from '../core/edge-metrics/edge-metric-names';

/** One region's edge health metric: `region` is the region whose edges served the requests. */
export function edgeHealthMetric(
  config: KubeCdnConfig,
  region: string,
  metricName: string,
  statistic: string,
  extraDimensions: Record<string, string> = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: EDGE_NAMESPACE,
    metricName,
    dimensionsMap: { [PROJECT_DIMENSION]: config.name, [EDGE_REGION_DIMENSION]: region, ...extraDimensions },
    statistic,
    period: Duration.minutes(1),
  });
}

/**
 * A SEARCH over every edge region's `metricName` for this project: one line per region (labelled
 * with it) in one expression, so a dashboard graph stays the same size whatever the number of
 * regions, and a region appears as soon as its edges publish. `extra` adds exact dimension
 * matches (e.g. the status class).
 */
export function edgeHealthSearch(config: KubeCdnConfig, metricName: string, statistic: string, extra: Record<string, string> = {}): string {
  const dimensionNames = [EDGE_REGION_DIMENSION, PROJECT_DIMENSION, ...Object.keys(extra)].sort();
  const terms = [
    `MetricName="${metricName}"`,
    `${PROJECT_DIMENSION}="${config.name}"`,
    ...Object.entries(extra).map(([k, v]) => `${k}="${v}"`),
  ];
  return `SEARCH('{${EDGE_NAMESPACE},${dimensionNames.join(',')}} ${terms.join(' ')}', '${statistic}', 60)`;
}
