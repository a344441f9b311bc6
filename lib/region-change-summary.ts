import { CfnOutput, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import type { FunctionFactory } from './function-factory';

export interface RegionChangeSummaryProps {
  readonly config: KubeCdnConfig;
  readonly functionFactory: FunctionFactory;
  /** What the regions should run: `workloadVersion(manifests, config)` from lib/workload-version.ts. */
  readonly workloadVersion: string;
  /** Started with `{"version", "reason"}` when a deploy changes the workload version. */
  readonly rollout: sfn.IStateMachine;
  /** Started with `{"region", "removed": true, "reason"}` for each region a deploy removes from the config. */
  readonly stopRegion: sfn.IStateMachine;
  /** Started with `{"reason"}` when a deploy raises `cluster.kubernetesVersion`. */
  readonly upgradeClusters: sfn.IStateMachine;
  /** The operations topic: one message per deploy that changed something, saying what it started. */
  readonly topic: sns.ITopic;
  /** The topic's customer-managed key; publishing encrypts with it. */
  readonly topicKey: kms.IKey;
}

/**
 * Makes `cdk deploy` converge running regions on the new config (issue 6): a custom resource
 * whose properties are the region lists and the workload version, answered by a small function
 * (used directly as the ServiceToken, so no provider framework) that compares them with the
 * deployed ones. It starts StopRegion ("removed": true) for each removed region, RolloutWorkload
 * when the workload version changed, and tells the operations topic; the rest (added and moved
 * regions, thresholds, schedules) is the autoscaler's on its next tick. `cdk deploy` prints what it
 * did as the `RegionListChanges` and `WorkloadRollout` outputs. See
 * lambdas/region-changes/deploy-convergence.ts.
 */
export class RegionChangeSummary extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: RegionChangeSummaryProps) {
    super(scope, id);
    this.function = props.functionFactory.create(this, 'Function', {
      entry: 'region-changes/handler.ts',
      description: 'kubecdn deploy: stops regions a config change removes and rolls a changed workload out',
      environment: {
        PROJECT: props.config.name,
        ROLLOUT_STATE_MACHINE_ARN: props.rollout.stateMachineArn,
        STOP_REGION_STATE_MACHINE_ARN: props.stopRegion.stateMachineArn,
        UPGRADE_STATE_MACHINE_ARN: props.upgradeClusters.stateMachineArn,
        OPERATIONS_TOPIC_ARN: props.topic.topicArn,
      },
      // Room for the SDK's retries of StartExecution and Publish: without an answer CloudFormation waits an hour.
      timeout: Duration.minutes(2),
      memorySize: 256,
    });
    props.rollout.grantStartExecution(this.function);
    props.stopRegion.grantStartExecution(this.function);
    props.upgradeClusters.grantStartExecution(this.function);
    // A lowered Kubernetes version is refused unless the stack is rolling back: reading this stack's status is all it needs.
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['cloudformation:DescribeStacks'],
      resourceArns: [Stack.of(this).stackId],
    });
    // Not topic.grantPublish: for an encrypted topic it also grants kms:GenerateDataKey*, more than publishing needs.
    iam.Grant.addToPrincipal({ grantee: this.function, actions: ['sns:Publish'], resourceArns: [props.topic.topicArn] });
    props.topicKey.grant(this.function, 'kms:Decrypt', 'kms:GenerateDataKey');

    const deployed = new CustomResource(this, 'RegionLists', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::KubeCdnRegionLists',
      properties: {
        AlwaysOn: [...props.config.alwaysOn],
        Scalable: [...props.config.scalable],
        WorkloadVersion: props.workloadVersion,
        KubernetesVersion: props.config.cluster.kubernetesVersion,
      },
    });
    // Updated only after the state machines are: StopRegion must already know the new config (it
    // accepts "removed": true only for a region absent from it), and the roll-out must apply the new manifests.
    deployed.node.addDependency(props.rollout, props.stopRegion, props.upgradeClusters);
    // The grants too: the function must be allowed to start executions before CloudFormation asks it to.
    deployed.node.addDependency(this.function);

    // The resource updates only when its properties change, so the outputs keep the latest such change.
    new CfnOutput(this, 'RegionListChanges', {
      key: 'RegionListChanges',
      value: deployed.getAttString('Summary'),
      description:
        'What the latest deploy that changed alwaysOn, scalable or the workload changed in the region lists; removed regions get a StopRegion execution',
    });
    new CfnOutput(this, 'WorkloadRollout', {
      key: 'WorkloadRollout',
      value: deployed.getAttString('Rollout'),
      description: 'The workload version the regions run, and the RolloutWorkload execution the latest deploy that changed it started',
    });

    new CfnOutput(this, 'KubernetesUpgrade', {
      key: 'KubernetesUpgrade',
      value: deployed.getAttString('Upgrade'),
      description: 'The Kubernetes version the clusters run, and the UpgradeClusters execution the latest deploy that raised it started',
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins Node.js 22 for Lambda, local runs and CI alike (lib/function-factory.ts), so the tests exercise the runtime that is deployed.',
    });
    Validations.of(this.function.role!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Lets the function write its own logs; AWS maintains it and it grants nothing beyond the function's log streams.",
    });
    Validations.of(this.function.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (the function is traced like every kubecdn function) support no resource-level permissions.',
    });
  }
}
