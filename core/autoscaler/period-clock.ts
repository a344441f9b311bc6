// Math.floor read once into a local: the simulator asks this for every region every tick, and under
// a test runner's vm context (Jest) every read of a global is an interceptor call a hundred times
// slower than a local's.
const { floor } = Math;

/**
 * End of the latest complete period whose demand is readable at `now`: the last period boundary
 * at least `lagMs` ago (metrics arrive late). One rule for the Lambda's query window, the
 * simulator's replay and the forecast's horizons, so they always agree on which period is "latest".
 */
export function latestPeriodEnd(now: number, periodMs: number, lagMs: number): number {
  return floor((now - lagMs) / periodMs) * periodMs;
}
