import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { expiringRegionItemsTable } from './expiring-region-items-table';

/**
 * The operators' temporary region overrides (kubecdn override): one item per region, written by
 * the CLI, read by the autoscaler every tick (lambdas/shared/region-override-item.ts has the item's
 * shape). `expiresAt` doubles as the TTL attribute, so lapsed items also go by themselves if no
 * autoscaler runs; the autoscaler does not wait for that (TTL deletes lazily), it retires lapsed
 * items itself and announces each.
 */
export class RegionOverrideTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = expiringRegionItemsTable(this);
  }
}
