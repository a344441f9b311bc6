/**
 * PutLogEvents' limits (CloudWatch Logs API reference): at most 10,000 events and 1,048,576 bytes
 * a call, each event counted as its UTF-8 message plus 26 bytes; events in chronological order;
 * no more than 24 hours between the first and the last. Events from nginx arrive nearly in order
 * (each is logged when its request ends, and UDP may swap neighbours), so a batch is sorted first.
 */

export interface LogEvent {
  /** Milliseconds since the epoch: the request's time as nginx logged it. */
  readonly timestamp: number;
  readonly message: string;
}

export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_BATCH_SPAN_MS = 24 * 60 * 60 * 1000;

export function eventBytes(event: LogEvent): number {
  return Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
}

/** Sorts events by time, keeping the order of equal times (Array.prototype.sort is stable). */
export function inTimeOrder(events: LogEvent[]): LogEvent[] {
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/** How many of the first events (already in time order) make one call within every limit; at least one when there are any. */
export function eventsInFirstBatch(events: readonly LogEvent[]): number {
  let bytes = 0;
  let n = 0;
  for (const event of events) {
    if (n === MAX_BATCH_EVENTS) break;
    const size = eventBytes(event);
    if (n > 0 && (bytes + size > MAX_BATCH_BYTES || event.timestamp - events[0]!.timestamp > MAX_BATCH_SPAN_MS)) break;
    bytes += size;
    n++;
  }
  return n;
}
