/**
 * The producer and the autoscaler agree on the metric: query log lines go through the producer's
 * counting and PutMetricData, into a small in-memory CloudWatch that sums datapoints per period as
 * CloudWatch does, and come back through the autoscaler's GetMetricData reader as demand.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { countDemandByMinute, heartbeatName } from '../../../core/demand/query-log';
import { configuredRegions } from '../../../core/config';
import { readDemand } from '../../../lambdas/autoscaler/demand-reader';
import { demandDatums, publishDemand } from '../../../lambdas/demand-route53/publish-demand';
import { validConfig } from '../../support/configs';

const cloudWatch = mockClient(CloudWatchClient);

/** Stores what PutMetricData sends and answers GetMetricData with per-period sums. */
function inMemoryCloudWatch() {
  const stored: Array<MetricDatum & { Namespace: string }> = [];
  cloudWatch.on(PutMetricDataCommand).callsFake((input: { Namespace: string; MetricData: MetricDatum[] }) => {
    stored.push(...input.MetricData.map((d) => ({ ...d, Namespace: input.Namespace })));
    return {};
  });
  cloudWatch.on(GetMetricDataCommand).callsFake(
    (input: {
      StartTime: Date;
      EndTime: Date;
      MetricDataQueries: Array<{
        Id: string;
        MetricStat: {
          Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> };
          Period: number;
        };
      }>;
    }) => ({
      MetricDataResults: input.MetricDataQueries.map((q) => {
        const { Metric, Period } = q.MetricStat;
        const key = JSON.stringify([...Metric.Dimensions].sort((a, b) => a.Name.localeCompare(b.Name)));
        const sums = new Map<number, number>();
        for (const d of stored) {
          const t = d.Timestamp!.getTime();
          if (
            d.Namespace !== Metric.Namespace ||
            d.MetricName !== Metric.MetricName ||
            t < input.StartTime.getTime() ||
            t >= input.EndTime.getTime()
          )
            continue;
          if (JSON.stringify([...d.Dimensions!].sort((a, b) => a.Name!.localeCompare(b.Name!))) !== key) continue;
          const slot = Math.floor(t / (Period * 1000)) * Period * 1000;
          sums.set(slot, (sums.get(slot) ?? 0) + d.Value!);
        }
        const slots = [...sums.keys()].sort((a, b) => a - b);
        return { Id: q.Id, Timestamps: slots.map((t) => new Date(t)), Values: slots.map((t) => sums.get(t)!) };
      }),
    }),
  );
}

const query = (time: string, edge: string, name = 'cdn.example.com') =>
  `1.0 ${time} Z0123456789EXAMPLE0 ${name} A NOERROR UDP ${edge} 192.0.2.1 -`;

beforeEach(() => cloudWatch.reset());

describe('the demand pipeline, producer to autoscaler', () => {
  it('delivers per-region queries per minute, quiet regions as 0 (heartbeat minutes included) and minutes without any query as missing', async () => {
    const config = validConfig((c) => {
      c.thresholds = { scaleUpPeriods: 3, scaleDownPeriods: 5 };
      c.demand = { source: 'route53-query-logs' };
    });
    inMemoryCloudWatch();
    const lines = [
      // 20:03: nothing at all; 20:04: Europe busy; 20:05: only the autoscaler's heartbeat; 20:06: Tokyo and Europe; 20:07: Europe.
      ...Array.from({ length: 5 }, () => query('2026-11-25T20:04:10Z', 'FRA6')),
      query('2026-11-25T20:05:00Z', 'IAD89-C1', heartbeatName('cdn.example.com', Date.parse('2026-11-25T20:05:00Z'))),
      ...Array.from({ length: 3 }, () => query('2026-11-25T20:06:30Z', 'NRT12')),
      query('2026-11-25T20:06:40Z', 'DUB2'),
      query('2026-11-25T20:07:59Z', 'LHR50-C1'),
    ];
    const regions = configuredRegions(config);
    // Two producer invocations covering overlapping minutes: CloudWatch adds them up.
    const client = new CloudWatchClient({ region: 'us-east-1' });
    await publishDemand(
      client,
      demandDatums(config.name, countDemandByMinute(lines.slice(0, 6), { domainName: config.dns.domainName, regions })),
    );
    await publishDemand(
      client,
      demandDatums(config.name, countDemandByMinute(lines.slice(6), { domainName: config.dns.domainName, regions })),
    );

    const reading = await readDemand({ cloudWatchFor: () => client }, config, Date.parse('2026-11-25T20:10:00Z'));
    expect(new Date(reading.window.start).toISOString()).toBe('2026-11-25T20:03:00.000Z');
    expect(reading.demand).toEqual({
      'us-east-1': [null, 0, 0, 0, 0],
      'eu-west-1': [null, 5, 0, 1, 1],
      'ap-northeast-1': [null, 0, 0, 3, 0],
    });
  });
});
