import {
  EVENT_OVERHEAD_BYTES,
  eventsInFirstBatch,
  inTimeOrder,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  type LogEvent,
} from '../../edge-agent/log-batches';

const T0 = Date.UTC(2026, 10, 29, 10);
const event = (timestamp: number, message = 'x'): LogEvent => ({ timestamp, message });

/** Cuts events into the batches the shipper would send. */
function batches(events: LogEvent[]): LogEvent[][] {
  const sorted = inTimeOrder([...events]);
  const out: LogEvent[][] = [];
  while (sorted.length > 0) out.push(sorted.splice(0, eventsInFirstBatch(sorted)));
  return out;
}

const bytes = (batch: LogEvent[]) => batch.reduce((n, e) => n + Buffer.byteLength(e.message) + EVENT_OVERHEAD_BYTES, 0);

describe('PutLogEvents batches', () => {
  it('hold at most 10,000 events', () => {
    const cut = batches(Array.from({ length: 25_000 }, (_, i) => event(T0 + i)));
    expect(cut.map((b) => b.length)).toEqual([MAX_BATCH_EVENTS, MAX_BATCH_EVENTS, 5000]);
  });

  it('hold at most 1,048,576 bytes, counting 26 bytes per event and messages in UTF-8', () => {
    // 'é' is two bytes in UTF-8: each event is 2 * 5000 + 26 bytes, 104 of them fit.
    const cut = batches(Array.from({ length: 300 }, (_, i) => event(T0 + i, 'é'.repeat(5000))));
    for (const batch of cut) expect(bytes(batch)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(cut.map((b) => b.length)).toEqual([104, 104, 92]);
  });

  it('are in time order, the order of equal times kept', () => {
    const cut = batches([event(T0 + 5, 'c'), event(T0 + 1, 'a'), event(T0 + 5, 'd'), event(T0 + 2, 'b')]);
    expect(cut.map((b) => b.map((e) => e.message).join(''))).toEqual(['abcd']);
  });

  it('span at most 24 hours', () => {
    const day = 24 * 60 * 60 * 1000;
    const cut = batches([event(T0), event(T0 + day), event(T0 + day + 1), event(T0 + 2 * day)]);
    expect(cut.map((b) => b.length)).toEqual([2, 2]);
  });

  it('take one event even alone, and none from an empty queue', () => {
    expect(eventsInFirstBatch([event(T0)])).toBe(1);
    expect(eventsInFirstBatch([])).toBe(0);
  });
});
