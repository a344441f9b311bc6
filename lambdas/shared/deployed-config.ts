/**
 * How a function receives the config it was deployed with: the validated regions.json compiled
 * into its code as JSON text (bundling replaces the free identifier CONFIG_CONSTANT with it), and
 * validated again at cold start, so a hand-edited bundle fails loudly instead of deciding with a
 * half-understood config. Compiled in rather than an environment variable: Lambda allows 4 KB of
 * variables in all, which a few dozen regions with their own thresholds outgrow; the code has no
 * such limit, costs no AWS call at cold start, and a config change changes the code asset, so
 * every function that reads the config is redeployed with it. Shared by every such function, so
 * they agree on the name and the checks.
 */
import { formatProblems, type KubeCdnConfig, validateConfig } from '../../core/config';

/** The identifier a function's code reads the config from; see KubeCdnFunctionProps.constants. */
export const CONFIG_CONSTANT = 'KUBECDN_DEPLOYED_CONFIG';

// Free in the source: bundling replaces it with a string literal. Unbundled (tests), it is undefined.
declare const KUBECDN_DEPLOYED_CONFIG: string | undefined;

export class DeployedConfigError extends Error {
  override name = 'DeployedConfigError';
}

/** What the stacks compile into a function that reads the config. */
export function configConstants(config: KubeCdnConfig): Record<string, string> {
  return { [CONFIG_CONSTANT]: JSON.stringify(config) };
}

/** The config text compiled into this function's code; undefined when the code was not bundled with one. */
export function compiledConfigText(): string | undefined {
  return typeof KUBECDN_DEPLOYED_CONFIG === 'string' ? KUBECDN_DEPLOYED_CONFIG : undefined;
}

/** The config a function was deployed with, checked at cold start; `text` is the compiled-in config unless given. */
export function deployedConfig(text: string | undefined = compiledConfigText()): KubeCdnConfig {
  if (!text) throw new DeployedConfigError(`${CONFIG_CONSTANT} is not compiled in; expected the validated regions.json as JSON`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DeployedConfigError(`${CONFIG_CONSTANT} is not valid JSON: ${(error as Error).message}`);
  }
  const result = validateConfig(raw);
  if (!result.ok) throw new DeployedConfigError(formatProblems(CONFIG_CONSTANT, result.problems));
  return result.config;
}
