/**
 * What the CDK stack tells the region-ops Lambda: the deployed config and the edge files, compiled
 * into its code (lambdas/shared/deployed-config.ts, edge-files.ts), and through its environment the
 * ARNs and names it works with. Read once per container, validated like any boundary.
 *
 * The config is taken on the digest compiled in beside it, as the autoscaler takes it: a config
 * whose digest does not match (a hand-edited function) is refused rather than validated again,
 * which keeps the config schema and the full zod library out of this function's bundle.
 */
import * as z from 'zod/mini';
import type { KubeCdnConfig } from '../../core/config/schema';
import { CONFIG_DIGEST_CONSTANT, compiledConfigDigest, compiledConfigText, deployedConfig } from '../shared/deployed-config';
import { describeIssues } from '../shared/validated-event';
import { compiledEdgeConstants, edgeFilesFromConstants, type EdgeFiles } from './edge-files';

export interface RegionOpsDeployment {
  readonly config: KubeCdnConfig;
  readonly clusterRoleArn: string;
  readonly nodeRoleArn: string;
  /** This function's own role: the principal granted access to each cluster's Kubernetes API. */
  readonly workflowRoleArn: string;
  readonly networkParameterName: string;
  /** The edge pods' role: their service account's EKS Pod Identity association names it. */
  readonly edgeAgentRoleArn: string;
  /** The edge agent's code and the region table, applied with the workload. */
  readonly edgeFiles: EdgeFiles;
}

const arn = z.string().check(z.startsWith('arn:'));
const environmentSchema = z.object({
  CLUSTER_ROLE_ARN: arn,
  NODE_ROLE_ARN: arn,
  WORKFLOW_ROLE_ARN: arn,
  NETWORK_PARAMETER_NAME: z.string().check(z.startsWith('/')),
  EDGE_AGENT_ROLE_ARN: arn,
});

/** The environment variables; the config and the edge files are not among them (they are compiled in). */
export function environmentVariables(deployment: Omit<RegionOpsDeployment, 'config' | 'edgeFiles'>): Record<string, string> {
  return {
    CLUSTER_ROLE_ARN: deployment.clusterRoleArn,
    NODE_ROLE_ARN: deployment.nodeRoleArn,
    WORKFLOW_ROLE_ARN: deployment.workflowRoleArn,
    NETWORK_PARAMETER_NAME: deployment.networkParameterName,
    EDGE_AGENT_ROLE_ARN: deployment.edgeAgentRoleArn,
  };
}

/**
 * `configText`, `constants` (the config's digest and the edge files): what was compiled into this
 * function's code, unless given (the workflow tests read them from the template).
 */
export function deploymentFromEnvironment(
  env: NodeJS.ProcessEnv,
  configText: string | undefined = compiledConfigText(),
  constants: Record<string, string | undefined> = { ...compiledEdgeConstants(), [CONFIG_DIGEST_CONSTANT]: compiledConfigDigest() },
): RegionOpsDeployment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`region-ops environment is incomplete: ${describeIssues(parsed.error)}`);
  return {
    config: deployedConfig(configText, constants[CONFIG_DIGEST_CONSTANT]),
    clusterRoleArn: parsed.data.CLUSTER_ROLE_ARN,
    nodeRoleArn: parsed.data.NODE_ROLE_ARN,
    workflowRoleArn: parsed.data.WORKFLOW_ROLE_ARN,
    networkParameterName: parsed.data.NETWORK_PARAMETER_NAME,
    edgeAgentRoleArn: parsed.data.EDGE_AGENT_ROLE_ARN,
    edgeFiles: edgeFilesFromConstants(constants),
  };
}
