/** A loopback origin for the edge tests: answers each path as the test says, and records what it was asked. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type OriginHandler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

export interface OriginRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface TestOrigin {
  readonly url: string;
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

export async function startOrigin(): Promise<TestOrigin> {
  const handlers = new Map<string, OriginHandler>();
  const seen = new Map<string, OriginRequest[]>();
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const list = seen.get(path) ?? [];
    list.push({ url: request.url ?? '/', headers: request.headers });
    seen.set(path, list);
    const handler = handlers.get(path) ?? answer();
    handler(request, response, list.length);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    on: (path, handler) => handlers.set(path, handler),
    requests: (path) => seen.get(path) ?? [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
