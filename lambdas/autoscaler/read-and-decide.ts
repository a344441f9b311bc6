/**
 * The read-and-decide half of an autoscaler tick: demand and region states read in parallel, the
 * silent-edge check, and the engine's decision, with nothing acted on. The Lambda's tick (tick.ts)
 * runs it and then acts and reports; `kubecdn plan` and `kubecdn status` run this same function
 * against live reads and only print what it found, so what they show is what the Lambda would do.
 *
 * Every input the engine decides on is read here: another one (a stored operator override, say)
 * is read beside demand and states in the Promise.all below and handed to decide() with them.
 */
import { decide } from '../../core/autoscaler/decide';
import type { RegionDecision } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import { silentServingRegions, type SilentRegionsVerdict } from '../../core/edge-metrics/silent-regions';
import { type DemandReaderDeps, type DemandReading, readDemand } from './demand-reader';
import { readRegionStates, type RegionStateDeps, type RegionStateReading } from './region-state-reader';

export type ReadAndDecideDeps = DemandReaderDeps & RegionStateDeps;

export interface TickPlan {
  readonly demandReading: DemandReading;
  readonly states: RegionStateReading;
  /** Serving regions whose edges reported nothing; undefined when whether the edges report could not be read. */
  readonly silentRegions: SilentRegionsVerdict | undefined;
  readonly decisions: readonly RegionDecision[];
}

export async function readAndDecide(deps: ReadAndDecideDeps, config: KubeCdnConfig, now: number): Promise<TickPlan> {
  const [demandReading, states] = await Promise.all([readDemand(deps, config, now), readRegionStates(deps, config, now)]);
  let silentRegions: SilentRegionsVerdict | undefined;
  if ('datapoints' in demandReading.edgeReporting) {
    const { range, datapoints } = demandReading.edgeReporting;
    silentRegions = silentServingRegions({ config, range, datapoints, regions: states.regions });
  }
  const decisions = decide({ config, now, demand: demandReading.demand, regions: states.regions });
  return { demandReading, states, silentRegions, decisions };
}
