import { Match, Template } from 'aws-cdk-lib/assertions';
import { validConfig } from '../support/configs';
import { buildApp } from '../support/synth';
import { autoscalerStack } from './autoscaler-fixture';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ops';

describe('the operations alarms', () => {
  const template = Template.fromStack(autoscalerStack(validConfig()).stack);
  const alarm = (name: string) => {
    const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }));
    expect(found).toHaveLength(1);
    return (found[0] as { Properties: Record<string, unknown> }).Properties;
  };

  it('alarm on a failed, timed-out or aborted StartRegion or StopRegion, to the operations topic', () => {
    for (const name of ['kubecdn-StartRegion-failed', 'kubecdn-StopRegion-failed']) {
      const props = alarm(name);
      expect(props).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC],
        OKActions: [TOPIC],
      });
      const metrics = JSON.stringify(props.Metrics);
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) expect(metrics).toContain(metric);
    }
  });

  it('alarm on a cluster off the configured Kubernetes version for 6 hours, and at once on one near the end of standard support', () => {
    expect(alarm('kubecdn-cluster-version-drift')).toMatchObject({
      MetricName: 'ClustersOffConfiguredVersion',
      Namespace: 'KubeCdn',
      Period: 3600,
      EvaluationPeriods: 6,
      Threshold: 1,
      AlarmActions: [TOPIC],
    });
    expect(alarm('kubecdn-cluster-support-ending')).toMatchObject({
      MetricName: 'ClustersNearEndOfStandardSupport',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      AlarmActions: [TOPIC],
    });
  });

  it('alarm on autoscaler errors and on the autoscaler not running', () => {
    expect(alarm('kubecdn-autoscaler-errors')).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      AlarmActions: [TOPIC],
    });
    expect(alarm('kubecdn-autoscaler-not-running')).toMatchObject({
      MetricName: 'Invocations',
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
  });

  it('alarm when some region has had no demand data for the configured time', () => {
    expect(alarm('kubecdn-demand-data-missing')).toMatchObject({
      Namespace: 'KubeCdn',
      MetricName: 'RegionsWithoutDemand',
      Dimensions: [{ Name: 'service', Value: 'kubecdn-autoscaler' }],
      Period: 60,
      EvaluationPeriods: 15,
      Threshold: 1,
      AlarmActions: [TOPIC],
    });
    const slow = Template.fromStack(
      autoscalerStack(
        validConfig((c) => {
          c.periodSeconds = 300;
          c.demand = { missingDataAlarmMinutes: 60 };
        }),
      ).stack,
    );
    slow.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'kubecdn-demand-data-missing', Period: 300, EvaluationPeriods: 12 });
  });

  it('tell where to look when edge-counted demand stops coming: the edges in the home region', () => {
    const edges = Template.fromStack(autoscalerStack(validConfig((c) => (c.demand = { source: 'edge-requests' }))).stack);
    const found = Object.values(
      edges.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'kubecdn-demand-data-missing' } }),
    );
    const description = String((found[0] as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription);
    expect(description).toContain('KubeCdn/Edge ViewerRequests');
    expect(description).toContain('kubecdn-edges-silent');
    expect(description).not.toContain('query logging');
  });

  it('alarm per configured region when its edges answer more than serverErrorPercent 5xx for serverErrorMinutes minutes', () => {
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
      expect(alarm(`kubecdn-${region}-edge-5xx`)).toMatchObject({
        Namespace: 'KubeCdn/Edge',
        MetricName: 'ServerError',
        Dimensions: [
          { Name: 'EdgeRegion', Value: region },
          { Name: 'Project', Value: 'kubecdn' },
        ],
        Statistic: 'Average',
        Period: 60,
        Threshold: 0.05,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC],
        OKActions: [TOPIC],
      });
    }
    const strict = Template.fromStack(
      autoscalerStack(validConfig((c) => (c.edgeMonitoring = { alarms: { serverErrorPercent: 1.5, serverErrorMinutes: 3 } }))).stack,
    );
    strict.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'kubecdn-eu-west-1-edge-5xx',
      Threshold: 0.015,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
  });

  it('alarm when a serving region’s edges report nothing, from the autoscaler’s count of such regions', () => {
    expect(alarm('kubecdn-edges-silent')).toMatchObject({
      Namespace: 'KubeCdn',
      MetricName: 'RegionsSilent',
      Dimensions: [{ Name: 'service', Value: 'kubecdn-autoscaler' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
    });
    const patient = Template.fromStack(autoscalerStack(validConfig((c) => (c.edgeMonitoring = { alarms: { silentMinutes: 20 } }))).stack);
    const found = Object.values(patient.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'kubecdn-edges-silent' } }));
    expect(String((found[0] as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription)).toContain('for 20 minutes');
  });

  it('go to the operations topic, and to the e-mail subscribers unfiltered, whose operations topic subscription filters them out', () => {
    const control = Template.fromStack(buildApp(validConfig((c) => (c.notifications = { emails: ['ops@example.com'] }))).stacks.control);
    const topicId = (displayName: string) =>
      Object.keys(control.findResources('AWS::SNS::Topic', { Properties: { DisplayName: displayName } }))[0]!;
    const operations = topicId('kubecdn operations');
    const alarmMail = topicId('kubecdn alarms');
    control.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'kubecdn-demand-data-missing',
      AlarmActions: [{ Ref: operations }, { Ref: alarmMail }],
      OKActions: [{ Ref: operations }, { Ref: alarmMail }],
    });
    control.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: alarmMail },
      FilterPolicy: Match.absent(),
    });
    expect(Object.keys(control.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmActions: Match.absent() } }))).toEqual([]);
  });

  it('go to the operations topic alone when its e-mail subscriptions take every message', () => {
    const control = Template.fromStack(
      buildApp(validConfig((c) => (c.notifications = { emails: ['ops@example.com'], level: 'all' }))).stacks.control,
    );
    const topics = Object.keys(control.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    control.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'kubecdn-demand-data-missing',
      AlarmActions: [{ Ref: topics[0] }],
    });
  });
});
