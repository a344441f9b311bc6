/**
 * Errors specific to the region workflows. As with lambdas/shared/errors.ts, the `name` becomes
 * the Step Functions error name, matched by the state machines' Retry and Catch.
 */

/** A stop that the guards refuse: an always-on region without `force`, or the last serving region. */
export class StopRefusedError extends Error {
  override name = 'StopRefused';
}

/** AWS reports a resource in a state the workflow cannot converge from on its own (e.g. a FAILED cluster). */
export class RegionOperationFailedError extends Error {
  override name = 'RegionOperationFailed';
}
