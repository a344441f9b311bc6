/**
 * The agent's clock in process, on a clock the test moves: minutes reported once complete, the
 * region table retried each minute while missing (requests unattributed meanwhile, never
 * guessed), sampled lines shipped every few seconds. The real SDK clients are used with their
 * sends mocked, every request shape-checked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { MinuteAggregator } from '../../core/edge-metrics';
import { AccessLogSampler } from '../../edge-agent/access-log-sampler';
import { EdgeAgent } from '../../edge-agent/agent';
import { logStreamApi, putMetrics } from '../../edge-agent/aws-api';
import type { Log } from '../../edge-agent/log';
import { LogShipper } from '../../edge-agent/log-shipper';
import { MetricPublisher } from '../../edge-agent/metric-publisher';
import { MinuteReports } from '../../edge-agent/minute-reports';
import { AgentPipeline } from '../../edge-agent/pipeline';
import { ViewerRegions } from '../../edge-agent/viewer-regions';
import { logLine, MINUTE_10_00 } from '../core/edge-metrics/log-lines';
import { tableFiles, writeTableDir } from './region-table-fixture';

const cloudWatch = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const SECOND = 1000;

describe('the agent over a few minutes', () => {
  let dir: string;
  let now: number;
  let logged: { level: string; msg: string }[];
  let agent: EdgeAgent;
  let pipeline: AgentPipeline;

  beforeEach(() => {
    cloudWatch.reset();
    logs.reset();
    cloudWatch.on(PutMetricDataCommand).resolves({});
    logs.on(CreateLogStreamCommand).resolves({}).on(PutLogEventsCommand).resolves({});
    dir = join(mkdtempSync(join(tmpdir(), 'kubecdn-agent-clock-')), 'region-table');
    now = MINUTE_10_00 + 10 * SECOND;
    logged = [];
    const log: Log = (level, msg) => logged.push({ level, msg });
    const regions = new ViewerRegions(dir);
    const reports = new MinuteReports(new MinuteAggregator(regions.attribute), now);
    const sampler = new AccessLogSampler(1);
    const client = { region: 'us-east-1', maxAttempts: 1 };
    const publisher = new MetricPublisher(putMetrics(new CloudWatchClient(client)), log);
    const stream = 'eu-west-1/edge-nginx-1/sampled-1';
    const shipper = new LogShipper(logStreamApi(new CloudWatchLogsClient(client), '/kubecdn/kubecdn/edge-access', stream, log), log);
    pipeline = new AgentPipeline(
      reports,
      sampler,
      (event) => shipper.add(event),
      () => now,
    );
    agent = new EdgeAgent({
      project: 'kubecdn',
      edgeRegion: 'eu-west-1',
      flushGraceMs: 5 * SECOND,
      regions,
      reports,
      pipeline,
      sampler,
      publisher,
      shipper,
      log,
      now: () => now,
    });
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const datagram = (atMs: number, viewer: string) =>
    pipeline.datagram(`<190>Nov 29 10:00:05 edge: ${logLine({ msec: (atMs / 1000).toFixed(3), viewer })}`);
  /** What was sent for each minute, whichever call carried it (a stop sends the last minutes together). */
  const sentMinutes = () => {
    const datums = cloudWatch.commandCalls(PutMetricDataCommand).flatMap((call) => call.args[0].input.MetricData!);
    const minutes = [...new Set(datums.map((d) => d.Timestamp!.getTime()))];
    return minutes.map((at) => {
      const value = (name: string, region?: string) =>
        datums.find(
          (d: MetricDatum) =>
            d.Timestamp!.getTime() === at && d.MetricName === name && (!region || d.Dimensions!.some((x) => x.Value === region)),
        )?.Value;
      return {
        minute: (at - MINUTE_10_00) / 60_000,
        requests: value('Requests'),
        usEast1: value('ViewerRequests', 'us-east-1'),
        unattributed: value('UnattributedRequests'),
      };
    });
  };
  const tickAt = async (ms: number) => {
    now = ms;
    await agent.tick();
  };

  it('counts requests as unattributed while the table is missing, says so loudly, and loads it on the next minute', async () => {
    await tickAt(MINUTE_10_00 + 10 * SECOND);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      'no region table: every request is counted as unattributed until it loads; retrying each minute',
    ]);
    datagram(MINUTE_10_00 + 20 * SECOND, '3.0.0.5');
    writeTableDir(tableFiles(2), dir);
    // Within the minute: no retry yet; the minute is not over either.
    await tickAt(MINUTE_10_00 + 40 * SECOND);
    expect(sentMinutes()).toEqual([]);
    // 10:01:10, a minute after the first try: the table loads, then 10:00 is reported. Its request
    // was counted without a table (unattributed); the regions are named now, with zeros.
    await tickAt(MINUTE_10_00 + 70 * SECOND);
    expect(logged.map((l) => l.msg)).toContain('region table loaded');
    datagram(MINUTE_10_00 + 80 * SECOND, '3.0.0.5');
    await tickAt(MINUTE_10_00 + 125 * SECOND);
    expect(sentMinutes()).toEqual([
      { minute: 0, requests: 1, usEast1: 0, unattributed: 1 },
      { minute: 1, requests: 1, usEast1: 1, unattributed: 0 },
    ]);
  });

  it('reports every minute once, idle ones too, and ships sampled lines every 5 seconds', async () => {
    writeTableDir(tableFiles(1), dir);
    await tickAt(MINUTE_10_00 + 10 * SECOND);
    datagram(MINUTE_10_00 + 11 * SECOND, '31.13.1.1');
    await tickAt(MINUTE_10_00 + 12 * SECOND);
    expect(logs.commandCalls(PutLogEventsCommand)).toHaveLength(0); // 2 s since the last shipment
    await tickAt(MINUTE_10_00 + 15 * SECOND);
    expect(logs.commandCalls(PutLogEventsCommand)).toHaveLength(1);
    for (let s = 16; s <= 185; s++) await tickAt(MINUTE_10_00 + s * SECOND);
    expect(sentMinutes().map((m) => [m.minute, m.requests])).toEqual([
      [0, 1],
      [1, 0],
      [2, 0],
    ]);
  });

  it('on stop, reports the current partial minute and ships what is queued', async () => {
    writeTableDir(tableFiles(1), dir);
    await tickAt(MINUTE_10_00 + 10 * SECOND);
    datagram(MINUTE_10_00 + 61 * SECOND, '3.0.0.5');
    now = MINUTE_10_00 + 62 * SECOND;
    await agent.stop();
    expect(sentMinutes()).toEqual([
      { minute: 0, requests: 0, usEast1: 0, unattributed: 0 },
      { minute: 1, requests: 1, usEast1: 1, unattributed: 0 },
    ]);
    expect(logs.commandCalls(PutLogEventsCommand).flatMap((c) => c.args[0].input.logEvents!)).toHaveLength(1);
  });
});
