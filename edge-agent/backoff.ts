/**
 * How long to wait before trying AWS again after `failures` failures in a row: doubling from
 * `baseMs` up to `maxMs`, the upper half randomised so the pods of a region do not retry in step.
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
  return ceiling / 2 + random() * (ceiling / 2);
}
