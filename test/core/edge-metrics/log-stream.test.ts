import { AccessLogStream, type EdgeRequest } from '../../../core/edge-metrics';
import { logLine } from './log-lines';

function collect(maxLineLength?: number): { stream: AccessLogStream; seen: EdgeRequest[] } {
  const seen: EdgeRequest[] = [];
  return { stream: new AccessLogStream((request) => seen.push(request), maxLineLength), seen };
}

const log = [logLine({ viewer: '203.0.113.1' }), logLine({ viewer: '2001:db8::2' }), logLine({ viewer: '198.51.100.3' })].join('\n') + '\n';

describe('AccessLogStream', () => {
  it('gives the same requests however the log is cut into chunks', () => {
    const whole = collect();
    whole.stream.push(log);
    expect(whole.seen.map((r) => r.viewer)).toEqual(['203.0.113.1', '2001:db8::2', '198.51.100.3']);
    for (const size of [1, 7, 100, log.length - 1]) {
      const cut = collect();
      for (let at = 0; at < log.length; at += size) cut.stream.push(log.slice(at, at + size));
      expect(cut.seen).toEqual(whole.seen);
    }
  });

  it('counts malformed lines, remembers why the last one was, and keeps reading', () => {
    const { stream, seen } = collect();
    stream.push(`${logLine()}\nnot a log line\n{"half":\n${logLine({ viewer: 'nobody' })}\n${logLine()}\n`);
    expect([seen.length, stream.malformed, stream.lastMalformedReason]).toEqual([2, 3, 'viewer is not an IPv4 or IPv6 address']);
  });

  it('waits for the newline before parsing, and parses a last unterminated line at the end', () => {
    const { stream, seen } = collect();
    stream.push(logLine());
    expect(seen).toHaveLength(0);
    stream.end();
    expect([seen.length, stream.malformed]).toEqual([1, 0]);
  });

  it('reads CRLF line ends and skips blank lines without counting them', () => {
    const { stream, seen } = collect();
    stream.push(`${logLine()}\r\n\n\r\n${logLine()}\r\n`);
    expect([seen.length, stream.malformed]).toEqual([2, 0]);
  });

  it('drops a line longer than the limit as one malformed line, holding none of it, and reads the next', () => {
    const { stream, seen } = collect(1000);
    for (let i = 0; i < 100; i++) stream.push('x'.repeat(100));
    stream.push(`\n${logLine()}\n`);
    expect([seen.length, stream.malformed, stream.lastMalformedReason]).toEqual([1, 1, 'longer than 1000 characters']);
  });
});
