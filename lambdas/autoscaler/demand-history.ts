/**
 * Demand datapoints already read, kept between warm invocations of the autoscaler, so that a
 * tick asks CloudWatch only for the periods it has not seen. With forecasting on, the engine reads
 * a week of one-minute periods per region (about 10,000 datapoints each): reading it whole every
 * minute would take several GetMetricData pages per tick, while the incremental read is one call
 * of a few datapoints per region. A cold container reads the whole window once.
 */
import type { DemandDatapoints, DemandWindow } from '../../core/demand/demand-queries';

interface HeldRegion {
  /** What was asked (queries and period); a different question starts over. */
  readonly key: string;
  /** The range held: [from, to). */
  from: number;
  to: number;
  readonly points: Map<string, Map<number, number>>;
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
    for (const points of held.points.values()) {
      for (const timestamp of [...points.keys()]) if (timestamp < window.start || timestamp >= range.start) points.delete(timestamp);
    }
    for (const [id, { timestamps, values }] of read) {
      const points = held.points.get(id) ?? new Map<number, number>();
      timestamps.forEach((timestamp, i) => {
        const value = values[i];
        if (value !== undefined && timestamp >= range.start && timestamp < range.end) points.set(timestamp, value);
      });
      held.points.set(id, points);
    }
    held.from = window.start;
    held.to = range.end;
  }

  /** Everything held for this metrics region inside `window`, in the shape a fresh read has. */
  datapoints(metricsRegion: string, window: DemandWindow): Map<string, DemandDatapoints> {
    const out = new Map<string, DemandDatapoints>();
    for (const [id, points] of this.held.get(metricsRegion)?.points ?? []) {
      const inside = [...points].filter(([t]) => t >= window.start && t < window.end).sort(([a], [b]) => a - b);
      out.set(id, { timestamps: inside.map(([t]) => t), values: inside.map(([, v]) => v) });
    }
    return out;
  }
}
