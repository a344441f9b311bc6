/**
 * RolloutWorkload's bookkeeping after each wave: collect the wave's per-region results, decide
 * whether to go on, and make the failures readable for the report. Pure.
 */
import { readableCause } from './report';

/** One region's outcome in a roll-out: its SyncRegion's outcome, or the failure a Catch caught. */
export interface WaveResult {
  readonly region: string;
  readonly outcome: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface RolloutProgressInput {
  readonly waveIndex: number;
  /** Results of the waves before this one (already made readable). */
  readonly results: readonly WaveResult[];
  readonly waveResults: readonly WaveResult[];
}

export interface RolloutProgress {
  readonly waveIndex: number;
  readonly results: WaveResult[];
  /** A region of this wave neither succeeded nor was skipped: later waves are not started. */
  readonly halted: boolean;
  readonly failed: string[];
}

/** Outcomes that let the roll-out go on: the region runs the new version, or was not serving and picks it up at its next start. */
const GOOD_OUTCOMES: ReadonlySet<string> = new Set(['succeeded', 'skipped']);

/**
 * A failed `startExecution.sync:2` task's cause is the child's DescribeExecution output as JSON,
 * whose own Error and Cause say what went wrong (the Cause often a Lambda error's JSON in turn);
 * anything else goes through readableCause as the region workflows' failures do.
 */
export function readableChildCause(cause: string | undefined): string | undefined {
  if (!cause) return cause;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return cause;
  }
  if (typeof parsed !== 'object' || parsed === null) return cause;
  const child = parsed as { Error?: unknown; Cause?: unknown; Status?: unknown; errorMessage?: unknown };
  const error = typeof child.Error === 'string' ? child.Error : undefined;
  const childCause = typeof child.Cause === 'string' ? readableCause(child.Cause) : undefined;
  if (error && childCause) return `${error}: ${childCause}`;
  if (error || childCause) return (error ?? childCause)!;
  // An aborted or timed-out child has a status but neither Error nor Cause.
  if (typeof child.Status === 'string') return `the SyncRegion execution ended ${child.Status}`;
  return readableCause(cause);
}

function readable(result: WaveResult): WaveResult {
  const cause = readableChildCause(result.cause);
  return {
    region: result.region,
    outcome: result.outcome,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}

export function rolloutProgress(input: RolloutProgressInput): RolloutProgress {
  const wave = input.waveResults.map(readable);
  const failed = wave.filter((r) => !GOOD_OUTCOMES.has(r.outcome)).map((r) => r.region);
  return {
    waveIndex: input.waveIndex + 1,
    results: [...input.results.map(readable), ...wave],
    halted: failed.length > 0,
    failed,
  };
}
