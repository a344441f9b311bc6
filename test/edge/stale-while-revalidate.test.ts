/**
 * Stale copies while they are refreshed, in a real nginx: served while one request refreshes them
 * for cache.staleWhileRevalidateSeconds past expiry and not after. nginx keeps time in whole
 * seconds, so a bound of n seconds ends between n and n + 1 seconds.
 */
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type OriginHandler, type TestOrigin } from './support/test-origin';
import { get, getUntil, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];
const summary = (r: ViewerResponse) => `${r.status} ${String(cacheStatus(r))} ${r.body}`;

describe('stale-while-revalidate (default TTL 1 s, stale-while-revalidate 1 s, refreshes take 800 ms)', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  let busy: Promise<ViewerResponse[]>;
  let idle: Promise<{ miss: ViewerResponse; after: ViewerResponse }>;
  const slowAfterFirst: OriginHandler = (request, response, hit) =>
    hit === 1 ? answer()(request, response, hit) : setTimeout(() => answer()(request, response, hit), 800);

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { defaultTtlSeconds: 1, maxTtlSeconds: 1, staleWhileRevalidateSeconds: 1, staleIfErrorSeconds: 0 };
      }),
    );
    const port = edge.ports[8080];
    origin.on('/busy', slowAfterFirst);
    origin.on('/idle', slowAfterFirst);
    busy = (async () => [
      await get({ port, path: '/busy' }),
      ...(await getUntil({ port, path: '/busy' }, (r) => r.body === '/busy #2' && cacheStatus(r) === 'HIT')),
    ])();
    idle = (async () => {
      const miss = await get({ port, path: '/idle' });
      // Nobody asks during the bound, whose end is at most 1 + 1 + 1 s after the object was stored.
      await new Promise((resolve) => setTimeout(resolve, 3200));
      return { miss, after: await get({ port, path: '/idle' }) };
    })();
    busy.catch(() => undefined);
    idle.catch(() => undefined);
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('answers from the stale copy at once while one request refreshes it in the background', async () => {
    const responses = await busy;
    const firstStale = responses.find((r) => cacheStatus(r) !== 'HIT' && cacheStatus(r) !== 'MISS')!;
    expect(summary(firstStale)).toBe('200 STALE /busy #1');
    expect(firstStale.elapsedMs).toBeLessThan(800);
    expect(summary(responses.at(-1)!)).toBe('200 HIT /busy #2');
    expect(origin.requests('/busy')).toHaveLength(2);
  });

  it('makes the viewer wait for the origin once the stale-while-revalidate bound has passed', async () => {
    const { after } = await idle;
    expect(summary(after)).toBe('200 EXPIRED /idle #2');
    expect(after.elapsedMs).toBeGreaterThanOrEqual(800);
  });
});
