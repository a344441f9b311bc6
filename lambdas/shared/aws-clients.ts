/**
 * AWS SDK client options shared by every Lambda: the target region (region work must use a
 * client for that region, not the function's own) and adaptive retries with backoff and jitter.
 */
export interface ClientOptions {
  readonly region: string;
  readonly maxAttempts: number;
  readonly retryMode: 'adaptive';
}

export function clientOptions(region: string, maxAttempts = 5): ClientOptions {
  return { region, maxAttempts, retryMode: 'adaptive' };
}
