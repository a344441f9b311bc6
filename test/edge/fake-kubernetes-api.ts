/**
 * A tiny Kubernetes API server on loopback for the purge companion (HTTP, or HTTPS with a given
 * certificate): the ConfigMaps of one namespace, GET and JSON merge-patch, a bearer token that
 * must match (and may change, as a projected token does), authorization by the rules of a Role (the one the manifests bind to the
 * companion's ServiceAccount), and injected failures. Records every request.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType?: string;
  readonly body?: unknown;
}

export interface FakeKubernetesApi {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** ConfigMaps by name: their `data`. Absent: 404. */
  readonly configMaps: Map<string, Record<string, string>>;
  /** The bearer token requests must carry. */
  token: string;
  /** Answers the next `count` requests with `status` instead of serving them. */
  failNext(count: number, status: number): void;
  /** The merge patches applied to one ConfigMap, in order. */
  patchesOf(name: string): Record<string, unknown>[];
  /** How many GETs of one ConfigMap were served (200 or 404). */
  getsOf(name: string): number;
  close(): Promise<void>;
}

const VERBS: Record<string, string> = { GET: 'get', PATCH: 'patch', PUT: 'update', DELETE: 'delete', POST: 'create' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function allowed(rules: readonly PolicyRule[], verb: string, resource: string, name: string): boolean {
  return rules.some(
    (rule) =>
      (rule.apiGroups.includes('') || rule.apiGroups.includes('*')) &&
      rule.resources.includes(resource) &&
      rule.verbs.includes(verb) &&
      (rule.resourceNames === undefined || rule.resourceNames.includes(name)),
  );
}

export interface FakeKubernetesApiOptions {
  readonly namespace: string;
  readonly token: string;
  readonly rules: readonly PolicyRule[];
  /** Serve HTTPS with this key and certificate (PEM), as a real API server does; plain HTTP without. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export async function startFakeKubernetesApi(options: FakeKubernetesApiOptions): Promise<FakeKubernetesApi> {
  const requests: RecordedRequest[] = [];
  const configMaps = new Map<string, Record<string, string>>();
  let failures: { count: number; status: number } = { count: 0, status: 0 };
  const prefix = `/api/v1/namespaces/${options.namespace}/configmaps/`;

  const serve: RequestListener = async (req, res) => {
    const text = await readBody(req);
    const method = req.method ?? '';
    const path = req.url ?? '';
    const contentType = req.headers['content-type'];
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const answer = (status: number, payload: unknown) => {
      requests.push({ method, path, status, ...(contentType ? { contentType } : {}), ...(body === undefined ? {} : { body }) });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
    };
    const status = (code: number, message: string) => answer(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });

    if (failures.count > 0) {
      failures.count -= 1;
      return status(failures.status, 'injected failure');
    }
    if (req.headers.authorization !== `Bearer ${api.token}`) return status(401, 'Unauthorized');
    const name = path.startsWith(prefix) ? decodeURIComponent(path.slice(prefix.length)) : undefined;
    if (name === undefined || name.includes('/') || name.includes('?')) return status(403, `forbidden: ${method} ${path}`);
    if (!allowed(options.rules, VERBS[method] ?? method, 'configmaps', name))
      return status(403, `forbidden: cannot ${VERBS[method] ?? method} configmaps/${name}`);
    const data = configMaps.get(name);
    if (data === undefined) return status(404, `configmaps "${name}" not found`);
    if (method === 'PATCH') {
      if (contentType !== 'application/merge-patch+json') return status(415, `unsupported patch type ${contentType}`);
      const patch = (body as { data?: Record<string, string | null> } | undefined)?.data ?? {};
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete data[key];
        else data[key] = value;
      }
    }
    return answer(200, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: options.namespace }, data });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, serve) : createServer(serve);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));

  const api: FakeKubernetesApi = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    configMaps,
    token: options.token,
    failNext(count, status) {
      failures = { count, status };
    },
    patchesOf: (name) =>
      requests
        .filter((r) => r.method === 'PATCH' && r.path === `${prefix}${name}` && r.status === 200)
        .map((r) => r.body as Record<string, unknown>),
    getsOf: (name) => requests.filter((r) => r.method === 'GET' && r.path === `${prefix}${name}` && [200, 404].includes(r.status)).length,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return api;
}
