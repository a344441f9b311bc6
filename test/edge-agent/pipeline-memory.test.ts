/**
 * The agent's pipeline over a long run in miniature: a million syslog datagrams as nginx frames
 * them, over 10,000 minutes, through header stripping, parsing, attribution with the fixture
 * region table, counting and 1% sampling, with the minutes reported as the agent's clock would.
 * Every request must be counted once, and the heap after a full collection must not grow with
 * the datagrams read.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MinuteAggregator } from '../../core/edge-metrics';
import { regionForAddress } from '../../core/geo/region-table';
import { AccessLogSampler } from '../../edge-agent/access-log-sampler';
import { edgeMetricDatums } from '../../edge-agent/metric-datums';
import { MinuteReports } from '../../edge-agent/minute-reports';
import { AgentPipeline } from '../../edge-agent/pipeline';
import { MINUTE_10_00 } from '../core/edge-metrics/log-lines';
import { fixtureTable } from './region-table-fixture';

const DATAGRAMS = 1_000_000;
const PER_MINUTE = 100;
const WARM_UP = 100_000;
const VIEWERS = ['3.0.0.5', '8.8.8.8', '31.13.1.1', '2a00:1450::1', '2400:cb00::1', '198.51.100.20', '110.50.3.4', '177.0.0.9'];

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Datagram `i`, in minute `i / PER_MINUTE`, as nginx sends it over syslog. */
function datagram(i: number): string {
  const seconds = MINUTE_10_00 / 1000 + Math.floor(i / PER_MINUTE) * 60 + Math.floor(((i % PER_MINUTE) * 60) / PER_MINUTE);
  const hit = i % 4 !== 0;
  return (
    `<190>Nov 29 10:00:05 edge: {"time":"-","msec":"${seconds}.250","viewer":"${VIEWERS[i % VIEWERS.length]}","via":"10.64.0.9",` +
    `"request":"GET /o/${i % 5000} HTTP/1.1","status":"${i % 50 === 0 ? 502 : 200}","bytes":"1234","bodyBytes":"1000",` +
    `"cache":"${hit ? 'HIT' : 'MISS'}","requestTime":"0.012","upstreamStatus":"${hit ? '' : '200'}","upstreamTime":"${hit ? '' : '0.011'}",` +
    `"host":"cdn.example.com","scheme":"https","userAgent":"load"}`
  );
}

describe('a million datagrams through the agent pipeline', () => {
  it('counts each request once, in minutes reported as they end, and the heap does not grow with the datagrams', () => {
    const table = fixtureTable();
    const reports = new MinuteReports(new MinuteAggregator((address) => regionForAddress(table, address)), MINUTE_10_00);
    let shipped = 0;
    let random = 0;
    // A fixed sequence in place of Math.random: every hundredth line is shipped.
    const sampler = new AccessLogSampler(0.01, () => ((random = (random + 0.01) % 1), random));
    let now = MINUTE_10_00;
    const pipeline = new AgentPipeline(
      reports,
      sampler,
      () => shipped++,
      () => now,
    );
    let counted = 0;
    let minutesReported = 0;
    const report = (due: ReturnType<MinuteReports['due']>) => {
      for (const r of due.reports) {
        minutesReported++;
        const datums = edgeMetricDatums(r, { project: 'kubecdn', edgeRegion: 'eu-west-1', regions: table.regions });
        counted += datums.find((d) => d.MetricName === 'Requests')!.Value!;
      }
    };

    let heapAfterWarmUp = 0;
    for (let i = 0; i < DATAGRAMS; i++) {
      if (i === WARM_UP) {
        collectGarbage();
        heapAfterWarmUp = process.memoryUsage().heapUsed;
      }
      if (i % PER_MINUTE === 0) {
        // The agent's clock: the start of the minute being logged, past the previous minute's grace.
        now = MINUTE_10_00 + (i / PER_MINUTE) * 60_000 + 6000;
        report(reports.due(now, 5000));
      }
      pipeline.datagram(datagram(i));
    }
    report(reports.all(now));
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapAfterWarmUp;

    expect([counted, pipeline.unreadable, minutesReported]).toEqual([DATAGRAMS, 0, DATAGRAMS / PER_MINUTE]);
    expect(Math.abs(shipped - DATAGRAMS / 100)).toBeLessThanOrEqual(1);
    // 900,000 datagrams after warm-up; a retained byte per datagram would already be 0.9 MB.
    expect(growth).toBeLessThan(512 * 1024);
    if (process.env.EDGE_METRICS_REPORT) console.log(`heap growth over ${DATAGRAMS - WARM_UP} datagrams: ${growth} bytes`);
  });
});
