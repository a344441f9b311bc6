/**
 * `kubecdn status`'s report: for every configured region (and any region no longer configured that
 * still serves or has a workflow running), its phase, the demand of the periods the engine looks
 * at against its thresholds, the rule holding it, the execution in flight, the cluster's
 * Kubernetes version and an estimated cost; as text or as one JSON object. Pure: the command
 * (status-command.ts) makes the reads and hands them here.
 */
import type { RegionPhase } from '../core/autoscaler/types';
import type { KubeCdnConfig } from '../core/config';
import { supportWarning } from '../core/config/kubernetes-versions';
import { type CostEstimate, estimateRegionCost, type RegionExecution, startOfUtcMonth } from '../core/operations/region-cost-estimate';
import type { CostModel } from '../core/simulator/cost-model';
import type { TickPlan } from '../lambdas/autoscaler/read-and-decide';
import type { ExecutionHistory } from './execution-history';
import { holdingRule, holdingRuleText, type RegionHold } from './holding-rule';
import type { ConfigDigests } from './live-autoscaler-reads';
import { conditionalReason, type DisplayPhase, displayPhase, readableTime } from './plan-report';
import { readingWarnings } from './reading-warnings';
import { textTable } from './text-table';

export interface StatusRegion {
  readonly region: string;
  readonly configured: boolean;
  readonly phase: DisplayPhase;
  /** Requests per minute of the periods the engine looks at, oldest first; null for a missing one. */
  readonly demand: ReadonlyArray<number | null>;
  readonly thresholds: {
    readonly scaleUpRequestsPerMinute: number;
    readonly scaleUpPeriods: number;
    readonly scaleDownRequestsPerMinute: number;
    readonly scaleDownPeriods: number;
    readonly cooldownMinutes: number;
  };
  readonly heldBy: RegionHold;
  /** The engine's sentence for this minute, as `kubecdn plan` prints it. */
  readonly reason: string;
  /** What it would do this minute. */
  readonly next: 'start' | 'stop' | 'none';
  readonly inFlight?: {
    /** upgrade: an UpgradeRegion execution (a Kubernetes upgrade), which holds the region. */
    readonly action: 'start' | 'stop' | 'upgrade';
    readonly name?: string;
    readonly startedAt?: string;
    readonly runningMinutes?: number;
  };
  /** The running cluster's Kubernetes version; absent when no cluster answered. */
  readonly kubernetesVersion?: string;
  /** USD, estimated; absent when the executions could not be read. */
  readonly cost?: CostEstimate;
}

export interface StatusReport {
  readonly at: string;
  readonly name: string;
  readonly homeRegion: string;
  readonly config: string;
  readonly regions: readonly StatusRegion[];
  /** USD, estimated, over the regions whose cost could be estimated. */
  readonly totalCost: CostEstimate;
  readonly costNote: string;
  readonly warnings: readonly string[];
}

export type HistoryReading = ExecutionHistory | { readonly error: string };

const round = (usd: number) => Math.round(usd * 100) / 100;

export function costNote(now: number): string {
  const month = new Date(startOfUtcMonth(now)).toISOString().slice(0, 10);
  return (
    "Costs are estimates in USD at the list prices of the simulator's cost model (EKS control plane, nodes, load balancer " +
    'hours and the health check, by phase), over the running, standby and transition time reconstructed from the ' +
    `StartRegion and StopRegion executions since ${month} (UTC); always-on regions count as running all month. ` +
    'Traffic, data transfer, CloudWatch and the control stack are not counted: the AWS bill is the reference.'
  );
}

export function statusReport(input: {
  readonly plan: TickPlan;
  readonly config: KubeCdnConfig;
  readonly configPath: string;
  readonly digests: ConfigDigests;
  readonly history: HistoryReading;
  readonly model: CostModel;
  readonly now: number;
}): StatusReport {
  const { plan, config, now, history } = input;
  const warnings = readingWarnings(plan, input.configPath, input.digests);
  const executions = 'error' in history ? undefined : history.executions;
  if ('error' in history)
    warnings.push(`workflow executions could not be listed (${history.error}): no execution names or costs of scalable regions`);
  else {
    if (history.unattributed > 0) warnings.push(`${history.unattributed} execution(s) this month name no region: left out of the costs`);
    if (history.truncated) warnings.push('more executions this month than status reads: the month-to-date costs leave out the oldest');
  }
  const configured = new Set([...config.alwaysOn, ...config.scalable]);
  const overridesInForce = 'error' in plan.overrides ? {} : plan.overrides.overrides;
  const regions = plan.decisions.map((decision): StatusRegion => {
    const { region, thresholds } = decision;
    const status = plan.states.regions[region];
    const looked = Math.max(thresholds.scaleUpPeriods, thresholds.scaleDownPeriods);
    const series = plan.demandReading.demand[region] ?? [];
    const version = plan.states.observed[region]?.kubernetesVersion;
    if (version && version !== config.cluster.kubernetesVersion) {
      warnings.push(
        `${region} runs Kubernetes ${version}, the config says ${config.cluster.kubernetesVersion} (cluster.kubernetesVersion): ` +
          'an upgrade has not brought it there yet (kubecdn upgrade --wait continues one that halted)',
      );
    }
    // The version the cluster runs, not the configured one: that is what EKS bills by.
    if (version) {
      const support = supportWarning(version, new Date(now));
      if (support.level !== 'standard') warnings.push(`${region}: ${support.message}`);
    }
    const ownExecutions = executions?.filter((e) => e.region === region) ?? [];
    const running = ownExecutions.filter((e) => e.status === 'RUNNING').sort((a, b) => b.startMs - a.startMs)[0];
    return {
      region,
      configured: configured.has(region),
      phase: displayPhase(decision.phase),
      demand: series.slice(-looked),
      thresholds: {
        scaleUpRequestsPerMinute: thresholds.scaleUpRequestsPerMinute,
        scaleUpPeriods: thresholds.scaleUpPeriods,
        scaleDownRequestsPerMinute: thresholds.scaleDownRequestsPerMinute,
        scaleDownPeriods: thresholds.scaleDownPeriods,
        cooldownMinutes: thresholds.cooldownMinutes,
      },
      heldBy: holdingRule(config, decision, status, now, overridesInForce[region]),
      reason: conditionalReason(decision.reason, decision.action, decision.dryRun),
      next: decision.action,
      ...inFlightOf(running ?? upgradeExecution(plan, region), status?.operationInFlight, now),
      ...(version ? { kubernetesVersion: version } : {}),
      ...costOf(config, input.model, region, executions, decision.phase, now),
    };
  });
  const totalCost = regions.reduce(
    (sum, r) => ({ today: sum.today + (r.cost?.today ?? 0), monthToDate: sum.monthToDate + (r.cost?.monthToDate ?? 0) }),
    { today: 0, monthToDate: 0 },
  );
  return {
    at: new Date(now).toISOString(),
    name: config.name,
    homeRegion: config.homeRegion,
    config: input.configPath,
    regions,
    totalCost: { today: round(totalCost.today), monthToDate: round(totalCost.monthToDate) },
    costNote: costNote(now),
    warnings,
  };
}

interface RunningExecution {
  readonly action: 'start' | 'stop' | 'upgrade';
  readonly name: string;
  /** Epoch ms; undefined when Step Functions gave no start date. */
  readonly startMs?: number;
}

/** The region's running upgrade as the autoscaler read it, when no start or stop of it runs. */
function upgradeExecution(plan: TickPlan, region: string): RunningExecution | undefined {
  const upgrade = plan.states.observed[region]?.upgrade;
  if (!upgrade || plan.states.regions[region]?.operationInFlight !== 'upgrade') return undefined;
  return { action: 'upgrade', name: upgrade.name, ...(upgrade.startedAt !== undefined ? { startMs: upgrade.startedAt } : {}) };
}

function inFlightOf(
  running: RunningExecution | undefined,
  operation: 'start' | 'stop' | 'upgrade' | undefined,
  now: number,
): Pick<StatusRegion, 'inFlight'> {
  if (running) {
    const { startMs } = running;
    return {
      inFlight: {
        action: running.action,
        name: running.name,
        ...(startMs !== undefined
          ? { startedAt: new Date(startMs).toISOString(), runningMinutes: Math.max(0, Math.floor((now - startMs) / 60_000)) }
          : {}),
      },
    };
  }
  return operation ? { inFlight: { action: operation } } : {};
}

function costOf(
  config: KubeCdnConfig,
  model: CostModel,
  region: string,
  executions: readonly RegionExecution[] | undefined,
  phase: RegionPhase,
  now: number,
): Pick<StatusRegion, 'cost'> {
  // Without the executions only an always-on region's cost is known: it runs all month.
  if (!executions && !config.alwaysOn.includes(region)) return {};
  const current = phase === 'running' || phase === 'stranded' || phase === 'stopping' ? 'up' : 'down';
  const estimate = estimateRegionCost({
    config,
    model,
    region,
    executions: (executions ?? []).filter((e) => e.region === region),
    current,
    now,
  });
  return { cost: { today: round(estimate.today), monthToDate: round(estimate.monthToDate) } };
}

/** Periods shown in the table; --json and the reason lines carry the whole streak. */
const SHOWN_PERIODS = 5;

function demandText(demand: ReadonlyArray<number | null>): string {
  if (demand.length === 0) return '-';
  const shown = demand.slice(-SHOWN_PERIODS).map(rpmText).join(' ');
  return demand.length > SHOWN_PERIODS ? `... ${shown}` : shown;
}

function inFlightText(inFlight: StatusRegion['inFlight']): string {
  if (!inFlight) return '-';
  if (!inFlight.name) return inFlight.action;
  // An upgrade started by hand has a bare UUID for a name: the word says what runs.
  const what = inFlight.action === 'upgrade' && !inFlight.name.startsWith('upgrade-') ? `upgrade ${inFlight.name}` : inFlight.name;
  return inFlight.runningMinutes === undefined ? what : `${what} (${inFlight.runningMinutes} min)`;
}

const rpmText = (value: number | null) => (value === null ? '-' : Number.isInteger(value) ? String(value) : value.toFixed(1));
const usd = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(2));

export function formatStatus(report: StatusReport): string {
  const rows = [
    ['REGION', 'PHASE', 'DEMAND RPM (LATEST LAST)', 'START AT / STOP BELOW', 'HELD BY', 'IN FLIGHT', 'K8S', 'TODAY $', 'MONTH $'],
    ...report.regions.map((r) => [
      r.configured ? r.region : `${r.region} (not in config)`,
      r.phase,
      demandText(r.demand),
      `${r.thresholds.scaleUpRequestsPerMinute} x${r.thresholds.scaleUpPeriods} / ${r.thresholds.scaleDownRequestsPerMinute} x${r.thresholds.scaleDownPeriods}`,
      holdingRuleText(r.heldBy),
      inFlightText(r.inFlight),
      r.kubernetesVersion ?? '-',
      usd(r.cost?.today),
      usd(r.cost?.monthToDate),
    ]),
    ['TOTAL', '', '', '', '', '', '', usd(report.totalCost.today), usd(report.totalCost.monthToDate)],
  ];
  const lines = [
    `kubecdn status of ${report.name} (home ${report.homeRegion}) at ${readableTime(report.at)}, config ${report.config}:`,
    '',
    textTable(rows, new Set([7, 8])),
    '',
    'Next minute:',
    ...report.regions.map((r) => `  ${r.region}: ${r.reason}`),
    '',
    report.costNote,
  ];
  if (report.warnings.length > 0) lines.push('', 'Warnings:', ...report.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}
