/**
 * UpgradeClusters' input: which regions are upgraded, in which order, and why; validated against
 * the deployed config before anything runs, like rollout-input.ts. The target is always the
 * deployed config's `cluster.kubernetesVersion` (region-ops reads it): a `version` in the input
 * only guards against an execution started for another deploy. Pure.
 */
import * as z from 'zod/mini';
import type { KubeCdnConfig } from '../../core/config';
import { InvalidInputError } from '../shared/errors';
import { describeIssues } from '../shared/validated-event';
import { defaultRolloutOrder, regionWavesInput, type RegionWavesInput, type ValidateWavesInputOptions } from './rollout-input';
import { reasonField, regionListField } from './workflow-input';

/** What the UpgradeClusters state machine reads from `$.input`; `region` is `Kubernetes <version>`, and each wave is one region. */
export interface ValidatedUpgradeInput extends RegionWavesInput {
  readonly operation: 'upgradeClusters';
}

function upgradeInputSchema(config: KubeCdnConfig) {
  const configured = config.cluster.kubernetesVersion;
  return z.strictObject(
    {
      version: z.optional(
        z.string({ error: `expected the configured Kubernetes version "${configured}"` }).check(
          z.refine((value) => value === configured, {
            error: (issue) =>
              `the deployed config's cluster.kubernetesVersion is "${configured}", not ${JSON.stringify(issue.input)}; clusters are upgraded only to the deployed version (leave "version" out to use it)`,
          }),
        ),
      ),
      reason: reasonField(),
      regions: regionListField(config, 'upgrade', 'upgrade every configured region'),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? undefined
          : 'expected a JSON object such as {"reason": "deploy"} or {"regions": ["eu-west-1"]}',
    },
  );
}

export function validateUpgradeInput(config: KubeCdnConfig, raw: unknown, options: ValidateWavesInputOptions): ValidatedUpgradeInput {
  const parsed = upgradeInputSchema(config).safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`invalid UpgradeClusters input: ${describeIssues(parsed.error)}`);
  const version = config.cluster.kubernetesVersion;
  const { reason = 'manual upgrade' } = parsed.data;
  // The same order as a roll-out: scalable regions carry less of the baseline, so a version that
  // breaks something meets fewer viewers before the upgrade halts.
  const regions = parsed.data.regions ?? defaultRolloutOrder(config);
  // One region a wave: each region's clusters are upgraded before the next region is touched.
  const waves = regions.map((region) => [region]);
  return {
    operation: 'upgradeClusters',
    ...regionWavesInput({ region: `Kubernetes ${version}`, version, reason }, regions, waves, options),
  };
}
