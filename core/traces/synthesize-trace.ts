/**
 * Synthetic demand traces shaped like web traffic, for tuning thresholds without real data:
 * a daily cycle by each region's local time (quiet before dawn, busiest in the evening), quieter
 * weekends, slow drift and minute-to-minute noise, flash crowds (a sudden multiple of normal
 * demand that fades over an hour or two) and gaps of missing data. Everything random comes from
 * one seeded PRNG, so a seed always gives the same trace.
 */
import { regionInfo } from '../regions';
import { utcOffsetMs } from '../time/local-time';
import { seededRandom } from './seeded-random';
import { MINUTE_MS, type Trace } from './trace';

export interface SynthesisOptions {
  readonly seed: number;
  readonly days: number;
  /** AWS region codes; the first is the biggest audience, each next one smaller. */
  readonly regions: readonly string[];
  /** Epoch ms of the first minute; a whole UTC minute. */
  readonly startMs: number;
  /** Peak requests per minute of the first region on a weekday evening, before noise and flash crowds. */
  readonly peakRequestsPerMinute: number;
  /** Expected flash crowds per week over all regions. */
  readonly flashCrowdsPerWeek: number;
  /** Expected gaps of missing data per week over all regions. */
  readonly gapsPerWeek: number;
}

export const DEFAULT_SYNTHESIS: Omit<SynthesisOptions, 'seed' | 'days' | 'regions'> = {
  startMs: Date.UTC(2026, 10, 2), // a Monday, so "day 6" is a Saturday as a reader expects
  peakRequestsPerMinute: 20_000,
  flashCrowdsPerWeek: 2,
  gapsPerWeek: 1,
};

const TROUGH_SHARE = 0.12; // demand at 04:00 local as a share of the evening peak
const WEEKEND_FACTOR = 0.75;

function rawDailyShape(localHour: number): number {
  const base = (1 - Math.cos((2 * Math.PI * (localHour - 4)) / 24)) / 2; // 0 at 04:00, 1 at 16:00
  const evening = Math.exp(-((localHour - 20.5) ** 2) / (2 * 1.5 ** 2)); // prime-time bump
  return 0.7 * base + 0.45 * evening;
}

const RAW_PEAK = Math.max(...Array.from({ length: 24 * 60 }, (_, minute) => rawDailyShape(minute / 60)));

/** Share of the daily peak at a local hour (0-24): lowest around 04:00, busy by day, highest near 20:30. */
export function dailyShape(localHour: number): number {
  return TROUGH_SHARE + (1 - TROUGH_SHARE) * (rawDailyShape(localHour) / RAW_PEAK);
}

/** Count of random events over `days` given an expected rate per week; at least one when the rate is positive. */
function eventCount(perWeek: number, days: number, uniform: () => number): number {
  const expected = (perWeek * days) / 7;
  if (expected <= 0) return 0;
  const whole = Math.floor(expected);
  return Math.max(1, whole + (uniform() < expected - whole ? 1 : 0));
}

export function synthesizeTrace(options: SynthesisOptions): Trace {
  const random = seededRandom(options.seed);
  const minutes = Math.round(options.days * 24 * 60);
  const requests = new Map<string, Float64Array>();

  options.regions.forEach((region, index) => {
    const timeZone = regionInfo(region).timeZone;
    // Each next region is roughly 25% smaller, with some seeded spread so regions differ.
    const peak = options.peakRequestsPerMinute * Math.pow(0.75, index) * random.between(0.85, 1.15);
    const series = new Float64Array(minutes);
    let drift = 0;
    let offset = 0;
    for (let minute = 0; minute < minutes; minute++) {
      const epochMs = options.startMs + minute * MINUTE_MS;
      // The offset only changes at DST switches, always on a whole hour of UTC; asking Intl once an hour is plenty.
      if (minute === 0 || epochMs % 3_600_000 === 0) offset = utcOffsetMs(timeZone, epochMs) / 60_000;
      const local = new Date(epochMs + offset * MINUTE_MS);
      const localHour = local.getUTCHours() + local.getUTCMinutes() / 60;
      const weekday = local.getUTCDay();
      const week = weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1;
      drift = 0.995 * drift + 0.005 * random.normal(); // slow wander: about 5% either way over hours
      const noise = Math.exp(drift + 0.04 * random.normal());
      series[minute] = peak * dailyShape(localHour) * week * noise;
    }
    requests.set(region, series);
  });

  if (options.regions.length > 0 && minutes > 0) {
    addFlashCrowds(options, requests, minutes, random);
    addGaps(options, requests, minutes, random);
  }
  for (const series of requests.values()) {
    for (let minute = 0; minute < minutes; minute++) series[minute] = Math.round(series[minute]!);
  }
  return { startMs: options.startMs, minutes, regions: [...options.regions], requests };
}

function pick<T>(items: readonly T[], random: ReturnType<typeof seededRandom>): T {
  return items[random.integer(0, items.length - 1)]!;
}

/** A crowd arrives within minutes (a link going viral) and fades out exponentially. */
function addFlashCrowds(
  options: SynthesisOptions,
  requests: Map<string, Float64Array>,
  minutes: number,
  random: ReturnType<typeof seededRandom>,
) {
  const count = eventCount(options.flashCrowdsPerWeek, options.days, random.next);
  for (let i = 0; i < count; i++) {
    const series = requests.get(pick(options.regions, random))!;
    const start = random.integer(0, minutes - 1);
    const rampMinutes = random.integer(3, 15);
    const fadeMinutes = random.integer(30, 120);
    const multiple = random.between(3, 8);
    const level = series[start]!;
    for (let minute = start; minute < Math.min(minutes, start + rampMinutes + 5 * fadeMinutes); minute++) {
      const since = minute - start;
      const envelope = since < rampMinutes ? since / rampMinutes : Math.exp(-(since - rampMinutes) / fadeMinutes);
      series[minute] = series[minute]! + level * (multiple - 1) * envelope;
    }
  }
}

function addGaps(options: SynthesisOptions, requests: Map<string, Float64Array>, minutes: number, random: ReturnType<typeof seededRandom>) {
  const count = eventCount(options.gapsPerWeek, options.days, random.next);
  for (let i = 0; i < count; i++) {
    const series = requests.get(pick(options.regions, random))!;
    const start = random.integer(0, minutes - 1);
    series.fill(NaN, start, Math.min(minutes, start + random.integer(5, 40)));
  }
}
