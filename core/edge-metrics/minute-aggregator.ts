/**
 * Per-minute counters of the requests an edge served, keyed by (minute, the region the viewer is
 * attributed to). Requests are added as they are logged; `flush` hands back the minutes that are
 * complete as plain records and forgets them, so memory holds only the minutes still open
 * however long the edge runs. A request for a minute already flushed is counted as late, never
 * added to a record that has left (it would be counted twice, or not at all, downstream).
 *
 * What counts as what (config/workload/README.md says the same for operators):
 * - hits: HIT, STALE, UPDATING, REVALIDATED: the body came from the cache (STALE and UPDATING
 *   serve a stored copy; REVALIDATED is a copy the origin confirmed with a 304). misses: MISS and
 *   EXPIRED (the origin's body). BYPASS (cache.bypassPathPrefixes) and requests the cache had no
 *   part in (a redirect) are neither, and stay out of the hit ratio.
 * - origin requests: the origin hop was asked. origin errors: a try answered 5xx or not at all
 *   (the hop's 502/504 stand for a refused, failed or timed-out origin); a stale copy served over
 *   a failed refresh is a hit and an origin error.
 * - origin latency: the hop's response times of a request, summed over its tries.
 */
import type { EdgeRequest } from './access-log-line';
import { emptyHistogram, record, type LatencyHistogram } from './latency-histogram';

export const UNATTRIBUTED = 'unattributed';
const MINUTE_MS = 60_000;

/** The region nearest the viewer at `address`, or undefined when it cannot say. */
export type AttributeViewer = (address: string) => string | undefined;

export interface MinuteCounters {
  requests: number;
  bytesSent: number;
  cacheHits: number;
  cacheMisses: number;
  cacheBypasses: number;
  /** Requests the cache had no part in (redirects, errors nginx answered itself). */
  notCached: number;
  status1xx: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  originRequests: number;
  originErrors: number;
  originLatency: LatencyHistogram;
}

/** One (minute, region)'s counters, as `flush` returns them. */
export interface MinuteRecord extends MinuteCounters {
  /** The minute's start, milliseconds since the epoch (a multiple of 60 000). */
  readonly minuteStartMs: number;
  /** A configured region, or UNATTRIBUTED. */
  readonly region: string;
}

export interface Flushed {
  readonly records: MinuteRecord[];
  /** Requests since the previous flush whose minute had already been flushed: not in any record. */
  readonly lateRequests: number;
}

const HITS = new Set(['HIT', 'STALE', 'UPDATING', 'REVALIDATED']);
const MISSES = new Set(['MISS', 'EXPIRED']);
const STATUS_CLASS = ['status1xx', 'status2xx', 'status3xx', 'status4xx', 'status5xx'] as const;

function emptyCounters(): MinuteCounters {
  return {
    requests: 0,
    bytesSent: 0,
    cacheHits: 0,
    cacheMisses: 0,
    cacheBypasses: 0,
    notCached: 0,
    status1xx: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    originRequests: 0,
    originErrors: 0,
    originLatency: emptyHistogram(),
  };
}

export function minuteStart(timeMs: number): number {
  return Math.floor(timeMs / MINUTE_MS) * MINUTE_MS;
}

export class MinuteAggregator {
  /** minute start → region → counters: only minutes not flushed yet. */
  private readonly open = new Map<number, Map<string, MinuteCounters>>();
  /** Every minute starting before this has been flushed. */
  private flushedBefore = -Infinity;
  private late = 0;

  constructor(private readonly attribute: AttributeViewer) {}

  add(request: EdgeRequest): void {
    const minute = minuteStart(request.timeMs);
    if (minute < this.flushedBefore) {
      this.late++;
      return;
    }
    let regions = this.open.get(minute);
    if (!regions) this.open.set(minute, (regions = new Map()));
    const region = this.attribute(request.viewer) ?? UNATTRIBUTED;
    let counters = regions.get(region);
    if (!counters) regions.set(region, (counters = emptyCounters()));
    count(counters, request);
  }

  /**
   * The records of every minute that starts before `upToMs` (all of it when `upToMs` is a minute
   * boundary; a later time is rounded down to one), oldest first, then forgotten. Pass the
   * current minute's start less the lateness to wait for: nginx logs a request when it ends.
   */
  flush(upToMs: number): Flushed {
    const boundary = minuteStart(upToMs);
    const records: MinuteRecord[] = [];
    for (const minute of [...this.open.keys()].sort((a, b) => a - b)) {
      if (minute >= boundary) break;
      for (const [region, counters] of this.open.get(minute)!) records.push({ minuteStartMs: minute, region, ...counters });
      this.open.delete(minute);
    }
    this.flushedBefore = Math.max(this.flushedBefore, boundary);
    const lateRequests = this.late;
    this.late = 0;
    return { records, lateRequests };
  }

  /** How many (minute, region) counter sets are held: bounded by open minutes × regions. */
  get openEntries(): number {
    let n = 0;
    for (const regions of this.open.values()) n += regions.size;
    return n;
  }
}

function count(counters: MinuteCounters, request: EdgeRequest): void {
  counters.requests++;
  counters.bytesSent += request.bytesSent;
  const cache = request.cacheStatus;
  if (cache === undefined) counters.notCached++;
  else if (HITS.has(cache)) counters.cacheHits++;
  else if (MISSES.has(cache)) counters.cacheMisses++;
  else counters.cacheBypasses++;
  counters[STATUS_CLASS[Math.floor(request.status / 100) - 1]!]++;
  if (request.upstream.length === 0) return;
  counters.originRequests++;
  if (request.upstream.some((attempt) => attempt.status === undefined || attempt.status >= 500)) counters.originErrors++;
  const timed = request.upstream.filter((attempt) => attempt.ms !== undefined);
  if (timed.length > 0)
    record(
      counters.originLatency,
      timed.reduce((sum, attempt) => sum + attempt.ms!, 0),
    );
}
