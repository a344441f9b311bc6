import { latestDemand, periodsAtOrAbove, periodsBelow, streakEnd } from '../../../core/autoscaler/consecutive';

describe('demand streaks', () => {
  it('counts periods at or above a threshold back from the latest, stopping at the first that is below', () => {
    expect(periodsAtOrAbove([5000, 100, 3000, 4000], 3000, 10)).toBe(2);
  });

  it('counts a period exactly at the scale-up threshold as hot', () => {
    expect(periodsAtOrAbove([3000], 3000, 10)).toBe(1);
  });

  it('counts a period exactly at the scale-down threshold as not quiet', () => {
    expect(periodsBelow([1500], 1500, 10)).toBe(0);
  });

  it('ends a streak at a missing period, so missing data never extends one', () => {
    expect(periodsBelow([0, 0, null, 0, 0], 1500, 10)).toBe(2);
    expect(streakEnd([0, 0, null, 0, 0], 2)).toBe('missing');
  });

  it('stops counting at the limit', () => {
    expect(periodsBelow([0, 0, 0, 0, 0], 1500, 3)).toBe(3);
  });

  it('says why a streak ended: a period on the other side, or the start of the data', () => {
    expect(streakEnd([9000, 0, 0], 2)).toBe('value');
    expect(streakEnd([0, 0], 2)).toBe('no-more-data');
    expect(streakEnd([], 0)).toBe('no-more-data');
  });

  it('reads the latest period, or null when it is missing or there is no data', () => {
    expect(latestDemand([1, 2, 3])).toBe(3);
    expect(latestDemand([1, null])).toBeNull();
    expect(latestDemand([])).toBeNull();
  });
});
