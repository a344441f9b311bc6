import { bucketPeaks, chartSpec, phaseBands, summaryLine } from '../../../core/simulator/chart-spec';
import { RUNNING, STARTING, STOPPED, STOPPING } from '../../../core/simulator/timeline';
import type { Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const START = Date.UTC(2026, 10, 2);
const TRACE: Trace = {
  startMs: START,
  minutes: 3,
  regions: ['us-east-1', 'eu-west-1'],
  requests: new Map([
    ['us-east-1', Float64Array.from([1, 2, 3])],
    ['eu-west-1', Float64Array.from([4, 5, 6])],
  ]),
};

describe('chart data', () => {
  it('turns runs of phases into time bands, leaving stopped minutes out', () => {
    const phases = Uint8Array.from([STOPPED, STARTING, STARTING, RUNNING, RUNNING, RUNNING, STOPPING, STOPPED]);
    expect(phaseBands('eu-west-1', 'autoscaler', phases, START)).toEqual([
      { region: 'eu-west-1', schedule: 'autoscaler', phase: 'starting', from: '2026-11-02T00:01:00Z', to: '2026-11-02T00:03:00Z' },
      { region: 'eu-west-1', schedule: 'autoscaler', phase: 'running', from: '2026-11-02T00:03:00Z', to: '2026-11-02T00:06:00Z' },
      { region: 'eu-west-1', schedule: 'autoscaler', phase: 'stopping', from: '2026-11-02T00:06:00Z', to: '2026-11-02T00:07:00Z' },
    ]);
  });

  it('keeps the peak of each bucket and leaves all-missing buckets empty', () => {
    expect(bucketPeaks(Float64Array.from([1, 5, 2, NaN, NaN, NaN, 4, NaN]), 3)).toEqual([5, null, 4]);
  });

  it('draws one panel per configured region with its own thresholds', () => {
    const config = validConfig((c) => {
      c.thresholds = { perRegion: { 'eu-west-1': { scaleUpRequestsPerMinute: 9000, scaleDownRequestsPerMinute: 4000 } } };
    });
    const trace: Trace = {
      startMs: START,
      minutes: 3,
      regions: ['us-east-1'],
      requests: new Map([['us-east-1', Float64Array.from([1, 2, 3])]]),
    };
    const spec = chartSpec(config, trace, new Map()) as { vconcat: { title: string }[]; datasets: { thresholds: unknown[] } };
    expect(spec.vconcat.map((panel) => panel.title)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
    expect(spec.datasets.thresholds).toContainEqual({ region: 'eu-west-1', threshold: 'scale up', requests: 9000 });
    expect(spec.datasets.thresholds).toContainEqual({ region: 'ap-northeast-1', threshold: 'scale down', requests: 1500 });
  });

  it('draws no thresholds for an always-on region, which runs whatever its demand', () => {
    const spec = chartSpec(validConfig(), TRACE, new Map()) as { datasets: { thresholds: { region: string }[] } };
    expect(validConfig().alwaysOn).toEqual(['us-east-1']);
    expect([...new Set(spec.datasets.thresholds.map((t) => t.region))]).toEqual(['eu-west-1', 'ap-northeast-1']);
  });
});

describe('chart layout', () => {
  it('shares one time scale across every region panel and optimum strip, in UTC', () => {
    const spec = chartSpec(validConfig(), TRACE, new Map()) as {
      resolve: { scale: Record<string, string> };
      vconcat: { resolve: { scale: Record<string, string> }; vconcat: unknown[] }[];
    };
    expect(spec.resolve.scale.x).toBe('shared');
    for (const panel of spec.vconcat) expect(panel.resolve.scale.x).toBe('shared');
    // Every x encoding, in the panels and the strips, is on a UTC scale.
    const xEncodings = JSON.stringify(spec.vconcat).match(/"x":\{[^}]*\}/g)!;
    expect(xEncodings.length).toBeGreaterThanOrEqual(9);
    for (const x of xEncodings) expect(x).toContain('"scale":{"type":"utc"');
  });

  it('titles the chart with the cost against the optimum and the hot coverage', () => {
    const spec = chartSpec(validConfig(), TRACE, new Map(), {
      cost: 19.79,
      oracleCost: 18.99,
      hotCoveragePct: 99.8,
      oracleHotCoveragePct: 100,
    }) as { title: { text: string; subtitle: string } };
    expect(spec.title).toMatchObject({
      text: 'kubecdn simulate',
      subtitle: 'autoscaler $19.79 vs optimum $18.99 (1.04x); hot coverage 99.8% vs 100.0%',
    });
  });

  it('leaves the ratio out when the optimum costs nothing', () => {
    expect(summaryLine({ cost: 1, oracleCost: 0, hotCoveragePct: 100, oracleHotCoveragePct: 100 })).toBe(
      'autoscaler $1.00 vs optimum $0.00; hot coverage 100.0% vs 100.0%',
    );
  });
});
