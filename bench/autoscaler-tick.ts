/**
 * Autoscaler tick time and AWS calls per tick, running the Lambda's own runTick (lambdas/
 * autoscaler/tick.ts) against instant mocked AWS (mocked-aws.ts), so what is timed is our code:
 * building requests, reading the answers, deriving states, deciding, reporting.
 *
 * A container's first tick reads the whole demand window; later ones keep what they read
 * (DemandHistory, as the handler does) and ask only for new periods. Both are reported: the
 * first as a median over fresh containers, the warm one as a median over consecutive ticks.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { demandPeriodsNeeded } from '../core/autoscaler/demand-window';
import { configuredRegions, type KubeCdnConfig, validateConfig } from '../core/config';
import { AWS_REGION_CODES } from '../core/regions';
import { DemandHistory } from '../lambdas/autoscaler/demand-history';
import type { DecisionLogger, MetricSink } from '../lambdas/autoscaler/report';
import { runTick, type TickDeps } from '../lambdas/autoscaler/tick';
import { clientOptions } from '../lambdas/shared/aws-clients';
import { mockQuietAws } from './mocked-aws';
import { type Samples, summarize, timedAsync } from './timing';

/** Calls by command name in one tick, and their total. */
export interface CallCount {
  readonly total: number;
  readonly byCommand: Readonly<Record<string, number>>;
}

export interface TickMeasurement {
  readonly regions: number;
  /** config.prediction.enabled: the engine then reads a week of demand. */
  readonly prediction: boolean;
  /** Periods of demand the engine reads each tick. */
  readonly demandPeriods: number;
  readonly coldTick: Samples;
  readonly warmTick: Samples;
  readonly coldTickCalls: CallCount;
  readonly warmTickCalls: CallCount;
  /** Start/stop decisions taken; 0 in the quiet fleet, else the call counts include StartExecution. */
  readonly actions: number;
}

export interface TickBenchOptions {
  /** The config the fleets are built from (its thresholds, standby and demand settings). */
  readonly base: KubeCdnConfig;
  readonly regionCounts: readonly number[];
  readonly predictionModes: readonly boolean[];
  /** Fresh containers whose first tick is timed. */
  readonly coldTicks: number;
  /** Consecutive ticks timed in one warm container. */
  readonly warmTicks: number;
}

/** `base` with `count` configured regions: its own, then more from the region list, in order. */
export function configWithRegions(base: KubeCdnConfig, count: number, prediction: boolean): KubeCdnConfig {
  const own = configuredRegions(base);
  const extra = AWS_REGION_CODES.filter((region) => !own.includes(region));
  const scalable = [...base.scalable, ...extra].slice(0, Math.max(0, count - base.alwaysOn.length));
  const raw = {
    ...base,
    scalable,
    standby: Object.fromEntries(Object.entries(base.standby).filter(([region]) => scalable.includes(region))),
    limits: { ...base.limits, maxRunningRegions: count },
    prediction: { ...base.prediction, enabled: prediction },
  };
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(`the ${count}-region config is invalid: ${JSON.stringify(result.problems)}`);
  if (configuredRegions(result.config).length !== count)
    throw new Error(`only ${AWS_REGION_CODES.length} AWS regions are known; asked for ${count}`);
  return result.config;
}

// Powertools serializes each log line to JSON; doing the same and dropping the text keeps that cost in the tick.
const serializeAndDrop = (message: string, attributes: Record<string, unknown>) => void JSON.stringify({ message, ...attributes });
const quietLog: DecisionLogger = { info: serializeAndDrop, warn: serializeAndDrop, error: serializeAndDrop };
const discardMetrics: MetricSink = { add: () => {} };

const START_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StartRegion';
const STOP_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StopRegion';
const OPERATIONS_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:kubecdn-operations';

/** A container's dependencies as the handler builds them: clients per region kept, one DemandHistory. */
function containerDeps(homeRegion: string): TickDeps {
  const perRegion = <C>(make: (region: string) => C) => {
    const clients = new Map<string, C>();
    return (region: string): C => {
      if (!clients.has(region)) clients.set(region, make(region));
      return clients.get(region)!;
    };
  };
  // Credentials are never looked up: the mocks answer before any middleware runs.
  return {
    cloudWatchFor: perRegion((region) => new CloudWatchClient(clientOptions(region, 1))),
    history: new DemandHistory(),
    eksFor: perRegion((region) => new EKSClient(clientOptions(region, 2))),
    route53: new Route53Client(clientOptions('us-east-1')),
    sfn: new SFNClient(clientOptions(homeRegion)),
    stateMachines: { start: START_ARN, stop: STOP_ARN },
    describeTimeoutMs: 5000,
    log: quietLog,
    metrics: discardMetrics,
    // The override table, which the handler always has: its Scan is one of every tick's calls.
    overrideStore: {
      dynamodb: new DynamoDBClient(clientOptions(homeRegion, 3)),
      overrideTable: 'kubecdn-control-RegionOverrides',
      sns: new SNSClient(clientOptions(homeRegion, 3)),
      operationsTopic: OPERATIONS_TOPIC_ARN,
    },
  };
}

function countOf(byCommand: Record<string, number>): CallCount {
  return { total: Object.values(byCommand).reduce((sum, n) => sum + n, 0), byCommand };
}

export async function measureTicks(
  config: KubeCdnConfig,
  options: Pick<TickBenchOptions, 'coldTicks' | 'warmTicks'>,
  firstTick = Date.UTC(2026, 10, 25, 20, 0),
): Promise<Omit<TickMeasurement, 'demandPeriods'>> {
  const aws = mockQuietAws(config);
  const periodMs = config.periodSeconds * 1000;
  try {
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    let coldCalls: Record<string, number> = {};
    let warmCalls: Record<string, number> = {};
    let actions = 0;
    const tick = async (deps: TickDeps, at: number) => {
      aws.resetCallCounts();
      const { result, ms } = await timedAsync(() => runTick(deps, config, at));
      actions += result.decisions.filter((d) => d.action !== 'none').length;
      return { ms, calls: aws.callsByCommand() };
    };
    for (let container = 0; container < Math.max(1, options.coldTicks); container++) {
      const first = await tick(containerDeps(config.homeRegion), firstTick);
      coldMs.push(first.ms);
      coldCalls = first.calls;
    }
    const warm = containerDeps(config.homeRegion);
    await tick(warm, firstTick);
    for (let i = 1; i <= Math.max(1, options.warmTicks); i++) {
      const next = await tick(warm, firstTick + i * periodMs);
      warmMs.push(next.ms);
      warmCalls = next.calls;
    }
    return {
      regions: configuredRegions(config).length,
      prediction: config.prediction.enabled,
      coldTick: summarize(coldMs),
      warmTick: summarize(warmMs),
      coldTickCalls: countOf(coldCalls),
      warmTickCalls: countOf(warmCalls),
      actions,
    };
  } finally {
    aws.restore();
  }
}

export async function benchAutoscalerTicks(options: TickBenchOptions): Promise<TickMeasurement[]> {
  const measurements: TickMeasurement[] = [];
  for (const prediction of options.predictionModes) {
    for (const count of options.regionCounts) {
      const config = configWithRegions(options.base, count, prediction);
      measurements.push({ ...(await measureTicks(config, options)), demandPeriods: demandPeriodsNeeded(config) });
    }
  }
  return measurements;
}
