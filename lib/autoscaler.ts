import { Arn, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import {
  OPERATIONS_TOPIC_ARN_VARIABLE,
  OVERRIDE_TABLE_VARIABLE,
  START_REGION_ARN_VARIABLE,
  STOP_REGION_ARN_VARIABLE,
  UPGRADE_REGION_ARN_VARIABLE,
} from '../lambdas/autoscaler/deployed-config';
import { configConstants } from '../lambdas/shared/deployed-config';
import { autoscalerServiceName } from '../lambdas/autoscaler/metric-names';
import { clusterName } from '../lambdas/region-ops/names';
import { nagResourceText } from './autoscaler-nag';
import type { FunctionFactory } from './function-factory';

export interface AutoscalerProps {
  /** The validated config; the function receives it whole and validates it again at cold start. */
  readonly config: KubeCdnConfig;
  /** The workflow the autoscaler starts to bring a region up. */
  readonly startRegion: sfn.IStateMachine;
  /** The workflow the autoscaler starts to take a region down. */
  readonly stopRegion: sfn.IStateMachine;
  /** The Kubernetes upgrade of one region: the autoscaler only lists its running executions, and holds their regions. */
  readonly upgradeRegion: sfn.IStateMachine;
  readonly functionFactory: FunctionFactory;
  /** The operators' overrides, read every tick; lapsed ones are deleted by the autoscaler. */
  readonly overrideTable: dynamodb.ITable;
  /** The operations topic, where lapsed overrides are announced. */
  readonly topic: sns.ITopic;
  /** The topic's customer-managed key; publishing encrypts with it. */
  readonly topicKey: kms.IKey;
}

/**
 * The hands-off mode: an EventBridge schedule runs the autoscaler Lambda once per period
 * (config.periodSeconds). The function reads demand, region state and the operators' overrides,
 * decides, and starts StartRegion/StopRegion (holding a region while its Kubernetes upgrade runs);
 * it may read what it needs, start those two workflows, and delete and announce lapsed overrides, nothing else.
 */
export class Autoscaler extends Construct {
  readonly function: lambda.Function;
  readonly schedule: events.Rule;
  /** The `service` dimension of the function's custom metrics. */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: AutoscalerProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    this.serviceName = autoscalerServiceName(config.name);

    const periodSeconds = config.periodSeconds;
    this.function = props.functionFactory.create(this, 'Function', {
      entry: 'autoscaler/handler.ts',
      description: `kubecdn autoscaler for ${config.dns.domainName}: reads demand and region state, starts and stops regions`,
      // A tick must end before the next begins; DescribeCluster calls time out after 5 s each.
      timeout: Duration.seconds(Math.min(periodSeconds - 10, 300)),
      memorySize: 512,
      constants: configConstants(config),
      environment: {
        [START_REGION_ARN_VARIABLE]: props.startRegion.stateMachineArn,
        [STOP_REGION_ARN_VARIABLE]: props.stopRegion.stateMachineArn,
        [UPGRADE_REGION_ARN_VARIABLE]: props.upgradeRegion.stateMachineArn,
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        [OVERRIDE_TABLE_VARIABLE]: props.overrideTable.tableName,
        [OPERATIONS_TOPIC_ARN_VARIABLE]: props.topic.topicArn,
      },
    });
    // No retry of a failed tick: Lambda would retry a minute later at the earliest, when the next
    // tick decides again from fresher state anyway. The failure still reaches the errors alarm.
    this.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.seconds(Math.max(60, periodSeconds)) });

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Runs the kubecdn autoscaler every ${periodSeconds / 60} minute(s)`,
      schedule: events.Schedule.rate(Duration.minutes(periodSeconds / 60)),
      targets: [
        new targets.LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.seconds(Math.max(60, periodSeconds)) }),
      ],
    });

    this.grantReads(config, props);
    props.startRegion.grantStartExecution(this.function);
    props.stopRegion.grantStartExecution(this.function);
    this.grantOverrides(props);
    this.acknowledgeFindings(stack, props);
  }

  private grantReads(config: KubeCdnConfig, props: AutoscalerProps): void {
    const stack = Stack.of(this);
    const policy = new iam.Policy(this, 'ReadPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'DemandMetrics',
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ConfiguredRegionClusters',
          actions: ['eks:DescribeCluster'],
          resources: configuredRegions(config).map((region) =>
            stack.formatArn({ service: 'eks', region, resource: 'cluster', resourceName: clusterName(config.name, region) }),
          ),
        }),
        new iam.PolicyStatement({
          sid: 'ServingRecords',
          actions: ['route53:ListResourceRecordSets'],
          resources: [
            stack.formatArn({ service: 'route53', region: '', account: '', resource: 'hostedzone', resourceName: config.dns.hostedZoneId }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'RegionWorkflowExecutions',
          actions: ['states:ListExecutions'],
          resources: [props.startRegion.stateMachineArn, props.stopRegion.stateMachineArn, props.upgradeRegion.stateMachineArn],
        }),
        new iam.PolicyStatement({
          sid: 'RegionWorkflowExecutionInputs',
          actions: ['states:DescribeExecution'],
          // UpgradeRegion's for upgrades started by hand, whose names carry no region.
          resources: [props.startRegion, props.stopRegion, props.upgradeRegion].map((machine) => executionsOf(stack, machine)),
        }),
      ],
    });
    policy.attachToRole(this.function.role!);
  }

  /**
   * Scan (no index, no query: the table holds one item per region) and DeleteItem on the override
   * table alone; never PutItem, since only operators set overrides. Publish to the operations topic
   * with the key's encrypt actions: not topic.grantPublish, which for an encrypted topic also grants
   * kms:GenerateDataKey*, more than publishing needs.
   */
  private grantOverrides(props: AutoscalerProps): void {
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['dynamodb:Scan', 'dynamodb:DeleteItem'],
      resourceArns: [props.overrideTable.tableArn],
    });
    iam.Grant.addToPrincipal({ grantee: this.function, actions: ['sns:Publish'], resourceArns: [props.topic.topicArn] });
    props.topicKey.grant(this.function, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  private acknowledgeFindings(stack: Stack, props: AutoscalerProps): void {
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins Node.js 22 for Lambda, local runs and CI alike (lib/function-factory.ts), so the tests exercise the runtime that is deployed.',
    });
    const role = this.function.role!;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Lets the function write its own logs; AWS maintains it and it grants nothing beyond the function's log streams.",
    });
    // On the construct, so it covers both the role's default policy (X-Ray) and ReadPolicy.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords and cloudwatch:GetMetricData support no resource-level permissions.',
    });
    for (const machine of [props.startRegion, props.stopRegion, props.upgradeRegion]) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceText(stack, executionsOf(stack, machine))}]`,
        reason:
          'DescribeExecution on executions of StartRegion, StopRegion and UpgradeRegion only; execution ids are not known in advance.',
      });
    }
  }
}

/** `arn:...:execution:<state machine name>:*`: every execution of one state machine. */
function executionsOf(stack: Stack, machine: sfn.IStateMachine): string {
  return Arn.format(
    {
      service: 'states',
      resource: 'execution',
      resourceName: `${Arn.split(machine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}
