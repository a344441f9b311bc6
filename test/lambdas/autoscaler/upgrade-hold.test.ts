/**
 * A region whose Kubernetes upgrade runs (an UpgradeRegion execution, which holds the region lock)
 * is held by the autoscaler: it is read as in flight, from UpgradeClusters' execution name or the
 * input of an upgrade started by hand, and no start or stop is asked of it until the upgrade ends.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { decide } from '../../../core/autoscaler/decide';
import { parseUpgradeExecutionName } from '../../../lambdas/autoscaler/execution-names';
import { readRegionStates } from '../../../lambdas/autoscaler/region-state-reader';
import { runTick } from '../../../lambdas/autoscaler/tick';
import { validConfig } from '../../support/configs';
import { latencyRecord, START_ARN, steadyDemand, STOP_ARN, TICK } from './fixtures';
import { recordingTickDeps } from './tick-deps';

const cloudWatch = mockClient(CloudWatchClient);
const eks = mockClient(EKSClient);
const route53 = mockClient(Route53Client);
const sfn = mockClient(SFNClient);

const UPGRADE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-UpgradeRegion';
const UUID = '0d9e6c1a-8f1e-4c5b-9a55-3f1f3a1b2c3d';
const config = validConfig();

// One set for the file: each test reads the log lines of its own ticks (cleared before each).
const { deps, recorded } = recordingTickDeps({ stateMachines: { start: START_ARN, stop: STOP_ARN, upgrade: UPGRADE_ARN } });

function running(stateMachineArn: string, name: string): ExecutionListItem {
  return { executionArn: `${stateMachineArn}:${name}`, stateMachineArn, name, status: 'RUNNING', startDate: new Date(TICK - 20 * 60_000) };
}

function runningOn(stateMachineArn: string, ...executions: ExecutionListItem[]) {
  sfn.on(ListExecutionsCommand, { stateMachineArn, statusFilter: 'RUNNING' }).resolves({ executions });
}

/** us-east-1 (always on) and eu-west-1 running, eu-west-1 quiet enough to be stopped; ap-northeast-1 stopped and quiet. */
beforeEach(() => {
  for (const mock of [cloudWatch, eks, route53, sfn]) mock.reset();
  recorded.logs.length = 0;
  cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 100, 'ap-northeast-1': 0 }));
  eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  for (const name of ['kubecdn-us-east-1', 'kubecdn-eu-west-1'])
    eks.on(DescribeClusterCommand, { name }).resolves({ cluster: { status: 'UPDATING' } });
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: [latencyRecord('us-east-1'), latencyRecord('eu-west-1')], IsTruncated: false });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STOP_ARN}:x`, startDate: new Date() });
});

describe('a running Kubernetes upgrade', () => {
  it('holds its region: the quiet region is not stopped while the upgrade runs, and is once none runs', async () => {
    runningOn(UPGRADE_ARN, running(UPGRADE_ARN, `upgrade-eu-west-1-${UUID}`));
    const held = await runTick(deps, config, TICK);
    expect(held.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({
      action: 'none',
      phase: 'running',
      heldBy: 'operation-in-flight',
      reason: 'held: a Kubernetes upgrade (UpgradeRegion execution) is running and holds the region lock (latest 100 rpm)',
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    const line = recorded.logs.find((l) => l.message === 'region decision' && l.attributes.region === 'eu-west-1');
    expect(line?.attributes.state).toMatchObject({ operationInFlight: 'upgrade', upgradeExecution: `upgrade-eu-west-1-${UUID}` });

    runningOn(UPGRADE_ARN);
    const after = await runTick(deps, config, TICK);
    expect(after.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it("reads the region from UpgradeClusters' name, or from the input of an upgrade started by hand, and keeps the phase the cluster shows", async () => {
    runningOn(UPGRADE_ARN, running(UPGRADE_ARN, `upgrade-eu-west-1-${UUID}`), running(UPGRADE_ARN, UUID));
    sfn.on(DescribeExecutionCommand).resolves({ input: '{"region":"ap-northeast-1","reason":"by hand"}' });
    const reading = await readRegionStates(deps, config, TICK);
    expect(reading.regions['eu-west-1']).toEqual({ phase: 'running', operationInFlight: 'upgrade' });
    expect(reading.regions['ap-northeast-1']).toEqual({ phase: 'stopped', operationInFlight: 'upgrade' });
    expect(reading.regions['us-east-1']).toEqual({ phase: 'running' });
    expect(reading.observed['eu-west-1']?.upgrade).toEqual({ name: `upgrade-eu-west-1-${UUID}`, startedAt: TICK - 20 * 60_000 });
    // Only the upgrade named without its region is described.
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([`${UPGRADE_ARN}:${UUID}`]);
    // Only running upgrades are listed: a finished one holds nothing and is no transition.
    const upgradeListings = sfn.commandCalls(ListExecutionsCommand).filter((c) => c.args[0].input.stateMachineArn === UPGRADE_ARN);
    expect(upgradeListings.map((c) => c.args[0].input.statusFilter)).toEqual(['RUNNING']);
  });

  it('gives way to a start or stop of the same region (the upgrade waits for the lock, and the stop tells the phase)', async () => {
    runningOn(UPGRADE_ARN, running(UPGRADE_ARN, `upgrade-eu-west-1-${UUID}`));
    runningOn(STOP_ARN, running(STOP_ARN, 'stop-eu-west-1-20261125T200000Z'));
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['eu-west-1']).toEqual({ phase: 'stopping', operationInFlight: 'stop' });
  });

  it('is not looked for without the UpgradeRegion state machine, and the reading says so', async () => {
    const reading = await readRegionStates({ ...deps, stateMachines: { start: START_ARN, stop: STOP_ARN } }, config, TICK);
    expect(reading.upgradesNotRead).toBe(true);
    expect(sfn.commandCalls(ListExecutionsCommand).some((c) => c.args[0].input.stateMachineArn === UPGRADE_ARN)).toBe(false);
    expect((await readRegionStates(deps, config, TICK)).upgradesNotRead).toBeUndefined();
  });

  it("takes no room under maxConcurrentOperations: other regions' starts go on", () => {
    const capped = validConfig((c) => (c.limits = { ...c.limits, maxConcurrentOperations: 1 }));
    const decisions = decide({
      config: capped,
      now: TICK,
      demand: { 'ap-northeast-1': [9000, 9000, 9000, 9000, 9000, 9000] },
      regions: { 'us-east-1': { phase: 'running', operationInFlight: 'upgrade' }, 'eu-west-1': { phase: 'running' } },
    });
    expect(decisions.find((d) => d.region === 'ap-northeast-1')).toMatchObject({ action: 'start' });
  });
});

describe('upgrade execution names', () => {
  it('read back the region only from the form UpgradeClusters gives them', () => {
    expect(parseUpgradeExecutionName(`upgrade-ap-southeast-7-${UUID}`)).toBe('ap-southeast-7');
    expect(parseUpgradeExecutionName(UUID)).toBeUndefined();
    expect(parseUpgradeExecutionName('stop-eu-west-1-20261125T200000Z')).toBeUndefined();
    expect(parseUpgradeExecutionName(`upgrade-eu-west-1-${UUID}x`)).toBeUndefined();
  });
});
