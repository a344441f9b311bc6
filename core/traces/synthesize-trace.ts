/**
 * Synthetic demand traces shaped like web traffic, for tuning thresholds without real data:
 * a daily cycle by each region's local time (quiet before dawn, busiest in the evening), quieter
 * weekends, slow drift and minute-to-minute noise, flash crowds (a sudden multiple of normal
 * demand that fades over an hour or two) and gaps of missing data. Optional shapes (`shapes`)
 * make traces the decision engine was not tuned on: days with two peaks, multi-day events, regions
 * hovering at a threshold with short hot bursts, isolated one-minute spikes, whole missing days.
 * Everything random comes from seeded PRNGs (the shapes from a second one, so that a trace without
 * them is exactly what it was before they existed), so a seed always gives the same trace.
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
  /** Extra shapes, each off when absent. */
  readonly shapes?: SynthesisShapes;
}

export interface SynthesisShapes {
  /** Regions whose day has two peaks, late morning and evening, with a lull between, instead of one. */
  readonly bimodalRegions?: readonly string[];
  /** Expected multi-day events per week over all regions: demand 1.5 to 3 times normal for 1 to 3 days, eased in and out over an hour. */
  readonly eventsPerWeek?: number;
  /**
   * Regions whose demand hovers just below `hoverRequestsPerMinute` all day (72-94% of it, by the
   * hour), with `hoverBurstsPerDay` short bursts (5 to 30 minutes at 1.15 to 1.6 times it) above.
   */
  readonly hoveringRegions?: readonly string[];
  readonly hoverRequestsPerMinute?: number;
  /** Expected bursts per hovering region per day (default 3). */
  readonly hoverBurstsPerDay?: number;
  /** Expected isolated one-minute spikes per region per day, each 10 to 45 times the demand then. */
  readonly spikesPerDay?: number;
  /** Whole days of the trace (from its first minute) with no data, each in a random region, no two the same. */
  readonly missingDays?: number;
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

function rawBimodalShape(localHour: number): number {
  const morning = Math.exp(-((localHour - 11) ** 2) / (2 * 1.6 ** 2));
  const evening = Math.exp(-((localHour - 20.5) ** 2) / (2 * 1.5 ** 2));
  return 0.85 * morning + evening;
}

const RAW_BIMODAL_PEAK = Math.max(...Array.from({ length: 24 * 60 }, (_, minute) => rawBimodalShape(minute / 60)));

/** Share of the daily peak for a two-peak day: a late-morning peak near 11:00, a lull, the evening peak near 20:30, quiet at night. */
export function bimodalDailyShape(localHour: number): number {
  return TROUGH_SHARE + (1 - TROUGH_SHARE) * (rawBimodalShape(localHour) / RAW_BIMODAL_PEAK);
}

/** Share of the hover level at a local hour: 72% at night to 94% at the evening peak. */
function hoverShape(localHour: number): number {
  return 0.72 + 0.22 * ((dailyShape(localHour) - TROUGH_SHARE) / (1 - TROUGH_SHARE));
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
  const shapes = options.shapes ?? {};
  const bimodal = new Set(shapes.bimodalRegions ?? []);
  const hovering = new Set(shapes.hoveringRegions ?? []);
  const hoverLevel = shapes.hoverRequestsPerMinute ?? 0;
  if (hovering.size > 0 && !(hoverLevel > 0))
    throw new Error('shapes.hoverRequestsPerMinute: expected a positive number of requests per minute for hovering regions');

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
      // Every random draw above happens whatever the shape, so the other regions stay exactly as they were.
      if (hovering.has(region)) series[minute] = hoverLevel * hoverShape(localHour) * noise;
      else series[minute] = peak * (bimodal.has(region) ? bimodalDailyShape(localHour) : dailyShape(localHour)) * week * noise;
    }
    requests.set(region, series);
  });

  if (options.regions.length > 0 && minutes > 0) {
    addFlashCrowds(options, requests, minutes, random);
    addGaps(options, requests, minutes, random);
    if (options.shapes) addShapes(options, options.shapes, requests, minutes, [...hovering], hoverLevel);
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

/** The optional shapes, drawn from their own PRNG so that leaving them out changes nothing else. */
function addShapes(
  options: SynthesisOptions,
  shapes: SynthesisShapes,
  requests: Map<string, Float64Array>,
  minutes: number,
  hovering: readonly string[],
  hoverLevel: number,
) {
  const random = seededRandom((options.seed ^ 0x5eed5eed) >>> 0);
  const days = minutes / 1440;

  // Multi-day events: a conference, a sale, a sports final; eased in and out so they are not flash crowds.
  const events = shapes.eventsPerWeek ? eventCount(shapes.eventsPerWeek, days, random.next) : 0;
  for (let i = 0; i < events; i++) {
    const series = requests.get(pick(options.regions, random))!;
    const start = random.integer(0, minutes - 1);
    const length = random.integer(1, 3) * 1440;
    const multiple = random.between(1.5, 3);
    for (let minute = start; minute < Math.min(minutes, start + length); minute++) {
      const ease = Math.min(1, (minute - start) / 60, (start + length - minute) / 60);
      series[minute] = series[minute]! * (1 + (multiple - 1) * ease);
    }
  }

  // Short hot bursts over a hovering region's level.
  for (const region of hovering) {
    const series = requests.get(region)!;
    const bursts = eventCount((shapes.hoverBurstsPerDay ?? 3) * 7, days, random.next);
    for (let i = 0; i < bursts; i++) {
      const start = random.integer(0, minutes - 1);
      const length = random.integer(5, 30);
      const level = hoverLevel * random.between(1.15, 1.6);
      for (let minute = start; minute < Math.min(minutes, start + length); minute++) {
        if (!Number.isNaN(series[minute]!)) series[minute] = level * (series[minute]! / (hoverLevel * 0.83));
      }
    }
  }

  // Isolated one-minute spikes: a crawler, a retry storm, a bad client.
  if (shapes.spikesPerDay) {
    for (const region of options.regions) {
      const series = requests.get(region)!;
      const spikes = eventCount(shapes.spikesPerDay * 7, days, random.next);
      for (let i = 0; i < spikes; i++) {
        const minute = random.integer(0, minutes - 1);
        series[minute] = series[minute]! * random.between(10, 45);
      }
    }
  }

  // Whole missing days: an exporter down for a day, a region's metrics lost.
  const wholeDays = Math.floor(days);
  const slots = options.regions.length * wholeDays;
  const missing = Math.min(shapes.missingDays ?? 0, slots);
  const taken = new Set<number>();
  while (taken.size < missing) {
    const slot = random.integer(0, slots - 1);
    if (taken.has(slot)) continue;
    taken.add(slot);
    const series = requests.get(options.regions[slot % options.regions.length]!)!;
    const day = Math.floor(slot / options.regions.length);
    series.fill(NaN, day * 1440, (day + 1) * 1440);
  }
}
