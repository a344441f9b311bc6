import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { relayKubernetesApi } from '../../../lambdas/region-ops/relay-kubernetes-api';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());
afterAll(() => lambda.restore());

const target = {
  endpoint: 'https://0123ABCD.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthority: 'Y2E=',
  token: 'k8s-aws-v1.dG9rZW4',
};
const api = () => relayKubernetesApi(new LambdaClient({ region: 'eu-west-1' }), 'kubecdn-kubernetes-api-relay', target);
const payload = (value: unknown) => Buffer.from(JSON.stringify(value)) as never;
const functionError = (errorType: string, errorMessage: string) => ({
  StatusCode: 200,
  FunctionError: 'Unhandled',
  Payload: payload({ errorType, errorMessage, trace: [] }),
});

describe('the Kubernetes API through the relay', () => {
  it('invokes the relay synchronously with the request and returns its status and body', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ status: 201, body: { kind: 'Namespace' } }) });
    const patch = [{ op: 'replace', path: '/spec/template', value: {} }];

    const response = await api().request(
      'PATCH',
      '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=m',
      patch,
      'application/json-patch+json',
    );

    expect(response).toEqual({ status: 201, body: { kind: 'Namespace' } });
    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call!.args[0].input).toMatchObject({ FunctionName: 'kubecdn-kubernetes-api-relay', InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(call!.args[0].input.Payload as Uint8Array).toString('utf8'))).toEqual({
      ...target,
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=m',
      body: patch,
      patchType: 'application/json-patch+json',
    });
  });

  it('sends no body or patch type when the request has none', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ status: 404, body: { kind: 'Status' } }) });
    expect(await api().request('GET', '/api/v1/services')).toEqual({ status: 404, body: { kind: 'Status' } });
    const sent = JSON.parse(Buffer.from(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.Payload as Uint8Array).toString('utf8'));
    expect(Object.keys(sent).sort()).toEqual(['certificateAuthority', 'endpoint', 'method', 'path', 'token']);
  });

  it.each([
    ['ECONNREFUSED', 'ECONNREFUSED'],
    ['ETIMEDOUT', 'ETIMEDOUT'],
    ['EAI_AGAIN', 'EAI_AGAIN'],
    ['Sandbox.Timedout', 'ETIMEDOUT'],
  ])('reports a relay that failed with %s as a network error coded %s, for the retry classification', async (errorType, code) => {
    lambda.on(InvokeCommand).resolves(functionError(errorType, 'GET x/api/v1/services from the VPC: connect failed'));
    const failure = await api()
      .request('GET', '/api/v1/services')
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: code, code });
    expect((failure as Error).message).toBe(
      'Kubernetes API relay kubecdn-kubernetes-api-relay: GET x/api/v1/services from the VPC: connect failed',
    );
  });

  it('reports a relay that refused the request as a failed operation, not as something to retry', async () => {
    lambda.on(InvokeCommand).resolves(functionError('KubernetesApiRelayRefused', '$.endpoint: example.com is not an EKS cluster endpoint'));
    const failure = await api()
      .request('GET', '/api/v1/services')
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'RegionOperationFailed', message: expect.stringContaining('(KubernetesApiRelayRefused)') });
    expect((failure as { code?: string }).code).toBeUndefined();
  });

  it('refuses an answer that is not {status, body}', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: true }) });
    await expect(api().request('GET', '/api/v1/services')).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringMatching(/answered without \{status, body\}: \$\.status: /),
    });
  });

  it('lets an error of the invocation itself (throttling, function not ready) through as the SDK raised it', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await expect(api().request('GET', '/api/v1/services')).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  });
});
