/**
 * The edge's cache in a real nginx: what is cached, for how long, under which key. TTLs are a
 * second or a few: nginx keeps time in whole seconds, so an object with a TTL of n seconds
 * expires between n and n + 1 seconds after it was stored, and the bounds below allow for that.
 */
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get, watchExpiry, type Expiry, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];

describe('the edge cache, honouring the origin (default TTL 1 s, maximum 4 s)', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const at = (path: string, headers?: Record<string, string>) => get({ port: edge.ports[8080], path, headers });
  const expiries = new Map<string, Promise<Expiry>>();

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = {
          defaultTtlSeconds: 1,
          maxTtlSeconds: 4,
          staleWhileRevalidateSeconds: 0,
          staleIfErrorSeconds: 0,
          bypassPathPrefixes: ['/api/', '/live(1).m3u8'],
        };
      }),
    );
    origin.on('/silent', answer());
    origin.on('/three', answer({ 'Cache-Control': 'max-age=3' }));
    origin.on('/long', answer({ 'Cache-Control': 'public, max-age=86400' }));
    for (const path of ['/silent', '/three', '/long']) expiries.set(path, watchExpiry({ port: edge.ports[8080], path }));
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('answers a first request from the origin (MISS) and the next from the cache (HIT)', async () => {
    origin.on('/page', answer({ 'Cache-Control': 'public, max-age=60' }));
    const first = await at('/page');
    const second = await at('/page');
    expect([first.status, cacheStatus(first), first.body]).toEqual([200, 'MISS', '/page #1']);
    expect([second.status, cacheStatus(second), second.body]).toEqual([200, 'HIT', '/page #1']);
    expect(origin.requests('/page')).toHaveLength(1);
  });

  it('shows viewers the origin Cache-Control, not the policy the cache was given', async () => {
    origin.on('/shown', answer({ 'Cache-Control': 'public, max-age=60' }));
    const miss = await at('/shown');
    const hit = await at('/shown');
    expect(miss.headers['cache-control']).toBe('public, max-age=60');
    expect(hit.headers['cache-control']).toBe('public, max-age=60');
    expect(hit.headers).not.toHaveProperty('x-edge-origin-cache-control');
  });

  it.each([['no-store'], ['private'], ['private, max-age=600'], ['no-store, max-age=600']])(
    'never caches a response marked %s',
    async (cacheControl) => {
      const path = `/uncached-${cacheControl.replace(/\W+/g, '-')}`;
      origin.on(path, answer({ 'Cache-Control': cacheControl }));
      const responses = [await at(path), await at(path), await at(path)];
      expect(responses.map((r) => r.body)).toEqual([`${path} #1`, `${path} #2`, `${path} #3`]);
      expect(responses.map(cacheStatus)).not.toContain('HIT');
    },
  );

  it('keeps a silent response for the default TTL, then asks the origin again', async () => {
    const { miss, polls, refetch } = await expiries.get('/silent')!;
    expect(cacheStatus(miss)).toBe('MISS');
    expect(cacheStatus(polls[0]!)).toBe('HIT');
    // Fresh for 1 s: refetched no sooner than 1 s and, polling every 100 ms, no later than 2 s (+ slack).
    expect(refetch.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(1000);
    expect(refetch.sentAt - miss.receivedAt).toBeLessThan(2000 + 1000);
  });

  it('keeps a response for the max-age the origin gives when it is under the maximum', async () => {
    const { miss, refetch } = await expiries.get('/three')!;
    // Longer than the default TTL could keep it (at most 2 s): as long as the origin said.
    expect(refetch.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(3000);
  });

  it('caps what the origin allows at the maximum TTL', async () => {
    const { miss, refetch } = await expiries.get('/long')!;
    expect(refetch.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(4000);
    expect(refetch.sentAt - miss.receivedAt).toBeLessThan(5000 + 1000);
  });

  it('takes freshness from s-maxage over max-age, and from Expires when there is no max-age', async () => {
    origin.on('/shared', answer({ 'Cache-Control': 'max-age=0, s-maxage=60' }));
    origin.on('/expires', answer({ Expires: new Date(Date.now() + 60_000).toUTCString() }));
    origin.on('/expired', answer({ Expires: new Date(Date.now() - 60_000).toUTCString() }));
    for (const path of ['/shared', '/expires', '/expired']) await at(path);
    expect(cacheStatus(await at('/shared'))).toBe('HIT');
    expect(cacheStatus(await at('/expires'))).toBe('HIT');
    expect(cacheStatus(await at('/expired'))).not.toBe('HIT');
  });

  it('does not cache errors other than 404', async () => {
    origin.on('/broken', (_request, response, hit) => {
      response.writeHead(500, { 'Cache-Control': 'max-age=60' });
      response.end(`broken #${hit}`);
    });
    origin.on('/gone', (_request, response, hit) => {
      response.writeHead(404);
      response.end(`gone #${hit}`);
    });
    expect((await at('/broken')).body).toBe('broken #1');
    expect((await at('/broken')).body).toBe('broken #2');
    expect((await at('/gone')).body).toBe('gone #1');
    expect(cacheStatus(await at('/gone'))).toBe('HIT');
  });

  it('sends bypassed paths to the origin every time, and caches paths that only look alike', async () => {
    for (const path of ['/api/orders', '/live(1).m3u8', '/apiary', '/live(2).m3u8'])
      origin.on(path, answer({ 'Cache-Control': 'max-age=60' }));
    for (const path of ['/api/orders', '/live(1).m3u8']) {
      const responses = [await at(path), await at(path)];
      expect(responses.map(cacheStatus)).toEqual(['BYPASS', 'BYPASS']);
      expect(origin.requests(path)).toHaveLength(2);
    }
    for (const path of ['/apiary', '/live(2).m3u8']) {
      await at(path);
      expect(cacheStatus(await at(path))).toBe('HIT');
    }
  });

  it('lets one request fetch a missing object while the others wait for it', async () => {
    origin.on('/popular', (request, response, hit) =>
      setTimeout(() => answer({ 'Cache-Control': 'max-age=60' })(request, response, hit), 300),
    );
    const responses = await Promise.all(Array.from({ length: 6 }, () => at('/popular')));
    expect(responses.map((r) => r.body)).toEqual(Array(6).fill('/popular #1'));
    expect(origin.requests('/popular')).toHaveLength(1);
  });

  it('keys the cache by host and the whole request URI', async () => {
    origin.on('/keyed', answer({ 'Cache-Control': 'max-age=60' }));
    await get({ port: edge.ports[8080], path: '/keyed?a=1&b=2', host: 'cdn.example.com' });
    await get({ port: edge.ports[8080], path: '/keyed?a=1&b=2', host: 'www.example.com' });
    await get({ port: edge.ports[8080], path: '/keyed?b=2&a=1', host: 'cdn.example.com' });
    expect(origin.requests('/keyed').map((r) => r.url)).toEqual(['/keyed?a=1&b=2', '/keyed?a=1&b=2', '/keyed?b=2&a=1']);
    expect(edge.cacheKeys().filter((key) => key.includes('/keyed'))).toEqual([
      'cdn.example.com/keyed?a=1&b=2',
      'cdn.example.com/keyed?b=2&a=1',
      'www.example.com/keyed?a=1&b=2',
    ]);
  });
});
