import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { inlineFunctionFactory } from '../../lib/function-factory';
import { RegionChangeSummary } from '../../lib/region-change-summary';
import { validConfig } from '../support/configs';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** The construct in a stack of its own, with stand-in state machines, topic and key. */
function deployConvergenceStack() {
  const app = new App();
  const stack = new Stack(app, 'DeployConvergenceTest', { env: { region: 'us-east-1', account: '123456789012' } });
  const standIn = (id: string) => {
    const machine = new sfn.StateMachine(stack, id, { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)) });
    for (const id of ['AwsSolutions-SF1', 'AwsSolutions-SF2'])
      Validations.of(machine).acknowledge({ id, reason: 'A stand-in state machine for this test; the real ones log and trace.' });
    return machine;
  };
  const rollout = standIn('RolloutWorkload');
  const stopRegion = standIn('StopRegion');
  const upgradeClusters = standIn('UpgradeClusters');
  const topicKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Topic', { masterKey: topicKey, enforceSSL: true });
  const config = validConfig((c) => (c.name = 'edge'));
  const construct = new RegionChangeSummary(stack, 'RegionChanges', {
    config,
    functionFactory: inlineFunctionFactory,
    workloadVersion: 'abc123def456',
    rollout,
    stopRegion,
    upgradeClusters,
    topic,
    topicKey,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, construct, rollout, stopRegion, upgradeClusters, topic, topicKey };
}

describe('the deploy-time convergence trigger', () => {
  const { app, stack, construct, rollout, stopRegion, upgradeClusters, topic, topicKey } = deployConvergenceStack();
  const template = Template.fromStack(stack);
  const ref = (x: { node: { defaultChild?: unknown } }) => stack.getLogicalId(x.node.defaultChild as never);
  const [resourceId] = Object.keys(template.findResources('Custom::KubeCdnRegionLists'));

  it('is a custom resource whose properties are the region lists and the workload version, so it updates exactly when they change', () => {
    template.resourceCountIs('Custom::KubeCdnRegionLists', 1);
    template.hasResourceProperties('Custom::KubeCdnRegionLists', {
      AlwaysOn: ['us-east-1'],
      Scalable: ['eu-west-1', 'ap-northeast-1'],
      WorkloadVersion: 'abc123def456',
    });
  });

  it('is updated only after both state machines are', () => {
    const dependsOn = (template.toJSON().Resources[resourceId!] as { DependsOn: string[] }).DependsOn;
    expect(dependsOn).toEqual(expect.arrayContaining([ref(rollout), ref(stopRegion)]));
  });

  it('hands the function the state machine ARNs, the topic ARN and the project name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PROJECT: 'edge',
          ROLLOUT_STATE_MACHINE_ARN: { Ref: ref(rollout) },
          STOP_REGION_STATE_MACHINE_ARN: { Ref: ref(stopRegion) },
          OPERATIONS_TOPIC_ARN: { Ref: ref(topic) },
        }),
      },
    });
  });

  it('may start those three state machines, read its own stack, publish to that topic and use its key, and nothing else', () => {
    const role = stack.getLogicalId(construct.function.role!.node.defaultChild as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }));
    const statements = policies.flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
    const simplified = statements.map((s) => ({ Action: s.Action, Resource: s.Resource }));
    expect(simplified).toEqual(
      expect.arrayContaining([
        { Action: 'states:StartExecution', Resource: { Ref: ref(rollout) } },
        { Action: 'states:StartExecution', Resource: { Ref: ref(stopRegion) } },
        { Action: 'states:StartExecution', Resource: { Ref: ref(upgradeClusters) } },
        { Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
        { Action: 'sns:Publish', Resource: { Ref: ref(topic) } },
        { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [ref(topicKey), 'Arn'] } },
      ]),
    );
    const xray = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
    expect(statements.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).toEqual(xray);
    expect(statements).toHaveLength(7);
  });

  it('shows what the deploy did as the RegionListChanges and WorkloadRollout outputs, which cdk deploy prints', () => {
    template.hasOutput('RegionListChanges', { Value: { 'Fn::GetAtt': [resourceId, 'Summary'] } });
    template.hasOutput('WorkloadRollout', { Value: { 'Fn::GetAtt': [resourceId, 'Rollout'] } });
  });

  it('passes cdk-nag with a reason for every acknowledged finding', () => {
    expect(() => app.synth()).not.toThrow();
  });
});
