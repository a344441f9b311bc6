/**
 * `kubecdn plan`'s report: the engine's decision for each region at one minute, with its reason,
 * from the reads the autoscaler makes, as text or as one JSON object.
 */
import type { DecisionAction, HoldCause, DecisionRule, RegionPhase } from '../core/autoscaler/types';
import type { KubeCdnConfig } from '../core/config';
import type { TickPlan } from '../lambdas/autoscaler/read-and-decide';
import type { ConfigDigests } from './live-autoscaler-reads';
import { readingWarnings } from './reading-warnings';
import { textTable } from './text-table';

/** A phase as the operator reads it: the engine's "running" is a region that serves. */
export type DisplayPhase = Exclude<RegionPhase, 'running'> | 'serving';

export function displayPhase(phase: RegionPhase): DisplayPhase {
  return phase === 'running' ? 'serving' : phase;
}

export interface PlannedRegion {
  readonly region: string;
  readonly phase: DisplayPhase;
  readonly action: DecisionAction;
  readonly wanted?: 'start' | 'stop';
  readonly rule?: DecisionRule;
  readonly heldBy?: HoldCause;
  readonly reason: string;
  /** Requests per minute in the latest complete period; null when missing. */
  readonly latestDemand: number | null;
}

export interface PlanReport {
  /** The minute decided, ISO 8601. */
  readonly at: string;
  readonly config: string;
  /** config.dryRun: the deployed autoscaler would log these decisions and act on none. */
  readonly dryRun: boolean;
  readonly decisions: readonly PlannedRegion[];
  readonly warnings: readonly string[];
}

export function planReport(input: {
  readonly plan: TickPlan;
  readonly config: KubeCdnConfig;
  readonly configPath: string;
  readonly digests: ConfigDigests;
  readonly at: number;
}): PlanReport {
  return {
    at: new Date(input.at).toISOString(),
    config: input.configPath,
    dryRun: input.config.dryRun,
    decisions: input.plan.decisions.map((d) => ({
      region: d.region,
      phase: displayPhase(d.phase),
      action: d.action,
      ...(d.wanted ? { wanted: d.wanted } : {}),
      ...(d.rule ? { rule: d.rule } : {}),
      ...(d.heldBy ? { heldBy: d.heldBy } : {}),
      reason: conditionalReason(d.reason, d.action, d.dryRun),
      latestDemand: d.demand,
    })),
    warnings: readingWarnings(input.plan, input.configPath, input.digests),
  };
}

/**
 * The engine words an action as done ("started: 3 periods at or above ..."), as the Lambda logs it
 * once acted on; here nothing is, so it reads as what would be done. Dry-run reasons already do.
 */
export function conditionalReason(reason: string, action: DecisionAction, dryRun: boolean): string {
  if (action === 'none' || dryRun) return reason;
  return reason.replace(/^(started|stopped)/, (done) => (done === 'started' ? 'would start' : 'would stop'));
}

/** An ISO time without its milliseconds, for text. */
export function readableTime(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

const rpmText = (value: number | null) => (value === null ? '-' : Number.isInteger(value) ? String(value) : value.toFixed(1));

export function formatPlan(report: PlanReport): string {
  const rows = [
    ['REGION', 'PHASE', 'LATEST RPM', 'WOULD', 'WHY'],
    ...report.decisions.map((d) => [d.region, d.phase, rpmText(d.latestDemand), d.action === 'none' ? '-' : d.action, d.reason]),
  ];
  const acting = report.decisions.filter((d) => d.action !== 'none');
  const lines = [
    `What the autoscaler would do at ${readableTime(report.at)} with ${report.config} (nothing is changed):`,
    '',
    textTable(rows, new Set([2])),
    '',
    acting.length === 0
      ? 'It would start or stop nothing.'
      : `It would ${acting.map((d) => `${d.action} ${d.region}`).join(', ')}${report.dryRun ? ', but config.dryRun is on: it only logs them' : ''}.`,
  ];
  if (report.warnings.length > 0) lines.push('', 'Warnings:', ...report.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}
