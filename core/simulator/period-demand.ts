/**
 * Minute demand folded into the autoscaler's periods (config.periodSeconds), as the Lambda reads
 * it from CloudWatch: requests per minute averaged over the period's minutes that have data, or
 * null when none has (missing stays missing).
 */
export function periodDemand(minuteDemand: Float64Array, periodMinutes: number): (number | null)[] {
  const periods = Math.floor(minuteDemand.length / periodMinutes);
  const out = new Array<number | null>(periods);
  for (let p = 0; p < periods; p++) {
    let sum = 0;
    let known = 0;
    for (let m = p * periodMinutes; m < (p + 1) * periodMinutes; m++) {
      const value = minuteDemand[m]!;
      if (!Number.isNaN(value)) {
        sum += value;
        known++;
      }
    }
    out[p] = known === 0 ? null : sum / known;
  }
  return out;
}
