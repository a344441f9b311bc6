/**
 * Reads every configured region's state from the source of truth each tick, in parallel:
 * DescribeCluster in each region (each bounded by its own timeout), the latency records in the
 * CDN's zone, the StartRegion/StopRegion executions, and the running UpgradeRegion executions (an
 * upgrade holds the region lock, so a start or stop decided meanwhile would be refused). Nothing
 * is stored between ticks except a cache of finished executions' regions, which never change.
 */
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { ListResourceRecordSetsCommand, type Route53Client } from '@aws-sdk/client-route-53';
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type ListExecutionsCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { RegionStatus } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import { configuredRegions, standbyFor, thresholdsFor } from '../../core/config/regions-of';
import { clusterName } from '../region-ops/names';
import { parseExecutionName, parseUpgradeExecutionName } from './execution-names';
import { type ClusterObservation, derivePhase, type InFlightOperation, removedRegionPhase } from './region-phase';
import { withTimeout } from './timeout';

export interface StateMachineArns {
  readonly start: string;
  readonly stop: string;
  /** UpgradeRegion, whose running executions hold their region; absent: no upgrade is looked for (a control stack deployed before the autoscaler knew of upgrades). */
  readonly upgrade?: string;
}

export interface RegionStateDeps {
  readonly eksFor: (region: string) => EKSClient;
  readonly route53: Route53Client;
  readonly sfn: SFNClient;
  readonly stateMachines: StateMachineArns;
  /** Each region's DescribeCluster is abandoned after this long, and that region is held this tick. */
  readonly describeTimeoutMs: number;
}

/** What was seen of one region, for the log line beside the decision. */
export interface RegionObservationDetail {
  /** 'not-read' for a region removed from the config, whose cluster the autoscaler may not describe. */
  readonly cluster: ClusterObservation | 'not-read';
  readonly serving: boolean | 'unreadable';
  readonly problems: readonly string[];
  /** The cluster's Kubernetes version ("1.31"), when DescribeCluster answered with one: for the version drift metrics (version-drift.ts) and `kubecdn status`. */
  readonly kubernetesVersion?: string;
  /** The running UpgradeRegion execution of the region, for `kubecdn status`. */
  readonly upgrade?: RunningUpgrade;
}

export interface RunningUpgrade {
  readonly name: string;
  /** Epoch ms. */
  readonly startedAt?: number;
}

export interface RegionStateReading {
  readonly regions: Record<string, RegionStatus>;
  readonly observed: Record<string, RegionObservationDetail>;
  /**
   * Latency records in the zone for regions not in the config (left from an earlier config).
   * Those regions also appear in `regions` (running, or stopping while their removal runs), so
   * the engine's removed-from-config rule stops them.
   */
  readonly unconfiguredServingRegions: readonly string[];
  /** No UpgradeRegion state machine was given, so running upgrades were not looked for (kubecdn plan/status warn of it). */
  readonly upgradesNotRead?: true;
}

const describe = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;

async function readCluster(
  deps: RegionStateDeps,
  project: string,
  region: string,
): Promise<{ cluster: ClusterObservation; problem?: string; version?: string }> {
  try {
    const answer = await withTimeout(deps.describeTimeoutMs, `DescribeCluster in ${region}`, (abortSignal) =>
      deps.eksFor(region).send(new DescribeClusterCommand({ name: clusterName(project, region) }), { abortSignal }),
    );
    const status = answer.cluster?.status;
    const version = answer.cluster?.version;
    return status
      ? { cluster: status as ClusterObservation, ...(version ? { version } : {}) }
      : { cluster: 'unreadable', problem: 'DescribeCluster returned no status' };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return { cluster: 'absent' };
    return { cluster: 'unreadable', problem: describe(error) };
  }
}

/** SetIdentifiers of the latency A records named exactly like the CDN domain. */
export async function readServingRegions(route53: Route53Client, hostedZoneId: string, domainName: string): Promise<Set<string>> {
  const fqdn = `${domainName.toLowerCase()}.`;
  const serving = new Set<string>();
  let start: { name?: string; type?: string; identifier?: string } = { name: fqdn, type: 'A' };
  for (;;) {
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        StartRecordName: start.name,
        StartRecordType: start.type as 'A' | undefined,
        StartRecordIdentifier: start.identifier,
      }),
    );
    for (const record of page.ResourceRecordSets ?? []) {
      // Records come sorted by name then type; once past our name and type, nothing more is ours.
      if (record.Name?.toLowerCase() !== fqdn || record.Type !== 'A') return serving;
      if (record.SetIdentifier) serving.add(record.SetIdentifier);
    }
    if (!page.IsTruncated) return serving;
    start = { name: page.NextRecordName, type: page.NextRecordType, identifier: page.NextRecordIdentifier };
  }
}

// Finished executions never change, so their regions are kept across warm invocations.
const regionOfExecution = new Map<string, string | undefined>();

async function executionRegion(
  sfn: SFNClient,
  execution: ExecutionListItem,
  regionOfName: (name: string) => string | undefined = (name) => parseExecutionName(name)?.region,
): Promise<string | undefined> {
  const parsed = execution.name ? regionOfName(execution.name) : undefined;
  if (parsed) return parsed;
  const arn = execution.executionArn!;
  if (regionOfExecution.has(arn)) return regionOfExecution.get(arn);
  // Started by hand (`aws stepfunctions start-execution` names it with a UUID): read its input.
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  let region: string | undefined;
  try {
    const input = JSON.parse(described.input ?? '{}') as { region?: unknown };
    region = typeof input.region === 'string' ? input.region : undefined;
  } catch {
    region = undefined;
  }
  if (execution.status !== 'RUNNING') {
    if (regionOfExecution.size > 5000) regionOfExecution.clear();
    regionOfExecution.set(arn, region);
  }
  return region;
}

/** Finished outcomes that count as a transition for the cooldown (running and redrive-pending ones do not). */
const TRANSITION_ENDS: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

interface ExecutionFacts {
  readonly inFlight: Map<string, InFlightOperation>;
  readonly lastTransitionAt: Map<string, number>;
  readonly upgrades: Map<string, RunningUpgrade>;
}

/**
 * Running executions give operations in flight; finished ones give the time of each region's
 * last transition: a succeeded start or stop, and also a StopRegion that failed, timed out or was
 * aborted, so that a stop that keeps failing (a stranded region that will not come down) is
 * retried once per cooldown rather than at once. A failed StartRegion does not count: a region a
 * rule wants up is retried at once. History is read back only as far as any cooldown reaches
 * (plus the longest an execution can plausibly run), newest first, so one page is the usual cost.
 * A running UpgradeRegion makes its region in flight too, unless a start or stop of it also runs
 * (the upgrade then waits for the lock, and the start or stop tells the phase); a finished
 * upgrade is no transition, so only running ones are listed.
 */
export async function readExecutions(sfn: SFNClient, arns: StateMachineArns, lookbackMs: number, now: number): Promise<ExecutionFacts> {
  const inFlight = new Map<string, InFlightOperation>();
  const lastTransitionAt = new Map<string, number>();
  const upgrades = new Map<string, RunningUpgrade>();
  await Promise.all([
    arns.upgrade ? readRunningUpgrades(sfn, arns.upgrade, upgrades) : undefined,
    ...(['start', 'stop'] as const).map(async (action) => {
      const stateMachineArn = arns[action];
      let token: string | undefined;
      do {
        const page: ListExecutionsCommandOutput = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken: token }),
        );
        for (const execution of page.executions ?? []) {
          const region = await executionRegion(sfn, execution);
          if (region) inFlight.set(region, action);
        }
        token = page.nextToken;
      } while (token);

      token = undefined;
      let pages = 0;
      do {
        // One listing either way: StopRegion's unfiltered (every outcome, newest first), StartRegion's succeeded only.
        const statusFilter = action === 'stop' ? undefined : 'SUCCEEDED';
        const page: ListExecutionsCommandOutput = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn, ...(statusFilter ? { statusFilter } : {}), maxResults: 100, nextToken: token }),
        );
        pages += 1;
        let reachedOld = false;
        for (const execution of page.executions ?? []) {
          const startedAt = execution.startDate ? new Date(execution.startDate).getTime() : 0;
          if (startedAt < now - lookbackMs) {
            reachedOld = true;
            break;
          }
          if (!TRANSITION_ENDS.has(execution.status ?? 'SUCCEEDED')) continue;
          const stoppedAt = execution.stopDate ? new Date(execution.stopDate).getTime() : undefined;
          const region = await executionRegion(sfn, execution);
          if (region && stoppedAt !== undefined && stoppedAt > (lastTransitionAt.get(region) ?? -Infinity)) {
            lastTransitionAt.set(region, stoppedAt);
          }
        }
        token = reachedOld || pages >= 5 ? undefined : page.nextToken;
      } while (token);
    }),
  ]);
  for (const region of upgrades.keys()) if (!inFlight.has(region)) inFlight.set(region, 'upgrade');
  return { inFlight, lastTransitionAt, upgrades };
}

/** The region of each running UpgradeRegion, from its name (UpgradeClusters') or else its input (DescribeExecution: running ones only). */
async function readRunningUpgrades(sfn: SFNClient, stateMachineArn: string, upgrades: Map<string, RunningUpgrade>): Promise<void> {
  let token: string | undefined;
  do {
    const page: ListExecutionsCommandOutput = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken: token }),
    );
    for (const execution of page.executions ?? []) {
      const region = await executionRegion(sfn, execution, parseUpgradeExecutionName);
      if (!region || !execution.name) continue;
      const startedAt = execution.startDate ? new Date(execution.startDate).getTime() : undefined;
      upgrades.set(region, { name: execution.name, ...(startedAt !== undefined ? { startedAt } : {}) });
    }
    token = page.nextToken;
  } while (token);
}

/** The longest a region workflow is expected to run: a cold start or stop takes 15-25 minutes. */
export const LONGEST_WORKFLOW_MS = 2 * 60 * 60 * 1000;

export function historyLookbackMs(config: KubeCdnConfig): number {
  const longestCooldown = Math.max(...configuredRegions(config).map((r) => thresholdsFor(config, r).cooldownMinutes));
  return longestCooldown * 60_000 + LONGEST_WORKFLOW_MS;
}

export async function readRegionStates(deps: RegionStateDeps, config: KubeCdnConfig, now: number): Promise<RegionStateReading> {
  const regions = configuredRegions(config);
  const [clusters, serving, executions] = await Promise.all([
    Promise.all(regions.map((region) => readCluster(deps, config.name, region))),
    readServingRegions(deps.route53, config.dns.hostedZoneId, config.dns.domainName).then(
      (set) => ({ ok: true as const, set }),
      (error: unknown) => ({ ok: false as const, problem: `Route 53 records: ${describe(error)}` }),
    ),
    readExecutions(deps.sfn, deps.stateMachines, historyLookbackMs(config), now).then(
      (facts) => ({ ok: true as const, facts }),
      (error: unknown) => ({ ok: false as const, problem: `workflow executions: ${describe(error)}` }),
    ),
  ]);

  const statuses: Record<string, RegionStatus> = {};
  const observed: Record<string, RegionObservationDetail> = {};
  regions.forEach((region, i) => {
    const cluster = clusters[i]!;
    const problems = [cluster.problem, serving.ok ? undefined : serving.problem, executions.ok ? undefined : executions.problem].filter(
      (p): p is string => p !== undefined,
    );
    const servingHere = serving.ok ? serving.set.has(region) : 'unreadable';
    const inFlight = executions.ok ? executions.facts.inFlight.get(region) : 'unreadable';
    const phase = derivePhase({ cluster: cluster.cluster, serving: servingHere, inFlight, standby: standbyFor(config, region) });
    const lastTransitionAt = executions.ok ? executions.facts.lastTransitionAt.get(region) : undefined;
    statuses[region] = {
      phase,
      ...(inFlight !== undefined && inFlight !== 'unreadable' ? { operationInFlight: inFlight } : {}),
      ...(lastTransitionAt !== undefined ? { lastTransitionAt } : {}),
    };
    observed[region] = {
      cluster: cluster.cluster,
      serving: servingHere,
      problems,
      ...(cluster.version ? { kubernetesVersion: cluster.version } : {}),
      ...upgradeOf(executions, region),
    };
  });
  const configured = new Set(regions);
  const unconfiguredServingRegions = serving.ok ? [...serving.set].filter((r) => !configured.has(r)).sort() : [];
  // Regions removed from the config are found where they still show: a record, or a workflow.
  const removed = new Set([...unconfiguredServingRegions, ...(executions.ok ? executions.facts.inFlight.keys() : [])]);
  for (const region of [...removed].filter((r) => !configured.has(r)).sort()) {
    const servingHere = serving.ok ? serving.set.has(region) : 'unreadable';
    const inFlight = executions.ok ? executions.facts.inFlight.get(region) : 'unreadable';
    const phase = removedRegionPhase({ serving: servingHere, inFlight });
    if (!phase) continue;
    const lastTransitionAt = executions.ok ? executions.facts.lastTransitionAt.get(region) : undefined;
    statuses[region] = {
      phase,
      ...(inFlight !== undefined && inFlight !== 'unreadable' ? { operationInFlight: inFlight } : {}),
      ...(lastTransitionAt !== undefined ? { lastTransitionAt } : {}),
    };
    const problems = executions.ok ? [] : [executions.problem];
    observed[region] = { cluster: 'not-read', serving: servingHere, problems, ...upgradeOf(executions, region) };
  }
  return { regions: statuses, observed, unconfiguredServingRegions, ...(deps.stateMachines.upgrade ? {} : { upgradesNotRead: true }) };
}

function upgradeOf(executions: { ok: true; facts: ExecutionFacts } | { ok: false }, region: string): { upgrade?: RunningUpgrade } {
  const upgrade = executions.ok ? executions.facts.upgrades.get(region) : undefined;
  return upgrade ? { upgrade } : {};
}
