/**
 * Retires overrides that have lapsed: each is deleted only if it is still the one that was read
 * (its expiresAt unchanged; an operator may have set a new one meanwhile), and only the tick whose
 * delete succeeded announces it on the operations topic, so overlapping ticks, or a TTL sweep
 * racing one, send one notice at most. A failed delete is tried again next tick; a notice that
 * cannot be published is logged (the override is gone either way, so it is not retried).
 */
import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { utcClock } from '../../core/autoscaler/reasons';
import { notificationAttributes } from '../shared/notification-attributes';
import type { StoredOverride } from '../shared/region-override-item';
import type { DecisionLogger } from './report';

export interface OverrideLapseDeps {
  readonly dynamodb: DynamoDBClient;
  readonly overrideTable: string;
  readonly sns: SNSClient;
  readonly operationsTopic: string;
}

export type LapseOutcome = 'announced' | 'retired-unannounced' | 'changed-meanwhile' | 'delete-failed';

const describe = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;

/** The notice's subject and text. */
export function lapseNotice(override: StoredOverride, now: number): { subject: string; message: string } {
  const until = utcClock(override.expiresAt * 1000, now);
  const reason = override.reason.trim() ? ` (reason: ${override.reason.trim()})` : '';
  return {
    subject: `kubecdn: override pinning ${override.region} ${override.pin} lapsed`,
    message:
      `The override pinning ${override.region} ${override.pin}${reason}, set by ${override.setBy} at ${override.setAt}, ` +
      `lapsed at ${until}. From this tick on the autoscaler decides ${override.region} by its rules again` +
      `${override.pin === 'on' ? ', and may stop it' : ', and may start it'}.`,
  };
}

export async function retireLapsed(
  deps: OverrideLapseDeps,
  lapsed: readonly StoredOverride[],
  now: number,
  log: DecisionLogger,
): Promise<LapseOutcome[]> {
  return Promise.all(lapsed.map((override) => retireOne(deps, override, now, log)));
}

async function retireOne(deps: OverrideLapseDeps, override: StoredOverride, now: number, log: DecisionLogger): Promise<LapseOutcome> {
  const { region } = override;
  try {
    await deps.dynamodb.send(
      new DeleteItemCommand({
        TableName: deps.overrideTable,
        Key: { region: { S: region } },
        ConditionExpression: '#expiresAt = :read',
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':read': { N: String(override.expiresAt) } },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'changed-meanwhile';
    log.warn('could not delete a lapsed override; the next tick tries again', { region, error: describe(error) });
    return 'delete-failed';
  }
  const notice = lapseNotice(override, now);
  try {
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.operationsTopic,
        Subject: notice.subject,
        Message: notice.message,
        // A warning, so the default e-mail level hears it: the region goes back to the autoscaler's rules.
        MessageAttributes: notificationAttributes('warning', 'override', region),
      }),
    );
  } catch (error) {
    log.warn('could not publish the override lapse to the operations topic', { region, error: describe(error) });
    return 'retired-unannounced';
  }
  log.info('override lapsed', { region, pin: override.pin, expiresAt: new Date(override.expiresAt * 1000).toISOString() });
  return 'announced';
}
