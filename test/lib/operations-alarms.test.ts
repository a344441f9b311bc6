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

  it('go to the control stack’s operations topic with its e-mail subscribers', () => {
    const control = Template.fromStack(buildApp(validConfig((c) => (c.notifications = { emails: ['ops@example.com'] }))).stacks.control);
    const topics = Object.keys(control.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    control.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'kubecdn-demand-data-missing',
      AlarmActions: [{ Ref: topics[0] }],
    });
    control.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topics[0] },
    });
    expect(Object.keys(control.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmActions: Match.absent() } }))).toEqual([]);
  });
});
