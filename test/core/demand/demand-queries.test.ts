import fc from 'fast-check';
import {
  assembleDemand,
  demandMetricQueries,
  demandMetricsRegions,
  demandWindow,
  type DemandDatapoints,
} from '../../../core/demand/demand-queries';
import { validConfig } from '../../support/configs';

const NOW = Date.parse('2026-11-25T20:10:30Z');

describe('the demand window', () => {
  it('ends at the last period boundary at least lagSeconds ago and spans the longest rule', () => {
    const config = validConfig(
      (c) => (c.thresholds = { scaleUpPeriods: 3, scaleDownPeriods: 5, perRegion: { 'eu-west-1': { scaleUpPeriods: 7 } } }),
    );
    const window = demandWindow(config, NOW);
    expect(new Date(window.end).toISOString()).toBe('2026-11-25T20:08:00.000Z'); // 20:10:30 - 120 s = 20:08:30 → 20:08
    expect(window.periods).toBe(7);
    expect(window.end - window.start).toBe(7 * 60_000);
  });

  it('aligns to longer periods', () => {
    const window = demandWindow(
      validConfig((c) => (c.periodSeconds = 300)),
      NOW,
    );
    expect(window.end % 300_000).toBe(0);
    expect(window.end).toBeLessThanOrEqual(NOW - 120_000);
  });
});

describe('the demand queries', () => {
  it('reads the edges’ request counts from the home region, one query per configured region', () => {
    const config = validConfig((c) => (c.homeRegion = 'eu-west-1'));
    expect(demandMetricsRegions(config)).toEqual(['eu-west-1']);
    const queries = demandMetricQueries(config);
    expect(queries.map((q) => [q.id, q.region])).toEqual([
      ['demand_us_east_1', 'us-east-1'],
      ['demand_eu_west_1', 'eu-west-1'],
      ['demand_ap_northeast_1', 'ap-northeast-1'],
    ]);
    expect(queries[2]).toEqual({
      id: 'demand_ap_northeast_1',
      region: 'ap-northeast-1',
      namespace: 'KubeCdn/Edge',
      metricName: 'ViewerRequests',
      dimensions: [
        { Name: 'Project', Value: 'kubecdn' },
        { Name: 'Region', Value: 'ap-northeast-1' },
      ],
      stat: 'Sum',
    });
  });

  it('reads the query-log metric from us-east-1, one query per configured region', () => {
    const config = validConfig((c) => (c.demand = { source: 'route53-query-logs' }));
    expect(demandMetricsRegions(config)).toEqual(['us-east-1']);
    const queries = demandMetricQueries(config);
    expect(queries.map((q) => [q.id, q.region])).toEqual([
      ['demand_us_east_1', 'us-east-1'],
      ['demand_eu_west_1', 'eu-west-1'],
      ['demand_ap_northeast_1', 'ap-northeast-1'],
    ]);
    expect(queries[1]).toMatchObject({
      namespace: 'KubeCdn/Demand',
      metricName: 'ViewerQueries',
      dimensions: [
        { Name: 'Project', Value: 'kubecdn' },
        { Name: 'Region', Value: 'eu-west-1' },
      ],
      stat: 'Sum',
    });
  });

  it('reads a brought metric with its dimensions from the regions named, once each', () => {
    const config = validConfig((c) => {
      c.demand = {
        source: 'cloudwatch-metric',
        metric: {
          namespace: 'Edge',
          metricName: 'Requests',
          regionDimension: 'NearestRegion',
          dimensions: { Env: 'prod' },
          metricsRegions: ['eu-west-1', 'us-east-1', 'eu-west-1'],
        },
      };
    });
    expect(demandMetricsRegions(config)).toEqual(['eu-west-1', 'us-east-1']);
    expect(demandMetricQueries(config)[0]).toMatchObject({
      namespace: 'Edge',
      metricName: 'Requests',
      dimensions: [
        { Name: 'Env', Value: 'prod' },
        { Name: 'NearestRegion', Value: 'us-east-1' },
      ],
    });
  });

  it('defaults a brought metric to the home region', () => {
    const config = validConfig((c) => (c.demand = { source: 'cloudwatch-metric', metric: { namespace: 'Edge', metricName: 'Requests' } }));
    expect(demandMetricsRegions(config)).toEqual(['us-east-1']);
  });
});

describe('assembling demand', () => {
  const config = validConfig((c) => (c.thresholds = { scaleUpPeriods: 3, scaleDownPeriods: 3 }));
  const window = demandWindow(config, NOW);
  const queries = demandMetricQueries(config);
  const at = (slot: number) => window.start + slot * 60_000;
  const points = (entries: Array<[number, number]>): DemandDatapoints => ({
    timestamps: entries.map(([t]) => t),
    values: entries.map(([, v]) => v),
  });

  it('places datapoints in their periods, oldest first, and leaves missing ones null (never 0)', () => {
    const readings = new Map([
      [
        'us-east-1',
        new Map([
          [
            'demand_eu_west_1',
            points([
              [at(2), 40],
              [at(0), 10],
            ]),
          ],
        ]),
      ],
    ]);
    const demand = assembleDemand(queries, window, readings);
    expect(demand['eu-west-1']).toEqual([10, null, 40]);
    expect(demand['us-east-1']).toEqual([null, null, null]);
  });

  it('sums a region over metrics regions', () => {
    const readings = new Map([
      ['us-east-1', new Map([['demand_eu_west_1', points([[at(1), 5]])]])],
      ['eu-west-1', new Map([['demand_eu_west_1', points([[at(1), 7]])]])],
    ]);
    expect(assembleDemand(queries, window, readings)['eu-west-1']).toEqual([null, 12, null]);
  });

  it('makes every value missing when one metrics region failed, rather than understating demand', () => {
    const readings = new Map<string, Map<string, DemandDatapoints> | 'failed'>([
      ['us-east-1', new Map([['demand_eu_west_1', points([[at(1), 5]])]])],
      ['eu-west-1', 'failed'],
    ]);
    expect(assembleDemand(queries, window, readings)['eu-west-1']).toEqual([null, null, null]);
  });

  it('turns a sum over a 5-minute period into requests per minute', () => {
    const five = validConfig((c) => {
      c.periodSeconds = 300;
      c.thresholds = { scaleUpPeriods: 1, scaleDownPeriods: 1 };
    });
    const w = demandWindow(five, NOW);
    const readings = new Map([['us-east-1', new Map([['demand_eu_west_1', points([[w.start, 5000]])]])]]);
    expect(assembleDemand(demandMetricQueries(five), w, readings)['eu-west-1']).toEqual([1000]);
  });

  it('ignores datapoints outside the window', () => {
    const readings = new Map([
      [
        'us-east-1',
        new Map([
          [
            'demand_eu_west_1',
            points([
              [at(-1), 1],
              [at(3), 2],
            ]),
          ],
        ]),
      ],
    ]);
    expect(assembleDemand(queries, window, readings)['eu-west-1']).toEqual([null, null, null]);
  });
});

describe('assembling demand, for any datapoints', () => {
  const config = validConfig((c) => (c.thresholds = { scaleUpPeriods: 4, scaleDownPeriods: 8 }));
  const window = demandWindow(config, NOW);
  const queries = demandMetricQueries(config);

  it('gives a value exactly to the periods that have a datapoint, and null (never 0) to the others', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.integer({ min: 0, max: 7 }).map(String), fc.nat({ max: 1_000_000 })), (bySlot) => {
        const entries = Object.entries(bySlot).map(([slot, value]) => [window.start + Number(slot) * 60_000, value] as [number, number]);
        const readings = new Map([
          ['us-east-1', new Map([['demand_eu_west_1', { timestamps: entries.map(([t]) => t), values: entries.map(([, v]) => v) }]])],
        ]);
        const series = assembleDemand(queries, window, readings)['eu-west-1']!;
        expect(series).toHaveLength(8);
        series.forEach((value, slot) => expect(value).toBe(bySlot[String(slot)] ?? null));
      }),
    );
  });
});
