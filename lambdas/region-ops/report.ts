/** The operations-topic message for a finished (or failed) region operation, roll-out or purge. Pure. */
import type { Severity } from '../shared/notification-attributes';
import { purgeLines, type RegionPurgeResult } from './purge-report';
import { readableCause } from './readable-cause';

export { readableCause };

export type ReportOperation = 'start' | 'stop' | 'sync' | 'rollout' | 'purge' | 'upgrade' | 'upgradeClusters';
export type ReportOutcome = 'succeeded' | 'failed' | 'rolled back' | 'rollback failed' | 'failed, kept serving' | 'skipped' | 'halted';

export interface ReportInput {
  readonly operation: ReportOperation;
  readonly outcome: ReportOutcome;
  /** The region, or for a roll-out what was rolled out (`version <version>`), for a purge what was purged (`2 paths`). */
  readonly region: string;
  readonly reason: string;
  readonly startedAtEpochMs: number;
  readonly failure: { readonly Error?: string; readonly Cause?: string } | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface Report {
  readonly subject: string;
  readonly message: string;
  /** The `severity` message attribute: what decides who is e-mailed (see reportSeverity). */
  readonly severity: Severity;
}

/**
 * How much an operator needs to hear about an outcome: a routine success is `info`; a failure
 * that left things as they were (the region keeps serving, nothing was changed, a cache holds
 * stale copies) is `warning`; a failure that leaves a region stranded, billing or serving the wrong
 * version, and every rollback, is `error`: someone has to act.
 */
export function reportSeverity(input: Pick<ReportInput, 'operation' | 'outcome' | 'details'>): Severity {
  switch (input.outcome) {
    case 'succeeded': {
      // A stop whose sweep still found tagged resources: they may bill, and someone has to look.
      const leftovers = input.details.leftovers;
      return input.operation === 'stop' && Array.isArray(leftovers) && leftovers.length > 0 ? 'warning' : 'info';
    }
    case 'skipped':
      return 'info';
    case 'failed, kept serving':
      return 'warning';
    case 'failed':
      // A start, sync or purge fails before it changes anything; a stop, a roll-out or an upgrade fails midway.
      return FAILS_MIDWAY.has(input.operation) ? 'error' : 'warning';
    case 'rolled back':
    case 'rollback failed':
    case 'halted':
      return 'error';
  }
}

const VERBS: Record<ReportOperation, string> = {
  start: 'StartRegion',
  stop: 'StopRegion',
  sync: 'SyncRegion',
  rollout: 'RolloutWorkload',
  purge: 'PurgeCache',
  upgrade: 'UpgradeRegion',
  upgradeClusters: 'UpgradeClusters',
};

/** Operations whose failure leaves something half-changed (a cluster between versions, a region half torn down). */
const FAILS_MIDWAY: ReadonlySet<ReportOperation> = new Set(['stop', 'rollout', 'upgrade', 'upgradeClusters']);

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

interface RegionResult {
  readonly region: string;
  readonly outcome: string;
  readonly cause?: string;
  readonly error?: string;
}

function regionResults(value: unknown): RegionResult[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const results = value.filter(
    (r): r is RegionResult => typeof r === 'object' && r !== null && typeof r.region === 'string' && typeof r.outcome === 'string',
  );
  return results.length === value.length ? results : undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** What an operator does next, when the outcome leaves something to do or to know. */
function followUp(input: ReportInput): string | undefined {
  const { operation, outcome } = input;
  if (operation === 'sync') {
    if (outcome === 'rolled back') return 'The previous pod template was restored: the region keeps serving the previous version.';
    if (outcome === 'rollback failed')
      return 'Restoring the previous pod template failed: the region may serve a mix of versions or fail its health check; check the Deployment and run SyncRegion again once the cause is fixed.';
    if (outcome === 'skipped')
      return 'The region is not serving, so nothing was changed; its next StartRegion applies the current workload.';
    return undefined;
  }
  if (operation === 'upgrade') {
    if (outcome === 'failed')
      return 'The cluster keeps serving at the version EKS reports; once the cause is fixed, run UpgradeClusters (or UpgradeRegion) again: it continues from there.';
    if (outcome === 'skipped') return 'The region has no cluster (stopped cold): its next start creates it at the configured version.';
    return undefined;
  }
  if (outcome === 'rollback failed') return 'The region may still hold resources: run StopRegion for it once the cause is fixed.';
  if (outcome === 'failed, kept serving')
    return 'The region keeps serving: the rollback removed nothing that serves it (see "kept" below). Run StartRegion again once the cause is fixed.';
  return undefined;
}

/** A roll-out's per-region lines, and for a halt, the regions it did not reach. */
function rolloutLines(input: ReportInput, results: readonly RegionResult[]): string[] {
  const lines = ['Regions:'];
  for (const r of results) {
    const failed = r.outcome !== 'succeeded' && r.outcome !== 'skipped';
    const why = r.cause ?? r.error;
    lines.push(`  ${r.region}: ${r.outcome}${failed && why ? `: ${why}` : ''}`);
  }
  if (input.outcome === 'halted') {
    const reached = new Set(results.map((r) => r.region));
    const planned = stringList(input.details.regions);
    const notReached = planned?.filter((region) => !reached.has(region));
    const which =
      notReached === undefined
        ? 'Regions not listed above were not reached'
        : notReached.length > 0
          ? `Not reached: ${notReached.join(', ')}`
          : 'Every region was reached';
    lines.push(
      input.operation === 'upgradeClusters'
        ? `${which}; their clusters keep the version they run. The upgrade halted at the first failure; once the cause is fixed, run UpgradeClusters again to continue (clusters already upgraded are skipped).`
        : `${which}; they keep serving the previous version. The roll-out halted after a wave with a failure; once the cause is fixed, run RolloutWorkload again (or deploy a new version) to continue.`,
    );
  }
  return lines;
}

export function buildReport(input: ReportInput, nowMs: number): Report {
  const verb = VERBS[input.operation];
  // SNS subjects: at most 100 characters, no line breaks.
  const subject = `kubecdn ${verb} ${input.region} ${input.outcome}`.replace(/\s+/g, ' ').slice(0, 100);
  const lines = [`${verb} ${input.region}: ${input.outcome} after ${duration(nowMs - input.startedAtEpochMs)}.`, `Reason: ${input.reason}`];
  if (input.failure)
    lines.push(`Failed with ${input.failure.Error ?? 'an error'}: ${readableCause(input.failure.Cause) ?? 'no cause given'}`);
  const next = followUp(input);
  if (next) lines.push(next);
  const perRegion = input.operation === 'rollout' || input.operation === 'purge' || input.operation === 'upgradeClusters';
  const results = perRegion ? regionResults(input.details.results) : undefined;
  if (results && (input.operation === 'rollout' || input.operation === 'upgradeClusters')) lines.push(...rolloutLines(input, results));
  if (results && input.operation === 'purge') lines.push(...purgeLines(results as RegionPurgeResult[], input.details.request));
  for (const [key, value] of Object.entries(input.details)) {
    if (results && (key === 'results' || key === 'regions')) continue;
    if (input.operation === 'purge' && key === 'request') continue;
    lines.push(`${key}: ${JSON.stringify(value)}`);
  }
  return { subject, message: lines.join('\n'), severity: reportSeverity(input) };
}
