/**
 * The Kubernetes API of a cluster whose endpoint is private, reached through the region's relay
 * function (lambdas/kubernetes-api-relay) in the cluster's VPC: the same interface as the direct
 * HTTPS client, so the workload code does not know which it talks to.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod/mini';
import type { RelayEvent } from '../kubernetes-api-relay/relay';
import { describeIssues } from '../shared/validated-event';
import { RegionOperationFailedError } from './errors';
import type { KubernetesApi, KubernetesEndpoint } from './kubernetes-api';

const relayResultSchema = z.object({ status: z.number().check(z.int(), z.gte(100), z.lte(599)), body: z.unknown() });
const functionErrorSchema = z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) });

/** Node's network error codes (ECONNREFUSED, ETIMEDOUT, EAI_AGAIN, ...): what the relay names an unreachable API server by. */
const NODE_NETWORK_CODE = /^E[A-Z0-9_]+$/;

/**
 * A relay that could not reach the API server fails with the Node error code as its error type;
 * it comes back here coded the same way (name and `code`) as a direct call's network error would
 * be, so one classification decides what is transient. A relay that timed out is ETIMEDOUT too.
 */
function relayFailure(functionName: string, payload: string): Error {
  let parsed: z.infer<typeof functionErrorSchema> = {};
  try {
    parsed = functionErrorSchema.parse(JSON.parse(payload));
  } catch {
    parsed = { errorMessage: payload };
  }
  const type = parsed.errorType ?? 'Unknown';
  const message = `Kubernetes API relay ${functionName}: ${parsed.errorMessage ?? 'no error message'}`;
  const code = NODE_NETWORK_CODE.test(type) ? type : type === 'Sandbox.Timedout' ? 'ETIMEDOUT' : undefined;
  if (code) return Object.assign(new Error(message), { name: code, code });
  return new RegionOperationFailedError(`${message} (${type})`);
}

export function relayKubernetesApi(lambda: LambdaClient, functionName: string, target: KubernetesEndpoint): KubernetesApi {
  return {
    async request(method, path, body, patchType) {
      const event: RelayEvent = {
        endpoint: target.endpoint,
        certificateAuthority: target.certificateAuthority,
        token: target.token,
        method,
        path,
        ...(body === undefined ? {} : { body }),
        ...(patchType === undefined ? {} : { patchType }),
      };
      const response = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
      if (response.FunctionError) throw relayFailure(functionName, text);
      const parsed = relayResultSchema.safeParse(text ? JSON.parse(text) : undefined);
      if (!parsed.success)
        throw new RegionOperationFailedError(
          `Kubernetes API relay ${functionName} answered without {status, body}: ${describeIssues(parsed.error)}`,
        );
      return { status: parsed.data.status, body: parsed.data.body };
    },
  };
}
