/**
 * The edge metrics agent, the `metrics-agent` container of every edge pod (config/workload/
 * 30-deployment.yaml; config/workload/README.md "Metrics agent" says what it sends). nginx sends
 * each access-log line to it over UDP syslog; it counts requests per minute and viewer region
 * and publishes them to CloudWatch (KubeCdn/Edge) in the home region, and ships a sample of the
 * lines to CloudWatch Logs. Built into one file by lib/edge-agent-bundle.ts; settings come from
 * the environment (settings.ts).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { accessLogStreamName } from '../core/edge-metrics/access-log-group';
import { MinuteAggregator } from '../core/edge-metrics/minute-aggregator';
import { AccessLogSampler } from './access-log-sampler';
import { EdgeAgent, TICK_MS } from './agent';
import { logStreamApi, putMetrics } from './aws-api';
import { consoleLog as log } from './log';
import { LogShipper } from './log-shipper';
import { MetricPublisher } from './metric-publisher';
import { MinuteReports } from './minute-reports';
import { AgentPipeline } from './pipeline';
import { agentSettings, type AgentSettings } from './settings';
import { startSyslogReceiver } from './syslog-receiver';
import { ViewerRegions } from './viewer-regions';

async function main(): Promise<void> {
  let settings: AgentSettings;
  try {
    settings = agentSettings(process.env);
  } catch (error) {
    log('error', 'cannot start', { error: (error as Error).message });
    process.exit(1);
  }
  const regions = new ViewerRegions(settings.regionTableDir);
  const reports = new MinuteReports(new MinuteAggregator(regions.attribute), Date.now());
  const sampler = new AccessLogSampler(settings.sampleRate);
  const streamName = accessLogStreamName(settings.edgeRegion, settings.podName, settings.sampleRate);
  // The SDK sets no time limit of its own: a call that hangs would hold every later minute, and a stop.
  const clientConfig = { region: settings.metricsRegion, requestHandler: { connectionTimeout: 5000, requestTimeout: 15_000 } };
  const publisher = new MetricPublisher(putMetrics(new CloudWatchClient(clientConfig)), log);
  const shipper = new LogShipper(logStreamApi(new CloudWatchLogsClient(clientConfig), settings.logGroup, streamName, log), log);
  const pipeline = new AgentPipeline(reports, sampler, (event) => shipper.add(event));
  const agent = new EdgeAgent({ ...settings, regions, reports, pipeline, sampler, publisher, shipper, log });

  await agent.loadTable();
  const socket = await startSyslogReceiver(settings.syslogPort, (text) => pipeline.datagram(text));
  log('info', 'started', {
    project: settings.project,
    edgeRegion: settings.edgeRegion,
    metricsRegion: settings.metricsRegion,
    syslog: `127.0.0.1:${settings.syslogPort}`,
    logGroup: settings.logGroup,
    logStream: settings.sampleRate > 0 ? streamName : undefined,
    sampleRate: settings.sampleRate,
  });
  const timer = setInterval(() => void agent.tick(), TICK_MS);

  // PID 1 in its container: without handlers, SIGTERM would be ignored until the kill.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      log('info', 'stopping: reading what nginx logs while it stops, then sending the minutes not yet reported', {
        signal,
        drainMs: settings.stopDrainMs,
      });
      void new Promise((resolve) => setTimeout(resolve, settings.stopDrainMs))
        .then(() => {
          socket.close();
          return agent.stop();
        })
        .then(
          () => {
            log('info', 'stopped', { unsentMetricCalls: publisher.pending, unsentLogLines: shipper.pending });
            process.exit(0);
          },
          (error: unknown) => {
            log('error', 'stopping failed', { error: String(error) });
            process.exit(1);
          },
        );
    });
  }
}

main().catch((error: unknown) => {
  log('error', 'cannot start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
