/**
 * Finds a workflow's state machine from the deployed control stack (`<name>-control` in the
 * config's homeRegion), by the output key the stack declares (lib/region-workflows.ts), so the
 * operator never copies an ARN. The AWS SDK is loaded here, at the call, not when the command line
 * starts (see trace-from-cloudwatch-command.ts).
 */
import type { KubeCdnConfig } from '../core/config';
import { controlStackName } from '../lib/naming';

/** The control stack's output holding each workflow's state machine ARN. */
export const WORKFLOW_OUTPUT_KEYS = {
  StartRegion: 'StartRegionStateMachineArn',
  StopRegion: 'StopRegionStateMachineArn',
  PurgeCache: 'PurgeCacheStateMachineArn',
  RolloutWorkload: 'RolloutWorkloadStateMachineArn',
  UpgradeClusters: 'UpgradeClustersStateMachineArn',
  UpgradeRegion: 'UpgradeRegionStateMachineArn',
} as const;

export type WorkflowName = keyof typeof WORKFLOW_OUTPUT_KEYS;

/** A failure the operator can act on (stack missing, output missing, AWS refused): one line, exit 1. */
export class WorkflowLookupError extends Error {
  override name = 'WorkflowLookupError';
}

/** The control stack's output holding the SHA-256 of the config it was deployed with (lib/control-stack.ts). */
export const DEPLOYED_CONFIG_OUTPUT_KEY = 'DeployedConfigSha256';

/** Where the control stack is, for messages. */
export function controlStackPlace(config: KubeCdnConfig): string {
  return `${controlStackName(config.name)} in ${config.homeRegion} (the config's homeRegion)`;
}

/** Every output of the deployed control stack, by key. */
export async function controlStackOutputs(config: KubeCdnConfig): Promise<Record<string, string>> {
  const { CloudFormationClient, DescribeStacksCommand } =
    require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
  const stackName = controlStackName(config.name);
  const where = controlStackPlace(config);
  let outputs;
  try {
    const answer = await new CloudFormationClient({ region: config.homeRegion }).send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = answer.Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    const { name, message } = error as Error;
    // CloudFormation answers a missing stack with a ValidationError, not a "not found" code.
    if (name === 'ValidationError' && /does not exist/.test(message)) {
      throw new WorkflowLookupError(
        `the control stack ${where} is not deployed (npx cdk deploy), or the credentials are for another account`,
      );
    }
    throw new WorkflowLookupError(`cannot read the control stack ${where}: ${name}: ${message}`);
  }
  const byKey: Record<string, string> = {};
  for (const output of outputs) if (output.OutputKey && output.OutputValue !== undefined) byKey[output.OutputKey] = output.OutputValue;
  return byKey;
}

/** A workflow's state machine ARN among the outputs, or a WorkflowLookupError naming the output missing. */
export function workflowArnOf(config: KubeCdnConfig, outputs: Record<string, string>, workflow: WorkflowName): string {
  const key = WORKFLOW_OUTPUT_KEYS[workflow];
  const arn = outputs[key];
  if (!arn)
    throw new WorkflowLookupError(
      `the control stack ${controlStackPlace(config)} has no output ${key}; deploy this version of kubecdn first`,
    );
  return arn;
}

export async function stateMachineArn(config: KubeCdnConfig, workflow: WorkflowName): Promise<string> {
  return workflowArnOf(config, await controlStackOutputs(config), workflow);
}
