/**
 * PurgeCache's outcome over all regions: whether the execution fails (a region was busy or
 * failed) and with which cause, and the per-region, per-pod lines of its notification. Pure.
 */
import { readableCause } from './readable-cause';

/** One region's result, as the PurgeCache Map collects it. A Catch may leave fields null rather than absent. */
export interface RegionPurgeResult {
  readonly region: string;
  readonly outcome: 'purged' | 'skipped' | 'busy' | 'failed' | string;
  readonly reason?: string | null;
  readonly error?: string | null;
  readonly cause?: string | null;
  readonly pods?: readonly ({ pod: string; removed: number; scanned: number } | { pod: string; error: string })[] | null;
  /** Pods that owed an answer and gave none (a region that timed out). */
  readonly waiting?: readonly string[] | null;
}

export interface PurgeOutcome {
  readonly failed: boolean;
  /** `{Error, Cause}` for the execution's failure and the report, or null when every serving region was purged. */
  readonly failure: { readonly Error: string; readonly Cause: string } | null;
  readonly removed: number;
  readonly purged: string[];
  readonly skipped: string[];
  readonly busy: string[];
  readonly failedRegions: string[];
}

function removedBy(result: RegionPurgeResult): number {
  return (result.pods ?? []).reduce((sum, pod) => sum + ('removed' in pod ? pod.removed : 0), 0);
}

/**
 * The execution fails if any region was busy or failed: the others were purged, and running the
 * same input again purges what is left (the purge of a path already purged removes nothing).
 * Busy regions alone fail with RegionBusy, as the region workflows do; anything else with PurgeFailed.
 */
export function purgeOutcome(results: readonly RegionPurgeResult[]): PurgeOutcome {
  const of = (outcome: string) => results.filter((r) => r.outcome === outcome).map((r) => r.region);
  const busy = of('busy');
  const failedRegions = results.filter((r) => !['purged', 'skipped', 'busy'].includes(r.outcome)).map((r) => r.region);
  const removed = results.reduce((sum, r) => sum + removedBy(r), 0);
  const base = { removed, purged: of('purged'), skipped: of('skipped'), busy, failedRegions };
  if (busy.length === 0 && failedRegions.length === 0) return { ...base, failed: false, failure: null };
  const parts = [
    ...results.filter((r) => r.outcome === 'busy').map((r) => readableCause(r.cause ?? undefined) ?? `${r.region} is busy`),
    ...results
      .filter((r) => failedRegions.includes(r.region))
      .map((r) => `${r.region} failed: ${readableCause(r.cause ?? undefined) ?? r.error ?? 'no cause given'}`),
  ];
  const notPurged = [...busy, ...failedRegions].join(', ');
  return {
    ...base,
    failed: true,
    failure: {
      Error: failedRegions.length === 0 ? 'RegionBusy' : 'PurgeFailed',
      Cause: `not purged: ${notPurged}. ${parts.join('; ')}. The other serving regions were purged; run PurgeCache again with the same input to purge the rest.`,
    },
  };
}

/** What was purged, as the operator asked for it (prefixes with their `*` again). */
function purgedLine(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const { paths, prefixes, everything } = request as { paths?: unknown; prefixes?: unknown; everything?: unknown };
  if (everything === true) return 'Purged: everything';
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const all = [...list(paths), ...list(prefixes).map((prefix) => `${prefix}*`)];
  return all.length > 0 ? `Purged: ${all.join(' ')}` : undefined;
}

/** The notification's lines: what was purged, then one line per region and under a purged region one per pod. */
export function purgeLines(results: readonly RegionPurgeResult[], request?: unknown): string[] {
  const purged = purgedLine(request);
  const lines = [...(purged ? [purged] : []), `Objects removed: ${results.reduce((sum, r) => sum + removedBy(r), 0)}`, 'Regions:'];
  for (const r of results) {
    const pods = r.pods ?? [];
    if (r.outcome === 'purged') lines.push(`  ${r.region}: purged, ${removedBy(r)} objects removed by ${pods.length} pods`);
    else if (r.outcome === 'skipped') lines.push(`  ${r.region}: skipped: ${r.reason ?? 'not serving'}`);
    else lines.push(`  ${r.region}: ${r.outcome}: ${readableCause(r.cause ?? undefined) ?? r.error ?? 'no cause given'}`);
    for (const pod of pods)
      lines.push(
        'error' in pod ? `    ${pod.pod}: error: ${pod.error}` : `    ${pod.pod}: ${pod.removed} removed of ${pod.scanned} cached objects`,
      );
    for (const pod of r.waiting ?? []) lines.push(`    ${pod}: no answer`);
  }
  return lines;
}
