/**
 * Demand datapoints already read, kept between warm invocations of the autoscaler, so that a
 * tick asks CloudWatch only for the periods it has not seen. With forecasting on, the engine reads
 * a week of one-minute periods per region (about 10,000 datapoints each): reading it whole every
 * minute would take several GetMetricData pages per tick, while the incremental read is one call
 * of a few datapoints per region. A cold container reads the whole window once.
 *
 * Each query's datapoints are held as two parallel arrays sorted by timestamp, not as a map: a
 * warm tick then only trims the oldest few and the re-read tail and appends what it read, and
 * hands them out without sorting a week of datapoints again (which, for 30 regions, took longer
 * than the rest of the tick together).
 */
import type { DemandDatapoints, DemandWindow } from '../../core/demand/demand-queries';

/** One query's datapoints: timestamps strictly ascending, values[i] read for timestamps[i]. */
interface HeldSeries {
  timestamps: number[];
  values: number[];
}

interface HeldRegion {
  /** What was asked (queries and period); a different question starts over. */
  readonly key: string;
  /** The range held: [from, to). */
  from: number;
  to: number;
  readonly points: Map<string, HeldSeries>;
}

export interface ReadRange {
  readonly start: number;
  readonly end: number;
}

export class DemandHistory {
  private readonly held = new Map<string, HeldRegion>();

  /**
   * @param rereadPeriods the latest periods read again each tick, in case a datapoint arrived
   * after it was first read (the producer's delivery can lag beyond config.demand.lagSeconds).
   */
  constructor(private readonly rereadPeriods = 5) {}

  /** What to ask this metrics region for to cover `window`. */
  rangeToRead(metricsRegion: string, key: string, window: DemandWindow): ReadRange {
    const held = this.held.get(metricsRegion);
    const periodMs = window.periodSeconds * 1000;
    if (!held || held.key !== key || held.from > window.start || held.to < window.start || held.to > window.end) {
      return { start: window.start, end: window.end };
    }
    return { start: Math.max(window.start, held.to - this.rereadPeriods * periodMs), end: window.end };
  }

  /** Records what a successful read of `range` returned, replacing what was held there, and forgets what fell out of `window`. */
  store(metricsRegion: string, key: string, window: DemandWindow, range: ReadRange, read: ReadonlyMap<string, DemandDatapoints>): void {
    let held = this.held.get(metricsRegion);
    if (!held || held.key !== key || range.start === window.start) {
      held = { key, from: window.start, to: window.start, points: new Map() };
      this.held.set(metricsRegion, held);
    }
    // Keep only [window.start, range.start): older periods left the window, later ones were read again.
    for (const series of held.points.values()) {
      const keepFrom = firstAtOrAfter(series.timestamps, window.start);
      const keepTo = Math.max(keepFrom, firstAtOrAfter(series.timestamps, range.start));
      series.timestamps.length = keepTo;
      series.values.length = keepTo;
      if (keepFrom > 0) {
        series.timestamps.splice(0, keepFrom);
        series.values.splice(0, keepFrom);
      }
    }
    // Everything held now lies before range.start and everything added at or after it, so appending keeps the order.
    for (const [id, datapoints] of read) {
      let series = held.points.get(id);
      if (!series) {
        series = { timestamps: [], values: [] };
        held.points.set(id, series);
      }
      appendInRange(series, datapoints, range);
    }
    held.from = window.start;
    held.to = range.end;
  }

  /** Everything held for this metrics region inside `window`, in the shape a fresh read has (sorted by timestamp). */
  datapoints(metricsRegion: string, window: DemandWindow): Map<string, DemandDatapoints> {
    const out = new Map<string, DemandDatapoints>();
    for (const [id, { timestamps, values }] of this.held.get(metricsRegion)?.points ?? []) {
      const from = firstAtOrAfter(timestamps, window.start);
      const to = Math.max(from, firstAtOrAfter(timestamps, window.end));
      out.set(id, { timestamps: timestamps.slice(from, to), values: values.slice(from, to) });
    }
    return out;
  }
}

/** Index of the first timestamp at or after `time` in an ascending array (its length when none is). */
function firstAtOrAfter(timestamps: readonly number[], time: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timestamps[middle]! < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Appends the read datapoints inside `range` that have a value, in timestamp order; of two with
 * the same timestamp the later one in the answer wins. CloudWatch answers in ascending order
 * (ScanBy TimestampAscending), which is copied straight; any other order is sorted first.
 */
function appendInRange(series: HeldSeries, read: DemandDatapoints, range: ReadRange): void {
  const { timestamps, values } = read;
  let ascending = true;
  let last = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const timestamp = timestamps[i]!;
    if (values[i] === undefined || timestamp < range.start || timestamp >= range.end) continue;
    if (timestamp <= last) {
      ascending = false;
      break;
    }
    last = timestamp;
  }
  if (ascending) {
    for (let i = 0; i < timestamps.length; i++) {
      const timestamp = timestamps[i]!;
      const value = values[i];
      if (value === undefined || timestamp < range.start || timestamp >= range.end) continue;
      series.timestamps.push(timestamp);
      series.values.push(value);
    }
    return;
  }
  const byTime = new Map<number, number>();
  for (let i = 0; i < timestamps.length; i++) {
    const timestamp = timestamps[i]!;
    const value = values[i];
    if (value !== undefined && timestamp >= range.start && timestamp < range.end) byTime.set(timestamp, value);
  }
  for (const timestamp of [...byTime.keys()].sort((a, b) => a - b)) {
    series.timestamps.push(timestamp);
    series.values.push(byTime.get(timestamp)!);
  }
}
