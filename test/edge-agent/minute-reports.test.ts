import { MinuteAggregator, parseAccessLogLine } from '../../core/edge-metrics';
import { MinuteReports } from '../../edge-agent/minute-reports';
import { logLine, MINUTE_10_00 } from '../core/edge-metrics/log-lines';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A request logged at `atMs` (msec as nginx writes it). */
function request(atMs: number) {
  const parsed = parseAccessLogLine(logLine({ msec: (atMs / 1000).toFixed(3) }));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.request;
}

describe('minute reports', () => {
  const reportsFrom = (startMs: number) => new MinuteReports(new MinuteAggregator(() => 'eu-west-1'), startMs);
  const summary = (due: ReturnType<MinuteReports['due']>) =>
    due.reports.map((r) => [(r.minuteStartMs - MINUTE_10_00) / MINUTE, r.records.reduce((n, x) => n + x.requests, 0), r.unreadableLines]);

  it('report a minute once it has ended and the grace has passed, not before', () => {
    const reports = reportsFrom(MINUTE_10_00 + 20 * SECOND);
    reports.add(request(MINUTE_10_00 + 30 * SECOND));
    expect(summary(reports.due(MINUTE_10_00 + MINUTE + 4 * SECOND, 5 * SECOND))).toEqual([]);
    expect(summary(reports.due(MINUTE_10_00 + MINUTE + 5 * SECOND, 5 * SECOND))).toEqual([[0, 1, 0]]);
    expect(summary(reports.due(MINUTE_10_00 + MINUTE + 30 * SECOND, 5 * SECOND))).toEqual([]);
  });

  it('report every minute, idle ones included, each once', () => {
    const reports = reportsFrom(MINUTE_10_00);
    reports.add(request(MINUTE_10_00 + 2 * MINUTE + SECOND));
    expect(summary(reports.due(MINUTE_10_00 + 4 * MINUTE + 6 * SECOND, 5 * SECOND))).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [2, 1, 0],
      [3, 0, 0],
    ]);
  });

  it("count a request logged within the grace in its own minute, and one after its minute's report as late", () => {
    const reports = reportsFrom(MINUTE_10_00);
    // A request of 10:00 reaching the agent at 10:01:03, within the grace (nginx sends a line when the request ends).
    reports.add(request(MINUTE_10_00 + 59 * SECOND));
    expect(summary(reports.due(MINUTE_10_00 + MINUTE + 5 * SECOND, 5 * SECOND))).toEqual([[0, 1, 0]]);
    reports.add(request(MINUTE_10_00 + 59 * SECOND));
    const next = reports.due(MINUTE_10_00 + 2 * MINUTE + 5 * SECOND, 5 * SECOND);
    expect([summary(next), next.lateRequests]).toEqual([[[1, 0, 0]], 1]);
  });

  it('put unreadable lines in the minute they arrived in', () => {
    const reports = reportsFrom(MINUTE_10_00);
    reports.unreadableLine(MINUTE_10_00 + 10 * SECOND);
    reports.unreadableLine(MINUTE_10_00 + MINUTE + 10 * SECOND);
    reports.unreadableLine(MINUTE_10_00 + MINUTE + 11 * SECOND);
    expect(summary(reports.due(MINUTE_10_00 + 2 * MINUTE + 5 * SECOND, 5 * SECOND))).toEqual([
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  it('on a stop, report the current partial minute too, and nothing twice after', () => {
    const reports = reportsFrom(MINUTE_10_00);
    reports.add(request(MINUTE_10_00 + MINUTE + 10 * SECOND));
    expect(summary(reports.all(MINUTE_10_00 + MINUTE + 20 * SECOND))).toEqual([
      [0, 0, 0],
      [1, 1, 0],
    ]);
    expect(summary(reports.due(MINUTE_10_00 + 2 * MINUTE + 5 * SECOND, 5 * SECOND))).toEqual([]);
  });

  it('after the clock leaps forward, report at most the last 10 minutes', () => {
    const reports = reportsFrom(MINUTE_10_00);
    const due = reports.due(MINUTE_10_00 + 600 * MINUTE + 6 * SECOND, 5 * SECOND);
    expect(due.reports.map((r) => (r.minuteStartMs - MINUTE_10_00) / MINUTE)).toEqual([590, 591, 592, 593, 594, 595, 596, 597, 598, 599]);
  });
});
