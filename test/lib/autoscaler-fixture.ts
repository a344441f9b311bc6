/** A stack holding only the autoscaler and its dashboard and alarms, with imported workflows (fast to synthesize). */
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { KubeCdnConfig } from '../../core/config';
import { Autoscaler } from '../../lib/autoscaler';
import { inlineFunctionFactory } from '../../lib/function-factory';
import { OperationsAlarms } from '../../lib/operations-alarms';
import { OperationsDashboard } from '../../lib/operations-dashboard';
import { RegionOverrideTable } from '../../lib/region-override-table';

export const START_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StartRegion';
export const STOP_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StopRegion';
export const UPGRADE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-UpgradeRegion';
export const ROLLOUT_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-RolloutWorkload';
export const PURGE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-PurgeCache';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ops';
export const TOPIC_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

export function autoscalerStack(config: KubeCdnConfig) {
  const app = new App();
  const stack = new Stack(app, 'AutoscalerTest', { env: { region: config.homeRegion, account: '123456789012' } });
  const startRegion = sfn.StateMachine.fromStateMachineArn(stack, 'StartRegion', START_ARN);
  const stopRegion = sfn.StateMachine.fromStateMachineArn(stack, 'StopRegion', STOP_ARN);
  const topic = sns.Topic.fromTopicArn(stack, 'Topic', TOPIC_ARN);
  const overrides = new RegionOverrideTable(stack, 'RegionOverrides');
  const autoscaler = new Autoscaler(stack, 'Autoscaler', {
    config,
    startRegion,
    stopRegion,
    upgradeRegion: sfn.StateMachine.fromStateMachineArn(stack, 'UpgradeRegion', UPGRADE_ARN),
    functionFactory: inlineFunctionFactory,
    overrideTable: overrides.table,
    topic,
    topicKey: kms.Key.fromKeyArn(stack, 'TopicKey', TOPIC_KEY_ARN),
  });
  const watched = { config, autoscaler: autoscaler.function, autoscalerServiceName: autoscaler.serviceName, startRegion, stopRegion };
  const dashboard = new OperationsDashboard(stack, 'Dashboard', {
    ...watched,
    autoscalerLogGroupName: autoscaler.function.logGroup.logGroupName,
    operatorWorkflows: {
      RolloutWorkload: sfn.StateMachine.fromStateMachineArn(stack, 'RolloutWorkload', ROLLOUT_ARN),
      PurgeCache: sfn.StateMachine.fromStateMachineArn(stack, 'PurgeCache', PURGE_ARN),
    },
  });
  const alarms = new OperationsAlarms(stack, 'Alarms', { ...watched, topics: [topic] });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, autoscaler, dashboard, alarms };
}

export type DashboardWidget = { type: string; properties: Record<string, unknown> };

/** The dashboard body with its CloudFormation joins flattened into the JSON CloudWatch receives. */
export function dashboardBody(template: Template): { widgets: DashboardWidget[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Array<{
    Properties: { DashboardBody: unknown };
  }>;
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const join = (node as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(flatten).join(join[0]);
    const ref = (node as { Ref?: string }).Ref;
    return ref ? `REF_${ref}` : JSON.stringify(node);
  };
  return JSON.parse(flatten(dashboard!.Properties.DashboardBody)) as { widgets: DashboardWidget[] };
}
