import { parseAccessLogLine } from '../../../core/edge-metrics';
import { logLine, MINUTE_10_00 } from './log-lines';

describe('parseAccessLogLine', () => {
  it('reads a request: time in milliseconds, viewer, status, bytes, cache status and the origin try', () => {
    expect(parseAccessLogLine(logLine())).toEqual({
      ok: true,
      request: {
        timeMs: MINUTE_10_00 + 5250,
        viewer: '203.0.113.7',
        request: 'GET /index.html HTTP/1.1',
        status: 200,
        bytesSent: 1234,
        cacheStatus: 'MISS',
        requestMs: 13,
        upstream: [{ status: 200, ms: 12 }],
      },
    });
  });

  it('reads IPv6 viewers, including IPv4-mapped ones', () => {
    for (const viewer of ['2001:db8::7', '::1', '::ffff:203.0.113.7', '2001:db8:0:1:2:3:4:5']) {
      expect(parseAccessLogLine(logLine({ viewer }))).toMatchObject({ ok: true, request: { viewer } });
    }
  });

  it('reads no origin try from the empty values nginx writes for a hit, and from "-"', () => {
    for (const none of ['', '-']) {
      const parsed = parseAccessLogLine(logLine({ cache: 'HIT', upstreamStatus: none, upstreamTime: none }));
      expect(parsed).toMatchObject({ ok: true, request: { cacheStatus: 'HIT', upstream: [] } });
    }
  });

  it('reads no cache status from an empty one (a redirect)', () => {
    expect(parseAccessLogLine(logLine({ cache: '', status: '301' }))).toMatchObject({ ok: true, request: { cacheStatus: undefined } });
  });

  it('reads every try from the lists nginx writes for several tries and internal redirects, "-" as no answer', () => {
    const parsed = parseAccessLogLine(logLine({ upstreamStatus: '502, 504 : -', upstreamTime: '0.001, 5.000 : 0.250' }));
    expect(parsed).toMatchObject({
      ok: true,
      request: {
        upstream: [
          { status: 502, ms: 1 },
          { status: 504, ms: 5000 },
          { status: undefined, ms: 250 },
        ],
      },
    });
    expect(parseAccessLogLine(logLine({ upstreamStatus: '-', upstreamTime: '0.003' }))).toMatchObject({
      ok: true,
      request: { upstream: [{ status: undefined, ms: 3 }] },
    });
  });

  it('turns seconds into whole milliseconds without float error', () => {
    expect(parseAccessLogLine(logLine({ msec: '1795946401.005', requestTime: '1.005' }))).toMatchObject({
      ok: true,
      request: { timeMs: 1795946401005, requestMs: 1005 },
    });
  });

  it.each([
    ['an empty line', '', 'not JSON'],
    ['a cut line', logLine().slice(0, 80), 'not JSON'],
    ['the old human format', '203.0.113.7 via 10.64.1.9 [2026-11-29T10:00:05+00:00] "GET / HTTP/1.1" 200 5', 'not JSON'],
    ['a JSON array', '["203.0.113.7"]', 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
    ['a number where nginx writes strings', logLine().replace('"status":"200"', '"status":200'), 'status is not an HTTP status code'],
    ['no msec', JSON.stringify({ ...JSON.parse(logLine()), msec: undefined }), 'msec is not'],
    ['an ISO msec', logLine({ msec: '2026-11-29T10:00:05Z' }), 'msec is not'],
    ['a host name as viewer', logLine({ viewer: 'viewer.example.com' }), 'viewer is not an IPv4 or IPv6 address'],
    ['a unix socket as viewer', logLine({ viewer: 'unix:' }), 'viewer is not'],
    ['an IPv4 address out of range', logLine({ viewer: '203.0.113.256' }), 'viewer is not'],
    ['a broken IPv6 address', logLine({ viewer: '2001:db8::7::1' }), 'viewer is not'],
    ['a status that is not a code', logLine({ status: '2000' }), 'status is not'],
    ['negative bytes', logLine({ bytes: '-5' }), 'bytes is not'],
    ['an unknown cache status', logLine({ cache: 'SOMETIMES' }), 'cache is not'],
    ['a request time without milliseconds', logLine({ requestTime: '1' }), 'requestTime is not'],
    ['no upstream status', JSON.stringify({ ...JSON.parse(logLine()), upstreamStatus: undefined }), 'upstreamStatus is missing'],
    ['lists of different lengths', logLine({ upstreamStatus: '502, 200', upstreamTime: '0.001' }), 'different numbers of tries'],
    ['a word in the status list', logLine({ upstreamStatus: 'ok' }), 'upstreamStatus holds'],
    ['a word in the time list', logLine({ upstreamTime: 'soon' }), 'upstreamTime holds'],
  ])('refuses %s, saying why, without throwing', (_what, line, reason) => {
    const parsed = parseAccessLogLine(line);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});
