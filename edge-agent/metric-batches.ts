/**
 * PutMetricData takes at most 1000 datums a call. Normally a pod sends one minute (a few dozen
 * datums) a call; after AWS was unreachable, the backlog's minutes go together, whole minutes per
 * call, oldest first.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

export const MAX_DATUMS_PER_CALL = 1000;

/** A minute's datums in pieces of at most `max` (one piece for any real minute: a few dozen datums). */
export function pieces(datums: readonly MetricDatum[], max = MAX_DATUMS_PER_CALL): MetricDatum[][] {
  const out: MetricDatum[][] = [];
  for (let i = 0; i < datums.length; i += max) out.push(datums.slice(i, i + max));
  return out;
}

/** How many of the oldest pieces (each at most `max` datums) go in one call: as many as fit, at least one. */
export function piecesInFirstCall(backlog: readonly (readonly MetricDatum[])[], max = MAX_DATUMS_PER_CALL): number {
  let datums = 0;
  let n = 0;
  for (const piece of backlog) {
    if (n > 0 && datums + piece.length > max) break;
    datums += piece.length;
    n++;
  }
  return n;
}
