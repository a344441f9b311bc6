/**
 * How long the edge keeps and serves objects, in a real nginx: TTLs from the origin, the default
 * and the maximum; stale copies while the origin fails (stale-if-error) and while one request
 * refreshes them (stale-while-revalidate), each within its bound and not after it.
 *
 * TTLs and bounds are a second or a few. nginx keeps time in whole seconds, so a TTL or bound of
 * n seconds ends between n and n + 1 seconds after the object was stored; the assertions allow for
 * that and for polling. Every edge starts and every object's life is watched at once in
 * beforeAll, so the file waits about as long as its longest TTL, not their sum.
 */
import type { ServerResponse } from 'node:http';
import { validConfig } from '../support/configs';
import { parseAccessLogLine } from '../../core/edge-metrics';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type OriginHandler, type TestOrigin } from './support/test-origin';
import { get, getUntil, watchExpiry, type Expiry, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];
const summary = (r: ViewerResponse) => `${r.status} ${String(cacheStatus(r))} ${r.body}`;

/** Started in beforeAll, awaited by the test that reads it; a failure fails only that test. */
function watched<T>(run: () => Promise<T>): Promise<T> {
  const promise = run();
  promise.catch(() => undefined);
  return promise;
}

/** Answers (silently, so the default TTL applies) the first time, then as `after` says. */
function firstOkThen(after: OriginHandler): OriginHandler {
  return (request, response, hit) => (hit === 1 ? answer()(request, response, hit) : after(request, response, hit));
}

interface Outage {
  readonly miss: ViewerResponse;
  /** Every response from the first poll to the first that was not a 200. */
  readonly polls: ViewerResponse[];
}

let origin: TestOrigin;
const edges: RunningEdge[] = [];
const hanging = new Set<ServerResponse>();
let honouring: Record<'silent' | 'underMaximum' | 'overMaximum', Promise<Expiry>>;
let ignoring: Promise<Expiry>;
let outages: Record<'failing' | 'timingOut', Promise<Outage>>;
let revalidation: { busy: Promise<ViewerResponse[]>; idle: Promise<ViewerResponse> };

beforeAll(async () => {
  origin = await startOrigin();
  const edgeWith = (cache: Record<string, unknown>) =>
    startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = cache;
      }),
    );
  const [honour, ignore, staleIfError, staleWhileRevalidate] = await Promise.all([
    edgeWith({ defaultTtlSeconds: 1, maxTtlSeconds: 4, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0 }),
    edgeWith({
      defaultTtlSeconds: 1,
      maxTtlSeconds: 60,
      honourOriginHeaders: false,
      staleWhileRevalidateSeconds: 0,
      staleIfErrorSeconds: 0,
    }),
    edgeWith({
      defaultTtlSeconds: 1,
      maxTtlSeconds: 1,
      staleWhileRevalidateSeconds: 0,
      staleIfErrorSeconds: 1,
      originConnectTimeoutSeconds: 1,
      originReadTimeoutSeconds: 1,
    }),
    edgeWith({ defaultTtlSeconds: 1, maxTtlSeconds: 1, staleWhileRevalidateSeconds: 2, staleIfErrorSeconds: 0 }),
  ]);
  edges.push(honour, ignore, staleIfError, staleWhileRevalidate);

  origin.on('/silent', answer());
  origin.on('/three', answer({ 'Cache-Control': 'max-age=3' }));
  origin.on('/long', answer({ 'Cache-Control': 'public, max-age=86400' }));
  origin.on('/day', answer({ 'Cache-Control': 'max-age=86400' }));
  honouring = {
    silent: watchExpiry({ port: honour.ports[8080], path: '/silent' }),
    underMaximum: watchExpiry({ port: honour.ports[8080], path: '/three' }),
    overMaximum: watchExpiry({ port: honour.ports[8080], path: '/long' }),
  };
  ignoring = watchExpiry({ port: ignore.ports[8080], path: '/day' });

  origin.on(
    '/failing',
    firstOkThen((_request, response, hit) => {
      response.writeHead(503, { 'Content-Type': 'text/plain' });
      response.end(`down #${hit}`);
    }),
  );
  // Never answers after the first time: the hop gives up after the 1 s read timeout.
  origin.on(
    '/timing-out',
    firstOkThen((_request, response) => void hanging.add(response)),
  );
  const outage = (path: string) =>
    watched(async () => {
      const request = { port: staleIfError.ports[8080], path };
      const miss = await get(request);
      return { miss, polls: await getUntil(request, (r) => r.status !== 200, { timeoutMs: 12_000 }) };
    });
  outages = { failing: outage('/failing'), timingOut: outage('/timing-out') };

  // Refreshes take 800 ms, well within the stale-while-revalidate bound: the polls meanwhile are served stale.
  const slowAfterFirst = firstOkThen((request, response, hit) => void setTimeout(() => answer()(request, response, hit), 800));
  origin.on('/busy', slowAfterFirst);
  origin.on('/idle', slowAfterFirst);
  const swr = (path: string) => ({ port: staleWhileRevalidate.ports[8080], path });
  revalidation = {
    busy: watched(async () => [await get(swr('/busy')), ...(await getUntil(swr('/busy'), (r) => summary(r) === '200 HIT /busy #2'))]),
    idle: watched(async () => {
      await get(swr('/idle'));
      // Nobody asks during the bound, whose end is at most 1 + 2 + 1 s after the object was stored.
      await new Promise((resolve) => setTimeout(resolve, 4200));
      return get(swr('/idle'));
    }),
  };
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await Promise.all(edges.map((edge) => edge.stop()));
  await origin?.close();
});

describe('freshness, honouring the origin (default TTL 1 s, maximum 4 s)', () => {
  it('keeps a silent response for the default TTL, then asks the origin again', async () => {
    const { miss, polls, refetch } = await honouring.silent;
    expect(cacheStatus(miss)).toBe('MISS');
    expect(cacheStatus(polls[0]!)).toBe('HIT');
    // Fresh for 1 s: refetched no sooner than 1 s and, polling every 100 ms, no later than 2 s (+ slack).
    expect(refetch.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(1000);
    expect(refetch.sentAt - miss.receivedAt).toBeLessThan(2000 + 1000);
  });

  it('keeps a response for the max-age the origin gives when it is under the maximum', async () => {
    const { miss, refetch } = await honouring.underMaximum;
    // Longer than the default TTL could keep it (at most 2 s): as long as the origin said.
    expect(refetch.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(3000);
  });

  it('caps what the origin allows at the maximum TTL', async () => {
    const { miss, refetch } = await honouring.overMaximum;
    expect(refetch.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(4000);
    expect(refetch.sentAt - miss.receivedAt).toBeLessThan(5000 + 1000);
  });
});

describe('freshness, ignoring the origin (default TTL 1 s)', () => {
  it('keeps what the origin would keep for a day for the default TTL only', async () => {
    const { miss, polls, refetch } = await ignoring;
    expect(cacheStatus(polls[0]!)).toBe('HIT');
    expect(refetch.sentAt - miss.receivedAt).toBeLessThan(2000 + 1000);
  });
});

describe('stale-if-error (default TTL 1 s, stale-if-error 1 s, origin read timeout 1 s)', () => {
  it('serves the stale copy while the origin answers 503, within the bound and not after it', async () => {
    const { miss, polls } = await outages.failing;
    const stale = polls.filter((r) => cacheStatus(r) === 'STALE');
    const last = polls.at(-1)!;
    expect(stale.length).toBeGreaterThan(0);
    for (const r of stale) expect(summary(r)).toBe('200 STALE /failing #1');
    // The access log shows each stale answer with the failed try of the hop: a hit and an origin error to the metrics.
    const staleLogged = edges[2]!
      .accessLog()
      .map(parseAccessLogLine)
      .flatMap((p) => (p.ok && p.request.request === 'GET /failing HTTP/1.1' && p.request.cacheStatus === 'STALE' ? [p.request] : []));
    expect(staleLogged.length).toBeGreaterThan(0);
    for (const r of staleLogged) {
      // nginx tries the hop again on a fresh connection when a kept-alive one fails: one or two 502 tries.
      expect(r.status).toBe(200);
      expect(r.upstream.map((a) => a.status)).toEqual(expect.arrayContaining([502]));
      expect(r.upstream.every((a) => a.status === 502)).toBe(true);
    }
    // Fresh for 1 s, then stale-if-error for 1 s: no error before 2 s, and one by 3 s (+ slack).
    // Past the bound the edge answers 502: the hop closed the connection rather than relay the 503.
    expect(last.status).toBe(502);
    expect(last.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(2000);
    expect(last.sentAt - miss.receivedAt).toBeLessThan(3000 + 1500);
  });

  it('serves the stale copy while the origin times out, within the bound and not after it', async () => {
    const { miss, polls } = await outages.timingOut;
    const stale = polls.filter((r) => cacheStatus(r) === 'STALE');
    const last = polls.at(-1)!;
    expect(stale.length).toBeGreaterThan(0);
    for (const r of stale) expect(summary(r)).toBe('200 STALE /timing-out #1');
    expect(last.status).toBe(502);
    expect(last.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(2000);
    // Each poll past expiry waits out the 1 s read timeout.
    expect(last.sentAt - miss.receivedAt).toBeLessThan(3000 + 2500);
  });

  it("passes the origin's own error through when there is no copy to fall back on", async () => {
    origin.on('/never-worked', (_request, response) => {
      response.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '120' });
      response.end('maintenance');
    });
    const response = await get({ port: edges[2]!.ports[8080], path: '/never-worked' });
    expect([response.status, response.body, response.headers['retry-after']]).toEqual([503, 'maintenance', '120']);
  });
});

describe('stale-while-revalidate (default TTL 1 s, stale-while-revalidate 2 s, refreshes take 800 ms)', () => {
  it('answers from the stale copy at once while one request refreshes it in the background', async () => {
    const responses = await revalidation.busy;
    const firstStale = responses.find((r) => cacheStatus(r) !== 'HIT' && cacheStatus(r) !== 'MISS')!;
    expect(summary(firstStale)).toBe('200 STALE /busy #1');
    expect(firstStale.elapsedMs).toBeLessThan(800);
    expect(summary(responses.at(-1)!)).toBe('200 HIT /busy #2');
    expect(origin.requests('/busy')).toHaveLength(2);
  });

  it('makes the viewer wait for the origin once the stale-while-revalidate bound has passed', async () => {
    const after = await revalidation.idle;
    expect(summary(after)).toBe('200 EXPIRED /idle #2');
    expect(after.elapsedMs).toBeGreaterThanOrEqual(800);
  });
});
