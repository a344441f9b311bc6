/**
 * What the CDK stack tells the region-ops Lambda through its environment: the deployed config
 * and the ARNs and names it works with. Read once per container, validated like any boundary.
 */
import { z } from 'zod';
import type { KubeCdnConfig } from '../../core/config';
import { CONFIG_VARIABLE, configVariableValue, deployedConfig } from '../shared/deployed-config';
import { describeIssues } from '../shared/validated-event';

export interface RegionOpsDeployment {
  readonly config: KubeCdnConfig;
  readonly clusterRoleArn: string;
  readonly nodeRoleArn: string;
  /** This function's own role: the principal granted access to each cluster's Kubernetes API. */
  readonly workflowRoleArn: string;
  readonly networkParameterName: string;
}

const arn = z.string().startsWith('arn:');
const environmentSchema = z.object({
  CLUSTER_ROLE_ARN: arn,
  NODE_ROLE_ARN: arn,
  WORKFLOW_ROLE_ARN: arn,
  NETWORK_PARAMETER_NAME: z.string().startsWith('/'),
});

export function environmentVariables(deployment: RegionOpsDeployment): Record<string, string> {
  return {
    [CONFIG_VARIABLE]: configVariableValue(deployment.config),
    CLUSTER_ROLE_ARN: deployment.clusterRoleArn,
    NODE_ROLE_ARN: deployment.nodeRoleArn,
    WORKFLOW_ROLE_ARN: deployment.workflowRoleArn,
    NETWORK_PARAMETER_NAME: deployment.networkParameterName,
  };
}

export function deploymentFromEnvironment(env: NodeJS.ProcessEnv): RegionOpsDeployment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`region-ops environment is incomplete: ${describeIssues(parsed.error)}`);
  return {
    config: deployedConfig(env),
    clusterRoleArn: parsed.data.CLUSTER_ROLE_ARN,
    nodeRoleArn: parsed.data.NODE_ROLE_ARN,
    workflowRoleArn: parsed.data.WORKFLOW_ROLE_ARN,
    networkParameterName: parsed.data.NETWORK_PARAMETER_NAME,
  };
}
