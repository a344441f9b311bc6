import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import { environmentVariables } from '../lambdas/region-ops/deployment';
import type { KubernetesManifest } from '../lambdas/region-ops/kubernetes-manifests';
import type { ClusterRoles } from './cluster-roles';
import type { FunctionFactory } from './function-factory';
import { kubernetesApiRelayName, networkStackName } from './naming';
import { RegionLockTable } from './region-lock-table';
import { startRegionDefinition, stopRegionDefinition } from './region-state-machines';
import { rolloutWorkloadDefinition, syncRegionDefinition } from './workload-rollout-states';

export interface RegionWorkflowsProps {
  readonly config: KubeCdnConfig;
  readonly clusterRoles: ClusterRoles;
  /** Where starts, stops and failures are reported (encrypted with `topicKey`). */
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  /** The workload manifests, read and checked at synth (see region-workflows-manifests.ts). */
  readonly manifests: readonly KubernetesManifest[];
  /** SSM parameter name, the same in each region, holding that region's network. */
  readonly networkParameterName: string;
  readonly functionFactory: FunctionFactory;
}

/**
 * A workflow that runs longer than this has hung; its lock lapses at the same moment. It covers
 * the worst bounded case: a start whose every poll runs to its bound (about 75 minutes) followed
 * by a rollback doing the same (about 90 minutes).
 */
export const REGION_WORKFLOW_TIMEOUT = Duration.hours(3);

/**
 * A roll-out holds no lock; it runs one sync after another. Each sync is bounded (30 minutes of
 * waiting for a busy region, then about 25 minutes of polls), so 24 hours covers tens of regions
 * even in the worst case, and still ends an execution that hung.
 */
export const ROLLOUT_TIMEOUT = Duration.hours(24);

/**
 * The StartRegion and StopRegion state machines, the region-ops Lambda they drive, and the
 * region lock table. See DESIGN.md, "Region lifecycle".
 */
export class RegionWorkflows extends Construct {
  readonly startRegion: sfn.StateMachine;
  readonly stopRegion: sfn.StateMachine;
  readonly syncRegion: sfn.StateMachine;
  readonly rolloutWorkload: sfn.StateMachine;
  readonly regionOps: lambda.Function;
  readonly lock: RegionLockTable;

  constructor(scope: Construct, id: string, props: RegionWorkflowsProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    this.lock = new RegionLockTable(this, 'RegionLock');

    this.regionOps = props.functionFactory.create(this, 'RegionOps', {
      entry: 'region-ops/handler.ts',
      description: 'kubecdn StartRegion/StopRegion steps: EKS, Kubernetes API, load balancers, Route 53 in the target region',
      timeout: Duration.minutes(2),
      memorySize: 512,
      environment: {}, // set below: the function's own role ARN is only known once it exists
    });
    const role = this.regionOps.role!;
    for (const [key, value] of Object.entries(
      environmentVariables({
        config,
        clusterRoleArn: props.clusterRoles.clusterRole.roleArn,
        nodeRoleArn: props.clusterRoles.nodeRole.roleArn,
        workflowRoleArn: role.roleArn,
        networkParameterName: props.networkParameterName,
      }),
    )) {
      this.regionOps.addEnvironment(key, value);
    }
    this.grantRegionOperations(role, props);

    const definitionProps = {
      regionOps: this.regionOps,
      lock: this.lock,
      topic: props.topic,
      manifests: props.manifests,
      lockSeconds: REGION_WORKFLOW_TIMEOUT.toSeconds(),
    };
    const logKey = new kms.Key(this, 'WorkflowLogsKey', {
      description: 'Encrypts the kubecdn region workflow logs',
      enableKeyRotation: true,
    });
    logKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));

    const machine = (
      name: 'StartRegion' | 'StopRegion' | 'SyncRegion' | 'RolloutWorkload',
      definition: sfn.IChainable,
      comment: string,
    ) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small with many log groups.
        logGroupName: `/aws/vendedlogs/states/${config.name}-${name}`,
        retention: logs.RetentionDays.THREE_MONTHS,
        encryptionKey: logKey,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const stateMachine = new sfn.StateMachine(this, name, {
        stateMachineName: `${config.name}-${name}`,
        stateMachineType: sfn.StateMachineType.STANDARD,
        comment,
        definitionBody: sfn.DefinitionBody.fromChainable(definition),
        timeout: name === 'RolloutWorkload' ? ROLLOUT_TIMEOUT : REGION_WORKFLOW_TIMEOUT,
        tracingEnabled: true,
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      });
      // What SNS needs from a publisher to an encrypted topic, and no more.
      props.topicKey.grant(stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
      return stateMachine;
    };
    this.startRegion = machine(
      'StartRegion',
      startRegionDefinition(this, definitionProps),
      'Converges one region to serving; input {"region": "<code>", "reason"?: "..."}',
    );
    this.stopRegion = machine(
      'StopRegion',
      stopRegionDefinition(this, definitionProps),
      'Converges one region to nothing left, nothing billed (warm standby: control plane kept); input {"region": "<code>", "force"?: true, "removed"?: true, "reason"?: "..."}',
    );

    this.syncRegion = machine(
      'SyncRegion',
      syncRegionDefinition(this, definitionProps),
      'Brings one serving region to the deployed workload version, restoring the previous one if the new one fails; input {"region": "<code>", "reason"?: "..."}',
    );
    this.rolloutWorkload = machine(
      'RolloutWorkload',
      rolloutWorkloadDefinition(this, {
        ...definitionProps,
        syncRegion: this.syncRegion,
        regionsAtOnce: config.workload.rolloutRegionsAtOnce,
      }),
      'Runs SyncRegion over the serving regions in waves, halting after a wave with a failure; started by cdk deploy when the workload changes; input {"version"?: "...", "regions"?: [...], "reason"?: "..."}',
    );

    new CfnOutput(stack, 'StartRegionStateMachineArn', {
      value: this.startRegion.stateMachineArn,
      description: `aws stepfunctions start-execution --state-machine-arn <this> --input '{"region":"eu-west-1"}'`,
    });
    new CfnOutput(stack, 'StopRegionStateMachineArn', {
      value: this.stopRegion.stateMachineArn,
      description:
        'Stops a region; same input, plus "force": true for an always-on region, or "removed": true for a region no longer in the config',
    });
    new CfnOutput(stack, 'SyncRegionStateMachineArn', {
      value: this.syncRegion.stateMachineArn,
      description: 'Applies the deployed workload to one serving region; same input as StartRegion',
    });
    new CfnOutput(stack, 'RolloutWorkloadStateMachineArn', {
      value: this.rolloutWorkload.stateMachineArn,
      description: `Rolls the deployed workload out to every serving region, wave by wave; input '{}' or '{"regions":["eu-west-1"]}'`,
    });
    new CfnOutput(stack, 'RegionLockTableName', {
      value: this.lock.table.tableName,
      description: 'Which region operation holds which region',
    });

    this.acknowledgeFindings(role);
  }

  /** Least privilege for the region-ops role: the project's clusters, the two roles it passes to EKS, the configured zone. */
  private grantRegionOperations(role: iam.IRole, props: RegionWorkflowsProps): void {
    const { account } = Stack.of(this);
    const project = props.config.name;
    const policy = new iam.Policy(this, 'RegionOpsPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'ProjectClusters',
          actions: [
            'eks:CreateCluster',
            'eks:DescribeCluster',
            'eks:DeleteCluster',
            'eks:TagResource',
            'eks:ListNodegroups',
            'eks:CreateNodegroup',
            'eks:CreateAccessEntry',
            'eks:AssociateAccessPolicy',
          ],
          resources: [`arn:aws:eks:*:${account}:cluster/${project}-*`],
        }),
        new iam.PolicyStatement({
          sid: 'ProjectClusterParts',
          actions: [
            'eks:DescribeNodegroup',
            'eks:DeleteNodegroup',
            'eks:CreateNodegroup',
            'eks:UpdateNodegroupConfig',
            'eks:TagResource',
            'eks:AssociateAccessPolicy',
            'eks:CreateAccessEntry',
          ],
          resources: [`arn:aws:eks:*:${account}:nodegroup/${project}-*/*/*`, `arn:aws:eks:*:${account}:access-entry/${project}-*/*`],
        }),
        new iam.PolicyStatement({
          sid: 'PassClusterAndNodeRolesToEks',
          actions: ['iam:PassRole'],
          resources: [props.clusterRoles.clusterRole.roleArn, props.clusterRoles.nodeRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'EksServiceLinkedRoles',
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [`arn:aws:iam::${account}:role/aws-service-role/eks*.amazonaws.com/*`],
          conditions: { StringLike: { 'iam:AWSServiceName': 'eks*.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'RegionNetworkParameter',
          actions: ['ssm:GetParameter'],
          resources: [`arn:aws:ssm:*:${account}:parameter${props.networkParameterName}`],
        }),
        new iam.PolicyStatement({
          sid: 'ConfiguredZoneRecords',
          actions: ['route53:ChangeResourceRecordSets'],
          resources: [`arn:aws:route53:::hostedzone/${props.config.dns.hostedZoneId}`],
          conditions: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': [props.config.dns.domainName],
              'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
            },
          },
        }),
        new iam.PolicyStatement({
          sid: 'ConfiguredZoneRead',
          actions: ['route53:ListResourceRecordSets'],
          resources: [`arn:aws:route53:::hostedzone/${props.config.dns.hostedZoneId}`],
        }),
        new iam.PolicyStatement({
          sid: 'RecordChangeStatus',
          actions: ['route53:GetChange'],
          resources: ['arn:aws:route53:::change/*'],
        }),
        new iam.PolicyStatement({
          sid: 'HealthChecks',
          actions: [
            'route53:DeleteHealthCheck',
            'route53:ChangeTagsForResource',
            'route53:ListTagsForResources',
            'route53:GetHealthCheck',
            'route53:GetHealthCheckStatus',
          ],
          resources: ['arn:aws:route53:::healthcheck/*'],
        }),
        // StopRegion of a region removed from the config deletes that region's network stack (only
        // one tagged with this project and region; the code checks). CloudFormation deletes a stack
        // with the service role it was deployed with (the CDK bootstrap's execution role), even if
        // the caller may not pass that role, so no iam:PassRole is needed here.
        new iam.PolicyStatement({
          sid: 'RemovedRegionNetworkStacks',
          actions: ['cloudformation:DeleteStack', 'cloudformation:DescribeStacks'],
          resources: [`arn:aws:cloudformation:*:${account}:stack/${networkStackName(project, '*')}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'UnscopableReads',
          actions: [
            'route53:CreateHealthCheck',
            'route53:ListHealthChecks',
            'elasticloadbalancing:DescribeLoadBalancers',
            'tag:GetResources',
          ],
          resources: ['*'],
        }),
      ],
    });
    policy.attachToRole(role);
    this.grantKubernetesApiRelay(role, project);
    const reasons: Record<string, string> = {
      [`Resource::arn:aws:eks:*:<AWS::AccountId>:cluster/${project}-*`]: `Only clusters named ${project}-<region>, in whichever region the workflow starts; the region is not known at deploy time.`,
      [`Resource::arn:aws:eks:*:<AWS::AccountId>:nodegroup/${project}-*/*/*`]: `Only node groups of the ${project}-<region> clusters; EKS adds a generated id to each node group ARN.`,
      [`Resource::arn:aws:eks:*:<AWS::AccountId>:access-entry/${project}-*/*`]: `Only access entries of the ${project}-<region> clusters; EKS adds a generated id to each access entry ARN.`,
      [`Resource::arn:aws:iam::<AWS::AccountId>:role/aws-service-role/eks*.amazonaws.com/*`]:
        'EKS creates its service-linked roles (cluster, node group) on first use; limited to EKS service names by condition.',
      [`Resource::arn:aws:ssm:*:<AWS::AccountId>:parameter${props.networkParameterName}`]:
        'The one network parameter, read in whichever region is being started.',
      [`Resource::arn:aws:cloudformation:*:<AWS::AccountId>:stack/${networkStackName(project, '*')}/*`]: `Only the ${project}-network-<region> stacks, deleted when their region is removed from the config (the region is not known at deploy time; CloudFormation adds a generated id to each stack ARN); the code deletes only a stack tagged with this project and region.`,
      'Resource::arn:aws:route53:::change/*': 'Route 53 change ids are generated per change; GetChange only reads a change status.',
      'Resource::arn:aws:route53:::healthcheck/*':
        'Health check ids are generated by Route 53 and Route 53 has no tag conditions; the code only deletes checks tagged with this project and region.',
      'Resource::*':
        'CreateHealthCheck, ListHealthChecks, elasticloadbalancing:DescribeLoadBalancers and tag:GetResources support no resource-level permissions.',
    };
    for (const [resource, reason] of Object.entries(reasons)) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${resource}]`, reason });
    }
  }

  /**
   * A private cluster endpoint is reached through the region's Kubernetes API relay: region-ops
   * may invoke exactly that function, in any region, and converge a cluster's endpoint access.
   */
  private grantKubernetesApiRelay(role: iam.IRole, project: string): void {
    const { account } = Stack.of(this);
    const relayArn = `arn:aws:lambda:*:${account}:function:${kubernetesApiRelayName(project)}`;
    const policy = new iam.Policy(this, 'KubernetesApiRelayPolicy', {
      statements: [
        new iam.PolicyStatement({ sid: 'InvokeKubernetesApiRelays', actions: ['lambda:InvokeFunction'], resources: [relayArn] }),
        new iam.PolicyStatement({
          sid: 'ClusterEndpointAccess',
          actions: ['eks:UpdateClusterConfig'],
          resources: [`arn:aws:eks:*:${account}:cluster/${project}-*`],
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:aws:lambda:*:<AWS::AccountId>:function:${kubernetesApiRelayName(project)}]`,
        reason: `Only the function named ${kubernetesApiRelayName(project)}, which each region's network stack deploys under that one name; the region is the only wildcard, since the workflow acts in whichever region it is started for.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:aws:eks:*:<AWS::AccountId>:cluster/${project}-*]`,
        reason: `Only clusters named ${project}-<region>, in whichever region the workflow starts; the region is not known at deploy time.`,
      },
    );
  }

  private acknowledgeFindings(role: iam.IRole): void {
    Validations.of(this.regionOps).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins Node.js 22 for Lambda, local runs and CI alike (lib/function-factory.ts), so the tests exercise the runtime that is deployed; moving to 24 is a project-wide change.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Lets the function write its own logs; AWS maintains it and it grants nothing beyond the function's log streams.",
    });
    for (const resource of ['*']) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      });
    }
    const stack = Stack.of(this);
    const syncRegionId = stack.getLogicalId(this.syncRegion.node.defaultChild as never);
    Validations.of(this.rolloutWorkload.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${syncRegionId}"}]}]}*]`,
      reason:
        'Describing and stopping the SyncRegion executions this roll-out starts and waits for (the .sync integration); execution names are generated per run.',
    });
    for (const machine of [this.startRegion, this.stopRegion, this.syncRegion, this.rolloutWorkload]) {
      Validations.of(machine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.regionOps.node.defaultChild as never)}.Arn>:*]`,
        reason: 'Invoking any version or alias of the region-ops function, which is the one function this workflow runs.',
      });
      Validations.of(machine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and CloudWatch Logs delivery actions support no resource-level permissions.',
      });
    }
  }
}
