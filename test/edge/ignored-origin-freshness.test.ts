/** The edge's cache in a real nginx with cache.honourOriginHeaders off, and without request coalescing. */
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get, watchExpiry, type Expiry, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];

describe('the edge cache, ignoring origin freshness (default TTL 1 s)', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const at = (path: string) => get({ port: edge.ports[8080], path });
  let day: Promise<Expiry>;

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { defaultTtlSeconds: 1, maxTtlSeconds: 60, honourOriginHeaders: false, coalesceRequests: false };
      }),
    );
    origin.on('/day', answer({ 'Cache-Control': 'max-age=86400' }));
    day = watchExpiry({ port: edge.ports[8080], path: '/day' });
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('keeps what the origin would keep for a day for the default TTL only', async () => {
    const { miss, polls, refetch } = await day;
    expect(cacheStatus(polls[0]!)).toBe('HIT');
    expect(refetch.sentAt - miss.receivedAt).toBeLessThan(2000 + 1000);
  });

  it('caches no-cache and max-age=0 for the default TTL, but still never no-store or private', async () => {
    origin.on('/no-cache', answer({ 'Cache-Control': 'no-cache, max-age=0' }));
    origin.on('/no-store', answer({ 'Cache-Control': 'no-store' }));
    origin.on('/private', answer({ 'Cache-Control': 'private' }));
    for (const path of ['/no-cache', '/no-store', '/private']) await at(path);
    expect(cacheStatus(await at('/no-cache'))).toBe('HIT');
    expect((await at('/no-store')).body).toBe('/no-store #2');
    expect((await at('/private')).body).toBe('/private #2');
  });

  it('sends every concurrent miss to the origin when coalescing is off', async () => {
    origin.on('/crowd', (request, response, hit) => setTimeout(() => answer()(request, response, hit), 300));
    await Promise.all(Array.from({ length: 4 }, () => at('/crowd')));
    expect(origin.requests('/crowd')).toHaveLength(4);
  });
});
