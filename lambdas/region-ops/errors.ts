/**
 * Errors specific to the region workflows. As with lambdas/shared/errors.ts, the `name` becomes
 * the Step Functions error name, matched by the state machines' Retry and Catch.
 */
import { RetryableError } from '../shared/errors';

/** A stop that the guards refuse: an always-on region without `force`, or the last serving region. */
export class StopRefusedError extends Error {
  override name = 'StopRefused';
}

/** AWS reports a resource in a state the workflow cannot converge from on its own (e.g. a FAILED cluster). */
export class RegionOperationFailedError extends Error {
  override name = 'RegionOperationFailed';
}

// Error names AWS SDK v3 uses for throttling across EKS, Route 53, ELB, SSM and tagging.
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'PriorRequestNotComplete',
  'ThrottledException',
  'SlowDown',
]);

/**
 * Maps an AWS error to the name the state machine retries on. The SDK already retried it
 * (adaptive mode); what still fails here is handed to Step Functions' slower, jittered backoff
 * rather than failing the step: throttling, 5xx and anything the SDK marks retryable.
 */
export function asWorkflowError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const sdk = error as Error & { $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = sdk.$metadata?.httpStatusCode ?? 0;
  if (THROTTLING_NAMES.has(error.name) || sdk.$retryable || sdk.$fault === 'server' || status >= 500) {
    return new RetryableError(`${error.name}: ${error.message}`);
  }
  return error;
}
