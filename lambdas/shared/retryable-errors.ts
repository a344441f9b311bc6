/**
 * The one answer to "is this failure worth another try?", shared by the region workflows (which
 * hand such errors to Step Functions' backoff as `Retryable`) and the autoscaler (which retries
 * its own calls). The SDK's own classification decides for AWS errors; what it does not see is
 * added: socket errors of our own HTTPS client (the Kubernetes API), DNS lookups of a cluster
 * endpoint not yet resolvable, and the names our code gives transient conditions.
 */
import {
  isClockSkewCorrectedError,
  isRetryableByTrait,
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification';
import type { SdkError } from '@smithy/types';

export type RetryableErrorClass = 'throttling' | 'server' | 'timeout' | 'network' | 'clock skew' | 'transient';

/**
 * Node.js socket and DNS error codes that say the request did not get through (or its answer did
 * not come back), not that it was refused: ENOTFOUND and EAI_AGAIN included, as a new cluster's
 * endpoint takes a while to resolve everywhere.
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ESOCKETTIMEDOUT',
]);

/** Throttling names some services use that the SDK's list lacks. */
const THROTTLING_NAMES: ReadonlySet<string> = new Set(['TooManyRequests', 'RateExceeded']);

/** Server-side names seen without an HTTP status (e.g. errors rebuilt from a Step Functions cause, or test doubles). */
const SERVER_ERROR_NAMES: ReadonlySet<string> = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServiceError',
  'InternalServerError',
  'InternalServerErrorException',
  'InternalErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceException',
]);

/** Timeouts: the SDK's request and socket timeouts, and our Kubernetes client's (see RequestTimeoutError). */
const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * Clock skew that a retry fixes: the SDK corrects its clock offset after these. Not AuthFailure,
 * SignatureDoesNotMatch or InvalidSignatureException, which the SDK also counts as skew but which
 * are as often plain bad credentials, and retrying those for minutes only delays the real error.
 */
const CLOCK_SKEW_NAMES: ReadonlySet<string> = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']);

/** The name our code gives a condition that only needs time (see lambdas/shared/errors.ts). */
const RETRYABLE_NAME = 'Retryable';

type ErrorLike = Partial<SdkError> & { name?: string; code?: unknown; cause?: unknown; $fault?: string };

function asErrorLike(error: unknown): ErrorLike | undefined {
  return error !== null && typeof error === 'object' ? (error as ErrorLike) : undefined;
}

function networkCode(error: ErrorLike, depth = 0): string | undefined {
  if (typeof error.code === 'string' && NETWORK_ERROR_CODES.has(error.code)) return error.code;
  // Wrapped errors (fetch, AggregateError of happy-eyeballs connects) keep the socket error as the cause.
  const cause = asErrorLike(error.cause);
  if (cause && depth < 3) return networkCode(cause, depth + 1);
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && depth < 3)
    for (const each of inner) {
      const code = asErrorLike(each) && networkCode(asErrorLike(each)!, depth + 1);
      if (code) return code;
    }
  return undefined;
}

/** Why `error` is worth another try, or undefined when it is not (a bad request, missing permissions, a missing resource). */
export function retryableErrorClass(error: unknown): RetryableErrorClass | undefined {
  const e = asErrorLike(error);
  if (!e) return undefined;
  const name = e.name ?? '';
  const sdk = e as SdkError;
  if (isThrottlingError(sdk) || THROTTLING_NAMES.has(name)) return 'throttling';
  if (TIMEOUT_NAMES.has(name)) return 'timeout';
  if (networkCode(e)) return 'network';
  if (isClockSkewCorrectedError(sdk) || CLOCK_SKEW_NAMES.has(name)) return 'clock skew';
  // Before the server check: the SDK's transient test also accepts the retryable trait.
  if (name === RETRYABLE_NAME || isRetryableByTrait(sdk)) return 'transient';
  if (isTransientError(sdk) || isServerError(sdk) || e.$fault === 'server' || SERVER_ERROR_NAMES.has(name)) return 'server';
  return undefined;
}

export function isRetryableError(error: unknown): boolean {
  return retryableErrorClass(error) !== undefined;
}
