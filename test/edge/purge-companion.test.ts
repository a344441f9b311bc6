/**
 * The purge companion for real: the script from the rendered workload manifests, run by Node.js,
 * against the cache of the edge's own nginx (its nginx.conf rendered as a region gets it,
 * support/edge-nginx.ts) filled by viewers through the PROXY-protocol viewer port, and a fake
 * Kubernetes API that authorizes by the manifests' Role. What a viewer sees afterwards is asked of
 * the edge itself (X-Cache-Status): MISS for what was purged, HIT for the rest.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CacheSettings } from '../../core/config/cache-schema';
import { validConfig } from '../support/configs';
import { startFakeKubernetesApi, type FakeKubernetesApi } from './fake-kubernetes-api';
import {
  purgeCompanionWiring,
  renderedEdgeManifests,
  startPurgeCompanion,
  waitFor,
  type PurgeCompanionWiring,
  type RunningCompanion,
} from './purge-companion-process';
import { startEdge, type RunningEdge } from './support/edge-nginx';
import { startOrigin, type TestOrigin } from './support/test-origin';
import { get } from './support/viewer';

// Each test takes about a second; the room is for a machine busy with other work. Waits on
// conditions fail on their own, naming what they waited for, well within it.
jest.setTimeout(30_000);

const POD = 'edge-nginx-7d9f8b6c5d-x2x4q';
const REQUESTED_AT = '2026-11-29T01:00:00.000Z';

interface Entry {
  readonly host: string;
  /** The request URI as the viewer sends it, raw: the edge keys it so. */
  readonly url: string;
}

/**
 * What the cache holds before every test of the default edge (queryStringKey "all"): several hosts,
 * query variants, look-alike paths, and paths spelled with percent-escapes.
 */
const CACHED: readonly Entry[] = [
  { host: 'x.example', url: '/a.css' }, // 0
  { host: 'x.example', url: '/a.css?v=1' },
  { host: 'x.example', url: '/a.css?v=2' },
  { host: 'y.example', url: '/a.css' },
  { host: 'x.example', url: '/a.css.map' },
  { host: 'x.example', url: '/b/a.css' }, // 5
  { host: 'x.example', url: '/img/1.png' },
  { host: 'x.example', url: '/img/sub/2.png?w=10' },
  { host: 'y.example', url: '/img/3.png' },
  { host: 'x.example', url: '/imgx.png' },
  { host: 'x.example', url: '/docs/a%20b.html' }, // 10
  { host: 'x.example', url: '/index.html' },
  { host: 'x.example', url: '/docs/%7Eme.html' },
  { host: 'y.example', url: '/docs/~me.html' },
  { host: 'x.example', url: '/docs/what%3F.html?v=1' },
  { host: 'x.example', url: '/100%25.html' }, // 15
  { host: 'y.example', url: '/caf%C3%A9.html' },
];

interface PurgeResult {
  id: string | null;
  removed?: number;
  scanned?: number;
  finishedAt: string;
  error?: string;
}

let wiring: PurgeCompanionWiring;
let work: string;
let scriptFile: string;
let tokenFile: string;
// The edge and what its cache holds before each test, for the describe block running.
let origin: TestOrigin;
let edge: RunningEdge;
let cached: readonly Entry[];
let api: FakeKubernetesApi;
let companion: RunningCompanion;

const cacheDir = () => join(edge.prefix, 'cache', 'edge');

function start(env: Record<string, string> = {}): RunningCompanion {
  return startPurgeCompanion(scriptFile, {
    POD_NAME: POD,
    PURGE_API_URL: api.url,
    PURGE_TOKEN_FILE: tokenFile,
    PURGE_CA_FILE: 'none',
    PURGE_NAMESPACE: wiring.namespace,
    PURGE_CACHE_DIR: cacheDir(),
    PURGE_POLL_INTERVAL_MS: '50',
    PURGE_MAX_BACKOFF_MS: '400',
    ...env,
  });
}

function request(id: string, fields: { paths?: string[]; prefixes?: string[]; everything?: boolean } = {}): void {
  const body = {
    id,
    paths: fields.paths ?? [],
    prefixes: fields.prefixes ?? [],
    everything: fields.everything ?? false,
    requestedAt: REQUESTED_AT,
  };
  api.configMaps.set('edge-purge', { request: JSON.stringify(body) });
}

function result(): PurgeResult | undefined {
  const text = api.configMaps.get('edge-purge-results')?.[POD];
  return text === undefined ? undefined : (JSON.parse(text) as PurgeResult);
}

async function resultFor(id: string | null, matches: (r: PurgeResult) => boolean = () => true): Promise<PurgeResult> {
  await waitFor(`the result of purge ${id}`, () => result()?.id === id && matches(result()!));
  return result()!;
}

/** Every cache file (32 hex characters, levels 1:2): what the companion scans. */
function cacheFiles(dir = cacheDir()): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) =>
    entry.isDirectory() ? cacheFiles(join(dir, entry.name)) : /^[0-9a-f]{32}$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** Each entry asked of the edge's viewer port (8080, behind the PROXY protocol header), as `<host><url> <X-Cache-Status>`. */
async function cacheStatuses(entries: readonly Entry[]): Promise<string[]> {
  const statuses: string[] = [];
  for (const { host, url } of entries) {
    const response = await get({ port: edge.ports[8080], path: url, host });
    statuses.push(`${host}${url} ${response.status === 200 ? String(response.headers['x-cache-status']) : `HTTP ${response.status}`}`);
  }
  return statuses;
}

const expectStatus = async (entries: readonly Entry[], status: 'HIT' | 'MISS') =>
  expect(await cacheStatuses(entries)).toEqual(entries.map(({ host, url }) => `${host}${url} ${status}`));

/** Empties the cache directory and fills it through the edge with `cached`, then checks the edge hits every entry. */
async function fillCache(): Promise<void> {
  for (const file of cacheFiles()) rmSync(file, { force: true });
  await expectStatus(cached, 'MISS');
  await waitFor(`${cached.length} cache files`, () => cacheFiles().length === cached.length);
  await expectStatus(cached, 'HIT');
}

/** A self-signed certificate for 127.0.0.1 made with openssl: the key and certificate (PEM), and the certificate's file. */
function selfSignedCertificate(prefix: string): { key: string; cert: string; certFile: string } {
  const [keyFile, certFile] = [`${prefix}.key`, `${prefix}.crt`];
  const subject = ['-subj', '/CN=kubernetes', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
  execFileSync('openssl', ['req', '-x509', '-days', '1', ...subject, ...key, '-out', certFile], { stdio: 'pipe' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

const others = (purged: readonly Entry[]) => cached.filter((entry) => !purged.includes(entry));
const pick = (...indexes: number[]) => indexes.map((i) => cached[i]!);

/**
 * Runs the describe block's tests against one real edge (the origin answers every path, cacheable
 * for the default TTL) with `entries` cached before each test, a fresh fake API, and a companion
 * started on the edge's cache directory.
 */
function againstEdge(queryStringKey: CacheSettings['queryStringKey'], entries: readonly Entry[]): void {
  beforeAll(async () => {
    cached = entries;
    origin = await startOrigin();
    edge = await startEdge(
      validConfig((input) => {
        input.workload = { originUrl: origin.url };
        input.cache = { queryStringKey };
      }),
    );
  });

  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
  });

  beforeEach(async () => {
    tokenFile = join(work, 'token');
    writeFileSync(tokenFile, 'token-one\n');
    api = await startFakeKubernetesApi({ namespace: wiring.namespace, token: 'token-one', rules: wiring.rules });
    api.configMaps.set('edge-purge-results', {});
    await fillCache();
    companion = start();
  });

  afterEach(async () => {
    await companion.stop();
    await api.close();
    // Within its Role, every line it wrote JSON.
    expect(api.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(companion.logs.filter((l) => l.level === 'not-json')).toEqual([]);
  });
}

beforeAll(() => {
  wiring = purgeCompanionWiring(renderedEdgeManifests());
  work = mkdtempSync(join(tmpdir(), 'kubecdn-purge-'));
  scriptFile = join(work, 'purge-companion.mjs');
  writeFileSync(scriptFile, wiring.script);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the purge companion, against the edge nginx cache (queryStringKey "all")', () => {
  againstEdge('all', CACHED);

  it('purges one exact path: every host and query variant of it, nothing else; the edge then misses it and hits the rest', async () => {
    request('purge-exact', { paths: ['/a.css'] });
    const purged = pick(0, 1, 2, 3);
    expect(await resultFor('purge-exact')).toEqual({ id: 'purge-exact', removed: 4, scanned: 17, finishedAt: expect.any(String) });
    expect(Date.parse(result()!.finishedAt)).toBeGreaterThan(Date.parse(REQUESTED_AT));
    expect(cacheFiles()).toHaveLength(13);
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
    // One JSON line per purge, with the counts.
    expect(companion.logs.filter((l) => l.msg === 'purged')).toEqual([
      expect.objectContaining({ id: 'purge-exact', removed: 4, scanned: 17 }),
    ]);
    // A merge patch of its own key only.
    expect(api.patchesOf('edge-purge-results')).toEqual([{ data: { [POD]: expect.any(String) } }]);
  });

  it('purges a prefix: every key whose path starts with it, not a path that only shares its first letters', async () => {
    request('purge-prefix', { prefixes: ['/img/'] });
    const purged = pick(6, 7, 8);
    expect(await resultFor('purge-prefix')).toMatchObject({ removed: 3, scanned: 17 });
    expect(cacheFiles()).toHaveLength(14);
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
  });

  it('purges a percent-encoded path as viewers requested it (raw in the key), and every other spelling of a path', async () => {
    // The edge keys the raw request URI: the escapes are in the key as the viewer wrote them.
    expect(edge.cacheKeys()).toEqual(
      expect.arrayContaining(['x.example/docs/a%20b.html', 'x.example/docs/%7Eme.html', 'x.example/docs/what%3F.html?v=1']),
    );
    // As written; "~" for both "%7E" and "~"; "%3f" for "%3F", with the key's query left out; a
    // stray "%" kept as written; UTF-8 unescaped.
    request('purge-encoded', { paths: ['/docs/a%20b.html', '/docs/~me.html', '/docs/what%3f.html', '/100%.html', '/café.html'] });
    const purged = pick(10, 12, 13, 14, 15, 16);
    expect(await resultFor('purge-encoded')).toMatchObject({ removed: 6, scanned: 17 });
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
  });

  it('purges paths and prefixes of one request together, prefixes spelled with escapes the keys do not use or cut inside one', async () => {
    request('purge-both', { paths: ['/index.html'], prefixes: ['/b/', '/docs/%7eme', '/docs/a%2'] });
    const purged = pick(5, 10, 11, 12, 13);
    expect(await resultFor('purge-both')).toMatchObject({ removed: 5, scanned: 17 });
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
  });

  it('purges everything: the cache is empty, every entry a miss; a temp file nginx is writing is left alone', async () => {
    const level = join(cacheDir(), '0', '00');
    mkdirSync(level, { recursive: true });
    const temp = join(level, '0123456789abcdef0123456789abcdef.0000000007');
    writeFileSync(temp, 'half-written');
    request('purge-all', { everything: true });
    expect(await resultFor('purge-all')).toMatchObject({ removed: 17, scanned: 17 });
    expect(cacheFiles()).toEqual([]);
    expect(() => rmSync(temp)).not.toThrow();
    await expectStatus(cached, 'MISS');
  });

  it('does nothing for an id it has handled, also after a restart', async () => {
    request('purge-once', { paths: ['/a.css'] });
    expect(await resultFor('purge-once')).toMatchObject({ removed: 4 });
    const first = result();
    await expectStatus(pick(0, 1, 2, 3), 'MISS'); // cached again
    await waitFor('4 entries cached again', () => cacheFiles().length === 17);

    const polls = api.getsOf('edge-purge');
    await waitFor('five more polls', () => api.getsOf('edge-purge') >= polls + 5);
    expect(api.patchesOf('edge-purge-results')).toHaveLength(1);
    expect(cacheFiles()).toHaveLength(17);

    await companion.stop();
    companion = start();
    await waitFor('the restarted companion to see the request', () =>
      companion.logs.some((l) => l.msg === 'already purged before a restart'),
    );
    const restartedPolls = api.getsOf('edge-purge');
    await waitFor('five more polls', () => api.getsOf('edge-purge') >= restartedPolls + 5);
    expect(api.patchesOf('edge-purge-results')).toHaveLength(1);
    expect(result()).toEqual(first);
    expect(cacheFiles()).toHaveLength(17);
    await expectStatus(cached, 'HIT');
  });

  it('reports a malformed request as an error naming the field, touches no file, and keeps serving requests', async () => {
    const malformed: [string, string | null, RegExp][] = [
      ['{"id": "not-closed"', null, /^request is not JSON/],
      ['["purge-array"]', null, /^request must be a JSON object$/],
      [JSON.stringify({ id: '', paths: [], prefixes: [], everything: false, requestedAt: REQUESTED_AT }), null, /^request\.id must be/],
      [
        JSON.stringify({ id: 'bad-paths', paths: '/a.css', prefixes: [], everything: false, requestedAt: REQUESTED_AT }),
        'bad-paths',
        /^request\.paths must be an array of paths$/,
      ],
      [
        JSON.stringify({ id: 'bad-field', paths: [], prefixes: [], everything: false, requestedAt: REQUESTED_AT, hosts: ['x'] }),
        'bad-field',
        /^request\.hosts is not a field/,
      ],
      [
        JSON.stringify({ id: 'bad-prefix', paths: [], prefixes: ['img/'], everything: false, requestedAt: REQUESTED_AT }),
        'bad-prefix',
        /^request\.prefixes\[0\] must be a path starting with "\/"/,
      ],
      [
        JSON.stringify({ id: 'bad-query', paths: ['/a.css?v=1'], prefixes: [], everything: false, requestedAt: REQUESTED_AT }),
        'bad-query',
        /^request\.paths\[0\] must be a path without a query/,
      ],
      [
        JSON.stringify({ id: 'bad-everything', paths: [], prefixes: [], everything: 'yes', requestedAt: REQUESTED_AT }),
        'bad-everything',
        /^request\.everything must be true or false$/,
      ],
      [
        JSON.stringify({ id: 'bad-time', paths: [], prefixes: [], everything: true, requestedAt: 'yesterday' }),
        'bad-time',
        /^request\.requestedAt must be an ISO 8601 time$/,
      ],
      [
        JSON.stringify({ id: 'no-time', paths: [], prefixes: [], everything: true }),
        'no-time',
        /^request\.requestedAt must be an ISO 8601 time$/,
      ],
    ];
    for (const [text, id, error] of malformed) {
      api.configMaps.set('edge-purge', { request: text });
      const reported = await resultFor(id, (r) => error.test(r.error ?? ''));
      expect(reported).toEqual({ id, error: expect.stringMatching(error), finishedAt: expect.any(String) });
    }
    expect(cacheFiles()).toHaveLength(17);
    expect(companion.process.exitCode).toBeNull();

    request('good-after-bad', { paths: ['/index.html'] });
    expect(await resultFor('good-after-bad')).toMatchObject({ removed: 1, scanned: 17 });
    expect(companion.logs.filter((l) => l.msg === 'purge failed')).toHaveLength(malformed.length);
  });

  it('polls quietly while there is no request, retries API failures with backoff, and reads the token again for every call', async () => {
    const polls = api.getsOf('edge-purge');
    await waitFor('five polls answered 404', () => api.getsOf('edge-purge') >= polls + 5);
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(companion.logs.filter((l) => l.level !== 'info')).toEqual([]);

    api.failNext(3, 503);
    request('after-outage', { paths: ['/index.html'] });
    expect(await resultFor('after-outage')).toMatchObject({ removed: 1 });
    const retries = companion.logs.filter((l) => l.level === 'warn');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2, 3]);
    expect(retries[0]!.error).toMatch(/HTTP 503: injected failure/);

    // The kubelet replaces a projected token; the old one stops working.
    writeFileSync(tokenFile, 'token-two\n');
    api.token = 'token-two';
    request('after-rotation', { paths: ['/a.css'] });
    expect(await resultFor('after-rotation')).toMatchObject({ removed: 4 });
  });

  it('reports a finished purge once the results ConfigMap can be patched, without purging again', async () => {
    api.configMaps.delete('edge-purge-results');
    request('results-later', { prefixes: ['/img/'] });
    await waitFor('a failed report', () => api.requests.some((r) => r.method === 'PATCH' && r.status === 404));
    expect(cacheFiles()).toHaveLength(14);
    await expectStatus(pick(6), 'MISS'); // cached again: a second purge would remove it
    api.configMaps.set('edge-purge-results', {});
    expect(await resultFor('results-later')).toMatchObject({ removed: 3 });
    expect(cacheFiles()).toHaveLength(15);
  });

  it('finds the API server from the in-cluster environment and trusts only the cluster CA', async () => {
    await companion.stop();
    const cluster = selfSignedCertificate(join(work, 'cluster'));
    const impostor = selfSignedCertificate(join(work, 'impostor'));
    const tlsApi = await startFakeKubernetesApi({ namespace: wiring.namespace, token: 'token-one', rules: wiring.rules, tls: cluster });
    const inCluster = (caFile: string) => {
      const port = new URL(tlsApi.url).port;
      return start({ PURGE_API_URL: '', KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port, PURGE_CA_FILE: caFile });
    };
    try {
      tlsApi.configMaps.set('edge-purge-results', {});
      tlsApi.configMaps.set('edge-purge', {
        request: JSON.stringify({ id: 'over-tls', paths: ['/index.html'], prefixes: [], everything: false, requestedAt: REQUESTED_AT }),
      });
      companion = inCluster(impostor.certFile);
      await waitFor('a refused certificate', () => companion.logs.some((l) => l.level === 'warn'));
      expect(companion.logs.find((l) => l.level === 'warn')!.error).toMatch(/self[- ]signed certificate/);
      expect(tlsApi.requests).toEqual([]);
      await companion.stop();

      companion = inCluster(cluster.certFile);
      await waitFor('the result over TLS', () => tlsApi.configMaps.get('edge-purge-results')?.[POD] !== undefined);
      expect(JSON.parse(tlsApi.configMaps.get('edge-purge-results')![POD]!)).toMatchObject({ id: 'over-tls', removed: 1 });
      expect(companion.logs.find((l) => l.msg === 'started')).toMatchObject({ api: tlsApi.url });
    } finally {
      await tlsApi.close();
    }
  });

  it('stops promptly on SIGTERM', async () => {
    await waitFor('the companion to start', () => companion.logs.some((l) => l.msg === 'started'));
    const sent = Date.now();
    expect(await companion.stop()).toBe(0);
    // Far within the pod's 30 s grace period, so a roll-out never waits on it.
    expect(Date.now() - sent).toBeLessThan(2000);
  });

  it('refuses to start without its pod name, saying which variable to set', async () => {
    const unnamed = start({ POD_NAME: '' });
    expect(await unnamed.exited).toBe(1);
    expect(unnamed.logs).toEqual([
      expect.objectContaining({ level: 'error', error: expect.stringMatching(/^POD_NAME must be the pod's name/) }),
    ]);
  });
});

/** Requested with queries the other key shapes drop or trim; every key distinct under both. */
const CACHED_WITH_QUERIES: readonly Entry[] = [
  { host: 'x.example', url: '/a.css?v=1&utm=a' }, // 0
  { host: 'y.example', url: '/a.css?v=2' },
  { host: 'x.example', url: '/a.css.map?v=1' },
  { host: 'x.example', url: '/docs/a%20b.html?utm=1' },
  { host: 'x.example', url: '/img/1.png?v=3' },
  { host: 'x.example', url: '/index.html' }, // 5
];

describe.each<{ queryStringKey: CacheSettings['queryStringKey']; keys: string[] }>([
  {
    queryStringKey: 'none',
    keys: [
      'x.example/a.css',
      'x.example/a.css.map',
      'x.example/docs/a%20b.html',
      'x.example/img/1.png',
      'x.example/index.html',
      'y.example/a.css',
    ],
  },
  {
    queryStringKey: ['v'],
    keys: [
      'x.example/a.css.map?v=1',
      'x.example/a.css?v=1',
      'x.example/docs/a%20b.html',
      'x.example/img/1.png?v=3',
      'x.example/index.html',
      'y.example/a.css?v=2',
    ],
  },
])('the purge companion, against the edge nginx cache with queryStringKey $queryStringKey', ({ queryStringKey, keys }) => {
  againstEdge(queryStringKey, CACHED_WITH_QUERIES);

  it('purges exact paths (one percent-encoded, named decoded) and a prefix in the keys this setting makes', async () => {
    expect(edge.cacheKeys()).toEqual(keys);
    request('purge-shapes', { paths: ['/a.css', '/docs/a b.html'], prefixes: ['/img/'] });
    const purged = pick(0, 1, 3, 4);
    expect(await resultFor('purge-shapes')).toMatchObject({ removed: 4, scanned: 6 });
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
  });
});
