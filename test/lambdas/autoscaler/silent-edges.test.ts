import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { KubeCdnConfig } from '../../../core/config';
import { DemandHistory } from '../../../lambdas/autoscaler/demand-history';
import { runTick } from '../../../lambdas/autoscaler/tick';
import { validConfig } from '../../support/configs';
import { requestShapeProblems } from '../../support/simulated-aws/request-shapes';
import { awsError, latencyRecord, START_ARN, TICK } from './fixtures';
import { type RecordedTick, recordingTickDeps } from './tick-deps';

const cloudWatch = mockClient(CloudWatchClient);
const eks = mockClient(EKSClient);
const route53 = mockClient(Route53Client);
const sfn = mockClient(SFNClient);
const MINUTE = 60_000;

/** The last RegionsSilent the ticks put (the fleet-wide one, without dimensions), or undefined when none did. */
function regionsSilent(recorded: RecordedTick): number | undefined {
  return recorded.metrics.filter((m) => m.name === 'RegionsSilent' && !m.dimensions).pop()?.value;
}

function warnings(recorded: RecordedTick): RecordedTick['logs'] {
  return recorded.logs.filter((l) => l.level === 'warn');
}

/**
 * CloudWatch answering each query over the range asked: demand steady, and `Requests` reports
 * (one pod each minute) from the regions listed.
 */
function answerWith(reportingRegions: readonly string[]) {
  return (input: GetMetricDataCommandInput) => {
    const start = new Date(input.StartTime!).getTime();
    const end = new Date(input.EndTime!).getTime();
    const results: MetricDataResult[] = (input.MetricDataQueries ?? []).flatMap((query) => {
      const period = query.MetricStat!.Period! * 1000;
      const timestamps = Array.from({ length: (end - start) / period }, (_, i) => new Date(start + i * period));
      if (query.Id!.startsWith('demand_')) return [{ Id: query.Id, Timestamps: timestamps, Values: timestamps.map(() => 2000) }];
      const region = query.MetricStat!.Metric!.Dimensions!.find((d) => d.Name === 'EdgeRegion')!.Value!;
      return reportingRegions.includes(region) ? [{ Id: query.Id, Timestamps: timestamps, Values: timestamps.map(() => 1) }] : [];
    });
    return { MetricDataResults: results, $metadata: {} };
  };
}

/** us-east-1 and eu-west-1 serve; ap-northeast-1 is stopped. `startedAt`: when eu-west-1's StartRegion ended. */
function fleet(config: KubeCdnConfig, reportingRegions: readonly string[], euStartedAt?: number) {
  cloudWatch.on(GetMetricDataCommand).callsFake(answerWith(reportingRegions));
  eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
  eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).resolves({ cluster: { status: 'ACTIVE' } });
  route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [latencyRecord('eu-west-1'), latencyRecord('us-east-1')],
    IsTruncated: false,
  });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  if (euStartedAt !== undefined) {
    sfn.on(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' }).resolves({
      executions: [
        {
          executionArn: `${START_ARN.replace(':stateMachine:', ':execution:')}:start-eu-west-1-x`,
          stateMachineArn: START_ARN,
          name: 'start-eu-west-1-20261125T195000Z',
          status: 'SUCCEEDED',
          startDate: new Date(euStartedAt - 15 * MINUTE),
          stopDate: new Date(euStartedAt),
        },
      ],
    });
  }
}

beforeEach(() => {
  for (const mock of [cloudWatch, eks, route53, sfn]) mock.reset();
});

describe('a tick checks that the serving regions’ edges report', () => {
  const config = validConfig((c) => (c.demand = { source: 'edge-requests' }));

  it('asks in the demand call itself, and publishes 0 when every serving region reported', async () => {
    fleet(config, ['us-east-1', 'eu-west-1']);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const ids = calls[0]!.args[0].input.MetricDataQueries!.map((q) => q.Id);
    expect(ids).toEqual(
      expect.arrayContaining(['demand_eu_west_1', 'reporting_us_east_1', 'reporting_eu_west_1', 'reporting_ap_northeast_1']),
    );
    expect(requestShapeProblems(calls[0]!.args[0])).toEqual([]);
    expect(regionsSilent(recorded)).toBe(0);
    expect(warnings(recorded).filter((w) => /report nothing/.test(w.message))).toEqual([]);
  });

  it('counts a serving region with no datapoint, and names it in the log line', async () => {
    fleet(config, ['us-east-1']);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    expect(regionsSilent(recorded)).toBe(1);
    expect(warnings(recorded)).toContainEqual({
      level: 'warn',
      message: 'serving regions whose edges report nothing',
      attributes: expect.objectContaining({ silentRegions: ['eu-west-1'], minutes: 5 }),
    });
  });

  it('does not count a region whose start ended a minute ago', async () => {
    fleet(config, ['us-east-1'], TICK - MINUTE);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    expect(regionsSilent(recorded)).toBe(0);
  });

  it('publishes nothing when CloudWatch cannot be read: unknown is not zero', async () => {
    fleet(config, ['us-east-1']);
    cloudWatch.on(GetMetricDataCommand).rejects(awsError('AccessDenied', 403));
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    expect(regionsSilent(recorded)).toBeUndefined();
    expect(warnings(recorded).map((w) => w.message)).toContain(
      'could not read whether the edges report; serving regions are not checked this tick',
    );
  });

  it('asks the home region in a call of its own when the demand lives in another region', async () => {
    const queryLogs = validConfig((c) => {
      c.homeRegion = 'eu-west-1';
      c.demand = { source: 'route53-query-logs' };
    });
    fleet(queryLogs, ['us-east-1']);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, queryLogs, TICK);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    const regions = await Promise.all(calls.map((c) => (c.thisValue as CloudWatchClient).config.region()));
    expect([...regions].sort()).toEqual(['eu-west-1', 'us-east-1']);
    const homeCall = calls[regions.indexOf('eu-west-1')]!.args[0].input;
    expect(homeCall.MetricDataQueries!.every((q) => q.Id!.startsWith('reporting_'))).toBe(true);
    expect(new Date(homeCall.EndTime!).getTime() - new Date(homeCall.StartTime!).getTime()).toBe(5 * MINUTE);
    expect(regionsSilent(recorded)).toBe(1);
  });

  it('keeps a cold container’s week-long read free of the reporting queries, and warm ticks in one call', async () => {
    const forecasting = validConfig((c) => {
      c.demand = { source: 'edge-requests' };
      c.prediction = { enabled: true };
      c.dryRun = true; // what the forecast makes of this steady demand is not the point here
    });
    fleet(forecasting, ['us-east-1', 'eu-west-1']);
    const history = new DemandHistory();
    const { deps, recorded } = recordingTickDeps({ history });
    await runTick(deps, forecasting, TICK);
    const cold = cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    const longest = Math.max(...cold.map((i) => new Date(i.EndTime!).getTime() - new Date(i.StartTime!).getTime()));
    expect(longest).toBeGreaterThan(24 * 60 * MINUTE);
    for (const input of cold) {
      const span = new Date(input.EndTime!).getTime() - new Date(input.StartTime!).getTime();
      const hasReporting = input.MetricDataQueries!.some((q) => q.Id!.startsWith('reporting_'));
      expect(hasReporting).toBe(span <= 60 * MINUTE);
    }
    expect(regionsSilent(recorded)).toBe(0);

    cloudWatch.resetHistory();
    await runTick(deps, forecasting, TICK + MINUTE);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(regionsSilent(recorded)).toBe(0);
  });
});
