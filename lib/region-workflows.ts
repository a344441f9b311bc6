import { ArnFormat, CfnOutput, Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import { environmentVariables } from '../lambdas/region-ops/deployment';
import { edgeFilesConstants, type EdgeFiles } from '../lambdas/region-ops/edge-files';
import { configConstants } from '../lambdas/shared/deployed-config';
import type { KubernetesManifest } from '../lambdas/region-ops/kubernetes-manifests';
import { POD_IDENTITY_AGENT_ADDON, WORKFLOW_ACCESS_POLICY_ARN } from '../lambdas/region-ops/names';
import type { ClusterRoles } from './cluster-roles';
import type { FunctionFactory } from './function-factory';
import { grantPeopleAccess } from './people-access-policy';
import { kubernetesApiRelayName, networkStackName, PROJECT_TAG, REGION_TAG, WORKFLOW_NAMES, type WorkflowName } from './naming';
import { regionNamePatterns } from './region-name-patterns';
import { RegionLockTable } from './region-lock-table';
import { startRegionDefinition, stopRegionDefinition } from './region-state-machines';
import { rolloutWorkloadDefinition, syncRegionDefinition } from './workload-rollout-states';
import { purgeCacheDefinition } from './purge-cache-states';
import { upgradeClustersDefinition, upgradeRegionDefinition } from './cluster-upgrade-states';

export interface RegionWorkflowsProps {
  readonly config: KubeCdnConfig;
  readonly clusterRoles: ClusterRoles;
  /** Where starts, stops and failures are reported (encrypted with `topicKey`). */
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  /** The workload manifests, read and checked at synth (see region-workflows-manifests.ts). */
  readonly manifests: readonly KubernetesManifest[];
  /** The edge agent's code and the region table, compiled into region-ops and applied with the workload. */
  readonly edgeFiles: EdgeFiles;
  /** SSM parameter name, the same in each region, holding that region's network. */
  readonly networkParameterName: string;
  /** The edge pods' role, which StartRegion associates with their service account through EKS Pod Identity. */
  readonly edgeAgentRole: iam.IRole;
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
 * A purge holds no lock and normally ends within a minute; an hour covers every retry of every
 * region's steps (each bounded) and still ends an execution that hung.
 */
export const PURGE_TIMEOUT = Duration.hours(1);

/**
 * UpgradeClusters holds no lock and runs one UpgradeRegion (each at most REGION_WORKFLOW_TIMEOUT,
 * usually under an hour) after another: two days cover tens of regions and still end one that hung.
 */
export const UPGRADE_CLUSTERS_TIMEOUT = Duration.hours(48);

/** The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small with many log groups. */
function workflowLogGroupName(project: string, workflow: WorkflowName): string {
  return `/aws/vendedlogs/states/${project}-${workflow}`;
}

/**
 * The StartRegion and StopRegion state machines, the region-ops Lambda they drive, and the
 * region lock table. See DESIGN.md, "Region lifecycle".
 */
export class RegionWorkflows extends Construct {
  readonly startRegion: sfn.StateMachine;
  readonly stopRegion: sfn.StateMachine;
  readonly syncRegion: sfn.StateMachine;
  readonly rolloutWorkload: sfn.StateMachine;
  readonly purgeCache: sfn.StateMachine;
  readonly upgradeRegion: sfn.StateMachine;
  readonly upgradeClusters: sfn.StateMachine;
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
      constants: { ...configConstants(config), ...edgeFilesConstants(props.edgeFiles) },
      environment: {}, // set below: the function's own role ARN is only known once it exists
    });
    const role = this.regionOps.role!;
    for (const [key, value] of Object.entries(
      environmentVariables({
        clusterRoleArn: props.clusterRoles.clusterRole.roleArn,
        nodeRoleArn: props.clusterRoles.nodeRole.roleArn,
        workflowRoleArn: role.roleArn,
        networkParameterName: props.networkParameterName,
        edgeAgentRoleArn: props.edgeAgentRole.roleArn,
      }),
    )) {
      this.regionOps.addEnvironment(key, value);
    }
    this.grantRegionOperations(role, props);
    this.grantEdgePodIdentity(role, props);
    grantPeopleAccess(this, role, props.config);
    this.grantClusterUpgrades(role, props);

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
    // CloudWatch Logs names the log group it encrypts for in the encryption context: only ours.
    logKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': WORKFLOW_NAMES.map(
              (name) => `arn:aws:logs:${stack.region}:${stack.account}:log-group:${workflowLogGroupName(config.name, name)}`,
            ),
          },
        },
      }),
    );

    const machine = (name: WorkflowName, definition: sfn.IChainable, comment: string) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        logGroupName: workflowLogGroupName(config.name, name),
        retention: logs.RetentionDays.THREE_MONTHS,
        encryptionKey: logKey,
        // What went wrong outlives the stack: an operator may need it after deleting it.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const stateMachine = new sfn.StateMachine(this, name, {
        stateMachineName: `${config.name}-${name}`,
        stateMachineType: sfn.StateMachineType.STANDARD,
        comment,
        definitionBody: sfn.DefinitionBody.fromChainable(definition),
        timeout:
          name === 'RolloutWorkload'
            ? ROLLOUT_TIMEOUT
            : name === 'PurgeCache'
              ? PURGE_TIMEOUT
              : name === 'UpgradeClusters'
                ? UPGRADE_CLUSTERS_TIMEOUT
                : REGION_WORKFLOW_TIMEOUT,
        tracingEnabled: true,
        // Errors only, without execution data: at ALL every state's input and output (rendered
        // pod templates, the deployed config) would be copied into the logs. The execution
        // history keeps them for 90 days for whoever may read the state machine.
        logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
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

    this.purgeCache = machine(
      'PurgeCache',
      purgeCacheDefinition(this, definitionProps),
      'Removes cached objects from the edge pods of every serving region; input {"paths": ["/img/logo.png", "/css/*"]} (a trailing * makes a prefix) or {"everything": true}, "reason"?: "..."',
    );

    this.upgradeRegion = machine(
      'UpgradeRegion',
      upgradeRegionDefinition(this, definitionProps),
      'Brings one region\'s cluster (and managed node groups) to the configured Kubernetes version, one minor at a time, holding the region lock; input {"region": "<code>", "reason"?: "..."}',
    );
    this.upgradeClusters = machine(
      'UpgradeClusters',
      upgradeClustersDefinition(this, { ...definitionProps, upgradeRegion: this.upgradeRegion }),
      'Runs UpgradeRegion over the configured regions one at a time (scalable first), halting at the first failure; started by cdk deploy when cluster.kubernetesVersion rises; input {"reason"?: "...", "regions"?: [...]}',
    );

    this.narrowSyncExecutionGrant(this.rolloutWorkload, this.syncRegion, 'RolloutWorkload');
    this.narrowSyncExecutionGrant(this.upgradeClusters, this.upgradeRegion, 'UpgradeClusters');

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
    new CfnOutput(stack, 'PurgeCacheStateMachineArn', {
      value: this.purgeCache.stateMachineArn,
      description: `Purges cached objects in every serving region; input '{"paths":["/img/logo.png","/css/*"]}' or '{"everything": true}'`,
    });
    new CfnOutput(stack, 'UpgradeRegionStateMachineArn', {
      value: this.upgradeRegion.stateMachineArn,
      description: 'Upgrades one region; started by UpgradeClusters; kubecdn plan and status read its running executions',
    });
    new CfnOutput(stack, 'UpgradeClustersStateMachineArn', {
      value: this.upgradeClusters.stateMachineArn,
      description: `Upgrades every running and warm-standby cluster to cluster.kubernetesVersion, region by region; started by cdk deploy when it rises; input '{}' or '{"regions":["eu-west-1"]}'`,
    });
    new CfnOutput(stack, 'RegionLockTableName', {
      value: this.lock.table.tableName,
      description: 'Which region operation holds which region',
    });

    this.acknowledgeFindings(role);
  }

  /**
   * Least privilege for the region-ops role: clusters, node groups, access entries and network
   * stacks named for this project and a region (see region-name-patterns.ts for why patterns and
   * not `<project>-*`); creating things only in configured regions; access entries only for the
   * role itself with the one access policy; the two roles it passes to EKS; the configured zone.
   */
  private grantRegionOperations(role: iam.IRole, props: RegionWorkflowsProps): void {
    const { account } = Stack.of(this);
    const project = props.config.name;
    const configured = configuredRegions(props.config);
    const eks = (resource: string, region = '*') => `arn:aws:eks:${region}:${account}:${resource}`;
    const clusterPatterns = regionNamePatterns(`${project}-`);
    const anyRegionClusters = clusterPatterns.map((name) => eks(`cluster/${name}`));
    const anyRegionNodegroups = clusterPatterns.map((name) => eks(`nodegroup/${name}/*`));
    const anyRegionAccessEntries = clusterPatterns.map((name) => eks(`access-entry/${name}/*`));
    const networkStackPatterns = regionNamePatterns(networkStackName(project, '')).map(
      (name) => `arn:aws:cloudformation:*:${account}:stack/${name}/*`,
    );
    const policy = new iam.Policy(this, 'RegionOpsPolicy', {
      statements: [
        // CreateCluster has no resource-level permissions: it is held to the configured regions,
        // the project's tags and no implicit admin for the creator instead.
        new iam.PolicyStatement({
          sid: 'CreateClustersInConfiguredRegions',
          actions: ['eks:CreateCluster'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'aws:RequestedRegion': configured,
              [`aws:RequestTag/${PROJECT_TAG}`]: project,
              [`aws:RequestTag/${REGION_TAG}`]: configured,
            },
            Bool: { 'eks:bootstrapClusterCreatorAdminPermissions': 'false' },
          },
        }),
        // Any region-shaped name of this project: stops and removals tear down regions the config no
        // longer names. Node-group creation and updates are on the same patterns rather than on each
        // configured region's exact ARNs, which would grow the role's policies with every region past
        // IAM's 10,240-character limit (30 regions reach 21,000); creating a cluster, the step that
        // starts billing, is still held to the configured regions above.
        // eks:TagResource: EKS may authorize the tags given at creation as tagging the new resource.
        new iam.PolicyStatement({
          sid: 'ProjectClusters',
          actions: [
            'eks:DescribeCluster',
            'eks:ListNodegroups',
            'eks:DeleteCluster',
            'eks:DescribeNodegroup',
            'eks:DeleteNodegroup',
            'eks:CreateNodegroup',
            'eks:UpdateNodegroupConfig',
            'eks:TagResource',
          ],
          resources: [...anyRegionClusters, ...anyRegionNodegroups],
        }),
        // A stop may meet a cluster whose start failed before access was granted, so any project
        // cluster; but only an access entry for this role, with the one cluster-admin policy.
        new iam.PolicyStatement({
          sid: 'WorkflowRoleAccessEntry',
          actions: ['eks:CreateAccessEntry'],
          resources: anyRegionClusters,
          conditions: {
            ArnEquals: { 'eks:principalArn': role.roleArn },
            StringEquals: { 'eks:accessEntryType': 'STANDARD' },
          },
        }),
        new iam.PolicyStatement({
          sid: 'WorkflowRoleAccessPolicy',
          actions: ['eks:AssociateAccessPolicy'],
          resources: anyRegionAccessEntries,
          conditions: {
            ArnEquals: { 'eks:principalArn': role.roleArn, 'eks:policyArn': WORKFLOW_ACCESS_POLICY_ARN },
            StringEquals: { 'eks:accessScope': 'cluster' },
          },
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
        // The one network parameter, in whichever region a cluster or node group is created.
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
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': [props.config.dns.domainName.toLowerCase()],
              'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
              'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
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
          resources: networkStackPatterns,
        }),
        // A configured region keeps its network stack; only `cdk deploy` removes it.
        new iam.PolicyStatement({
          sid: 'KeepConfiguredRegionNetworkStacks',
          effect: iam.Effect.DENY,
          actions: ['cloudformation:DeleteStack'],
          resources: configured.map((region) => `arn:aws:cloudformation:${region}:${account}:stack/${networkStackName(project, region)}/*`),
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
    const nagAccount = (arn: string) => arn.replace(account, '<AWS::AccountId>');
    this.grantKubernetesApiRelay(role, project);
    const reasons: Record<string, string> = {
      'Resource::arn:aws:route53:::change/*': 'Route 53 change ids are generated per change; GetChange only reads a change status.',
      'Resource::arn:aws:route53:::healthcheck/*':
        'Health check ids are generated by Route 53 and Route 53 has no tag conditions; the code only deletes checks tagged with this project and region.',
      [`Resource::arn:aws:iam::<AWS::AccountId>:role/aws-service-role/eks*.amazonaws.com/*`]:
        'EKS creates its service-linked roles (cluster, node group) on first use; limited to EKS service names by condition.',
      [`Resource::arn:aws:ssm:*:<AWS::AccountId>:parameter${props.networkParameterName}`]:
        'The one network parameter (the same name in every region), read in whichever region a cluster or node group is created.',
      'Resource::*':
        'eks:CreateCluster (held to the configured regions, the project tags and no creator admin by conditions), route53:CreateHealthCheck, route53:ListHealthChecks, elasticloadbalancing:DescribeLoadBalancers and tag:GetResources support no resource-level permissions.',
    };
    for (const arn of anyRegionClusters)
      reasons[`Resource::${nagAccount(arn)}`] =
        `Only clusters named ${project}-<region> for a region code of this shape, in any region: stops and removals reach regions no longer in the config. Access entries on them only for this role, by condition.`;
    for (const arn of anyRegionNodegroups)
      reasons[`Resource::${nagAccount(arn)}`] =
        `Only node groups of the ${project}-<region> clusters; EKS adds the group name and a generated id to each node group ARN.`;
    for (const arn of anyRegionAccessEntries)
      reasons[`Resource::${nagAccount(arn)}`] =
        `Only access entries of the ${project}-<region> clusters (EKS adds the principal and a generated id), and only this role's with the cluster-admin access policy, by condition.`;
    for (const arn of networkStackPatterns)
      reasons[`Resource::${nagAccount(arn)}`] =
        `Only the ${networkStackName(project, '<region>')} stacks, deleted when their region is removed from the config (CloudFormation adds a generated id to each stack ARN); configured regions' stacks are denied, and the code deletes only a stack tagged with this project and region.`;
    for (const [resource, reason] of Object.entries(reasons)) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${resource}]`, reason });
    }
  }

  /**
   * The edge pods' Pod Identity association (made by StartRegion and SyncRegion, removed by
   * StopRegion, listed by the sweep) and, on managed node groups, the agent add-on that serves it:
   * on the project's clusters only, naming only the edge agent role. A managed policy of its own,
   * since the inline policies of the role are near IAM's 10,240-character limit with many regions.
   */
  private grantEdgePodIdentity(role: iam.IRole, props: RegionWorkflowsProps): void {
    const { account } = Stack.of(this);
    const project = props.config.name;
    const clusterPatterns = regionNamePatterns(`${project}-`);
    const eks = (resource: string) => `arn:aws:eks:*:${account}:${resource}`;
    const clusters = clusterPatterns.map((name) => eks(`cluster/${name}`));
    // EKS adds a generated id to each association's ARN and a version id to the add-on's.
    const associations = clusterPatterns.map((name) => eks(`podidentityassociation/${name}/*`));
    const addons = clusterPatterns.map((name) => eks(`addon/${name}/${POD_IDENTITY_AGENT_ADDON}/*`));
    const policy = new iam.ManagedPolicy(this, 'EdgePodIdentityPolicy', {
      description: `kubecdn region workflows: the edge pods' EKS Pod Identity association and agent add-on on the ${project} clusters`,
      statements: [
        new iam.PolicyStatement({
          sid: 'EdgePodIdentityOnProjectClusters',
          actions: ['eks:ListPodIdentityAssociations', 'eks:CreatePodIdentityAssociation', 'eks:CreateAddon'],
          resources: clusters,
        }),
        new iam.PolicyStatement({
          sid: 'EdgePodIdentityAssociations',
          actions: [
            'eks:DescribePodIdentityAssociation',
            'eks:UpdatePodIdentityAssociation',
            'eks:DeletePodIdentityAssociation',
            'eks:TagResource',
          ],
          resources: associations,
        }),
        new iam.PolicyStatement({
          sid: 'PodIdentityAgentAddon',
          // A failed add-on is deleted, so that the next start creates it afresh.
          actions: ['eks:DescribeAddon', 'eks:DeleteAddon', 'eks:TagResource'],
          resources: addons,
        }),
        // EKS asks for iam:PassRole on the role an association names (EKS User Guide, "Assign an
        // IAM role to a Kubernetes service account"): the edge agent role only.
        new iam.PolicyStatement({
          sid: 'PassEdgeAgentRoleToPodIdentity',
          actions: ['iam:PassRole'],
          resources: [props.edgeAgentRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
        }),
      ],
    });
    role.addManagedPolicy(policy);
    const nagAccount = (arn: string) => arn.replace(account, '<AWS::AccountId>');
    Validations.of(policy).acknowledge(
      ...clusters.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
        reason: `Only clusters named ${project}-<region> (one pattern per region-code shape), in whichever region the workflow acts.`,
      })),
      ...associations.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
        reason: `Only Pod Identity associations of the ${project}-<region> clusters; EKS adds a generated id to each association ARN.`,
      })),
      ...addons.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
        reason: `Only the ${POD_IDENTITY_AGENT_ADDON} add-on of the ${project}-<region> clusters; EKS adds a generated id to each add-on ARN.`,
      })),
    );
  }

  /**
   * UpgradeRegion's EKS calls beyond what the other workflows make: moving a project cluster's
   * control plane one minor (UpdateClusterVersion), its managed node groups to the control plane's
   * version (UpdateNodegroupVersion), and reading those updates (DescribeUpdate, authorized on the
   * cluster or node group it names). On the same region-shaped names as the other cluster grants;
   * a managed policy of its own, since the role's inline policies are near IAM's size limit.
   */
  private grantClusterUpgrades(role: iam.IRole, props: RegionWorkflowsProps): void {
    const { account } = Stack.of(this);
    const project = props.config.name;
    const clusterPatterns = regionNamePatterns(`${project}-`);
    const eks = (resource: string) => `arn:aws:eks:*:${account}:${resource}`;
    const clusters = clusterPatterns.map((name) => eks(`cluster/${name}`));
    const nodegroups = clusterPatterns.map((name) => eks(`nodegroup/${name}/*`));
    const addons = clusterPatterns.map((name) => eks(`addon/${name}/${POD_IDENTITY_AGENT_ADDON}/*`));
    const policy = new iam.ManagedPolicy(this, 'ClusterUpgradePolicy', {
      description: `kubecdn region workflows: Kubernetes version upgrades of the ${project} clusters and their node groups`,
      statements: [
        new iam.PolicyStatement({
          sid: 'UpgradeProjectClusters',
          actions: ['eks:UpdateClusterVersion', 'eks:DescribeUpdate'],
          resources: clusters,
        }),
        new iam.PolicyStatement({
          sid: 'UpgradeProjectNodegroups',
          actions: ['eks:UpdateNodegroupVersion', 'eks:DescribeUpdate'],
          resources: nodegroups,
        }),
        // EKS does not move add-ons with the cluster: the Pod Identity agent's is updated when its version no longer fits.
        new iam.PolicyStatement({
          sid: 'UpgradeAgentAddon',
          actions: ['eks:UpdateAddon'],
          resources: addons,
        }),
        // The add-on catalog is EKS's, not a resource of the account.
        new iam.PolicyStatement({
          sid: 'AddonCatalog',
          actions: ['eks:DescribeAddonVersions'],
          resources: ['*'],
        }),
      ],
    });
    role.addManagedPolicy(policy);
    const nagAccount = (arn: string) => arn.replace(account, '<AWS::AccountId>');
    Validations.of(policy).acknowledge(
      ...clusters.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
        reason: `Only clusters named ${project}-<region> (one pattern per region-code shape), in whichever region the upgrade acts.`,
      })),
      ...nodegroups.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
        reason: `Only node groups of the ${project}-<region> clusters; EKS adds the group name and a generated id to each node group ARN.`,
      })),
      ...addons.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
        reason: `Only the ${POD_IDENTITY_AGENT_ADDON} add-on of the ${project}-<region> clusters; EKS adds a generated id to each add-on ARN.`,
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "eks:DescribeAddonVersions reads EKS's add-on catalog and supports no resource-level permissions.",
      },
    );
  }

  /**
   * The .sync integration of RolloutWorkload (UpgradeClusters) grants DescribeExecution and
   * StopExecution on `execution:<SyncRegion's (UpgradeRegion's) name>*`, which also matches the
   * executions of any state machine whose name starts with it (`kubecdn-SyncRegionOld`). This puts
   * the separator back, `execution:<name>:*`, in the parent role's policy as synthesized.
   */
  private narrowSyncExecutionGrant(parent: sfn.StateMachine, child: sfn.StateMachine, parentName: string): void {
    const stack = Stack.of(this);
    const name = stack.splitArn(child.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    const executions = (suffix: string): unknown =>
      stack.resolve(
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          resourceName: `${name}${suffix}`,
        }),
      );
    const generated = JSON.stringify(executions('*'));
    const narrowed = executions(':*');
    const cfnPolicy = parent.role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    const document: unknown = cfnPolicy.policyDocument;
    cfnPolicy.policyDocument = Lazy.any({
      produce: () => {
        const resolved = stack.resolve(document) as { Statement: { Resource: unknown }[] };
        let replaced = 0;
        const narrow = (resource: unknown) => (JSON.stringify(resource) === generated ? (replaced++, narrowed) : resource);
        for (const statement of resolved.Statement)
          statement.Resource = Array.isArray(statement.Resource) ? statement.Resource.map(narrow) : narrow(statement.Resource);
        if (replaced === 0) throw new Error(`the .sync grant of ${parentName} no longer has the execution pattern this narrows; review it`);
        return resolved;
      },
    });
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
          // The same region-shaped names as the other cluster grants (see region-name-patterns.ts).
          resources: regionNamePatterns(`${project}-`).map((name) => `arn:aws:eks:*:${account}:cluster/${name}`),
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:aws:lambda:*:<AWS::AccountId>:function:${kubernetesApiRelayName(project)}]`,
        reason: `Only the function named ${kubernetesApiRelayName(project)}, which each region's network stack deploys under that one name; the region is the only wildcard, since the workflow acts in whichever region it is started for.`,
      },
      ...regionNamePatterns(`${project}-`).map((name) => ({
        id: `AwsSolutions-IAM5[Resource::arn:aws:eks:*:<AWS::AccountId>:cluster/${name}]`,
        reason: `Only clusters named ${project}-<region> (one pattern per region-code shape), in whichever region the workflow starts.`,
      })),
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
    for (const [parent, child, name] of [
      [this.rolloutWorkload, this.syncRegion, 'SyncRegion'],
      [this.upgradeClusters, this.upgradeRegion, 'UpgradeRegion'],
    ] as const) {
      const childId = stack.getLogicalId(child.node.defaultChild as never);
      Validations.of(parent.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${childId}"}]}]}:*]`,
        reason: `Describing and stopping executions of ${name} only (the .sync integration waits for the ones it starts); execution names are generated per run.`,
      });
    }
    for (const machine of [
      this.startRegion,
      this.stopRegion,
      this.syncRegion,
      this.rolloutWorkload,
      this.purgeCache,
      this.upgradeRegion,
      this.upgradeClusters,
    ]) {
      Validations.of(machine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.regionOps.node.defaultChild as never)}.Arn>:*]`,
        reason: 'Invoking any version or alias of the region-ops function, which is the one function this workflow runs.',
      });
      Validations.of(machine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason:
          'Logs ERROR events only, without execution data: at ALL every state input and output (rendered pod templates, the deployed config) would be copied to CloudWatch Logs; the execution history keeps them for 90 days.',
      });
      Validations.of(machine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and CloudWatch Logs delivery actions support no resource-level permissions.',
      });
    }
  }
}
