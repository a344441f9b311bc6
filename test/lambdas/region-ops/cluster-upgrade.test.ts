import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterVersionCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { upgradeCluster } from '../../../lambdas/region-ops/cluster-upgrade';

const eksMock = mockClient(EKSClient);
const eks = new EKSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' }, maxAttempts: 1 });
const target = { cluster: 'kubecdn-eu-west-1', version: '1.35', mode: 'auto' as const };

beforeEach(() => {
  eksMock.reset();
  eksMock.on(DescribeAddonCommand).rejects(new ResourceNotFoundException({ message: 'no add-on', $metadata: {} }));
});

describe('upgradeCluster, one call of the poll', () => {
  it('refuses a cluster newer than the config, naming the version to configure', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE', version: '1.36' } });
    expect(await upgradeCluster(eks, target, null)).toEqual({
      status: 'FAILED',
      version: '1.36',
      update: null,
      detail:
        'cluster kubecdn-eu-west-1 runs 1.36, newer than the configured 1.35, and EKS cannot downgrade: set cluster.kubernetesVersion to 1.36 (or newer) and deploy',
    });
    expect(eksMock.commandCalls(UpdateClusterVersionCommand)).toHaveLength(0);
  });

  it("fails with EKS's own errors when the update it started ended Failed", async () => {
    eksMock.on(DescribeUpdateCommand).resolves({
      update: {
        id: 'u-1',
        status: 'Failed',
        params: [{ type: 'Version', value: '1.35' }],
        errors: [{ errorCode: 'InsufficientFreeAddresses', errorMessage: 'subnets have too few free addresses' }],
      },
    });
    expect(await upgradeCluster(eks, target, { id: 'u-1' })).toMatchObject({
      status: 'FAILED',
      detail:
        'the cluster kubecdn-eu-west-1 update u-1 to 1.35 ended Failed: InsufficientFreeAddresses: subnets have too few free addresses',
    });
    expect(eksMock.commandCalls(DescribeClusterCommand)).toHaveLength(0);
  });

  it('waits, without an update to follow, when EKS says another update is in progress', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: { status: 'ACTIVE', version: '1.34' } });
    eksMock.on(UpdateClusterVersionCommand).rejects(new ResourceInUseException({ message: 'update in progress', $metadata: {} }));
    expect(await upgradeCluster(eks, target, null)).toMatchObject({ status: 'WAITING', version: '1.34', update: null });
    expect(eksMock.commandCalls(UpdateClusterVersionCommand)[0]!.args[0].input).toEqual({ name: 'kubecdn-eu-west-1', version: '1.35' });
  });

  it('reports a region without a cluster as absent, changing nothing', async () => {
    eksMock.on(DescribeClusterCommand).rejects(new ResourceNotFoundException({ message: 'No cluster found', $metadata: {} }));
    expect(await upgradeCluster(eks, target, null)).toMatchObject({ status: 'ABSENT', version: null });
  });
});
