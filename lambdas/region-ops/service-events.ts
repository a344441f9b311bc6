/**
 * The warnings a load balancer controller left on a Service: the only place it says why it built
 * no load balancer (a certificate it cannot use, a subnet it cannot find). Read for the cause of a
 * start that waited in vain, so the operator sees the reason without reaching for kubectl.
 */
import type { KubernetesApi } from './kubernetes-api';

/** At most this many warnings, newest first: a cause is for reading, and the latest ones say what is wrong now. */
const MAX_WARNINGS = 3;
/** A controller's message can quote a whole AWS error; the start of it names the problem. */
const MAX_MESSAGE_CHARS = 300;

interface EventObject {
  reason?: unknown;
  message?: unknown;
  lastTimestamp?: unknown;
  eventTime?: unknown;
  metadata?: { creationTimestamp?: unknown };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function when(event: EventObject): string {
  return text(event.lastTimestamp) || text(event.eventTime) || text(event.metadata?.creationTimestamp);
}

/**
 * The Service's Warning events as `<reason>: <message>`, newest first, each reason and message
 * once. Best effort: events that cannot be read give none (they only explain, they decide nothing).
 */
export async function serviceWarnings(
  api: KubernetesApi,
  service: { readonly namespace: string; readonly name: string },
): Promise<string[]> {
  const selector = encodeURIComponent(`involvedObject.kind=Service,involvedObject.name=${service.name},type=Warning`);
  const response = await api.request('GET', `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/events?fieldSelector=${selector}`);
  if (response.status !== 200) return [];
  const items = (response.body as { items?: EventObject[] } | undefined)?.items ?? [];
  const warnings: string[] = [];
  // ISO 8601 times in UTC sort as strings.
  for (const event of [...items].sort((a, b) => when(b).localeCompare(when(a)))) {
    const message = text(event.message);
    const line = `${text(event.reason) || 'Warning'}: ${message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message}`;
    if (!warnings.includes(line)) warnings.push(line);
    if (warnings.length === MAX_WARNINGS) break;
  }
  return warnings;
}
