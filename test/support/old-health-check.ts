/**
 * A serving region as a version before HTTPS health checks left it: its latency record on an
 * HTTP check of port 80 (made with that version's CallerReference, tagged as it tagged them),
 * and no HTTPS check, nor that check's reference ever used.
 */
import { healthCheckCallerReference } from '../../lambdas/region-ops/dns';
import type { SimulatedAws } from './simulated-aws/world';

export const OLD_HTTP_CHECK_ID = (region: string) => `old-http-${region}`;

/** Returns the old check's id. The region must be serving with the check a current StartRegion made. */
export function putOnOldHttpCheck(world: SimulatedAws, project: string, domainName: string, region: string): string {
  const key = `${domainName}.|A|${region}`;
  const record = world.records.get(key);
  if (!record) throw new Error(`${region} has no latency record`);
  const current = world.healthChecks.get(record.HealthCheckId as string)!;
  const target = current.config.FullyQualifiedDomainName as string;
  const spec = { project, region, targetDnsName: target, protocol: 'HTTP' as const, port: 80, path: '/healthz' };
  const id = OLD_HTTP_CHECK_ID(region);
  world.healthChecks.set(id, {
    id,
    callerReference: healthCheckCallerReference(spec),
    config: {
      Type: 'HTTP',
      FullyQualifiedDomainName: target,
      Port: 80,
      ResourcePath: '/healthz',
      RequestInterval: 30,
      FailureThreshold: 3,
    },
    tags: { ...current.tags },
  });
  world.callerReferences.set(healthCheckCallerReference(spec), id);
  world.records.set(key, { ...record, HealthCheckId: id });
  world.healthChecks.delete(current.id);
  world.callerReferences.delete(current.callerReference);
  return id;
}
