/**
 * Reads the operators' overrides (kubecdn override) from the region override table: one Scan,
 * strongly consistent so a pin set a moment ago counts this tick, paginated although the table
 * holds at most one item per region. Splits them into those in force for configured regions (what
 * the decision engine obeys), those that have lapsed (for the autoscaler to retire and announce),
 * and those it ignores, each with why. Exported for every reader of the live state (the
 * autoscaler's tick, and the CLI's views of it), so they all read overrides alike.
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { RegionOverride } from '../../core/autoscaler/types';
import type { KubeCdnConfig } from '../../core/config';
import { configuredRegions } from '../../core/config/regions-of';
import { isUnusable, parseOverrideItem, type StoredOverride, type UnusableOverride } from '../shared/region-override-item';

export interface OverrideReaderDeps {
  readonly dynamodb: DynamoDBClient;
  readonly overrideTable: string;
}

export interface OverrideReading {
  /** For DecisionInput.overrides: the overrides in force at `now`, for regions the config lists. */
  readonly overrides: Record<string, RegionOverride>;
  /** The same overrides as stored (who set them, when), by region. */
  readonly active: Record<string, StoredOverride>;
  /** Items whose expiresAt is at or before `now`, configured regions or not: to be deleted and announced. */
  readonly lapsed: readonly StoredOverride[];
  /** Items not obeyed: for a region the config does not list, or unreadable; each with the problem. */
  readonly ignored: readonly UnusableOverride[];
}

/** Reads every override; throws what DynamoDB threw when the table cannot be read. */
export async function readOverrides(deps: OverrideReaderDeps, config: KubeCdnConfig, now: number): Promise<OverrideReading> {
  const configured = new Set(configuredRegions(config));
  const reading = { overrides: {} as Record<string, RegionOverride>, active: {} as Record<string, StoredOverride> };
  const lapsed: StoredOverride[] = [];
  const ignored: UnusableOverride[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(
      new ScanCommand({ TableName: deps.overrideTable, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    for (const item of page.Items ?? []) {
      const parsed = parseOverrideItem(item);
      if (isUnusable(parsed)) ignored.push(parsed);
      // Lapsed at expiresAt exactly, as the engine's `until > now` says.
      else if (parsed.expiresAt * 1000 <= now) lapsed.push(parsed);
      else if (!configured.has(parsed.region))
        ignored.push({ region: parsed.region, problem: 'not a region of the config (alwaysOn or scalable); the override is ignored' });
      else {
        reading.active[parsed.region] = parsed;
        reading.overrides[parsed.region] = { pin: parsed.pin, until: parsed.expiresAt * 1000, reason: parsed.reason };
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { ...reading, lapsed, ignored };
}
