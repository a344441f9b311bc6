/**
 * How a function receives the config it was deployed with: the validated regions.json compiled
 * into its code as JSON text (bundling replaces the free identifier CONFIG_CONSTANT with it), and
 * validated again at cold start, so a hand-edited bundle fails loudly instead of deciding with a
 * half-understood config. Compiled in rather than an environment variable: Lambda allows 4 KB of
 * variables in all, which a few dozen regions with their own thresholds outgrow; the code has no
 * such limit, costs no AWS call at cold start, and a config change changes the code asset, so
 * every function that reads the config is redeployed with it. Shared by every such function, so
 * they agree on the name and the checks.
 *
 * The config was validated at synth, so the stacks compile in its SHA-256 beside it: text whose
 * digest matches is exactly what was validated and is only parsed. Anything else (a hand-edited
 * bundle, a missing digest) is refused, or validated in full by a caller that passes the validator
 * and then fails naming the field. The functions pass none (the autoscaler, region-ops), so the
 * schema library is not in their bundles at all: building and running that schema was most of
 * their cold load.
 */
import { createHash } from 'node:crypto';
import { formatProblems } from '../../core/config/errors';
import type { KubeCdnConfig } from '../../core/config/schema';
import type { ValidationResult } from '../../core/config/validate';

/** The identifier a function's code reads the config from; see KubeCdnFunctionProps.constants. */
export const CONFIG_CONSTANT = 'KUBECDN_DEPLOYED_CONFIG';
/** The identifier holding the SHA-256 (hex) of the config text, computed when it was validated. */
export const CONFIG_DIGEST_CONSTANT = 'KUBECDN_DEPLOYED_CONFIG_SHA256';

// Free in the source: bundling replaces them with string literals. Unbundled (tests), they are undefined.
declare const KUBECDN_DEPLOYED_CONFIG: string | undefined;
declare const KUBECDN_DEPLOYED_CONFIG_SHA256: string | undefined;

export class DeployedConfigError extends Error {
  override name = 'DeployedConfigError';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What the stacks compile into a function that reads the config: its text and, since `config` is validated, the text's digest. */
export function configConstants(config: KubeCdnConfig): Record<string, string> {
  const text = JSON.stringify(config);
  return { [CONFIG_CONSTANT]: text, [CONFIG_DIGEST_CONSTANT]: sha256(text) };
}

/** The config text compiled into this function's code; undefined when the code was not bundled with one. */
export function compiledConfigText(): string | undefined {
  return typeof KUBECDN_DEPLOYED_CONFIG === 'string' ? KUBECDN_DEPLOYED_CONFIG : undefined;
}

/** The digest compiled in beside the config; undefined when there is none. */
export function compiledConfigDigest(): string | undefined {
  return typeof KUBECDN_DEPLOYED_CONFIG_SHA256 === 'string' ? KUBECDN_DEPLOYED_CONFIG_SHA256 : undefined;
}

/**
 * The config a function was deployed with, checked at cold start; `text` and `digest` are the
 * compiled-in ones unless given. Text without a matching digest is validated with `validate` when
 * one is given, and refused when not.
 */
export function deployedConfig(
  text: string | undefined = compiledConfigText(),
  digest: string | undefined = compiledConfigDigest(),
  validate?: (raw: unknown) => ValidationResult,
): KubeCdnConfig {
  if (!text) throw new DeployedConfigError(`${CONFIG_CONSTANT} is not compiled in; expected the validated regions.json as JSON`);
  const attested = digest !== undefined && digest === sha256(text);
  if (!attested && !validate) {
    throw new DeployedConfigError(
      digest === undefined
        ? `${CONFIG_DIGEST_CONSTANT} is not compiled in, so ${CONFIG_CONSTANT} cannot be shown to be the config validated at synth; deploy it with the stacks (cdk deploy)`
        : `${CONFIG_CONSTANT} is not the config validated at synth (its SHA-256 differs from ${CONFIG_DIGEST_CONSTANT}); change the config in regions.json and deploy it with the stacks (cdk deploy), not by editing the function's code`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DeployedConfigError(`${CONFIG_CONSTANT} is not valid JSON: ${(error as Error).message}`);
  }
  if (attested) return raw as KubeCdnConfig;
  const result = validate!(raw);
  if (!result.ok) throw new DeployedConfigError(formatProblems(CONFIG_CONSTANT, result.problems));
  return result.config;
}
