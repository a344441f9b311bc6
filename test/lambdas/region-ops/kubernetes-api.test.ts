/**
 * The HTTPS client with node:https replaced: what content type each kind of PATCH goes out with,
 * and how a socket error or a request that never answers reaches the workflow.
 */
import { EventEmitter } from 'node:events';

const sent: { options: { method: string; path: string; headers: Record<string, unknown>; timeout?: number }; body: string }[] = [];
/** How the fake server answers the next requests: normally, by resetting the connection, or never (until the client's timeout). */
let network: 'answers' | 'resets' | 'hangs' = 'answers';

jest.mock('node:https', () => ({
  request: (
    options: { method: string; path: string; headers: Record<string, unknown>; timeout?: number },
    onResponse: (res: EventEmitter) => void,
  ) => {
    const entry = { options, body: '' };
    sent.push(entry);
    const req = new EventEmitter() as EventEmitter & { write(chunk: string): void; end(): void; destroy(error?: Error): void };
    req.write = (chunk: string) => {
      entry.body += chunk;
    };
    // As http.ClientRequest does: destroying with an error emits it.
    req.destroy = (error?: Error) => {
      if (error) process.nextTick(() => req.emit('error', error));
    };
    req.end = () => {
      if (network === 'resets') {
        process.nextTick(() => req.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' })));
        return;
      }
      // Node emits 'timeout' once the socket has been idle for options.timeout ms.
      if (network === 'hangs') {
        process.nextTick(() => req.emit('timeout'));
        return;
      }
      const res = new EventEmitter() as EventEmitter & { statusCode: number };
      res.statusCode = 200;
      onResponse(res);
      res.emit('data', Buffer.from('{"kind":"Deployment"}'));
      res.emit('end');
    };
    return req;
  },
}));

import { asWorkflowError } from '../../../lambdas/region-ops/errors';
import { httpsKubernetesApi, REQUEST_TIMEOUT_MS } from '../../../lambdas/region-ops/kubernetes-api';

const api = httpsKubernetesApi({
  endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthority: Buffer.from('ca').toString('base64'),
  token: 'k8s-aws-v1.token',
});

beforeEach(() => {
  sent.length = 0;
  network = 'answers';
});

describe('httpsKubernetesApi', () => {
  it('sends a PATCH as server-side apply unless told otherwise, so existing callers keep applying', async () => {
    expect(
      await api.request('PATCH', '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=m&force=true', { kind: 'Deployment' }),
    ).toEqual({
      status: 200,
      body: { kind: 'Deployment' },
    });
    expect(sent[0]!.options.headers['Content-Type']).toBe('application/apply-patch+yaml');
  });

  it('sends a JSON patch with the JSON-patch content type when asked', async () => {
    const patch = [{ op: 'replace', path: '/spec/template', value: {} }];
    await api.request(
      'PATCH',
      '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=kubecdn-restore',
      patch,
      'application/json-patch+json',
    );
    expect(sent[0]!.options).toMatchObject({ method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' } });
    expect(JSON.parse(sent[0]!.body)).toEqual(patch);
  });

  it('sends a GET without a body or content type', async () => {
    await api.request('GET', '/api/v1/services');
    expect(sent[0]!.options.headers['Content-Type']).toBeUndefined();
    expect(sent[0]!.body).toBe('');
  });

  it('rejects with the socket error when the connection is reset, which the workflow retries', async () => {
    network = 'resets';
    const error = await api.request('GET', '/api/v1/services').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(asWorkflowError(error)).toMatchObject({ name: 'Retryable', message: 'Error: read ECONNRESET' });
  });

  it('gives up after its own timeout with an error the workflow retries', async () => {
    network = 'hangs';
    const error = await api.request('GET', '/api/v1/services').catch((e: unknown) => e);
    expect(sent[0]!.options.timeout).toBe(REQUEST_TIMEOUT_MS);
    expect(error).toMatchObject({
      name: 'RequestTimeout',
      message: `Kubernetes API GET /api/v1/services timed out after ${REQUEST_TIMEOUT_MS} ms`,
    });
    expect(asWorkflowError(error)).toMatchObject({ name: 'Retryable' });
  });
});
