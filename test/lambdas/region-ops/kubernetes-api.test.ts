/** The HTTPS client's headers, with node:https replaced: what content type each kind of PATCH goes out with. */
import { EventEmitter } from 'node:events';

const sent: { options: { method: string; path: string; headers: Record<string, unknown> }; body: string }[] = [];

jest.mock('node:https', () => ({
  request: (options: { method: string; path: string; headers: Record<string, unknown> }, onResponse: (res: EventEmitter) => void) => {
    const entry = { options, body: '' };
    sent.push(entry);
    const req = new EventEmitter() as EventEmitter & { write(chunk: string): void; end(): void; destroy(): void };
    req.write = (chunk: string) => {
      entry.body += chunk;
    };
    req.destroy = () => {};
    req.end = () => {
      const res = new EventEmitter() as EventEmitter & { statusCode: number };
      res.statusCode = 200;
      onResponse(res);
      res.emit('data', Buffer.from('{"kind":"Deployment"}'));
      res.emit('end');
    };
    return req;
  },
}));

import { httpsKubernetesApi } from '../../../lambdas/region-ops/kubernetes-api';

const api = httpsKubernetesApi({
  endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthority: Buffer.from('ca').toString('base64'),
  token: 'k8s-aws-v1.token',
});

beforeEach(() => (sent.length = 0));

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
});
