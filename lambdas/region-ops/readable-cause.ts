/** A failure's cause as people read it, for the reports of every workflow. Pure. */

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
