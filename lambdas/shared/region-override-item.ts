/**
 * How an operator's override (kubecdn override) is stored in the region override table, one item
 * per region, written by the CLI and read by the autoscaler: both go through this file, so they
 * agree on every attribute. `expiresAt` is epoch seconds as a DynamoDB number, which is what the
 * table's TTL reads; DynamoDB removes lapsed items only lazily (up to days later), so readers
 * compare it with their own clock and never rely on TTL having run.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** The environment variable that gives the autoscaler the table's name. */
export const OVERRIDE_TABLE_VARIABLE = 'REGION_OVERRIDE_TABLE_NAME';
/** The control stack output that gives the CLI the table's name. */
export const OVERRIDE_TABLE_OUTPUT = 'RegionOverrideTableName';

export const OVERRIDE_PINS = ['on', 'off'] as const;
export type OverridePin = (typeof OVERRIDE_PINS)[number];

export interface StoredOverride {
  readonly region: string;
  readonly pin: OverridePin;
  /** Epoch seconds when it lapses; in force while now < expiresAt. */
  readonly expiresAt: number;
  /** The operator's words; may be empty. */
  readonly reason: string;
  /** Who set it: the caller's ARN as STS GetCallerIdentity names it. */
  readonly setBy: string;
  /** When it was set, ISO 8601 UTC. */
  readonly setAt: string;
}

export function overrideItem(override: StoredOverride): Record<string, AttributeValue> {
  return {
    region: { S: override.region },
    pin: { S: override.pin },
    expiresAt: { N: String(override.expiresAt) },
    // DynamoDB accepts empty strings in non-key attributes.
    reason: { S: override.reason },
    setBy: { S: override.setBy },
    setAt: { S: override.setAt },
  };
}

/** An item the reader could not use, named by its key when it has one. */
export interface UnusableOverride {
  readonly region: string | undefined;
  readonly problem: string;
}

/**
 * The override an item holds, or what is wrong with it, naming the attribute. Items are written by
 * the CLI, but the table is open to anyone with DynamoDB access in the account, so nothing is
 * taken on trust.
 */
export function parseOverrideItem(item: Record<string, AttributeValue>): StoredOverride | UnusableOverride {
  const region = item.region?.S;
  const problem = (text: string): UnusableOverride => ({ region, problem: text });
  if (!region) return problem('region: expected a string');
  const pin = item.pin?.S;
  if (pin !== 'on' && pin !== 'off') return problem(`pin: expected "on" or "off", found ${JSON.stringify(pin ?? null)}`);
  const expiresText = item.expiresAt?.N;
  const expiresAt = Number(expiresText);
  if (expiresText === undefined || !/^\d+$/.test(expiresText) || !Number.isSafeInteger(expiresAt)) {
    return problem(`expiresAt: expected epoch seconds as a whole number, found ${JSON.stringify(expiresText ?? null)}`);
  }
  return { region, pin, expiresAt, reason: item.reason?.S ?? '', setBy: item.setBy?.S ?? 'unknown', setAt: item.setAt?.S ?? 'unknown' };
}

export function isUnusable(parsed: StoredOverride | UnusableOverride): parsed is UnusableOverride {
  return 'problem' in parsed;
}
