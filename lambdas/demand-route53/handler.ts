/**
 * The demand producer: subscribed to the CDN zone's Route 53 query log group (us-east-1), it
 * attributes each DNS query for the CDN name to the configured region nearest the edge location
 * that answered it, and publishes per-minute counts as the KubeCdn/Demand metric. It sees the
 * viewers of stopped regions too, since DNS is answered whether or not a region serves.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import middy from '@middy/core';
import { config } from 'zod/v4/core';
import { en } from 'zod/v4/locales';
import { countDemandByMinute } from '../../core/demand/query-log';
import { clientOptions } from '../shared/aws-clients';
import { logger, tracer } from '../shared/powertools';
import { validatedEvent } from '../shared/validated-event';
import { producerSettings } from './producer-settings';
import { demandDatums, publishDemand } from './publish-demand';
import { decodeSubscriptionEvent, type SubscriptionEvent, subscriptionEventSchema } from './subscription-event';

// The settings and event schemas are zod/mini, which loads no messages: English, as full zod has.
config(en());
const settings = producerSettings(process.env);
const cloudWatch = tracer.captureAWSv3Client(new CloudWatchClient(clientOptions(process.env.AWS_REGION ?? 'us-east-1')));

export interface ProducerResult {
  readonly logEvents: number;
  readonly minutes: number;
  readonly queries: number;
  readonly unattributed: number;
  readonly putMetricDataCalls: number;
}

export const handler = middy(async (event: SubscriptionEvent): Promise<ProducerResult> => {
  const payload = decodeSubscriptionEvent(event);
  // CloudWatch Logs checks a new subscription with a control message; there is nothing to count.
  if (payload.messageType === 'CONTROL_MESSAGE') return { logEvents: 0, minutes: 0, queries: 0, unattributed: 0, putMetricDataCalls: 0 };
  const minutes = countDemandByMinute(
    payload.logEvents.map((e) => e.message),
    settings,
  );
  const calls = await publishDemand(cloudWatch, demandDatums(settings.project, minutes));
  const result: ProducerResult = {
    logEvents: payload.logEvents.length,
    minutes: minutes.length,
    queries: minutes.reduce((sum, m) => sum + Object.values(m.perRegion).reduce((a, b) => a + b, 0), 0),
    unattributed: minutes.reduce((sum, m) => sum + m.unattributed, 0),
    putMetricDataCalls: calls,
  };
  if (result.unattributed > 0) {
    const unknownEdges = [...new Set(minutes.flatMap((m) => m.unknownEdges))].sort();
    logger.warn('queries from edge locations with no known position were not attributed; add them to core/demand/edge-locations.ts', {
      ...result,
      unknownEdges,
    });
  } else logger.debug('demand published', { ...result });
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(validatedEvent(subscriptionEventSchema));
