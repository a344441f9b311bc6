/**
 * One line of the edge's access log (nginx `log_format edge`, config/workload/10-nginx-config.yaml):
 * a JSON object whose values are all strings, as nginx writes them. This turns a line into a
 * typed request, or says why it is not one. Never throws: a log is outside input, and one bad
 * line must not stop the metrics of every good one.
 */
import { isIP } from 'node:net';

/** nginx's $upstream_cache_status values; absent when the cache was not involved (a redirect). */
export const CACHE_STATUSES = ['MISS', 'BYPASS', 'EXPIRED', 'STALE', 'UPDATING', 'REVALIDATED', 'HIT'] as const;
export type CacheStatus = (typeof CACHE_STATUSES)[number];

/** One try of the origin hop (the viewer server's upstream) for a request. */
export interface UpstreamAttempt {
  /** Undefined when the hop gave no response (nginx writes "-"): the viewer went away first, say. */
  readonly status: number | undefined;
  /** Milliseconds until the hop's response ended; undefined when nginx has no time for the try. */
  readonly ms: number | undefined;
}

export interface EdgeRequest {
  /** When nginx logged the request (after answering it), milliseconds since the epoch ($msec). */
  readonly timeMs: number;
  /** The viewer's address: the PROXY protocol header's source when it came through the VPC's load balancer. */
  readonly viewer: string;
  /** The request line, as the viewer sent it (for sampling; may be anything). */
  readonly request: string;
  readonly status: number;
  /** Bytes sent to the viewer, headers included ($bytes_sent). */
  readonly bytesSent: number;
  readonly cacheStatus: CacheStatus | undefined;
  /** Milliseconds from the request's first byte to the response's last ($request_time). */
  readonly requestMs: number;
  /** Empty when the origin hop was not asked (a hit, a redirect, an error answered by nginx itself). */
  readonly upstream: readonly UpstreamAttempt[];
}

export type ParsedLine = { readonly ok: true; readonly request: EdgeRequest } | { readonly ok: false; readonly reason: string };

const KNOWN_CACHE_STATUSES: ReadonlySet<string> = new Set(CACHE_STATUSES);
const UNSIGNED = /^\d{1,15}$/;
const SECONDS = /^\d{1,12}\.\d{3}$/;
const STATUS = /^[1-5]\d\d$/;
/** nginx separates tries with ", " and internal redirects with " : ". */
const LIST_SEPARATOR = /\s*[,:]\s*/;

function fail(reason: string): ParsedLine {
  return { ok: false, reason };
}

/**
 * `<seconds>.<3 digits>` (already checked) as whole milliseconds: the digits read as one integer.
 * Exact (1.005 * 1000 is 1004.999... in floating point), and several times faster than Number()
 * on a decimal, which matters at a million lines.
 */
function milliseconds(seconds: string): number {
  let ms = 0;
  for (let i = 0; i < seconds.length; i++) {
    const digit = seconds.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) ms = ms * 10 + digit;
  }
  return ms;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The fields read; the line has more (time, via, bodyBytes, host, scheme, userAgent) for people. */
interface LineObject {
  readonly msec?: unknown;
  readonly viewer?: unknown;
  readonly request?: unknown;
  readonly status?: unknown;
  readonly bytes?: unknown;
  readonly cache?: unknown;
  readonly requestTime?: unknown;
  readonly upstreamStatus?: unknown;
  readonly upstreamTime?: unknown;
}

/** Parses one line (without its newline). */
export function parseAccessLogLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  // Named property reads, not fields[name]: a dynamic key is several times slower per line.
  const fields = value as LineObject;

  const msec = text(fields.msec);
  if (msec === undefined || !SECONDS.test(msec)) return fail('msec is not <seconds>.<milliseconds>');
  const viewer = text(fields.viewer);
  if (viewer === undefined || isIP(viewer) === 0) return fail('viewer is not an IPv4 or IPv6 address');
  const request = text(fields.request);
  if (request === undefined) return fail('request is missing');
  const status = text(fields.status);
  if (status === undefined || !STATUS.test(status)) return fail('status is not an HTTP status code');
  const bytes = text(fields.bytes);
  if (bytes === undefined || !UNSIGNED.test(bytes)) return fail('bytes is not a byte count');
  const cache = text(fields.cache);
  if (cache === undefined || (cache !== '' && !KNOWN_CACHE_STATUSES.has(cache))) {
    return fail('cache is not an nginx cache status');
  }
  const requestTime = text(fields.requestTime);
  if (requestTime === undefined || !SECONDS.test(requestTime)) return fail('requestTime is not <seconds>.<milliseconds>');
  const upstream = upstreamAttempts(text(fields.upstreamStatus), text(fields.upstreamTime));
  if (typeof upstream === 'string') return fail(upstream);

  return {
    ok: true,
    request: {
      timeMs: milliseconds(msec),
      viewer,
      request,
      status: Number(status),
      bytesSent: Number(bytes),
      cacheStatus: cache === '' ? undefined : (cache as CacheStatus),
      requestMs: milliseconds(requestTime),
      upstream,
    },
  };
}

/** A list's items; most requests have one try, which needs no regular expression. */
function list(text: string): string[] {
  return text.includes(',') || text.includes(':') ? text.split(LIST_SEPARATOR) : [text];
}

/** The tries from the two parallel lists; "" or "-" as a whole means none (escape=json logs a missing variable as ""). */
function upstreamAttempts(statuses: string | undefined, times: string | undefined): UpstreamAttempt[] | string {
  if (statuses === undefined) return 'upstreamStatus is missing';
  if (times === undefined) return 'upstreamTime is missing';
  const none = (list: string) => list === '' || list === '-';
  if (none(statuses) && none(times)) return [];
  const statusList = list(statuses);
  const timeList = none(times) ? statusList.map(() => '-') : list(times);
  if (statusList.length !== timeList.length) return 'upstreamStatus and upstreamTime list different numbers of tries';
  const attempts: UpstreamAttempt[] = [];
  for (let i = 0; i < statusList.length; i++) {
    const [s, t] = [statusList[i]!, timeList[i]!];
    if (s !== '-' && !STATUS.test(s)) return 'upstreamStatus holds something other than status codes and "-"';
    if (t !== '-' && !SECONDS.test(t)) return 'upstreamTime holds something other than <seconds>.<milliseconds> and "-"';
    attempts.push({ status: s === '-' ? undefined : Number(s), ms: t === '-' ? undefined : milliseconds(t) });
  }
  return attempts;
}
