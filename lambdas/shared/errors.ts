/**
 * Errors whose `name` the state machines match in Retry/Catch: a Lambda error's name becomes
 * the Step Functions error name, so these names are part of the workflows' contract.
 */
export class InvalidInputError extends Error {
  override name = 'InvalidInput';
}

/** A transient condition worth retrying (throttling, 5xx, eventual consistency). */
export class RetryableError extends Error {
  override name = 'Retryable';
}

/**
 * A request of our own HTTPS client (the Kubernetes API) that got no answer in time. Named as the
 * SDK names its request timeouts, and with the socket code, so every retry policy sees it as one.
 */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeout';
  readonly code = 'ETIMEDOUT';
}
