/**
 * What the autoscaler is deployed with besides the config (lambdas/shared/deployed-config.ts):
 * the ARNs of the two workflows it may start and of UpgradeRegion (whose running executions hold
 * their regions), the override table and the operations topic.
 */
import { DeployedConfigError } from '../shared/deployed-config';
import { OVERRIDE_TABLE_VARIABLE } from '../shared/region-override-item';
import type { StateMachineArns } from './region-state-reader';

export { CONFIG_CONSTANT, deployedConfig, DeployedConfigError } from '../shared/deployed-config';
export const START_REGION_ARN_VARIABLE = 'START_REGION_STATE_MACHINE_ARN';
export const STOP_REGION_ARN_VARIABLE = 'STOP_REGION_STATE_MACHINE_ARN';
export const UPGRADE_REGION_ARN_VARIABLE = 'UPGRADE_REGION_STATE_MACHINE_ARN';
export const OPERATIONS_TOPIC_ARN_VARIABLE = 'OPERATIONS_TOPIC_ARN';
export { OVERRIDE_TABLE_VARIABLE };

export function stateMachineArns(env: NodeJS.ProcessEnv): StateMachineArns {
  const start = env[START_REGION_ARN_VARIABLE];
  const stop = env[STOP_REGION_ARN_VARIABLE];
  const upgrade = env[UPGRADE_REGION_ARN_VARIABLE];
  const arn = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/;
  for (const [name, value] of [
    [START_REGION_ARN_VARIABLE, start],
    [STOP_REGION_ARN_VARIABLE, stop],
    [UPGRADE_REGION_ARN_VARIABLE, upgrade],
  ] as const) {
    if (!value || !arn.test(value))
      throw new DeployedConfigError(`${name} is ${value ? `"${value}"` : 'not set'}; expected a state machine ARN`);
  }
  return { start: start!, stop: stop!, upgrade: upgrade! };
}

export interface OverrideStoreNames {
  readonly overrideTable: string;
  readonly operationsTopic: string;
}

/** Where the overrides live and where their lapses are announced. */
export function overrideStoreNames(env: NodeJS.ProcessEnv): OverrideStoreNames {
  const table = env[OVERRIDE_TABLE_VARIABLE];
  const topic = env[OPERATIONS_TOPIC_ARN_VARIABLE];
  if (!table || !/^[A-Za-z0-9_.-]{3,255}$/.test(table))
    throw new DeployedConfigError(`${OVERRIDE_TABLE_VARIABLE} is ${table ? `"${table}"` : 'not set'}; expected a DynamoDB table name`);
  if (!topic || !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topic))
    throw new DeployedConfigError(`${OPERATIONS_TOPIC_ARN_VARIABLE} is ${topic ? `"${topic}"` : 'not set'}; expected an SNS topic ARN`);
  return { overrideTable: table, operationsTopic: topic };
}
