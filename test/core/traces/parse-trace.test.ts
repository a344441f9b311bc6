import { existsSync } from 'node:fs';
import { MAX_LISTED_PROBLEMS, parseTraceCsv, readTraceFile, TraceError } from '../../../core/traces';

const HEADER = 'timestamp,region,requests';

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

/** The problems a bad trace produces, as `line: message` strings. */
function problemsOf(text: string): string[] {
  try {
    parseTraceCsv(text, 'test.csv');
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    return error.problems.map((p) => `${p.line}: ${p.message}`);
  }
  throw new Error('expected the trace to be rejected');
}

describe('parseTraceCsv on valid input', () => {
  it('reads regions into per-minute series starting at the first timestamp', () => {
    const trace = parseTraceCsv(
      csv(
        '2026-11-02T00:00:00Z,us-east-1,100',
        '2026-11-02T00:00:00Z,eu-west-1,7',
        '2026-11-02T00:01:00Z,us-east-1,110',
        '2026-11-02T00:01:00Z,eu-west-1,8',
      ),
    );
    expect(trace.startMs).toBe(Date.UTC(2026, 10, 2, 0, 0));
    expect(trace.minutes).toBe(2);
    expect(trace.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect([...trace.requests.get('us-east-1')!]).toEqual([100, 110]);
    expect([...trace.requests.get('eu-west-1')!]).toEqual([7, 8]);
  });

  it('treats an empty requests cell as missing data (NaN), not zero', () => {
    const trace = parseTraceCsv(csv('2026-11-02T00:00:00Z,us-east-1,', '2026-11-02T00:01:00Z,us-east-1,0'));
    const series = trace.requests.get('us-east-1')!;
    expect(Number.isNaN(series[0])).toBe(true);
    expect(series[1]).toBe(0);
  });

  it('treats a region absent in some minutes as missing there', () => {
    const trace = parseTraceCsv(
      csv('2026-11-02T00:00:00Z,us-east-1,1', '2026-11-02T00:01:00Z,us-east-1,2', '2026-11-02T00:01:00Z,eu-west-1,5'),
    );
    const eu = trace.requests.get('eu-west-1')!;
    expect(Number.isNaN(eu[0])).toBe(true);
    expect(eu[1]).toBe(5);
  });

  it('accepts CRLF line endings, a byte-order mark and zero milliseconds', () => {
    const text = '\ufeff' + [HEADER, '2026-11-02T00:00:00.000Z,us-east-1,3', '2026-11-02T00:01:00Z,us-east-1,4'].join('\r\n') + '\r\n';
    const trace = parseTraceCsv(text);
    expect([...trace.requests.get('us-east-1')!]).toEqual([3, 4]);
  });

  const reference = '/work/shared/traces/reference-7d.csv';
  (existsSync(reference) ? it : it.skip)('parses the 7-day reference trace with its 25-minute gap', () => {
    const trace = readTraceFile(reference);
    expect(trace.minutes).toBe(7 * 24 * 60);
    expect(trace.regions).toHaveLength(8);
    const missing = [...trace.requests.get('eu-west-1')!].filter(Number.isNaN).length;
    expect(missing).toBe(25);
  });
});

describe('parseTraceCsv rejects bad input with the line number', () => {
  it('rejects a wrong header', () => {
    expect(problemsOf('time,region,count\n2026-11-02T00:00:00Z,us-east-1,1\n')).toEqual([
      '1: expected the header "timestamp,region,requests", got "time,region,count"',
    ]);
  });

  it('rejects an empty file', () => {
    expect(problemsOf('')).toEqual(['1: empty file; expected the header "timestamp,region,requests"']);
  });

  it('rejects a header with no rows', () => {
    expect(problemsOf(`${HEADER}\n`)).toEqual(['1: no data rows after the header']);
  });

  it('rejects timestamps that are not ISO 8601 UTC', () => {
    expect(problemsOf(csv('2026-11-02 00:00:00,us-east-1,1'))).toEqual([
      '2: "2026-11-02 00:00:00" is not an ISO 8601 UTC timestamp; expected e.g. "2026-11-02T00:00:00Z" (UTC, with the Z)',
    ]);
    expect(problemsOf(csv('2026-11-02T00:00:00+01:00,us-east-1,1'))[0]).toMatch(/^2: .* is not an ISO 8601 UTC timestamp/);
  });

  it('rejects dates that do not exist', () => {
    expect(problemsOf(csv('2026-02-30T00:00:00Z,us-east-1,1'))).toEqual(['2: "2026-02-30T00:00:00Z" is not a real date and time']);
    expect(problemsOf(csv('2026-11-02T24:00:00Z,us-east-1,1'))).toEqual(['2: "2026-11-02T24:00:00Z" is not a real date and time']);
  });

  it('rejects timestamps that are not on a whole minute', () => {
    expect(problemsOf(csv('2026-11-02T00:00:30Z,us-east-1,1'))).toEqual([
      '2: "2026-11-02T00:00:30Z" is not on a whole minute; expected one-minute steps with seconds 00',
    ]);
  });

  it('rejects an unknown region and suggests the closest code', () => {
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,1', '2026-11-02T00:00:00Z,eu-wset-1,1'))).toEqual([
      '3: "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?',
    ]);
    expect(problemsOf(csv('2026-11-02T00:00:00Z,moon-base-1,1'))).toEqual([
      '2: "moon-base-1" is not an AWS region code; expected a code such as "eu-west-1"',
    ]);
  });

  it('rejects negative, fractional and non-numeric counts', () => {
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,-5'))).toEqual([
      '2: request count -5 is negative; expected a whole number of 0 or more',
    ]);
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,12.5'))).toEqual([
      '2: request count 12.5 is not a whole number; expected requests per minute as a whole number',
    ]);
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,lots'))).toEqual([
      '2: request count "lots" is not a number; expected a whole number of 0 or more, or an empty cell for missing data',
    ]);
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1, 7'))[0]).toMatch(/^2: request count " 7" is not a number/);
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,1e3'))).toEqual([
      '2: request count "1e3" is not written as plain digits; expected e.g. 1200',
    ]);
  });

  it('rejects a duplicate row and points at the first copy', () => {
    expect(
      problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,1', '2026-11-02T00:00:00Z,eu-west-1,1', '2026-11-02T00:00:00Z,us-east-1,2')),
    ).toEqual(['4: duplicate row: us-east-1 at 2026-11-02T00:00:00Z is already on line 2; each region appears once per minute']);
  });

  it('rejects rows out of time order', () => {
    expect(problemsOf(csv('2026-11-02T00:01:00Z,us-east-1,1', '2026-11-02T00:00:00Z,us-east-1,1'))).toEqual([
      '3: row is out of order: 2026-11-02T00:00:00Z is earlier than 2026-11-02T00:01:00Z on line 2; rows must be sorted by time',
    ]);
  });

  it('rejects a jump of more than one minute', () => {
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1,1', '2026-11-02T00:05:00Z,us-east-1,1'))).toEqual([
      '3: timestamp jumps from 2026-11-02T00:00:00Z (line 2) to 2026-11-02T00:05:00Z; expected one-minute steps ' +
        '(write rows with an empty requests cell for minutes with missing data)',
    ]);
  });

  it('rejects rows with the wrong number of values and blank lines between rows', () => {
    expect(problemsOf(csv('2026-11-02T00:00:00Z,us-east-1', '', '2026-11-02T00:01:00Z,us-east-1,1,9'))).toEqual([
      '2: expected 3 comma-separated values (timestamp,region,requests), got "2026-11-02T00:00:00Z,us-east-1"',
      '3: empty line; expected "timestamp,region,requests" values',
      '4: expected 3 comma-separated values (timestamp,region,requests), got "2026-11-02T00:01:00Z,us-east-1,1,9"',
    ]);
  });

  it('lists every problem up to a cap and counts the rest', () => {
    const rows = Array.from({ length: MAX_LISTED_PROBLEMS + 5 }, (_, i) => `2026-11-02T00:${String(i).padStart(2, '0')}:00Z,us-east-1,-1`);
    try {
      parseTraceCsv(csv(...rows), 'big.csv');
      throw new Error('expected a TraceError');
    } catch (error) {
      expect(error).toBeInstanceOf(TraceError);
      const traceError = error as TraceError;
      expect(traceError.problems).toHaveLength(MAX_LISTED_PROBLEMS);
      expect(traceError.omitted).toBe(5);
      expect(traceError.message.split('\n')[0]).toBe('big.csv:2: request count -1 is negative; expected a whole number of 0 or more');
      expect(traceError.message).toMatch(/big\.csv: \.\.\. and 5 more problem\(s\)$/);
    }
  });

  it('reports a file that cannot be read without a line number', () => {
    expect(() => readTraceFile('/nonexistent/trace.csv')).toThrow('/nonexistent/trace.csv: cannot read the trace file: no such file');
  });
});
