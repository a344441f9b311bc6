/** The simulated AWS must reject what real AWS would: these keep the workflow tests honest. */
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DisassociateAccessPolicyCommand,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  CreatePodIdentityAssociationCommand,
  DeleteClusterCommand,
  DeletePodIdentityAssociationCommand,
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { takeRefusedRequests } from '../support/aws-requests/checked-requests';
import { scenario } from './scenario';

describe('the simulated AWS', () => {
  it('refuses a malformed request before answering it, and the refusal fails the test', async () => {
    const s = scenario();
    await expect(
      new EKSClient({ region: 'eu-west-1' }).send(new DescribeClusterCommand({ clusterName: 'x' } as never)),
    ).rejects.toMatchObject({
      name: 'MalformedRequest',
    });
    expect(s.world.calls).toEqual([]);
    expect(takeRefusedRequests()).toEqual([
      'mocked SDK request real AWS would reject: DescribeCluster$.clusterName: not a member of DescribeClusterRequest (members: name); DescribeCluster$.name: required by DescribeClusterRequest',
    ]);
  });

  it('fails loudly on a command it does not implement', async () => {
    scenario();
    await expect(new EKSClient({ region: 'eu-west-1' }).send(new ListClustersCommand({}))).rejects.toThrow(
      /does not implement this command/,
    );
    await expect(new Route53Client({ region: 'us-east-1' }).send(new DescribeClusterCommand({ name: 'x' }) as never)).rejects.toThrow();
  });

  it('answers in the region the client was created for', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await expect(
      new EKSClient({ region: 'ap-northeast-1' }).send(new DescribeClusterCommand({ name: 'kubecdn-eu-west-1' })),
    ).rejects.toThrow(/No cluster found/);
    const found = await new EKSClient({ region: 'eu-west-1' }).send(new DescribeClusterCommand({ name: 'kubecdn-eu-west-1' }));
    expect(found.cluster?.status).toBe('ACTIVE');
  });

  it('answers Pod Identity associations as EKS does: one per service account, not found once deleted or with their cluster', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const eks = new EKSClient({ region: 'eu-west-1' });
    const association = { clusterName: 'kubecdn-eu-west-1', namespace: 'kubecdn-edge', serviceAccount: 'edge' };
    await expect(
      eks.send(new CreatePodIdentityAssociationCommand({ ...association, roleArn: 'arn:aws:iam::123456789012:role/other' })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await expect(
      eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'kubecdn-eu-west-1', associationId: 'a-unknown' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const { associations } = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'kubecdn-eu-west-1' }));
    expect(associations).toEqual([expect.objectContaining(association)]);
    expect(associations![0]).not.toHaveProperty('roleArn'); // summaries do not carry it

    await eks.send(new DeleteClusterCommand({ name: 'kubecdn-eu-west-1' }));
    s.world.advance(6 * 60_000);
    await expect(eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'kubecdn-eu-west-1' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(s.resources('eu-west-1').filter((r) => r.startsWith('pod identity'))).toEqual([]);
  });

  it('answers access entries as EKS does: in use when made twice, not found when absent, policies associated per entry', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const eks = new EKSClient({ region: 'eu-west-1' });
    const clusterName = 'kubecdn-eu-west-1';
    const principalArn = 'arn:aws:iam::123456789012:role/cdn-viewers';
    const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
    await eks.send(new CreateAccessEntryCommand({ clusterName, principalArn, tags: { 'kubecdn:access': 'people' } }));
    await expect(eks.send(new CreateAccessEntryCommand({ clusterName, principalArn }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await eks.send(new AssociateAccessPolicyCommand({ clusterName, principalArn, policyArn: VIEW, accessScope: { type: 'cluster' } }));
    expect((await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName, principalArn }))).associatedAccessPolicies).toEqual([
      { policyArn: VIEW, accessScope: { type: 'cluster' } },
    ]);
    expect((await eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn }))).accessEntry?.tags).toEqual({
      'kubecdn:access': 'people',
    });
    await eks.send(new DisassociateAccessPolicyCommand({ clusterName, principalArn, policyArn: VIEW }));
    await expect(eks.send(new DisassociateAccessPolicyCommand({ clusterName, principalArn, policyArn: VIEW }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await eks.send(new DeleteAccessEntryCommand({ clusterName, principalArn }));
    await expect(eks.send(new DeleteAccessEntryCommand({ clusterName, principalArn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      eks.send(new AssociateAccessPolicyCommand({ clusterName, principalArn, policyArn: VIEW, accessScope: { type: 'cluster' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await eks.send(new ListAccessEntriesCommand({ clusterName }))).accessEntries).toEqual([
      s.harness.synthesized.regionOpsEnvironment.WORKFLOW_ROLE_ARN,
    ]);
  });
});
