/**
 * A trace from per-region, per-minute series such as the autoscaler's demand reader returns
 * (null = no datapoint). Counts are rounded to whole requests, as the trace format requires;
 * a per-minute Sum from CloudWatch already is one.
 */
import type { Trace } from './trace';

export function traceFromMinuteSeries(startMs: number, series: Readonly<Record<string, ReadonlyArray<number | null>>>): Trace {
  const regions = Object.keys(series);
  const minutes = Math.max(0, ...regions.map((region) => series[region]!.length));
  const requests = new Map<string, Float64Array>();
  for (const region of regions) {
    const values = new Float64Array(minutes).fill(NaN);
    series[region]!.forEach((value, minute) => {
      if (value !== null && Number.isFinite(value)) values[minute] = Math.max(0, Math.round(value));
    });
    requests.set(region, values);
  }
  return { startMs, minutes, regions, requests };
}
