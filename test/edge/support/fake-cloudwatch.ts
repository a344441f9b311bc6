/**
 * A loopback stand-in for the AWS endpoints the edge metrics agent calls, for tests that run the
 * built agent as a process: CloudWatch (awsJson1_0: PutMetricData) and CloudWatch Logs (awsJson1_1:
 * CreateLogStream, PutLogEvents), told apart by X-Amz-Target, and the EKS Pod Identity agent's
 * credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI, with the token from
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), so the agent's default credential chain is the pod's.
 * Every request is recorded with its decoded JSON body (gunzipped when the SDK compressed it).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export const FAKE_ACCESS_KEY_ID = 'ASIAFAKEPODIDENTITY0';
export const CREDENTIALS_PATH = '/v1/credentials';

export interface RecordedCall {
  /** The operation, e.g. PutMetricData. */
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeCloudWatch {
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Credentials handed out, with the Authorization header each request for them carried. */
  readonly credentialRequests: (string | undefined)[];
  close(): Promise<void>;
}

export async function startFakeCloudWatch(podIdentityToken: string): Promise<FakeCloudWatch> {
  const calls: RecordedCall[] = [];
  const credentialRequests: (string | undefined)[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET' && request.url === CREDENTIALS_PATH) {
        credentialRequests.push(request.headers.authorization);
        if (request.headers.authorization !== podIdentityToken) {
          response.writeHead(403).end();
          return;
        }
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            AccessKeyId: FAKE_ACCESS_KEY_ID,
            SecretAccessKey: 'fake-secret',
            Token: 'fake-session-token',
            Expiration: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        );
        return;
      }
      const raw = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      calls.push({ operation, body: JSON.parse(text || '{}') as Record<string, unknown>, headers: request.headers });
      const json = target.startsWith('Logs_') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
      response.writeHead(200, { 'Content-Type': json }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    credentialRequests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
