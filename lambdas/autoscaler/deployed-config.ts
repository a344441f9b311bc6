/**
 * What the autoscaler is deployed with besides the config (lambdas/shared/deployed-config.ts):
 * the ARNs of the two workflows it may start.
 */
import { DeployedConfigError } from '../shared/deployed-config';
import type { StateMachineArns } from './region-state-reader';

export { CONFIG_CONSTANT, deployedConfig, DeployedConfigError } from '../shared/deployed-config';
export const START_REGION_ARN_VARIABLE = 'START_REGION_STATE_MACHINE_ARN';
export const STOP_REGION_ARN_VARIABLE = 'STOP_REGION_STATE_MACHINE_ARN';

export function stateMachineArns(env: NodeJS.ProcessEnv): StateMachineArns {
  const start = env[START_REGION_ARN_VARIABLE];
  const stop = env[STOP_REGION_ARN_VARIABLE];
  const arn = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/;
  for (const [name, value] of [
    [START_REGION_ARN_VARIABLE, start],
    [STOP_REGION_ARN_VARIABLE, stop],
  ] as const) {
    if (!value || !arn.test(value))
      throw new DeployedConfigError(`${name} is ${value ? `"${value}"` : 'not set'}; expected a state machine ARN`);
  }
  return { start: start!, stop: stop! };
}
