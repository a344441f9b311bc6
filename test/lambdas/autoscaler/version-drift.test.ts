import type { MetricSink } from '../../../lambdas/autoscaler/report';
import { reportTick } from '../../../lambdas/autoscaler/report';
import type { RegionObservationDetail } from '../../../lambdas/autoscaler/region-state-reader';
import { versionDrift } from '../../../lambdas/autoscaler/version-drift';
import { validConfig } from '../../support/configs';

const config = validConfig((c) => (c.cluster = { kubernetesVersion: '1.35' }));
const seen = (kubernetesVersion?: string): RegionObservationDetail => ({
  cluster: kubernetesVersion ? 'ACTIVE' : 'absent',
  serving: true,
  problems: [],
  ...(kubernetesVersion ? { kubernetesVersion } : {}),
});
const NOW = new Date('2026-11-29T12:00:00Z');

describe('cluster version drift, from what the tick read', () => {
  it('names clusters off the configured version and clusters near or past the end of standard support; absent clusters count for neither', () => {
    const drift = versionDrift(
      config,
      { 'us-east-1': seen('1.35'), 'eu-west-1': seen('1.34'), 'ap-northeast-1': seen(), 'sa-east-1': seen('1.33') },
      NOW,
    );
    expect(drift).toEqual({
      offConfig: ['eu-west-1 1.34', 'sa-east-1 1.33'],
      nearEndOfSupport: ['eu-west-1 1.34 ending', 'sa-east-1 1.33 extended'],
    });
  });

  it('is empty when every cluster runs the configured version, well inside standard support', () => {
    expect(versionDrift(config, { 'us-east-1': seen('1.35'), 'eu-west-1': seen('1.35') }, NOW)).toEqual({
      offConfig: [],
      nearEndOfSupport: [],
    });
  });

  it('is published each tick as two metrics, with one warning line naming the clusters', () => {
    const metrics: Record<string, number> = {};
    const sink: MetricSink = { add: (name, _unit, value) => void (metrics[name] = value) };
    const warnings: Array<{ message: string; attributes: Record<string, unknown> }> = [];
    const log = {
      info: () => {},
      warn: (message: string, attributes: Record<string, unknown>) => void warnings.push({ message, attributes }),
      error: () => {},
    };
    reportTick(log, sink, {
      tickTime: NOW.getTime(),
      config,
      decisions: [],
      demandSeries: {},
      regions: {},
      observed: { 'us-east-1': seen('1.35'), 'eu-west-1': seen('1.34') },
      outcomes: [],
    });
    expect([metrics.ClustersOffConfiguredVersion, metrics.ClustersNearEndOfStandardSupport]).toEqual([1, 1]);
    expect(warnings).toEqual([
      {
        message: 'cluster Kubernetes versions need attention',
        attributes: { configured: '1.35', offConfiguredVersion: ['eu-west-1 1.34'], nearEndOfStandardSupport: ['eu-west-1 1.34 ending'] },
      },
    ]);
  });
});
