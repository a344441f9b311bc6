/**
 * The clairvoyant optimum for one region: knowing the whole trace and the lead times, the
 * cheapest on/off schedule that has the region running in every minute its demand is at or above
 * its scale-up threshold. It is the physical limit the autoscaler is measured against, so it is
 * exact (dynamic programming over minutes), not a heuristic.
 *
 * The model is the simulator's: a region is either settled (stopped or running) or in a
 * transition of fixed length that cannot be cut short; a start serves from the minute after its
 * last starting minute. The oracle ignores cooldowns, caps and schedules (policies, not physics),
 * and may begin the trace in either settled state at no cost (it knew what was coming before the
 * trace began), so every hot minute can be covered and its hot coverage is 100%.
 *
 * Among schedules of equal cost it prefers the one that serves more demand in-region.
 *
 * The report applies one policy on top (simulate.ts): the config's always-on regions are kept
 * running throughout in `oracleCost`, because the engine is not allowed to stop them; this
 * schedule for them, physics alone, is reported beside it as `oracleCostWithoutAlwaysOn`.
 */
import type { RegionCostProfile } from './cost-model';
import { RUNNING, STARTING, STOPPED, STOPPING } from './timeline';

// Builtins read once into locals: the simulator runs this for every region every minute, and under
// a test runner's vm context (Jest) every read of a global (Math, Number) is an interceptor call a
// hundred times slower than a local's.
const { min } = Math;
const numberIsNaN = Number.isNaN;
const INFINITY = Number.POSITIVE_INFINITY;

export interface OracleInput {
  /** Requests per minute; NaN = missing (never hot). */
  readonly demand: Float64Array;
  /** Minutes at or above this must be served. */
  readonly hotThreshold: number;
  readonly profile: RegionCostProfile;
}

// Costs built from the same per-minute figures along different paths can differ in the last bits.
const COST_EPSILON = 1e-9;

const FROM_NOWHERE = 0; // the free initial state
const STAYED = 1; // the same settled state one minute earlier
const TRANSITIONED = 2; // the other settled state, one whole transition earlier

/** The cheapest feasible schedule as one phase per minute (STOPPED, STARTING, RUNNING, STOPPING). */
export function oracleSchedule({ demand, hotThreshold, profile }: OracleInput): Uint8Array {
  const minutes = demand.length;
  const startLength = profile.startMinuteCosts.length;
  const stopLength = profile.stopMinuteCosts.length;
  const startTotal = profile.startMinuteCosts.reduce((a, b) => a + b, 0);
  const stopTotal = profile.stopMinuteCosts.reduce((a, b) => a + b, 0);

  // hotBefore[m] = hot minutes in [0, m): "no hot minute in [a, b)" is one subtraction.
  const hotBefore = new Int32Array(minutes + 1);
  const served = new Float64Array(minutes); // demand that running in minute m serves
  for (let m = 0; m < minutes; m++) {
    const value = demand[m]!;
    hotBefore[m + 1] = hotBefore[m]! + (value >= hotThreshold ? 1 : 0);
    served[m] = numberIsNaN(value) ? 0 : value;
  }
  const noHotIn = (from: number, to: number): boolean => hotBefore[min(to, minutes)]! === hotBefore[from]!;

  // Best (cost, served) of minutes [0, m) arriving settled at minute m, and how it got there.
  const stoppedCost = new Float64Array(minutes + 1).fill(INFINITY);
  const stoppedServed = new Float64Array(minutes + 1);
  const stoppedFrom = new Uint8Array(minutes + 1);
  const runningCost = new Float64Array(minutes + 1).fill(INFINITY);
  const runningServed = new Float64Array(minutes + 1);
  const runningFrom = new Uint8Array(minutes + 1);
  stoppedCost[0] = 0;
  runningCost[0] = 0;
  stoppedFrom[0] = FROM_NOWHERE;
  runningFrom[0] = FROM_NOWHERE;

  const better = (cost: number, servedSoFar: number, bestCost: number, bestServed: number): boolean =>
    cost < bestCost - COST_EPSILON || (cost <= bestCost + COST_EPSILON && servedSoFar > bestServed);

  // A transition still running when the trace ends: it bills only the minutes inside the trace.
  let endCost = INFINITY;
  let endServed = 0;
  let endKind: 'stopped' | 'running' | 'starting' | 'stopping' = 'stopped';
  let endFrom = 0;

  for (let m = 0; m < minutes; m++) {
    const sCost = stoppedCost[m]!;
    if (sCost < INFINITY) {
      const sServed = stoppedServed[m]!;
      if (noHotIn(m, m + 1)) {
        const cost = sCost + profile.stoppedPerMinute;
        if (better(cost, sServed, stoppedCost[m + 1]!, stoppedServed[m + 1]!)) {
          stoppedCost[m + 1] = cost;
          stoppedServed[m + 1] = sServed;
          stoppedFrom[m + 1] = STAYED;
        }
      }
      if (noHotIn(m, m + startLength)) {
        if (m + startLength <= minutes) {
          const cost = sCost + startTotal;
          if (better(cost, sServed, runningCost[m + startLength]!, runningServed[m + startLength]!)) {
            runningCost[m + startLength] = cost;
            runningServed[m + startLength] = sServed;
            runningFrom[m + startLength] = TRANSITIONED;
          }
        } else {
          let cost = sCost;
          for (let i = 0; i < minutes - m; i++) cost += profile.startMinuteCosts[i]!;
          if (better(cost, sServed, endCost, endServed)) {
            endCost = cost;
            endServed = sServed;
            endKind = 'starting';
            endFrom = m;
          }
        }
      }
    }
    const rCost = runningCost[m]!;
    if (rCost < INFINITY) {
      const rServed = runningServed[m]!;
      const cost = rCost + profile.runningPerMinute;
      const servedNow = rServed + served[m]!;
      if (better(cost, servedNow, runningCost[m + 1]!, runningServed[m + 1]!)) {
        runningCost[m + 1] = cost;
        runningServed[m + 1] = servedNow;
        runningFrom[m + 1] = STAYED;
      }
      if (noHotIn(m, m + stopLength)) {
        if (m + stopLength <= minutes) {
          const stopCost = rCost + stopTotal;
          if (better(stopCost, rServed, stoppedCost[m + stopLength]!, stoppedServed[m + stopLength]!)) {
            stoppedCost[m + stopLength] = stopCost;
            stoppedServed[m + stopLength] = rServed;
            stoppedFrom[m + stopLength] = TRANSITIONED;
          }
        } else {
          let stopCost = rCost;
          for (let i = 0; i < minutes - m; i++) stopCost += profile.stopMinuteCosts[i]!;
          if (better(stopCost, rServed, endCost, endServed)) {
            endCost = stopCost;
            endServed = rServed;
            endKind = 'stopping';
            endFrom = m;
          }
        }
      }
    }
  }
  if (better(stoppedCost[minutes]!, stoppedServed[minutes]!, endCost, endServed)) {
    endCost = stoppedCost[minutes]!;
    endServed = stoppedServed[minutes]!;
    endKind = 'stopped';
  }
  if (better(runningCost[minutes]!, runningServed[minutes]!, endCost, endServed)) {
    endKind = 'running';
  }

  // Walk back from the end, writing each minute's phase.
  const phases = new Uint8Array(minutes);
  let m = minutes;
  let state: 'stopped' | 'running';
  if (endKind === 'starting' || endKind === 'stopping') {
    phases.fill(endKind === 'starting' ? STARTING : STOPPING, endFrom, minutes);
    m = endFrom;
    state = endKind === 'starting' ? 'stopped' : 'running';
  } else state = endKind;
  while (m > 0) {
    if (state === 'stopped') {
      const from = stoppedFrom[m]!;
      if (from === FROM_NOWHERE) break;
      if (from === STAYED) {
        phases[--m] = STOPPED;
      } else {
        phases.fill(STOPPING, m - stopLength, m);
        m -= stopLength;
        state = 'running';
      }
    } else {
      const from = runningFrom[m]!;
      if (from === FROM_NOWHERE) break;
      if (from === STAYED) {
        phases[--m] = RUNNING;
      } else {
        phases.fill(STARTING, m - startLength, m);
        m -= startLength;
        state = 'stopped';
      }
    }
  }
  return phases;
}
