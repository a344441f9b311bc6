/**
 * A viewer reaching the edge through the network load balancer: every connection to 8080/8081
 * starts with a PROXY protocol v2 header naming the viewer, as the NLB sends it.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** A PROXY protocol v2 header for a TCP/IPv4 connection from `source` to `destination`. */
export function proxyV2Header(source: { address: string; port: number }, destination: { address: string; port: number }): Buffer {
  const addresses = Buffer.alloc(12);
  source.address.split('.').forEach((octet, i) => addresses.writeUInt8(Number(octet), i));
  destination.address.split('.').forEach((octet, i) => addresses.writeUInt8(Number(octet), 4 + i));
  addresses.writeUInt16BE(source.port, 8);
  addresses.writeUInt16BE(destination.port, 10);
  // 0x21: version 2, PROXY command; 0x11: TCP over IPv4; then the address block's length.
  return Buffer.concat([SIGNATURE, Buffer.from([0x21, 0x11, 0x00, addresses.length]), addresses]);
}

/** An agent whose one connection starts with the PROXY header (once connected, before the HTTP request). */
function viewerAgent(port: number, viewer: string | null): Agent {
  const agent = new Agent({ keepAlive: false });
  agent.createConnection = (_options, ready) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', (error) => ready?.(error, socket));
    socket.once('connect', () => {
      if (viewer !== null) socket.write(proxyV2Header({ address: viewer, port: 50123 }, { address: '10.0.0.5', port: 443 }));
      ready?.(null, socket);
    });
    return undefined;
  };
  return agent;
}

export interface ViewerResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** Milliseconds from sending the request to the end of the response. */
  readonly elapsedMs: number;
  /** When the request was sent and when the response ended (Date.now()). */
  readonly sentAt: number;
  readonly receivedAt: number;
}

export interface ViewerRequest {
  readonly port: number;
  readonly path: string;
  readonly host?: string;
  /** The viewer's address as the load balancer reports it; no PROXY header when null (the health port). */
  readonly viewer?: string | null;
  readonly headers?: Record<string, string>;
}

export async function get({
  port,
  path,
  host = 'cdn.example.com',
  viewer = '198.51.100.20',
  headers = {},
}: ViewerRequest): Promise<ViewerResponse> {
  const sentAt = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { Host: host, Connection: 'close', ...headers },
        agent: viewerAgent(port, viewer),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const receivedAt = Date.now();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, elapsedMs: receivedAt - sentAt, sentAt, receivedAt });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Requests `path` until `done` holds for a response (every `intervalMs`), or fails after `timeoutMs`; returns every response. */
export async function getUntil(
  request: ViewerRequest,
  done: (response: ViewerResponse) => boolean,
  { timeoutMs = 8000, intervalMs = 100 } = {},
): Promise<ViewerResponse[]> {
  const responses: ViewerResponse[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await get(request);
    responses.push(response);
    if (done(response)) return responses;
    if (Date.now() > deadline) {
      const seen = responses.map((r) => `${r.status} ${String(r.headers['x-cache-status'])} ${r.body.slice(0, 40)}`).join('\n');
      throw new Error(`no response to ${request.path} met the condition within ${timeoutMs} ms; saw:\n${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A cached object's life as a viewer sees it: the first response, then every poll until the origin was asked again. */
export interface Expiry {
  readonly miss: ViewerResponse;
  readonly polls: ViewerResponse[];
  /** The first response with the origin's second answer. */
  readonly refetch: ViewerResponse;
}

/**
 * Requests `path` once, then polls until the body is the origin's second answer (`<path> #2`,
 * as test-origin's `answer` writes it). Started before the tests that read it, so objects with
 * TTLs of seconds expire side by side instead of one after another. A failure rejects the
 * promise only for the test that awaits it.
 */
export function watchExpiry(request: ViewerRequest): Promise<Expiry> {
  const watched = (async () => {
    const miss = await get(request);
    const polls = await getUntil(request, (r) => r.body === `${request.path} #2`);
    return { miss, polls, refetch: polls.at(-1)! };
  })();
  watched.catch(() => undefined);
  return watched;
}
