/**
 * How many periods of demand the engine looks at, so the Lambda queries CloudWatch for no more
 * than it needs and the simulator slices no more than it needs.
 */
import type { KubeCdnConfig } from '../config';
import { periodsReadBy } from './anticipation';
import { viewOf } from './config-view';

/**
 * The most periods any configured region's rules can read: max(scaleUpPeriods, scaleDownPeriods)
 * over the global thresholds and every per-region override and, with config.prediction on, the
 * forecast's reach back to the same time last week (or yesterday) plus its level window. Older
 * periods never change a decision; pass at least this many (more do no harm: the engine reads
 * from the end).
 */
export function demandPeriodsNeeded(config: KubeCdnConfig): number {
  // The simulator's replay asks once per tick (through the Lambda's demandWindow); configs are immutable.
  let needed = computed.get(config);
  if (needed === undefined) {
    needed = periodsNeeded(config);
    computed.set(config, needed);
  }
  return needed;
}

const computed = new WeakMap<KubeCdnConfig, number>();

function periodsNeeded(config: KubeCdnConfig): number {
  const view = viewOf(config);
  let needed = 1;
  for (const region of view.configured) {
    const { scaleUpPeriods, scaleDownPeriods } = view.thresholdsOf(region);
    needed = Math.max(needed, scaleUpPeriods, scaleDownPeriods);
    const plan = view.anticipationOf(region);
    if (plan) needed = Math.max(needed, periodsReadBy(plan));
  }
  return needed;
}
