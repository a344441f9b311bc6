import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { deleteLatencyRecord, healthCheckCallerReference, latencyRecords } from '../../../lambdas/region-ops/dns';

const route53 = mockClient(Route53Client);
afterEach(() => route53.reset());
afterAll(() => route53.restore());

const record = (region: string) => ({
  Name: 'cdn.example.com.',
  Type: 'A' as const,
  SetIdentifier: region,
  Region: region as never,
  AliasTarget: { DNSName: `nlb.${region}.amazonaws.com`, HostedZoneId: 'Z1', EvaluateTargetHealth: true },
});

describe('latency records', () => {
  it('follows pagination and stops at the first record of another name or type', async () => {
    route53
      .on(ListResourceRecordSetsCommand, { StartRecordName: 'cdn.example.com.', StartRecordType: 'A', StartRecordIdentifier: undefined })
      .resolves({
        ResourceRecordSets: [record('eu-west-1')],
        IsTruncated: true,
        NextRecordName: 'cdn.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 'us-east-1',
        MaxItems: 1,
      })
      .on(ListResourceRecordSetsCommand, { StartRecordIdentifier: 'us-east-1' })
      .resolves({
        ResourceRecordSets: [record('us-east-1'), { Name: 'cdn.example.com.', Type: 'AAAA', SetIdentifier: 'x' }],
        IsTruncated: true,
        MaxItems: 2,
      });
    const records = await latencyRecords(new Route53Client({}), { hostedZoneId: 'Z1', domainName: 'cdn.example.com' });
    expect([...records.keys()]).toEqual(['eu-west-1', 'us-east-1']);
    expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(2);
  });

  it('deletes exactly the record found, and refuses to delete the last one', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [record('eu-west-1'), record('us-east-1')], IsTruncated: false, MaxItems: 100 });
    route53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
    const spec = { hostedZoneId: 'Z1', domainName: 'cdn.example.com', region: 'eu-west-1' };
    await expect(deleteLatencyRecord(new Route53Client({}), spec)).resolves.toBe('/change/C1');
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch!.Changes).toEqual([
      { Action: 'DELETE', ResourceRecordSet: record('eu-west-1') },
    ]);

    route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [record('eu-west-1')], IsTruncated: false, MaxItems: 100 });
    await expect(deleteLatencyRecord(new Route53Client({}), spec)).rejects.toThrow(
      expect.objectContaining({
        name: 'StopRefused',
        message: 'eu-west-1 is the last region serving cdn.example.com; start another region before stopping it',
      }),
    );
  });
});

describe('health check caller references', () => {
  it('are stable for the same target and new for a new load balancer, within the 64-character limit', () => {
    const spec = {
      project: 'a-twenty-char-name-x',
      region: 'ap-southeast-4',
      targetDnsName: 'k8s-a.elb.amazonaws.com',
      port: 80,
      path: '/healthz',
    };
    expect(healthCheckCallerReference(spec)).toBe(healthCheckCallerReference({ ...spec }));
    expect(healthCheckCallerReference(spec)).not.toBe(healthCheckCallerReference({ ...spec, targetDnsName: 'k8s-b.elb.amazonaws.com' }));
    expect(healthCheckCallerReference(spec).length).toBeLessThanOrEqual(64);
  });
});
