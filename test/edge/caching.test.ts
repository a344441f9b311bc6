/**
 * The edge's cache in a real nginx: what is cached and under which key, whether origin freshness
 * is honoured or ignored, with and without request coalescing. How long objects live is in
 * expiry.test.ts.
 */
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];

describe('the edge cache, honouring the origin', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const at = (path: string, headers?: Record<string, string>) => get({ port: edge.ports[8080], path, headers });

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = {
          bypassPathPrefixes: ['/api/', '/live(1).m3u8'],
        };
      }),
    );
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

  it('takes freshness from s-maxage over max-age, and from Expires when there is no max-age', async () => {
    origin.on('/shared', answer({ 'Cache-Control': 'max-age=0, s-maxage=60' }));
    origin.on('/expires', answer({ Expires: new Date(Date.now() + 60_000).toUTCString() }));
    origin.on('/expired', answer({ Expires: new Date(Date.now() - 60_000).toUTCString() }));
    for (const path of ['/shared', '/expires', '/expired']) await at(path);
    expect(cacheStatus(await at('/shared'))).toBe('HIT');
    expect(cacheStatus(await at('/expires'))).toBe('HIT');
    expect(cacheStatus(await at('/expired'))).not.toBe('HIT');
  });

  it('never caches a response that sets a cookie', async () => {
    origin.on('/session', answer({ 'Cache-Control': 'public, max-age=60', 'Set-Cookie': 'id=1' }));
    expect([(await at('/session')).body, (await at('/session')).body]).toEqual(['/session #1', '/session #2']);
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

describe('the edge cache, ignoring origin freshness, without coalescing', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const at = (path: string) => get({ port: edge.ports[8080], path });

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { honourOriginHeaders: false, coalesceRequests: false };
      }),
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('caches no-cache and max-age=0 (for the default TTL), but still never no-store or private', async () => {
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

describe('the edge cache with a zero default TTL', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const at = (path: string) => get({ port: edge.ports[8080], path });

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { defaultTtlSeconds: 0 };
      }),
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('caches only what the origin gives a lifetime', async () => {
    origin.on('/silent', answer());
    origin.on('/marked', answer({ 'Cache-Control': 'max-age=60' }));
    for (const path of ['/silent', '/marked']) await at(path);
    expect((await at('/silent')).body).toBe('/silent #2');
    expect(cacheStatus(await at('/marked'))).toBe('HIT');
  });
});

describe('the cache key with query strings', () => {
  let origin: TestOrigin;
  const edges: RunningEdge[] = [];
  const startWith = async (queryStringKey: 'all' | 'none' | string[]) => {
    const edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { queryStringKey };
      }),
    );
    edges.push(edge);
    return edge;
  };

  beforeAll(async () => {
    origin = await startOrigin();
    origin.on('/q', answer({ 'Cache-Control': 'max-age=60' }));
  });
  afterAll(async () => {
    await Promise.all(edges.map((edge) => edge.stop()));
    await origin?.close();
  });

  it('"none": one object whatever the query, fetched without it', async () => {
    const edge = await startWith('none');
    const responses = [];
    for (const path of ['/q?a=1', '/q?a=2', '/q']) responses.push(await get({ port: edge.ports[8080], path, host: 'none.example.com' }));
    expect(responses.map(cacheStatus)).toEqual(['MISS', 'HIT', 'HIT']);
    expect(origin.requests('/q').at(-1)!.url).toBe('/q');
    expect(edge.cacheKeys()).toEqual(['none.example.com/q']);
  });

  it('an allow-list: only the listed parameters, in the listed order, key the object and reach the origin', async () => {
    const edge = await startWith(['v', 'lang']);
    const at = (path: string) => get({ port: edge.ports[8080], path, host: 'allow.example.com' });
    const first = await at('/q?utm=x&lang=en&v=3');
    const same = await at('/q?v=3&lang=en&utm=y');
    const other = await at('/q?v=4&lang=en');
    const bare = await at('/q?utm=z');
    expect([first, same, other, bare].map(cacheStatus)).toEqual(['MISS', 'HIT', 'MISS', 'MISS']);
    expect(
      origin
        .requests('/q')
        .slice(-3)
        .map((r) => r.url),
    ).toEqual(['/q?v=3&lang=en', '/q?v=4&lang=en', '/q']);
    expect(edge.cacheKeys()).toEqual(['allow.example.com/q', 'allow.example.com/q?v=3&lang=en', 'allow.example.com/q?v=4&lang=en']);
  });
});
