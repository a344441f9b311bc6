import {
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  NoSuchHealthCheck,
  Route53Client,
  type HealthCheck,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { healthCheckCallerReference, healthCheckConvergence, regionHealth } from '../../../lambdas/region-ops/dns';
import { asWorkflowError } from '../../../lambdas/region-ops/errors';

const route53 = mockClient(Route53Client);
afterEach(() => route53.reset());
afterAll(() => route53.restore());

const spec = { hostedZoneId: 'Z1', domainName: 'cdn.example.com', region: 'eu-west-1' };
const record = (region: string, healthCheckId?: string) => ({
  Name: 'cdn.example.com.',
  Type: 'A' as const,
  SetIdentifier: region,
  Region: region as never,
  ...(healthCheckId ? { HealthCheckId: healthCheckId } : {}),
  AliasTarget: { DNSName: `nlb.${region}.amazonaws.com`, HostedZoneId: 'Z2', EvaluateTargetHealth: true },
});

function observations(successes: number, total: number) {
  return Array.from({ length: total }, (_, i) => ({
    Region: 'us-east-1' as const,
    IPAddress: `15.177.0.${i}`,
    StatusReport: { Status: i < successes ? 'Success: HTTP Status Code 200, OK' : 'Failure: HTTP Status Code 502, Bad Gateway' },
  }));
}

function zoneWith(...records: ReturnType<typeof record>[]) {
  route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: records, IsTruncated: false, MaxItems: 300 });
}

describe('regionHealth', () => {
  it('reads the health check the region’s latency record references', async () => {
    zoneWith(record('us-east-1', 'hc-us'), record('eu-west-1', 'hc-eu'));
    route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: observations(8, 8) });
    expect(await regionHealth(new Route53Client({}), spec)).toEqual({
      healthy: true,
      detail: 'health check hc-eu: 8 of 8 Route 53 checkers report success',
    });
    expect(route53.commandCalls(GetHealthCheckStatusCommand)[0]!.args[0].input).toEqual({ HealthCheckId: 'hc-eu' });
  });

  it('reads a check the record does not use yet by its id, without reading the record', async () => {
    route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: observations(8, 8) });
    expect(await regionHealth(new Route53Client({}), spec, 'hc-new')).toEqual({
      healthy: true,
      detail: 'health check hc-new: 8 of 8 Route 53 checkers report success',
    });
    expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(0);
  });

  it('names what the failing checkers see when the check does not pass, and calls a check with no observation yet not healthy', async () => {
    route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: observations(3, 8) });
    expect(await regionHealth(new Route53Client({}), spec, 'hc-new')).toEqual({
      healthy: false,
      detail: 'health check hc-new: 3 of 8 Route 53 checkers report success (Failure: HTTP Status Code 502, Bad Gateway)',
    });
    route53.reset();
    route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: [] });
    expect(await regionHealth(new Route53Client({}), spec, 'hc-new')).toEqual({
      healthy: false,
      detail: 'health check hc-new: 0 of 0 Route 53 checkers report success',
    });
  });

  it.each([
    [5, 8, true],
    [4, 8, false],
    [0, 8, false],
    [2, 3, true],
    [0, 0, false],
  ])('with %i of %i checkers reporting success, healthy is %s (more than half, as Route 53 decides)', async (successes, total, healthy) => {
    zoneWith(record('eu-west-1', 'hc-eu'));
    route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: observations(successes, total) });
    expect((await regionHealth(new Route53Client({}), spec)).healthy).toBe(healthy);
  });

  it('fails clearly when the region has no record, its record no health check, or the check is gone', async () => {
    zoneWith(record('us-east-1', 'hc-us'));
    await expect(regionHealth(new Route53Client({}), spec)).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: 'eu-west-1 has no latency record for cdn.example.com; the region is not serving',
    });
    route53.reset();
    zoneWith(record('eu-west-1'));
    await expect(regionHealth(new Route53Client({}), spec)).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: 'the latency record of eu-west-1 references no health check',
    });
    route53.reset();
    zoneWith(record('eu-west-1', 'hc-gone'));
    route53.on(GetHealthCheckStatusCommand).rejects(new NoSuchHealthCheck({ $metadata: {}, message: 'No health check hc-gone' }));
    await expect(regionHealth(new Route53Client({}), spec)).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringContaining('health check hc-gone, referenced by the latency record of eu-west-1, does not exist'),
    });
  });

  it('lets throttling through to the retryable path', async () => {
    zoneWith(record('eu-west-1', 'hc-eu'));
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    route53.on(GetHealthCheckStatusCommand).rejects(throttled);
    const error = await regionHealth(new Route53Client({ maxAttempts: 1 }), spec).catch((e: unknown) => e);
    expect(asWorkflowError(error)).toMatchObject({ name: 'Retryable', message: expect.stringContaining('Throttling') });
  });
});

describe('healthCheckConvergence', () => {
  const wanted = { project: 'kubecdn', region: 'eu-west-1', protocol: 'HTTPS' as const, port: 443, path: '/healthz' };
  const lb = 'nlb.eu-west-1.amazonaws.com';
  const check = (id: string, config: Record<string, unknown>, protocol: 'HTTP' | 'HTTPS' = 'HTTPS'): HealthCheck => ({
    Id: id,
    CallerReference: healthCheckCallerReference({ ...wanted, protocol, targetDnsName: String(config.FullyQualifiedDomainName ?? lb) }),
    HealthCheckVersion: 1,
    HealthCheckConfig: {
      Type: 'HTTPS',
      FullyQualifiedDomainName: lb,
      Port: 443,
      ResourcePath: '/healthz',
      EnableSNI: true,
      ...config,
    } as never,
  });
  const account = (...checks: HealthCheck[]) =>
    route53.on(ListHealthChecksCommand).resolves({ HealthChecks: checks, IsTruncated: false, Marker: '', MaxItems: '100' as never });
  // As Route 53 lists an alias: with a trailing dot.
  const served = { ...record('eu-west-1', 'hc'), AliasTarget: { DNSName: `${lb}.`, HostedZoneId: 'Z2', EvaluateTargetHealth: true } };

  it('leaves a check that is as wanted, whatever the case of its name, and finds no stale one', async () => {
    // Another region's check is not this region's stale one.
    account(check('hc', { FullyQualifiedDomainName: lb.toUpperCase() }), {
      ...check('elsewhere', {}),
      CallerReference: 'kubecdn-us-east-1-0123456789abcdef',
    });
    expect(await healthCheckConvergence(new Route53Client({}), served, wanted)).toEqual({
      id: 'hc',
      replace: false,
      superseded: false,
      loadBalancer: { dnsName: lb, canonicalHostedZoneId: 'Z2' },
    });
  });

  it.each([
    ['an HTTP check', { Type: 'HTTP', Port: 80, EnableSNI: undefined }],
    ['a check of another path', { ResourcePath: '/old' }],
    ['a check without SNI', { EnableSNI: false }],
    ['a check of another load balancer', { FullyQualifiedDomainName: 'old-nlb.eu-west-1.amazonaws.com' }],
  ])('replaces %s', async (_, config) => {
    account(check('hc', config));
    expect(await healthCheckConvergence(new Route53Client({}), served, wanted)).toMatchObject({ id: 'hc', replace: true });
  });

  it('replaces a check it cannot see, and reports the region’s other checks (by CallerReference) as superseded', async () => {
    account(check('left-by-a-failed-sync', {}, 'HTTP'));
    expect(await healthCheckConvergence(new Route53Client({}), served, wanted)).toMatchObject({ replace: true, superseded: true });
  });

  it('leaves a record that is no alias alone: it names no load balancer to check', async () => {
    account(check('hc', { Type: 'HTTP', Port: 80 }));
    const { AliasTarget: _, ...plain } = served;
    expect(await healthCheckConvergence(new Route53Client({}), plain, wanted)).toEqual({
      id: 'hc',
      replace: false,
      superseded: false,
      loadBalancer: null,
    });
  });
});
