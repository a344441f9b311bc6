/**
 * The agent's clock: once a second it reports the minutes that are complete (plus the grace) to
 * the metric publisher, retries the region table each minute while it is missing, and every few
 * seconds ships the sampled lines; on stop it reports the current, partial minute too and sends
 * everything once more. Ticks never overlap: a slow AWS call delays the next tick, and no minute
 * is reported twice.
 */
import type { AccessLogSampler } from './access-log-sampler';
import type { Log } from './log';
import type { LogShipper } from './log-shipper';
import { edgeMetricDatums } from './metric-datums';
import type { MetricPublisher } from './metric-publisher';
import type { DueReports, MinuteReports } from './minute-reports';
import type { AgentPipeline } from './pipeline';
import type { ViewerRegions } from './viewer-regions';

export const TICK_MS = 1000;
export const LOG_SHIP_INTERVAL_MS = 5000;
const TABLE_RETRY_MS = 60_000;

export interface AgentParts {
  readonly project: string;
  readonly edgeRegion: string;
  readonly flushGraceMs: number;
  readonly regions: ViewerRegions;
  readonly reports: MinuteReports;
  readonly pipeline: AgentPipeline;
  readonly sampler: AccessLogSampler;
  readonly publisher: MetricPublisher;
  readonly shipper: LogShipper;
  readonly log: Log;
  readonly now?: () => number;
}

export class EdgeAgent {
  private running: Promise<void> = Promise.resolve();
  private lastTableTryMs = -Infinity;
  private lastShipMs = 0;
  private unreadableLogged = 0;
  private readonly now: () => number;

  constructor(private readonly parts: AgentParts) {
    this.now = parts.now ?? Date.now;
  }

  /** Loads the region table if it is missing and a minute has passed since the last try; loud when it fails. */
  async loadTable(): Promise<void> {
    const now = this.now();
    if (this.parts.regions.regions || now - this.lastTableTryMs < TABLE_RETRY_MS) return;
    this.lastTableTryMs = now;
    const loaded = await this.parts.regions.ensureLoaded();
    if (loaded?.ok) this.parts.log('info', 'region table loaded', { regions: loaded.table.regions, ranges: loaded.table.starts.length });
    else if (loaded) {
      this.parts.log('error', 'no region table: every request is counted as unattributed until it loads; retrying each minute', {
        reason: loaded.reason,
      });
    }
  }

  /** One tick; calls made while one runs wait for it. */
  tick(): Promise<void> {
    this.running = this.running.then(() => this.step(false)).catch((error: unknown) => this.failed(error));
    return this.running;
  }

  /** Reports every minute including the current one, and sends all that is waiting. */
  stop(): Promise<void> {
    this.running = this.running.then(() => this.step(true)).catch((error: unknown) => this.failed(error));
    return this.running;
  }

  /** A tick that threw (a bug, not AWS: the publisher and shipper keep their own failures) must not stop the ticks after it. */
  private failed(error: unknown): void {
    this.parts.log('error', 'tick failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }

  private async step(stopping: boolean): Promise<void> {
    const { parts } = this;
    await this.loadTable();
    const now = this.now();
    this.report(stopping ? parts.reports.all(now) : parts.reports.due(now, parts.flushGraceMs));
    await parts.publisher.publish(now, stopping);
    if (stopping || now - this.lastShipMs >= LOG_SHIP_INTERVAL_MS) {
      this.lastShipMs = now;
      await parts.shipper.ship(now, stopping);
    }
  }

  private report({ reports, lateRequests }: DueReports): void {
    const { parts } = this;
    for (const report of reports) {
      parts.publisher.enqueue(
        edgeMetricDatums(report, { project: parts.project, edgeRegion: parts.edgeRegion, regions: parts.regions.regions }),
      );
    }
    if (lateRequests > 0) {
      parts.log('warn', 'requests logged after their minute was reported: not counted', { lateRequests, graceMs: parts.flushGraceMs });
    }
    const unreadable = parts.pipeline.unreadable;
    if (unreadable > this.unreadableLogged) {
      parts.log('warn', 'unreadable access-log lines', {
        since: unreadable - this.unreadableLogged,
        total: unreadable,
        lastReason: parts.pipeline.lastUnreadableReason,
      });
      this.unreadableLogged = unreadable;
    }
  }
}
