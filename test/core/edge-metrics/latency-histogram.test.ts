import { bucketIndex, emptyHistogram, LATENCY_BUCKET_BOUNDS_MS, mergeInto, quantileMs, record } from '../../../core/edge-metrics';

describe('the origin latency histogram', () => {
  it('puts a value in the first bucket whose bound is at or above it, and above every bound in the last', () => {
    expect([bucketIndex(0), bucketIndex(1), bucketIndex(1.5), bucketIndex(2), bucketIndex(60000), bucketIndex(60001)]).toEqual([
      0,
      0,
      1,
      1,
      LATENCY_BUCKET_BOUNDS_MS.length - 1,
      LATENCY_BUCKET_BOUNDS_MS.length,
    ]);
  });

  it('has bounds that increase by at most twice the one before, few enough for one PutMetricData Values list', () => {
    LATENCY_BUCKET_BOUNDS_MS.slice(1).forEach((bound, i) => {
      expect(bound).toBeGreaterThan(LATENCY_BUCKET_BOUNDS_MS[i]!);
      expect(bound).toBeLessThanOrEqual(2 * LATENCY_BUCKET_BOUNDS_MS[i]!);
    });
    expect(LATENCY_BUCKET_BOUNDS_MS.length + 1).toBeLessThanOrEqual(150);
  });

  it('keeps the sum and count beside the buckets', () => {
    const histogram = emptyHistogram();
    [3, 40, 250].forEach((ms) => record(histogram, ms));
    expect([histogram.sumMs, histogram.count]).toEqual([293, 3]);
  });

  it('reads p50 and p95 within the bucket they fall in', () => {
    const histogram = emptyHistogram();
    for (let i = 0; i < 90; i++) record(histogram, 8); // bucket (7.5, 10]
    for (let i = 0; i < 10; i++) record(histogram, 400); // bucket (300, 500]
    expect(quantileMs(histogram, 0.5)).toBeGreaterThan(7.5);
    expect(quantileMs(histogram, 0.5)).toBeLessThanOrEqual(10);
    expect(quantileMs(histogram, 0.95)).toBeGreaterThan(300);
    expect(quantileMs(histogram, 0.95)).toBeLessThanOrEqual(500);
    expect(quantileMs(emptyHistogram(), 0.5)).toBeUndefined();
    expect(() => quantileMs(histogram, 95)).toThrow('quantile must be in (0, 1], got 95');
  });

  it('answers "at least the last bound" for a quantile in the open top bucket', () => {
    const histogram = emptyHistogram();
    record(histogram, 120_000);
    expect(quantileMs(histogram, 0.95)).toBe(60_000);
  });

  it('merges two pods’ minutes into the histogram of all their requests', () => {
    const [a, b, all] = [emptyHistogram(), emptyHistogram(), emptyHistogram()];
    [1, 20, 300].forEach((ms) => (record(a, ms), record(all, ms)));
    [5, 5000].forEach((ms) => (record(b, ms), record(all, ms)));
    mergeInto(a, b);
    expect(a).toEqual(all);
  });
});
