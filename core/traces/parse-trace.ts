/**
 * Strict parsing of the trace CSV (`timestamp,region,requests`, see DESIGN.md "Simulator").
 *
 * Strict because a silently misread trace produces a confident, wrong benchmark: every row is
 * checked and every problem is reported with its line number. The file is scanned once without
 * splitting it into an array of lines, and consecutive rows of the same minute reuse the parsed
 * timestamp, so the 80k-line reference trace parses in tens of milliseconds.
 */
import { isAwsRegion, suggestRegion } from '../regions';
import { MINUTE_MS, type Trace } from './trace';
import { TraceError, type TraceProblem } from './trace-error';

export const TRACE_HEADER = 'timestamp,region,requests';

/** Past this many problems the file is clearly not a trace; listing more does not help. */
export const MAX_LISTED_PROBLEMS = 20;

// Whole UTC minutes only; fractional seconds are accepted when they are zero (`.000Z`).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.0{1,3})?Z$/;

/** Epoch ms of an ISO 8601 UTC timestamp on a whole minute, or a message saying what is wrong. */
export function parseTraceTimestamp(text: string): number | string {
  const match = TIMESTAMP.exec(text);
  if (!match) {
    return `"${text}" is not an ISO 8601 UTC timestamp; expected e.g. "2026-11-02T00:00:00Z" (UTC, with the Z)`;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return `"${text}" is not a real date and time`;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over to March; only days past the 28th can do that.
  if (day > 28 && new Date(ms).getUTCDate() !== day) return `"${text}" is not a real date and time`;
  if (second !== 0) return `"${text}" is not on a whole minute; expected one-minute steps with seconds 00`;
  return ms;
}

/** A non-negative whole count, null for an empty cell (missing data), or a message. */
export function parseRequestCount(text: string): number | null | string {
  if (text === '') return null;
  let value = 0;
  let digits = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      digits = false;
      break;
    }
    value = value * 10 + c;
  }
  if (digits) {
    return Number.isSafeInteger(value) ? value : `request count "${text}" is too large`;
  }
  const number = Number(text);
  if (text.trim() !== text || Number.isNaN(number)) {
    return `request count "${text}" is not a number; expected a whole number of 0 or more, or an empty cell for missing data`;
  }
  if (number < 0) return `request count ${text} is negative; expected a whole number of 0 or more`;
  if (!Number.isInteger(number)) return `request count ${text} is not a whole number; expected requests per minute as a whole number`;
  return `request count "${text}" is not written as plain digits; expected e.g. 1200`;
}

interface RegionColumn {
  readonly values: number[];
  /** Line where this region was last seen, to point at the first copy of a duplicate row. */
  lastLine: number;
  /** Minute index of that line. */
  lastMinute: number;
}

/** Parses a whole trace file's text; throws TraceError listing the problems (up to MAX_LISTED_PROBLEMS). */
export function parseTraceCsv(text: string, source = 'trace'): Trace {
  const problems: TraceProblem[] = [];
  let omitted = 0;
  const report = (line: number, message: string): void => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line, message });
    else omitted++;
  };

  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM from spreadsheet exports
  const columns = new Map<string, RegionColumn>();
  let startMs = NaN;
  let minute = -1; // index of the current row's minute
  let previousStamp = ''; // raw text of the previous valid timestamp: rows of one minute reuse its parse
  let previousStampLine = 0;
  let lineNo = 0;
  let dataRows = 0;
  let pos = 0;

  while (pos <= body.length) {
    let end = body.indexOf('\n', pos);
    if (end === -1) end = body.length;
    let line = body.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const atEnd = end >= body.length;
    pos = end + 1;
    lineNo++;

    if (lineNo === 1) {
      if (line.trim() !== TRACE_HEADER) {
        report(
          1,
          line === '' ? `empty file; expected the header "${TRACE_HEADER}"` : `expected the header "${TRACE_HEADER}", got "${line}"`,
        );
        break; // without the right columns, every other line would be misread
      }
      continue;
    }
    if (line === '') {
      // Trailing newlines are fine; a blank line between rows is not.
      if (atEnd || body.slice(pos).trim() === '') break;
      report(lineNo, `empty line; expected "${TRACE_HEADER}" values`);
      continue;
    }

    const firstComma = line.indexOf(',');
    const secondComma = firstComma === -1 ? -1 : line.indexOf(',', firstComma + 1);
    if (secondComma === -1 || line.indexOf(',', secondComma + 1) !== -1) {
      report(lineNo, `expected 3 comma-separated values (timestamp,region,requests), got "${line}"`);
      continue;
    }
    const stamp = line.slice(0, firstComma);
    const region = line.slice(firstComma + 1, secondComma);
    const count = line.slice(secondComma + 1);
    dataRows++;

    if (stamp !== previousStamp) {
      const ms = parseTraceTimestamp(stamp);
      if (typeof ms === 'string') {
        report(lineNo, ms);
        continue;
      }
      if (minute === -1) {
        startMs = ms;
        minute = 0;
      } else {
        const currentMs = startMs + minute * MINUTE_MS;
        if (ms < currentMs) {
          report(
            lineNo,
            `row is out of order: ${stamp} is earlier than ${previousStamp} on line ${previousStampLine}; rows must be sorted by time`,
          );
          continue;
        }
        if (ms > currentMs + MINUTE_MS) {
          report(
            lineNo,
            `timestamp jumps from ${previousStamp} (line ${previousStampLine}) to ${stamp}; expected one-minute steps ` +
              `(write rows with an empty requests cell for minutes with missing data)`,
          );
        }
        minute = (ms - startMs) / MINUTE_MS;
      }
      previousStamp = stamp;
      previousStampLine = lineNo;
    }

    if (!isAwsRegion(region)) {
      const hint = suggestRegion(region);
      report(lineNo, `"${region}" is not an AWS region code; ${hint ? `did you mean "${hint}"?` : 'expected a code such as "eu-west-1"'}`);
      continue;
    }
    let column = columns.get(region);
    if (!column) {
      column = { values: [], lastLine: 0, lastMinute: -1 };
      columns.set(region, column);
    } else if (column.lastMinute === minute) {
      report(lineNo, `duplicate row: ${region} at ${stamp} is already on line ${column.lastLine}; each region appears once per minute`);
      continue;
    }
    column.lastLine = lineNo;
    column.lastMinute = minute;

    const value = parseRequestCount(count);
    if (typeof value === 'string') {
      report(lineNo, value);
      continue;
    }
    const values = column.values;
    while (values.length < minute) values.push(NaN); // minutes before the region's first row, or rows absent for it
    values[minute] = value ?? NaN;
  }

  if (problems.length === 0 && dataRows === 0) report(1, 'no data rows after the header');
  if (problems.length > 0) throw new TraceError(source, problems, omitted);

  const minutes = minute + 1;
  const requests = new Map<string, Float64Array>();
  for (const [region, column] of columns) {
    const series = new Float64Array(minutes).fill(NaN);
    series.set(column.values);
    requests.set(region, series);
  }
  return { startMs, minutes, regions: [...columns.keys()], requests };
}
