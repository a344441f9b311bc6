/**
 * The first step of both workflows: validate what the operator (or the autoscaler) passed to
 * StartRegion/StopRegion against the deployed config, before any AWS call. Pure.
 */
import { z } from 'zod';
import { isConfiguredRegion, standbyFor, type KubeCdnConfig, type StandbyMode } from '../../core/config';
import { describeIssues } from '../shared/validated-event';
import { InvalidInputError } from '../shared/errors';
import { StopRefusedError } from './errors';

// Checked before the config lookup so a hostile string gets a precise cause, not "unknown region".
const UNSAFE_CHARACTERS = /["'`\\/]|\p{Cc}/u;
const CONTROL_CHARACTERS = /\p{Cc}/u;

function regionField(config: KubeCdnConfig) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'is required; expected an AWS region code such as "eu-west-1"'
          : 'expected an AWS region code such as "eu-west-1"',
    })
    .superRefine((value, ctx) => {
      if (UNSAFE_CHARACTERS.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} contains a quote, slash, backslash or control character; expected an AWS region code such as "eu-west-1"`,
        });
        return;
      }
      if (!isConfiguredRegion(config, value)) {
        const configured = [...config.alwaysOn, ...config.scalable].join(', ');
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a configured region; expected one of: ${configured}` });
      }
    });
}

function workflowInputSchema(config: KubeCdnConfig) {
  return z.strictObject(
    {
      region: regionField(config),
      force: z.boolean({ error: 'expected true or false' }).optional(),
      reason: z
        .string({ error: 'expected free text' })
        .max(256, { error: 'expected at most 256 characters' })
        .refine((value) => !CONTROL_CHARACTERS.test(value), {
          error: 'contains a control character (newline, tab, ...); expected one line of text',
        })
        .optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'expected a JSON object such as {"region": "eu-west-1"}') },
  );
}

export type RegionOperation = 'start' | 'stop';

/** What the rest of the workflow reads from `$.input`. */
export interface ValidatedWorkflowInput {
  readonly operation: RegionOperation;
  readonly region: string;
  readonly force: boolean;
  readonly reason: string;
  readonly standby: StandbyMode;
  readonly alwaysOn: boolean;
  readonly clusterMode: KubeCdnConfig['cluster']['mode'];
  /** Seconds to wait after removing the DNS record before the load balancer goes: resolvers may cache it this long. */
  readonly recordTtlSeconds: number;
  /** The lock table's clock: epoch seconds at validation, and when this execution's lock lapses. */
  readonly nowEpochSeconds: number;
  readonly lockExpiresAtEpochSeconds: number;
  readonly startedAtEpochMs: number;
}

export interface ValidateWorkflowInputOptions {
  readonly operation: RegionOperation;
  /** How long the lock is held at most: the state machine's own timeout, so a dead execution's lock lapses. */
  readonly lockSeconds: number;
  readonly nowMs: number;
}

export function validateWorkflowInput(config: KubeCdnConfig, raw: unknown, options: ValidateWorkflowInputOptions): ValidatedWorkflowInput {
  const parsed = workflowInputSchema(config).safeParse(raw);
  if (!parsed.success)
    throw new InvalidInputError(
      `invalid ${options.operation === 'start' ? 'StartRegion' : 'StopRegion'} input: ${describeIssues(parsed.error)}`,
    );
  const { region, force = false, reason = options.operation === 'start' ? 'manual start' : 'manual stop' } = parsed.data;
  const alwaysOn = config.alwaysOn.includes(region);
  if (options.operation === 'stop' && alwaysOn && !force) {
    throw new StopRefusedError(`${region} is always on; pass "force": true to stop it anyway`);
  }
  const nowEpochSeconds = Math.floor(options.nowMs / 1000);
  return {
    operation: options.operation,
    region,
    force,
    reason,
    standby: alwaysOn ? 'cold' : standbyFor(config, region),
    alwaysOn,
    clusterMode: config.cluster.mode,
    recordTtlSeconds: config.dns.recordTtlSeconds,
    nowEpochSeconds,
    lockExpiresAtEpochSeconds: nowEpochSeconds + options.lockSeconds,
    startedAtEpochMs: options.nowMs,
  };
}
