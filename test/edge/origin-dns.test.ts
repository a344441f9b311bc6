/**
 * The origin hop looks the origin's name up while serving, in a real nginx: it follows a changed
 * address once the answer's TTL has passed, with no reload; a name that stops resolving is an
 * origin failure (the stale copy, or 502), and one that never resolved does not stop nginx
 * starting. A DNS server on loopback stands in for the VPC's (the harness points the rendered
 * resolver at it); two origins on one port at 127.0.0.1 and 127.0.0.2 stand for one name's old
 * and new addresses.
 */
import type { ServerResponse } from 'node:http';
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { startDns, type TestDns } from './support/test-dns';
import { startOrigin, type TestOrigin } from './support/test-origin';
import { get, getUntil, type ViewerResponse } from './support/viewer';

jest.setTimeout(20_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers with the origin's own name, never cached, so every viewer request reaches an origin. */
const says = (name: string) => (_request: unknown, response: ServerResponse) => {
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
  response.end(name);
};

let dns: TestDns;
let lonelyDns: TestDns;
let oldAddress: TestOrigin;
let newAddress: TestOrigin;
let moving: RunningEdge;
let flaky: RunningEdge;
let nowhere: RunningEdge;
let literal: RunningEdge;
let withPath: RunningEdge;
/** The flaky origin's story, started in beforeAll so its waiting overlaps the other tests'. */
let outage: Promise<ViewerResponse[]>;

beforeAll(async () => {
  [dns, lonelyDns, oldAddress] = await Promise.all([startDns(), startDns(), startOrigin({ address: '127.0.0.1' })]);
  newAddress = await startOrigin({ address: '127.0.0.2', port: oldAddress.port });
  oldAddress.on('/who', says('old address'));
  newAddress.on('/who', says('new address'));
  dns.set('moving.test', '127.0.0.1', 1);
  dns.set('flaky.test', '127.0.0.1', 1);
  dns.set('pathed.test', '127.0.0.1', 60);
  const edge = (originUrl: string, cache: Record<string, unknown> = {}, dnsServer = dns.address) =>
    startEdge(
      validConfig((input) => {
        input.workload = { originUrl };
        input.cache = cache;
      }),
      { dnsServer },
    );
  [moving, flaky, nowhere, literal, withPath] = await Promise.all([
    edge(`http://moving.test:${oldAddress.port}`),
    edge(`http://flaky.test:${oldAddress.port}`, {
      defaultTtlSeconds: 1,
      maxTtlSeconds: 1,
      staleWhileRevalidateSeconds: 0,
      staleIfErrorSeconds: 30,
    }),
    edge(`http://nowhere.test:${oldAddress.port}`),
    edge(oldAddress.url, {}, lonelyDns.address),
    edge(`http://pathed.test:${oldAddress.port}/base/`),
  ]);
  outage = (async () => {
    const request = { port: flaky.ports[8080], path: '/page' };
    const miss = await get(request);
    dns.set('flaky.test', null);
    // The copy is fresh for 1 s and the address is kept for 1 s, both counted in whole seconds.
    await sleep(2500);
    return [miss, await get(request), await get({ ...request, path: '/never-cached' })];
  })();
  outage.catch(() => undefined); // fails only the test that awaits it
});

afterAll(async () => {
  await Promise.all([moving, flaky, nowhere, literal, withPath].map((edge) => edge?.stop()));
  await Promise.all([oldAddress, newAddress, dns, lonelyDns].map((server) => server?.close()));
});

describe('the origin hop resolving the origin', () => {
  it("follows the origin's new address once the old answer's TTL has passed, without a reload", async () => {
    const before = await get({ port: moving.ports[8080], path: '/who' });
    expect([before.status, before.body]).toEqual([200, 'old address']);

    dns.set('moving.test', '127.0.0.2', 1);
    const changedAt = Date.now();
    const polls = await getUntil({ port: moving.ports[8080], path: '/who' }, (r) => r.body === 'new address', { timeoutMs: 5000 });
    // The old answer is kept for its TTL of 1 s, which nginx counts in whole seconds: up to 2 s.
    expect(polls.at(-1)!.receivedAt - changedAt).toBeLessThan(2000 + 500);
    expect(polls.slice(0, -1).map((r) => r.body)).toEqual(polls.slice(0, -1).map(() => 'old address'));
    expect(dns.queries().filter((name) => name === 'moving.test').length).toBeGreaterThanOrEqual(2);
  });

  it("serves the stale copy when the origin's name stops resolving, and 502 for what it has no copy of", async () => {
    const [miss, stale, uncached] = await outage;
    expect([miss!.status, miss!.headers['x-cache-status'], miss!.body]).toEqual([200, 'MISS', '/page #1']);
    expect([stale!.status, stale!.headers['x-cache-status'], stale!.body]).toEqual([200, 'STALE', '/page #1']);
    expect(uncached!.status).toBe(502);
    expect(flaky.errorLog()).toMatch(/flaky\.test could not be resolved/);
  });

  it('starts when the origin name does not resolve at all, answering 502 and its health path', async () => {
    expect((await get({ port: nowhere.ports[8080], path: '/' })).status).toBe(502);
    expect((await get({ port: nowhere.ports[8082], path: '/healthz', viewer: null })).body).toMatch(/^ok /);
    expect(nowhere.errorLog()).toMatch(/nowhere\.test could not be resolved/);
  });

  it("asks the origin for the request URI as received, behind the path of the origin's URL", async () => {
    const response = await get({ port: withPath.ports[8080], path: '/a%2Fb/c?x=1&y=%20' });
    expect(response.status).toBe(200);
    expect(oldAddress.requests('/base/a%2Fb/c').map((r) => r.url)).toEqual(['/base/a%2Fb/c?x=1&y=%20']);
  });

  it('reaches an origin given as an IP address without asking DNS', async () => {
    const response = await get({ port: literal.ports[8080], path: '/who' });
    expect([response.status, response.body]).toEqual([200, 'old address']);
    expect(lonelyDns.queries()).toEqual([]);
  });
});
