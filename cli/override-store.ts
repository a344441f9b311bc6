/**
 * What `kubecdn override` does in AWS: find the override table and the operations topic from the
 * control stack's outputs, learn who is calling, write or delete the region's item, and tell the
 * operations topic. The AWS SDK is loaded here, at the call, not when the command line starts.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KubeCdnConfig } from '../core/config';
import { notificationAttributes } from '../lambdas/shared/notification-attributes';
import {
  OVERRIDE_TABLE_OUTPUT,
  overrideItem,
  parseOverrideItem,
  isUnusable,
  type StoredOverride,
} from '../lambdas/shared/region-override-item';
import type { OverrideReading } from '../lambdas/autoscaler/override-reader';
import { callerArn } from './caller-identity';
import { controlStackOutputs, controlStackPlace, WorkflowLookupError } from './control-stack-outputs';

/** The control stack output holding the operations topic's ARN (lib/control-stack.ts). */
const TOPIC_OUTPUT = 'OperationsTopicArn';

export interface OverrideStore {
  readonly table: string;
  readonly topic: string;
  readonly dynamodb: DynamoDBClient;
  /** The caller's ARN, read once per command. */
  whoAmI(): Promise<string>;
}

/** Finds the table and topic; throws a WorkflowLookupError (exit 1) when the stack or an output is missing. */
export async function openOverrideStore(config: KubeCdnConfig): Promise<OverrideStore> {
  const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const outputs = await controlStackOutputs(config);
  const table = outputOf(config, outputs, OVERRIDE_TABLE_OUTPUT);
  const topic = outputOf(config, outputs, TOPIC_OUTPUT);
  const dynamodb = new DynamoDBClient({ region: config.homeRegion });
  let caller: Promise<string> | undefined;
  return {
    table,
    topic,
    dynamodb,
    whoAmI: () => (caller ??= callerArn(config.homeRegion)),
  };
}

function outputOf(config: KubeCdnConfig, outputs: Record<string, string>, key: string): string {
  const value = outputs[key];
  if (!value)
    throw new WorkflowLookupError(
      `the control stack ${controlStackPlace(config)} has no output ${key}; deploy this version of kubecdn first`,
    );
  return value;
}

/** Writes the override, replacing the region's previous one; returns that one, if there was one. */
export async function putOverride(store: OverrideStore, override: StoredOverride): Promise<StoredOverride | undefined> {
  const { PutItemCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const answer = await store.dynamodb.send(
    new PutItemCommand({ TableName: store.table, Item: overrideItem(override), ReturnValues: 'ALL_OLD' }),
  );
  return previous(answer.Attributes);
}

/** Deletes the region's override; returns it, or undefined when there was none. */
export async function deleteOverride(store: OverrideStore, region: string): Promise<StoredOverride | undefined> {
  const { DeleteItemCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const answer = await store.dynamodb.send(
    new DeleteItemCommand({ TableName: store.table, Key: { region: { S: region } }, ReturnValues: 'ALL_OLD' }),
  );
  return previous(answer.Attributes);
}

function previous(attributes: Parameters<typeof parseOverrideItem>[0] | undefined): StoredOverride | undefined {
  if (!attributes) return undefined;
  const parsed = parseOverrideItem(attributes);
  return isUnusable(parsed) ? undefined : parsed;
}

/** Every override, as the autoscaler reads them (its own reader). */
export async function listOverrides(store: OverrideStore, config: KubeCdnConfig, now: number): Promise<OverrideReading> {
  const { readOverrides } = require('../lambdas/autoscaler/override-reader') as typeof import('../lambdas/autoscaler/override-reader');
  return readOverrides({ dynamodb: store.dynamodb, overrideTable: store.table }, config, now);
}

/**
 * Tells the operations topic, as a warning so the default e-mail level hears it: an override
 * changes what the autoscaler does without a deploy. Returns an error text instead of throwing:
 * the override is already written, and the command reports the notice as not sent.
 */
export async function notify(
  store: OverrideStore,
  config: KubeCdnConfig,
  region: string,
  subject: string,
  message: string,
): Promise<string | undefined> {
  const { PublishCommand, SNSClient } = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
  try {
    await new SNSClient({ region: config.homeRegion }).send(
      new PublishCommand({
        TopicArn: store.topic,
        Subject: subject,
        Message: message,
        MessageAttributes: notificationAttributes('warning', 'override', region),
      }),
    );
    return undefined;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}
