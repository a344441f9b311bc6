/**
 * What the CDK stack tells the region-ops Lambda: the deployed config, compiled into its code
 * (lambdas/shared/deployed-config.ts), and through its environment the ARNs and names it works
 * with. Read once per container, validated like any boundary.
 */
import { z } from 'zod';
import type { KubeCdnConfig } from '../../core/config';
import { compiledConfigText, deployedConfig } from '../shared/deployed-config';
import { describeIssues } from '../shared/validated-event';

export interface RegionOpsDeployment {
  readonly config: KubeCdnConfig;
  readonly clusterRoleArn: string;
  readonly nodeRoleArn: string;
  /** This function's own role: the principal granted access to each cluster's Kubernetes API. */
  readonly workflowRoleArn: string;
  readonly networkParameterName: string;
  /** The edge pods' role: their service account's EKS Pod Identity association names it. */
  readonly edgeAgentRoleArn: string;
}

const arn = z.string().startsWith('arn:');
const environmentSchema = z.object({
  CLUSTER_ROLE_ARN: arn,
  NODE_ROLE_ARN: arn,
  WORKFLOW_ROLE_ARN: arn,
  NETWORK_PARAMETER_NAME: z.string().startsWith('/'),
  EDGE_AGENT_ROLE_ARN: arn,
});

/** The environment variables; the config is not among them (configConstants compiles it in). */
export function environmentVariables(deployment: Omit<RegionOpsDeployment, 'config'>): Record<string, string> {
  return {
    CLUSTER_ROLE_ARN: deployment.clusterRoleArn,
    NODE_ROLE_ARN: deployment.nodeRoleArn,
    WORKFLOW_ROLE_ARN: deployment.workflowRoleArn,
    NETWORK_PARAMETER_NAME: deployment.networkParameterName,
    EDGE_AGENT_ROLE_ARN: deployment.edgeAgentRoleArn,
  };
}

/** `configText`: the config compiled into this function's code, unless given (the workflow tests read it from the template). */
export function deploymentFromEnvironment(
  env: NodeJS.ProcessEnv,
  configText: string | undefined = compiledConfigText(),
): RegionOpsDeployment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`region-ops environment is incomplete: ${describeIssues(parsed.error)}`);
  return {
    config: deployedConfig(configText),
    clusterRoleArn: parsed.data.CLUSTER_ROLE_ARN,
    nodeRoleArn: parsed.data.NODE_ROLE_ARN,
    workflowRoleArn: parsed.data.WORKFLOW_ROLE_ARN,
    networkParameterName: parsed.data.NETWORK_PARAMETER_NAME,
    edgeAgentRoleArn: parsed.data.EDGE_AGENT_ROLE_ARN,
  };
}
