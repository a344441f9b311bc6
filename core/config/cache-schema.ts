/**
 * The `cache` section of regions.json: how each edge pod caches the origin. The defaults are
 * a careful operator's: origin caching headers honoured, `no-store` and `private` never cached,
 * one hour for what the origin leaves unsaid, at most a week for anything, the full query string
 * in the cache key, stale content for a minute while revalidating and a day while the origin fails.
 */
import { z } from 'zod';

const seconds = (what: string, min: number, max: number) => {
  const expected = `expected ${what} in seconds (a whole number from ${min} to ${max})`;
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
};

// A query parameter name as it appears in a URL; nginx reads it as $arg_<name>, so only the
// characters an nginx variable name can hold.
const QUERY_PARAMETER = /^[A-Za-z0-9_]{1,64}$/;
// A URL path prefix: starts with "/", no spaces, quotes, braces or semicolons (it lands in nginx.conf).
const PATH_PREFIX = /^\/[A-Za-z0-9._~!$&'()*+,=:@%/-]*$/;

const queryStringSchema = z.union(
  [
    z.enum(['all', 'none']),
    z
      .array(z.string().regex(QUERY_PARAMETER, { error: 'expected a query parameter name of letters, digits and "_" (at most 64)' }))
      .min(1, { error: 'expected at least one query parameter name, or "none"' })
      .max(20, { error: 'expected at most 20 query parameter names' }),
  ],
  { error: 'expected "all", "none" or a list of query parameter names such as ["v", "lang"]' },
);

const YEAR = 31536000;

export const cacheSchema = z.strictObject({
  /** How long a response is cached when the origin sends no Cache-Control or Expires (200, 203, 204, 206, 301, 302, 404 responses as nginx caches them). */
  defaultTtlSeconds: seconds('the default TTL', 0, YEAR).default(3600),
  /** No object stays fresh longer than this, whatever the origin says. */
  maxTtlSeconds: seconds('the maximum TTL', 1, YEAR).default(604800),
  /** Whether origin Cache-Control/Expires decide freshness; `no-store` and `private` are never cached either way. */
  honourOriginHeaders: z.boolean({ error: 'expected true or false' }).default(true),
  /** The cache key is always host and path; which query parameters join it. */
  queryStringKey: queryStringSchema.default('all'),
  /** Requests whose path starts with one of these go to the origin uncached. */
  bypassPathPrefixes: z
    .array(z.string().regex(PATH_PREFIX, { error: 'expected a URL path prefix starting with "/" such as "/api/", with no spaces' }))
    .max(50, { error: 'expected at most 50 bypass prefixes' })
    .default([]),
  /** Disk each edge pod may fill with cached objects. */
  sizeMebibytes: z
    .number({ error: 'expected a cache size in MiB (a whole number from 64 to 102400)' })
    .int({ error: 'expected a cache size in MiB (a whole number from 64 to 102400)' })
    .min(64, { error: 'expected a cache size of at least 64 MiB' })
    .max(102400, { error: 'expected a cache size of at most 102400 MiB (100 GiB)' })
    .default(2048),
  /** How long past expiry a cached object is served while one request refreshes it in the background. */
  staleWhileRevalidateSeconds: seconds('the stale-while-revalidate bound', 0, 86400).default(60),
  /** How long past expiry a cached object is served while the origin errs (5xx, timeout, refused). */
  staleIfErrorSeconds: seconds('the stale-if-error bound', 0, 604800).default(86400),
  originConnectTimeoutSeconds: seconds('the origin connect timeout', 1, 60).default(5),
  originReadTimeoutSeconds: seconds('the origin read timeout', 1, 300).default(30),
  /** Concurrent misses for one key wait for the first request's response instead of all reaching the origin. */
  coalesceRequests: z.boolean({ error: 'expected true or false' }).default(true),
});

export type CacheSettings = z.output<typeof cacheSchema>;
