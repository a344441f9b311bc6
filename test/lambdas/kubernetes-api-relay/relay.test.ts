import type { Context } from 'aws-lambda';
import { endpointProblem, relayRequest, type RelayEvent } from '../../../lambdas/kubernetes-api-relay/relay';
import type { KubernetesApi, KubernetesEndpoint } from '../../../lambdas/region-ops/kubernetes-api';

const ENDPOINT = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';

function event(overrides: Partial<RelayEvent> = {}): RelayEvent {
  return {
    endpoint: ENDPOINT,
    certificateAuthority: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'),
    token: 'k8s-aws-v1.aHR0cHM6Ly9zdHM',
    method: 'GET',
    path: '/api/v1/services?labelSelector=app.kubernetes.io%2Fpart-of%3Dkubecdn',
    ...overrides,
  };
}

function recordingApi(answer: () => Promise<{ status: number; body: unknown }>) {
  const calls: { target: KubernetesEndpoint; args: unknown[] }[] = [];
  const connect = (target: KubernetesEndpoint): KubernetesApi => ({
    request: (...args) => {
      calls.push({ target, args });
      return answer();
    },
  });
  return { calls, connect };
}

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
// Required after the log level is set: the logger reads it when the module loads.
const { handler } =
  require('../../../lambdas/kubernetes-api-relay/handler') as typeof import('../../../lambdas/kubernetes-api-relay/handler');

const context = { awsRequestId: 'r', functionName: 'kubecdn-kubernetes-api-relay' } as unknown as Context;

describe('the Kubernetes API relay', () => {
  it('makes the request with the given endpoint, CA and token, and returns the status and body as the API server gave them', async () => {
    const { calls, connect } = recordingApi(async () => ({ status: 404, body: { kind: 'Status', message: 'not found' } }));
    const patch = [{ op: 'replace', path: '/spec/template', value: {} }];
    const result = await relayRequest(
      event({
        method: 'PATCH',
        path: '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=m',
        body: patch,
        patchType: 'application/json-patch+json',
      }),
      { region: 'eu-west-1', connect },
    );
    expect(result).toEqual({ status: 404, body: { kind: 'Status', message: 'not found' } });
    expect(calls).toEqual([
      {
        target: { endpoint: ENDPOINT, certificateAuthority: event().certificateAuthority, token: event().token },
        args: ['PATCH', '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=m', patch, 'application/json-patch+json'],
      },
    ]);
  });

  it.each([
    ['a host outside EKS', 'https://169.254.169.254', /not an EKS cluster endpoint/],
    ['a look-alike host', 'https://abc.gr7.eu-west-1.eks.amazonaws.com.attacker.example', /not an EKS cluster endpoint/],
    ['plain HTTP', 'http://abc.gr7.eu-west-1.eks.amazonaws.com', /expected https/],
    ['another port', 'https://abc.gr7.eu-west-1.eks.amazonaws.com:8443', /expected port 443/],
    ['credentials in the URL', 'https://user:pw@abc.gr7.eu-west-1.eks.amazonaws.com', /no user name or password/],
    ['a path on the endpoint', 'https://abc.gr7.eu-west-1.eks.amazonaws.com/x', /no path/],
    ['an EKS endpoint of another region', 'https://abc.gr7.us-east-1.eks.amazonaws.com', /in us-east-1, not in eu-west-1/],
    ['something that is not a URL', 'abc.gr7.eu-west-1.eks.amazonaws.com', /expected a URL/],
  ])('refuses %s without connecting anywhere', async (_what, endpoint, reason) => {
    const { calls, connect } = recordingApi(async () => ({ status: 200, body: {} }));
    await expect(relayRequest(event({ endpoint }), { region: 'eu-west-1', connect })).rejects.toMatchObject({
      name: 'KubernetesApiRelayRefused',
      message: expect.stringMatching(reason),
    });
    expect(calls).toEqual([]);
  });

  it('accepts an endpoint written with an explicit port 443 or upper-case id', () => {
    expect(endpointProblem('https://0123ABCD.gr7.eu-west-1.eks.amazonaws.com:443', 'eu-west-1')).toBeUndefined();
  });

  it.each([
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 10.64.1.5:443'), { code: 'ECONNREFUSED' })],
    ['ETIMEDOUT', Object.assign(new Error('Kubernetes API GET /api/v1/services timed out after 20000 ms'), { code: 'ETIMEDOUT' })],
    ['ENOTFOUND', Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })],
  ])('reports a %s network error under that code, as name and code, with the request it was', async (code, error) => {
    const { connect } = recordingApi(() => Promise.reject(error));
    const failure = await relayRequest(event(), { region: 'eu-west-1', connect }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: code, code });
    expect((failure as Error).message).toMatch(
      /^GET 0123456789abcdef0123456789abcdef\.gr7\.eu-west-1\.eks\.amazonaws\.com\/api\/v1\/services from the VPC: /,
    );
    expect((failure as Error).message).toContain(error.message);
  });

  it('names an error without a code as a failed request', async () => {
    const { connect } = recordingApi(() => Promise.reject(new Error('socket hang up')));
    await expect(relayRequest(event(), { region: 'eu-west-1', connect })).rejects.toMatchObject({ name: 'KubernetesApiRequestFailed' });
  });
});

describe('the relay handler', () => {
  const previousRegion = process.env.AWS_REGION;
  beforeAll(() => (process.env.AWS_REGION = 'eu-west-1'));
  afterAll(() => (process.env.AWS_REGION = previousRegion));

  it.each([
    ['an unknown verb', { method: 'POST' }, /\$\.method: expected GET, PATCH or DELETE/],
    [
      'a path outside the Kubernetes API',
      { path: '/healthz' },
      /\$\.path: expected a Kubernetes API path starting with \/api\/ or \/apis\//,
    ],
    ['a token that is not an EKS token', { token: 'Bearer abc' }, /\$\.token: expected an EKS token starting with k8s-aws-v1\./],
    ['a CA that is not base64', { certificateAuthority: '-----BEGIN CERTIFICATE-----' }, /\$\.certificateAuthority: expected .* as base64/],
    ['an unknown patch type', { patchType: 'application/merge-patch+json' }, /\$\.patchType: expected application\/apply-patch\+yaml or/],
    ['an unexpected field', { url: 'https://example.com' }, /unrecognized key.*"url"/i],
  ])('rejects %s as invalid input naming the field', async (_what, change, message) => {
    await expect(handler({ ...event(), ...change } as never, context)).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a host that is not an EKS endpoint in its own region', async () => {
    await expect(handler(event({ endpoint: 'https://example.com' }), context)).rejects.toMatchObject({
      name: 'KubernetesApiRelayRefused',
    });
  });
});
