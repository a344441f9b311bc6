/**
 * A tick with the operators' overrides: read with the other state, obeyed, logged and counted,
 * never the cause of a stop when unreadable, and retired with one notice each once lapsed.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type AttributeValue, DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { runTick } from '../../../lambdas/autoscaler/tick';
import { overrideItem, type StoredOverride } from '../../../lambdas/shared/region-override-item';
import { validConfig } from '../../support/configs';
import { awsError, latencyRecord, START_ARN, steadyDemand, STOP_ARN, TICK } from './fixtures';
import { recordingTickDeps } from './tick-deps';

const cloudWatch = mockClient(CloudWatchClient);
const eks = mockClient(EKSClient);
const route53 = mockClient(Route53Client);
const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

const TABLE = 'kubecdn-control-RegionOverrides';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:kubecdn-operations';
const config = validConfig();
const TICK_SECONDS = TICK / 1000;

/** A tick that reads the override table and may announce lapses on the operations topic. */
function depsRecording() {
  return recordingTickDeps({
    overrideStore: {
      dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
      overrideTable: TABLE,
      sns: new SNSClient({ region: 'us-east-1' }),
      operationsTopic: TOPIC,
    },
  });
}

function stored(region: string, pin: 'on' | 'off', expiresAt: number, reason = 'incident 42'): StoredOverride {
  return { region, pin, expiresAt, reason, setBy: 'arn:aws:iam::123456789012:user/ana', setAt: '2026-11-25T19:00:00.000Z' };
}

/** us-east-1 (always on) and eu-west-1 running and quiet (eu-west-1 would be stopped), ap-northeast-1 stopped and quiet. */
function quietAws() {
  cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 100, 'ap-northeast-1': 0 }));
  eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  for (const name of ['kubecdn-us-east-1', 'kubecdn-eu-west-1'])
    eks.on(DescribeClusterCommand, { name }).resolves({ cluster: { status: 'ACTIVE' } });
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: [latencyRecord('us-east-1'), latencyRecord('eu-west-1')], IsTruncated: false });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STOP_ARN}:x`, startDate: new Date() });
  sns.on(PublishCommand).resolves({ MessageId: 'm1' });
  dynamodb.on(DeleteItemCommand).resolves({});
}

function overridesStored(...items: Array<Record<string, AttributeValue>>) {
  dynamodb.on(ScanCommand).resolves({ Items: items });
}

const startedInputs = () =>
  sfn
    .commandCalls(StartExecutionCommand)
    .map((c) => ({ machine: c.args[0].input.stateMachineArn, input: JSON.parse(c.args[0].input.input!) }));

beforeEach(() => {
  for (const mock of [cloudWatch, eks, route53, sfn, dynamodb, sns]) mock.reset();
  quietAws();
});

describe('overrides in force', () => {
  it('cost one Scan a tick, and no other DynamoDB or SNS call, when nothing has lapsed', async () => {
    overridesStored();
    await runTick(depsRecording().deps, config, TICK);
    expect(dynamodb.calls()).toHaveLength(1);
    expect(dynamodb.commandCalls(ScanCommand)).toHaveLength(1);
    expect(sns.calls()).toHaveLength(0);
  });

  it('reads every page with a consistent Scan and keeps a quiet region pinned on running', async () => {
    const key = { region: { S: 'eu-west-1' } };
    dynamodb
      .on(ScanCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: key })
      .resolves({ Items: [overrideItem(stored('eu-west-1', 'on', TICK_SECONDS + 3600))] });
    const summary = await runTick(depsRecording().deps, config, TICK);
    expect(dynamodb.commandCalls(ScanCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: TABLE, ConsistentRead: true },
      { TableName: TABLE, ConsistentRead: true, ExclusiveStartKey: key },
    ]);
    expect(summary.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({
      action: 'none',
      reason: 'kept running: pinned on by override until 21:10Z: incident 42 (latest 100 rpm)',
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('carries the override in the region decision log line and publishes +1 on, -1 off per overridden region', async () => {
    overridesStored(
      overrideItem(stored('eu-west-1', 'on', TICK_SECONDS + 3600)),
      overrideItem(stored('ap-northeast-1', 'off', TICK_SECONDS + 60)),
    );
    const { deps, recorded } = depsRecording();
    await runTick(deps, config, TICK);
    const line = recorded.logs.find((l) => l.message === 'region decision' && l.attributes.region === 'eu-west-1');
    expect(line?.attributes.override).toEqual({
      pin: 'on',
      until: '2026-11-25T21:10:00.000Z',
      reason: 'incident 42',
      setBy: 'arn:aws:iam::123456789012:user/ana',
    });
    const unpinned = recorded.logs.find((l) => l.message === 'region decision' && l.attributes.region === 'us-east-1');
    expect(unpinned?.attributes.override).toBeUndefined();
    expect(recorded.metrics.filter((m) => m.name === 'RegionOverride')).toEqual([
      { name: 'RegionOverride', value: 1, dimensions: { Region: 'eu-west-1' } },
      { name: 'RegionOverride', value: -1, dimensions: { Region: 'ap-northeast-1' } },
    ]);
  });

  it('stops an always-on region pinned off with "force": true, which StopRegion needs for it', async () => {
    overridesStored(overrideItem(stored('us-east-1', 'off', TICK_SECONDS + 600, 'bad AMI')));
    await runTick(depsRecording().deps, config, TICK);
    expect(startedInputs()).toEqual(
      expect.arrayContaining([
        {
          machine: STOP_ARN,
          input: { region: 'us-east-1', force: true, reason: 'autoscaler: stopped: pinned off by override until 20:20Z: bad AMI' },
        },
      ]),
    );
  });

  it('ignores, with a warning each, an override for a region the config does not list and an item it cannot read', async () => {
    overridesStored(overrideItem(stored('sa-east-1', 'on', TICK_SECONDS + 600)), {
      region: { S: 'eu-west-1' },
      pin: { S: 'maybe' },
      expiresAt: { N: String(TICK_SECONDS + 600) },
    });
    const { deps, recorded } = depsRecording();
    const summary = await runTick(deps, config, TICK);
    expect(recorded.logs.filter((l) => l.message === 'override ignored').map((l) => l.attributes)).toEqual([
      { region: 'sa-east-1', problem: 'not a region of the config (alwaysOn or scalable); the override is ignored' },
      { region: 'eu-west-1', problem: 'pin: expected "on" or "off", found "maybe"' },
    ]);
    expect(summary.decisions.some((d) => d.region === 'sa-east-1')).toBe(false);
    expect(summary.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', rule: 'demand' });
    expect(recorded.metrics.filter((m) => m.name === 'RegionOverride')).toEqual([]);
  });
});

describe('when the override table cannot be read', () => {
  it('warns, stops no region, and still starts what demand asks for', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 100, 'ap-northeast-1': 9000 }));
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${START_ARN}:x`, startDate: new Date() });
    dynamodb.on(ScanCommand).rejects(awsError('ProvisionedThroughputExceededException'));
    const { deps, recorded } = depsRecording();
    const summary = await runTick(deps, config, TICK);
    expect(summary.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({
      action: 'none',
      wanted: 'stop',
      heldBy: 'overrides-unreadable',
    });
    expect(startedInputs().map((s) => [s.machine, s.input.region])).toEqual([[START_ARN, 'ap-northeast-1']]);
    expect(recorded.logs.find((l) => l.level === 'warn' && /overrides could not be read/.test(l.message))?.attributes).toEqual({
      error: 'ProvisionedThroughputExceededException: ProvisionedThroughputExceededException (simulated)',
    });
  });
});

describe('lapsed overrides', () => {
  it('are deleted on condition that they are unchanged, announced once as a warning, and no longer obeyed', async () => {
    overridesStored(overrideItem(stored('eu-west-1', 'on', TICK_SECONDS)));
    const summary = await runTick(depsRecording().deps, config, TICK);
    expect(summary.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'stop', rule: 'demand' });
    expect(dynamodb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Key: { region: { S: 'eu-west-1' } },
        ConditionExpression: '#expiresAt = :read',
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':read': { N: String(TICK_SECONDS) } },
      },
    ]);
    const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published).toEqual([
      {
        TopicArn: TOPIC,
        Subject: 'kubecdn: override pinning eu-west-1 on lapsed',
        Message:
          'The override pinning eu-west-1 on (reason: incident 42), set by arn:aws:iam::123456789012:user/ana at 2026-11-25T19:00:00.000Z, ' +
          'lapsed at 20:10Z. From this tick on the autoscaler decides eu-west-1 by its rules again, and may stop it.',
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'warning' },
          operation: { DataType: 'String', StringValue: 'override' },
          region: { DataType: 'String', StringValue: 'eu-west-1' },
        },
      },
    ]);
  });

  it('are not announced when another tick or a new override got there first (the delete condition fails)', async () => {
    overridesStored(overrideItem(stored('eu-west-1', 'on', TICK_SECONDS - 60)));
    dynamodb.on(DeleteItemCommand).rejects(awsError('ConditionalCheckFailedException'));
    const { deps, recorded } = depsRecording();
    await runTick(deps, config, TICK);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(recorded.logs.filter((l) => /override/.test(l.message))).toEqual([]);
  });

  it('are left for the next tick, with a warning, when the delete fails otherwise, and the tick still acts', async () => {
    overridesStored(overrideItem(stored('eu-west-1', 'on', TICK_SECONDS - 60)));
    dynamodb.on(DeleteItemCommand).rejects(awsError('InternalServerError', 500));
    const { deps, recorded } = depsRecording();
    await runTick(deps, config, TICK);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(recorded.logs.find((l) => /could not delete a lapsed override/.test(l.message))?.attributes).toMatchObject({
      region: 'eu-west-1',
    });
    expect(startedInputs().map((s) => s.input.region)).toEqual(['eu-west-1']);
  });
});
