import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { readRegionStates, readServingRegions } from '../../../lambdas/autoscaler/region-state-reader';
import { validConfig } from '../../support/configs';
import { awsError, latencyRecord, START_ARN, STOP_ARN, TICK } from './fixtures';

const eks = mockClient(EKSClient);
const route53 = mockClient(Route53Client);
const sfn = mockClient(SFNClient);

const config = validConfig((c) => (c.standby = { 'ap-northeast-1': 'warm' }));
const deps = {
  eksFor: (region: string) => new EKSClient({ region }),
  route53: new Route53Client({ region: 'us-east-1' }),
  sfn: new SFNClient({ region: 'us-east-1' }),
  stateMachines: { start: START_ARN, stop: STOP_ARN },
  describeTimeoutMs: 50,
};
const notFound = () => new ResourceNotFoundException({ message: 'No cluster found', $metadata: {} });

beforeEach(() => {
  eks.reset();
  route53.reset();
  sfn.reset();
  eks.on(DescribeClusterCommand).rejects(notFound());
  route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 300 });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
});

describe('reading region states', () => {
  it('asks each configured region for its cluster, by the workflows’ cluster name', async () => {
    const reading = await readRegionStates(deps, config, TICK);
    const names = eks.commandCalls(DescribeClusterCommand).map((c) => c.args[0].input.name);
    expect(names.sort()).toEqual(['kubecdn-ap-northeast-1', 'kubecdn-eu-west-1', 'kubecdn-us-east-1']);
    expect(reading.regions).toEqual({
      'us-east-1': { phase: 'stopped' },
      'eu-west-1': { phase: 'stopped' },
      'ap-northeast-1': { phase: 'stopped' },
    });
  });

  it('calls a region with an active cluster and a latency record running, and a warm one without a record standby', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE' } });
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        latencyRecord('us-east-1'),
        latencyRecord('eu-west-1'),
        { Name: 'cdn.example.com.', Type: 'AAAA', SetIdentifier: 'ap-northeast-1' },
      ],
      IsTruncated: false,
    });
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['us-east-1']?.phase).toBe('running');
    expect(regions['eu-west-1']?.phase).toBe('running');
    expect(regions['ap-northeast-1']?.phase).toBe('standby');
  });

  it("keeps each cluster's Kubernetes version from the same DescribeCluster, for the version metrics", async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE', version: '1.33' } });
    eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).rejects(notFound());
    const { observed } = await readRegionStates(deps, config, TICK);
    expect(observed['us-east-1']?.kubernetesVersion).toBe('1.33');
    expect(observed['eu-west-1']).not.toHaveProperty('kubernetesVersion');
    expect(eks.commandCalls(DescribeClusterCommand)).toHaveLength(3);
  });

  it('holds a region whose DescribeCluster does not answer in time and still reads the others', async () => {
    eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).callsFake(() => new Promise(() => {}));
    eks.on(DescribeClusterCommand, { name: 'kubecdn-us-east-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('us-east-1')], IsTruncated: false });
    const started = Date.now();
    const reading = await readRegionStates(deps, config, TICK);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(reading.regions['eu-west-1']?.phase).toBe('unknown');
    expect(reading.observed['eu-west-1']?.problems).toEqual([
      expect.stringMatching(/DescribeCluster in eu-west-1 did not answer within 50 ms/),
    ]);
    expect(reading.regions['us-east-1']?.phase).toBe('running');
    expect(reading.regions['ap-northeast-1']?.phase).toBe('stopped');
  });

  it('holds a region whose DescribeCluster fails with anything but "not found"', async () => {
    eks.on(DescribeClusterCommand, { name: 'kubecdn-ap-northeast-1' }).rejects(awsError('AccessDeniedException', 403));
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['ap-northeast-1']?.phase).toBe('unknown');
    expect(regions['eu-west-1']?.phase).toBe('stopped');
  });

  it('marks regions with a running workflow as in flight, reading the region from our names or from the input of manual runs', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE' } });
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [latencyRecord('us-east-1'), latencyRecord('eu-west-1')], IsTruncated: false });
    sfn.on(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'RUNNING' }).resolves({
      executions: [
        {
          executionArn: `${START_ARN}:manual`,
          stateMachineArn: START_ARN,
          name: '0d9e6c1a-8f1e-4c5b-9a55-3f1f3a1b2c3d',
          status: 'RUNNING',
          startDate: new Date(TICK - 60_000),
        },
      ],
    });
    sfn.on(DescribeExecutionCommand).resolves({ input: '{"region":"ap-northeast-1"}' });
    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: 'RUNNING' }).resolves({
      executions: [
        {
          executionArn: `${STOP_ARN}:x`,
          stateMachineArn: STOP_ARN,
          name: 'stop-eu-west-1-20261125T200000Z',
          status: 'RUNNING',
          startDate: new Date(TICK - 600_000),
        },
      ],
    });
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['ap-northeast-1']).toEqual({ phase: 'starting', operationInFlight: 'start' });
    expect(regions['eu-west-1']).toEqual({ phase: 'stopping', operationInFlight: 'stop' });
    expect(regions['us-east-1']).toEqual({ phase: 'running' });
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1); // our own names need no DescribeExecution
  });

  it('takes the last transition from the newest succeeded start or stop, and reads no further back than cooldowns reach', async () => {
    const succeeded = (arn: string, name: string, startedMinutesAgo: number, stoppedMinutesAgo: number) => ({
      executionArn: `${arn}:${name}`,
      stateMachineArn: arn,
      name,
      status: 'SUCCEEDED' as const,
      startDate: new Date(TICK - startedMinutesAgo * 60_000),
      stopDate: new Date(TICK - stoppedMinutesAgo * 60_000),
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' }).resolves({
      executions: [
        succeeded(START_ARN, 'start-eu-west-1-20261125T193000Z', 40, 25),
        succeeded(START_ARN, 'start-eu-west-1-20261125T000000Z', 1210, 1190),
      ],
      nextToken: 'older',
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined }).resolves({
      executions: [succeeded(STOP_ARN, 'stop-eu-west-1-20261125T190000Z', 70, 55)],
    });
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['eu-west-1']?.lastTransitionAt).toBe(TICK - 25 * 60_000);
    expect(regions['us-east-1']?.lastTransitionAt).toBeUndefined();
    const startHistory = sfn.commandCalls(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' });
    expect(startHistory).toHaveLength(1); // the page reached executions older than any cooldown: no next page
  });

  it('counts a StopRegion that failed, timed out or was aborted as a transition, so a failing stop waits out the cooldown', async () => {
    const finished = (arn: string, name: string, status: 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RUNNING', stoppedMinutesAgo?: number) => ({
      executionArn: `${arn}:${name}`,
      stateMachineArn: arn,
      name,
      status,
      startDate: new Date(TICK - 60 * 60_000),
      ...(stoppedMinutesAgo === undefined ? {} : { stopDate: new Date(TICK - stoppedMinutesAgo * 60_000) }),
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined }).resolves({
      executions: [
        finished(STOP_ARN, 'stop-us-east-1-20261125T191000Z', 'RUNNING'),
        finished(STOP_ARN, 'stop-eu-west-1-20261125T191000Z', 'FAILED', 5),
        finished(STOP_ARN, 'stop-ap-northeast-1-20261125T191000Z', 'TIMED_OUT', 7),
      ],
    });
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['eu-west-1']?.lastTransitionAt).toBe(TICK - 5 * 60_000);
    expect(regions['ap-northeast-1']?.lastTransitionAt).toBe(TICK - 7 * 60_000);
    expect(regions['us-east-1']).toEqual({ phase: 'stopped' }); // an unfinished one listed there is no transition
    const stopHistory = sfn.commandCalls(ListExecutionsCommand, { stateMachineArn: STOP_ARN, statusFilter: undefined });
    expect(stopHistory).toHaveLength(1);
  });

  it('reads only succeeded StartRegions for the cooldown (a region a rule wants up is retried at once), in 4 listings in all', async () => {
    sfn.on(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' }).resolves({ executions: [] });
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['eu-west-1']?.lastTransitionAt).toBeUndefined();
    expect(sfn.commandCalls(ListExecutionsCommand, { stateMachineArn: START_ARN, statusFilter: 'SUCCEEDED' })).toHaveLength(1);
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(4);
  });

  it('holds every region when the workflow executions cannot be read', async () => {
    sfn.on(ListExecutionsCommand).rejects(awsError('ThrottlingException', 400));
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(Object.values(regions).map((r) => r.phase)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('holds regions with a cluster when Route 53 cannot be read, but still knows the ones without one are stopped', async () => {
    eks.on(DescribeClusterCommand, { name: 'kubecdn-eu-west-1' }).resolves({ cluster: { status: 'ACTIVE' } });
    route53.on(ListResourceRecordSetsCommand).rejects(awsError('PriorRequestNotComplete', 400));
    const { regions } = await readRegionStates(deps, config, TICK);
    expect(regions['eu-west-1']?.phase).toBe('unknown');
    expect(regions['us-east-1']?.phase).toBe('stopped');
  });

  it('reads a region no longer in the config that still has its latency record as running, without describing its cluster', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('sa-east-1')], IsTruncated: false });
    const reading = await readRegionStates(deps, config, TICK);
    expect(reading.unconfiguredServingRegions).toEqual(['sa-east-1']);
    expect(reading.regions['sa-east-1']).toEqual({ phase: 'running' });
    expect(reading.observed['sa-east-1']).toEqual({ cluster: 'not-read', serving: true, problems: [] });
    expect(eks.commandCalls(DescribeClusterCommand).map((c) => c.args[0].input.name)).not.toContain('kubecdn-sa-east-1');
  });

  it('reads a removed region whose StopRegion is running as stopping, even once its record is gone, and holds one it cannot read', async () => {
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
    expect((await readRegionStates(deps, config, TICK)).regions['sa-east-1']).toEqual({ phase: 'stopping', operationInFlight: 'stop' });

    route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [latencyRecord('sa-east-1')], IsTruncated: false });
    sfn.on(ListExecutionsCommand).rejects(awsError('ThrottlingException', 400));
    expect((await readRegionStates(deps, config, TICK)).regions['sa-east-1']).toEqual({ phase: 'unknown' });
  });

  it('knows nothing of a removed region with neither a record nor a workflow (nothing to decide)', async () => {
    const reading = await readRegionStates(deps, config, TICK);
    expect(Object.keys(reading.regions).sort()).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
  });
});

describe('reading the latency records', () => {
  it('starts at the CDN name, follows pages, and stops at the first record that is not ours', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [latencyRecord('us-east-1')],
        IsTruncated: true,
        NextRecordName: 'cdn.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 'eu-west-1',
      })
      .resolvesOnce({
        ResourceRecordSets: [latencyRecord('eu-west-1'), { Name: 'www.example.com.', Type: 'A' }],
        IsTruncated: true,
        NextRecordName: 'x',
      });
    const serving = await readServingRegions(new Route53Client({}), 'Z0123456789EXAMPLE0', 'cdn.example.com');
    expect([...serving]).toEqual(['us-east-1', 'eu-west-1']);
    const calls = route53.commandCalls(ListResourceRecordSetsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input).toMatchObject({
      HostedZoneId: 'Z0123456789EXAMPLE0',
      StartRecordName: 'cdn.example.com.',
      StartRecordType: 'A',
    });
    expect(calls[1]!.args[0].input.StartRecordIdentifier).toBe('eu-west-1');
  });
});
