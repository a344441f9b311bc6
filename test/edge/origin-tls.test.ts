/**
 * TLS to an https origin is verified, in a real nginx: the origin is served when a CA the edge
 * trusts issued its certificate for the origin's name (sent as SNI), and refused (502, or the
 * stale copy) when no trusted CA issued it or it names another host. The harness points the
 * rendered CA bundle at a test CA; one https origin on loopback presents a certificate per server
 * name, and a DNS server on loopback resolves every name to it.
 */
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { startDns, type TestDns } from './support/test-dns';
import { startOrigin, type TestOrigin } from './support/test-origin';
import { createTestCa, type TestCa } from './support/test-tls';
import { get, type ViewerResponse } from './support/viewer';

jest.setTimeout(20_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NAMES = ['trusted.test', 'untrusted.test', 'mismatch.test', 'distrusted.test'] as const;
type Name = (typeof NAMES)[number];

let trustedCa: TestCa;
let strangerCa: TestCa;
let dns: TestDns;
let origin: TestOrigin;
const edges = {} as Record<Name, RunningEdge>;
/** The distrusted.test story, started in beforeAll so its waiting overlaps the other tests'. */
let distrust: Promise<ViewerResponse[]>;

beforeAll(async () => {
  trustedCa = createTestCa('kubecdn test CA');
  strangerCa = createTestCa('a CA nobody trusts');
  dns = await startDns();
  for (const name of NAMES) dns.set(name, '127.0.0.1', 60);
  origin = await startOrigin({
    tls: {
      certificates: {
        default: trustedCa.issue('default.test'),
        'trusted.test': trustedCa.issue('trusted.test'),
        'untrusted.test': strangerCa.issue('untrusted.test'),
        'mismatch.test': trustedCa.issue('elsewhere.test'),
        'distrusted.test': trustedCa.issue('distrusted.test'),
      },
    },
  });
  const started = await Promise.all(
    NAMES.map((name) =>
      startEdge(
        validConfig((input) => {
          input.workload = { originUrl: `https://${name}:${origin.port}` };
          input.cache = { defaultTtlSeconds: 1, maxTtlSeconds: 1, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 30 };
        }),
        { dnsServer: dns.address, caBundle: trustedCa.bundleFile },
      ),
    ),
  );
  NAMES.forEach((name, i) => (edges[name] = started[i]!));

  distrust = (async () => {
    const request = { port: edges['distrusted.test'].ports[8080], path: '/distrusted' };
    const miss = await get(request);
    origin.present('distrusted.test', strangerCa.issue('distrusted.test'));
    await sleep(2200); // the copy is fresh for 1 s, counted in whole seconds
    return [miss, await get(request), await get({ ...request, path: '/distrusted-uncached' })];
  })();
  distrust.catch(() => undefined); // fails only the test that awaits it
});

afterAll(async () => {
  await Promise.all(Object.values(edges).map((edge) => edge.stop()));
  await Promise.all([origin?.close(), dns?.close()]);
  trustedCa?.remove();
  strangerCa?.remove();
});

describe('TLS to an https origin', () => {
  it('fetches from an origin whose certificate a trusted CA issued for its name, sending that name as SNI', async () => {
    const response = await get({ port: edges['trusted.test'].ports[8080], path: '/trusted' });
    expect([response.status, response.body]).toEqual([200, '/trusted #1']);
    expect(origin.requests('/trusted').map((r) => [r.serverName, r.headers.host])).toEqual([
      ['trusted.test', `trusted.test:${origin.port}`],
    ]);
  });

  it('refuses an origin whose certificate no trusted CA issued', async () => {
    const response = await get({ port: edges['untrusted.test'].ports[8080], path: '/untrusted' });
    expect(response.status).toBe(502);
    expect(origin.requests('/untrusted')).toEqual([]);
    expect(edges['untrusted.test'].errorLog()).toMatch(/upstream SSL certificate verify error/);
  });

  it('refuses an origin whose certificate names another host', async () => {
    const response = await get({ port: edges['mismatch.test'].ports[8080], path: '/mismatch' });
    expect(response.status).toBe(502);
    expect(origin.requests('/mismatch')).toEqual([]);
    expect(edges['mismatch.test'].errorLog()).toMatch(/upstream SSL certificate does not match "mismatch\.test"/);
  });

  it('serves the stale copy, and 502 for what it has no copy of, once the origin presents an untrusted certificate', async () => {
    const [miss, stale, uncached] = await distrust;
    expect([miss!.status, miss!.headers['x-cache-status'], miss!.body]).toEqual([200, 'MISS', '/distrusted #1']);
    expect([stale!.status, stale!.headers['x-cache-status'], stale!.body]).toEqual([200, 'STALE', '/distrusted #1']);
    expect(uncached!.status).toBe(502);
    expect(origin.requests('/distrusted')).toHaveLength(1);
  });
});
