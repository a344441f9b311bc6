/**
 * A viewer reaching the edge through the network load balancer: every connection to 8080/8081
 * starts with a PROXY protocol v2 header naming the viewer, as the NLB sends it.
 */
import { Agent, request } from 'node:http';
import { connect, isIP } from 'node:net';

const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** A PROXY protocol v2 header for a TCP connection from `source` to `destination`, both IPv4 or both IPv6 (as the NLB sends for its listeners' families). */
export function proxyV2Header(source: { address: string; port: number }, destination: { address: string; port: number }): Buffer {
  const family = isIP(source.address);
  if (family === 0 || family !== isIP(destination.address)) {
    throw new Error(`PROXY header addresses must both be IPv4 or both IPv6: ${source.address}, ${destination.address}`);
  }
  const size = family === 4 ? 4 : 16;
  const addresses = Buffer.alloc(2 * size + 4);
  addressBytes(source.address).copy(addresses, 0);
  addressBytes(destination.address).copy(addresses, size);
  addresses.writeUInt16BE(source.port, 2 * size);
  addresses.writeUInt16BE(destination.port, 2 * size + 2);
  // 0x21: version 2, PROXY command; 0x11 TCP over IPv4, 0x21 TCP over IPv6; then the address block's length.
  return Buffer.concat([SIGNATURE, Buffer.from([0x21, family === 4 ? 0x11 : 0x21, 0x00, addresses.length]), addresses]);
}

/** An IPv4 address's 4 bytes or an IPv6 address's 16 (`::` expanded; no embedded IPv4 form). */
function addressBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...groups(tail)];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), 2 * i));
  return bytes;
}

/** An agent whose one connection starts with the PROXY header (once connected, before the HTTP request). */
function viewerAgent(port: number, viewer: string | null): Agent {
  const agent = new Agent({ keepAlive: false });
  agent.createConnection = (_options, ready) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', (error) => ready?.(error, socket));
    socket.once('connect', () => {
      // The load balancer's own address is of the viewer's family, as on a dual-stack NLB.
      const balancer = isIP(viewer ?? '') === 6 ? '2600:1f18::5' : '10.0.0.5';
      if (viewer !== null) socket.write(proxyV2Header({ address: viewer, port: 50123 }, { address: balancer, port: 443 }));
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
