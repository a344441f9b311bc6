/**
 * Errors specific to the region workflows. As with lambdas/shared/errors.ts, the `name` becomes
 * the Step Functions error name, matched by the state machines' Retry and Catch.
 */
import { RetryableError } from '../shared/errors';
import { retryableErrorClass } from '../shared/retryable-errors';

/** A stop that the guards refuse: an always-on region without `force`, or the last serving region. */
export class StopRefusedError extends Error {
  override name = 'StopRefused';
}

/** AWS reports a resource in a state the workflow cannot converge from on its own (e.g. a FAILED cluster). */
export class RegionOperationFailedError extends Error {
  override name = 'RegionOperationFailed';
}

/**
 * A managed-nodegroup cluster without the AWS Load Balancer Controller: the edge Service's class
 * (`service.k8s.aws/nlb`) has nobody to serve it, so waiting for its load balancer is pointless.
 * Not retried: the start rolls back at once, with a cause that says what to install.
 */
export class LoadBalancerControllerMissingError extends Error {
  override name = 'LoadBalancerControllerMissing';
}

/**
 * Maps an error to the name the state machine retries on. The SDK already retried AWS calls
 * (adaptive mode); what still fails here, and any socket error or timeout of the Kubernetes API,
 * is handed to Step Functions' slower, jittered backoff rather than failing the step (and rolling
 * back a start): see lambdas/shared/retryable-errors.ts for what counts.
 */
export function asWorkflowError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof RetryableError) return error;
  const kind = retryableErrorClass(error);
  if (kind === undefined) return error;
  const code = (error as { code?: unknown }).code;
  const label = typeof code === 'string' && code !== error.name && !error.message.includes(code) ? `${error.name} ${code}` : error.name;
  return new RetryableError(`${label}: ${error.message}`, { cause: error });
}
