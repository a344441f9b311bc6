/**
 * Origin latency as counts in fixed buckets. Fixed bounds, the same in every pod, are what let
 * minutes from many pods be merged by adding counts, and p50/p95 be read from the merged counts;
 * percentiles computed per pod could not be combined. Bounds run from 1 ms to a minute, each
 * 1.33x to 2x the one before (1, 1.5, 2, 3, 5, 7.5 per decade from 10 ms), so a percentile read from them is
 * within one such step of the true one. The 29 buckets also fit one CloudWatch PutMetricData
 * Values/Counts pair (at most 150 values), should the counts be sent that way.
 */

/** Upper bounds (inclusive) in milliseconds; one more bucket holds everything above the last. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000,
  60000,
];

export interface LatencyHistogram {
  /** counts[i]: values ≤ LATENCY_BUCKET_BOUNDS_MS[i] and above the bound before; the last: above every bound. */
  readonly counts: number[];
  sumMs: number;
  count: number;
}

export function emptyHistogram(): LatencyHistogram {
  return { counts: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0), sumMs: 0, count: 0 };
}

export function bucketIndex(ms: number): number {
  // Binary search: the first bound ≥ ms.
  let [low, high] = [0, LATENCY_BUCKET_BOUNDS_MS.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (LATENCY_BUCKET_BOUNDS_MS[mid]! >= ms) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function record(histogram: LatencyHistogram, ms: number): void {
  histogram.counts[bucketIndex(ms)]!++;
  histogram.sumMs += ms;
  histogram.count++;
}

/** Adds `from` into `into` (another pod's, or another region's, same minute). */
export function mergeInto(into: LatencyHistogram, from: LatencyHistogram): void {
  if (from.counts.length !== into.counts.length) throw new Error('latency histograms with different buckets cannot be merged');
  from.counts.forEach((n, i) => (into.counts[i]! += n));
  into.sumMs += from.sumMs;
  into.count += from.count;
}

/**
 * The q-quantile (0 < q ≤ 1, 0.95 for p95) in milliseconds, interpolated linearly inside its
 * bucket; undefined for an empty histogram. The open top bucket answers with the last bound:
 * "at least a minute".
 */
export function quantileMs(histogram: LatencyHistogram, q: number): number | undefined {
  if (!(q > 0 && q <= 1)) throw new Error(`quantile must be in (0, 1], got ${q}`);
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    const n = histogram.counts[i]!;
    if (n > 0 && below + n >= rank) {
      if (i === LATENCY_BUCKET_BOUNDS_MS.length) return LATENCY_BUCKET_BOUNDS_MS[i - 1]!;
      const lower = i === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BUCKET_BOUNDS_MS[i]!;
      return lower + ((rank - below) / n) * (upper - lower);
    }
    below += n;
  }
  return LATENCY_BUCKET_BOUNDS_MS.at(-1)!;
}
