/** Bounds one AWS call in time, so a region that hangs cannot hold up the whole tick. */
export class CallTimedOutError extends Error {
  override name = 'CallTimedOut';
}

/**
 * Runs `call` with an abort signal that fires after `ms`, and settles by then whatever `call`
 * does with the signal (a mocked client ignores it; the real SDK aborts the request).
 */
export async function withTimeout<T>(ms: number, what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CallTimedOutError(`${what} did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
