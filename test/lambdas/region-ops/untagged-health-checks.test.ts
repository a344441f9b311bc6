/**
 * A health check whose tagging failed after its creation: found by its CallerReference by the
 * steps that clean up and report, through runStep against the simulated AWS.
 */
import { healthCheckCallerReference, isRegionCallerReference } from '../../../lambdas/region-ops/dns';
import { runRegionOpsStep } from '../../support/region-ops-steps';
import { scenario, type Scenario } from '../../workflows/scenario';

jest.setTimeout(60_000);

const step = runRegionOpsStep;

/** Makes a check as ensureHealthCheck does, except that its tagging never happened. */
function untaggedCheck(s: Scenario, region: string, targetDnsName: string): string {
  const spec = { project: s.config.name, region, targetDnsName, protocol: 'HTTPS' as const, port: 443, path: '/healthz' };
  const id = `untagged-${region}`;
  const callerReference = healthCheckCallerReference(spec);
  s.world.healthChecks.set(id, {
    id,
    callerReference,
    config: { Type: 'HTTPS', FullyQualifiedDomainName: targetDnsName, Port: 443, EnableSNI: true },
    tags: {},
  });
  s.world.callerReferences.set(callerReference, id);
  return id;
}

describe('a health check created but never tagged', () => {
  it('shows in the inventory of its region only', () => {
    const s = scenario();
    const id = untaggedCheck(s, 'eu-west-1', 'k8s-lost.elb.eu-west-1.amazonaws.com');
    expect(s.resources('eu-west-1')).toEqual([`health check ${id}`]);
    expect(s.resources('us-east-1')).toEqual([]);
  });

  it('is reported by the sweep and deleted by deleteHealthChecks, and other regions’ checks are left alone', async () => {
    const s = scenario();
    const lost = untaggedCheck(s, 'eu-west-1', 'k8s-lost.elb.eu-west-1.amazonaws.com');
    const other = untaggedCheck(s, 'us-east-1', 'k8s-other.elb.us-east-1.amazonaws.com');

    expect(await step(s, { step: 'sweep', region: 'eu-west-1' })).toEqual({ leftovers: [`arn:aws:route53:::healthcheck/${lost}`] });
    expect(await step(s, { step: 'deleteHealthChecks', region: 'eu-west-1' })).toEqual({ deleted: 1 });
    expect([...s.world.healthChecks.keys()]).toEqual([other]);
    expect(await step(s, { step: 'sweep', region: 'eu-west-1' })).toEqual({ leftovers: [] });
  });
});

describe('isRegionCallerReference', () => {
  it('accepts exactly the references made for the project and region', () => {
    const reference = healthCheckCallerReference({
      project: 'kubecdn',
      region: 'eu-west-1',
      targetDnsName: 'lb.example',
      protocol: 'HTTPS',
      port: 443,
      path: '/',
    });
    expect(isRegionCallerReference(reference, 'kubecdn', 'eu-west-1')).toBe(true);
    expect(isRegionCallerReference(reference, 'kubecdn', 'eu-west-2')).toBe(false);
    expect(isRegionCallerReference(reference, 'other', 'eu-west-1')).toBe(false);
    expect(isRegionCallerReference('kubecdn-eu-west-1-made-by-hand', 'kubecdn', 'eu-west-1')).toBe(false);
    expect(isRegionCallerReference(undefined, 'kubecdn', 'eu-west-1')).toBe(false);
  });
});
