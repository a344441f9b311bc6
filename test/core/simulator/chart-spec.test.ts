import { bucketPeaks, chartSpec, phaseBands } from '../../../core/simulator/chart-spec';
import { RUNNING, STARTING, STOPPED, STOPPING } from '../../../core/simulator/timeline';
import type { Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const START = Date.UTC(2026, 10, 2);

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
});
