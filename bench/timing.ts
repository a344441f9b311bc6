/**
 * Timing helpers. The machine is shared with other sessions, so one sample says little: every
 * figure is the median of several, and the spread (min and max) is kept so a reader can tell a
 * noisy run from a slow one.
 */
import { performance } from 'node:perf_hooks';

export interface Samples {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(durationsMs: readonly number[]): Samples {
  return { medianMs: median(durationsMs), minMs: Math.min(...durationsMs), maxMs: Math.max(...durationsMs), runs: durationsMs.length };
}

/** Runs `work` and returns its result with the wall time it took. */
export function timed<T>(work: () => T): { readonly result: T; readonly ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

export async function timedAsync<T>(work: () => Promise<T>): Promise<{ readonly result: T; readonly ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}
