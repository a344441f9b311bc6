/** Access log lines shaped as nginx's `log_format edge` writes them (config/workload/10-nginx-config.yaml), for the edge-metrics tests. */

export interface LineFields {
  time: string;
  msec: string;
  viewer: string;
  via: string;
  request: string;
  status: string;
  bytes: string;
  bodyBytes: string;
  cache: string;
  requestTime: string;
  upstreamStatus: string;
  upstreamTime: string;
  host: string;
  scheme: string;
  userAgent: string;
}

/** A MISS answered by the origin in 12 ms, at 2026-11-29T10:00:05.250Z, unless `change` says otherwise. */
export function logLine(change: Partial<LineFields> = {}): string {
  const fields: LineFields = {
    time: '2026-11-29T10:00:05+00:00',
    msec: '1795946405.250',
    viewer: '203.0.113.7',
    via: '10.64.1.9',
    request: 'GET /index.html HTTP/1.1',
    status: '200',
    bytes: '1234',
    bodyBytes: '1000',
    cache: 'MISS',
    requestTime: '0.013',
    upstreamStatus: '200',
    upstreamTime: '0.012',
    host: 'cdn.example.com',
    scheme: 'https',
    userAgent: 'curl/8.0',
    ...change,
  };
  return JSON.stringify(fields);
}

/** 2026-11-29T10:00:00Z, the minute logLine's default time falls in. */
export const MINUTE_10_00 = Date.UTC(2026, 10, 29, 10, 0);
