/**
 * A real nginx caching proxy on loopback in front of a small Node.js origin, with the cache layout
 * and key the edge uses (levels=1:2, key `$host$uri$is_args$args`): what fills the cache directory
 * the purge companion works on. Missing nginx fails the test with the command that installs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const NGINX_BINARY = '/usr/sbin/nginx';

/** Throws, with the install command, unless nginx is installed: these tests never skip. */
export function requireNginx(): void {
  try {
    accessSync(NGINX_BINARY, constants.X_OK);
  } catch {
    throw new Error(
      `${NGINX_BINARY} is missing: the edge tests run a real nginx. Install it with: sudo apt-get install -y nginx-light (or nginx)`,
    );
  }
}

export interface CacheResponse {
  readonly status: number;
  /** nginx's $upstream_cache_status: MISS, HIT, ... */
  readonly cache: string | undefined;
  readonly body: string;
}

export interface CachingNginx {
  /** The cache directory nginx writes, as in the pod: `<cache>/edge`. */
  readonly cacheDir: string;
  /** GETs `pathAndQuery` through nginx with the given Host header. */
  get(host: string, pathAndQuery: string): Promise<CacheResponse>;
  /** Every cache file (32 hex characters, levels 1:2) under the cache directory. */
  cacheFiles(): string[];
  /** How often the origin was asked for `pathAndQuery`. */
  originHits(pathAndQuery: string): number;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function get(port: number, host: string, pathAndQuery: string): Promise<CacheResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: pathAndQuery, headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cache: res.headers['x-cache-status'] as string | undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function filesBelow(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? filesBelow(join(dir, entry.name)) : [join(dir, entry.name)]));
}

export async function startCachingNginx(workDir: string): Promise<CachingNginx> {
  requireNginx();
  const hits = new Map<string, number>();
  const origin = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    res.setHeader('Cache-Control', 'max-age=600');
    res.end(`origin ${req.url} #${hits.get(req.url ?? '')}`);
  });
  const originPort = await listen(origin);
  const port = await freePort();
  const cacheDir = join(workDir, 'cache', 'edge');
  mkdirSync(join(workDir, 'cache'), { recursive: true });
  writeFileSync(
    join(workDir, 'nginx.conf'),
    `
${process.getuid?.() === 0 ? 'user root root;' : ''}
worker_processes 1;
daemon off;
pid ${workDir}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  client_body_temp_path ${workDir}/client_temp;
  proxy_temp_path ${workDir}/proxy_temp;
  fastcgi_temp_path ${workDir}/fastcgi_temp;
  uwsgi_temp_path ${workDir}/uwsgi_temp;
  scgi_temp_path ${workDir}/scgi_temp;
  access_log off;
  # As in the edge's nginx.conf: the layout and key the purge companion reads.
  proxy_cache_path ${cacheDir} levels=1:2 keys_zone=edge:1m use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location = /ready { return 200; }
    location / {
      proxy_pass http://127.0.0.1:${originPort};
      proxy_cache edge;
      proxy_cache_key $host$uri$is_args$args;
      proxy_cache_valid 200 10m;
      add_header X-Cache-Status $upstream_cache_status;
    }
  }
}
`,
  );
  let stderr = '';
  const nginx: ChildProcess = spawn(NGINX_BINARY, ['-e', 'stderr', '-p', workDir, '-c', join(workDir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  nginx.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()));
  for (let attempt = 0; ; attempt++) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}: ${stderr}`);
    try {
      if ((await get(port, 'localhost', '/ready')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (attempt > 200) throw new Error(`nginx did not answer on 127.0.0.1:${port} within 4 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    cacheDir,
    get: (host, pathAndQuery) => get(port, host, pathAndQuery),
    cacheFiles: () => filesBelow(cacheDir).filter((file) => /\/[0-9a-f]{32}$/.test(file)),
    originHits: (pathAndQuery) => hits.get(pathAndQuery) ?? 0,
    async stop() {
      if (nginx.exitCode === null) {
        nginx.kill('SIGTERM');
        await exited;
      }
      origin.closeAllConnections();
      await new Promise((resolve) => origin.close(resolve));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
