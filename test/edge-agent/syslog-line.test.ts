import { accessLogLineOfSyslog } from '../../edge-agent/syslog-line';
import { logLine } from '../core/edge-metrics/log-lines';

describe("reading nginx's syslog datagrams", () => {
  const line = logLine();

  it('strips the header nginx writes with nohostname,tag=edge, leaving the line byte for byte', () => {
    expect(accessLogLineOfSyslog(`<190>Nov 29 10:00:05 edge: ${line}`)).toBe(line);
    // Days below 10 are padded with a space.
    expect(accessLogLineOfSyslog(`<190>Nov  9 10:00:05 edge: ${line}`)).toBe(line);
  });

  it('also reads a datagram with a host name and a trailing newline', () => {
    expect(accessLogLineOfSyslog(`<13>Jan 01 00:00:00 edge-nginx-1 edge: ${line}\n`)).toBe(line);
  });

  it('refuses what is not an nginx syslog message with the tag edge', () => {
    expect(accessLogLineOfSyslog(line)).toBeUndefined();
    expect(accessLogLineOfSyslog(`<190>Nov 29 10:00:05 other: ${line}`)).toBeUndefined();
    expect(accessLogLineOfSyslog('<190>2026-11-29T10:00:05Z edge: {}')).toBeUndefined();
    expect(accessLogLineOfSyslog('')).toBeUndefined();
  });
});
