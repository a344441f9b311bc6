import { AccessLogSampler, withSampleRate } from '../../edge-agent/access-log-sampler';
import { logLine } from '../core/edge-metrics/log-lines';

/** mulberry32: a small seeded generator, so the statistical check is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const taken = (sampler: AccessLogSampler, n: number) => Array.from({ length: n }, () => sampler.take()).filter(Boolean).length;

describe('access-log sampling', () => {
  it('ships nothing at rate 0 and everything at rate 1, whatever the random numbers', () => {
    const extremes = [0, 0.5, 0.999999999];
    let i = 0;
    const random = () => extremes[i++ % extremes.length]!;
    expect(taken(new AccessLogSampler(0, random), 300)).toBe(0);
    expect(taken(new AccessLogSampler(1, random), 300)).toBe(300);
  });

  it('ships each line with the given probability: 0.01 of 200,000 lines is 2,000 within four standard deviations', () => {
    const n = 200_000;
    const rate = 0.01;
    const shipped = taken(new AccessLogSampler(rate, seeded(42)), n);
    const sd = Math.sqrt(n * rate * (1 - rate)); // ~44.5
    expect(Math.abs(shipped - n * rate)).toBeLessThan(4 * sd);
  });

  it('decides line by line, not every n-th line: gaps between shipped lines vary', () => {
    const sampler = new AccessLogSampler(0.1, seeded(7));
    const positions = Array.from({ length: 5000 }, (_, i) => (sampler.take() ? i : -1)).filter((i) => i >= 0);
    const gaps = new Set(positions.slice(1).map((p, i) => p - positions[i]!));
    expect(gaps.size).toBeGreaterThan(10);
  });

  it('refuses a rate outside 0 to 1', () => {
    expect(() => new AccessLogSampler(1.5)).toThrow(/from 0 to 1, got 1.5/);
  });

  it('ships the line as nginx wrote it, plus the sample rate as its last field', () => {
    const line = logLine();
    const shipped = withSampleRate(line, 0.01);
    expect(shipped).toBe(`${line.slice(0, -1)},"sampleRate":0.01}`);
    expect(JSON.parse(shipped)).toEqual({ ...JSON.parse(line), sampleRate: 0.01 });
    expect(JSON.parse(withSampleRate('{ }', 1))).toEqual({ sampleRate: 1 });
  });
});
