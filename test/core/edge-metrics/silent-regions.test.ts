import type { RegionStatus } from '../../../core/autoscaler/types';
import { edgeReportingQueries, edgeReportingRange, silentServingRegions } from '../../../core/edge-metrics/silent-regions';
import { validConfig } from '../../support/configs';

const MINUTE = 60_000;
const END = Date.parse('2026-11-25T20:08:00Z');

describe('serving regions whose edges report nothing', () => {
  const config = validConfig(); // us-east-1 always on; eu-west-1 and ap-northeast-1 scalable; silentMinutes 5
  const range = edgeReportingRange(config, END);
  const idOf = (region: string) => edgeReportingQueries(config).find((q) => q.region === region)!.id;
  /** One pod's datapoint in every minute of the range for each region listed. */
  const reporting = (...regions: string[]) =>
    new Map(
      regions.map((region) => {
        const timestamps = Array.from({ length: 5 }, (_, i) => range.start + i * MINUTE);
        return [idOf(region), { timestamps, values: timestamps.map(() => 1) }];
      }),
    );
  const running = (lastTransitionAt?: number): RegionStatus => ({ phase: 'running', ...(lastTransitionAt ? { lastTransitionAt } : {}) });

  it('checks the last silentMinutes before the end of the latest readable period', () => {
    expect(range).toEqual({ start: END - 5 * MINUTE, end: END });
    const longer = validConfig((c) => (c.edgeMonitoring = { alarms: { silentMinutes: 12 } }));
    expect(edgeReportingRange(longer, END).start).toBe(END - 12 * MINUTE);
  });

  it('asks for the SampleCount of Requests by Project and EdgeRegion, one query per configured region', () => {
    expect(edgeReportingQueries(config)).toEqual([
      expect.objectContaining({
        id: 'reporting_us_east_1',
        region: 'us-east-1',
        namespace: 'KubeCdn/Edge',
        metricName: 'Requests',
        dimensions: [
          { Name: 'Project', Value: 'kubecdn' },
          { Name: 'EdgeRegion', Value: 'us-east-1' },
        ],
        stat: 'SampleCount',
      }),
      expect.objectContaining({ region: 'eu-west-1' }),
      expect.objectContaining({ region: 'ap-northeast-1' }),
    ]);
  });

  it('finds a serving region with no datapoint silent, and one that reported not', () => {
    const verdict = silentServingRegions({
      config,
      range,
      datapoints: reporting('us-east-1'),
      regions: { 'us-east-1': running(), 'eu-west-1': running(END - 3 * 60 * MINUTE) },
    });
    expect(verdict).toEqual({ silent: ['eu-west-1'], checked: ['us-east-1', 'eu-west-1'], tooRecent: [] });
  });

  it('does not check a region that began serving a minute ago', () => {
    const verdict = silentServingRegions({
      config,
      range,
      datapoints: new Map(),
      regions: { 'us-east-1': running(), 'eu-west-1': running(END + MINUTE) },
    });
    expect(verdict.tooRecent).toEqual(['eu-west-1']);
    expect(verdict.silent).toEqual(['us-east-1']);
  });

  it('checks a region that has served since exactly the start of the range', () => {
    const verdict = silentServingRegions({ config, range, datapoints: new Map(), regions: { 'eu-west-1': running(range.start) } });
    expect(verdict.silent).toEqual(['eu-west-1']);
  });

  it('never finds a stopped, starting, stopping, standby, stranded or unknown region silent', () => {
    for (const phase of ['stopped', 'starting', 'stopping', 'standby', 'stranded', 'unknown'] as const) {
      const verdict = silentServingRegions({ config, range, datapoints: new Map(), regions: { 'eu-west-1': { phase } } });
      expect(verdict).toEqual({ silent: [], checked: [], tooRecent: [] });
    }
  });

  it('counts only datapoints inside the range with at least one report', () => {
    const id = idOf('us-east-1');
    const outside = new Map([[id, { timestamps: [range.start - MINUTE, range.end], values: [3, 3] }]]);
    const zero = new Map([[id, { timestamps: [range.start], values: [0] }]]);
    const inside = new Map([[id, { timestamps: [range.end - MINUTE], values: [1] }]]);
    const silentWith = (datapoints: typeof outside) =>
      silentServingRegions({ config, range, datapoints, regions: { 'us-east-1': running() } }).silent;
    expect(silentWith(outside)).toEqual(['us-east-1']);
    expect(silentWith(zero)).toEqual(['us-east-1']);
    expect(silentWith(inside)).toEqual([]);
  });

  it('leaves out a region removed from the config: the engine stops it', () => {
    const verdict = silentServingRegions({ config, range, datapoints: new Map(), regions: { 'sa-east-1': running() } });
    expect(verdict.checked).toEqual([]);
  });
});
