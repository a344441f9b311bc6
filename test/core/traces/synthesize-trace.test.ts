import { createHash } from 'node:crypto';
import {
  bimodalDailyShape,
  DEFAULT_SYNTHESIS,
  dailyShape,
  formatTraceCsv,
  parseTraceCsv,
  synthesizeTrace,
  type Trace,
} from '../../../core/traces';

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

  describe('optional shapes for traces the engine was not tuned on', () => {
    const week = { ...DEFAULT_SYNTHESIS, seed: 5, days: 7, regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1'] };
    const calm = { ...week, flashCrowdsPerWeek: 0, gapsPerWeek: 0 };
    const values = (trace: Trace, region: string) => [...trace.requests.get(region)!];

    it('leaves a trace without shapes exactly as it was before they existed', () => {
      const trace = synthesizeTrace({ ...DEFAULT_SYNTHESIS, seed: 1, days: 3, regions: week.regions });
      expect(createHash('sha256').update(formatTraceCsv(trace)).digest('hex')).toBe(
        '035e8df983d4230cfe58bb83210f25c26cda43223807e38bf030637794dc2a7a',
      );
      expect(formatTraceCsv(synthesizeTrace({ ...week, shapes: {} }))).toBe(formatTraceCsv(synthesizeTrace(week)));
    });

    it('gives a bimodal region two peaks with a lull between, and leaves the other regions as they were', () => {
      expect(bimodalDailyShape(11)).toBeGreaterThan(0.8);
      expect(bimodalDailyShape(20.5)).toBeCloseTo(1, 1);
      expect(bimodalDailyShape(15.5)).toBeLessThan(0.6);
      const plain = synthesizeTrace(calm);
      const shaped = synthesizeTrace({ ...calm, shapes: { bimodalRegions: ['eu-west-1'] } });
      expect(values(shaped, 'ap-northeast-1')).toEqual(values(plain, 'ap-northeast-1'));
      // Dublin is on UTC in November: 11:00 and 20:30 are busier than 15:30 on the Tuesday.
      const at = (hour: number) => shaped.requests.get('eu-west-1')![1440 + hour * 60]!;
      expect(at(11)).toBeGreaterThan(1.3 * at(15.5));
      expect(at(20.5)).toBeGreaterThan(1.3 * at(15.5));
    });

    it('adds multi-day events that hold demand well above normal for a day or more', () => {
      const plain = synthesizeTrace(calm);
      const shaped = synthesizeTrace({ ...calm, shapes: { eventsPerWeek: 2 } });
      const elevated = week.regions.map(
        (region) => values(shaped, region).filter((v, minute) => v >= 1.4 * plain.requests.get(region)![minute]!).length,
      );
      expect(Math.max(...elevated)).toBeGreaterThanOrEqual(1440);
    });

    it('keeps a hovering region just below its level, with short bursts above it', () => {
      const shaped = synthesizeTrace({
        ...calm,
        shapes: { hoveringRegions: ['sa-east-1'], hoverRequestsPerMinute: 3000, hoverBurstsPerDay: 3 },
      });
      const series = values(shaped, 'sa-east-1');
      const above = series.filter((v) => v >= 3000).length;
      expect(above).toBeGreaterThan(7 * 3 * 5 * 0.3);
      expect(above).toBeLessThan(series.length * 0.1);
      expect(Math.min(...series)).toBeGreaterThan(3000 * 0.6);
      expect(() => synthesizeTrace({ ...calm, shapes: { hoveringRegions: ['sa-east-1'] } })).toThrow(/shapes\.hoverRequestsPerMinute/);
    });

    it('adds isolated one-minute spikes, each many times the minutes around it', () => {
      const shaped = synthesizeTrace({ ...calm, shapes: { spikesPerDay: 4 } });
      for (const region of week.regions) {
        const series = values(shaped, region);
        const spikes = series.filter((v, m) => m > 0 && m < series.length - 1 && v > 5 * series[m - 1]! && v > 5 * series[m + 1]!).length;
        expect(spikes).toBeGreaterThanOrEqual(20);
        expect(spikes).toBeLessThanOrEqual(36);
      }
    });

    it('blanks whole days of one region at a time, no two the same', () => {
      const shaped = synthesizeTrace({ ...calm, shapes: { missingDays: 3 } });
      let blankDays = 0;
      for (const region of week.regions) {
        const series = values(shaped, region);
        for (let day = 0; day < 7; day++) if (series.slice(day * 1440, (day + 1) * 1440).every(Number.isNaN)) blankDays++;
        expect(series.filter(Number.isNaN).length % 1440).toBe(0);
      }
      expect(blankDays).toBe(3);
    });
  });
});
