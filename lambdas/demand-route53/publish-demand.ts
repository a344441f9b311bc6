/**
 * Publishes per-minute demand to CloudWatch, where the autoscaler reads it: one datapoint per
 * configured region per minute seen (zeros included), plus the unattributed count.
 * Several invocations may cover the same minute; CloudWatch adds their datapoints up (the
 * autoscaler reads the Sum), so each invocation publishes only what it counted.
 */
import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DEMAND_NAMESPACE,
  PROJECT_DIMENSION,
  REGION_DIMENSION,
  UNATTRIBUTED_METRIC,
  VIEWER_DEMAND_METRIC,
} from '../../core/demand/demand-metric';
import type { MinuteDemand } from '../../core/demand/query-log';

/** PutMetricData takes at most 1000 datapoints per call. */
export const MAX_DATUMS_PER_CALL = 1000;

export function demandDatums(project: string, minutes: readonly MinuteDemand[]): MetricDatum[] {
  return minutes.flatMap((m) => {
    const timestamp = new Date(m.minute);
    const perRegion = Object.entries(m.perRegion).map(([region, count]): MetricDatum => ({
      MetricName: VIEWER_DEMAND_METRIC,
      Dimensions: [
        { Name: PROJECT_DIMENSION, Value: project },
        { Name: REGION_DIMENSION, Value: region },
      ],
      Timestamp: timestamp,
      Value: count,
      Unit: 'Count',
      StorageResolution: 60,
    }));
    const unattributed: MetricDatum = {
      MetricName: UNATTRIBUTED_METRIC,
      Dimensions: [{ Name: PROJECT_DIMENSION, Value: project }],
      Timestamp: timestamp,
      Value: m.unattributed,
      Unit: 'Count',
      StorageResolution: 60,
    };
    return [...perRegion, unattributed];
  });
}

/** Returns the number of PutMetricData calls made. */
export async function publishDemand(cloudWatch: CloudWatchClient, datums: readonly MetricDatum[]): Promise<number> {
  let calls = 0;
  for (let i = 0; i < datums.length; i += MAX_DATUMS_PER_CALL) {
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: DEMAND_NAMESPACE, MetricData: datums.slice(i, i + MAX_DATUMS_PER_CALL) }));
    calls += 1;
  }
  return calls;
}
