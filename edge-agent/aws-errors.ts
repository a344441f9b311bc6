/**
 * Whether AWS refused a request for what it holds (retrying it can never succeed: drop it) rather
 * than failing for now (throttling, a 5xx, the network, credentials not there yet: the pod's EKS
 * Pod Identity association may be made after the pod starts). Unknown errors are retried: the
 * backlogs are bounded, so a wrong guess costs memory for a while, not correctness.
 */
const REFUSALS =
  /^(InvalidParameter|MissingParameter|MissingRequiredParameter|InvalidParameterCombination|InvalidParameterValue|InvalidParameterException|DataAlreadyAccepted)/;

export function isRefusedRequest(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return $metadata?.httpStatusCode === 400 && typeof name === 'string' && REFUSALS.test(name);
}

/** An error as one line for the agent's log. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
