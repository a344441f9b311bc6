/**
 * Ships sampled access-log lines to the pod's log stream: the stream is created once (and again
 * should it vanish), events are sent in batches within PutLogEvents' limits (log-batches.ts), and
 * what could not be sent waits for the next try. The queue is bounded in bytes: beyond it the
 * oldest lines are dropped and counted in the log, so an unreachable CloudWatch never grows the
 * agent past its memory limit.
 */
import { errorText, isRefusedRequest } from './aws-errors';
import { RetrySchedule, type RetryTiming } from './backoff';
import { eventBytes, eventsInFirstBatch, inTimeOrder, type LogEvent } from './log-batches';
import type { Log } from './log';

export interface LogStreamApi {
  /** Creates the stream; succeeds when it exists already. */
  createStream(): Promise<void>;
  /** Sends events (in time order, within the limits) to the stream. */
  putEvents(events: LogEvent[]): Promise<void>;
}

export interface ShipperOptions extends RetryTiming {
  /** 8 MiB: minutes of lines at any sensible rate (10,000 requests/s at 0.01 is ~50 KB/s). */
  readonly maxQueuedBytes?: number;
}

export class LogShipper {
  private queue: LogEvent[] = [];
  private queuedBytes = 0;
  private streamCreated = false;
  private readonly retries: RetrySchedule;
  private droppedEvents = 0;
  private readonly maxQueuedBytes: number;

  constructor(
    private readonly api: LogStreamApi,
    private readonly log: Log,
    options: ShipperOptions = {},
  ) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
    this.retries = new RetrySchedule(options);
  }

  get pending(): number {
    return this.queue.length;
  }

  get dropped(): number {
    return this.droppedEvents;
  }

  add(event: LogEvent): void {
    this.queue.push(event);
    this.queuedBytes += eventBytes(event);
    if (this.queuedBytes <= this.maxQueuedBytes) return;
    let drop = 0;
    while (this.queuedBytes > this.maxQueuedBytes && drop < this.queue.length) this.queuedBytes -= eventBytes(this.queue[drop++]!);
    this.queue = this.queue.slice(drop);
    // Said once per thousand, not per line: the log of a full queue must not flood too.
    if (Math.floor((this.droppedEvents + drop) / 1000) > Math.floor(this.droppedEvents / 1000) || this.droppedEvents === 0) {
      this.log('error', 'access-log queue full: dropped the oldest lines', { droppedSinceStart: this.droppedEvents + drop });
    }
    this.droppedEvents += drop;
  }

  /** Sends the queue in batches; after a failure waits (doubling, 2 s to a minute) unless `force` (a stop). */
  async ship(nowMs: number, force = false): Promise<void> {
    if (this.queue.length === 0 || !this.retries.mayTry(nowMs, force)) return;
    inTimeOrder(this.queue);
    try {
      if (!this.streamCreated) {
        await this.api.createStream();
        this.streamCreated = true;
      }
      while (this.queue.length > 0) {
        const n = eventsInFirstBatch(this.queue);
        const batch = this.queue.slice(0, n);
        try {
          await this.api.putEvents(batch);
        } catch (error) {
          if (!isRefusedRequest(error)) throw error;
          this.log('error', 'CloudWatch Logs refused a batch: dropped it', { error: errorText(error), events: n });
          this.droppedEvents += n;
        }
        this.queue = this.queue.slice(n);
        this.queuedBytes -= batch.reduce((sum, event) => sum + eventBytes(event), 0);
      }
      this.retries.succeeded();
    } catch (error) {
      // The stream may have been deleted: create it again before the next batch.
      if ((error as { name?: string }).name === 'ResourceNotFoundException') this.streamCreated = false;
      const attempt = this.retries.failed(nowMs);
      this.log('warn', 'shipping access-log lines failed; will retry', {
        error: errorText(error),
        attempt,
        pending: this.queue.length,
      });
    }
  }
}
