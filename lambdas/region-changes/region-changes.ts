/**
 * What a deploy changes in the region lists, said in one line for the deploy's output. Pure.
 * Removed regions are stopped by the deploy itself (deploy-convergence.ts starts StopRegion with
 * "removed": true for each, which also reaches a region in warm standby); everything else is the
 * autoscaler's to act on at its next tick (regions added to alwaysOn are started, and so on).
 */

export interface RegionLists {
  readonly alwaysOn: readonly string[];
  readonly scalable: readonly string[];
}

export interface RegionListChanges {
  /** In neither list any more: the deploy starts StopRegion for each. */
  readonly removed: readonly string[];
  readonly addedAlwaysOn: readonly string[];
  readonly addedScalable: readonly string[];
  readonly movedToAlwaysOn: readonly string[];
  readonly movedToScalable: readonly string[];
}

const sorted = (regions: Iterable<string>) => [...regions].sort();

export function compareRegionLists(before: RegionLists, after: RegionLists): RegionListChanges {
  const wasAlwaysOn = new Set(before.alwaysOn);
  const wasScalable = new Set(before.scalable);
  const isAlwaysOn = new Set(after.alwaysOn);
  const isScalable = new Set(after.scalable);
  const known = (region: string) => wasAlwaysOn.has(region) || wasScalable.has(region);
  return {
    removed: sorted([...wasAlwaysOn, ...wasScalable].filter((r) => !isAlwaysOn.has(r) && !isScalable.has(r))),
    addedAlwaysOn: sorted(after.alwaysOn.filter((r) => !known(r))),
    addedScalable: sorted(after.scalable.filter((r) => !known(r))),
    movedToAlwaysOn: sorted(after.alwaysOn.filter((r) => wasScalable.has(r))),
    movedToScalable: sorted(after.scalable.filter((r) => wasAlwaysOn.has(r))),
  };
}

/** One line per kind of change, each saying what the deploy or the autoscaler does about it. */
export function describeRegionChanges(changes: RegionListChanges): string[] {
  const lines: string[] = [];
  const list = (regions: readonly string[]) => regions.join(', ');
  if (changes.removed.length > 0)
    lines.push(
      `Removed: ${list(changes.removed)}. The deploy starts StopRegion for each: drained (DNS record first) and torn down, warm standby included.`,
    );
  if (changes.addedAlwaysOn.length > 0) lines.push(`Added to alwaysOn: ${list(changes.addedAlwaysOn)}. The autoscaler starts them.`);
  if (changes.addedScalable.length > 0)
    lines.push(`Added to scalable: ${list(changes.addedScalable)}. They start when their demand calls for it.`);
  if (changes.movedToAlwaysOn.length > 0)
    lines.push(`Moved to alwaysOn: ${list(changes.movedToAlwaysOn)}. Started if off, never stopped by the autoscaler.`);
  if (changes.movedToScalable.length > 0)
    lines.push(`Moved to scalable: ${list(changes.movedToScalable)}. Left running; demand decides from now on.`);
  return lines;
}

/** One line for the stack output: what the deploy changed in the region lists, or that it changed none. */
export function regionChangeSummary(before: RegionLists, after: RegionLists): string {
  const lines = describeRegionChanges(compareRegionLists(before, after));
  return lines.length > 0 ? lines.join(' ') : 'No region list changed.';
}
