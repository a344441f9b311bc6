/** Shared fixtures for the autoscaler Lambda tests: mocked AWS answers for a tick at a fixed time. */
import type { GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { demandWindow } from '../../../core/demand/demand-queries';
import type { KubeCdnConfig } from '../../../core/config';

export const TICK = Date.parse('2026-11-25T20:10:00Z');
export const START_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StartRegion';
export const STOP_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StopRegion';

/** A GetMetricData answer giving each region the same per-minute demand in every period of the window. */
export function steadyDemand(config: KubeCdnConfig, perRegion: Record<string, number>): GetMetricDataCommandOutput {
  const window = demandWindow(config, TICK);
  const timestamps = Array.from({ length: window.periods }, (_, i) => new Date(window.start + i * window.periodSeconds * 1000));
  return {
    $metadata: {},
    MetricDataResults: Object.entries(perRegion).map(([region, value]) => ({
      Id: `demand_${region.replace(/-/g, '_')}`,
      Timestamps: timestamps,
      Values: timestamps.map(() => value),
      StatusCode: 'Complete',
    })),
  };
}

export function latencyRecord(region: string, domain = 'cdn.example.com'): ResourceRecordSet {
  return { Name: `${domain}.`, Type: 'A', SetIdentifier: region, Region: region as ResourceRecordSet['Region'] };
}

export function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name} (simulated)`), { name, $metadata: { httpStatusCode } });
}

export const noSleep = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };
