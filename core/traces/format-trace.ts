/** Writes a Trace back to the CSV format parseTraceCsv reads: rows by minute, regions in trace order. */
import { formatUtcMinute, MINUTE_MS, type Trace } from './trace';
import { TRACE_HEADER } from './parse-trace';

export function formatTraceCsv(trace: Trace): string {
  const lines: string[] = [TRACE_HEADER];
  const columns = trace.regions.map((region) => [region, trace.requests.get(region)] as const);
  for (let minute = 0; minute < trace.minutes; minute++) {
    const stamp = formatUtcMinute(trace.startMs + minute * MINUTE_MS);
    for (const [region, series] of columns) {
      const value = series?.[minute] ?? NaN;
      lines.push(`${stamp},${region},${Number.isNaN(value) ? '' : Math.round(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
