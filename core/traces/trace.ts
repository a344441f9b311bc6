/**
 * A demand trace in memory: one Float64Array per region indexed by minute since the trace's first
 * minute. Missing data is NaN, never zero, because the autoscaler treats "no datapoint" and "no
 * viewers" differently (missing data must never stop a region).
 */
export const MINUTE_MS = 60_000;

export interface Trace {
  /** Epoch ms of minute 0 (a whole UTC minute). */
  readonly startMs: number;
  /** Number of minutes covered; every region's array has this length. */
  readonly minutes: number;
  /** Regions in order of first appearance in the file. */
  readonly regions: readonly string[];
  /** Requests per minute from viewers nearest each region; NaN where the data is missing. */
  readonly requests: ReadonlyMap<string, Float64Array>;
}

/** The demand series of a region, or an all-missing series when the trace does not mention it. */
export function demandOf(trace: Trace, region: string): Float64Array {
  return trace.requests.get(region) ?? new Float64Array(trace.minutes).fill(NaN);
}

export function minuteToIso(trace: Pick<Trace, 'startMs'>, minute: number): string {
  return formatUtcMinute(trace.startMs + minute * MINUTE_MS);
}

/** `2026-11-02T00:00:00Z`: the trace format's timestamp (no milliseconds). */
export function formatUtcMinute(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
