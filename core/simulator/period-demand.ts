/**
 * Minute demand folded into the autoscaler's periods (config.periodSeconds), as the Lambda reads
 * it from CloudWatch: on the clock's period boundaries (CloudWatch aggregates a metric into
 * periods of epoch time, and the Lambda's window ends on one, core/autoscaler/period-clock.ts),
 * requests per minute averaged over the period's minutes that have data, or null when none has
 * (missing stays missing).
 *
 * Period 0 is the clock period the trace's first minute falls in, so a trace that starts part-way
 * into a period has a first period with fewer minutes (those before the trace are not in it, as
 * if missing), never a period that straddles two of the Lambda's. A minute belongs to the period
 * its first instant falls in. Only periods that end within the trace are returned: a later one is
 * never delivered inside it.
 */
import { MINUTE_MS } from '../traces/trace';

// Builtins read once into locals: the simulator runs this for every region every minute, and under
// a test runner's vm context (Jest) every read of a global (Math, Number) is an interceptor call a
// hundred times slower than a local's.
const { floor, max } = Math;
const numberIsNaN = Number.isNaN;

/** Epoch ms at which period 0 begins: the period boundary at or before `startMs`. */
export function firstPeriodStart(startMs: number, periodMs: number): number {
  return floor(startMs / periodMs) * periodMs;
}

export function periodDemand(minuteDemand: Float64Array, startMs: number, periodMs: number): (number | null)[] {
  const origin = firstPeriodStart(startMs, periodMs);
  const periods = max(0, floor((startMs + minuteDemand.length * MINUTE_MS - origin) / periodMs));
  const sums = new Float64Array(periods);
  const known = new Uint32Array(periods);
  for (let m = 0; m < minuteDemand.length; m++) {
    const p = floor((startMs + m * MINUTE_MS - origin) / periodMs);
    if (p >= periods) break;
    const value = minuteDemand[m]!;
    if (!numberIsNaN(value)) {
      sums[p] = sums[p]! + value;
      known[p] = known[p]! + 1;
    }
  }
  return Array.from(sums, (sum, p) => (known[p] === 0 ? null : sum / known[p]!));
}
