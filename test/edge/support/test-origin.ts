/**
 * A loopback origin for the edge tests: answers each path as the test says, and records what it
 * was asked. Plain HTTP, or HTTPS with a certificate chosen per server name (SNI).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createSecureContext, type TLSSocket } from 'node:tls';

export type OriginHandler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

export interface OriginRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The server name the client sent in its TLS handshake (SNI); undefined over plain HTTP or without SNI. */
  readonly serverName?: string;
}

/** A PEM certificate (with its chain) and key, such as test/edge/support/test-tls.ts makes. */
export interface Certificate {
  readonly cert: string;
  readonly key: string;
}

export interface OriginOptions {
  /** The loopback address to listen on (default 127.0.0.1): two origins on one port at two addresses stand for one name's changing addresses. */
  readonly address?: string;
  /** The port (default: a free one). */
  readonly port?: number;
  /** HTTPS, presenting the certificate for the server name the client asks for (SNI); `default` when it asks for none or another. */
  readonly tls?: { readonly certificates: Record<string, Certificate> };
}

export interface TestOrigin {
  /** `http(s)://<address>:<port>` */
  readonly url: string;
  readonly port: number;
  /** HTTPS only: presents `certificate` to clients asking for `serverName` from the next handshake on. */
  present(serverName: string, certificate: Certificate): void;
  /** How `path` (without query) is answered from now on; `hit` counts the requests for that path, from 1. */
  on(path: string, handler: OriginHandler): void;
  /** The requests for `path` (without query) so far. */
  requests(path: string): OriginRequest[];
  close(): Promise<void>;
}

/** 200 with a body naming the path and how many times it was asked, and these headers. */
export function answer(headers: Record<string, string> = {}): OriginHandler {
  return (request, response, hit) => {
    response.writeHead(200, { 'Content-Type': 'text/plain', ...headers });
    response.end(`${request.url} #${hit}`);
  };
}

export async function startOrigin(options: OriginOptions = {}): Promise<TestOrigin> {
  const { address = '127.0.0.1', tls } = options;
  const handlers = new Map<string, OriginHandler>();
  const seen = new Map<string, OriginRequest[]>();
  const sockets = new Set<Socket>();
  const certificates = new Map(Object.entries(tls?.certificates ?? {}));
  const listener: RequestListener = (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const list = seen.get(path) ?? [];
    const serverName = (request.socket as Partial<TLSSocket>).servername;
    list.push({ url: request.url ?? '/', headers: request.headers, serverName: serverName || undefined });
    seen.set(path, list);
    const handler = handlers.get(path) ?? answer();
    handler(request, response, list.length);
  };
  const server = tls
    ? createHttpsServer(
        {
          ...certificates.get('default'),
          SNICallback: (serverName, done) => {
            const certificate = certificates.get(serverName) ?? certificates.get('default');
            done(null, certificate ? createSecureContext(certificate) : undefined);
          },
        },
        listener,
      )
    : createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${address}:${port}`,
    port,
    present: (serverName, certificate) => void certificates.set(serverName, certificate),
    on: (path, handler) => handlers.set(path, handler),
    requests: (path) => seen.get(path) ?? [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
