/**
 * Stale copies while the origin fails, in a real nginx: served (5xx or a timeout) for
 * cache.staleIfErrorSeconds past expiry and not after. nginx keeps time in whole seconds, so a
 * bound of n seconds ends between n and n + 1 seconds; the assertions allow for that and for polling.
 */
import type { ServerResponse } from 'node:http';
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type OriginHandler, type TestOrigin } from './support/test-origin';
import { get, getUntil, type ViewerResponse } from './support/viewer';

jest.setTimeout(30_000);

const cacheStatus = (response: ViewerResponse) => response.headers['x-cache-status'];
const summary = (r: ViewerResponse) => `${r.status} ${String(cacheStatus(r))} ${r.body}`;

/** Answers (silent, so the default TTL applies) the first time, then as `after` says. */
function firstOkThen(after: (response: ServerResponse, hit: number) => void): OriginHandler {
  return (request, response, hit) => (hit === 1 ? answer()(request, response, hit) : after(response, hit));
}

interface Outage {
  readonly miss: ViewerResponse;
  /** Every response from the first to the first that was not a 200. */
  readonly polls: ViewerResponse[];
}

/** Fetches `path` once, then polls it (the origin now failing) until the edge stops answering 200. */
function watchOutage(port: number, path: string): Promise<Outage> {
  const watched = (async () => {
    const miss = await get({ port, path });
    const polls = await getUntil({ port, path }, (r) => r.status !== 200, { timeoutMs: 12_000 });
    return { miss, polls };
  })();
  watched.catch(() => undefined);
  return watched;
}

describe('stale-if-error (default TTL 1 s, stale-if-error 1 s, origin read timeout 1 s)', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const hanging = new Set<ServerResponse>();
  let failing: Promise<Outage>;
  let timingOut: Promise<Outage>;

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = {
          defaultTtlSeconds: 1,
          maxTtlSeconds: 1,
          staleWhileRevalidateSeconds: 0,
          staleIfErrorSeconds: 1,
          originConnectTimeoutSeconds: 1,
          originReadTimeoutSeconds: 1,
        };
      }),
    );
    origin.on(
      '/failing',
      firstOkThen((response, hit) => {
        response.writeHead(503, { 'Content-Type': 'text/plain' });
        response.end(`down #${hit}`);
      }),
    );
    // Never answers after the first time: the hop gives up after the 1 s read timeout.
    origin.on(
      '/timing-out',
      firstOkThen((response) => hanging.add(response)),
    );
    failing = watchOutage(edge.ports[8080], '/failing');
    timingOut = watchOutage(edge.ports[8080], '/timing-out');
  });
  afterAll(async () => {
    for (const response of hanging) response.destroy();
    await edge?.stop();
    await origin?.close();
  });

  it('serves the stale copy while the origin answers 503, within the bound and not after it', async () => {
    const { miss, polls } = await failing;
    const stale = polls.filter((r) => cacheStatus(r) === 'STALE');
    const last = polls.at(-1)!;
    expect(stale.length).toBeGreaterThan(0);
    for (const r of stale) expect([r.status, r.body]).toEqual([200, '/failing #1']);
    // Fresh for 1 s, then stale-if-error for 1 s: no error before 2 s, and one by 3 s (+ slack).
    expect(last.status).toBe(502);
    expect(last.receivedAt - miss.sentAt).toBeGreaterThanOrEqual(2000);
    expect(last.sentAt - miss.receivedAt).toBeLessThan(3000 + 1500);
    expect(
      polls
        .map(summary)
        .slice(0, -1)
        .every((s) => s.startsWith('200 ')),
    ).toBe(true);
  });

  it('serves the stale copy while the origin times out, within the bound and not after it', async () => {
    const { miss, polls } = await timingOut;
    const stale = polls.filter((r) => cacheStatus(r) === 'STALE');
    const last = polls.at(-1)!;
    expect(stale.length).toBeGreaterThan(0);
    for (const r of stale) expect([r.status, r.body]).toEqual([200, '/timing-out #1']);
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
    const response = await get({ port: edge.ports[8080], path: '/never-worked' });
    expect([response.status, response.body, response.headers['retry-after']]).toEqual([503, 'maintenance', '120']);
  });
});
