import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfigFile } from '../../../core/config';
import {
  edgeTelemetryMonthlyCost,
  HEALTH_METRICS_PER_EDGE_REGION,
  shippedLineBytes,
  type TelemetryCost,
} from '../../../core/edge-metrics/telemetry-cost';
import { validConfig } from '../../support/configs';
import { logLine } from './log-lines';

const ROOT = join(__dirname, '..', '..', '..');
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** Access-log lines in nginx's format: a command-line client and browsers, misses and hits, IPv4 and IPv6 viewers. */
const SAMPLE_LINES = [
  logLine(),
  logLine({ viewer: '2001:db8::7', cache: 'HIT', upstreamStatus: '', upstreamTime: '' }),
  logLine({
    request: 'GET /assets/app.3f9c2b1e.js HTTP/1.1',
    cache: 'HIT',
    upstreamStatus: '',
    upstreamTime: '',
    bytes: '48211',
    bodyBytes: '47890',
    userAgent: CHROME,
  }),
  logLine({
    viewer: '2001:db8:4f1::1c',
    request: 'GET /images/hero-1280.webp HTTP/1.1',
    bytes: '183402',
    bodyBytes: '183001',
    requestTime: '0.087',
    upstreamTime: '0.085',
    userAgent: IPHONE,
  }),
];

/** The edge Deployment's replicas: the pods each running region has (no autoscaling of pods). */
function edgeReplicas(): number {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'config', 'workload', '30-deployment.yaml'), 'utf8'));
  const deployment = docs.map((d) => d.toJS() as { kind?: string; spec?: { replicas?: number } }).find((d) => d?.kind === 'Deployment');
  if (!deployment?.spec?.replicas) throw new Error('config/workload/30-deployment.yaml: expected a Deployment with spec.replicas');
  return deployment.spec.replicas;
}

const dollars = (usd: number) => `$${usd.toFixed(2)}`;
const thousands = (n: number) => n.toLocaleString('en-US');

/** The README's rows, first cell → cells. */
function readmeTable(): Map<string, string[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### What the edges’ own metrics and logs cost');
  if (start < 0) throw new Error('README.md: the section "What the edges’ own metrics and logs cost" is missing');
  const rows = new Map<string, string[]>();
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

describe('the monthly CloudWatch cost of the edges’ telemetry', () => {
  const { config } = loadConfigFile(join(ROOT, 'config', 'regions.json'));
  const regions = [...config.alwaysOn, ...config.scalable].length;
  const lineBytes = SAMPLE_LINES.map((line) => shippedLineBytes(line, config.edgeMonitoring.accessLogs.sampleRate));
  const averageShippedLineBytes = Math.round(lineBytes.reduce((a, b) => a + b, 0) / lineBytes.length);
  const costAt = (requestsPerSecondPerRegion: number) =>
    edgeTelemetryMonthlyCost(config, {
      runningRegions: regions,
      podsPerRegion: edgeReplicas(),
      requestsPerSecondPerRegion,
      averageShippedLineBytes,
    });

  it('is the README’s table for the committed config, every region running at 100, 1,000 and 10,000 requests/s', () => {
    expect(regions).toBe(8);
    const rows = readmeTable();
    const expected = (rps: number, cost: TelemetryCost) => [
      dollars(cost.metricsUsd),
      dollars(cost.putMetricDataUsd),
      `${dollars(cost.ingestionUsd)} (${cost.ingestedGb.toFixed(1)} GB)`,
      dollars(cost.storageUsd),
      `**${dollars(cost.totalUsd)}**`,
    ];
    for (const rps of [100, 1000, 10000])
      expect([thousands(rps), rows.get(thousands(rps))]).toEqual([thousands(rps), expected(rps, costAt(rps))]);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const cost = costAt(1000);
    // The premises the README states beside the table.
    expect(readme).toContain(`${cost.metrics} custom metrics`);
    expect(readme).toContain(`${thousands(cost.putMetricDataCalls)} PutMetricData calls`);
    expect(readme).toContain(`${averageShippedLineBytes} bytes per shipped line`);
    expect(readme).toContain(`${edgeReplicas()} pods per region`);
  });

  it('counts the demand metrics once and the health metrics per running region', () => {
    const three = validConfig(); // three configured regions
    const load = { podsPerRegion: 2, requestsPerSecondPerRegion: 0, averageShippedLineBytes: 400 };
    expect(HEALTH_METRICS_PER_EDGE_REGION).toBe(11);
    expect(edgeTelemetryMonthlyCost(three, { ...load, runningRegions: 1 }).metrics).toBe(3 + 1 + 11);
    expect(edgeTelemetryMonthlyCost(three, { ...load, runningRegions: 3 }).metrics).toBe(3 + 1 + 33);
    expect(edgeTelemetryMonthlyCost(three, { ...load, runningRegions: 3 }).putMetricDataCalls).toBe(3 * 2 * 43_800);
  });

  it('ships nothing at sampleRate 0, and scales the logs with the rate and the retention', () => {
    const load = { runningRegions: 1, podsPerRegion: 2, requestsPerSecondPerRegion: 1000, averageShippedLineBytes: 374 };
    const at = (sampleRate: number, retentionDays: number) =>
      edgeTelemetryMonthlyCost(
        validConfig((c) => (c.edgeMonitoring = { accessLogs: { sampleRate, retentionDays } })),
        load,
      );
    expect(at(0, 30)).toMatchObject({ ingestedGb: 0, ingestionUsd: 0, storageUsd: 0 });
    // 1,000 requests/s for 730 hours, one line in a hundred, 400 bytes each with CloudWatch's 26.
    expect(at(0.01, 30).ingestedGb).toBeCloseTo((1000 * 3600 * 730 * 0.01 * 400) / 1e9, 6);
    expect(at(0.1, 30).ingestionUsd).toBeCloseTo(10 * at(0.01, 30).ingestionUsd, 6);
    expect(at(0.01, 60).storageUsd).toBeCloseTo(2 * at(0.01, 30).storageUsd, 6);
  });
});
