import { GetHealthCheckStatusCommand, ListResourceRecordSetsCommand, NoSuchHealthCheck, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { regionHealth } from '../../../lambdas/region-ops/dns';
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
