import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import { CONFIG_DIGEST_CONSTANT, configConstants } from '../lambdas/shared/deployed-config';
import { Autoscaler } from './autoscaler';
import { ClusterRoles } from './cluster-roles';
import { EdgeAgentIdentity } from './edge-agent-identity';
import { synthesizeEdgeFiles } from './edge-files';
import { bundlingFunctionFactory, type FunctionFactory } from './function-factory';
import { networkParameterName } from './naming';
import { OperationsAlarms } from './operations-alarms';
import { OperationsDashboard } from './operations-dashboard';
import { OperationsTopic } from './operations-topic';
import { RegionChangeSummary } from './region-change-summary';
import { RegionOverrideTable } from './region-override-table';
import { RegionWorkflows } from './region-workflows';
import { loadWorkloadManifests } from './region-workflows-manifests';
import { workloadVersion } from './workload-version';
import { OVERRIDE_TABLE_OUTPUT } from '../lambdas/shared/region-override-item';

export interface ControlStackProps extends StackProps {
  readonly config: KubeCdnConfig;
  /** How Lambda functions are built; stack tests pass inlineFunctionFactory. Default: bundled with esbuild. */
  readonly functionFactory?: FunctionFactory;
  /** The workload manifests folder (config `workload.manifestsDir`, resolved against the config file). */
  readonly manifestsDir: string;
}

/** The control plane, in the home region: cluster roles, the operations topic, and (through their own constructs) the workflows and autoscaler. */
export class ControlStack extends Stack {
  readonly operations: OperationsTopic;
  readonly clusterRoles: ClusterRoles;
  readonly edgeAgent: EdgeAgentIdentity;
  readonly regionWorkflows: RegionWorkflows;
  readonly autoscaler: Autoscaler;
  readonly overrides: RegionOverrideTable;

  constructor(scope: Construct, id: string, props: ControlStackProps) {
    const { config } = props;
    super(scope, id, { ...props, env: { ...props.env, region: config.homeRegion } });

    this.operations = new OperationsTopic(this, 'Operations', config.notifications);
    this.clusterRoles = new ClusterRoles(this, 'ClusterRoles', { mode: config.cluster.mode });

    this.edgeAgent = new EdgeAgentIdentity(this, 'EdgeAgent', { config });

    const manifests = loadWorkloadManifests(props.manifestsDir);
    const edgeFiles = synthesizeEdgeFiles(config);
    this.regionWorkflows = new RegionWorkflows(this, 'RegionWorkflows', {
      config,
      edgeFiles: edgeFiles.files,
      clusterRoles: this.clusterRoles,
      topic: this.operations.topic,
      topicKey: this.operations.key,
      manifests,
      networkParameterName: networkParameterName(config.name),
      edgeAgentRole: this.edgeAgent.role,
      functionFactory: props.functionFactory ?? bundlingFunctionFactory,
    });

    const { startRegion, stopRegion, upgradeRegion } = this.regionWorkflows;
    this.overrides = new RegionOverrideTable(this, 'RegionOverrides');
    this.autoscaler = new Autoscaler(this, 'Autoscaler', {
      config,
      startRegion,
      stopRegion,
      upgradeRegion,
      functionFactory: props.functionFactory ?? bundlingFunctionFactory,
      overrideTable: this.overrides.table,
      topic: this.operations.topic,
      topicKey: this.operations.key,
    });
    // After the state machines update: stops regions the config removed, rolls a changed workload out.
    new RegionChangeSummary(this, 'RegionChanges', {
      config,
      functionFactory: props.functionFactory ?? bundlingFunctionFactory,
      workloadVersion: workloadVersion(manifests, config, edgeFiles.identity),
      rollout: this.regionWorkflows.rolloutWorkload,
      stopRegion,
      upgradeClusters: this.regionWorkflows.upgradeClusters,
      topic: this.operations.topic,
      topicKey: this.operations.key,
    });
    const watched = {
      config,
      autoscaler: this.autoscaler.function,
      autoscalerServiceName: this.autoscaler.serviceName,
      startRegion,
      stopRegion,
    };
    new OperationsDashboard(this, 'Dashboard', {
      ...watched,
      autoscalerLogGroupName: this.autoscaler.function.logGroup.logGroupName,
      operatorWorkflows: {
        SyncRegion: this.regionWorkflows.syncRegion,
        RolloutWorkload: this.regionWorkflows.rolloutWorkload,
        PurgeCache: this.regionWorkflows.purgeCache,
        UpgradeClusters: this.regionWorkflows.upgradeClusters,
      },
    });
    new OperationsAlarms(this, 'Alarms', { ...watched, topics: this.operations.alarmTopics });

    new CfnOutput(this, 'OperationsTopicArn', {
      value: this.operations.topic.topicArn,
      description: 'SNS topic for region starts, stops, failures and alarms',
    });
    new CfnOutput(this, 'ClusterRoleArn', {
      value: this.clusterRoles.clusterRole.roleArn,
      description: 'IAM role EKS assumes for every edge cluster',
    });
    new CfnOutput(this, 'EdgeAgentRoleArn', {
      value: this.edgeAgent.role.roleArn,
      description: 'IAM role of the edge pods (EKS Pod Identity): edge metrics and sampled access logs',
    });
    new CfnOutput(this, 'EdgeAccessLogGroupName', {
      value: this.edgeAgent.accessLogGroup.logGroupName,
      description: "CloudWatch Logs group of the edges' sampled access logs, kept when a region stops",
    });
    new CfnOutput(this, 'NodeRoleArn', { value: this.clusterRoles.nodeRole.roleArn, description: "IAM role of the edge clusters' nodes" });
    // kubecdn override finds the table by this key (cli/control-stack-outputs.ts).
    new CfnOutput(this, OVERRIDE_TABLE_OUTPUT, {
      value: this.overrides.table.tableName,
      description: 'DynamoDB table of temporary region overrides (kubecdn override), read by the autoscaler every tick',
    });
    // The Cleanup procedure (README) disables it first, or the autoscaler would start always-on regions again.
    new CfnOutput(this, 'AutoscalerScheduleRuleName', {
      value: this.autoscaler.schedule.ruleName,
      description: 'EventBridge rule that runs the autoscaler; disable it before stopping every region',
    });
    // `kubecdn plan` and `status` decide with the local config file; this tells them whether it is the one deployed.
    new CfnOutput(this, 'DeployedConfigSha256', {
      value: configConstants(config)[CONFIG_DIGEST_CONSTANT]!,
      description: 'SHA-256 of the config the autoscaler and workflows were deployed with (the validated regions.json as JSON)',
    });
  }
}
