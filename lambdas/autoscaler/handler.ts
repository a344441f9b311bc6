/**
 * The autoscaler Lambda, run by the EventBridge schedule once per period. Thin: it builds the
 * clients and hands them to runTick; config and state machine ARNs are read once per cold start.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { promises as dns } from 'node:dns';
import * as z from 'zod/mini';
import { clientOptions } from '../shared/aws-clients';
import { logger, metrics, tracer } from '../shared/powertools';
import { validatedEvent } from '../shared/validated-event';
import { DemandHistory } from './demand-history';
import { deployedConfig, overrideStoreNames, stateMachineArns } from './deployed-config';
import type { MetricSink } from './report';
import { runTick, type TickDeps, type TickSummary } from './tick';

const config = deployedConfig();
const stateMachines = stateMachineArns(process.env);
const overrideStore = overrideStoreNames(process.env);

function perRegion<C extends object>(make: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = tracer.captureAWSv3Client(make(region));
      clients.set(region, client);
    }
    return client;
  };
}

const metricSink: MetricSink = {
  add(name, unit, value, dimensions) {
    const metricUnit = unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit;
    if (!dimensions) return metrics.addMetric(name, metricUnit, value);
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, metricUnit, value);
  },
};

// Only a lapsed override is announced, which few ticks see: its client is built the first time.
let operationsSns: SNSClient | undefined;

const deps: TickDeps = {
  // One attempt per call: readDemand retries throttling itself, with backoff it can see.
  cloudWatchFor: perRegion((region) => new CloudWatchClient(clientOptions(region, 1))),
  // Lives as long as the container: warm ticks read only the periods they have not seen.
  history: new DemandHistory(),
  eksFor: perRegion((region) => new EKSClient(clientOptions(region, 2))),
  route53: tracer.captureAWSv3Client(new Route53Client(clientOptions('us-east-1'))),
  sfn: tracer.captureAWSv3Client(new SFNClient(clientOptions(config.homeRegion))),
  stateMachines,
  describeTimeoutMs: 5000,
  log: logger,
  metrics: metricSink,
  resolveA: (hostname) => dns.resolve4(hostname),
  overrideStore: {
    ...overrideStore,
    dynamodb: tracer.captureAWSv3Client(new DynamoDBClient(clientOptions(config.homeRegion, 3))),
    get sns() {
      return (operationsSns ??= tracer.captureAWSv3Client(new SNSClient(clientOptions(config.homeRegion, 3))));
    },
  },
};

/** The schedule's event; its `time` names the tick, so a retried invocation repeats the same tick. */
// zod/mini: the whole check needs no more of zod than this, and the full library is most of a bundle.
// zod/mini loads no English messages, so each check says what it expects itself.
const scheduledEvent = z.looseObject(
  {
    time: z.optional(z.iso.datetime({ offset: true, error: 'expected the tick time as an ISO 8601 timestamp, e.g. 2026-11-25T20:10:00Z' })),
  },
  { error: 'expected an EventBridge scheduled event (an object)' },
);

export const handler = middy(async (event: z.infer<typeof scheduledEvent>): Promise<TickSummary> => {
  const tickTime = event.time ? Date.parse(event.time) : Date.now();
  return runTick(deps, config, tickTime);
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(validatedEvent(scheduledEvent));
