import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/**
 * The table design the region lock (region-lock-table.ts) and the region overrides
 * (region-override-table.ts) share: at most one item per region, keyed by `region`, each lapsing
 * at its `expiresAt` (epoch seconds). The readers compare `expiresAt` with the clock themselves;
 * the same attribute is the TTL attribute only so that lapsed items also go in the end (TTL
 * deletes lazily, so nothing relies on it).
 */
export function expiringRegionItemsTable(scope: Construct): dynamodb.Table {
  return new dynamodb.Table(scope, 'Table', {
    partitionKey: { name: 'region', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // Only short-lived items live here (locks, temporary pins): nothing to keep once the stack goes,
    // and a lock kept past it would block its region until it lapsed.
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
