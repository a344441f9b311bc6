/** The operations-topic message for a finished (or failed) region operation. Pure. */

export interface ReportInput {
  readonly operation: 'start' | 'stop';
  readonly outcome: 'succeeded' | 'failed' | 'rolled back' | 'rollback failed';
  readonly region: string;
  readonly reason: string;
  readonly startedAtEpochMs: number;
  readonly failure: { readonly Error?: string; readonly Cause?: string } | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface Report {
  readonly subject: string;
  readonly message: string;
}

/** Lambda failures arrive with a JSON Cause ({errorType, errorMessage, trace}); people want the message. */
export function readableCause(cause: string | undefined): string | undefined {
  if (!cause) return cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: already readable.
  }
  return cause;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function buildReport(input: ReportInput, nowMs: number): Report {
  const verb = input.operation === 'start' ? 'StartRegion' : 'StopRegion';
  // SNS subjects: at most 100 characters, no line breaks.
  const subject = `kubecdn ${verb} ${input.region} ${input.outcome}`.slice(0, 100);
  const lines = [`${verb} ${input.region}: ${input.outcome} after ${duration(nowMs - input.startedAtEpochMs)}.`, `Reason: ${input.reason}`];
  if (input.failure)
    lines.push(`Failed with ${input.failure.Error ?? 'an error'}: ${readableCause(input.failure.Cause) ?? 'no cause given'}`);
  if (input.outcome === 'rollback failed')
    lines.push('The region may still hold resources: run StopRegion for it once the cause is fixed.');
  for (const [key, value] of Object.entries(input.details)) lines.push(`${key}: ${JSON.stringify(value)}`);
  return { subject, message: lines.join('\n') };
}
