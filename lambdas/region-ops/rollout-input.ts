/**
 * RolloutWorkload's input: which version is rolled out (a label for the report and the history),
 * why, and to which regions in which order. Validated against the deployed config before
 * anything runs, with errors that name the field, like workflow-input.ts. Pure.
 */
import { z } from 'zod';
import type { KubeCdnConfig } from '../../core/config';
import { InvalidInputError } from '../shared/errors';
import { describeIssues } from '../shared/validated-event';
import { reasonField, regionField } from './workflow-input';

const VERSION_EXPECTED = 'expected 1-64 letters, digits, ".", "_" or "-", such as "v1.4.2" or a commit hash';

/** What the RolloutWorkload state machine reads from `$.input`. */
export interface ValidatedRolloutInput {
  readonly operation: 'rollout';
  /** `version <version>`: the report names what was rolled out where the region workflows name a region. */
  readonly region: string;
  readonly version: string;
  readonly reason: string;
  /** Every region to sync, in the order they are synced. */
  readonly regions: string[];
  /** `regions` cut into groups of `regionsAtOnce`: each wave is synced in parallel, the next only if none failed. */
  readonly waves: string[][];
  readonly waveCount: number;
  readonly regionsAtOnce: number;
  readonly nowEpochSeconds: number;
  readonly lockExpiresAtEpochSeconds: number;
  readonly startedAtEpochMs: number;
}

export interface ValidateRolloutInputOptions {
  /** How long the roll-out may hold a lock at most: the state machine's own timeout. */
  readonly lockSeconds: number;
  readonly nowMs: number;
}

function rolloutInputSchema(config: KubeCdnConfig) {
  return z.strictObject(
    {
      version: z
        .string({ error: VERSION_EXPECTED })
        .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: VERSION_EXPECTED })
        .optional(),
      reason: reasonField(),
      regions: z
        .array(regionField(config, { operation: 'sync', removal: false }), {
          error: 'expected a list of configured regions such as ["eu-west-1"]',
        })
        .min(1, { error: 'expected at least one configured region; leave "regions" out to roll out to every configured region' })
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
        issue.code === 'unrecognized_keys' ? undefined : 'expected a JSON object such as {"version": "v1.4.2", "regions": ["eu-west-1"]}',
    },
  );
}

/**
 * The default order: scalable regions first, then always-on ones, each in config order.
 * Scalable regions carry less of the always-on baseline, so a bad version meets fewer viewers
 * before the roll-out halts.
 */
export function defaultRolloutOrder(config: KubeCdnConfig): string[] {
  return [...config.scalable, ...config.alwaysOn];
}

/** Consecutive groups of at most `size` regions, in order. */
export function rolloutWaves(regions: readonly string[], size: number): string[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`expected a wave size of at least 1, got ${size}`);
  const waves: string[][] = [];
  for (let i = 0; i < regions.length; i += size) waves.push(regions.slice(i, i + size));
  return waves;
}

export function validateRolloutInput(config: KubeCdnConfig, raw: unknown, options: ValidateRolloutInputOptions): ValidatedRolloutInput {
  const parsed = rolloutInputSchema(config).safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`invalid RolloutWorkload input: ${describeIssues(parsed.error)}`);
  const { version = 'manual', reason = 'manual roll-out' } = parsed.data;
  const regions = parsed.data.regions ?? defaultRolloutOrder(config);
  const regionsAtOnce = config.workload.rolloutRegionsAtOnce;
  const waves = rolloutWaves(regions, regionsAtOnce);
  const nowEpochSeconds = Math.floor(options.nowMs / 1000);
  return {
    operation: 'rollout',
    region: `version ${version}`,
    version,
    reason,
    regions,
    waves,
    waveCount: waves.length,
    regionsAtOnce,
    nowEpochSeconds,
    lockExpiresAtEpochSeconds: nowEpochSeconds + options.lockSeconds,
    startedAtEpochMs: options.nowMs,
  };
}
