/**
 * The Kubernetes API relay: makes one Kubernetes API request from inside a region's VPC, for a
 * cluster whose endpoint is private. The region workflows (outside any VPC) sign the EKS token
 * and send it here with the request; the relay needs no AWS API access of its own.
 *
 * It talks only to EKS cluster endpoints of its own region, and only on the Kubernetes API paths,
 * so whoever may invoke it cannot use it as a general proxy into the VPC or out of it.
 */
import * as z from 'zod/mini';
import { EKS_TOKEN_PREFIX } from '../region-ops/eks-token';
import type { KubernetesApi, KubernetesEndpoint, KubernetesResponse } from '../region-ops/kubernetes-api';

/** `https://<id>.<zone>.<region>.eks.amazonaws.com`, as DescribeCluster reports a cluster's endpoint. */
const EKS_ENDPOINT_HOST = /^[a-z0-9]+\.[a-z0-9]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com$/;

/** Why `endpoint` is not an EKS cluster endpoint in `region`, or undefined if it is one. */
export function endpointProblem(endpoint: string, region: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'expected a URL such as "https://<id>.gr7.<region>.eks.amazonaws.com"';
  }
  if (url.protocol !== 'https:') return `expected https, got ${url.protocol}`;
  if (url.username || url.password) return 'expected no user name or password in the URL';
  if (url.port && url.port !== '443') return `expected port 443, got ${url.port}`;
  if (url.pathname !== '/' || url.search || url.hash) return 'expected the endpoint alone, with no path, query or fragment';
  const host = EKS_ENDPOINT_HOST.exec(url.hostname.toLowerCase());
  if (!host)
    return `${url.hostname} is not an EKS cluster endpoint (<id>.<zone>.<region>.eks.amazonaws.com); the relay talks to nothing else`;
  if (host[1] !== region) return `${url.hostname} is an EKS endpoint in ${host[1]}, not in ${region} where this relay runs`;
  return undefined;
}

// zod/mini keeps the full library (most of a bundle) out of this function; the handler loads the
// English messages for the checks that give none of their own (an unknown field).
export const relayEventSchema = z.strictObject({
  endpoint: z.string({ error: 'expected the cluster endpoint from DescribeCluster' }),
  certificateAuthority: z.string({ error: "expected the cluster's certificate authority (base64 PEM from DescribeCluster)" }).check(
    z.regex(/^[A-Za-z0-9+/]+={0,2}$/, {
      error: "expected the cluster's certificate authority as base64 (DescribeCluster's certificateAuthority.data)",
    }),
  ),
  token: z
    .string({ error: `expected an EKS token (${EKS_TOKEN_PREFIX}...)` })
    .check(z.startsWith(EKS_TOKEN_PREFIX, { error: `expected an EKS token starting with ${EKS_TOKEN_PREFIX}` })),
  method: z.enum(['GET', 'PATCH', 'DELETE'], { error: 'expected GET, PATCH or DELETE, the verbs the workflows use' }),
  path: z
    .string({ error: 'expected a Kubernetes API path such as "/api/v1/namespaces"' })
    .check(z.regex(/^\/apis?\/[A-Za-z0-9._~%/?=&,:+!-]*$/, { error: 'expected a Kubernetes API path starting with /api/ or /apis/' })),
  body: z.optional(z.unknown()),
  patchType: z.optional(
    z.enum(['application/apply-patch+yaml', 'application/json-patch+json'], {
      error: 'expected application/apply-patch+yaml or application/json-patch+json',
    }),
  ),
});

export type RelayEvent = z.infer<typeof relayEventSchema>;
export type RelayResult = KubernetesResponse;

/** The relay refuses an event (not an EKS endpoint of its region): never worth retrying. */
export class RelayRefusedError extends Error {
  override name = 'KubernetesApiRelayRefused';
}

/**
 * A request that did not get an HTTP answer (connection refused, reset, timed out, name not
 * resolved). Named by Node's error `code`, which also stays on it as `code`: the Lambda runtime
 * reports the name as the error type, and the caller classifies transient network errors by it.
 */
export class KubernetesApiUnreachableError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Makes the request and returns the API server's status and body, whatever the status. */
export async function relayRequest(
  event: RelayEvent,
  options: { region: string; connect: (target: KubernetesEndpoint) => KubernetesApi },
): Promise<RelayResult> {
  const problem = endpointProblem(event.endpoint, options.region);
  if (problem) throw new RelayRefusedError(`$.endpoint: ${problem}`);
  const api = options.connect({ endpoint: event.endpoint, certificateAuthority: event.certificateAuthority, token: event.token });
  try {
    return await api.request(event.method, event.path, event.body, event.patchType);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = error instanceof Error ? error.message : String(error);
    throw new KubernetesApiUnreachableError(
      typeof code === 'string' && code ? code : 'KubernetesApiRequestFailed',
      `${event.method} ${new URL(event.endpoint).hostname}${event.path.split('?')[0]} from the VPC: ${reason}`,
    );
  }
}
