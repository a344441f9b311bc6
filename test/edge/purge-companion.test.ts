/**
 * The purge companion for real: the script from the rendered workload manifests, run by Node.js,
 * against a cache directory filled by a real nginx and a fake Kubernetes API that authorizes by
 * the manifests' Role. What a viewer sees afterwards is asked of nginx itself (X-Cache-Status).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachingNginx, type CachingNginx } from './caching-nginx';
import { startFakeKubernetesApi, type FakeKubernetesApi } from './fake-kubernetes-api';
import {
  purgeCompanionWiring,
  renderedEdgeManifests,
  startPurgeCompanion,
  waitFor,
  type PurgeCompanionWiring,
  type RunningCompanion,
} from './purge-companion-process';

// Each test takes about a second; the room is for a machine busy with other work. Waits on
// conditions fail on their own, naming what they waited for, well within it.
jest.setTimeout(30_000);

const POD = 'edge-nginx-7d9f8b6c5d-x2x4q';
const REQUESTED_AT = '2026-11-29T01:00:00.000Z';

/** What the cache holds before every test: several hosts, query variants and look-alike paths. */
const CACHED = [
  { host: 'x.example', url: '/a.css' },
  { host: 'x.example', url: '/a.css?v=1' },
  { host: 'x.example', url: '/a.css?v=2' },
  { host: 'y.example', url: '/a.css' },
  { host: 'x.example', url: '/a.css.map' },
  { host: 'x.example', url: '/b/a.css' },
  { host: 'x.example', url: '/img/1.png' },
  { host: 'x.example', url: '/img/sub/2.png?w=10' },
  { host: 'y.example', url: '/img/3.png' },
  { host: 'x.example', url: '/imgx.png' },
  { host: 'x.example', url: '/docs/a%20b.html' },
  { host: 'x.example', url: '/index.html' },
];
type Entry = (typeof CACHED)[number];

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
let nginx: CachingNginx;
let api: FakeKubernetesApi;
let companion: RunningCompanion;

function start(env: Record<string, string> = {}): RunningCompanion {
  return startPurgeCompanion(scriptFile, {
    POD_NAME: POD,
    PURGE_API_URL: api.url,
    PURGE_TOKEN_FILE: tokenFile,
    PURGE_CA_FILE: 'none',
    PURGE_NAMESPACE: wiring.namespace,
    PURGE_CACHE_DIR: nginx.cacheDir,
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

async function cacheStatuses(entries: readonly Entry[]): Promise<string[]> {
  const statuses: string[] = [];
  for (const { host, url } of entries) statuses.push(`${host}${url} ${(await nginx.get(host, url)).cache}`);
  return statuses;
}

const expectStatus = async (entries: readonly Entry[], status: 'HIT' | 'MISS') =>
  expect(await cacheStatuses(entries)).toEqual(entries.map(({ host, url }) => `${host}${url} ${status}`));

/** Empties the cache directory and fills it through nginx with CACHED, then checks nginx hits every entry. */
async function fillCache(): Promise<void> {
  for (const file of nginx.cacheFiles()) rmSync(file, { force: true });
  for (const { host, url } of CACHED) expect((await nginx.get(host, url)).status).toBe(200);
  await waitFor(`${CACHED.length} cache files`, () => nginx.cacheFiles().length === CACHED.length);
  await expectStatus(CACHED, 'HIT');
}

/** A self-signed certificate for 127.0.0.1 made with openssl: the key and certificate (PEM), and the certificate's file. */
function selfSignedCertificate(prefix: string): { key: string; cert: string; certFile: string } {
  const [keyFile, certFile] = [`${prefix}.key`, `${prefix}.crt`];
  const subject = ['-subj', '/CN=kubernetes', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
  execFileSync('openssl', ['req', '-x509', '-days', '1', ...subject, ...key, '-out', certFile], { stdio: 'pipe' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

const others = (purged: readonly Entry[]) => CACHED.filter((entry) => !purged.includes(entry));
const pick = (...indexes: number[]) => indexes.map((i) => CACHED[i]!);

beforeAll(async () => {
  wiring = purgeCompanionWiring(renderedEdgeManifests());
  work = mkdtempSync(join(tmpdir(), 'kubecdn-purge-'));
  scriptFile = join(work, 'purge-companion.mjs');
  writeFileSync(scriptFile, wiring.script);
  nginx = await startCachingNginx(join(work, 'nginx'));
});

afterAll(async () => {
  await nginx?.stop();
  rmSync(work, { recursive: true, force: true });
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

describe('the purge companion, against a real nginx cache', () => {
  it('purges one exact path: every host and query variant of it, nothing else; nginx then misses it and hits the rest', async () => {
    request('purge-exact', { paths: ['/a.css'] });
    const purged = pick(0, 1, 2, 3);
    expect(await resultFor('purge-exact')).toEqual({ id: 'purge-exact', removed: 4, scanned: 12, finishedAt: expect.any(String) });
    expect(Date.parse(result()!.finishedAt)).toBeGreaterThan(Date.parse(REQUESTED_AT));
    expect(nginx.cacheFiles()).toHaveLength(8);
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
    // One JSON line per purge, with the counts.
    expect(companion.logs.filter((l) => l.msg === 'purged')).toEqual([
      expect.objectContaining({ id: 'purge-exact', removed: 4, scanned: 12 }),
    ]);
    // A merge patch of its own key only.
    expect(api.patchesOf('edge-purge-results')).toEqual([{ data: { [POD]: expect.any(String) } }]);
  });

  it('purges a prefix: every key whose path starts with it, not a path that only shares its first letters', async () => {
    request('purge-prefix', { prefixes: ['/img/'] });
    const purged = pick(6, 7, 8);
    expect(await resultFor('purge-prefix')).toMatchObject({ removed: 3, scanned: 12 });
    expect(nginx.cacheFiles()).toHaveLength(9);
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
  });

  it('purges paths and prefixes of one request together, a percent-encoded path as nginx keyed it (decoded)', async () => {
    request('purge-both', { paths: ['/docs/a%20b.html', '/index.html'], prefixes: ['/b/'] });
    const purged = pick(5, 10, 11);
    expect(await resultFor('purge-both')).toMatchObject({ removed: 3, scanned: 12 });
    await expectStatus(others(purged), 'HIT');
    await expectStatus(purged, 'MISS');
  });

  it('purges everything: the cache is empty, every entry a miss; a temp file nginx is writing is left alone', async () => {
    const level = join(nginx.cacheDir, '0', '00');
    mkdirSync(level, { recursive: true });
    const temp = join(level, '0123456789abcdef0123456789abcdef.0000000007');
    writeFileSync(temp, 'half-written');
    request('purge-all', { everything: true });
    expect(await resultFor('purge-all')).toMatchObject({ removed: 12, scanned: 12 });
    expect(nginx.cacheFiles()).toEqual([]);
    expect(() => rmSync(temp)).not.toThrow();
    await expectStatus(CACHED, 'MISS');
  });

  it('does nothing for an id it has handled, also after a restart', async () => {
    request('purge-once', { paths: ['/a.css'] });
    expect(await resultFor('purge-once')).toMatchObject({ removed: 4 });
    const first = result();
    await expectStatus(pick(0, 1, 2, 3), 'MISS'); // cached again
    await waitFor('4 entries cached again', () => nginx.cacheFiles().length === 12);

    const polls = api.getsOf('edge-purge');
    await waitFor('five more polls', () => api.getsOf('edge-purge') >= polls + 5);
    expect(api.patchesOf('edge-purge-results')).toHaveLength(1);
    expect(nginx.cacheFiles()).toHaveLength(12);

    await companion.stop();
    companion = start();
    await waitFor('the restarted companion to see the request', () =>
      companion.logs.some((l) => l.msg === 'already purged before a restart'),
    );
    const restartedPolls = api.getsOf('edge-purge');
    await waitFor('five more polls', () => api.getsOf('edge-purge') >= restartedPolls + 5);
    expect(api.patchesOf('edge-purge-results')).toHaveLength(1);
    expect(result()).toEqual(first);
    expect(nginx.cacheFiles()).toHaveLength(12);
    await expectStatus(CACHED, 'HIT');
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
    expect(nginx.cacheFiles()).toHaveLength(12);
    expect(companion.process.exitCode).toBeNull();

    request('good-after-bad', { paths: ['/index.html'] });
    expect(await resultFor('good-after-bad')).toMatchObject({ removed: 1, scanned: 12 });
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
    expect(nginx.cacheFiles()).toHaveLength(9);
    await expectStatus(pick(6), 'MISS'); // cached again: a second purge would remove it
    api.configMaps.set('edge-purge-results', {});
    expect(await resultFor('results-later')).toMatchObject({ removed: 3 });
    expect(nginx.cacheFiles()).toHaveLength(10);
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
