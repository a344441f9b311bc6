/**
 * End of the latest complete period whose demand is readable at `now`: the last period boundary
 * at least `lagMs` ago (metrics arrive late). One rule for the Lambda's query window, the
 * simulator's replay and the forecast's horizons, so they always agree on which period is "latest".
 */
export function latestPeriodEnd(now: number, periodMs: number, lagMs: number): number {
  return Math.floor((now - lagMs) / periodMs) * periodMs;
}
