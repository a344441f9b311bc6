import { AUTOSCALER_NAMESPACE, autoscalerServiceName } from '../../../lambdas/autoscaler/metric-names';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/powertools';

describe('metric names shared with the dashboard and alarms', () => {
  it('use the namespace Powertools publishes to', () => {
    expect(AUTOSCALER_NAMESPACE).toBe(METRICS_NAMESPACE);
  });

  it('give each project its own service dimension, so two deployments in one account do not mix', () => {
    expect(autoscalerServiceName('edge')).not.toBe(autoscalerServiceName('kubecdn'));
  });
});
