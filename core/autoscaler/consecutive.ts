/**
 * Streaks over a demand series (oldest first, newest last, null = missing datapoint).
 * A streak counts back from the most recent period and ends at the first period that fails the
 * test or is missing: missing data never extends a streak, so it can never cause an action.
 * Plain loops with no callbacks, because the simulator runs these for every region every minute.
 */
export type DemandSeries = ReadonlyArray<number | null>;

/** Periods, counting back from the latest, with demand at or above `threshold`; stops counting at `limit`. */
export function periodsAtOrAbove(series: DemandSeries, threshold: number, limit: number): number {
  let count = 0;
  for (let i = series.length - 1; i >= 0 && count < limit; i--) {
    const value = series[i];
    if (value === null || value === undefined || value < threshold) break;
    count++;
  }
  return count;
}

/** Periods, counting back from the latest, with demand below `threshold`; stops counting at `limit`. */
export function periodsBelow(series: DemandSeries, threshold: number, limit: number): number {
  let count = 0;
  for (let i = series.length - 1; i >= 0 && count < limit; i--) {
    const value = series[i];
    if (value === null || value === undefined || value >= threshold) break;
    count++;
  }
  return count;
}

/** Why a streak of `count` periods went no further back: a period that failed the test, a missing one, or the start of the data. */
export function streakEnd(series: DemandSeries, count: number): 'value' | 'missing' | 'no-more-data' {
  const index = series.length - 1 - count;
  if (index < 0) return 'no-more-data';
  const value = series[index];
  return value === null || value === undefined ? 'missing' : 'value';
}

/** Demand in the most recent complete period, or null when it is missing or there is no data. */
export function latestDemand(series: DemandSeries): number | null {
  return series.length === 0 ? null : (series[series.length - 1] ?? null);
}
