/**
 * How many periods of demand the engine looks at, so the Lambda queries CloudWatch for no more
 * than it needs and the simulator slices no more than it needs.
 */
import type { KubeCdnConfig } from '../config';
import { viewOf } from './config-view';

/**
 * The longest streak any configured region's rules can ask for: max(scaleUpPeriods,
 * scaleDownPeriods) over the global thresholds and every per-region override. Older periods never
 * change a decision; pass at least this many (one more does no harm).
 */
export function demandPeriodsNeeded(config: KubeCdnConfig): number {
  let needed = 1;
  for (const region of viewOf(config).configured) {
    const { scaleUpPeriods, scaleDownPeriods } = viewOf(config).thresholdsOf(region);
    needed = Math.max(needed, scaleUpPeriods, scaleDownPeriods);
  }
  return needed;
}
