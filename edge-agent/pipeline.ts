/**
 * What happens to one datagram from nginx: its access-log line is read, counted in its minute
 * and viewer region, and, when sampled, queued for CloudWatch Logs. Datagrams that hold no
 * readable line are counted (UnreadableLogLines), never fatal. Synchronous and allocation-light:
 * it runs once per request served.
 */
import { parseAccessLogLine } from '../core/edge-metrics/access-log-line';
import { withSampleRate, type AccessLogSampler } from './access-log-sampler';
import type { LogEvent } from './log-batches';
import type { MinuteReports } from './minute-reports';
import { accessLogLineOfSyslog } from './syslog-line';

export class AgentPipeline {
  private unreadableTotal = 0;
  private lastReason: string | undefined;

  constructor(
    private readonly reports: MinuteReports,
    private readonly sampler: AccessLogSampler,
    private readonly ship: (event: LogEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Datagrams without a readable line since the start. */
  get unreadable(): number {
    return this.unreadableTotal;
  }

  /** Why the last unreadable datagram was refused. */
  get lastUnreadableReason(): string | undefined {
    return this.lastReason;
  }

  datagram(text: string): void {
    const line = accessLogLineOfSyslog(text);
    if (line === undefined) return this.refuse('not an nginx syslog message with tag "edge"');
    const parsed = parseAccessLogLine(line);
    if (!parsed.ok) return this.refuse(parsed.reason);
    this.reports.add(parsed.request);
    if (this.sampler.take()) this.ship({ timestamp: parsed.request.timeMs, message: withSampleRate(line, this.sampler.rate) });
  }

  private refuse(reason: string): void {
    this.unreadableTotal++;
    this.lastReason = reason;
    this.reports.unreadableLine(this.now());
  }
}
