import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, type StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import type { CustomResourceResponse } from '../../../lambdas/region-changes/custom-resource';
import {
  handleDeployConvergence,
  rolloutExecutionName,
  stopExecutionName,
  upgradeExecutionName,
  type DeployConvergenceDeps,
} from '../../../lambdas/region-changes/deploy-convergence';

const sfnMock = mockClient(SFNClient);
const snsMock = mockClient(SNSClient);

const credentials = { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' };
const ROLLOUT = 'arn:aws:states:us-east-1:123456789012:stateMachine:edge-RolloutWorkload';
const STOP_REGION = 'arn:aws:states:us-east-1:123456789012:stateMachine:edge-StopRegion';
const UPGRADE = 'arn:aws:states:us-east-1:123456789012:stateMachine:edge-UpgradeClusters';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:edge-operations';
const executionArn = (machine: string, name: string) => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
const tag = (requestId: string) => createHash('sha256').update(requestId).digest('hex').slice(0, 8);

function harness(environment: Record<string, string | undefined> = {}, stackStatus = 'UPDATE_IN_PROGRESS') {
  const sent: Array<{ url: string; response: CustomResourceResponse }> = [];
  const warnings: Array<{ message: string; extra: Record<string, unknown> }> = [];
  const deps: DeployConvergenceDeps = {
    environment: {
      PROJECT: 'edge',
      ROLLOUT_STATE_MACHINE_ARN: ROLLOUT,
      STOP_REGION_STATE_MACHINE_ARN: STOP_REGION,
      UPGRADE_STATE_MACHINE_ARN: UPGRADE,
      OPERATIONS_TOPIC_ARN: TOPIC,
      ...environment,
    },
    stackStatus: async () => stackStatus,
    sfn: new SFNClient({ region: 'us-east-1', credentials, maxAttempts: 1 }),
    sns: new SNSClient({ region: 'us-east-1', credentials, maxAttempts: 1 }),
    send: async (url, response) => void sent.push({ url, response }),
    log: { info: () => {}, warn: (message, extra) => void warnings.push({ message, extra }) },
  };
  return { deps, sent, warnings, response: () => sent[0]!.response };
}

const properties = (alwaysOn: string[], scalable: string[], version = 'abc123def456', kubernetesVersion = '1.34') => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:edge-region-changes',
  AlwaysOn: alwaysOn,
  Scalable: scalable,
  WorkloadVersion: version,
  KubernetesVersion: kubernetesVersion,
});

const event = (RequestType: string, extra: Record<string, unknown> = {}) => ({
  RequestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/x?sig=1',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/edge-control/1',
  RequestId: 'req-1',
  LogicalResourceId: 'RegionChangesRegionLists',
  ResourceProperties: properties(['us-east-1'], ['eu-west-1']),
  ...extra,
});

const update = (before: object, after: object, extra: Record<string, unknown> = {}) =>
  event('Update', { PhysicalResourceId: 'edge-region-changes', OldResourceProperties: before, ResourceProperties: after, ...extra });

const starts = () => sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
const inputOf = (start: StartExecutionCommandInput) => JSON.parse(start.input!) as unknown;

beforeEach(() => {
  sfnMock.reset();
  snsMock.reset();
  sfnMock.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => ({
    executionArn: executionArn(input.stateMachineArn!, input.name!),
    startDate: new Date(),
  }));
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('deploy-time convergence: regions removed from the config', () => {
  const before = properties(['us-east-1'], ['eu-west-1', 'sa-east-1', 'ap-south-1']);
  const after = properties(['us-east-1'], ['eu-west-1']);

  it('starts StopRegion with "removed": true for each removed region, under a name derived from the request', async () => {
    const { deps, response } = harness();
    await handleDeployConvergence(update(before, after), deps);
    expect(starts()).toEqual([
      {
        stateMachineArn: STOP_REGION,
        name: `removed-ap-south-1-${tag('req-1')}`,
        input: JSON.stringify({ region: 'ap-south-1', removed: true, reason: 'removed from the config by a deploy' }),
      },
      {
        stateMachineArn: STOP_REGION,
        name: `removed-sa-east-1-${tag('req-1')}`,
        input: JSON.stringify({ region: 'sa-east-1', removed: true, reason: 'removed from the config by a deploy' }),
      },
    ]);
    expect(response()).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'edge-region-changes',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/edge-control/1',
      RequestId: 'req-1',
      LogicalResourceId: 'RegionChangesRegionLists',
      Data: {
        Summary:
          'Removed: ap-south-1, sa-east-1. The deploy starts StopRegion for each: drained (DNS record first) and torn down, warm standby included.',
        Rollout: 'Workload unchanged (version abc123def456).',
        Upgrade: 'Kubernetes unchanged (version 1.34).',
      },
    });
  });

  it('does not start a second stop when CloudFormation retries the same request: ExecutionAlreadyExists counts as started', async () => {
    const first = harness();
    await handleDeployConvergence(update(before, after), first.deps);
    const namesOfFirstTry = starts().map((s) => s.name);

    sfnMock.reset();
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const retry = harness();
    await handleDeployConvergence(update(before, after), retry.deps);
    expect(starts().map((s) => s.name)).toEqual(namesOfFirstTry);
    expect(retry.response().Status).toBe('SUCCESS');
    const message = snsMock.commandCalls(PublishCommand).at(-1)!.args[0].input.Message!;
    expect(message).toContain(executionArn(STOP_REGION, `removed-sa-east-1-${tag('req-1')}`));
  });

  it('names executions of a different request (a later deploy, or the rollback) differently', () => {
    expect(stopExecutionName('sa-east-1', 'req-1')).not.toBe(stopExecutionName('sa-east-1', 'req-2'));
    expect(stopExecutionName('sa-east-1', 'req-1')).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(rolloutExecutionName('v'.repeat(64), 'req-1')).toHaveLength(80);
  });

  it('publishes one message naming the stops started and how to follow them', async () => {
    const { deps } = harness();
    await handleDeployConvergence(update(before, after), deps);
    const publishes = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.TopicArn).toBe(TOPIC);
    expect(publishes[0]!.Subject).toBe('edge deploy: 2 regions removed');
    const stopArn = executionArn(STOP_REGION, `removed-sa-east-1-${tag('req-1')}`);
    expect(publishes[0]!.Message).toContain(`sa-east-1: ${stopArn}`);
    expect(publishes[0]!.Message).toContain(`aws stepfunctions describe-execution --execution-arn ${stopArn}`);
    expect(publishes[0]!.Message).toContain('Removed: ap-south-1, sa-east-1.');
  });

  it('answers FAILED naming what could not be started, and does not roll the new workload out', async () => {
    sfnMock
      .on(StartExecutionCommand, { name: `removed-sa-east-1-${tag('req-1')}` })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { deps, response } = harness();
    await handleDeployConvergence(update(before, properties(['us-east-1'], ['eu-west-1'], 'new000000001')), deps);
    expect(starts().map((s) => s.stateMachineArn)).toEqual([STOP_REGION, STOP_REGION]);
    expect(response()).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringContaining('Could not start StopRegion for sa-east-1 (ThrottlingException: Rate exceeded).'),
    });
    expect(response().Reason).toContain('Roll-out to new000000001 not attempted.');
    expect(response().Reason).toContain(`StopRegion ap-south-1 ${executionArn(STOP_REGION, `removed-ap-south-1-${tag('req-1')}`)}`);
    const publish = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(publish.Subject).toBe('edge deploy: 2 regions removed, workload changed, FAILED to start 1, deploy rolls back');
    expect(publish.Message).toContain('sa-east-1: NOT started: ThrottlingException: Rate exceeded');
    // The deploy rolls back: an error, e-mailed at every notifications.level.
    expect(publish.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'error' },
      operation: { DataType: 'String', StringValue: 'deploy' },
    });
  });
});

describe('deploy-time convergence: the workload version', () => {
  const lists = [['us-east-1'], ['eu-west-1']] as const;

  it('starts one RolloutWorkload to the new version when it changed, and says so in the Rollout attribute', async () => {
    const { deps, response } = harness();
    await handleDeployConvergence(
      update(properties([...lists[0]], [...lists[1]], 'old000000000'), properties([...lists[0]], [...lists[1]], 'new111111111')),
      deps,
    );
    const name = `rollout-new111111111-${tag('req-1')}`;
    expect(starts()).toEqual([{ stateMachineArn: ROLLOUT, name, input: expect.any(String) }]);
    expect(inputOf(starts()[0]!)).toEqual({ version: 'new111111111', reason: 'deploy: workload old000000000 -> new111111111' });
    expect(response()).toMatchObject({
      Status: 'SUCCESS',
      Data: {
        Summary: 'No region list changed.',
        Rollout: `Rolling out workload version new111111111 to running regions: ${executionArn(ROLLOUT, name)}`,
      },
    });
    const publish = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(publish.Subject).toBe('edge deploy: workload rolling out');
    expect(publish.Message).toContain(`aws stepfunctions describe-execution --execution-arn ${executionArn(ROLLOUT, name)}`);
  });

  it('rolls out when the deployed resource predates the workload version: what runs is of unknown version', async () => {
    const { deps } = harness();
    const { WorkloadVersion: _none, ...withoutVersion } = properties(['us-east-1'], ['eu-west-1']);
    await handleDeployConvergence(update(withoutVersion, properties(['us-east-1'], ['eu-west-1'], 'new111111111')), deps);
    expect(starts().map(inputOf)).toEqual([{ version: 'new111111111', reason: 'deploy: workload unknown -> new111111111' }]);
  });

  it('starts nothing and publishes nothing when neither the version nor a region list changed', async () => {
    const { deps, response } = harness();
    await handleDeployConvergence(update(properties(['us-east-1'], ['eu-west-1']), properties(['us-east-1'], ['eu-west-1'])), deps);
    expect(starts()).toEqual([]);
    expect(snsMock.commandCalls(PublishCommand)).toEqual([]);
    expect(response()).toMatchObject({
      Status: 'SUCCESS',
      Data: { Summary: 'No region list changed.', Rollout: 'Workload unchanged (version abc123def456).' },
    });
  });

  it('starts nothing for regions added or moved: the autoscaler acts on its next tick, and the message says so', async () => {
    const { deps } = harness();
    await handleDeployConvergence(
      update(properties(['us-east-1'], ['eu-west-1']), properties(['us-east-1', 'eu-west-1'], ['ap-south-1'])),
      deps,
    );
    expect(starts()).toEqual([]);
    const publish = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(publish.Subject).toBe('edge deploy: regions added or moved');
    expect(publish.Message).toContain("autoscaler's next tick");
    expect(publish.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'info' },
      operation: { DataType: 'String', StringValue: 'deploy' },
    });
  });

  it('answers FAILED naming the roll-out when it cannot be started', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('State Machine Does Not Exist'), { name: 'StateMachineDoesNotExist' }));
    const { deps, response } = harness();
    await handleDeployConvergence(
      update(properties(['us-east-1'], ['eu-west-1'], 'a1'), properties(['us-east-1'], ['eu-west-1'], 'b2')),
      deps,
    );
    expect(response()).toMatchObject({
      Status: 'FAILED',
      Reason: 'Could not start RolloutWorkload to version b2 (StateMachineDoesNotExist: State Machine Does Not Exist). Started: nothing.',
    });
  });

  it('succeeds, and logs a warning, when the operations topic cannot be reached', async () => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    const { deps, response, warnings } = harness();
    await handleDeployConvergence(
      update(properties(['us-east-1'], ['eu-west-1'], 'a1'), properties(['us-east-1'], ['eu-west-1'], 'b2')),
      deps,
    );
    expect(starts()).toHaveLength(1);
    expect(response().Status).toBe('SUCCESS');
    expect(warnings).toEqual([
      {
        message: 'could not publish the deploy notice to the operations topic',
        extra: { error: 'KMSDisabledException: KMS key disabled' },
      },
    ]);
  });
});

describe('deploy-time convergence: create, delete and bad input', () => {
  it('starts nothing on the first deploy, and says which version regions will get', async () => {
    const { deps, response } = harness();
    await handleDeployConvergence(event('Create'), deps);
    expect(starts()).toEqual([]);
    expect(snsMock.commandCalls(PublishCommand)).toEqual([]);
    expect(response()).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'edge-region-changes',
      Data: {
        Summary: 'First deploy: alwaysOn us-east-1; scalable eu-west-1.',
        Rollout: 'First deploy: regions get workload version abc123def456 when they start.',
      },
    });
  });

  it('never blocks or acts on a delete, whatever the properties and settings', async () => {
    const { deps, response } = harness({ ROLLOUT_STATE_MACHINE_ARN: undefined });
    await handleDeployConvergence(event('Delete', { PhysicalResourceId: 'edge-region-changes', ResourceProperties: {} }), deps);
    expect(starts()).toEqual([]);
    expect(response()).toMatchObject({ Status: 'SUCCESS', Data: { Summary: 'Deleted.' } });
  });

  it('answers FAILED naming the field, rather than leaving CloudFormation waiting, when the properties are malformed', async () => {
    const { deps, response } = harness();
    await handleDeployConvergence(
      update(properties(['us-east-1'], []), { AlwaysOn: 'us-east-1', Scalable: [], WorkloadVersion: 'a b' }),
      deps,
    );
    expect(starts()).toEqual([]);
    expect(response().Status).toBe('FAILED');
    expect(response().Reason).toContain('invalid ResourceProperties: $.AlwaysOn: expected a list of AWS region codes');
    expect(response().Reason).toContain('$.WorkloadVersion: expected a workload version');
  });

  it('answers FAILED naming the variable when the function is missing a setting', async () => {
    const { deps, response } = harness({ STOP_REGION_STATE_MACHINE_ARN: undefined });
    await handleDeployConvergence(update(properties(['us-east-1'], ['eu-west-1']), properties(['us-east-1'], [])), deps);
    expect(starts()).toEqual([]);
    expect(response()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('$.STOP_REGION_STATE_MACHINE_ARN: is required') });
  });
});

describe('deploy-time convergence: the Kubernetes version', () => {
  const lists = [['us-east-1'], ['eu-west-1']] as const;
  const at = (kubernetesVersion: string) => properties([...lists[0]], [...lists[1]], 'abc123def456', kubernetesVersion);

  it('starts one UpgradeClusters execution when a deploy raises it, even by more than one minor', async () => {
    const { deps, response } = harness();
    await handleDeployConvergence(update(at('1.33'), at('1.35')), deps);
    expect(starts()).toEqual([
      {
        stateMachineArn: UPGRADE,
        name: upgradeExecutionName('1.35', 'req-1'),
        input: JSON.stringify({ reason: 'deploy: Kubernetes 1.33 -> 1.35' }),
      },
    ]);
    expect(upgradeExecutionName('1.35', 'req-1')).toBe(`upgrade-1.35-${tag('req-1')}`);
    expect(response()).toMatchObject({
      Status: 'SUCCESS',
      Data: {
        Upgrade: `Upgrading running and warm-standby clusters to Kubernetes 1.35: ${executionArn(UPGRADE, upgradeExecutionName('1.35', 'req-1'))}`,
      },
    });
    const notice = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(notice.Subject).toBe('edge deploy: clusters upgrading to 1.35');
    expect(notice.Message).toContain('Kubernetes: version 1.33 -> 1.35.');
  });

  it('refuses a lowered version before starting anything: the deploy fails and CloudFormation rolls it back', async () => {
    const { deps, response } = harness();
    const removing = { ...at('1.33'), Scalable: [] };
    await handleDeployConvergence(update(at('1.35'), removing), deps);
    expect(starts()).toEqual([]);
    expect(response()).toMatchObject({ Status: 'FAILED' });
    expect(response().Reason).toBe(
      'cluster.kubernetesVersion 1.33 is lower than the deployed 1.35: EKS cannot downgrade a cluster, so this deploy is refused and rolled back before anything was started. Keep 1.35 or raise it (EKS offers 1.32, 1.33, 1.34, 1.35).',
    );
  });

  it("accepts a lowered version from CloudFormation's own rollback, and starts no upgrade for it", async () => {
    const { deps, response } = harness({}, 'UPDATE_ROLLBACK_IN_PROGRESS');
    await handleDeployConvergence(update(at('1.35'), at('1.34')), deps);
    expect(starts()).toEqual([]);
    expect(response()).toMatchObject({ Status: 'SUCCESS', Data: { Upgrade: 'Kubernetes unchanged (version 1.34).' } });
  });

  it('starts an upgrade when the deployed resource predates the version (its clusters may run anything)', async () => {
    const { deps } = harness();
    const { KubernetesVersion: _none, ...older } = at('1.34');
    await handleDeployConvergence(update(older, at('1.34')), deps);
    expect(starts().map((s) => s.stateMachineArn)).toEqual([UPGRADE]);
  });

  it('starts nothing when the version is unchanged', async () => {
    const { deps } = harness();
    await handleDeployConvergence(update(at('1.34'), at('1.34')), deps);
    expect(starts()).toEqual([]);
  });
});
