/**
 * The dependencies of one autoscaler tick as the tick tests give them: the real SDK clients (which
 * the tests answer with aws-sdk-client-mock), the state machine ARNs of fixtures.ts, no waiting
 * between retries, and a log and metric sink that record everything the tick says.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { TickDeps } from '../../../lambdas/autoscaler/tick';
import { noSleep, START_ARN, STOP_ARN } from './fixtures';

/** What a tick logged and which metrics it put, in order. */
export interface RecordedTick {
  logs: Array<{ level: 'info' | 'warn' | 'error'; message: string; attributes: Record<string, unknown> }>;
  metrics: Array<{ name: string; value: number; dimensions?: Readonly<Record<string, string>> }>;
}

/** A tick's dependencies, recording its logs and metrics; `extra` adds the optional ones (an override store, a demand history). */
export function recordingTickDeps(extra: Partial<TickDeps> = {}): { deps: TickDeps; recorded: RecordedTick } {
  const recorded: RecordedTick = { logs: [], metrics: [] };
  const at = (level: RecordedTick['logs'][number]['level']) => (message: string, attributes: Record<string, unknown>) =>
    recorded.logs.push({ level, message, attributes });
  const deps: TickDeps = {
    cloudWatchFor: (region) => new CloudWatchClient({ region }),
    eksFor: (region) => new EKSClient({ region }),
    route53: new Route53Client({ region: 'us-east-1' }),
    sfn: new SFNClient({ region: 'us-east-1' }),
    stateMachines: { start: START_ARN, stop: STOP_ARN },
    describeTimeoutMs: 50,
    retry: noSleep,
    log: { info: at('info'), warn: at('warn'), error: at('error') },
    metrics: { add: (name, _unit, value, dimensions) => recorded.metrics.push({ name, value, dimensions }) },
    ...extra,
  };
  return { deps, recorded };
}
