import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { configuredRegions, type KubeCdnConfig } from '../../../core/config';
import { demandWindow } from '../../../core/demand/demand-queries';
import { AWS_REGION_CODES } from '../../../core/regions';
import { runTick } from '../../../lambdas/autoscaler/tick';
import { validConfig } from '../../support/configs';
import { latencyRecord, START_ARN, steadyDemand, STOP_ARN, TICK } from './fixtures';
import { recordingTickDeps } from './tick-deps';

const cloudWatch = mockClient(CloudWatchClient);
const eks = mockClient(EKSClient);
const route53 = mockClient(Route53Client);
const sfn = mockClient(SFNClient);

/** us-east-1 (always on) running; eu-west-1 and ap-northeast-1 stopped; eu-west-1 busy. */
function awsWithBusyEurope(config: KubeCdnConfig) {
  cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 4500, 'ap-northeast-1': 20 }));
  eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
  route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('us-east-1')], IsTruncated: false });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${START_ARN}:x`, startDate: new Date() });
}

beforeEach(() => {
  for (const mock of [cloudWatch, eks, route53, sfn]) mock.reset();
});

describe('one autoscaler tick', () => {
  const config = validConfig();

  it('reads demand with one GetMetricData call, starts the busy stopped region, and leaves the rest', async () => {
    awsWithBusyEurope(config);
    const { deps } = recordingTickDeps();
    const summary = await runTick(deps, config, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(summary.decisions.map((d) => [d.region, d.action])).toEqual(
      expect.arrayContaining([
        ['us-east-1', 'none'],
        ['eu-west-1', 'start'],
        ['ap-northeast-1', 'none'],
      ]),
    );
    const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts).toEqual([expect.objectContaining({ stateMachineArn: START_ARN, name: 'start-eu-west-1-20261125T201000Z' })]);
    expect(JSON.parse(starts[0]!.input!)).toEqual({ region: 'eu-west-1', reason: expect.stringMatching(/^autoscaler: /) });
  });

  it('logs one line per region with demand, thresholds, state, action and reason', async () => {
    awsWithBusyEurope(config);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    const lines = recorded.logs.filter((l) => l.message === 'region decision');
    expect(lines.map((l) => l.attributes.region).sort()).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
    expect(lines.find((l) => l.attributes.region === 'eu-west-1')?.attributes).toMatchObject({
      action: 'start',
      reason: expect.any(String),
      phase: 'stopped',
      demand: 4500,
      thresholds: { scaleUpRequestsPerMinute: 3000, scaleDownRequestsPerMinute: 1500 },
      recentDemand: Array(15).fill(4500), // the longest streak rule's periods (scaleDownPeriods), not the whole window
      state: { cluster: 'absent', serving: false },
      dryRun: false,
      outcome: 'started',
      executionName: 'start-eu-west-1-20261125T201000Z',
    });
  });

  it('publishes regions running, decisions by action and the estimated hourly cost', async () => {
    awsWithBusyEurope(config);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    const metric = (name: string, action?: string) =>
      recorded.metrics.find((m) => m.name === name && (action === undefined || m.dimensions?.Action === action))?.value;
    expect(metric('RegionsRunning')).toBe(1);
    expect(metric('Decisions', 'start')).toBe(1);
    expect(metric('Decisions', 'stop')).toBe(0);
    expect(metric('Decisions', 'none')).toBe(2);
    expect(metric('RegionsWithoutDemand')).toBe(0);
    expect(metric('ActionFailures')).toBe(0);
    // One running Auto Mode region: $0.10 control plane + 2 × ($0.1008 + $0.0121) nodes + $0.0225 NLB + health check.
    expect(metric('EstimatedHourlyCostUSD')).toBeCloseTo(0.1 + 2 * 0.1129 + 0.0225 + (0.5 + 1) / 730, 3);
  });

  it('starts nothing in dry-run but logs what it would have done', async () => {
    const dry = validConfig((c) => (c.dryRun = true));
    awsWithBusyEurope(dry);
    const { deps, recorded } = recordingTickDeps();
    const summary = await runTick(deps, dry, TICK);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(summary.outcomes).toEqual([expect.objectContaining({ region: 'eu-west-1', action: 'start', result: 'dry-run' })]);
    const line = recorded.logs.find((l) => l.attributes.region === 'eu-west-1');
    expect(line?.attributes).toMatchObject({ action: 'start', dryRun: true, outcome: 'dry-run' });
  });

  it('holds a region whose cluster does not answer in time and still decides the others', async () => {
    awsWithBusyEurope(config);
    eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).callsFake(() => new Promise(() => {}));
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 4500, 'ap-northeast-1': 4500 }));
    const { deps } = recordingTickDeps();
    const summary = await runTick(deps, config, TICK);
    const byRegion = Object.fromEntries(summary.decisions.map((d) => [d.region, d]));
    expect(byRegion['eu-west-1']).toMatchObject({ phase: 'unknown', action: 'none' });
    expect(byRegion['ap-northeast-1']).toMatchObject({ action: 'start' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['start-ap-northeast-1-20261125T201000Z']);
  });

  it('never stops a region when demand could not be read, and counts the regions without demand', async () => {
    awsWithBusyEurope(config);
    cloudWatch.on(GetMetricDataCommand).rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
    eks.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE' } });
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: ['us-east-1', 'eu-west-1', 'ap-northeast-1'].map((r) => latencyRecord(r)),
      IsTruncated: false,
    });
    const { deps, recorded } = recordingTickDeps();
    const summary = await runTick(deps, config, TICK);
    expect(summary.decisions.every((d) => d.action === 'none')).toBe(true);
    expect(recorded.metrics.find((m) => m.name === 'RegionsWithoutDemand')?.value).toBe(3);
    expect(recorded.logs.some((l) => l.level === 'warn' && /demand could not be read/.test(l.message))).toBe(true);
  });

  it('fails the invocation after acting when a start could not be made, so the error alarm sees it', async () => {
    awsWithBusyEurope(config);
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { deps, recorded } = recordingTickDeps();
    await expect(runTick(deps, config, TICK)).rejects.toThrow(/start eu-west-1: AccessDeniedException/);
    expect(recorded.metrics.find((m) => m.name === 'ActionFailures')?.value).toBe(1);
    expect(recorded.logs.filter((l) => l.message === 'region decision')).toHaveLength(3);
  });

  it.each([10, 30])(
    'makes N + 6 AWS calls in a quiet tick with %i regions: N DescribeCluster, 1 GetMetricData, 1 ListResourceRecordSets, 4 ListExecutions',
    async (n) => {
      const big = validConfig((c) => {
        c.scalable = AWS_REGION_CODES.filter((r) => r !== 'us-east-1').slice(0, n - 1);
        c.limits = { maxRunningRegions: n };
      });
      cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(big, Object.fromEntries(configuredRegions(big).map((r) => [r, 2000]))));
      eks.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE' } });
      route53
        .on(ListResourceRecordSetsCommand)
        .resolves({ ResourceRecordSets: configuredRegions(big).map((r) => latencyRecord(r)), IsTruncated: false });
      sfn.on(ListExecutionsCommand).resolves({ executions: [] });
      const { deps } = recordingTickDeps();
      const summary = await runTick(deps, big, TICK);
      expect(summary.decisions.filter((d) => d.action !== 'none')).toEqual([]);
      const calls = [cloudWatch, eks, route53, sfn].reduce((sum, mock) => sum + mock.calls().length, 0);
      expect(calls).toBe(n + 6);
      expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    },
  );

  it('logs only the periods the streak rules read, even when forecasting reads a week of demand', async () => {
    const forecasting = validConfig((c) => (c.prediction = { enabled: true }));
    expect(demandWindow(forecasting, TICK).periods).toBeGreaterThan(1440);
    awsWithBusyEurope(forecasting);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, forecasting, TICK);
    const line = recorded.logs.find((l) => l.message === 'region decision' && l.attributes.region === 'eu-west-1')!;
    expect(line.attributes.recentDemand).toHaveLength(15);
    expect(JSON.stringify(line).length).toBeLessThan(3000);
  });

  it('stops a quiet running region, unless its last start finished within the cooldown (read from the execution history)', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 100, 'ap-northeast-1': 0 }));
    eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [latencyRecord('us-east-1'), latencyRecord('eu-west-1')], IsTruncated: false });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STOP_ARN}:x`, startDate: new Date() });
    const startedRecently = (minutesAgo: number) => ({
      executions: [
        {
          executionArn: `${START_ARN}:s`,
          stateMachineArn: START_ARN,
          name: 'start-eu-west-1-20261125T190000Z',
          status: 'SUCCEEDED' as const,
          startDate: new Date(TICK - (minutesAgo + 15) * 60_000),
          stopDate: new Date(TICK - minutesAgo * 60_000),
        },
      ],
    });

    sfn.on(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' }).resolves(startedRecently(10));
    const held = await runTick(recordingTickDeps().deps, config, TICK);
    expect(held.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'none', heldBy: 'cooldown' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);

    sfn.on(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' }).resolves(startedRecently(45));
    const stopped = await runTick(recordingTickDeps().deps, config, TICK);
    expect(stopped.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', phase: 'running' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => [c.args[0].input.stateMachineArn, c.args[0].input.name])).toEqual([
      [STOP_ARN, 'stop-eu-west-1-20261125T201000Z'],
    ]);
  });

  it('drains and stops a running region removed from the config: StopRegion with "removed": true and the reason', async () => {
    awsWithBusyEurope(config);
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [latencyRecord('us-east-1'), latencyRecord('sa-east-1')], IsTruncated: false });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STOP_ARN}:x`, startDate: new Date() });
    const { deps, recorded } = recordingTickDeps();
    const summary = await runTick(deps, config, TICK);

    expect(summary.decisions.find((d) => d.region === 'sa-east-1')).toMatchObject({
      action: 'stop',
      rule: 'removed-from-config',
      phase: 'running',
    });
    const stops = sfn.commandCalls(StartExecutionCommand).filter((c) => c.args[0].input.stateMachineArn === STOP_ARN);
    expect(stops.map((c) => c.args[0].input.name)).toEqual(['stop-sa-east-1-20261125T201000Z']);
    expect(JSON.parse(stops[0]!.args[0].input.input!)).toEqual({
      region: 'sa-east-1',
      removed: true,
      reason: 'autoscaler: stopped: not in alwaysOn or scalable any more; regions removed from the config are stopped',
    });
    const line = recorded.logs.find((l) => l.message === 'region decision' && l.attributes.region === 'sa-east-1');
    expect(line?.attributes).toMatchObject({ action: 'stop', outcome: 'started', state: { cluster: 'not-read', serving: true } });
  });

  it('does not stop a removed region again while its StopRegion runs', async () => {
    awsWithBusyEurope(config);
    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: 'RUNNING' }).resolves({
      executions: [
        {
          executionArn: `${STOP_ARN}:r`,
          stateMachineArn: STOP_ARN,
          name: 'stop-sa-east-1-20261125T200500Z',
          status: 'RUNNING',
          startDate: new Date(TICK - 5 * 60_000),
        },
      ],
    });
    const summary = await runTick(recordingTickDeps().deps, config, TICK);
    expect(summary.decisions.find((d) => d.region === 'sa-east-1')).toMatchObject({ action: 'none', phase: 'stopping' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.stateMachineArn)).toEqual([START_ARN]);
  });
});

describe('the first tick after a deploy that changed the region lists', () => {
  it('starts a stopped region moved to alwaysOn, keeps a region moved to scalable running, and leaves an added scalable region off', async () => {
    // Before: alwaysOn us-east-1 (running); scalable eu-west-1, ap-northeast-1 (stopped).
    // After: ap-northeast-1 moved to alwaysOn, us-east-1 moved to scalable, sa-east-1 added to scalable.
    const after = validConfig((c) => {
      c.alwaysOn = ['ap-northeast-1'];
      c.scalable = ['us-east-1', 'eu-west-1', 'sa-east-1'];
    });
    cloudWatch
      .on(GetMetricDataCommand)
      .resolves(steadyDemand(after, { 'us-east-1': 2000, 'eu-west-1': 100, 'ap-northeast-1': 20, 'sa-east-1': 50 }));
    eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('us-east-1')], IsTruncated: false });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${START_ARN}:x`, startDate: new Date() });

    const summary = await runTick(recordingTickDeps().deps, after, TICK);
    const byRegion = Object.fromEntries(summary.decisions.map((d) => [d.region, d]));
    expect(byRegion['ap-northeast-1']).toMatchObject({ action: 'start', rule: 'always-on' });
    expect(byRegion['us-east-1']).toMatchObject({ action: 'none', phase: 'running' });
    expect(byRegion['sa-east-1']).toMatchObject({ action: 'none', phase: 'stopped' });
    expect(byRegion['eu-west-1']).toMatchObject({ action: 'none', phase: 'stopped' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => JSON.parse(c.args[0].input.input!) as unknown)).toEqual([
      { region: 'ap-northeast-1', reason: expect.stringContaining('always-on region found stopped') },
    ]);
  });
});

describe('a stranded region: cluster up without its DNS record and no workflow running, in a cold region', () => {
  /** us-east-1 (always on) running and serving; eu-west-1's cluster ACTIVE without a record; ap-northeast-1 absent; all quiet. */
  function awsWithStrandedEurope(config: KubeCdnConfig) {
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 20, 'ap-northeast-1': 0 }));
    eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('us-east-1')], IsTruncated: false });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STOP_ARN}:x`, startDate: new Date() });
  }

  it('stops it when demand does not ask for it, with the reason in its log line and the StopRegion input', async () => {
    const config = validConfig();
    awsWithStrandedEurope(config);
    const { deps, recorded } = recordingTickDeps();
    const summary = await runTick(deps, config, TICK);

    expect(summary.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', phase: 'stranded', rule: 'stranded' });
    const calls = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.stateMachineArn, c.name])).toEqual([[STOP_ARN, 'stop-eu-west-1-20261125T201000Z']]);
    expect(JSON.parse(calls[0]!.input!)).toEqual({
      region: 'eu-west-1',
      reason: expect.stringMatching(
        /^autoscaler: stopped: cluster up without its DNS record and no workflow running .*bills and serves nobody/,
      ),
    });
    const line = recorded.logs.find((l) => l.message === 'region decision' && l.attributes.region === 'eu-west-1');
    expect(line?.attributes).toMatchObject({
      action: 'stop',
      phase: 'stranded',
      rule: 'stranded',
      reason: expect.stringContaining('a start left half done, or warm standby now configured cold'),
      state: { cluster: 'ACTIVE', serving: false },
      outcome: 'started',
      executionName: 'stop-eu-west-1-20261125T201000Z',
    });
  });

  it('counts it in RegionsStranded, not in RegionsRunning, and at the full rate in the cost estimate', async () => {
    const config = validConfig();
    awsWithStrandedEurope(config);
    const { deps, recorded } = recordingTickDeps();
    await runTick(deps, config, TICK);
    const metric = (name: string) => recorded.metrics.find((m) => m.name === name)?.value;
    expect(metric('RegionsRunning')).toBe(1);
    expect(metric('RegionsStranded')).toBe(1);
    expect(metric('EstimatedHourlyCostUSD')).toBeCloseTo(2 * (0.1 + 2 * 0.1129 + 0.0225 + (0.5 + 1) / 730), 3);
  });

  it('starts it instead when demand asks for the region', async () => {
    const config = validConfig();
    awsWithStrandedEurope(config);
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 4500, 'ap-northeast-1': 0 }));
    const summary = await runTick(recordingTickDeps().deps, config, TICK);
    expect(summary.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'start', phase: 'stranded', rule: 'demand' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.stateMachineArn)).toEqual([START_ARN]);
  });

  it('retries a StopRegion that failed on it once per cooldown, not every tick', async () => {
    const config = validConfig();
    awsWithStrandedEurope(config);
    const failedStop = (minutesAgo: number) => ({
      executions: [
        {
          executionArn: `${STOP_ARN}:f`,
          stateMachineArn: STOP_ARN,
          name: 'stop-eu-west-1-20261125T190000Z',
          status: 'FAILED' as const,
          startDate: new Date(TICK - (minutesAgo + 20) * 60_000),
          stopDate: new Date(TICK - minutesAgo * 60_000),
        },
      ],
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined }).resolves(failedStop(10));
    const held = await runTick(recordingTickDeps().deps, config, TICK);
    expect(held.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'none', heldBy: 'cooldown', wanted: 'stop' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);

    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined }).resolves(failedStop(30));
    const retried = await runTick(recordingTickDeps().deps, config, TICK);
    expect(retried.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', rule: 'stranded' });
  });

  it('leaves a warm region in standby, but stops it once the config says cold, after the cooldown of its last stop', async () => {
    const warm = validConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
    awsWithStrandedEurope(warm);
    const inStandby = await runTick(recordingTickDeps().deps, warm, TICK);
    expect(inStandby.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'none', phase: 'standby' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);

    const cold = validConfig();
    const stoppedToStandby = (minutesAgo: number) => ({
      executions: [
        {
          executionArn: `${STOP_ARN}:w`,
          stateMachineArn: STOP_ARN,
          name: 'stop-eu-west-1-20261125T180000Z',
          status: 'SUCCEEDED' as const,
          startDate: new Date(TICK - (minutesAgo + 5) * 60_000),
          stopDate: new Date(TICK - minutesAgo * 60_000),
        },
      ],
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined }).resolves(stoppedToStandby(10));
    const cooling = await runTick(recordingTickDeps().deps, cold, TICK);
    expect(cooling.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({
      action: 'none',
      phase: 'stranded',
      heldBy: 'cooldown',
      wanted: 'stop',
      rule: 'stranded',
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);

    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined }).resolves(stoppedToStandby(45));
    const stopped = await runTick(recordingTickDeps().deps, cold, TICK);
    expect(stopped.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', phase: 'stranded', rule: 'stranded' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['stop-eu-west-1-20261125T201000Z']);
  });
});
