/**
 * The config this function was deployed with: the validated regions.json as JSON in
 * KUBECDN_CONFIG (see lib/autoscaler.ts), validated again at cold start so a hand-edited
 * variable fails loudly instead of deciding with a half-understood config.
 */
import { formatProblems, type KubeCdnConfig, validateConfig } from '../../core/config';
import type { StateMachineArns } from './region-state-reader';

export const CONFIG_VARIABLE = 'KUBECDN_CONFIG';
export const START_REGION_ARN_VARIABLE = 'START_REGION_STATE_MACHINE_ARN';
export const STOP_REGION_ARN_VARIABLE = 'STOP_REGION_STATE_MACHINE_ARN';

export class DeployedConfigError extends Error {
  override name = 'DeployedConfigError';
}

export function deployedConfig(env: NodeJS.ProcessEnv): KubeCdnConfig {
  const text = env[CONFIG_VARIABLE];
  if (!text) throw new DeployedConfigError(`${CONFIG_VARIABLE} is not set; expected the validated regions.json as JSON`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DeployedConfigError(`${CONFIG_VARIABLE} is not valid JSON: ${(error as Error).message}`);
  }
  const result = validateConfig(raw);
  if (!result.ok) throw new DeployedConfigError(formatProblems(CONFIG_VARIABLE, result.problems));
  return result.config;
}

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
