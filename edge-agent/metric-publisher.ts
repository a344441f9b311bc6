/**
 * Sends each minute's datums to CloudWatch, keeping what could not be sent for a later try: the
 * SDK's own retries cover a blip, this covers minutes of trouble (throttling, an outage,
 * credentials not there yet). The backlog is bounded: beyond `maxBacklogMinutes` the oldest
 * minutes are dropped, and said so in the log, so an agent that cannot reach AWS does not grow
 * without end. A request AWS refuses for its content is dropped at once (it can never succeed).
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { errorText, isRefusedRequest } from './aws-errors';
import { RetrySchedule, type RetryTiming } from './backoff';
import type { Log } from './log';
import { MAX_DATUMS_PER_CALL, pieces, piecesInFirstCall } from './metric-batches';

export type PutMetrics = (datums: MetricDatum[]) => Promise<void>;

export interface PublisherOptions extends RetryTiming {
  readonly maxBacklogMinutes?: number;
}

export class MetricPublisher {
  private readonly backlog: MetricDatum[][] = [];
  private readonly retries: RetrySchedule;
  private dropped = 0;
  private readonly maxBacklog: number;

  constructor(
    private readonly put: PutMetrics,
    private readonly log: Log,
    options: PublisherOptions = {},
  ) {
    this.maxBacklog = options.maxBacklogMinutes ?? 10;
    this.retries = new RetrySchedule(options);
  }

  /** Minutes' pieces waiting to be sent. */
  get pending(): number {
    return this.backlog.length;
  }

  /** Minutes dropped since the start (backlog full, or refused by AWS). */
  get droppedMinutes(): number {
    return this.dropped;
  }

  enqueue(minute: readonly MetricDatum[]): void {
    if (minute.length === 0) return;
    this.backlog.push(...pieces(minute));
    const over = this.backlog.length - this.maxBacklog;
    if (over > 0) {
      this.backlog.splice(0, over);
      this.dropped += over;
      this.log('error', 'metrics backlog full: dropped the oldest minutes', { dropped: over, droppedSinceStart: this.dropped });
    }
  }

  /**
   * Sends the backlog, oldest first, until it is empty or a call fails; after a failure, waits
   * (doubling, from 2 s to a minute) before the next try unless `force` (a stop: the last chance).
   */
  async publish(nowMs: number, force = false): Promise<void> {
    if (!this.retries.mayTry(nowMs, force)) return;
    while (this.backlog.length > 0) {
      const n = piecesInFirstCall(this.backlog, MAX_DATUMS_PER_CALL);
      const datums = this.backlog.slice(0, n).flat();
      try {
        await this.put(datums);
        this.backlog.splice(0, n);
        this.retries.succeeded();
      } catch (error) {
        if (isRefusedRequest(error)) {
          this.backlog.splice(0, n);
          this.dropped += n;
          this.log('error', 'CloudWatch refused metrics: dropped them', { error: errorText(error), datums: datums.length });
          continue;
        }
        const attempt = this.retries.failed(nowMs);
        this.log('warn', 'PutMetricData failed; will retry', {
          error: errorText(error),
          attempt,
          pending: this.backlog.length,
        });
        return;
      }
    }
  }
}
