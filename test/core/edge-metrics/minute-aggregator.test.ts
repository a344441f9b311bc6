import {
  MinuteAggregator,
  parseAccessLogLine,
  quantileMs,
  UNATTRIBUTED,
  type EdgeRequest,
  type MinuteRecord,
} from '../../../core/edge-metrics';
import { logLine, MINUTE_10_00, type LineFields } from './log-lines';

const MINUTE = 60_000;

/** The injected geolocation: two documentation ranges, everything else unknown. */
const regionOf = (address: string) =>
  address.startsWith('203.0.113.') ? 'eu-west-1' : address.startsWith('2001:db8:') ? 'us-east-1' : undefined;

function request(change: Partial<LineFields> = {}): EdgeRequest {
  const parsed = parseAccessLogLine(logLine(change));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.request;
}

/** `seconds` after 10:00 as the msec field. */
const at = (seconds: number) => ((MINUTE_10_00 + seconds * 1000) / 1000).toFixed(3);

function byKey(records: MinuteRecord[]): Record<string, MinuteRecord> {
  return Object.fromEntries(records.map((r) => [`${new Date(r.minuteStartMs).toISOString().slice(11, 16)} ${r.region}`, r]));
}

describe('MinuteAggregator', () => {
  it('counts a synthetic minute per region: requests, bytes, hits and misses, status classes, origin errors and latency', () => {
    const aggregator = new MinuteAggregator(regionOf);
    const lines: Partial<LineFields>[] = [
      { msec: at(1), bytes: '100', cache: 'MISS', upstreamStatus: '200', upstreamTime: '0.040' },
      { msec: at(2), bytes: '200', cache: 'HIT', upstreamStatus: '', upstreamTime: '' },
      { msec: at(3), bytes: '300', cache: 'STALE', status: '200', upstreamStatus: '502', upstreamTime: '0.002' },
      { msec: at(4), bytes: '400', cache: 'UPDATING', upstreamStatus: '', upstreamTime: '' },
      { msec: at(5), bytes: '500', cache: 'REVALIDATED', status: '304', upstreamStatus: '304', upstreamTime: '0.020' },
      { msec: at(6), bytes: '600', cache: 'EXPIRED', status: '503', upstreamStatus: '503', upstreamTime: '0.010' },
      { msec: at(7), bytes: '700', cache: 'BYPASS', status: '404', upstreamStatus: '404', upstreamTime: '0.030' },
      { msec: at(8), bytes: '800', cache: '', status: '301', upstreamStatus: '', upstreamTime: '' },
      { msec: at(9), bytes: '900', cache: 'MISS', status: '499', upstreamStatus: '-', upstreamTime: '0.500' },
      { msec: at(10), viewer: '2001:db8::1', bytes: '5', cache: 'HIT', upstreamStatus: '', upstreamTime: '' },
      { msec: at(11), viewer: '198.51.100.1', bytes: '7', cache: 'MISS', upstreamStatus: '504, 200', upstreamTime: '1.000, 0.100' },
    ];
    for (const change of lines) aggregator.add(request(change));
    const { records, lateRequests } = aggregator.flush(MINUTE_10_00 + MINUTE);
    expect(lateRequests).toBe(0);
    const minute = byKey(records);
    expect(Object.keys(minute).sort()).toEqual(['10:00 eu-west-1', '10:00 unattributed', '10:00 us-east-1']);
    const { originLatency, ...eu } = minute['10:00 eu-west-1']!;
    expect(eu).toEqual({
      minuteStartMs: MINUTE_10_00,
      region: 'eu-west-1',
      requests: 9,
      bytesSent: 4500,
      cacheHits: 4,
      cacheMisses: 3,
      cacheBypasses: 1,
      notCached: 1,
      status1xx: 0,
      status2xx: 4,
      status3xx: 2,
      status4xx: 2,
      status5xx: 1,
      originRequests: 6,
      // the 502 behind the stale copy, the 503, and the try that never answered
      originErrors: 3,
    });
    expect([originLatency.count, originLatency.sumMs]).toEqual([6, 40 + 2 + 20 + 10 + 30 + 500]);
    expect(quantileMs(originLatency, 0.5)).toBeGreaterThan(15);
    expect(quantileMs(originLatency, 0.5)).toBeLessThanOrEqual(30);
    expect(minute['10:00 us-east-1']).toMatchObject({ requests: 1, cacheHits: 1, originRequests: 0, bytesSent: 5 });
    // Two tries of one request: one origin request, one error, latency summed over both tries.
    expect(minute['10:00 unattributed']).toMatchObject({
      requests: 1,
      originRequests: 1,
      originErrors: 1,
      originLatency: { count: 1, sumMs: 1100 },
    });
  });

  it('flushes only the minutes before the boundary, oldest first, and forgets them', () => {
    const aggregator = new MinuteAggregator(regionOf);
    for (const seconds of [130, 5, 70, 61, 200]) aggregator.add(request({ msec: at(seconds) }));
    expect(aggregator.openEntries).toBe(4);
    const first = aggregator.flush(MINUTE_10_00 + 2 * MINUTE + 30_000); // rounds down to 10:02
    expect(first.records.map((r) => [r.minuteStartMs - MINUTE_10_00, r.requests])).toEqual([
      [0, 1],
      [MINUTE, 2],
    ]);
    expect(aggregator.openEntries).toBe(2);
    expect(aggregator.flush(MINUTE_10_00 + 2 * MINUTE).records).toEqual([]);
    expect(aggregator.flush(MINUTE_10_00 + 4 * MINUTE).records.map((r) => r.minuteStartMs - MINUTE_10_00)).toEqual([
      2 * MINUTE,
      3 * MINUTE,
    ]);
    expect(aggregator.openEntries).toBe(0);
  });

  it('counts a line for a minute already flushed as late, in no record, and reports it once', () => {
    const aggregator = new MinuteAggregator(regionOf);
    aggregator.add(request({ msec: at(10) }));
    aggregator.flush(MINUTE_10_00 + MINUTE);
    aggregator.add(request({ msec: at(59) })); // 10:00, already gone
    aggregator.add(request({ msec: at(61) })); // 10:01, still open
    const second = aggregator.flush(MINUTE_10_00 + 2 * MINUTE);
    expect([second.lateRequests, second.records.map((r) => [r.minuteStartMs - MINUTE_10_00, r.requests])]).toEqual([1, [[MINUTE, 1]]]);
    expect(aggregator.flush(MINUTE_10_00 + 3 * MINUTE).lateRequests).toBe(0);
  });

  it('never moves its flushed boundary back: an earlier flush time cannot reopen a flushed minute', () => {
    const aggregator = new MinuteAggregator(regionOf);
    aggregator.flush(MINUTE_10_00 + 5 * MINUTE);
    aggregator.flush(MINUTE_10_00);
    aggregator.add(request({ msec: at(10) }));
    expect([aggregator.openEntries, aggregator.flush(MINUTE_10_00 + 6 * MINUTE).lateRequests]).toEqual([0, 1]);
  });

  it('asks the injected geolocation for every viewer and files unknown viewers as unattributed', () => {
    const asked: string[] = [];
    const aggregator = new MinuteAggregator((address) => (asked.push(address), undefined));
    aggregator.add(request({ viewer: '2001:db8::7' }));
    expect(asked).toEqual(['2001:db8::7']);
    expect(aggregator.flush(MINUTE_10_00 + MINUTE).records.map((r) => r.region)).toEqual([UNATTRIBUTED]);
  });
});
