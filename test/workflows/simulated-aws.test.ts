/** The simulated AWS must reject what real AWS would: these keep the workflow tests honest. */
import { CreateClusterCommand, DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { requestShapeProblems } from '../support/simulated-aws/request-shapes';
import { scenario } from './scenario';

describe('the simulated AWS', () => {
  it('rejects a misspelled parameter, a missing required one and a wrong type, naming each', () => {
    expect(requestShapeProblems(new DescribeClusterCommand({ nmae: 'x' } as never))).toEqual([
      'DescribeCluster$.nmae: not a member of DescribeClusterRequest (members: name)',
      'DescribeCluster$.name: required by DescribeClusterRequest',
    ]);
    expect(
      requestShapeProblems(
        new CreateClusterCommand({
          name: 'c',
          roleArn: 'r',
          resourcesVpcConfig: { subnetIds: ['s'] },
          computeConfig: { enabled: 'yes' } as never,
        }),
      ),
    ).toEqual(['CreateCluster$.computeConfig.enabled: expected a boolean, got string']);
    expect(
      requestShapeProblems(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: 'Z1',
          ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a.', Type: 'A', Regoin: 'eu-west-1' } as never }] },
        }),
      )[0],
    ).toMatch(/^ChangeResourceRecordSets\$\.ChangeBatch\.Changes\[0\]\.ResourceRecordSet\.Regoin: not a member of ResourceRecordSet/);
  });

  it('fails a call with a malformed request instead of answering it', async () => {
    const s = scenario();
    await expect(new EKSClient({ region: 'eu-west-1' }).send(new DescribeClusterCommand({ clusterName: 'x' } as never))).rejects.toThrow(
      /MalformedRequest|not a member of DescribeClusterRequest/,
    );
    expect(s.world.calls.map((c) => c.operation)).toEqual(['DescribeCluster']);
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
});
