/**
 * The deployed handler end to end: config compiled in, ARNs from the environment, middy with Powertools, mocked
 * AWS. What reaches stdout is what CloudWatch Logs receives, so the log lines and the EMF metrics
 * are asserted there.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CONFIG_CONSTANT, configConstants } from '../../../lambdas/shared/deployed-config';
import { overrideItem } from '../../../lambdas/shared/region-override-item';
import { validConfig } from '../../support/configs';
import { latencyRecord, START_ARN, steadyDemand, STOP_ARN, TICK } from './fixtures';

// The heartbeat's DNS lookup must not leave the machine: answer it like Route 53 would (NXDOMAIN).
const resolve4 = jest.fn(async (hostname: string): Promise<string[]> => {
  throw Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
});
jest.mock('node:dns', () => ({ promises: { resolve4: (hostname: string) => resolve4(hostname) } }));

const cloudWatch = mockClient(CloudWatchClient);
const eks = mockClient(EKSClient);
const route53 = mockClient(Route53Client);
const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

// Query-log demand: the handler's DNS heartbeat is part of what this test runs.
const config = validConfig((c) => (c.demand = { source: 'route53-query-logs' }));
const context = {
  functionName: 'kubecdn-autoscaler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:kubecdn-autoscaler',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  getRemainingTimeInMillis: () => 50_000,
} as unknown as Context;
const scheduledEvent = {
  version: '0',
  id: 'e1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time: '2026-11-25T20:10:00Z',
  resources: [],
  detail: {},
};

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Loads the handler as its bundle starts: with `env` set and `constants` compiled in. Unbundled,
 * the code's free identifiers resolve to globals, so the constants are set as globals meanwhile.
 */
function asDeployed<T>(env: Record<string, string | undefined>, constants: Record<string, string | undefined>, load: () => T): T {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  Object.assign(globalThis, constants);
  try {
    return load();
  } finally {
    process.env = saved;
    for (const name of Object.keys(constants)) delete (globalThis as Record<string, unknown>)[name];
  }
}

/** A fresh module registry, for cold starts that fail before any AWS call (its SDK classes are not the mocked ones). */
function loadHandlerIsolated(
  env: Record<string, string | undefined>,
  constants: Record<string, string | undefined> = configConstants(config),
) {
  return asDeployed(env, constants, () => {
    let handler!: Handler;
    jest.isolateModules(() => {
      handler = (require('../../../lambdas/autoscaler/handler') as { handler: Handler }).handler;
    });
    return handler;
  });
}

const deployedEnv = {
  START_REGION_STATE_MACHINE_ARN: START_ARN,
  STOP_REGION_STATE_MACHINE_ARN: STOP_ARN,
  UPGRADE_REGION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-UpgradeRegion',
  POWERTOOLS_SERVICE_NAME: 'kubecdn-autoscaler',
  REGION_OVERRIDE_TABLE_NAME: 'kubecdn-control-RegionOverrides',
  OPERATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:kubecdn-operations',
};

async function captureStdout(run: () => Promise<unknown>): Promise<{ result: unknown; lines: Array<Record<string, unknown>> }> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const result = await run();
    return {
      result,
      lines: written
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  } finally {
    spy.mockRestore();
  }
}

beforeEach(() => {
  for (const mock of [cloudWatch, eks, route53, sfn, dynamodb, sns]) mock.reset();
  dynamodb.on(ScanCommand).resolves({ Items: [] });
  cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 2000, 'eu-west-1': 4500, 'ap-northeast-1': 20 }));
  eks.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
  route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('us-east-1')], IsTruncated: false });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${START_ARN}:x`, startDate: new Date() });
});

/** The handler in this file's module registry, so the mocked SDK clients are the ones it uses. */
function loadHandler(env: Record<string, string | undefined>): Handler {
  return asDeployed(env, configConstants(config), () => (require('../../../lambdas/autoscaler/handler') as { handler: Handler }).handler);
}

describe('the autoscaler handler', () => {
  it('runs a tick named by the schedule event’s time and writes one JSON log line per region and EMF metrics', async () => {
    const handler = loadHandler(deployedEnv);
    const { result, lines } = await captureStdout(() => handler(scheduledEvent, context));
    expect(result).toMatchObject({ tickTime: new Date(TICK).toISOString() });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['start-eu-west-1-20261125T201000Z']);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(dynamodb.commandCalls(ScanCommand).map((c) => c.args[0].input.TableName)).toEqual(['kubecdn-control-RegionOverrides']);
    expect(resolve4).toHaveBeenCalledWith(`kubecdn-heartbeat-${TICK / 1000}.cdn.example.com`);

    const decisions = lines.filter((l) => l.message === 'region decision');
    expect(decisions.map((l) => l.region)).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-northeast-1']));
    expect(decisions).toHaveLength(3);
    expect(decisions[0]).toMatchObject({ level: 'INFO', service: 'kubecdn-autoscaler', function_request_id: context.awsRequestId });

    const emf = lines.filter((l) => '_aws' in l);
    const names = emf.flatMap((l) =>
      ((l._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]?.Metrics ?? []).map(
        (m) => m.Name,
      ),
    );
    expect(names).toEqual(expect.arrayContaining(['RegionsRunning', 'Decisions', 'EstimatedHourlyCostUSD', 'RegionsWithoutDemand']));
    const startDecisions = emf.find((l) => l.Action === 'start');
    expect(startDecisions).toMatchObject({ Decisions: 1, service: 'kubecdn-autoscaler' });
  });

  it('keeps the demand it read for the next tick of the same container, and reads only what is new', async () => {
    const handler = loadHandler(deployedEnv);
    await captureStdout(() => handler(scheduledEvent, context));
    await captureStdout(() => handler({ ...scheduledEvent, time: '2026-11-25T20:11:00Z' }, context));
    const [first, second] = cloudWatch
      .commandCalls(GetMetricDataCommand)
      .slice(-2)
      .map((c) => c.args[0].input);
    expect(second!.EndTime!.getTime()).toBe(first!.EndTime!.getTime() + 60_000);
    // The periods held are re-read briefly (5) plus the new one, not the whole window again.
    expect(second!.EndTime!.getTime() - second!.StartTime!.getTime()).toBe(6 * 60_000);
  });

  it('refuses to start with a deployed config that is not the one validated at synth', () => {
    const broken = { ...config, thresholds: { ...config.thresholds, scaleDownRequestsPerMinute: 5000 } };
    const validated = configConstants(config);
    // A hand edit of the bundle: the config text changed, the digest taken when it was validated did not.
    expect(() => loadHandlerIsolated(deployedEnv, { ...validated, [CONFIG_CONSTANT]: JSON.stringify(broken) })).toThrow(
      /KUBECDN_DEPLOYED_CONFIG is not the config validated at synth/,
    );
    expect(() => loadHandlerIsolated(deployedEnv, { [CONFIG_CONSTANT]: JSON.stringify(broken) })).toThrow(
      /KUBECDN_DEPLOYED_CONFIG_SHA256 is not compiled in/,
    );
    expect(() => loadHandlerIsolated(deployedEnv, {})).toThrow(/KUBECDN_DEPLOYED_CONFIG is not compiled in/);
  });

  it('refuses to start without the state machine ARNs', () => {
    expect(() => loadHandlerIsolated({ ...deployedEnv, STOP_REGION_STATE_MACHINE_ARN: 'not-an-arn' })).toThrow(
      /STOP_REGION_STATE_MACHINE_ARN is "not-an-arn"; expected a state machine ARN/,
    );
    expect(() => loadHandlerIsolated({ ...deployedEnv, UPGRADE_REGION_STATE_MACHINE_ARN: undefined })).toThrow(
      /UPGRADE_REGION_STATE_MACHINE_ARN is not set; expected a state machine ARN/,
    );
  });

  it('refuses to start without the override table or the operations topic', () => {
    expect(() => loadHandlerIsolated({ ...deployedEnv, REGION_OVERRIDE_TABLE_NAME: undefined })).toThrow(
      /REGION_OVERRIDE_TABLE_NAME is not set; expected a DynamoDB table name/,
    );
    expect(() => loadHandlerIsolated({ ...deployedEnv, OPERATIONS_TOPIC_ARN: 'kubecdn-operations' })).toThrow(
      /OPERATIONS_TOPIC_ARN is "kubecdn-operations"; expected an SNS topic ARN/,
    );
  });

  it('retires a lapsed override and announces it on the operations topic', async () => {
    const lapsed = {
      region: 'eu-west-1',
      pin: 'off' as const,
      expiresAt: TICK / 1000 - 60,
      reason: 'maintenance',
      setBy: 'ops',
      setAt: '2026-11-25T19:00:00Z',
    };
    dynamodb.on(ScanCommand).resolves({ Items: [overrideItem(lapsed)] });
    dynamodb.on(DeleteItemCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    const handler = loadHandler(deployedEnv);
    const { lines } = await captureStdout(() => handler(scheduledEvent, context));
    expect(dynamodb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.Key)).toEqual([{ region: { S: 'eu-west-1' } }]);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.TopicArn)).toEqual([deployedEnv.OPERATIONS_TOPIC_ARN]);
    expect(lines.filter((l) => l.message === 'override lapsed').map((l) => l.region)).toEqual(['eu-west-1']);
  });

  it('rejects an event whose time is not a timestamp', async () => {
    const handler = loadHandler(deployedEnv);
    await expect(captureStdout(() => handler({ time: 'yesterday' }, context))).rejects.toThrow(
      /\$\.time: expected the tick time as an ISO 8601 timestamp/,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
