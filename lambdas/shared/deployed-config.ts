/**
 * How a function receives the config it was deployed with: the validated regions.json as JSON
 * in one environment variable, written at synth and validated again at cold start, so a
 * hand-edited variable fails loudly instead of deciding with a half-understood config.
 * Shared by every function that needs the config, so they agree on the name, the size limit
 * and the checks.
 */
import { formatProblems, type KubeCdnConfig, validateConfig } from '../../core/config';

export const CONFIG_VARIABLE = 'KUBECDN_CONFIG';

/** Lambda allows 4 KB of environment variables in all; ARNs and Powertools settings take the rest. */
export const MAX_CONFIG_VARIABLE_BYTES = 3400;

export class DeployedConfigError extends Error {
  override name = 'DeployedConfigError';
}

/** The variable's value, for the stacks; refuses at synth a config too large to deploy. */
export function configVariableValue(config: KubeCdnConfig): string {
  const json = JSON.stringify(config);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_CONFIG_VARIABLE_BYTES) {
    throw new DeployedConfigError(
      `the config is ${bytes} bytes as JSON; functions receive it in an environment variable, which holds at most ${MAX_CONFIG_VARIABLE_BYTES}. Remove per-region overrides that repeat the defaults.`,
    );
  }
  return json;
}

/** The config a function was deployed with, read from its environment at cold start. */
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
