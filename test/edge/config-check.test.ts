/**
 * `nginx -t` on the edge's nginx.conf as the committed configs and the cache section's edge cases
 * render it. The committed configs keep their own origins: nginx looks the origin's name up while
 * serving, not while it reads the config, so the check needs no DNS.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../core/config/load';
import { validConfig } from '../support/configs';
import { checkEdgeConfig } from './support/edge-nginx';

const CONFIG_DIR = join(__dirname, '..', '..', 'config');
const LOOPBACK_ORIGIN = 'http://127.0.0.1:9';

const committed = [
  join(CONFIG_DIR, 'regions.json'),
  ...readdirSync(join(CONFIG_DIR, 'examples')).map((file) => join(CONFIG_DIR, 'examples', file)),
];

// Each case starts a real nginx (-t), several at once: on a busy machine one can take seconds.
jest.setTimeout(30_000);

describe('nginx -t on the edge config', () => {
  it.concurrent.each(committed.map((file) => [file.slice(CONFIG_DIR.length + 1)]))('accepts the config rendered for %s', async (file) => {
    const { config } = loadConfigFile(join(CONFIG_DIR, file));
    const result = await checkEdgeConfig(config);
    expect(result).toEqual({ ok: true, output: expect.stringContaining('test is successful') });
  });

  const edgeCases: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ['a query string allow-list of 20 names', { queryStringKey: Array.from({ length: 20 }, (_, i) => `p_${i}`) }],
    ['no query string in the key', { queryStringKey: 'none' }],
    ['a zero default TTL and no stale use', { defaultTtlSeconds: 0, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0 }],
    ['origin headers ignored, coalescing off', { honourOriginHeaders: false, coalesceRequests: false }],
    [
      '50 bypass prefixes with every character a prefix may hold',
      { bypassPathPrefixes: Array.from({ length: 50 }, (_, i) => `/p${i}/a.b~!$&'()*+,=:@%2F-_`) },
    ],
    ['the smallest cache and the longest timeouts', { sizeMebibytes: 64, originConnectTimeoutSeconds: 60, originReadTimeoutSeconds: 300 }],
    [
      'the largest cache and the longest TTL and stale bounds',
      {
        sizeMebibytes: 102400,
        maxTtlSeconds: 31536000,
        defaultTtlSeconds: 31536000,
        staleWhileRevalidateSeconds: 86400,
        staleIfErrorSeconds: 604800,
      },
    ],
    [
      'HSTS with every option and http served',
      {},
      { redirectHttp: false, hsts: { maxAgeSeconds: 63072000, includeSubDomains: true, preload: true } },
    ],
  ];
  it.concurrent.each(edgeCases)('accepts %s', async (_name, cache, https = {}) => {
    const config = validConfig((input) => {
      input.workload = { originUrl: LOOPBACK_ORIGIN };
      input.cache = cache;
      input.https = https;
    });
    const result = await checkEdgeConfig(config);
    expect(result).toEqual({ ok: true, output: expect.stringContaining('test is successful') });
  });

  it('is a real check: nginx refuses a config it cannot run', async () => {
    // A path prefix that validation would refuse: its quote ends the map entry early.
    const config = validConfig((input) => void (input.workload = { originUrl: LOOPBACK_ORIGIN }));
    const broken = { ...config, cache: { ...config.cache, bypassPathPrefixes: ['/a" {'] } };
    const result = await checkEdgeConfig(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/emerg/);
  });
});
