/**
 * A minimal Kubernetes API client: just the verbs the workflow uses (server-side apply, JSON
 * patch, get, list, delete), over HTTPS with the cluster's CA and an EKS IAM token. Small enough to read in
 * full, and no kubeconfig or client library in the Lambda bundle.
 */
import { request } from 'node:https';

export interface KubernetesResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * How a PATCH body is to be read. Server-side apply (the default) for the workflow's own
 * manifests; a JSON patch where a field must be replaced wholesale whoever manages it, as the
 * restore of a Deployment's previous pod template does (the way `kubectl rollout undo` does it).
 */
export type KubernetesPatchType = 'application/apply-patch+yaml' | 'application/json-patch+json';

/** What the workload functions need; tests give them a simulated API server instead. */
export interface KubernetesApi {
  request(method: 'GET' | 'PATCH' | 'DELETE', path: string, body?: unknown, patchType?: KubernetesPatchType): Promise<KubernetesResponse>;
}

export interface KubernetesEndpoint {
  /** `https://<id>.<zone>.<region>.eks.amazonaws.com` from DescribeCluster. */
  readonly endpoint: string;
  /** Base64 PEM from DescribeCluster's certificateAuthority.data. */
  readonly certificateAuthority: string;
  readonly token: string;
}

const REQUEST_TIMEOUT_MS = 20_000;

export function httpsKubernetesApi(target: KubernetesEndpoint): KubernetesApi {
  const base = new URL(target.endpoint);
  const ca = Buffer.from(target.certificateAuthority, 'base64');
  return {
    request(method, path, body, patchType = 'application/apply-patch+yaml') {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            hostname: base.hostname,
            port: base.port || 443,
            path,
            method,
            ca,
            timeout: REQUEST_TIMEOUT_MS,
            headers: {
              Authorization: `Bearer ${target.token}`,
              Accept: 'application/json',
              // JSON is YAML, so an apply patch can be sent as JSON with the apply content type.
              ...(payload === undefined
                ? {}
                : {
                    'Content-Type': method === 'PATCH' ? patchType : 'application/json',
                    'Content-Length': Buffer.byteLength(payload),
                  }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                // Non-JSON bodies (proxies, load balancers) are passed on as text for the error message.
              }
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
          },
        );
        // Coded like Node's own network errors, so the one classification of transient errors covers it.
        req.on('timeout', () =>
          req.destroy(
            Object.assign(new Error(`Kubernetes API ${method} ${path} timed out after ${REQUEST_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' }),
          ),
        );
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
  };
}
