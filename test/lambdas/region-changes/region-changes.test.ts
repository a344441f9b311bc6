import { compareRegionLists, regionChangeSummary } from '../../../lambdas/region-changes/region-changes';

const before = { alwaysOn: ['us-east-1', 'eu-west-1'], scalable: ['ap-northeast-1', 'sa-east-1', 'eu-central-1'] };

describe('what a deploy changes in the region lists', () => {
  it('tells removed, added and moved regions apart', () => {
    const after = { alwaysOn: ['us-east-1', 'ap-northeast-1', 'us-west-2'], scalable: ['eu-west-1', 'ap-south-1', 'eu-central-1'] };
    expect(compareRegionLists(before, after)).toEqual({
      removed: ['sa-east-1'],
      addedAlwaysOn: ['us-west-2'],
      addedScalable: ['ap-south-1'],
      movedToAlwaysOn: ['ap-northeast-1'],
      movedToScalable: ['eu-west-1'],
    });
  });

  it('names the regions the deploy stops, and what happens to the others', () => {
    const after = { alwaysOn: ['us-east-1', 'eu-west-1'], scalable: ['ap-northeast-1', 'us-west-2'] };
    expect(regionChangeSummary(before, after)).toBe(
      'Removed: eu-central-1, sa-east-1. The deploy starts StopRegion for each: drained (DNS record first) and torn down, warm standby included. ' +
        'Added to scalable: us-west-2. They start when their demand calls for it.',
    );
  });

  it('says so when no list changed, whatever the order', () => {
    expect(regionChangeSummary(before, { alwaysOn: ['eu-west-1', 'us-east-1'], scalable: [...before.scalable].reverse() })).toBe(
      'No region list changed.',
    );
  });
});
