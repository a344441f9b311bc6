/**
 * The read-and-decide half of an autoscaler tick: demand, region states and the operators'
 * overrides read in parallel, the silent-edge check, and the engine's decision, with nothing acted
 * on. The Lambda's tick (tick.ts) runs it and then acts and reports; `kubecdn plan` and
 * `kubecdn status` run this same function against live reads and only print what it found, so
 * what they show is what the Lambda would do.
 *
 * Every input the engine decides on is read here: another one is read beside demand, states and
 * overrides in the Promise.all below and handed to decide() with them.
 */
import { decide } from '../../core/autoscaler/decide';
import type { RegionDecision } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import { silentServingRegions, type SilentRegionsVerdict } from '../../core/edge-metrics/silent-regions';
import { type DemandReaderDeps, type DemandReading, readDemand } from './demand-reader';
import { type OverrideReaderDeps, type OverrideReading, readOverrides } from './override-reader';
import { readRegionStates, type RegionStateDeps, type RegionStateReading } from './region-state-reader';

export type ReadAndDecideDeps = DemandReaderDeps &
  RegionStateDeps & {
    /** The override table; without it no override is read (and none is obeyed). */
    readonly overrideStore?: OverrideReaderDeps;
  };

export interface TickPlan {
  readonly demandReading: DemandReading;
  readonly states: RegionStateReading;
  /** The overrides read, or why they could not be (then no region is stopped this tick). */
  readonly overrides: OverrideReading | { readonly error: string };
  /** Serving regions whose edges reported nothing; undefined when whether the edges report could not be read. */
  readonly silentRegions: SilentRegionsVerdict | undefined;
  readonly decisions: readonly RegionDecision[];
}

const NO_OVERRIDES: OverrideReading = { overrides: {}, active: {}, lapsed: [], ignored: [] };

export async function readAndDecide(deps: ReadAndDecideDeps, config: KubeCdnConfig, now: number): Promise<TickPlan> {
  const [demandReading, states, overrides] = await Promise.all([
    readDemand(deps, config, now),
    readRegionStates(deps, config, now),
    readOverridesOrError(deps, config, now),
  ]);
  let silentRegions: SilentRegionsVerdict | undefined;
  if ('datapoints' in demandReading.edgeReporting) {
    const { range, datapoints } = demandReading.edgeReporting;
    silentRegions = silentServingRegions({ config, range, datapoints, regions: states.regions });
  }
  const unreadable = 'error' in overrides;
  const decisions = decide({
    config,
    now,
    demand: demandReading.demand,
    regions: states.regions,
    overrides: unreadable ? undefined : overrides.overrides,
    overridesUnreadable: unreadable,
  });
  return { demandReading, states, overrides, silentRegions, decisions };
}

async function readOverridesOrError(deps: ReadAndDecideDeps, config: KubeCdnConfig, now: number): Promise<TickPlan['overrides']> {
  if (!deps.overrideStore) return NO_OVERRIDES;
  try {
    return await readOverrides(deps.overrideStore, config, now);
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}
