/**
 * The message attributes every notification to the operations topic carries, so that each
 * subscription can choose what it hears (the e-mail subscriptions filter on `severity`, see
 * lib/operations-topic.ts). Pure; shared by the workflows' report step and the Lambdas that publish.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';

/** How much an operator needs to hear about it, least first. */
export const SEVERITIES = ['info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * What the message is about: a workflow's operation, a deploy's convergence, or an operator's
 * override (kubecdn override) being set, cleared or lapsing. (CloudWatch alarms
 * publish without attributes; see lib/operations-topic.ts for how they reach e-mail.)
 */
export type NotifiedOperation = 'start' | 'stop' | 'sync' | 'rollout' | 'purge' | 'deploy' | 'upgrade' | 'override';

/** The attributes of a Publish request; `region` only where the message is about one region. */
export function notificationAttributes(
  severity: Severity,
  operation: NotifiedOperation,
  region?: string,
): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    severity: { DataType: 'String', StringValue: severity },
    operation: { DataType: 'String', StringValue: operation },
  };
  // SNS refuses an attribute with an empty value.
  if (region) attributes.region = { DataType: 'String', StringValue: region };
  return attributes;
}
