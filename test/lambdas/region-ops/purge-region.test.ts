import type { KubernetesApi, KubernetesResponse } from '../../../lambdas/region-ops/kubernetes-api';
import {
  listEdgePods,
  lockVerdict,
  purgeProgress,
  readPurgeResults,
  requestPurge,
  type PurgeRequest,
} from '../../../lambdas/region-ops/purge-region';

/** A Kubernetes API answering from a table of `METHOD path` → response, recording what it was asked. */
function fakeApi(
  answers: Record<string, KubernetesResponse>,
): KubernetesApi & { calls: { method: string; path: string; body?: unknown }[] } {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  return {
    calls,
    async request(method, path, body) {
      calls.push({ method, path, body });
      const key = `${method} ${path.split('?')[0]}`;
      return answers[key] ?? { status: 404, body: { kind: 'Status', message: `${path} not found` } };
    },
  };
}

const PODS = 'GET /api/v1/namespaces/kubecdn-edge/pods';
const RESULTS = 'GET /api/v1/namespaces/kubecdn-edge/configmaps/edge-purge-results';
const REQUEST: PurgeRequest = {
  id: 'PurgeCache-7',
  paths: ['/img/logo.png'],
  prefixes: ['/css/'],
  everything: false,
  requestedAt: '2026-01-05T09:00:00.500Z',
};

function pod(name: string, options: { ready?: boolean; created?: string; deleting?: boolean } = {}) {
  return {
    metadata: {
      name,
      creationTimestamp: options.created ?? '2026-01-05T08:00:00Z',
      ...(options.deleting ? { deletionTimestamp: '2026-01-05T09:00:00Z' } : {}),
    },
    status: { conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}
const answer = (value: unknown) => JSON.stringify(value);

describe('lockVerdict', () => {
  const now = 1767603600;
  const START = 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StartRegion:demand-1';
  const item = (expiresAt: number, operation = 'stop') => ({
    Item: {
      holder: { S: operation === 'start' ? START : 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:quiet-1' },
      operation: { S: operation },
      reason: { S: 'quiet' },
      expiresAt: { N: String(expiresAt) },
    },
  });

  it('refuses a region a stop or sync holds, naming the operation, the holder and its reason', () => {
    expect(lockVerdict('eu-west-1', item(now + 60), now)).toEqual({
      kind: 'busy',
      cause:
        'eu-west-1 is busy: stop of eu-west-1 by execution arn:aws:states:us-east-1:123456789012:execution:kubecdn-StopRegion:quiet-1 holds its lock (reason: quiet); run PurgeCache again once it is done',
    });
    expect(lockVerdict('eu-west-1', item(now + 60, 'sync'), now).kind).toBe('busy');
  });

  it('lets a purge through while a start holds the lock, naming the start', () => {
    expect(lockVerdict('eu-west-1', item(now + 60, 'start'), now)).toEqual({ kind: 'starting', holder: START });
  });

  it('sees the region free when nobody holds the lock or it has lapsed', () => {
    expect(lockVerdict('eu-west-1', {}, now)).toEqual({ kind: 'free' });
    expect(lockVerdict('eu-west-1', item(now - 1), now)).toEqual({ kind: 'free' });
  });
});

describe('listEdgePods', () => {
  it('lists by the edge label in the edge namespace, reading Ready, creation and deletion', async () => {
    const api = fakeApi({ [PODS]: { status: 200, body: { items: [pod('a'), pod('b', { ready: false, deleting: true })] } } });
    expect(await listEdgePods(api)).toEqual([
      { name: 'a', ready: true, createdAtMs: Date.parse('2026-01-05T08:00:00Z'), terminating: false },
      { name: 'b', ready: false, createdAtMs: Date.parse('2026-01-05T08:00:00Z'), terminating: true },
    ]);
    expect(api.calls[0]!.path).toBe('/api/v1/namespaces/kubecdn-edge/pods?labelSelector=app.kubernetes.io%2Fname%3Dedge-nginx');
  });

  it('finds no pods where the namespace does not exist', async () => {
    expect(await listEdgePods(fakeApi({}))).toEqual([]);
  });

  it('retries on a throttled or unauthorized answer (an access entry still propagating)', async () => {
    const api = fakeApi({ [PODS]: { status: 429, body: { message: 'slow down' } } });
    await expect(listEdgePods(api)).rejects.toMatchObject({ name: 'Retryable', message: expect.stringContaining('HTTP 429: slow down') });
  });
});

describe('requestPurge', () => {
  it('makes sure the results ConfigMap exists (without data), then writes the request with its own field manager', async () => {
    const ok = { status: 200, body: {} };
    const api = fakeApi({
      'PATCH /api/v1/namespaces/kubecdn-edge/configmaps/edge-purge-results': ok,
      'PATCH /api/v1/namespaces/kubecdn-edge/configmaps/edge-purge': ok,
    });
    await requestPurge(api, 'kubecdn', REQUEST);
    expect(api.calls.map((c) => c.path)).toEqual([
      '/api/v1/namespaces/kubecdn-edge/configmaps/edge-purge-results?fieldManager=kubecdn-purge&force=true',
      '/api/v1/namespaces/kubecdn-edge/configmaps/edge-purge?fieldManager=kubecdn-purge&force=true',
    ]);
    expect(api.calls[0]!.body).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'edge-purge-results', namespace: 'kubecdn-edge', labels: { 'app.kubernetes.io/part-of': 'kubecdn' } },
    });
    const written = api.calls[1]!.body as { data: { request: string } };
    expect(JSON.parse(written.data.request)).toEqual(REQUEST);
  });

  it('says what to do when the edge namespace is missing', async () => {
    await expect(requestPurge(fakeApi({}), 'kubecdn', REQUEST)).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringContaining('namespace kubecdn-edge not found; run StartRegion or SyncRegion'),
    });
  });
});

describe('readPurgeResults and purgeProgress', () => {
  const results = (data: Record<string, string>) => ({ [RESULTS]: { status: 200, body: { data } } });

  it('reads the answers to this request only, counts and errors alike', async () => {
    const api = fakeApi(
      results({
        b: answer({ id: 'PurgeCache-7', error: 'EACCES' }),
        a: answer({ id: 'PurgeCache-7', removed: 2, scanned: 9, finishedAt: '2026-01-05T09:00:02Z' }),
        old: answer({ id: 'PurgeCache-6', removed: 1, scanned: 1 }),
        garbled: '{not json',
        odd: answer({ id: 'PurgeCache-7', removed: -1, scanned: 0 }),
      }),
    );
    expect(await readPurgeResults(api, 'PurgeCache-7')).toEqual([
      { pod: 'a', removed: 2, scanned: 9 },
      { pod: 'b', error: 'EACCES' },
    ]);
  });

  it('waits for every Ready pod created before the request, not for newer, unready or departing ones', async () => {
    const api = fakeApi({
      [PODS]: {
        status: 200,
        body: {
          items: [
            pod('answered'),
            pod('silent'),
            // Kubernetes times are to the second: a pod of the request's second counts as before it.
            pod('same-second', { created: '2026-01-05T09:00:00Z' }),
            pod('newer', { created: '2026-01-05T09:00:01Z' }),
            pod('unready', { ready: false }),
            pod('departing', { deleting: true }),
          ],
        },
      },
      ...results({ answered: answer({ id: 'PurgeCache-7', removed: 0, scanned: 3 }) }),
    });
    expect(await purgeProgress(api, REQUEST)).toEqual({
      done: false,
      pods: [{ pod: 'answered', removed: 0, scanned: 3 }],
      waiting: ['same-second', 'silent'],
    });
  });

  it('is done when every pod waited for has answered', async () => {
    const api = fakeApi({
      [PODS]: { status: 200, body: { items: [pod('a')] } },
      ...results({ a: answer({ id: 'PurgeCache-7', removed: 1, scanned: 1 }) }),
    });
    expect(await purgeProgress(api, REQUEST)).toMatchObject({ done: true, waiting: [] });
  });
});
