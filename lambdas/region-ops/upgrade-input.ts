/**
 * UpgradeClusters' input: which regions are upgraded, in which order, and why; validated against
 * the deployed config before anything runs, like rollout-input.ts. The target is always the
 * deployed config's `cluster.kubernetesVersion` (region-ops reads it): a `version` in the input
 * only guards against an execution started for another deploy. Pure.
 */
import { z } from 'zod';
import type { KubeCdnConfig } from '../../core/config';
import { InvalidInputError } from '../shared/errors';
import { describeIssues } from '../shared/validated-event';
import { defaultRolloutOrder } from './rollout-input';
import { reasonField, regionField } from './workflow-input';

/** What the UpgradeClusters state machine reads from `$.input`. */
export interface ValidatedUpgradeInput {
  readonly operation: 'upgradeClusters';
  /** `Kubernetes <version>`: the report names the target where the region workflows name a region. */
  readonly region: string;
  readonly version: string;
  readonly reason: string;
  /** Every region to upgrade, in order: scalable regions first, then always-on ones. */
  readonly regions: string[];
  /** One region a wave: each region's clusters are upgraded before the next region is touched. */
  readonly waves: string[][];
  readonly waveCount: number;
  readonly nowEpochSeconds: number;
  readonly lockExpiresAtEpochSeconds: number;
  readonly startedAtEpochMs: number;
}

export interface ValidateUpgradeInputOptions {
  readonly lockSeconds: number;
  readonly nowMs: number;
}

function upgradeInputSchema(config: KubeCdnConfig) {
  const configured = config.cluster.kubernetesVersion;
  return z.strictObject(
    {
      version: z
        .string({ error: `expected the configured Kubernetes version "${configured}"` })
        .refine((value) => value === configured, {
          error: (issue) =>
            `the deployed config's cluster.kubernetesVersion is "${configured}", not ${JSON.stringify(issue.input)}; clusters are upgraded only to the deployed version (leave "version" out to use it)`,
        })
        .optional(),
      reason: reasonField(),
      regions: z
        .array(regionField(config, { operation: 'upgrade', removal: false }), {
          error: 'expected a list of configured regions such as ["eu-west-1"]',
        })
        .min(1, { error: 'expected at least one configured region; leave "regions" out to upgrade every configured region' })
        .superRefine((regions, ctx) => {
          const repeated = regions.filter((region, i) => regions.indexOf(region) !== i);
          if (repeated.length > 0)
            ctx.addIssue({
              code: 'custom',
              message: `lists ${[...new Set(repeated)].map((r) => `"${r}"`).join(', ')} more than once; expected each region once`,
            });
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? undefined
          : 'expected a JSON object such as {"reason": "deploy"} or {"regions": ["eu-west-1"]}',
    },
  );
}

export function validateUpgradeInput(config: KubeCdnConfig, raw: unknown, options: ValidateUpgradeInputOptions): ValidatedUpgradeInput {
  const parsed = upgradeInputSchema(config).safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`invalid UpgradeClusters input: ${describeIssues(parsed.error)}`);
  const version = config.cluster.kubernetesVersion;
  const { reason = 'manual upgrade' } = parsed.data;
  // The same order as a roll-out: scalable regions carry less of the baseline, so a version that
  // breaks something meets fewer viewers before the upgrade halts.
  const regions = parsed.data.regions ?? defaultRolloutOrder(config);
  const nowEpochSeconds = Math.floor(options.nowMs / 1000);
  return {
    operation: 'upgradeClusters',
    region: `Kubernetes ${version}`,
    version,
    reason,
    regions,
    waves: regions.map((region) => [region]),
    waveCount: regions.length,
    nowEpochSeconds,
    lockExpiresAtEpochSeconds: nowEpochSeconds + options.lockSeconds,
    startedAtEpochMs: options.nowMs,
  };
}
