/**
 * The edge's health on the operations dashboard, beside demand: what each region's edges served
 * and how well. One graph per measure with one line per edge region (a SEARCH expression each), so
 * the dashboard's size does not grow with the number of regions: a 30-region config gets the same
 * graphs as a 3-region one, and a region's line appears once its edges publish.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { KubeCdnConfig } from '../core/config';
import {
  BYTES_TO_VIEWERS_METRIC,
  CACHE_HIT_METRIC,
  EDGE_NAMESPACE,
  EDGE_REGION_DIMENSION,
  ORIGIN_ERRORS_METRIC,
  ORIGIN_LATENCY_METRIC,
  PROJECT_DIMENSION,
  REQUESTS_METRIC,
  RESPONSES_METRIC,
  SERVER_ERROR_METRIC,
  STATUS_CLASS_DIMENSION,
  STATUS_CLASSES,
  UNATTRIBUTED_REQUESTS_METRIC,
  UNREADABLE_LOG_LINES_METRIC,
} from '../core/edge-metrics/edge-metric-names';
import { edgeHealthSearch } from './edge-metric';

const MINUTE = Duration.minutes(1);
/** Each line is named by the region whose edges served. */
const REGION_LABEL = `\${PROP('Dim.${EDGE_REGION_DIMENSION}')}`;

const STATUS_COLORS: Record<string, string> = {
  '2xx': cloudwatch.Color.GREEN,
  '3xx': cloudwatch.Color.BLUE,
  '4xx': cloudwatch.Color.ORANGE,
  '5xx': cloudwatch.Color.RED,
};

/** One line per edge region: `scale` × the statistic of `metricName`. */
function perRegion(config: KubeCdnConfig, metricName: string, statistic: string, scale = 1, label = REGION_LABEL): cloudwatch.IMetric {
  const search = edgeHealthSearch(config, metricName, statistic);
  return new cloudwatch.MathExpression({
    expression: scale === 1 ? search : `${scale} * ${search}`,
    usingMetrics: {},
    label,
    period: MINUTE,
  });
}

function graph(title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    width: 8,
    height: 6,
    left,
    leftYAxis: { min: 0, showUnits: false },
    legendPosition: cloudwatch.LegendPosition.BOTTOM,
    ...extra,
  });
}

/** The rows to add under the demand graphs. */
export function edgeHealthWidgets(config: KubeCdnConfig): cloudwatch.IWidget[][] {
  const { serverErrorPercent, serverErrorMinutes } = config.edgeMonitoring.alarms;
  const responsesByClass = STATUS_CLASSES.map(
    (statusClass) =>
      new cloudwatch.MathExpression({
        expression: `SUM(${edgeHealthSearch(config, RESPONSES_METRIC, 'Sum', { [STATUS_CLASS_DIMENSION]: statusClass })})`,
        usingMetrics: {},
        label: statusClass,
        color: STATUS_COLORS[statusClass],
        period: MINUTE,
      }),
  );
  return [
    [
      new cloudwatch.TextWidget({
        width: 24,
        height: 2,
        markdown:
          `## Edge health, per region whose edges served (${EDGE_NAMESPACE}, in ${config.homeRegion})\n` +
          'Published by every running edge each minute. A region that is not running has no line; a running region without a line is what the edges-silent alarm reports.',
      }),
    ],
    [
      graph('Requests served per minute', [perRegion(config, REQUESTS_METRIC, 'Sum')]),
      graph('Cache hit ratio (%)', [perRegion(config, CACHE_HIT_METRIC, 'Average', 100)], {
        leftYAxis: { min: 0, max: 100, showUnits: false },
      }),
      graph('Bytes to viewers per minute', [perRegion(config, BYTES_TO_VIEWERS_METRIC, 'Sum')]),
    ],
    [
      graph('Responses per minute by status class (all regions)', responsesByClass, { stacked: true }),
      graph('5xx share of responses (%)', [perRegion(config, SERVER_ERROR_METRIC, 'Average', 100)], {
        leftAnnotations: [
          {
            value: serverErrorPercent,
            label: `alarm above ${serverErrorPercent}% for ${serverErrorMinutes} min`,
            color: cloudwatch.Color.RED,
          },
        ],
      }),
      graph('Origin errors per minute', [perRegion(config, ORIGIN_ERRORS_METRIC, 'Sum')]),
    ],
    [
      graph('Origin latency p50 (ms)', [perRegion(config, ORIGIN_LATENCY_METRIC, 'p50')]),
      graph('Origin latency p95 (ms)', [perRegion(config, ORIGIN_LATENCY_METRIC, 'p95')]),
      graph('Edge agents: unreadable log lines and unattributed viewers per minute', [
        perRegion(config, UNREADABLE_LOG_LINES_METRIC, 'Sum', 1, `unreadable lines, ${REGION_LABEL}`),
        new cloudwatch.Metric({
          namespace: EDGE_NAMESPACE,
          metricName: UNATTRIBUTED_REQUESTS_METRIC,
          dimensionsMap: { [PROJECT_DIMENSION]: config.name },
          statistic: 'Sum',
          period: MINUTE,
          label: 'requests from unlocated addresses',
        }),
      ]),
    ],
  ];
}
