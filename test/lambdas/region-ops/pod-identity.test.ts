/**
 * The edge pods' Pod Identity steps where EKS answers what the simulated account does not stage:
 * a create that races another attempt, an association EKS reports but does not list yet, an
 * add-on that is DEGRADED or failed.
 */
import {
  CreatePodIdentityAssociationCommand,
  DeleteAddonCommand,
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
  ResourceInUseException,
  UpdatePodIdentityAssociationCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { ensurePodIdentity, ensurePodIdentityAgent } from '../../../lambdas/region-ops/pod-identity';

const eksMock = mockClient(EKSClient);
const eks = new EKSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const ROLE = 'arn:aws:iam::123456789012:role/kubecdn-control-EdgeAgentRole';
const spec = (mode: 'auto' | 'managed-nodegroup' = 'auto') => ({ project: 'kubecdn', region: 'eu-west-1', mode, roleArn: ROLE });
const inUse = () => new ResourceInUseException({ $metadata: {}, message: 'Association already exists' });

beforeEach(() => eksMock.reset());
afterAll(() => eksMock.restore());

describe('ensurePodIdentity', () => {
  it('takes a create that lost a race to another attempt as done, once the association is listed with the right role', async () => {
    eksMock
      .on(ListPodIdentityAssociationsCommand)
      .resolvesOnce({ associations: [] })
      .resolves({ associations: [{ associationId: 'a-1' }] });
    eksMock.on(CreatePodIdentityAssociationCommand).rejects(inUse());
    eksMock.on(DescribePodIdentityAssociationCommand).resolves({ association: { associationId: 'a-1', roleArn: ROLE } });
    expect(await ensurePodIdentity(eks, spec())).toEqual({ status: 'READY', waiting: null, association: 'unchanged' });
    expect(eksMock.commandCalls(UpdatePodIdentityAssociationCommand)).toHaveLength(0);
    expect(eksMock.commandCalls(ListPodIdentityAssociationsCommand)[0]!.args[0].input).toMatchObject({
      clusterName: 'kubecdn-eu-west-1',
      namespace: 'kubecdn-edge',
      serviceAccount: 'edge',
    });
  });

  it('hands an association EKS reports but does not list yet to the retry, instead of looping', async () => {
    eksMock.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    eksMock.on(CreatePodIdentityAssociationCommand).rejects(inUse());
    await expect(ensurePodIdentity(eks, spec())).rejects.toMatchObject({ name: 'Retryable' });
    expect(eksMock.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(2);
  });
});

describe('ensurePodIdentityAgent (managed node groups)', () => {
  it('waits for a DEGRADED add-on (its pods not ready yet), naming its issues', async () => {
    eksMock.on(DescribeAddonCommand).resolves({
      addon: { status: 'DEGRADED', health: { issues: [{ code: 'InsufficientNumberOfReplicas', message: 'no ready pods' }] } },
    });
    expect(await ensurePodIdentityAgent(eks, spec('managed-nodegroup'))).toBe(
      'add-on eks-pod-identity-agent is DEGRADED (InsufficientNumberOfReplicas: no ready pods)',
    );
    expect(eksMock.commandCalls(DeleteAddonCommand)).toHaveLength(0);
  });

  it('deletes an add-on that ended UPDATE_FAILED and fails, so the next start creates it afresh', async () => {
    eksMock.on(DescribeAddonCommand).resolves({ addon: { status: 'UPDATE_FAILED' } });
    eksMock.on(DeleteAddonCommand).resolves({});
    await expect(ensurePodIdentityAgent(eks, spec('managed-nodegroup'))).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringContaining('is UPDATE_FAILED; it was deleted so the next start creates it afresh'),
    });
    expect(eksMock.commandCalls(DeleteAddonCommand)[0]!.args[0].input).toEqual({
      clusterName: 'kubecdn-eu-west-1',
      addonName: 'eks-pod-identity-agent',
    });
  });

  it('asks EKS nothing in Auto Mode, whose nodes run the agent', async () => {
    expect(await ensurePodIdentityAgent(eks, spec('auto'))).toBeNull();
    expect(eksMock.calls()).toHaveLength(0);
  });
});
