import { validateConfig } from '../../../core/config';
import { minimalConfigInput, validConfig } from '../../support/configs';

function problems(demand: unknown) {
  const input = { ...minimalConfigInput(), demand };
  const result = validateConfig(input);
  return result.ok ? [] : result.problems;
}

describe('the demand section of the config', () => {
  it('defaults to requests counted at the edges, a 2-minute lag and a 15-minute missing-data alarm', () => {
    expect(validConfig().demand).toEqual({ source: 'edge-requests', lagSeconds: 120, missingDataAlarmMinutes: 15 });
  });

  it('keeps Route 53 query logs available when a config names them', () => {
    expect(validConfig((c) => (c.demand = { source: 'route53-query-logs' })).demand.source).toBe('route53-query-logs');
  });

  it('refuses an unknown source, naming the three it takes', () => {
    expect(problems({ source: 'dns' })).toEqual([
      { path: '$.demand.source', message: 'expected "edge-requests", "route53-query-logs" or "cloudwatch-metric"' },
    ]);
  });

  it('refuses a metric beside the edge-requests source', () => {
    expect(problems({ source: 'edge-requests', metric: { namespace: 'Edge', metricName: 'Requests' } })).toEqual([
      { path: '$.demand.metric', message: expect.stringMatching(/only read when source is "cloudwatch-metric", not "edge-requests"/) },
    ]);
  });

  it('accepts a brought metric and fills its defaults', () => {
    const config = validConfig((c) => (c.demand = { source: 'cloudwatch-metric', metric: { namespace: 'Edge', metricName: 'Requests' } }));
    expect(config.demand.metric).toEqual({
      namespace: 'Edge',
      metricName: 'Requests',
      regionDimension: 'Region',
      dimensions: {},
      statistic: 'Sum',
    });
  });

  it('requires the metric when the source is cloudwatch-metric', () => {
    expect(problems({ source: 'cloudwatch-metric' })).toEqual([
      { path: '$.demand.metric', message: expect.stringMatching(/is required when source is "cloudwatch-metric"/) },
    ]);
  });

  it('refuses a metric that would be ignored', () => {
    expect(problems({ metric: { namespace: 'Edge', metricName: 'Requests' } })).toEqual([
      { path: '$.demand.metric', message: expect.stringMatching(/only read when source is "cloudwatch-metric"/) },
    ]);
  });

  it('names a mistyped metrics region and suggests the right one', () => {
    expect(problems({ source: 'cloudwatch-metric', metric: { namespace: 'Edge', metricName: 'R', metricsRegions: ['eu-wst-1'] } })).toEqual(
      [{ path: '$.demand.metric.metricsRegions[0]', message: '"eu-wst-1" is not an AWS region code; did you mean "eu-west-1"?' }],
    );
  });

  it('refuses an AWS namespace and an unknown source', () => {
    expect(problems({ source: 'cloudwatch-metric', metric: { namespace: 'AWS/ELB', metricName: 'R' } })[0]?.path).toBe(
      '$.demand.metric.namespace',
    );
    expect(problems({ source: 'edge-workload' })[0]?.path).toBe('$.demand.source');
  });
});
