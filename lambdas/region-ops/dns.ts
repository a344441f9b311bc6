/**
 * The region's place in DNS: one Route 53 health check on its load balancer and one latency
 * alias record (SetIdentifier = region) in the configured zone. Every function converges, so a
 * re-run after any failure is safe.
 */
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  HealthCheckAlreadyExists,
  HealthCheckInUse,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  NoSuchHealthCheck,
  type HealthCheck,
  type HealthCheckConfig,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { createHash } from 'node:crypto';
import { PROJECT_TAG, REGION_TAG } from '../../lib/naming';
import { RetryableError } from '../shared/errors';
import { RegionOperationFailedError, StopRefusedError } from './errors';
import type { LoadBalancerTarget } from './load-balancers';

export { VIEWER_HTTPS_PORT, viewerHealthCheck } from './viewer-health-check';

export interface RecordSpec {
  readonly hostedZoneId: string;
  readonly domainName: string;
  readonly region: string;
}

export interface HealthCheckSpec {
  readonly project: string;
  readonly region: string;
  /** The region's load balancer: the check is of this one region, not of whichever the CDN name resolves to. */
  readonly targetDnsName: string;
  /** The viewers' protocol where Route 53 can speak it (viewerHealthCheck). */
  readonly protocol: 'HTTPS' | 'HTTP';
  readonly port: number;
  readonly path: string;
}

function healthCheckConfig(spec: HealthCheckSpec): HealthCheckConfig {
  return {
    Type: spec.protocol,
    // The load balancer's own name, not dns.domainName: that name resolves (by latency) to
    // whichever region is nearest the checker, and a region's check must see that region alone.
    // With SNI the checker sends this name in its TLS hello; the listener has one certificate and
    // presents it whatever the name, and Route 53 does not validate certificates, so the check
    // passes exactly when the listener, the certificate and the targets behind them answer.
    FullyQualifiedDomainName: spec.targetDnsName,
    Port: spec.port,
    ResourcePath: spec.path,
    RequestInterval: 30,
    FailureThreshold: 3,
    ...(spec.protocol === 'HTTPS' ? { EnableSNI: true } : {}),
  };
}

/**
 * Route 53 returns the existing check for a repeated CallerReference with the same settings, so
 * deriving it from the settings makes the create idempotent. Each start gets a new load balancer
 * (a new DNS name), hence a new reference: one never reused after its check was deleted, which
 * Route 53 would refuse. The protocol is part of it (Route 53 cannot change a check's type): a
 * start meeting a check of the other type creates one of the right type, points the record at
 * it, and then deletes the old one with the other stale checks. An HTTP check's reference is
 * what it was before HTTPS checks existed, so those are kept as they are.
 */
export function healthCheckCallerReference(spec: HealthCheckSpec): string {
  const settings = `${spec.targetDnsName}|${spec.port}|${spec.path}${spec.protocol === 'HTTP' ? '' : `|${spec.protocol}`}`;
  const digest = createHash('sha256').update(settings).digest('hex').slice(0, 16);
  return `${spec.project}-${spec.region}-${digest}`;
}

async function allHealthChecks(route53: Route53Client): Promise<HealthCheck[]> {
  const all: HealthCheck[] = [];
  let marker: string | undefined;
  do {
    const page = await route53.send(new ListHealthChecksCommand({ Marker: marker }));
    all.push(...(page.HealthChecks ?? []));
    marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (marker);
  return all;
}

/**
 * Whether a CallerReference is one healthCheckCallerReference made for this project and region.
 * Tags come in a second call after the check exists; the reference is part of the create, so a
 * check whose tagging failed is still known as ours by it.
 */
export function isRegionCallerReference(reference: string | undefined, project: string, region: string): boolean {
  const prefix = `${project}-${region}-`;
  return reference !== undefined && reference.startsWith(prefix) && /^[0-9a-f]{16}$/.test(reference.slice(prefix.length));
}

/** The ARN by which a health check is reported (Route 53 ARNs have no region or account). */
export function healthCheckArn(id: string): string {
  return `arn:aws:route53:::healthcheck/${id}`;
}

/**
 * The region's health checks, any left from earlier runs included: those whose CallerReference
 * says so (tagged or not) and those tagged with the project and region (created by hand, say).
 */
export async function regionHealthCheckIds(route53: Route53Client, project: string, region: string): Promise<string[]> {
  const checks = (await allHealthChecks(route53)).filter((check) => check.Id);
  const found = new Set(
    checks.filter((check) => isRegionCallerReference(check.CallerReference, project, region)).map((check) => check.Id!),
  );
  const others = checks.map((check) => check.Id!).filter((id) => !found.has(id));
  for (let i = 0; i < others.length; i += 10) {
    const batch = others.slice(i, i + 10);
    const tags = await route53.send(new ListTagsForResourcesCommand({ ResourceType: 'healthcheck', ResourceIds: batch }));
    for (const set of tags.ResourceTagSets ?? []) {
      const has = (key: string, value: string) => set.Tags?.some((t) => t.Key === key && t.Value === value);
      if (set.ResourceId && has(PROJECT_TAG, project) && has(REGION_TAG, region)) found.add(set.ResourceId);
    }
  }
  // In Route 53's order, so the result does not depend on how the ids were found.
  return checks.map((check) => check.Id!).filter((id) => found.has(id));
}

export async function ensureHealthCheck(route53: Route53Client, spec: HealthCheckSpec): Promise<string> {
  const config = healthCheckConfig(spec);
  let id: string | undefined;
  try {
    id = (
      await route53.send(new CreateHealthCheckCommand({ CallerReference: healthCheckCallerReference(spec), HealthCheckConfig: config }))
    ).HealthCheck?.Id;
  } catch (error) {
    if (!(error instanceof HealthCheckAlreadyExists)) throw error;
    // The reference was used by a check that was deleted since; adopt a live check with these settings if there is one.
    id = (await allHealthChecks(route53)).find(
      (check) =>
        check.HealthCheckConfig?.Type === config.Type &&
        check.HealthCheckConfig?.FullyQualifiedDomainName === config.FullyQualifiedDomainName &&
        check.HealthCheckConfig?.Port === config.Port &&
        check.HealthCheckConfig?.ResourcePath === config.ResourcePath,
    )?.Id;
    if (!id)
      throw new RegionOperationFailedError(`Route 53 refused health check reference ${healthCheckCallerReference(spec)}: ${error.message}`);
  }
  if (!id) throw new RegionOperationFailedError('Route 53 created a health check without returning its id');
  try {
    await route53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'healthcheck',
        ResourceId: id,
        AddTags: [
          { Key: PROJECT_TAG, Value: spec.project },
          { Key: REGION_TAG, Value: spec.region },
          { Key: 'Name', Value: `${spec.project} ${spec.region} edge` },
        ],
      }),
    );
  } catch (error) {
    // Right after creation, Route 53 may not know the check yet (eventual consistency). The retry
    // creates with the same reference, which returns this check, and tags it then.
    if (error instanceof NoSuchHealthCheck)
      throw new RetryableError(`health check ${id} is not yet known to Route 53's tagging: ${error.message}`);
    throw error;
  }
  return id;
}

/** Every latency record of the domain (type A), keyed by SetIdentifier (the region). */
export async function latencyRecords(route53: Route53Client, spec: Omit<RecordSpec, 'region'>): Promise<Map<string, ResourceRecordSet>> {
  const name = `${spec.domainName}.`;
  const records = new Map<string, ResourceRecordSet>();
  let start: { name?: string; type?: 'A'; identifier?: string } = { name, type: 'A' };
  for (;;) {
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: spec.hostedZoneId,
        StartRecordName: start.name,
        StartRecordType: start.type,
        StartRecordIdentifier: start.identifier,
      }),
    );
    let passed = false;
    for (const record of page.ResourceRecordSets ?? []) {
      if (record.Name !== name || record.Type !== 'A') {
        passed = true;
        break;
      }
      if (record.SetIdentifier) records.set(record.SetIdentifier, record);
    }
    if (passed || !page.IsTruncated) return records;
    start = { name: page.NextRecordName, type: page.NextRecordType as 'A', identifier: page.NextRecordIdentifier };
  }
}

export async function upsertLatencyRecord(
  route53: Route53Client,
  spec: RecordSpec,
  target: LoadBalancerTarget,
  healthCheckId: string,
): Promise<string> {
  const change = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: spec.hostedZoneId,
      ChangeBatch: {
        Comment: `kubecdn: ${spec.region} serving`,
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: `${spec.domainName}.`,
              Type: 'A',
              SetIdentifier: spec.region,
              Region: spec.region as ResourceRecordSet['Region'],
              HealthCheckId: healthCheckId,
              AliasTarget: { DNSName: target.dnsName, HostedZoneId: target.canonicalHostedZoneId, EvaluateTargetHealth: true },
            },
          },
        ],
      },
    }),
  );
  return change.ChangeInfo!.Id!;
}

/**
 * Removes the region's record, unless it is the only one left: with no record at all, the CDN
 * name stops resolving. Only a decommission (`removeLastRecord`) removes the last one. Returns the
 * change to wait for, or undefined when there was no record.
 */
export async function deleteLatencyRecord(
  route53: Route53Client,
  spec: RecordSpec,
  options: { readonly removeLastRecord?: boolean } = {},
): Promise<string | undefined> {
  const records = await latencyRecords(route53, spec);
  const own = records.get(spec.region);
  if (!own) return undefined;
  if (records.size === 1 && !options.removeLastRecord) {
    throw new StopRefusedError(`${spec.region} is the last region serving ${spec.domainName}; start another region before stopping it`);
  }
  const change = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: spec.hostedZoneId,
      ChangeBatch: { Comment: `kubecdn: ${spec.region} leaving`, Changes: [{ Action: 'DELETE', ResourceRecordSet: own }] },
    }),
  );
  return change.ChangeInfo!.Id!;
}

export async function changeStatus(route53: Route53Client, changeId: string): Promise<'PENDING' | 'INSYNC'> {
  const status = (await route53.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status;
  if (status !== 'PENDING' && status !== 'INSYNC')
    throw new RegionOperationFailedError(`change ${changeId} has unexpected status ${String(status)}`);
  return status;
}

/** Deletes the region's health checks, except `keep`; returns how many were deleted. */
export async function deleteRegionHealthChecks(route53: Route53Client, project: string, region: string, keep?: string): Promise<number> {
  let deleted = 0;
  for (const id of await regionHealthCheckIds(route53, project, region)) {
    if (id === keep) continue;
    try {
      await route53.send(new DeleteHealthCheckCommand({ HealthCheckId: id }));
      deleted += 1;
    } catch (error) {
      if (error instanceof NoSuchHealthCheck) continue;
      // Still referenced by a record whose deletion has not propagated.
      if (error instanceof HealthCheckInUse) throw new RetryableError(`health check ${id} is still in use: ${error.message}`);
      throw error;
    }
  }
  return deleted;
}

export interface RegionHealth {
  readonly healthy: boolean;
  readonly detail: string;
}

/**
 * Whether Route 53 sees the region as healthy, read from the health check its latency record
 * references (the one that decides whether viewers are sent there), or from `healthCheckId`, a
 * check the record is to be moved to. Route 53 itself calls an endpoint healthy when more than
 * half of its checkers do, so that is the rule here too; a check no checker has reported on yet
 * (one just created) is not healthy, although Route 53 treats it as healthy until it knows.
 */
export async function regionHealth(route53: Route53Client, spec: RecordSpec, healthCheckId?: string): Promise<RegionHealth> {
  let id = healthCheckId;
  if (id === undefined) {
    const record = (await latencyRecords(route53, spec)).get(spec.region);
    if (!record)
      throw new RegionOperationFailedError(`${spec.region} has no latency record for ${spec.domainName}; the region is not serving`);
    id = record.HealthCheckId;
    if (!id) throw new RegionOperationFailedError(`the latency record of ${spec.region} references no health check`);
  }
  let observations;
  try {
    observations = (await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).HealthCheckObservations ?? [];
  } catch (error) {
    if (error instanceof NoSuchHealthCheck)
      throw new RegionOperationFailedError(
        healthCheckId === undefined
          ? `health check ${id}, referenced by the latency record of ${spec.region}, does not exist`
          : `health check ${id} does not exist`,
      );
    throw error;
  }
  const successes = observations.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length;
  // What the checkers that fail see (the same for all of them, usually): the operator's first clue.
  const failure = observations.map((o) => o.StatusReport?.Status).find((status) => status && !status.startsWith('Success'));
  return {
    healthy: successes > observations.length / 2,
    detail: `health check ${id}: ${successes} of ${observations.length} Route 53 checkers report success${failure && successes * 2 <= observations.length ? ` (${failure})` : ''}`,
  };
}

/**
 * A serving region's health check against the one the config wants (SyncRegion). The wanted
 * check is what StartRegion's ensureHealthCheck would make for the load balancer the latency
 * record sends viewers to; Route 53 cannot change a check's type, so a check that differs in
 * type, target, port, path or SNI is replaced, never updated.
 */
export interface HealthCheckConvergence {
  /** The check the record uses now. */
  readonly id: string | null;
  /** True when the record's check is not the wanted one: create the wanted one, wait until it passes, move the record, delete the old. */
  readonly replace: boolean;
  /**
   * True when other checks of the region are left (found by CallerReference, as ensureHealthCheck
   * makes them): an earlier sync or start that moved the record and failed before deleting them.
   */
  readonly superseded: boolean;
  /** The record's alias target (without Route 53's trailing dot): the load balancer the wanted check checks. */
  readonly loadBalancer: LoadBalancerTarget | null;
}

const hostName = (name: string | undefined) => name?.toLowerCase().replace(/\.$/, '');

/** Whether a check has the settings `healthCheckConfig` would give it (the settings its CallerReference covers, and SNI). */
function isAsWanted(actual: HealthCheckConfig | undefined, wanted: HealthCheckConfig): boolean {
  if (!actual) return false;
  return (
    actual.Type === wanted.Type &&
    hostName(actual.FullyQualifiedDomainName) === hostName(wanted.FullyQualifiedDomainName) &&
    actual.Port === wanted.Port &&
    actual.ResourcePath === wanted.ResourcePath &&
    (wanted.EnableSNI !== true || actual.EnableSNI === true)
  );
}

/**
 * Reads only (one ListHealthChecks page, usually), so a sync of a region already as wanted
 * changes nothing. Stale checks are looked for by CallerReference alone: those are the ones this
 * project creates; a check only tagged (made by hand) is left to StopRegion, whose search reads
 * every check's tags.
 */
export async function healthCheckConvergence(
  route53: Route53Client,
  record: ResourceRecordSet,
  wanted: Omit<HealthCheckSpec, 'targetDnsName'>,
): Promise<HealthCheckConvergence> {
  const id = record.HealthCheckId ?? null;
  const alias = record.AliasTarget;
  const loadBalancer =
    alias?.DNSName && alias.HostedZoneId ? { dnsName: alias.DNSName.replace(/\.$/, ''), canonicalHostedZoneId: alias.HostedZoneId } : null;
  const checks = await allHealthChecks(route53);
  const superseded = checks.some(
    (check) => check.Id !== id && isRegionCallerReference(check.CallerReference, wanted.project, wanted.region),
  );
  // A record that is not an alias (edited by hand) names no load balancer to check: left as it is.
  if (!loadBalancer) return { id, replace: false, superseded, loadBalancer };
  const current = checks.find((check) => check.Id === id)?.HealthCheckConfig;
  const replace = !isAsWanted(current, healthCheckConfig({ ...wanted, targetDnsName: loadBalancer.dnsName }));
  return { id, replace, superseded, loadBalancer };
}
