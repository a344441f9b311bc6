/** The cache key's query string in a real nginx: "none" and an allow-list ("all" is in caching.test.ts). */
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];

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
