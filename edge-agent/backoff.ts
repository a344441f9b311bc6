/**
 * How long to wait before trying AWS again after `failures` failures in a row: doubling from
 * `baseMs` up to `maxMs`, the upper half randomised so the pods of a region do not retry in step.
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface RetryTiming {
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly random?: () => number;
}

/** When a sender that failed may try again: no sooner than its backoff, unless forced (a stop). */
export class RetrySchedule {
  private failures = 0;
  private retryAtMs = 0;

  constructor(private readonly timing: RetryTiming) {}

  mayTry(nowMs: number, force: boolean): boolean {
    return force || nowMs >= this.retryAtMs;
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Schedules the next try and returns which attempt failed. */
  failed(nowMs: number): number {
    this.failures++;
    this.retryAtMs =
      nowMs + backoffMs(this.failures, this.timing.retryBaseMs ?? 2000, this.timing.retryMaxMs ?? 60_000, this.timing.random);
    return this.failures;
  }
}
