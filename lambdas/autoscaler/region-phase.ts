/**
 * A region's phase, derived each tick from what AWS reports rather than stored: the EKS cluster,
 * the region's latency record in Route 53 (whether it serves), and running workflow executions.
 */
import type { RegionPhase } from '../../core/autoscaler/types';

/** The workflow running for a region: StartRegion, StopRegion, or UpgradeRegion (a Kubernetes upgrade). */
export type InFlightOperation = 'start' | 'stop' | 'upgrade';

export type ClusterObservation = 'absent' | 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED' | 'PENDING' | 'unreadable';

export interface RegionObservation {
  readonly cluster: ClusterObservation;
  /** Whether the region's latency record exists; 'unreadable' when Route 53 could not be read. */
  readonly serving: boolean | 'unreadable';
  /** A running StartRegion/StopRegion/UpgradeRegion execution for the region; 'unreadable' when Step Functions could not be read. */
  readonly inFlight: InFlightOperation | undefined | 'unreadable';
  readonly standby: 'cold' | 'warm';
}

/**
 * - A start or stop in flight decides the phase: the workflow owns the region until it ends. An
 *   upgrade does not: the cluster stays up (or absent) through it, so the phase is read as below,
 *   and the engine holds the region for the operation in flight anyway.
 * - No cluster: stopped (a stray record without a cluster serves nobody; a start repairs it).
 * - A cluster being created or deleted with no workflow running: still transitioning (held).
 * - A usable cluster with its record: running; without its record: warm standby for a warm
 *   region, and for a cold one 'stranded': a start left half done (a StartRegion whose rollback
 *   failed), or warm standby under a config that now says cold. It bills and serves nobody, so
 *   the engine never leaves it: StartRegion (which converges from any state) when a rule wants
 *   the region up, StopRegion otherwise. A FAILED cluster or anything we could not read:
 *   unknown, which the engine holds.
 */
export function derivePhase(o: RegionObservation): RegionPhase {
  if (o.inFlight === 'unreadable') return 'unknown';
  if (o.inFlight === 'start') return 'starting';
  if (o.inFlight === 'stop') return 'stopping';
  switch (o.cluster) {
    case 'unreadable':
    case 'FAILED':
      return 'unknown';
    case 'absent':
      return 'stopped';
    case 'CREATING':
    case 'PENDING':
      return 'starting';
    case 'DELETING':
      return 'stopping';
    case 'ACTIVE':
    case 'UPDATING':
      if (o.serving === 'unreadable') return 'unknown';
      if (o.serving) return 'running';
      return o.standby === 'warm' ? 'standby' : 'stranded';
  }
}

/**
 * A region no longer in the config, seen through its latency record or a workflow running for
 * it. Its cluster is not read: the autoscaler may describe clusters in configured regions only,
 * and StopRegion converges from any state anyway. A record means it still serves, so 'running'
 * (the engine stops it); neither record nor workflow means there is nothing to decide.
 */
export function removedRegionPhase(o: Omit<RegionObservation, 'cluster' | 'standby'>): RegionPhase | undefined {
  if (o.inFlight === 'start') return 'starting';
  if (o.inFlight === 'stop') return 'stopping';
  if (o.serving === true) return o.inFlight === 'unreadable' ? 'unknown' : 'running';
  return undefined;
}
