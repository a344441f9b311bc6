import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  HealthCheckAlreadyExists,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import {
  deleteLatencyRecord,
  ensureHealthCheck,
  healthCheckCallerReference,
  latencyRecords,
  viewerHealthCheck,
  type HealthCheckSpec,
} from '../../../lambdas/region-ops/dns';
import { validConfig } from '../../support/configs';

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
    const spec: HealthCheckSpec = {
      project: 'a-twenty-char-name-x',
      region: 'ap-southeast-4',
      targetDnsName: 'k8s-a.elb.amazonaws.com',
      protocol: 'HTTPS',
      port: 443,
      path: '/healthz',
    };
    expect(healthCheckCallerReference(spec)).toBe(healthCheckCallerReference({ ...spec }));
    expect(healthCheckCallerReference(spec)).not.toBe(healthCheckCallerReference({ ...spec, targetDnsName: 'k8s-b.elb.amazonaws.com' }));
    expect(healthCheckCallerReference(spec).length).toBeLessThanOrEqual(64);
  });

  it('differ by protocol, so a start meeting an HTTP check of the same load balancer makes an HTTPS one', () => {
    const https: HealthCheckSpec = {
      project: 'kubecdn',
      region: 'eu-west-1',
      targetDnsName: 'lb',
      protocol: 'HTTPS',
      port: 80,
      path: '/h',
    };
    expect(healthCheckCallerReference(https)).not.toBe(healthCheckCallerReference({ ...https, protocol: 'HTTP' }));
  });

  it('keep the reference an HTTP check had before HTTPS checks existed', () => {
    // sha256("lb|80|/healthz"), first 16 hex characters: what earlier versions derived.
    const http: HealthCheckSpec = {
      project: 'kubecdn',
      region: 'eu-west-1',
      targetDnsName: 'lb',
      protocol: 'HTTP',
      port: 80,
      path: '/healthz',
    };
    expect(healthCheckCallerReference(http)).toBe(
      `kubecdn-eu-west-1-${createHash('sha256').update('lb|80|/healthz').digest('hex').slice(0, 16)}`,
    );
  });
});

describe('the viewer health check', () => {
  it('requests the health path over HTTPS on 443, as viewers connect', () => {
    expect(viewerHealthCheck(validConfig())).toEqual({ protocol: 'HTTPS', port: 443, path: '/healthz' });
  });

  it('uses the plain-HTTP listener when the TLS policy is TLS 1.3 only, which Route 53 checkers cannot speak', () => {
    const config = validConfig((c) => {
      c.https = { securityPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' };
      c.workload!.servicePort = 8080;
    });
    expect(viewerHealthCheck(config)).toEqual({ protocol: 'HTTP', port: 8080, path: '/healthz' });
  });

  const spec: HealthCheckSpec = {
    project: 'kubecdn',
    region: 'eu-west-1',
    targetDnsName: 'k8s-edge.elb.eu-west-1.amazonaws.com',
    protocol: 'HTTPS',
    port: 443,
    path: '/healthz',
  };

  it('is created against the region load balancer with SNI, every 30 seconds', async () => {
    route53.on(CreateHealthCheckCommand).resolves({ HealthCheck: { Id: 'hc-1' } as never, Location: 'x' });
    route53.on(ChangeTagsForResourceCommand).resolves({});
    await expect(ensureHealthCheck(new Route53Client({}), spec)).resolves.toBe('hc-1');
    expect(route53.commandCalls(CreateHealthCheckCommand)[0]!.args[0].input.HealthCheckConfig).toEqual({
      Type: 'HTTPS',
      FullyQualifiedDomainName: 'k8s-edge.elb.eu-west-1.amazonaws.com',
      Port: 443,
      ResourcePath: '/healthz',
      RequestInterval: 30,
      FailureThreshold: 3,
      EnableSNI: true,
    });
  });

  it('asks for no SNI on a plain-HTTP check', async () => {
    route53.on(CreateHealthCheckCommand).resolves({ HealthCheck: { Id: 'hc-2' } as never, Location: 'x' });
    route53.on(ChangeTagsForResourceCommand).resolves({});
    await ensureHealthCheck(new Route53Client({}), { ...spec, protocol: 'HTTP', port: 80 });
    const config = route53.commandCalls(CreateHealthCheckCommand)[0]!.args[0].input.HealthCheckConfig!;
    expect(config.Type).toBe('HTTP');
    expect(config).not.toHaveProperty('EnableSNI');
  });

  it('adopts a live check after a refused reference only when its type matches too', async () => {
    route53.on(CreateHealthCheckCommand).rejects(new HealthCheckAlreadyExists({ $metadata: {}, message: 'exists' }));
    route53.on(ChangeTagsForResourceCommand).resolves({});
    const live = (id: string, Type: 'HTTP' | 'HTTPS') => ({
      Id: id,
      CallerReference: `r-${id}`,
      HealthCheckVersion: 1,
      HealthCheckConfig: { Type, FullyQualifiedDomainName: spec.targetDnsName, Port: 443, ResourcePath: '/healthz' },
    });
    route53
      .on(ListHealthChecksCommand)
      .resolves({ HealthChecks: [live('old-http', 'HTTP')], IsTruncated: false, Marker: '', MaxItems: 100 });
    await expect(ensureHealthCheck(new Route53Client({}), spec)).rejects.toThrow(/refused health check reference/);
    route53
      .on(ListHealthChecksCommand)
      .resolves({ HealthChecks: [live('old-http', 'HTTP'), live('https', 'HTTPS')], IsTruncated: false, Marker: '', MaxItems: 100 });
    await expect(ensureHealthCheck(new Route53Client({}), spec)).resolves.toBe('https');
  });
});
