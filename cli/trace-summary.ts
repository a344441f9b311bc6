/** What trace check, synth and from-cloudwatch say about a trace, as text and as --json. */
import { formatUtcMinute, type Trace } from '../core/traces';

/** The --json form of a trace read or written: the same for every trace command. */
export interface TraceSummaryJson {
  /** The file read or written. */
  readonly file: string;
  /** First minute, ISO 8601 UTC. */
  readonly start: string;
  readonly minutes: number;
  readonly regions: readonly string[];
  /** Region-minutes without data (empty cells). */
  readonly missingValues: number;
}

export function traceSummary(file: string, trace: Trace): TraceSummaryJson {
  const missingValues = [...trace.requests.values()].reduce((n, series) => n + series.filter(Number.isNaN).length, 0);
  return { file, start: formatUtcMinute(trace.startMs), minutes: trace.minutes, regions: trace.regions, missingValues };
}
