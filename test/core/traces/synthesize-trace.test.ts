import { DEFAULT_SYNTHESIS, dailyShape, formatTraceCsv, parseTraceCsv, synthesizeTrace } from '../../../core/traces';

const options = { ...DEFAULT_SYNTHESIS, seed: 42, days: 2, regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] };

describe('synthesizeTrace', () => {
  it('gives the same trace for the same seed and a different one for another seed', () => {
    const a = formatTraceCsv(synthesizeTrace(options));
    expect(formatTraceCsv(synthesizeTrace(options))).toBe(a);
    expect(formatTraceCsv(synthesizeTrace({ ...options, seed: 43 }))).not.toBe(a);
  });

  it('writes a trace the strict parser reads back unchanged, gaps included', () => {
    const trace = synthesizeTrace({ ...options, gapsPerWeek: 7 });
    const back = parseTraceCsv(formatTraceCsv(trace));
    expect(back.minutes).toBe(2 * 24 * 60);
    expect(back.startMs).toBe(trace.startMs);
    for (const region of options.regions) {
      expect([...back.requests.get(region)!]).toEqual([...trace.requests.get(region)!]);
    }
    const missing = options.regions.reduce((n, r) => n + [...trace.requests.get(r)!].filter(Number.isNaN).length, 0);
    expect(missing).toBeGreaterThan(0);
  });

  it("puts each region's busiest hour in its own local evening", () => {
    // Tuesday and Wednesday UTC: weekdays in every region's local time too.
    const trace = synthesizeTrace({ ...options, startMs: Date.UTC(2026, 10, 3), flashCrowdsPerWeek: 0, gapsPerWeek: 0 });
    const busiestUtcHour = (region: string): number => {
      const byHour = new Array<number>(24).fill(0);
      trace.requests.get(region)!.forEach((v, minute) => (byHour[Math.floor(minute / 60) % 24]! += v));
      return byHour.indexOf(Math.max(...byHour));
    };
    // 20:30 local: Tokyo is UTC+9 (11:30 UTC), Dublin UTC+0 in November, New York UTC-5 (01:30 UTC).
    expect(busiestUtcHour('ap-northeast-1')).toBeGreaterThanOrEqual(10);
    expect(busiestUtcHour('ap-northeast-1')).toBeLessThanOrEqual(12);
    expect(busiestUtcHour('eu-west-1')).toBeGreaterThanOrEqual(19);
    expect(busiestUtcHour('eu-west-1')).toBeLessThanOrEqual(21);
    expect([0, 1, 2]).toContain(busiestUtcHour('us-east-1'));
  });

  it('adds flash crowds well above the normal daily peak', () => {
    const calm = synthesizeTrace({ ...options, flashCrowdsPerWeek: 0, gapsPerWeek: 0 });
    const crowded = synthesizeTrace({ ...options, flashCrowdsPerWeek: 14, gapsPerWeek: 0 });
    const ratio = Math.max(...options.regions.map((r) => Math.max(...crowded.requests.get(r)!) / Math.max(...calm.requests.get(r)!)));
    expect(ratio).toBeGreaterThan(1.5);
  });

  it('has a daily shape lowest before dawn and highest in the evening', () => {
    expect(dailyShape(4)).toBeCloseTo(0.12, 2);
    const hours = Array.from({ length: 24 * 4 }, (_, i) => i / 4);
    const busiest = hours.reduce((a, b) => (dailyShape(b) > dailyShape(a) ? b : a));
    expect(busiest).toBeGreaterThanOrEqual(18.5);
    expect(busiest).toBeLessThanOrEqual(21);
    expect(dailyShape(busiest)).toBeCloseTo(1, 2);
  });
});
