/**
 * The deleteNetworkStack step (StopRegion of a region removed from the config), through the step
 * schema and runStep, against the simulated CloudFormation. The account is created from the config
 * before the removal, so the removed region still has its network stack.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { createRegionClients } from '../../../lambdas/region-ops/region-clients';
import { runStep, type RegionOpsDependencies } from '../../../lambdas/region-ops/region-ops';
import { stepEventSchema } from '../../../lambdas/region-ops/steps';
import { clientOptions } from '../../../lambdas/shared/aws-clients';
import { validConfig } from '../../support/configs';
import { simulatedAccount } from '../../support/simulated-aws/fixture';
import { installSimulatedAws, type InstalledMocks } from '../../support/simulated-aws/install-mocks';
import { LEAD_TIMES_MS, type SimulatedAws } from '../../support/simulated-aws/world';

const STACK = 'kubecdn-network-eu-west-1';
/** After the deploy: eu-west-1 is no longer configured. */
const removed = validConfig((c) => {
  c.scalable = ['ap-northeast-1'];
});

let world: SimulatedAws;
let mocks: InstalledMocks;
beforeEach(() => {
  world = simulatedAccount(validConfig());
  mocks = installSimulatedAws(world);
});
afterEach(() => mocks.restore());

const deps = (): RegionOpsDependencies => ({
  deployment: {
    config: removed,
    clusterRoleArn: 'arn:aws:iam::123456789012:role/cluster',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/node',
    workflowRoleArn: 'arn:aws:iam::123456789012:role/workflow',
    networkParameterName: '/kubecdn/network',
    edgeAgentRoleArn: 'arn:aws:iam::123456789012:role/edge-agent',
    edgeFiles: { agentSource: '', regionTableGzip: Buffer.alloc(0) },
  },
  clientsFor: (region) => createRegionClients(region),
  route53: new Route53Client(clientOptions('us-east-1')),
  kubernetes: () => {
    throw new Error('no Kubernetes call was expected');
  },
  now: () => world.now,
});

const deleteStack = (fields: { region?: string; execution?: string; attempt?: number } = {}) =>
  runStep(
    stepEventSchema.parse({ step: 'deleteNetworkStack', region: 'eu-west-1', execution: 'stop-1', attempt: 0, ...fields }),
    deps(),
  ) as Promise<{ status: string; detail: string; attempt: number }>;
const cloudformationCalls = () => world.calls.filter((c) => c.service === 'cloudformation');

describe('deleteNetworkStack', () => {
  it('deletes the removed region’s network stack in that region and reports DELETING, then GONE; its parameter goes with it', async () => {
    expect(await deleteStack()).toEqual({ status: 'DELETING', detail: `${STACK} in eu-west-1 is DELETE_IN_PROGRESS`, attempt: 1 });
    const deletes = cloudformationCalls().filter((c) => c.operation === 'DeleteStack');
    expect(deletes).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        input: { StackName: STACK, ClientRequestToken: expect.stringMatching(/^[a-zA-Z][-a-zA-Z0-9]*$/) },
      }),
    ]);
    world.advance(LEAD_TIMES_MS.networkStackDelete);
    expect(await deleteStack({ attempt: 1 })).toEqual({ status: 'GONE', detail: `${STACK} in eu-west-1 is deleted`, attempt: 2 });
    expect(world.stacksOf('eu-west-1')).toEqual([]);
    expect(world.parameters.has('eu-west-1//kubecdn/network')).toBe(false);
    // Other regions' stacks are untouched.
    expect(world.stacksOf('ap-northeast-1')).toEqual(['stack kubecdn-network-ap-northeast-1 (CREATE_COMPLETE)']);
  });

  it('uses one ClientRequestToken per execution: a repeat within the execution is the same request, the next execution’s is new', async () => {
    world.stackDeleteFailures.set(`eu-west-1/${STACK}`, 'The VPC has dependencies and cannot be deleted.');
    await deleteStack({ execution: 'stop-1' });
    world.advance(LEAD_TIMES_MS.networkStackDelete);
    // DELETE_FAILED: the same execution sends its own token again, which CloudFormation treats as the request already made.
    expect((await deleteStack({ execution: 'stop-1', attempt: 1 })).status).toBe('FAILED');
    world.stackDeleteFailures.clear();
    expect((await deleteStack({ execution: 'stop-2' })).status).toBe('DELETING');
    const tokens = cloudformationCalls()
      .filter((c) => c.operation === 'DeleteStack')
      .map((c) => (c.input as { ClientRequestToken: string }).ClientRequestToken);
    expect(tokens).toHaveLength(3);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('reports FAILED with CloudFormation’s reason when the delete fails, and a new execution retries it to GONE', async () => {
    world.stackDeleteFailures.set(`eu-west-1/${STACK}`, 'The VPC has dependencies and cannot be deleted.');
    await deleteStack();
    world.advance(LEAD_TIMES_MS.networkStackDelete);
    const failed = await deleteStack({ attempt: 1 });
    expect(failed).toMatchObject({ status: 'FAILED', attempt: 2 });
    expect(failed.detail).toContain(`CloudFormation could not delete ${STACK} in eu-west-1`);
    expect(failed.detail).toContain('The VPC has dependencies and cannot be deleted.');
    expect(world.stacksOf('eu-west-1')).toEqual([`stack ${STACK} (DELETE_FAILED)`]);

    world.stackDeleteFailures.clear();
    expect((await deleteStack({ execution: 'stop-2' })).status).toBe('DELETING');
    world.advance(LEAD_TIMES_MS.networkStackDelete);
    expect((await deleteStack({ execution: 'stop-2', attempt: 1 })).status).toBe('GONE');
  });

  it('reports GONE for a stack that does not exist (already deleted, or never deployed), without deleting anything', async () => {
    world.stacks.clear();
    expect(await deleteStack()).toEqual({ status: 'GONE', detail: `${STACK} in eu-west-1 is deleted`, attempt: 1 });
    expect(cloudformationCalls().map((c) => c.operation)).toEqual(['DescribeStacks']);
  });

  it.each([
    ['no tags', {}],
    ['another project', { 'kubecdn:project': 'someone-else', 'kubecdn:region': 'eu-west-1' }],
    ['another region', { 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-2' }],
  ])('refuses to delete a stack by that name that is not tagged as this project’s network stack for the region (%s)', async (_, tags) => {
    const stack = world.stacks.get(`eu-west-1/${STACK}`)!;
    world.stacks.set(`eu-west-1/${STACK}`, { ...stack, tags });
    await expect(deleteStack()).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringContaining(`stack ${STACK} in eu-west-1 is not tagged kubecdn:project=kubecdn and kubecdn:region=eu-west-1`),
    });
    expect(cloudformationCalls().map((c) => c.operation)).toEqual(['DescribeStacks']);
    expect(world.stacksOf('eu-west-1')).toEqual([`stack ${STACK} (CREATE_COMPLETE)`]);
  });

  it('refuses a configured region before any AWS call: a configured region keeps its network stack', async () => {
    await expect(deleteStack({ region: 'ap-northeast-1' })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: '"ap-northeast-1" is a configured region; deleteNetworkStack acts only on a region removed from the config',
    });
    await expect(deleteStack({ region: 'us-east-1' })).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(world.calls).toEqual([]);
  });

  it('requires the execution (its token) and an attempt counter in the event', () => {
    expect(stepEventSchema.safeParse({ step: 'deleteNetworkStack', region: 'eu-west-1', attempt: 0 }).success).toBe(false);
    expect(
      stepEventSchema.safeParse({ step: 'deleteNetworkStack', region: 'eu-west-1', execution: 'x', attempt: 0, force: true }).success,
    ).toBe(false);
  });
});
