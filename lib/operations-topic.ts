import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { NotificationLevel } from '../core/config';
import type { Severity } from '../lambdas/shared/notification-attributes';

export interface OperationsTopicProps {
  /** Addresses subscribed by e-mail; each must confirm the subscription AWS sends. */
  readonly emails: readonly string[];
  /** What the e-mail subscriptions receive, by the messages' `severity` attribute (config `notifications.level`). */
  readonly level: NotificationLevel;
}

/** The severities each level e-mails; `all` sets no filter at all. */
export const EMAILED_SEVERITIES: Record<Exclude<NotificationLevel, 'all'>, readonly Severity[]> = {
  warnings: ['warning', 'error'],
  errors: ['error'],
};

/**
 * The SNS topic where region starts, stops, failures and alarms are reported.
 * Encrypted with a customer-managed key because notifications name regions and causes; the key
 * lets CloudWatch alarms and EventBridge publish, which the AWS-managed SNS key would not.
 *
 * Our own publishers set a `severity` message attribute, and the e-mail subscriptions filter on
 * it. CloudWatch alarm actions publish without attributes, and SNS delivers no attribute-less
 * message to a subscription with a filter policy (not even to `"exists": false`, which needs at
 * least one attribute to be present). So when the e-mails are filtered, alarms also go to a
 * second topic, `alarmMail`, with the same addresses unfiltered: every alarm and its recovery is
 * e-mailed whatever the level (each alarm is something an operator must hear about), and the
 * operations topic still carries everything for other subscribers.
 */
export class OperationsTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  /** Where alarms e-mail the config's addresses when `topic` filters them out; absent when it does not. */
  readonly alarmMail?: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the ${Stack.of(this).stackName} operations topic`,
      enableKeyRotation: true,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'], // in a key policy, "*" means this key
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
    }
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'kubecdn operations',
      masterKey: this.key,
      enforceSSL: true,
    });
    const filterPolicy =
      props.level === 'all'
        ? undefined
        : { severity: sns.SubscriptionFilter.stringFilter({ allowlist: [...EMAILED_SEVERITIES[props.level]] }) };
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email, { filterPolicy }));
    if (filterPolicy && props.emails.length > 0) {
      this.alarmMail = new sns.Topic(this, 'AlarmMail', {
        displayName: 'kubecdn alarms',
        masterKey: this.key,
        enforceSSL: true,
      });
      for (const email of props.emails) this.alarmMail.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /** The topics an alarm action publishes to: the operations topic, and the alarm e-mails where they are apart. */
  get alarmTopics(): sns.ITopic[] {
    return this.alarmMail ? [this.topic, this.alarmMail] : [this.topic];
  }
}
