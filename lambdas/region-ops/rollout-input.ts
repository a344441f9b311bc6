/**
 * RolloutWorkload's input: which version is rolled out (a label for the report and the history),
 * why, and to which regions in which order. Validated against the deployed config before
 * anything runs, with errors that name the field, like workflow-input.ts. Pure.
 *
 * Also what every waves workflow's input is made of (RegionWavesInput, the default order, the
 * waves): UpgradeClusters (upgrade-input.ts) runs the same waves definition, one region a wave.
 */
import * as z from 'zod/mini';
import type { KubeCdnConfig } from '../../core/config';
import { InvalidInputError } from '../shared/errors';
import { describeIssues } from '../shared/validated-event';
import { reasonField, regionListField } from './workflow-input';

const VERSION_EXPECTED = 'expected 1-64 letters, digits, ".", "_" or "-", such as "v1.4.2" or a commit hash';

/**
 * What a waves workflow (RolloutWorkload, UpgradeClusters: lib/region-waves-states.ts) reads from
 * `$.input`, whichever it is.
 */
export interface RegionWavesInput {
  /** What the report names where the region workflows name a region: what is brought to the regions. */
  readonly region: string;
  readonly version: string;
  readonly reason: string;
  /** Every region, in the order they are run. */
  readonly regions: string[];
  /** `regions` cut into waves: each wave runs at once, the next only if none of it failed. */
  readonly waves: string[][];
  readonly waveCount: number;
  readonly nowEpochSeconds: number;
  readonly lockExpiresAtEpochSeconds: number;
  readonly startedAtEpochMs: number;
}

export interface ValidateWavesInputOptions {
  /** How long the workflow may hold a lock at most: the state machine's own timeout. */
  readonly lockSeconds: number;
  readonly nowMs: number;
}

/** A waves workflow's input from what it brings (`region`, `version`, `reason`) and its waves, stamped with the clock. */
export function regionWavesInput(
  target: Pick<RegionWavesInput, 'region' | 'version' | 'reason'>,
  regions: string[],
  waves: string[][],
  options: ValidateWavesInputOptions,
): RegionWavesInput {
  const nowEpochSeconds = Math.floor(options.nowMs / 1000);
  return {
    ...target,
    regions,
    waves,
    waveCount: waves.length,
    nowEpochSeconds,
    lockExpiresAtEpochSeconds: nowEpochSeconds + options.lockSeconds,
    startedAtEpochMs: options.nowMs,
  };
}

/** What the RolloutWorkload state machine reads from `$.input`; `region` is `version <version>`. */
export interface ValidatedRolloutInput extends RegionWavesInput {
  readonly operation: 'rollout';
  /** The size of the waves (`workload.rolloutRegionsAtOnce`): each wave is synced in parallel. */
  readonly regionsAtOnce: number;
}

function rolloutInputSchema(config: KubeCdnConfig) {
  return z.strictObject(
    {
      version: z.optional(z.string({ error: VERSION_EXPECTED }).check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, { error: VERSION_EXPECTED }))),
      reason: reasonField(),
      regions: regionListField(config, 'sync', 'roll out to every configured region'),
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

export function validateRolloutInput(config: KubeCdnConfig, raw: unknown, options: ValidateWavesInputOptions): ValidatedRolloutInput {
  const parsed = rolloutInputSchema(config).safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`invalid RolloutWorkload input: ${describeIssues(parsed.error)}`);
  const { version = 'manual', reason = 'manual roll-out' } = parsed.data;
  const regions = parsed.data.regions ?? defaultRolloutOrder(config);
  const regionsAtOnce = config.workload.rolloutRegionsAtOnce;
  const waves = rolloutWaves(regions, regionsAtOnce);
  return {
    operation: 'rollout',
    ...regionWavesInput({ region: `version ${version}`, version, reason }, regions, waves, options),
    regionsAtOnce,
  };
}
