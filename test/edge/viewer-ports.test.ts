/**
 * The edge's ports in a real nginx: the health path on every port even with the origin down,
 * the viewer's address from the load balancer's PROXY protocol v2 header (trusted from the VPC
 * only) in the access log and in X-Forwarded-For, the redirect to https on 8081, HSTS on 8080.
 */
import { validConfig } from '../support/configs';
import { startEdge, TEST_REGION, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get } from './support/viewer';

jest.setTimeout(30_000);

describe('an edge that redirects http and sends HSTS', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url, healthCheckPath: '/edge-health' };
        input.https = { hsts: { maxAgeSeconds: 31536000, includeSubDomains: true } };
      }),
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('answers the health path itself on every port, without redirecting it', async () => {
    const answers = await Promise.all([
      get({ port: edge.ports[8082], path: '/edge-health', viewer: null }),
      get({ port: edge.ports[8080], path: '/edge-health' }),
      get({ port: edge.ports[8081], path: '/edge-health' }),
    ]);
    for (const response of answers) expect([response.status, response.body]).toEqual([200, `ok ${TEST_REGION}\n`]);
    expect(origin.requests('/edge-health')).toHaveLength(0);
    expect((await get({ port: edge.ports[8082], path: '/anything-else', viewer: null })).status).toBe(404);
  });

  it('logs the viewer named in the PROXY protocol header, beside the load balancer it came through, and tells the origin', async () => {
    origin.on('/who', answer());
    const response = await get({ port: edge.ports[8080], path: '/who?x=1', viewer: '203.0.113.7' });
    expect(response.status).toBe(200);
    const [request] = origin.requests('/who');
    expect(request!.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'cdn.example.com',
      host: new URL(origin.url).host,
    });
    expect(request!.headers).not.toHaveProperty('x-edge-cache-status');
    expect(JSON.parse(await edge.logLine(/"GET \/who\?x=1 /))).toMatchObject({
      viewer: '203.0.113.7',
      via: '127.0.0.1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      request: 'GET /who?x=1 HTTP/1.1',
      status: '200',
      cache: 'MISS',
      scheme: 'https',
    });
  });

  it('redirects plain http on 8081 to https with the same host and URI, without asking the origin', async () => {
    const response = await get({ port: edge.ports[8081], path: '/page?a=1&b=2', host: 'cdn.example.com' });
    expect([response.status, response.headers.location]).toEqual([301, 'https://cdn.example.com/page?a=1&b=2']);
    expect(origin.requests('/page')).toHaveLength(0);
  });

  it('sends Strict-Transport-Security and the region on https responses', async () => {
    origin.on('/secure', answer());
    const response = await get({ port: edge.ports[8080], path: '/secure' });
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers['x-edge-region']).toBe(TEST_REGION);
  });
});

describe('an edge that serves plain http too, without HSTS', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.https = { redirectHttp: false, hsts: { maxAgeSeconds: 600 } };
      }),
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('serves 8081 from the cache like 8080, telling the origin the viewer used http, with no HSTS header', async () => {
    origin.on('/plain', answer({ 'Cache-Control': 'max-age=60' }));
    const overHttp = await get({ port: edge.ports[8081], path: '/plain' });
    const overHttps = await get({ port: edge.ports[8080], path: '/plain' });
    expect([overHttp.status, overHttp.body, overHttps.headers['x-cache-status']]).toEqual([200, '/plain #1', 'HIT']);
    expect(origin.requests('/plain')[0]!.headers['x-forwarded-proto']).toBe('http');
    expect(overHttp.headers).not.toHaveProperty('strict-transport-security');
    expect(overHttps.headers['strict-transport-security']).toBe('max-age=600');
  });
});

describe('an edge whose origin is down', () => {
  let edge: RunningEdge;

  beforeAll(async () => {
    // An origin that was started and stopped: its port refuses connections.
    const gone = await startOrigin();
    await gone.close();
    edge = await startEdge(validConfig((input) => void (input.workload = { originUrl: gone.url })));
  });
  afterAll(async () => edge?.stop());

  it('still answers the health path on every port, and 502 for content', async () => {
    for (const [port, viewer] of [
      [edge.ports[8082], null],
      [edge.ports[8080], '198.51.100.20'],
    ] as const) {
      const response = await get({ port, path: '/healthz', viewer });
      expect([response.status, response.body]).toEqual([200, `ok ${TEST_REGION}\n`]);
    }
    expect((await get({ port: edge.ports[8080], path: '/content' })).status).toBe(502);
  });
});

describe('an edge behind a load balancer outside the trusted VPC range', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => void (input.workload = { originUrl: origin.url })),
      { vpcCidr: '10.64.0.0/16' },
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('does not believe the PROXY protocol header: the connecting address is the viewer', async () => {
    origin.on('/spoofed', answer());
    await get({ port: edge.ports[8080], path: '/spoofed', viewer: '203.0.113.99' });
    expect(origin.requests('/spoofed')[0]!.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(JSON.parse(await edge.logLine(/"GET \/spoofed /))).toMatchObject({ viewer: '127.0.0.1', via: '127.0.0.1' });
  });
});
