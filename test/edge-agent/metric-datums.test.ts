/**
 * A minute of real access-log lines, aggregated by core/edge-metrics and turned into datums: what
 * each metric says, and that the PutMetricData request carrying them is one real CloudWatch
 * accepts (the SDK's own request shape).
 */
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { MinuteAggregator, parseAccessLogLine } from '../../core/edge-metrics';
import { EDGE_NAMESPACE } from '../../core/edge-metrics/edge-metric-names';
import { edgeMetricDatums } from '../../edge-agent/metric-datums';
import { MinuteReports, type MinuteReport } from '../../edge-agent/minute-reports';
import { requestShapeProblems } from '../support/simulated-aws/request-shapes';
import { logLine, MINUTE_10_00 } from '../core/edge-metrics/log-lines';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const identity = { project: 'kubecdn', edgeRegion: 'eu-west-1', regions: REGIONS };
const PLACES: Record<string, string> = { '3.0.0.5': 'us-east-1', '31.13.1.1': 'eu-west-1', '2a00:1450::1': 'eu-west-1' };

/** The report of 10:00 for these lines (all in that minute), as the agent makes it. */
function reportOf(lines: string[], unreadable = 0): MinuteReport {
  const reports = new MinuteReports(new MinuteAggregator((address) => PLACES[address]), MINUTE_10_00);
  for (const line of lines) {
    const parsed = parseAccessLogLine(line);
    if (!parsed.ok) throw new Error(parsed.reason);
    reports.add(parsed.request);
  }
  for (let i = 0; i < unreadable; i++) reports.unreadableLine(MINUTE_10_00 + 1000);
  const [report] = reports.due(MINUTE_10_00 + 65_000, 5000).reports;
  return report!;
}

const byName = (datums: MetricDatum[], name: string) => datums.filter((d) => d.MetricName === name);
const dims = (datum: MetricDatum) => Object.fromEntries((datum.Dimensions ?? []).map((d) => [d.Name, d.Value]));

function expectAccepted(datums: MetricDatum[]): void {
  expect(requestShapeProblems(new PutMetricDataCommand({ Namespace: EDGE_NAMESPACE, MetricData: datums }))).toEqual([]);
}

describe('the datums of one minute', () => {
  const lines = [
    logLine({ viewer: '3.0.0.5', cache: 'HIT', upstreamStatus: '', upstreamTime: '', bytes: '500' }),
    logLine({ viewer: '3.0.0.5', cache: 'MISS', upstreamTime: '0.012', bytes: '1500' }),
    logLine({ viewer: '31.13.1.1', cache: 'MISS', status: '502', upstreamStatus: '502', upstreamTime: '0.250', bytes: '300' }),
    logLine({ viewer: '2a00:1450::1', cache: 'BYPASS', status: '404', upstreamStatus: '404', upstreamTime: '0.030', bytes: '200' }),
    logLine({ viewer: '198.51.100.20', cache: '', status: '301', upstreamStatus: '', upstreamTime: '', bytes: '100' }),
  ];
  const datums = edgeMetricDatums(reportOf(lines, 2), identity);

  it('form a PutMetricData request real CloudWatch accepts, every datum at the minute start with 60-second resolution', () => {
    expectAccepted(datums);
    expect(datums.length).toBeLessThanOrEqual(1000);
    for (const datum of datums) {
      expect(datum.Timestamp).toEqual(new Date(MINUTE_10_00));
      expect(datum.StorageResolution).toBe(60);
    }
  });

  it('count viewer requests for every configured region, zeros included, and the unattributed apart', () => {
    expect(byName(datums, 'ViewerRequests').map((d) => [dims(d), d.Value, d.Unit])).toEqual([
      [{ Project: 'kubecdn', Region: 'us-east-1' }, 2, 'Count'],
      [{ Project: 'kubecdn', Region: 'eu-west-1' }, 2, 'Count'],
      [{ Project: 'kubecdn', Region: 'ap-south-1' }, 0, 'Count'],
    ]);
    expect(byName(datums, 'UnattributedRequests').map((d) => [dims(d), d.Value])).toEqual([[{ Project: 'kubecdn' }, 1]]);
  });

  it("give the edge's health in its own region: requests, bytes, responses by class, origin errors, unreadable lines", () => {
    const edge = { Project: 'kubecdn', EdgeRegion: 'eu-west-1' };
    const value = (name: string) => byName(datums, name).map((d) => [dims(d), d.Value, d.Unit]);
    expect(value('Requests')).toEqual([[edge, 5, 'Count']]);
    expect(value('BytesToViewers')).toEqual([[edge, 2600, 'Bytes']]);
    expect(value('Responses')).toEqual([
      [{ ...edge, StatusClass: '2xx' }, 2, 'Count'],
      [{ ...edge, StatusClass: '3xx' }, 1, 'Count'],
      [{ ...edge, StatusClass: '4xx' }, 1, 'Count'],
      [{ ...edge, StatusClass: '5xx' }, 1, 'Count'],
    ]);
    expect(value('OriginErrors')).toEqual([[edge, 1, 'Count']]);
    expect(value('UnreadableLogLines')).toEqual([[edge, 2, 'Count']]);
  });

  it('give the hit ratio and the 5xx share as values 1 and 0 with counts, whose average is the ratio', () => {
    const [hit] = byName(datums, 'CacheHit');
    // One hit, two misses; the bypass and the redirect are not cache traffic.
    expect([hit!.Values, hit!.Counts, hit!.Unit]).toEqual([[1, 0], [1, 2], 'None']);
    const [serverError] = byName(datums, 'ServerError');
    expect([serverError!.Values, serverError!.Counts]).toEqual([
      [1, 0],
      [1, 4],
    ]);
  });

  it('give origin latency as histogram buckets at their midpoints, with counts', () => {
    const [latency] = byName(datums, 'OriginLatency');
    expect(latency!.Unit).toBe('Milliseconds');
    // 12 ms (10-15), 30 ms (20-30), 250 ms (200-300).
    expect([latency!.Values, latency!.Counts]).toEqual([
      [12.5, 25, 250],
      [1, 1, 1],
    ]);
    expect(latency!.Values!.length).toBeLessThanOrEqual(150);
  });
});

describe('the datums of an idle minute', () => {
  const datums = edgeMetricDatums(reportOf([]), identity);

  it('still say Requests 0 (the edge is reporting) and 0 for every region, and are accepted', () => {
    expectAccepted(datums);
    expect(byName(datums, 'Requests').map((d) => d.Value)).toEqual([0]);
    expect(byName(datums, 'ViewerRequests').map((d) => d.Value)).toEqual([0, 0, 0]);
  });

  it('leave out the ratios and the latency, which have nothing to divide', () => {
    expect(datums.filter((d) => ['CacheHit', 'ServerError', 'OriginLatency'].includes(d.MetricName!))).toEqual([]);
  });

  it('leave out a value counted 0: all hits is Values [1] Counts [n]', () => {
    const allHits = edgeMetricDatums(reportOf([logLine({ cache: 'HIT', viewer: '3.0.0.5' })]), identity);
    expectAccepted(allHits);
    expect(byName(allHits, 'CacheHit').map((d) => [d.Values, d.Counts])).toEqual([[[1], [1]]]);
    expect(byName(allHits, 'ServerError').map((d) => [d.Values, d.Counts])).toEqual([[[0], [1]]]);
  });
});

describe('the datums without a region table', () => {
  it('name no region: every request is unattributed', () => {
    const datums = edgeMetricDatums(reportOf([logLine({ viewer: '3.0.0.5' })]), { ...identity, regions: undefined });
    expectAccepted(datums);
    expect(byName(datums, 'ViewerRequests')).toEqual([]);
    expect(byName(datums, 'UnattributedRequests').map((d) => d.Value)).toEqual([1]);
    expect(byName(datums, 'Requests').map((d) => d.Value)).toEqual([1]);
  });
});
