/**
 * The first step of the region workflows: validate what the operator (or the autoscaler, or
 * RolloutWorkload) passed to StartRegion/StopRegion/SyncRegion against the deployed config,
 * before any AWS call. Pure. (RolloutWorkload's own input: rollout-input.ts.)
 *
 * Regions removed from the config: StopRegion accepts a region that is not configured only with
 * `"removed": true`, and then only a real AWS region that is indeed absent from the config;
 * StartRegion never accepts one. The flag is explicit rather than implied by "not configured"
 * so that a typo in a manual stop ("eu-west-3" for "eu-west-1") is still refused instead of
 * running a teardown, and so that the notification and the history say why a region that the
 * config does not know was torn down. A removed region is always torn down cold: whatever standby
 * mode it had belonged to a config entry that no longer exists, and nothing should bill for it.
 *
 * Decommission (StopRegion `"decommission": true`): the last step of taking the whole CDN down
 * (README, Cleanup). It is the only way past "never the last serving region", so it is never
 * implied: it must be stated. It implies `force` (an always-on region too) and a cold teardown
 * (a warm region's control plane would keep billing after `cdk destroy`).
 */
import * as z from 'zod/mini';
import { isConfiguredRegion, standbyFor } from '../../core/config/regions-of';
import type { KubeCdnConfig, StandbyMode } from '../../core/config/schema';
import { isAwsRegion } from '../../core/regions';
import { describeIssues } from '../shared/validated-event';
import { InvalidInputError } from '../shared/errors';
import { StopRefusedError } from './errors';

/** 'sync' (SyncRegion) updates the workload of a running region, 'upgrade' (UpgradeRegion) its cluster's Kubernetes version; both take only "region" and "reason". */
export type RegionOperation = 'start' | 'stop' | 'sync' | 'upgrade';

const WORKFLOW_NAMES: Record<RegionOperation, string> = {
  start: 'StartRegion',
  stop: 'StopRegion',
  sync: 'SyncRegion',
  upgrade: 'UpgradeRegion',
};

/** SyncRegion and UpgradeRegion take only a region and a reason (and, when a parent starts them, its execution). */
const takesOnlyRegion = (operation: RegionOperation) => operation === 'sync' || operation === 'upgrade';

// Checked before the config lookup so a hostile string gets a precise cause, not "unknown region".
const UNSAFE_CHARACTERS = /["'`\\/]|\p{Cc}|\p{Cf}/u;
const CONTROL_CHARACTERS = /\p{Cc}/u;
/**
 * Invisible format characters: a bidi override (U+202E) makes a notification display text in
 * another order than it was written, a zero-width space (U+200B) makes two names look alike.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** The code points of the format characters in `value`, as U+XXXX. */
function formatCharacters(value: string): string[] {
  return [...new Set(value.match(FORMAT_CHARACTERS) ?? [])].map(
    (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** A value quoted for an error message, its invisible characters spelled out so the message shows what was sent. */
function quoted(value: string): string {
  return JSON.stringify(value).replace(FORMAT_CHARACTERS, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** Which regions the `region` field accepts: configured ones, or (for a removal) unconfigured AWS regions. */
export interface RegionRule {
  readonly operation: RegionOperation;
  readonly removal: boolean;
}

export function regionField(config: KubeCdnConfig, rule: RegionRule) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'is required; expected an AWS region code such as "eu-west-1"'
          : 'expected an AWS region code such as "eu-west-1"',
    })
    .check(
      z.superRefine((value, ctx) => {
        if (UNSAFE_CHARACTERS.test(value)) {
          ctx.addIssue({
            code: 'custom',
            message: `${quoted(value)} contains a quote, slash, backslash or control character, or an invisible format character; expected an AWS region code such as "eu-west-1"`,
          });
          return;
        }
        const configured = isConfiguredRegion(config, value);
        if (rule.removal) {
          if (configured)
            ctx.addIssue({
              code: 'custom',
              message: `"${value}" is still configured; "removed": true is only for regions no longer in alwaysOn or scalable (drop it to stop the region normally)`,
            });
          else if (!isAwsRegion(value))
            ctx.addIssue({ code: 'custom', message: `"${value}" is not an AWS region code; expected one such as "eu-west-1"` });
          return;
        }
        if (!configured) {
          const list = [...config.alwaysOn, ...config.scalable].join(', ');
          const hint =
            rule.operation === 'stop' && isAwsRegion(value)
              ? '; to drain and stop a region removed from the config, pass "removed": true'
              : '';
          ctx.addIssue({ code: 'custom', message: `"${value}" is not a configured region; expected one of: ${list}${hint}` });
        }
      }),
    );
}

/**
 * The `regions` of a workflow over many regions (RolloutWorkload, UpgradeClusters): configured
 * regions, each once, at least one; `allOf` says what leaving the field out does instead.
 */
export function regionListField(config: KubeCdnConfig, operation: RegionOperation, allOf: string) {
  return z.optional(
    z
      .array(regionField(config, { operation, removal: false }), {
        error: 'expected a list of configured regions such as ["eu-west-1"]',
      })
      .check(
        z.minLength(1, { error: `expected at least one configured region; leave "regions" out to ${allOf}` }),
        z.superRefine((regions, ctx) => {
          const repeated = regions.filter((region, i) => regions.indexOf(region) !== i);
          if (repeated.length > 0)
            ctx.addIssue({
              code: 'custom',
              message: `lists ${[...new Set(repeated)].map((r) => `"${r}"`).join(', ')} more than once; expected each region once`,
            });
        }),
      ),
  );
}

/** A field SyncRegion refuses whatever its value: it neither forces nor tears down anything. */
const notForSync = (operation: RegionOperation) =>
  z.optional(z.unknown().check(z.refine(() => false, { error: `${WORKFLOW_NAMES[operation]} takes only "region" and "reason"` })));

const STARTED_BY_FIELD = 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID';
const startedByField = z.optional(
  z.string({ error: 'expected the ARN of the execution that started this one' }).check(
    z.regex(/^arn:[\w-]+:states:[a-z0-9-]+:\d{12}:execution:[\w-]{1,80}:[\w-]{1,80}$/, {
      error: 'expected the ARN of the execution that started this one',
    }),
  ),
);

function startedBy(data: object): string | null {
  const value = (data as Record<string, unknown>)[STARTED_BY_FIELD];
  return typeof value === 'string' ? value : null;
}

/** Free text that ends up in notifications and the history: one line, bounded. */
export function reasonField() {
  return z.optional(
    z.string({ error: 'expected free text' }).check(
      z.maxLength(256, { error: 'expected at most 256 characters' }),
      z.refine((value) => !CONTROL_CHARACTERS.test(value), {
        error: 'contains a control character (newline, tab, ...); expected one line of text',
      }),
      z.superRefine((value, ctx) => {
        const found = formatCharacters(value);
        if (found.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `contains the invisible format character${found.length > 1 ? 's' : ''} ${found.join(', ')} (bidi override, zero-width, ...), which would make notifications read differently from what was sent; expected plain text`,
          });
      }),
    ),
  );
}

function removedField(operation: RegionOperation) {
  if (takesOnlyRegion(operation)) return notForSync(operation);
  const flag = z.boolean({ error: 'expected true or false' });
  if (operation === 'stop') return z.optional(flag);
  return z.optional(
    flag.check(
      z.refine((value) => !value, {
        error: 'StartRegion does not take "removed": true; a region removed from the config can only be stopped',
      }),
    ),
  );
}

function decommissionField(operation: RegionOperation) {
  if (takesOnlyRegion(operation)) return notForSync(operation);
  const flag = z.boolean({ error: 'expected true or false' });
  if (operation === 'stop') return z.optional(flag);
  return z.optional(
    flag.check(
      z.refine((value) => !value, {
        error: 'StartRegion does not take "decommission": true; decommissioning is a StopRegion',
      }),
    ),
  );
}

function workflowInputSchema(config: KubeCdnConfig, rule: RegionRule) {
  return z
    .strictObject(
      {
        region: regionField(config, rule),
        force: takesOnlyRegion(rule.operation) ? notForSync(rule.operation) : z.optional(z.boolean({ error: 'expected true or false' })),
        removed: removedField(rule.operation),
        decommission: decommissionField(rule.operation),
        reason: reasonField(),
        // Step Functions adds this when a parent execution starts the workflow with the
        // associate-with-parent option (RolloutWorkload does, so the console links the two).
        ...(takesOnlyRegion(rule.operation) ? { [STARTED_BY_FIELD]: startedByField } : {}),
      },
      { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'expected a JSON object such as {"region": "eu-west-1"}') },
    )
    .check(
      z.superRefine((input, ctx) => {
        // Decommission means force; a stated "force": false contradicts it, so say which to drop.
        if (input.decommission === true && input.force === false)
          ctx.addIssue({
            code: 'custom',
            path: ['force'],
            message: '"decommission": true implies "force": true; drop "force": false (or "decommission")',
          });
      }),
    );
}

/** The removal flag decides which regions `region` may name, so it is read before the schema is built. */
function removalRequested(raw: unknown, operation: RegionOperation): boolean {
  return operation === 'stop' && typeof raw === 'object' && raw !== null && (raw as { removed?: unknown }).removed === true;
}

/** What the rest of the workflow reads from `$.input`. */
export interface ValidatedWorkflowInput {
  readonly operation: RegionOperation;
  readonly region: string;
  readonly force: boolean;
  /** A region no longer in the config, drained and torn down cold (see the file comment). */
  readonly removed: boolean;
  /** Tear down even the last serving region, cold, always-on or not (see the file comment). */
  readonly decommission: boolean;
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
  /**
   * A sync started by a roll-out (the parent's execution ARN, or null): the roll-out reports every
   * region itself, so such a sync notifies only when it fails.
   */
  readonly startedBy: string | null;
}

export interface ValidateWorkflowInputOptions {
  readonly operation: RegionOperation;
  /** How long the lock is held at most: the state machine's own timeout, so a dead execution's lock lapses. */
  readonly lockSeconds: number;
  readonly nowMs: number;
}

export function validateWorkflowInput(config: KubeCdnConfig, raw: unknown, options: ValidateWorkflowInputOptions): ValidatedWorkflowInput {
  const removal = removalRequested(raw, options.operation);
  const parsed = workflowInputSchema(config, { operation: options.operation, removal }).safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`invalid ${WORKFLOW_NAMES[options.operation]} input: ${describeIssues(parsed.error)}`);
  const decommission = parsed.data.decommission === true;
  const defaultReason = removal ? 'removed from the config' : decommission ? 'decommission' : `manual ${options.operation}`;
  const { region, reason = defaultReason } = parsed.data;
  const force = parsed.data.force === true || decommission;
  const alwaysOn = config.alwaysOn.includes(region);
  if (options.operation === 'stop' && alwaysOn && !force) {
    throw new StopRefusedError(`${region} is always on; pass "force": true to stop it anyway`);
  }
  const nowEpochSeconds = Math.floor(options.nowMs / 1000);
  return {
    operation: options.operation,
    region,
    force,
    removed: removal,
    decommission,
    reason,
    standby: alwaysOn || removal || decommission ? 'cold' : standbyFor(config, region),
    alwaysOn,
    clusterMode: config.cluster.mode,
    recordTtlSeconds: config.dns.recordTtlSeconds,
    nowEpochSeconds,
    lockExpiresAtEpochSeconds: nowEpochSeconds + options.lockSeconds,
    startedAtEpochMs: options.nowMs,
    startedBy: startedBy(parsed.data),
  };
}
