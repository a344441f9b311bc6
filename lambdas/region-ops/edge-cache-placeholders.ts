/**
 * The `cache` section as the values and nginx.conf fragments the edge's {{CACHE_*}} and
 * {{ORIGIN_*_TIMEOUT}} placeholders take (config/workload/README.md describes each). Pure: the
 * same function feeds a region's manifests and the tests that run them in a real nginx.
 */
import type { CacheSettings } from '../../core/config/cache-schema';

/** The status codes the edge caches, as nginx caches them by default plus the ones HTTP calls cacheable by default. */
export const CACHEABLE_STATUSES = [200, 203, 204, 206, 301, 302, 404] as const;

/**
 * nginx keeps about 8,000 keys per MiB of keys zone. Sized for objects of 32 KiB on average
 * (a cache of N MiB holds about 32 N keys): at least 16 MiB, at most 128 MiB, since the zone is
 * shared memory counted against the pod's memory limit. A full zone evicts the least recently
 * used keys; it never fails a request.
 */
export function keysZoneMebibytes(sizeMebibytes: number): number {
  return Math.min(128, Math.max(16, Math.ceil(sizeMebibytes / 256)));
}

/**
 * The cache volume's sizeLimit: the kubelet evicts a pod whose emptyDir outgrows it, and nginx's
 * max_size is a target its cache manager enforces after the fact (a burst of large responses, and
 * the temporary files of responses being written, sit above it for a while). A quarter more plus
 * 512 MiB keeps an eviction for something other than a runaway disk out of reach.
 */
export function cacheVolumeMebibytes(sizeMebibytes: number): number {
  return Math.ceil(sizeMebibytes * 1.25) + 512;
}

/**
 * How long nginx keeps an object nobody asks for. Longer than any object can be of use: the
 * longest freshness (maxTtlSeconds) plus the longest it may be served stale, so `inactive` never
 * drops an object that is still fresh or still a stale-if-error fallback.
 */
export function inactiveSeconds(cache: CacheSettings): number {
  return cache.maxTtlSeconds + Math.max(cache.staleWhileRevalidateSeconds, cache.staleIfErrorSeconds);
}

/**
 * The request URI the cache key holds and the origin is asked for (one value, so what is cached
 * under a key is exactly what the origin answered for that key): the whole request URI, the path
 * alone, or the path with only the allowed query parameters (edge.js builds that one).
 */
export function cacheUriVariable(queryStringKey: CacheSettings['queryStringKey']): string {
  if (queryStringKey === 'all') return '$request_uri';
  if (queryStringKey === 'none') return '$edge_path';
  return '$edge_allowed_query_uri';
}

/** A regular expression matching paths that start with `prefix`, written for an nginx map (PCRE). */
export function prefixPattern(prefix: string): string {
  return `~^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
}

/** The entries of the map that marks bypassed paths (map $uri $edge_bypass): one per prefix, or a comment saying there are none. */
export function bypassMapEntries(prefixes: readonly string[]): string {
  if (prefixes.length === 0) return '# no cache.bypassPathPrefixes';
  return prefixes.map((prefix) => `"${prefixPattern(prefix)}" 1;`).join(' ');
}

/**
 * How long the cache waits for the origin hop in total: resolving the origin's name (bounded by
 * the connect timeout too), a connect and a read to the origin, plus a margin for the hop itself.
 */
export function hopTimeoutSeconds(cache: CacheSettings): number {
  return 2 * cache.originConnectTimeoutSeconds + cache.originReadTimeoutSeconds + 5;
}

export function cachePlaceholders(cache: CacheSettings): Record<string, string | number> {
  return {
    CACHE_KEYS_ZONE: `${keysZoneMebibytes(cache.sizeMebibytes)}m`,
    CACHE_MAX_SIZE: `${cache.sizeMebibytes}m`,
    CACHE_INACTIVE: `${inactiveSeconds(cache)}s`,
    CACHE_VOLUME_SIZE: `${cacheVolumeMebibytes(cache.sizeMebibytes)}Mi`,
    CACHE_URI: cacheUriVariable(cache.queryStringKey),
    CACHE_QUERY_ALLOW: Array.isArray(cache.queryStringKey) ? cache.queryStringKey.join(' ') : '',
    CACHE_BYPASS_MAP: bypassMapEntries(cache.bypassPathPrefixes),
    CACHE_STATUSES: CACHEABLE_STATUSES.join(' '),
    CACHE_DEFAULT_TTL: cache.defaultTtlSeconds,
    CACHE_MAX_TTL: cache.maxTtlSeconds,
    CACHE_HONOUR_ORIGIN: cache.honourOriginHeaders ? 1 : 0,
    CACHE_STALE_WHILE_REVALIDATE: cache.staleWhileRevalidateSeconds,
    CACHE_STALE_IF_ERROR: cache.staleIfErrorSeconds,
    CACHE_LOCK: cache.coalesceRequests ? 'on' : 'off',
    ORIGIN_CONNECT_TIMEOUT: `${cache.originConnectTimeoutSeconds}s`,
    ORIGIN_READ_TIMEOUT: `${cache.originReadTimeoutSeconds}s`,
    HOP_TIMEOUT: `${hopTimeoutSeconds(cache)}s`,
  };
}
