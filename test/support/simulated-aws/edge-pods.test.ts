/** The simulated pods and purge companions, judged by what a real API server and the companion contract say. */
import type { KubernetesApi } from '../../../lambdas/region-ops/kubernetes-api';
import { PURGE_ANSWER_DELAY_MS } from './edge-pods';
import { OBSERVE_LAG_MS } from './deployments';
import { clusterWithApi as simulatedClusterWithApi } from './cluster-with-api';
import type { InstalledMocks } from './install-mocks';
import { LEAD_TIMES_MS } from './world';

const NS = '/api/v1/namespaces/kubecdn-edge';
const DEPLOYMENT = '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx';
const PODS = `${NS}/pods`;
const SELECTOR = `?labelSelector=${encodeURIComponent('app.kubernetes.io/name=edge-nginx')}`;
const REQUEST = `${NS}/configmaps/edge-purge`;
const RESULTS = `${NS}/configmaps/edge-purge-results`;

let mocks: InstalledMocks | undefined;
afterEach(() => mocks?.restore());

async function clusterWithApi() {
  const made = await simulatedClusterWithApi();
  mocks = made.mocks;
  return made;
}

function deployment(image: string, replicas = 2) {
  const labels = { 'app.kubernetes.io/name': 'edge-nginx' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'edge-nginx', namespace: 'kubecdn-edge' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

interface PodView {
  metadata: { name: string; creationTimestamp: string; deletionTimestamp?: string; labels: Record<string, string> };
  status: { conditions: { type: string; status: string }[] };
}
async function pods(api: KubernetesApi, query = SELECTOR): Promise<PodView[]> {
  const response = await api.request('GET', `${PODS}${query}`);
  expect(response.status).toBe(200);
  return (response.body as { items: PodView[] }).items;
}
const ready = (pod: PodView) => pod.status.conditions.find((c) => c.type === 'Ready')!.status === 'True';
const applyConfigMap = (api: KubernetesApi, path: string, data: Record<string, string> | undefined, manager = 'kubecdn-purge') =>
  api.request('PATCH', `${path}?fieldManager=${manager}&force=true`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: path.split('/').pop(), namespace: 'kubecdn-edge' },
    ...(data ? { data } : {}),
  });
const request = (id: string, paths: string[], prefixes: string[] = [], everything = false) => ({
  request: JSON.stringify({ id, paths, prefixes, everything, requestedAt: '2026-01-05T09:00:00.000Z' }),
});
async function answers(api: KubernetesApi): Promise<Record<string, { id: string; removed?: number; scanned?: number; error?: string }>> {
  const data = ((await api.request('GET', RESULTS)).body as { data?: Record<string, string> }).data ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.parse(v)]));
}

describe('the simulated pods', () => {
  it('lists a Deployment’s pods by label selector, gets one by name, and answers 404 for a pod that does not exist', async () => {
    const { world, api } = await clusterWithApi();
    await api.request('PATCH', `${DEPLOYMENT}?fieldManager=t`, deployment('nginx:1'));
    world.advance(LEAD_TIMES_MS.podsReady);

    const listed = await pods(api);
    expect(listed.map(ready)).toEqual([true, true]);
    expect(listed[0]!.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'edge-nginx', 'pod-template-hash': expect.any(String) });
    expect(listed[0]!.metadata.creationTimestamp).toMatch(/^2026-01-05T\d\d:\d\d:\d\dZ$/);
    expect(await pods(api, `?labelSelector=${encodeURIComponent('app.kubernetes.io/name=other')}`)).toEqual([]);
    expect(await pods(api, '')).toHaveLength(2);
    expect((await api.request('GET', '/api/v1/namespaces/elsewhere/pods')).body).toMatchObject({ kind: 'PodList', items: [] });
    const one = await api.request('GET', `${PODS}/${listed[1]!.metadata.name}`);
    expect([one.status, (one.body as PodView).metadata.name]).toEqual([200, listed[1]!.metadata.name]);
    expect((await api.request('GET', `${PODS}/edge-nginx-nope`)).status).toBe(404);
  });

  it('keeps the old pods serving during a rolling update beside an unready new one, then replaces them with new names', async () => {
    const { world, api } = await clusterWithApi();
    await api.request('PATCH', `${DEPLOYMENT}?fieldManager=t`, deployment('nginx:1'));
    world.advance(LEAD_TIMES_MS.podsReady);
    const before = (await pods(api)).map((p) => p.metadata.name);
    const changedAt = world.now;
    await api.request('PATCH', `${DEPLOYMENT}?fieldManager=t`, deployment('nginx:2'));
    world.advance(2_000);

    const rolling = await pods(api);
    expect(rolling.map((p) => [before.includes(p.metadata.name), ready(p)])).toEqual([
      [true, true],
      [true, true],
      [false, false],
    ]);
    world.advance(LEAD_TIMES_MS.podsReady);
    const after = await pods(api);
    expect(after.map((p) => [before.includes(p.metadata.name), ready(p)])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(Date.parse(after[0]!.metadata.creationTimestamp)).toBe(Math.floor((changedAt + OBSERVE_LAG_MS) / 1000) * 1000);
  });

  it('shuts pods down on a scale to zero: they show a deletion timestamp, not Ready, until they are gone', async () => {
    const { world, api } = await clusterWithApi();
    await api.request('PATCH', `${DEPLOYMENT}?fieldManager=t`, deployment('nginx:1'));
    world.advance(LEAD_TIMES_MS.podsReady);
    await api.request('PATCH', `${DEPLOYMENT}?fieldManager=kubecdn-warm-standby&force=true`, {
      ...deployment('nginx:1'),
      spec: { replicas: 0 },
    });
    world.advance(2_000);
    const stopping = await pods(api);
    expect(stopping.map((p) => [ready(p), typeof p.metadata.deletionTimestamp])).toEqual([
      [false, 'string'],
      [false, 'string'],
    ]);
    world.advance(LEAD_TIMES_MS.podsReady);
    expect(await pods(api)).toEqual([]);
  });
});

describe('the simulated purge companions', () => {
  async function servingPods() {
    const setup = await clusterWithApi();
    await setup.api.request('PATCH', `${DEPLOYMENT}?fieldManager=t`, deployment('nginx:1'));
    setup.world.advance(LEAD_TIMES_MS.podsReady);
    const names = (await pods(setup.api)).map((p) => p.metadata.name);
    for (const pod of setup.world.pods.get('eu-west-1/kubecdn-eu-west-1')!.values())
      pod.cache = ['a.example/img/1.png', 'b.example/img/1.png?v=2', 'a.example/img/10.png', 'a.example/css/x.css'];
    return { ...setup, names };
  }

  it('answer a new request once, after their delay, removing the matching keys of their pod’s cache', async () => {
    const { world, api, names } = await servingPods();
    await applyConfigMap(api, RESULTS, undefined);
    await applyConfigMap(api, REQUEST, request('r1', ['/img/1.png'], ['/css/']));
    world.advance(PURGE_ANSWER_DELAY_MS - 1);
    expect(await answers(api)).toEqual({});
    world.advance(1);
    const first = await answers(api);
    expect(Object.keys(first).sort()).toEqual([...names].sort());
    expect(first[names[0]!]).toMatchObject({ id: 'r1', removed: 3, scanned: 4 });
    expect([...world.pods.get('eu-west-1/kubecdn-eu-west-1')!.values()].map((p) => p.cache)).toEqual([
      ['a.example/img/10.png'],
      ['a.example/img/10.png'],
    ]);
    // The same request applied again (a retry) is not a new request.
    await applyConfigMap(api, REQUEST, request('r1', ['/img/1.png'], ['/css/']));
    world.advance(PURGE_ANSWER_DELAY_MS);
    expect(await answers(api)).toEqual(first);
  });

  it('cannot answer without the results ConfigMap, and answer once it exists', async () => {
    const { world, api } = await servingPods();
    await applyConfigMap(api, REQUEST, request('r1', [], [], true));
    world.advance(PURGE_ANSWER_DELAY_MS);
    expect((await api.request('GET', RESULTS)).status).toBe(404);
    await applyConfigMap(api, RESULTS, undefined);
    expect(Object.values(await answers(api)).map((a) => a.removed)).toEqual([4, 4]);
  });

  it('stay silent or answer with an error when a test says so', async () => {
    const { world, api, names } = await servingPods();
    world.silentPurgePods.add(names[0]!);
    world.failingPurgePods.set(names[1]!, 'EACCES');
    await applyConfigMap(api, RESULTS, undefined);
    await applyConfigMap(api, REQUEST, request('r1', ['/img/1.png']));
    world.advance(10 * PURGE_ANSWER_DELAY_MS);
    expect(await answers(api)).toEqual({ [names[1]!]: expect.objectContaining({ id: 'r1', error: 'EACCES' }) });
  });
});

describe('server-side apply of ConfigMap data', () => {
  it('keeps keys other writers set, and drops a key its manager applied before and leaves out', async () => {
    const { api, cluster } = await clusterWithApi();
    await applyConfigMap(api, RESULTS, { mine: '1', gone: '2' }, 'me');
    (cluster.objects.get(RESULTS) as { data: Record<string, string> }).data.companion = '3';
    await applyConfigMap(api, RESULTS, { mine: '4' }, 'me');
    await applyConfigMap(api, RESULTS, undefined, 'someone');
    expect((await api.request('GET', RESULTS)).body).toMatchObject({ data: { mine: '4', companion: '3' } });
    expect(((await api.request('GET', RESULTS)).body as { data: object }).data).not.toHaveProperty('gone');
  });
});
