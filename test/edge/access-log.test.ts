/**
 * The edge's access log as the real nginx writes it with the region's config, read by the edge
 * metrics (core/edge-metrics): viewers over PROXY protocol v2 from IPv4 and IPv6, a miss,
 * a hit, an origin 5xx, a bypass, a redirect, and a viewer sending quotes and backslashes. Every line
 * must parse, and carry what the per-minute counters need.
 */
import { AccessLogStream, MinuteAggregator, parseAccessLogLine, type EdgeRequest } from '../../core/edge-metrics';
import { validConfig } from '../support/configs';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get } from './support/viewer';

jest.setTimeout(30_000);

describe('the access log of a real edge', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  const requests = new Map<string, EdgeRequest>();
  let lines: string[];

  /** The parsed line of the request from `viewer` (one request each). */
  const logged = (viewer: string): EdgeRequest => {
    const found = requests.get(viewer);
    if (!found) throw new Error(`no parsed log line for ${viewer}; lines:\n${lines.join('\n')}`);
    return found;
  };

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { bypassPathPrefixes: ['/api/'] };
      }),
    );
    origin.on('/object', answer({ 'Cache-Control': 'max-age=60' }));
    origin.on('/broken', (_request, response) => {
      response.writeHead(503, { 'Content-Type': 'text/plain' });
      response.end('down');
    });
    origin.on('/api/live', answer());
    const https = edge.ports[8080];
    const responses = [
      await get({ port: https, path: '/object', viewer: '203.0.113.7' }),
      await get({ port: https, path: '/object', viewer: '2001:db8::7' }),
      await get({ port: https, path: '/broken', viewer: '203.0.113.8' }),
      await get({ port: https, path: '/api/live', viewer: '198.51.100.20' }),
      await get({ port: edge.ports[8081], path: '/moved', viewer: '2001:db8:0:1::20' }),
      await get({ port: https, path: '/odd"path\\', viewer: '203.0.113.9', headers: { 'User-Agent': 'agent "quoted" \\ é' } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 503, 200, 301, 200]);
    // nginx logs each request once it has answered it; the last one logged means all are.
    await edge.logLine(/odd/);
    lines = edge.accessLog();
    for (const line of lines) {
      const parsed = parseAccessLogLine(line);
      if (!parsed.ok) throw new Error(`nginx wrote a line the parser refuses (${parsed.reason}): ${line}`);
      requests.set(parsed.request.viewer, parsed.request);
    }
  });
  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  it('writes one JSON object per request, each one the parser accepts', () => {
    expect(lines).toHaveLength(6);
    const stream = new AccessLogStream(() => undefined);
    stream.push(lines.join('\n') + '\n');
    expect(stream.malformed).toBe(0);
  });

  it('names the viewer from the PROXY protocol v2 header, IPv4 and IPv6 alike', () => {
    const requestLines = [...requests.entries()].map(([viewer, request]) => [viewer, request.request]);
    expect(requestLines).toEqual([
      ['203.0.113.7', 'GET /object HTTP/1.1'],
      ['2001:db8::7', 'GET /object HTTP/1.1'],
      ['203.0.113.8', 'GET /broken HTTP/1.1'],
      ['198.51.100.20', 'GET /api/live HTTP/1.1'],
      ['2001:db8:0:1::20', 'GET /moved HTTP/1.1'],
      ['203.0.113.9', 'GET /odd"path\\ HTTP/1.1'],
    ]);
  });

  it('records a miss with the origin hop status and time, then a hit without the origin', () => {
    const miss = logged('203.0.113.7');
    expect([miss.status, miss.cacheStatus, miss.upstream.map((a) => a.status)]).toEqual([200, 'MISS', [200]]);
    expect(miss.upstream[0]!.ms).toEqual(expect.any(Number));
    expect(miss.bytesSent).toBeGreaterThan('/object #1'.length);
    expect(logged('2001:db8::7')).toMatchObject({ status: 200, cacheStatus: 'HIT', upstream: [] });
  });

  it('records an origin 5xx as the status and the hop status, and a bypass as BYPASS', () => {
    expect(logged('203.0.113.8')).toMatchObject({ status: 503, cacheStatus: 'MISS', upstream: [{ status: 503 }] });
    expect(logged('198.51.100.20')).toMatchObject({ status: 200, cacheStatus: 'BYPASS', upstream: [{ status: 200 }] });
  });

  it('records a redirect with no cache status and no origin try', () => {
    expect(logged('2001:db8:0:1::20')).toMatchObject({ status: 301, cacheStatus: undefined, upstream: [] });
  });

  it('keeps what the viewer sent intact: quotes and backslashes are escaped, never a broken line', () => {
    const line = lines.find((l) => l.includes('odd'))!;
    expect(JSON.parse(line)).toMatchObject({
      request: 'GET /odd"path\\ HTTP/1.1',
      userAgent: expect.stringContaining('agent "quoted" \\'),
    });
  });

  it('counts the requests per viewer region and minute from those lines', () => {
    const regionOf = (address: string) =>
      address.startsWith('203.0.113.') ? 'eu-west-1' : address.startsWith('2001:db8:') ? 'us-east-1' : undefined;
    const aggregator = new MinuteAggregator(regionOf);
    for (const request of requests.values()) aggregator.add(request);
    const { records } = aggregator.flush(Date.now() + 120_000);
    const total = (region: string, field: 'requests' | 'cacheMisses' | 'originErrors' | 'cacheBypasses' | 'notCached') =>
      records.filter((r) => r.region === region).reduce((sum, r) => sum + r[field], 0);
    expect([total('eu-west-1', 'requests'), total('us-east-1', 'requests'), total('unattributed', 'requests')]).toEqual([3, 2, 1]);
    expect([total('eu-west-1', 'cacheMisses'), total('eu-west-1', 'originErrors')]).toEqual([3, 1]);
    expect([total('us-east-1', 'notCached'), total('unattributed', 'cacheBypasses')]).toEqual([1, 1]);
  });
});
