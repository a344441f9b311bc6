/**
 * CloudWatch Logs subscription events: `{"awslogs": {"data": <base64 of gzipped JSON>}}`, the JSON
 * holding a batch of log events of the subscribed log group.
 */
import { gunzipSync } from 'node:zlib';
import * as z from 'zod/mini';

// zod/mini keeps the full library (most of a bundle) out of this function; the handler loads its English messages.
export const subscriptionEventSchema = z.object({
  awslogs: z.object({
    data: z.string({ error: 'expected the base64 gzip payload of a CloudWatch Logs subscription' }).check(z.minLength(1)),
  }),
});
export type SubscriptionEvent = z.infer<typeof subscriptionEventSchema>;

const payloadSchema = z.object({
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
  logGroup: z.optional(z.string()),
  logEvents: z._default(z.array(z.object({ id: z.optional(z.string()), timestamp: z.number(), message: z.string() })), []),
});
export type SubscriptionPayload = z.infer<typeof payloadSchema>;

/** Throws with the reason when the payload is not a subscription batch. */
export function decodeSubscriptionEvent(event: SubscriptionEvent): SubscriptionPayload {
  const json = gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8');
  return payloadSchema.parse(JSON.parse(json));
}
