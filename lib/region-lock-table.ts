import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { expiringRegionItemsTable } from './expiring-region-items-table';

/**
 * A DynamoDB number from a number in the state: DynamoDB's API (and Step Functions' optimized
 * integration) wants `N` as a string, and `fromNumber(numberAt(...))` would send a JSON number,
 * which the real service rejects ("The value for the field 'N' must be a STRING").
 */
function numberAttribute(path: string): tasks.DynamoAttributeValue {
  return tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.format('{}', sfn.JsonPath.stringAt(path)));
}

/**
 * One item per busy region: who holds it (the execution ARN), for what, and until when.
 *
 * The lock is taken and released by the state machines themselves through the native DynamoDB
 * integration: a conditional PutItem is atomic, so of two executions racing for one region
 * exactly one succeeds, with no Lambda in between to time out while holding it. The item
 * carries its own expiry (the workflow's timeout): an execution that was stopped or timed out
 * never releases its lock, and the next operation may take it once it has lapsed. DynamoDB's
 * TTL later removes such items, but the condition does not rely on that (TTL deletes lazily).
 */
export class RegionLockTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = expiringRegionItemsTable(this);
  }

  /** Takes the lock for `$.input.region`, or fails with DynamoDB.ConditionalCheckFailedException when another live execution holds it. */
  acquire(scope: Construct, id: string): tasks.DynamoPutItem {
    return this.put(scope, id, {
      comment: 'Atomic: succeeds if the region is free, the lock has lapsed, or this execution already holds it (a retried put).',
      key: sfn.JsonPath.stringAt('$.input.region'),
      reason: sfn.JsonPath.stringAt('$.input.reason'),
      expiresAtPath: '$.input.lockExpiresAtEpochSeconds',
    });
  }

  /**
   * Takes a lock that is not a region's: `name` is stored in the key attribute (named "region"
   * for the region locks, which are most of the table). Expires at `$.<expiresAtPath>`, so a
   * short critical section cannot block others for the workflow's whole timeout.
   */
  acquireNamed(scope: Construct, id: string, name: string, expiresAtPath: string): tasks.DynamoPutItem {
    return this.put(scope, id, {
      comment: `Atomic: succeeds if ${name} is free, its lock has lapsed, or this execution already holds it.`,
      key: name,
      reason: sfn.JsonPath.stringAt('$.input.region'),
      expiresAtPath,
    });
  }

  /** Releases a named lock if this execution still holds it. */
  releaseNamed(scope: Construct, id: string, name: string): tasks.DynamoDeleteItem {
    return this.deleteIfHeld(scope, id, name);
  }

  /** The conditional put behind every lock: free, lapsed, or already ours. */
  private put(
    scope: Construct,
    id: string,
    lock: { readonly comment: string; readonly key: string; readonly reason: string; readonly expiresAtPath: string },
  ): tasks.DynamoPutItem {
    return new tasks.DynamoPutItem(scope, id, {
      comment: lock.comment,
      table: this.table,
      item: {
        region: tasks.DynamoAttributeValue.fromString(lock.key),
        holder: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
        operation: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.input.operation')),
        reason: tasks.DynamoAttributeValue.fromString(lock.reason),
        acquiredAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
        expiresAt: numberAttribute(lock.expiresAtPath),
      },
      conditionExpression: 'attribute_not_exists(#region) OR #expiresAt < :now OR #holder = :holder',
      expressionAttributeNames: { '#region': 'region', '#expiresAt': 'expiresAt', '#holder': 'holder' },
      expressionAttributeValues: {
        // The clock as last read (validation, or a wait for the lock): `$.input` keeps the first reading.
        ':now': numberAttribute('$.clock.nowEpochSeconds'),
        ':holder': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** The conditional delete behind every release: only the holder may. */
  private deleteIfHeld(scope: Construct, id: string, key: string): tasks.DynamoDeleteItem {
    return new tasks.DynamoDeleteItem(scope, id, {
      table: this.table,
      key: { region: tasks.DynamoAttributeValue.fromString(key) },
      conditionExpression: '#holder = :holder',
      expressionAttributeNames: { '#holder': 'holder' },
      expressionAttributeValues: { ':holder': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** Reads who holds the region, for the "region busy" error. */
  readHolder(scope: Construct, id: string): tasks.DynamoGetItem {
    return this.read(scope, id, sfn.JsonPath.stringAt('$.input.region'), '$.lock');
  }

  /** Reads who holds a named lock (see acquireNamed), into `resultPath` (`.Item` is absent when nobody does). */
  readNamedHolder(scope: Construct, id: string, name: string, resultPath: string): tasks.DynamoGetItem {
    return this.read(scope, id, name, resultPath);
  }

  private read(scope: Construct, id: string, key: string, resultPath: string): tasks.DynamoGetItem {
    return new tasks.DynamoGetItem(scope, id, {
      table: this.table,
      key: { region: tasks.DynamoAttributeValue.fromString(key) },
      consistentRead: true,
      // No ResultSelector on `$.Item`: the item may be gone by now, and a selector on an absent path fails the state.
      resultPath,
    });
  }

  /** Releases the lock if this execution still holds it; fails with ConditionalCheckFailedException otherwise. */
  release(scope: Construct, id: string): tasks.DynamoDeleteItem {
    return this.deleteIfHeld(scope, id, sfn.JsonPath.stringAt('$.input.region'));
  }
}
