/**
 * The agent's three AWS calls, on SDK v3 clients made with the default credential chain (in the
 * pod: EKS Pod Identity's AWS_CONTAINER_CREDENTIALS_FULL_URI and token file), all in the home
 * region: PutMetricData in namespace KubeCdn/Edge (the only one the role may write), and
 * CreateLogStream and PutLogEvents on the access log group.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EDGE_NAMESPACE } from '../core/edge-metrics/edge-metric-names';
import type { Log } from './log';
import type { LogStreamApi } from './log-shipper';
import type { PutMetrics } from './metric-publisher';

export function putMetrics(client: CloudWatchClient): PutMetrics {
  return async (datums) => {
    await client.send(new PutMetricDataCommand({ Namespace: EDGE_NAMESPACE, MetricData: datums }));
  };
}

export function logStreamApi(client: CloudWatchLogsClient, logGroupName: string, logStreamName: string, log: Log): LogStreamApi {
  return {
    async createStream() {
      try {
        await client.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceAlreadyExistsException') throw error;
      }
    },
    async putEvents(events) {
      const response = await client.send(
        new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: events.map((e) => ({ ...e })) }),
      );
      if (response.rejectedLogEventsInfo)
        log('warn', 'CloudWatch Logs rejected some access-log lines', { ...response.rejectedLogEventsInfo });
    },
  };
}
