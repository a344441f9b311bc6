/**
 * The rules of regions.json that span fields. They run over whatever parsed (parsed-parts.ts), so
 * a typo elsewhere does not hide them; a rule whose inputs failed their own rules stays silent
 * rather than report noise derived from a problem already reported: a region mistyped in
 * `scalable` makes "not in scalable" uncertain, a rejected override value is not replaced by the
 * default it would have had.
 */
import { INVALID, isComplete, isValid, type Parts, validElements } from './parsed-parts';
import { IAM_ROLE_ARN, partitionOf } from './access-schema';
import type { ConfigFields } from './schema';

export type ReportProblem = (path: PropertyKey[], message: string) => void;

type Config = Exclude<Parts<ConfigFields>, typeof INVALID>;

export function checkAcrossFields(config: Parts<ConfigFields>, report: ReportProblem): void {
  if (!isValid(config)) return;
  checkRegionLists(config, report);
  checkThresholds(config, report);
  checkStandby(config, report);
  checkSchedules(config, report);
  checkLimitsAndSizes(config, report);
  checkPrediction(config, report);
  checkEdge(config, report);
  checkAccess(config, report);
}

/** The valid regions of a list, as a set. */
function regionSet(list: Config['alwaysOn']): Set<string> {
  return new Set(validElements(list).map(([region]) => region));
}

function checkRegionLists(config: Config, report: ReportProblem): void {
  for (const list of ['alwaysOn', 'scalable'] as const) {
    const firstSeen = new Map<string, number>();
    for (const [region, index] of validElements(config[list])) {
      const first = firstSeen.get(region);
      if (first !== undefined) report([list, index], `"${region}" is listed twice (also at ${list}[${first}]); list each region once`);
      else firstSeen.set(region, index);
    }
  }
  const alwaysOn = regionSet(config.alwaysOn);
  for (const [region, index] of validElements(config.scalable)) {
    if (alwaysOn.has(region)) {
      report(['scalable', index], `"${region}" is also in alwaysOn; a region is either always on or scalable, not both`);
    }
  }
}

function checkThresholds(config: Config, report: ReportProblem): void {
  const base = config.thresholds;
  if (!isValid(base)) return;
  const baseUp = base.scaleUpRequestsPerMinute;
  const baseDown = base.scaleDownRequestsPerMinute;
  if (isValid(baseUp) && isValid(baseDown) && baseDown >= baseUp) {
    report(
      ['thresholds', 'scaleDownRequestsPerMinute'],
      `expected a scale-down threshold below the scale-up threshold (${baseUp}); equal or higher makes regions flap`,
    );
  }
  if (!isValid(base.perRegion)) return;
  const configured = new Set([...regionSet(config.alwaysOn), ...regionSet(config.scalable)]);
  const listsComplete = isComplete(config.alwaysOn) && isComplete(config.scalable);
  for (const [region, override] of Object.entries(base.perRegion)) {
    if (override === undefined) continue;
    if (!configured.has(region)) {
      if (listsComplete) {
        report(
          ['thresholds', 'perRegion', region],
          `"${region}" is not in alwaysOn or scalable; overrides are only for configured regions`,
        );
      }
      continue;
    }
    if (!isValid(override)) continue;
    const up = override.scaleUpRequestsPerMinute ?? baseUp;
    const down = override.scaleDownRequestsPerMinute ?? baseDown;
    if (!isValid(up) || !isValid(down) || down < up) continue;
    const field = override.scaleDownRequestsPerMinute !== undefined ? 'scaleDownRequestsPerMinute' : 'scaleUpRequestsPerMinute';
    report(
      ['thresholds', 'perRegion', region, field],
      `expected ${region}'s scale-down threshold (${down}) below its scale-up threshold (${up})`,
    );
  }
}

/**
 * Why `region`, which is not among the valid scalable regions, may not be stopped; undefined when
 * that is uncertain (scalable has an entry that failed, perhaps this region mistyped).
 */
function notScalableReason(config: Config, region: string): 'always on' | 'not scalable' | undefined {
  if (regionSet(config.alwaysOn).has(region)) return 'always on';
  return isComplete(config.scalable) ? 'not scalable' : undefined;
}

function checkStandby(config: Config, report: ReportProblem): void {
  if (!isValid(config.standby)) return;
  const scalable = regionSet(config.scalable);
  for (const region of Object.keys(config.standby)) {
    if (scalable.has(region)) continue;
    const reason = notScalableReason(config, region);
    if (!reason) continue;
    report(
      ['standby', region],
      reason === 'always on'
        ? `"${region}" is always on and never stopped; standby applies to scalable regions only`
        : `"${region}" is not in scalable; standby applies to scalable regions only`,
    );
  }
}

function checkSchedules(config: Config, report: ReportProblem): void {
  const scalable = regionSet(config.scalable);
  for (const [schedule, index] of validElements(config.schedules)) {
    const { region, start, end } = schedule;
    if (isValid(region) && !scalable.has(region)) {
      const reason = notScalableReason(config, region);
      if (reason) {
        report(
          ['schedules', index, 'region'],
          reason === 'always on'
            ? `"${region}" is always on and never stopped; schedules apply to scalable regions only`
            : `"${region}" is not in scalable; schedules apply to scalable regions only`,
        );
      }
    }
    if (isValid(start) && isValid(end) && start === end) {
      report(
        ['schedules', index, 'end'],
        `expected an end time different from the start (${start}); for a whole day use "00:00" to "24:00"`,
      );
    }
  }
}

function checkLimitsAndSizes(config: Config, report: ReportProblem): void {
  // A mistyped always-on region still counts: the operator meant one region there.
  const alwaysOnCount = isValid(config.alwaysOn) ? config.alwaysOn.length : undefined;
  const maxRunning = isValid(config.limits) ? config.limits.maxRunningRegions : INVALID;
  if (alwaysOnCount !== undefined && isValid(maxRunning) && maxRunning < alwaysOnCount) {
    report(['limits', 'maxRunningRegions'], `expected at least ${alwaysOnCount}, the number of always-on regions`);
  }
  const cluster = isValid(config.cluster) ? config.cluster : INVALID;
  if (isValid(cluster) && cluster.endpointAccess === 'private' && cluster.publicAccessCidrs !== undefined) {
    report(
      ['cluster', 'publicAccessCidrs'],
      'applies only with cluster.endpointAccess "public"; a private endpoint has no public address to restrict. Remove it, or set cluster.endpointAccess to "public"',
    );
  }
  const nodeGroup = isValid(cluster) ? cluster.nodeGroup : INVALID;
  if (!isValid(nodeGroup)) return;
  const { minSize, desiredSize, maxSize } = nodeGroup;
  if (!isValid(minSize) || !isValid(desiredSize) || !isValid(maxSize)) return;
  if (!(minSize <= desiredSize && desiredSize <= maxSize)) {
    report(
      ['cluster', 'nodeGroup', 'desiredSize'],
      `expected minSize <= desiredSize <= maxSize, got ${minSize} <= ${desiredSize} <= ${maxSize}`,
    );
  }
}

function checkPrediction(config: Config, report: ReportProblem): void {
  if (!isValid(config.prediction)) return;
  const { coldStartMinutes, warmStartMinutes, coldStopMinutes, warmStopMinutes } = config.prediction;
  if (isValid(coldStartMinutes) && isValid(warmStartMinutes) && warmStartMinutes > coldStartMinutes) {
    report(
      ['prediction', 'warmStartMinutes'],
      `expected a warm start no longer than a cold start (${coldStartMinutes} minutes); a warm start skips cluster creation`,
    );
  }
  if (isValid(coldStopMinutes) && isValid(warmStopMinutes) && warmStopMinutes > coldStopMinutes) {
    report(
      ['prediction', 'warmStopMinutes'],
      `expected a stop to warm standby no longer than a cold stop (${coldStopMinutes} minutes); it skips cluster deletion`,
    );
  }
}

/** The edge's certificate names and cache lifetimes. */
function checkEdge(config: Config, report: ReportProblem): void {
  const dns = isValid(config.dns) ? config.dns : INVALID;
  if (isValid(dns) && isValid(dns.domainName)) {
    const seen = new Set<string>([dns.domainName]);
    for (const [name, index] of validElements(dns.alternateNames)) {
      if (seen.has(name))
        report(['dns', 'alternateNames', index], `"${name}" is already covered (dns.domainName or an earlier alternate name)`);
      seen.add(name);
    }
  }
  const https = isValid(config.https) ? config.https : INVALID;
  if (isValid(https) && isValid(https.certificateArns)) {
    const configured = new Set([...regionSet(config.alwaysOn), ...regionSet(config.scalable)]);
    const listsComplete = isComplete(config.alwaysOn) && isComplete(config.scalable);
    for (const [region, arn] of Object.entries(https.certificateArns)) {
      if (!isValid(arn) || arn === undefined) continue;
      if (listsComplete && !configured.has(region)) {
        report(['https', 'certificateArns', region], `"${region}" is not a configured region (alwaysOn or scalable)`);
      }
      const arnRegion = arn.split(':')[3];
      if (arnRegion !== region) {
        report(
          ['https', 'certificateArns', region],
          `expected a certificate in ${region} (a load balancer uses ACM certificates of its own region); this one is in ${arnRegion}`,
        );
      }
    }
  }
  const cache = isValid(config.cache) ? config.cache : INVALID;
  if (isValid(cache) && isValid(cache.defaultTtlSeconds) && isValid(cache.maxTtlSeconds) && cache.defaultTtlSeconds > cache.maxTtlSeconds) {
    report(['cache', 'defaultTtlSeconds'], `expected a default TTL no longer than cache.maxTtlSeconds (${cache.maxTtlSeconds})`);
  }
}

/**
 * Each role once, in one list: a role in both would get admin and view at once, which says
 * nothing view adds. A role of another partition cannot be given access to these clusters.
 */
function checkAccess(config: Config, report: ReportProblem): void {
  const access = config.access;
  if (!isValid(access)) return;
  const partition = isValid(config.homeRegion) ? partitionOf(config.homeRegion) : undefined;
  const seen = new Map<string, string>();
  for (const list of ['adminRoleArns', 'viewerRoleArns'] as const) {
    for (const [arn, index] of validElements(access[list])) {
      const rolePartition = IAM_ROLE_ARN.exec(arn)?.[1];
      if (partition !== undefined && rolePartition !== partition)
        report(
          ['access', list, index],
          `"${arn}" is in partition ${rolePartition}, but homeRegion ${String(config.homeRegion)} deploys to partition ${partition}; expected "arn:${partition}:iam::..."`,
        );
      const first = seen.get(arn);
      if (first !== undefined)
        report(
          ['access', list, index],
          first.startsWith(list)
            ? `"${arn}" is listed twice (also at access.${first}); list each role once`
            : `"${arn}" is also at access.${first}; a role is either an admin or a viewer, not both`,
        );
      else seen.set(arn, `${list}[${index}]`);
    }
  }
}
