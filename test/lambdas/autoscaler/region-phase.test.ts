import { derivePhase, type RegionObservation, removedRegionPhase } from '../../../lambdas/autoscaler/region-phase';

const seen = (o: Partial<RegionObservation>): RegionObservation => ({
  cluster: 'absent',
  serving: false,
  inFlight: undefined,
  standby: 'cold',
  ...o,
});

describe('a region’s phase, derived from what AWS reports', () => {
  it.each<[string, Partial<RegionObservation>, string]>([
    ['no cluster', {}, 'stopped'],
    ['no cluster but a stray record', { serving: true }, 'stopped'],
    ['an active cluster with its record', { cluster: 'ACTIVE', serving: true }, 'running'],
    ['an updating cluster with its record', { cluster: 'UPDATING', serving: true }, 'running'],
    ['a warm region’s cluster without a record', { cluster: 'ACTIVE', standby: 'warm' }, 'standby'],
    ['a cold region’s cluster without a record (a start left half done)', { cluster: 'ACTIVE' }, 'stranded'],
    ['a cold region’s updating cluster without a record', { cluster: 'UPDATING' }, 'stranded'],
    ['a warm region’s updating cluster without a record', { cluster: 'UPDATING', standby: 'warm' }, 'standby'],
    ['a cold region’s cluster without a record, a StartRegion running', { cluster: 'ACTIVE', inFlight: 'start' }, 'starting'],
    ['a cold region’s cluster without a record, a StopRegion running', { cluster: 'ACTIVE', inFlight: 'stop' }, 'stopping'],
    ['a cluster being created', { cluster: 'CREATING' }, 'starting'],
    ['a cluster being deleted', { cluster: 'DELETING' }, 'stopping'],
    ['a failed cluster', { cluster: 'FAILED' }, 'unknown'],
    ['an unreadable cluster', { cluster: 'unreadable' }, 'unknown'],
    ['an active cluster when Route 53 is unreadable', { cluster: 'ACTIVE', serving: 'unreadable' }, 'unknown'],
    ['a running StartRegion', { cluster: 'ACTIVE', serving: true, inFlight: 'start' }, 'starting'],
    ['a running StopRegion', { cluster: 'ACTIVE', serving: true, inFlight: 'stop' }, 'stopping'],
    ['unreadable executions', { cluster: 'ACTIVE', serving: true, inFlight: 'unreadable' }, 'unknown'],
  ])('%s → %s', (_what, observation, phase) => {
    expect(derivePhase(seen(observation))).toBe(phase);
  });
});

describe('regions removed from the config', () => {
  it('are never read as stranded: without a record or a workflow there is nothing to decide', () => {
    expect(removedRegionPhase({ serving: false, inFlight: undefined })).toBeUndefined();
    expect(removedRegionPhase({ serving: true, inFlight: undefined })).toBe('running');
  });
});
