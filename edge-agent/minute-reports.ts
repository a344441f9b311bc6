/**
 * Turns the aggregator's records into one report per minute, every minute, once: a minute in
 * which nothing was served still gets a report (all zeros), since an edge that publishes nothing
 * looks stopped. A minute is reported once it has ended and `graceMs` more have passed (nginx logs
 * a request when it ends, so a minute's last requests arrive a little after it); a request for a
 * minute already reported is late and counted, not added.
 */
import type { EdgeRequest } from '../core/edge-metrics/access-log-line';
import { minuteStart, type MinuteAggregator, type MinuteRecord } from '../core/edge-metrics/minute-aggregator';

const MINUTE_MS = 60_000;
/** Minutes reported at most when the clock leaps forward (a suspended node): older ones would be dropped from the backlog anyway. */
const MAX_CATCH_UP_MINUTES = 10;

export interface MinuteReport {
  /** The minute's start, milliseconds since the epoch. */
  readonly minuteStartMs: number;
  /** One per viewer region that had requests in the minute (none when idle). */
  readonly records: readonly MinuteRecord[];
  /** Datagrams received in the minute that held no readable access-log line. */
  readonly unreadableLines: number;
}

export interface DueReports {
  readonly reports: MinuteReport[];
  /** Requests since the last call whose minute had already been reported. */
  readonly lateRequests: number;
}

export class MinuteReports {
  /** The first minute not reported yet. */
  private next: number;
  /** Unreadable lines by the minute they arrived in. */
  private readonly unreadable = new Map<number, number>();

  constructor(
    private readonly aggregator: MinuteAggregator,
    startMs: number,
  ) {
    this.next = minuteStart(startMs);
  }

  add(request: EdgeRequest): void {
    this.aggregator.add(request);
  }

  unreadableLine(atMs: number): void {
    const minute = Math.max(minuteStart(atMs), this.next);
    this.unreadable.set(minute, (this.unreadable.get(minute) ?? 0) + 1);
  }

  /** The reports of every minute that ended at least `graceMs` before `nowMs` and was not reported yet, oldest first. */
  due(nowMs: number, graceMs: number): DueReports {
    return this.upTo(minuteStart(nowMs - graceMs));
  }

  /** Every minute up to and including the one `nowMs` is in: for a stop, when no later report will come. */
  all(nowMs: number): DueReports {
    return this.upTo(minuteStart(nowMs) + MINUTE_MS);
  }

  private upTo(boundary: number): DueReports {
    const { records, lateRequests } = this.aggregator.flush(boundary);
    const byMinute = new Map<number, MinuteRecord[]>();
    for (const record of records) {
      const list = byMinute.get(record.minuteStartMs);
      if (list) list.push(record);
      else byMinute.set(record.minuteStartMs, [record]);
    }
    const minutes = new Set(byMinute.keys());
    for (let minute = Math.max(this.next, boundary - MAX_CATCH_UP_MINUTES * MINUTE_MS); minute < boundary; minute += MINUTE_MS) {
      minutes.add(minute);
    }
    for (const minute of this.unreadable.keys()) if (minute < boundary) minutes.add(minute);
    const reports = [...minutes]
      .sort((a, b) => a - b)
      .map((minute) => {
        const unreadableLines = this.unreadable.get(minute) ?? 0;
        this.unreadable.delete(minute);
        return { minuteStartMs: minute, records: byMinute.get(minute) ?? [], unreadableLines };
      });
    this.next = Math.max(this.next, boundary);
    return { reports, lateRequests };
  }
}
