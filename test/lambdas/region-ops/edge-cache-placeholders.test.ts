import { cacheSchema, type CacheSettings } from '../../../core/config/cache-schema';
import {
  bypassMapEntries,
  cachePlaceholders,
  cacheUriVariable,
  cacheVolumeMebibytes,
  hopTimeoutSeconds,
  inactiveSeconds,
  keysZoneMebibytes,
  prefixPattern,
} from '../../../lambdas/region-ops/edge-cache-placeholders';

const cache = (input: Record<string, unknown> = {}): CacheSettings => cacheSchema.parse(input);

describe('the cache placeholders', () => {
  it('fill nginx.conf from the defaults', () => {
    expect(cachePlaceholders(cache())).toEqual({
      CACHE_KEYS_ZONE: '16m',
      CACHE_MAX_SIZE: '2048m',
      CACHE_INACTIVE: `${604800 + 86400}s`,
      CACHE_VOLUME_SIZE: '3072Mi',
      CACHE_URI: '$request_uri',
      CACHE_QUERY_ALLOW: '',
      CACHE_BYPASS_MAP: '# no cache.bypassPathPrefixes',
      CACHE_STATUSES: '200 203 204 206 301 302 404',
      CACHE_DEFAULT_TTL: 3600,
      CACHE_MAX_TTL: 604800,
      CACHE_HONOUR_ORIGIN: 1,
      CACHE_STALE_WHILE_REVALIDATE: 60,
      CACHE_STALE_IF_ERROR: 86400,
      CACHE_LOCK: 'on',
      ORIGIN_CONNECT_TIMEOUT: '5s',
      ORIGIN_READ_TIMEOUT: '30s',
      HOP_TIMEOUT: '45s',
    });
  });

  it('turn off honouring and coalescing, and list the allowed query parameters', () => {
    const values = cachePlaceholders(cache({ honourOriginHeaders: false, coalesceRequests: false, queryStringKey: ['v', 'lang'] }));
    expect(values).toMatchObject({
      CACHE_HONOUR_ORIGIN: 0,
      CACHE_LOCK: 'off',
      CACHE_URI: '$edge_allowed_query_uri',
      CACHE_QUERY_ALLOW: 'v lang',
    });
  });

  it('key the cache by the whole request URI, the path alone, or the path with allowed parameters', () => {
    expect(cacheUriVariable('all')).toBe('$request_uri');
    expect(cacheUriVariable('none')).toBe('$edge_path');
    expect(cacheUriVariable(['v'])).toBe('$edge_allowed_query_uri');
  });

  it('size the keys zone for 32 KiB objects, between 16 and 128 MiB of shared memory', () => {
    expect([64, 2048, 8192, 16384, 102400].map(keysZoneMebibytes)).toEqual([16, 16, 32, 64, 128]);
  });

  it('give the cache volume a quarter more than the cache plus 512 MiB', () => {
    expect([64, 2048, 102400].map(cacheVolumeMebibytes)).toEqual([592, 3072, 128512]);
  });

  it('keep idle objects as long as they can be served fresh or stale', () => {
    expect(inactiveSeconds(cache({ maxTtlSeconds: 100, staleWhileRevalidateSeconds: 30, staleIfErrorSeconds: 10 }))).toBe(130);
    expect(inactiveSeconds(cache({ maxTtlSeconds: 100, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 50 }))).toBe(150);
  });

  it('wait for the hop as long as resolving the origin, connecting and reading take, plus a margin', () => {
    expect(hopTimeoutSeconds(cache({ originConnectTimeoutSeconds: 2, originReadTimeoutSeconds: 10 }))).toBe(19);
  });

  it('match bypass prefixes literally, escaping what PCRE would read as syntax', () => {
    expect(prefixPattern('/api/')).toBe('~^/api/');
    expect(prefixPattern('/a.b(c)*+$')).toBe('~^/a\\.b\\(c\\)\\*\\+\\$');
    const pattern = new RegExp(prefixPattern('/v1.0/(beta)+').slice(1));
    expect(pattern.test('/v1.0/(beta)+/x')).toBe(true);
    expect(pattern.test('/v1x0/(beta)+/x')).toBe(false);
    expect(pattern.test('/other/v1.0/(beta)+')).toBe(false);
  });

  it('write one map entry per bypass prefix, or a comment when there are none', () => {
    expect(bypassMapEntries(['/api/', '/admin'])).toBe('"~^/api/" 1; "~^/admin" 1;');
    expect(bypassMapEntries([])).toBe('# no cache.bypassPathPrefixes');
  });
});
