/**
 * An instant, steady AWS for the tick benchmark, through aws-sdk-client-mock (it replaces the
 * clients' send(), so no request is built, signed or sent). The fleet is quiet: always-on regions
 * and the first half of the scalable ones run busy, the rest are stopped (or in warm standby) and
 * quiet, so a tick decides nothing and its cost is the reading every tick pays. GetMetricData
 * answers every period asked for and pages like CloudWatch does, so a cold container's
 * week-long read costs what it would. The override table holds no override: its Scan, which
 * every tick makes, answers an empty page (and SNS, which only a lapsed override reaches, is
 * mocked so that nothing could be sent).
 */
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { configuredRegions, type KubeCdnConfig, standbyFor, thresholdsFor } from '../core/config';
import { demandMetricQueries } from '../core/demand/demand-queries';
import { edgeReportingQueries } from '../core/edge-metrics/silent-regions';
import { clusterName } from '../lambdas/region-ops/names';

/** GetMetricData returns at most this many datapoints per call, then a NextToken. */
export const MAX_DATAPOINTS_PER_GET_METRIC_DATA = 100_800;

export interface MockedAws {
  /** Every call since the last reset, by command name (e.g. "DescribeClusterCommand"). */
  callsByCommand(): Record<string, number>;
  resetCallCounts(): void;
  /** Puts the real send() back. */
  restore(): void;
  readonly runningRegions: readonly string[];
}

export function quietFleet(config: KubeCdnConfig): { running: Set<string> } {
  const running = new Set([...config.alwaysOn, ...config.scalable.slice(0, Math.ceil(config.scalable.length / 2))]);
  return { running };
}

/**
 * Demand a region shows in every period: above scale-up while running (mid-band would do for the
 * reactive rules, but a forecast that stays under scale-up stops a region), and well under
 * scale-down while stopped.
 */
function quietDemand(config: KubeCdnConfig, region: string, running: boolean): number {
  const { scaleUpRequestsPerMinute: up, scaleDownRequestsPerMinute: down } = thresholdsFor(config, region);
  return running ? Math.round(up * 1.2) : Math.round(down / 3);
}

export function mockQuietAws(config: KubeCdnConfig): MockedAws {
  const { running } = quietFleet(config);
  const regions = configuredRegions(config);
  const clusterRegion = new Map(regions.map((region) => [clusterName(config.name, region), region]));
  const queryDemand = new Map([
    ...demandMetricQueries(config).map((q): [string, number] => [q.id, quietDemand(config, q.region, running.has(q.region))]),
    // Two edge pods report every minute in each running region, none elsewhere.
    ...edgeReportingQueries(config).map((q): [string, number] => [q.id, running.has(q.region) ? 2 : 0]),
  ]);

  const cloudWatch = mockClient(CloudWatchClient);
  const eks = mockClient(EKSClient);
  const route53 = mockClient(Route53Client);
  const sfn = mockClient(SFNClient);
  const dynamodb = mockClient(DynamoDBClient);
  const sns = mockClient(SNSClient);
  const mocks = [cloudWatch, eks, route53, sfn, dynamodb, sns];

  cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => getMetricDataPage(input, queryDemand));
  eks.on(DescribeClusterCommand).callsFake(({ name }: { name?: string }) => {
    const region = clusterRegion.get(name ?? '');
    // A warm region in standby keeps its cluster; a cold stopped one has none.
    if (region && (running.has(region) || standbyFor(config, region) === 'warm')) return { cluster: { name, status: 'ACTIVE' } };
    throw new ResourceNotFoundException({ message: `No cluster found for name: ${name}.`, $metadata: {} });
  });
  const fqdn = `${config.dns.domainName}.`;
  route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [...running].sort().map((region) => ({ Name: fqdn, Type: 'A', SetIdentifier: region, Region: region as never })),
    IsTruncated: false,
  });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  dynamodb.on(ScanCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
  sfn.on(StartExecutionCommand).callsFake(({ stateMachineArn, name }) => ({
    executionArn: `${String(stateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`,
    startDate: new Date(),
  }));

  return {
    runningRegions: [...running],
    callsByCommand() {
      const counts: Record<string, number> = {};
      for (const mock of mocks) {
        for (const call of mock.calls()) {
          const command = (call.args[0] as object).constructor.name;
          counts[command] = (counts[command] ?? 0) + 1;
        }
      }
      return counts;
    },
    resetCallCounts() {
      for (const mock of mocks) mock.resetHistory();
    },
    restore() {
      for (const mock of mocks) mock.restore();
    },
  };
}

/** One page of the answer: every period in [StartTime, EndTime) for every query, in id then time order. */
function getMetricDataPage(input: GetMetricDataCommandInput, queryDemand: ReadonlyMap<string, number>) {
  const queries = input.MetricDataQueries ?? [];
  const start = new Date(input.StartTime!).getTime();
  const end = new Date(input.EndTime!).getTime();
  const periodMs = (queries[0]?.MetricStat?.Period ?? 60) * 1000;
  const periods = Math.max(0, Math.ceil((end - start) / periodMs));
  const offset = input.NextToken ? Number(input.NextToken) : 0;
  const pageEnd = Math.min(queries.length * periods, offset + MAX_DATAPOINTS_PER_GET_METRIC_DATA);
  const results: MetricDataResult[] = [];
  for (let index = offset; index < pageEnd;) {
    const queryIndex = Math.floor(index / periods);
    const query = queries[queryIndex]!;
    const last = Math.min(pageEnd, (queryIndex + 1) * periods);
    const timestamps: Date[] = [];
    for (let i = index; i < last; i++) timestamps.push(new Date(start + (i - queryIndex * periods) * periodMs));
    // Sum over a period of `periodMs`; the reader turns it back into a per-minute rate.
    const value = ((queryDemand.get(query.Id!) ?? 0) * periodMs) / 60_000;
    results.push({
      Id: query.Id,
      Label: query.Id,
      Timestamps: timestamps,
      Values: timestamps.map(() => value),
      // A query whose datapoints go on in the next page is partial in this one.
      StatusCode: last === (queryIndex + 1) * periods ? 'Complete' : 'PartialData',
    });
    index = last;
  }
  const more = pageEnd < queries.length * periods;
  return { MetricDataResults: results, ...(more ? { NextToken: String(pageEnd) } : {}), $metadata: {} };
}
